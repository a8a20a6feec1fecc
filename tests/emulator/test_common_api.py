"""The emulated Common API (alerts, admins, roles, directory).

Every test runs twice: against the Common routes mounted in a tiny Starlette app with a fake tenant
(fast, no core needed), and over real loopback HTTP through ``run_emulator`` (skipped while the
core emulator is not importable).
"""

from __future__ import annotations

import base64
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount
from starlette.types import ASGIApp, Receive, Scope, Send

from pysophoscentralapi.emulator._common import common_routes
from pysophoscentralapi.emulator._common_state import ACTIONS, CATEGORIES, PRODUCTS, SEVERITIES
from pysophoscentralapi.emulator._http import ApiFailure, BadRequest, api_error
from tests.emulator.core_helpers import key_pages, token_request

# --- the two ways to reach the API ----------------------------------------------------------------


@dataclass
class FakeTenant:
    id: str = "6a1c0e0e-1f7a-4d1e-9d1e-3a9b1c2d3e4f"
    name: str = "Acme Corp"
    region: str = "eu01"
    rng_seed: int = 1234
    config: Any = field(default_factory=lambda: SimpleNamespace(alerts=60, seed=1))
    store: dict[str, Any] = field(default_factory=dict)

    def endpoint_refs(self, limit: int) -> list[dict[str, Any]]:
        refs = [
            {
                "id": f"00000000-0000-4000-8000-{n:012d}",
                "hostname": f"ACME-{'SRV' if n % 4 == 0 else 'PC'}-{n:03d}",
                "type": "server" if n % 4 == 0 else "computer",
            }
            for n in range(25)
        ]
        return refs[:limit]


class _TenantMiddleware:
    def __init__(self, app: ASGIApp, tenant: FakeTenant) -> None:
        self.app, self.tenant = app, tenant

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope.setdefault("state", {})["tenant"] = self.tenant
        await self.app(scope, receive, send)


async def _bad_request(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, BadRequest)
    return api_error(400, exc.message)


async def _api_failure(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiFailure)
    return api_error(exc.status, exc.message)


def fake_app(tenant: FakeTenant) -> ASGIApp:
    app = Starlette(
        routes=[Mount("/region/{region}/common/v1", routes=common_routes())],
        exception_handlers={BadRequest: _bad_request, ApiFailure: _api_failure},
    )
    return _TenantMiddleware(app, tenant)


def _emulator_client() -> Iterator[httpx.Client]:
    try:
        from pysophoscentralapi.emulator import EmulatorConfig, run_emulator
    except ImportError:
        pytest.skip("the core emulator (run_emulator) is not available yet")
    with run_emulator(EmulatorConfig(seed=11, alerts=60)) as emu:
        token = token_request(emu).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        whoami = httpx.get(f"{emu.url}/whoami/v1", headers=auth).json()
        headers = {**auth, "X-Tenant-ID": whoami["id"]}
        base = whoami["apiHosts"]["dataRegion"] + "/common/v1"
        with httpx.Client(base_url=base, headers=headers, timeout=10) as client:
            yield client


@pytest.fixture(params=["in-process", "emulator"])
def api(request: pytest.FixtureRequest) -> Iterator[httpx.Client]:
    if request.param == "in-process":
        with warnings.catch_warnings():
            # starlette's TestClient warns that it prefers httpx2; plain httpx works fine here
            warnings.simplefilter("ignore")
            from starlette.testclient import TestClient
        with TestClient(
            fake_app(FakeTenant()), base_url="http://testserver/region/eu01/common/v1"
        ) as client:
            yield client
    else:
        yield from _emulator_client()


def _all_alerts(api: httpx.Client, **params: Any) -> list[dict[str, Any]]:
    pages = key_pages(lambda values: api.get("/alerts", params=values), {"pageSize": 100, **params})
    return [item for page in pages for item in page["items"]]


def _error(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert {"error", "message", "correlationId", "requestId"} <= set(body)
    return body


# --- alerts ---------------------------------------------------------------------------------------


def test_alerts_page_through_with_small_pages(api: httpx.Client) -> None:
    seen: list[str] = []
    params: dict[str, Any] = {"pageSize": 7, "pageTotal": "true"}
    pages = 0
    for body in key_pages(lambda values: api.get("/alerts", params=values), params):
        pages += 1
        assert body["pages"]["size"] == 7
        assert body["pages"]["maxSize"] == 100
        assert body["pages"]["items"] == 60
        assert body["pages"]["total"] == 9
        seen += [a["id"] for a in body["items"]]
    assert pages == 9
    assert len(seen) == len(set(seen)) == 60


def test_alert_shape_and_realistic_mix(api: httpx.Client) -> None:
    alerts = _all_alerts(api)
    keys = {
        "id", "allowedActions", "category", "description", "groupKey", "managedAgent", "person",
        "product", "raisedAt", "severity", "tenant", "type",
    }  # fmt: skip
    for alert in alerts:
        assert keys <= set(alert)
        assert "acknowledge" in alert["allowedActions"]
        assert set(alert["allowedActions"]) <= set(ACTIONS)
        assert alert["severity"] in SEVERITIES
        assert alert["category"] in CATEGORIES
        assert alert["product"] in PRODUCTS
        assert set(alert["managedAgent"]) == {"id", "type"}
        assert alert["type"].startswith("Event::")
        base64.b64decode(alert["groupKey"], validate=True)
    assert {a["severity"] for a in alerts} == set(SEVERITIES)
    assert {"malware", "pua", "updating"} <= {a["category"] for a in alerts}
    raised = [a["raisedAt"] for a in alerts]
    assert raised == sorted(raised, reverse=True)  # newest first by default
    oldest = datetime.fromisoformat(raised[-1].replace("Z", "+00:00"))
    assert datetime.now(UTC) - oldest < timedelta(days=32)


def test_alerts_are_deterministic(api: httpx.Client) -> None:
    first = api.get("/alerts", params={"pageSize": 10}).json()["items"]
    again = api.get("/alerts", params={"pageSize": 10}).json()["items"]
    assert first == again


def test_alert_filters(api: httpx.Client) -> None:
    everything = _all_alerts(api)
    high = _all_alerts(api, severity="high")
    assert high
    assert all(a["severity"] == "high" for a in high)
    assert len(high) == sum(a["severity"] == "high" for a in everything)
    two = _all_alerts(api, category="malware,pua")
    assert {a["category"] for a in two} == {"malware", "pua"}
    servers = _all_alerts(api, product="server")
    assert all(a["product"] == "server" for a in servers)
    key = everything[0]["groupKey"]
    assert all(a["groupKey"] == key for a in _all_alerts(api, groupKey=key))
    ids = [everything[3]["id"], everything[5]["id"]]
    assert {a["id"] for a in _all_alerts(api, ids=",".join(ids))} == set(ids)
    recent = _all_alerts(api, **{"from": "-P7D"})
    cutoff = datetime.now(UTC) - timedelta(days=7, minutes=1)
    assert all(
        datetime.fromisoformat(a["raisedAt"].replace("Z", "+00:00")) >= cutoff for a in recent
    )
    assert 0 < len(recent) < len(everything)
    middle = everything[30]["raisedAt"]
    before = _all_alerts(api, to=middle.removesuffix("Z"))  # naive datetime is UTC
    assert {a["id"] for a in before} == {a["id"] for a in everything[31:]}
    since = _all_alerts(api, **{"from": middle})
    assert {a["id"] for a in since} == {a["id"] for a in everything[:31]}


def test_alert_sort_and_fields(api: httpx.Client) -> None:
    oldest_first = _all_alerts(api, sort="raisedAt:asc")
    raised = [a["raisedAt"] for a in oldest_first]
    assert raised == sorted(raised)
    partial = api.get("/alerts", params={"fields": "severity,raisedAt", "pageSize": 3}).json()
    assert all(set(a) == {"id", "severity", "raisedAt"} for a in partial["items"])
    _error(api.get("/alerts", params={"sort": "nope:desc"}), 400)


@pytest.mark.parametrize(
    ("params", "mentions"),
    [
        ({"severity": "critical"}, "high, medium, low"),
        ({"category": "viruses"}, "malware"),
        ({"product": "toaster"}, "endpoint"),
        ({"pageSize": "101"}, "100"),
        ({"from": "last tuesday"}, "from"),
        ({"pageFromKey": "not-a-key"}, "pageFromKey"),
    ],
)
def test_alert_bad_parameters_are_400(
    api: httpx.Client, params: dict[str, str], mentions: str
) -> None:
    body = _error(api.get("/alerts", params=params), 400)
    assert body["error"] == "badRequest"
    assert mentions in body["message"]


def test_alert_search_post(api: httpx.Client) -> None:
    body = {"severity": ["high", "medium"], "product": ["endpoint", "server"], "pageSize": 5}
    pages = key_pages(lambda values: api.post("/alerts/search", json=values), body)
    seen = [alert for page in pages for alert in page["items"]]
    expected = _all_alerts(api, severity="high,medium", product="endpoint,server")
    assert [a["id"] for a in seen] == [a["id"] for a in expected]
    total = api.post("/alerts/search", json={"pageTotal": True, "sort": ["raisedAt:asc"]}).json()
    assert total["pages"]["items"] == 60
    _error(api.post("/alerts/search", json={"severity": "high"}), 400)  # CSV is not a list
    assert "low" in _error(api.post("/alerts/search", json={"severity": ["bad"]}), 400)["message"]
    _error(api.post("/alerts/search", json={"pageSize": 500}), 400)


def test_get_alert_and_404(api: httpx.Client) -> None:
    alert = api.get("/alerts", params={"pageSize": 1}).json()["items"][0]
    assert api.get(f"/alerts/{alert['id']}").json() == alert
    body = _error(api.get("/alerts/3f0e7ad4-0000-4000-8000-000000000000"), 404)
    assert body["error"] == "notFound"


def test_alert_action_resolves_alert(api: httpx.Client) -> None:
    alerts = _all_alerts(api)
    alert = next(a for a in alerts if "cleanPua" in a["allowedActions"])
    response = api.post(
        f"/alerts/{alert['id']}/actions", json={"action": "cleanPua", "message": "Remove it"}
    )
    assert response.status_code == 201, response.text
    action = response.json()
    assert set(action) == {
        "id", "alertId", "action", "status", "requestedAt", "startedAt", "completedAt", "result",
    }  # fmt: skip
    assert action["alertId"] == alert["id"]
    assert action["action"] == "cleanPua"
    assert action["status"] == "started"
    assert action["completedAt"] is None
    # the alert is resolved: gone from the list and from GET
    assert alert["id"] not in {a["id"] for a in _all_alerts(api)}
    assert len(_all_alerts(api)) == len(alerts) - 1
    _error(api.get(f"/alerts/{alert['id']}"), 404)
    _error(api.post(f"/alerts/{alert['id']}/actions", json={"action": "acknowledge"}), 404)


def test_acknowledge_removes_and_send_message_keeps(api: httpx.Client) -> None:
    alerts = _all_alerts(api)
    target = alerts[0]
    assert (
        api.post(f"/alerts/{target['id']}/actions", json={"action": "acknowledge"}).status_code
        == 201
    )
    messaged = next(
        a for a in alerts[1:] if {"sendMsgPua", "sendMsgThreat"} & set(a["allowedActions"])
    )
    send = next(x for x in messaged["allowedActions"] if x.startswith("sendMsg"))
    response = api.post(f"/alerts/{messaged['id']}/actions", json={"action": send, "message": "hi"})
    assert response.status_code == 201
    remaining = {a["id"] for a in _all_alerts(api)}
    assert target["id"] not in remaining
    assert messaged["id"] in remaining


def test_alert_action_not_allowed_is_400(api: httpx.Client) -> None:
    alert = next(a for a in _all_alerts(api) if a["allowedActions"] == ["acknowledge"])
    body = _error(api.post(f"/alerts/{alert['id']}/actions", json={"action": "cleanVirus"}), 400)
    assert "acknowledge" in body["message"]
    _error(api.post(f"/alerts/{alert['id']}/actions", json={"action": "explode"}), 400)
    _error(api.post(f"/alerts/{alert['id']}/actions", json={}), 400)
    assert alert["id"] in {a["id"] for a in _all_alerts(api)}  # nothing changed


# --- admins ---------------------------------------------------------------------------------------


def _roles(api: httpx.Client, **params: Any) -> dict[str, dict[str, Any]]:
    return {r["name"]: r for r in api.get("/roles", params=params).json()["items"]}


def _admins(api: httpx.Client) -> list[dict[str, Any]]:
    return api.get("/admins", params={"pageSize": 100}).json()["items"]


def test_admins_paging(api: httpx.Client) -> None:
    first = api.get("/admins", params={"pageSize": 2, "pageTotal": "true"}).json()
    assert first["pages"]["current"] == 1
    assert first["pages"]["total"] == 3
    assert first["pages"]["items"] == 6
    seen = [a["id"] for a in first["items"]]
    for page in (2, 3):
        body = api.get("/admins", params={"pageSize": 2, "page": page}).json()
        assert body["pages"]["current"] == page
        seen += [a["id"] for a in body["items"]]
    assert len(set(seen)) == 6
    past = api.get("/admins", params={"pageSize": 2, "page": 9}).json()
    assert past["items"] == []
    _error(api.get("/admins", params={"pageSize": 101}), 400)
    admin = first["items"][0]
    assert {"id", "tenant", "users", "profile", "roleAssignments", "createdAt", "updatedAt"} <= set(
        admin
    )
    assert {"name", "firstName", "lastName", "email"} <= set(admin["profile"])


def test_admins_search_and_role_filter(api: httpx.Client) -> None:
    admins = _admins(api)
    email = admins[2]["profile"]["email"]
    found = api.get("/admins", params={"search": email.split("@")[0]}).json()["items"]
    assert [a["id"] for a in found] == [admins[2]["id"]]
    super_id = _roles(api)["Super Admin"]["id"]
    supers = api.get("/admins", params={"roleId": super_id}).json()["items"]
    assert len(supers) == 2
    _error(api.get("/admins", params={"search": "x", "searchFields": "shoeSize"}), 400)


def test_create_and_delete_admin(api: httpx.Client) -> None:
    admin_users = {a["users"][0]["id"] for a in _admins(api)}
    users = api.get("/directory/users", params={"sourceType": "custom", "pageSize": 100}).json()
    user = next(u for u in users["items"] if u["id"] not in admin_users)
    role = _roles(api)["Read-only"]
    created = api.post(
        "/admins", json={"userId": user["id"], "roleAssignments": [{"roleId": role["id"]}]}
    )
    assert created.status_code == 201, created.text
    admin = created.json()
    assert admin["users"] == [{"id": user["id"], "name": user["name"]}]
    assert admin["profile"]["email"] == user["email"]
    assert [ra["roleId"] for ra in admin["roleAssignments"]] == [role["id"]]
    assert api.get(f"/admins/{admin['id']}").json() == admin
    assert api.delete(f"/admins/{admin['id']}").json() == {"deleted": True}
    _error(api.get(f"/admins/{admin['id']}"), 404)
    _error(api.delete(f"/admins/{admin['id']}"), 404)


def test_create_admin_unknown_user_or_role_is_404(api: httpx.Client) -> None:
    role = _roles(api)["Admin"]
    user = api.get("/directory/users", params={"pageSize": 1}).json()["items"][0]
    unknown = "11111111-2222-4333-8444-555555555555"
    body = {"userId": unknown, "roleAssignments": [{"roleId": role["id"]}]}
    _error(api.post("/admins", json=body), 404)
    body = {"userId": user["id"], "roleAssignments": [{"roleId": unknown}]}
    _error(api.post("/admins", json=body), 404)
    _error(api.post("/admins", json={"userId": user["id"]}), 400)


def test_last_super_admin_cannot_be_removed(api: httpx.Client) -> None:
    super_id = _roles(api)["Super Admin"]["id"]
    supers = api.get("/admins", params={"roleId": super_id}).json()["items"]
    assert len(supers) == 2
    assert api.delete(f"/admins/{supers[0]['id']}").status_code == 200
    body = _error(api.delete(f"/admins/{supers[1]['id']}"), 409)
    assert body["error"] == "resourceConflict"
    assert "last Super admin" in body["message"]
    # nor can the role be taken away from them
    assignment = supers[1]["roleAssignments"][0]
    _error(api.delete(f"/admins/{supers[1]['id']}/role-assignments/{assignment['id']}"), 409)
    read_only = _roles(api)["Read-only"]["id"]
    _error(api.post(f"/admins/{supers[1]['id']}/role-assignments", json={"roleId": read_only}), 409)


def test_role_assignments(api: httpx.Client) -> None:
    roles = _roles(api)
    admin = next(a for a in _admins(api) if len(a["roleAssignments"]) == 2)
    listing = api.get(f"/admins/{admin['id']}/role-assignments").json()
    assert listing == {"items": admin["roleAssignments"]}
    one = admin["roleAssignments"][0]
    assert api.get(f"/admins/{admin['id']}/role-assignments/{one['id']}").json() == one
    deleted = api.delete(f"/admins/{admin['id']}/role-assignments/{one['id']}")
    assert deleted.json() == {"deleted": True}
    _error(api.get(f"/admins/{admin['id']}/role-assignments/{one['id']}"), 404)
    posted = api.post(
        f"/admins/{admin['id']}/role-assignments", json={"roleId": roles["Read-only"]["id"]}
    )
    assert posted.status_code == 201
    assert posted.json()["roleId"] == roles["Read-only"]["id"]
    # "any existing assignment is overridden"
    assert api.get(f"/admins/{admin['id']}/role-assignments").json()["items"] == [posted.json()]
    service_role = roles["Service Principal Read-Only"]["id"]
    _error(api.post(f"/admins/{admin['id']}/role-assignments", json={"roleId": service_role}), 400)
    _error(api.post(f"/admins/{admin['id']}/role-assignments", json={"roleId": "nope"}), 404)


# --- roles ----------------------------------------------------------------------------------------


def test_roles_list_has_no_pages_and_filters(api: httpx.Client) -> None:
    body = api.get("/roles").json()
    assert set(body) == {"items"}
    assert {"Super Admin", "Admin", "Help Desk", "Read-only"} <= {r["name"] for r in body["items"]}
    service = api.get("/roles", params={"principalType": "service"}).json()["items"]
    assert service
    assert all(r["principalType"] == "service" for r in service)
    custom = api.get("/roles", params={"type": "custom"}).json()["items"]
    assert [role["name"] for role in custom] == ["Endpoint Operators"]  # the one seeded
    _error(api.get("/roles", params={"type": "weird"}), 400)


def test_permission_sets(api: httpx.Client) -> None:
    sets = api.get("/roles/permission-sets").json()
    assert set(sets) == {"items"}
    ids = {p["id"] for p in sets["items"]}
    assert {"central_admin", "endpoint_product_admin"} <= ids
    endpoint = api.get("/roles/permission-sets", params={"product": "endpoint"}).json()["items"]
    assert endpoint
    assert all("endpoint" in p["products"] for p in endpoint)
    read_only = api.get("/roles/permission-sets", params={"access": "readOnly"}).json()["items"]
    assert read_only
    assert all(p["access"] == "readOnly" for p in read_only)
    custom = api.get("/roles/permission-sets", params={"allowedInCustomRole": "false"}).json()
    assert all(not p["allowedInCustomRoles"] for p in custom["items"])
    _error(api.get("/roles/permission-sets", params={"access": "root"}), 400)


def test_create_update_delete_role(api: httpx.Client) -> None:
    body = {
        "name": "Endpoint Admin",
        "description": "Admin role",
        "principalType": "user",
        "permissionSets": ["central_admin", "endpoint_product_admin"],
    }
    created = api.post("/roles", json=body)
    assert created.status_code == 201, created.text
    role = created.json()
    assert role["type"] == "custom"
    assert role["permissionSets"] == body["permissionSets"]
    assert {
        "id",
        "name",
        "description",
        "type",
        "principalType",
        "permissionSets",
        "createdAt",
        "updatedAt",
    } <= set(role)
    assert api.get(f"/roles/{role['id']}").json() == role
    assert role["id"] in {
        r["id"] for r in api.get("/roles", params={"type": "custom"}).json()["items"]
    }
    patched = api.patch(f"/roles/{role['id']}", json={"description": "Changed"})
    assert patched.status_code == 200
    assert patched.json()["description"] == "Changed"
    assert api.delete(f"/roles/{role['id']}").json() == {"deleted": True}
    _error(api.get(f"/roles/{role['id']}"), 404)


def test_role_bad_permission_set_and_duplicates(api: httpx.Client) -> None:
    body = {"name": "Odd", "principalType": "user", "permissionSets": ["make_coffee"]}
    message = _error(api.post("/roles", json=body), 400)["message"]
    assert "make_coffee" in message
    assert "central_admin" in message  # names the valid ones
    dup = {"name": "admin", "principalType": "user", "permissionSets": ["central_admin"]}
    _error(api.post("/roles", json=dup), 409)  # predefined name, any case
    ok = {"name": "Mine", "principalType": "user", "permissionSets": ["central_read_only"]}
    assert api.post("/roles", json=ok).status_code == 201
    _error(api.post("/roles", json=ok), 409)
    _error(api.post("/roles", json={**ok, "name": "Other", "principalType": "robot"}), 400)


def test_predefined_and_assigned_roles_are_protected(api: httpx.Client) -> None:
    roles = _roles(api)
    _error(api.delete(f"/roles/{roles['Read-only']['id']}"), 409)
    _error(api.patch(f"/roles/{roles['Admin']['id']}", json={"description": "x"}), 409)
    custom = api.post(
        "/roles",
        json={"name": "Assigned", "principalType": "user", "permissionSets": ["central_admin"]},
    ).json()
    admin = next(a for a in _admins(api) if a["profile"]["name"] and len(a["roleAssignments"]) == 1)
    if admin["roleAssignments"][0]["roleId"] == roles["Super Admin"]["id"]:
        admin = next(
            a
            for a in _admins(api)
            if a["roleAssignments"][0]["roleId"] != roles["Super Admin"]["id"]
        )
    assert (
        api.post(
            f"/admins/{admin['id']}/role-assignments", json={"roleId": custom["id"]}
        ).status_code
        == 201
    )
    body = _error(api.delete(f"/roles/{custom['id']}"), 409)
    assert "assigned" in body["message"]


# --- directory ------------------------------------------------------------------------------------


def test_users_paging_and_shape(api: httpx.Client) -> None:
    first = api.get("/directory/users", params={"pageSize": 15, "pageTotal": "true"}).json()
    assert first["pages"] == {"current": 1, "size": 15, "maxSize": 100, "total": 3, "items": 40}
    ids = [u["id"] for u in first["items"]]
    for page in (2, 3):
        ids += [
            u["id"]
            for u in api.get("/directory/users", params={"pageSize": 15, "page": page}).json()[
                "items"
            ]
        ]
    assert len(ids) == len(set(ids)) == 40
    user = first["items"][0]
    assert {
        "id", "name", "firstName", "lastName", "email", "domain", "exchangeLogin", "groups",
        "tenant", "source", "createdAt", "updatedAt",
    } <= set(user)  # fmt: skip
    assert set(user["groups"]) == {"total", "itemsCount", "items"}
    assert user["source"]["type"] in ("custom", "activeDirectory", "azureActiveDirectory")
    _error(api.get("/directory/users", params={"pageSize": 500}), 400)


def test_user_filters(api: httpx.Client) -> None:
    everyone = api.get("/directory/users", params={"pageSize": 100}).json()["items"]
    synced = api.get("/directory/users", params={"sourceType": "activeDirectory"}).json()["items"]
    assert synced
    assert all(u["source"]["type"] == "activeDirectory" for u in synced)
    _error(api.get("/directory/users", params={"sourceType": "ldap"}), 400)
    alice = api.get("/directory/users", params={"search": everyone[0]["name"]}).json()["items"]
    assert everyone[0]["id"] in {u["id"] for u in alice}
    by_email = api.get(
        "/directory/users", params={"search": everyone[1]["email"], "searchFields": "email"}
    ).json()["items"]
    assert [u["id"] for u in by_email] == [everyone[1]["id"]]
    picked = ",".join(u["id"] for u in everyone[:3])
    assert len(api.get("/directory/users", params={"ids": picked}).json()["items"]) == 3
    domain = everyone[0]["domain"]
    assert (
        len(api.get("/directory/users", params={"domain": domain, "pageSize": 100}).json()["items"])
        == 40
    )
    assert api.get("/directory/users", params={"domain": "elsewhere.test"}).json()["items"] == []
    by_last = api.get("/directory/users", params={"sort": "lastName:desc", "pageSize": 100}).json()[
        "items"
    ]
    assert [u["lastName"].lower() for u in by_last] == sorted(
        (u["lastName"].lower() for u in everyone), reverse=True
    )
    _error(api.get("/directory/users", params={"sort": "shoeSize"}), 400)


def test_create_user_and_bad_email(api: httpx.Client) -> None:
    groups = api.get("/directory/user-groups", params={"sourceType": "custom"}).json()["items"]
    body = {
        "name": "John Doe",
        "firstName": "John",
        "lastName": "Doe",
        "email": "john.doe@example.com",
        "exchangeLogin": "jdoe",
        "groupIds": [groups[0]["id"]],
    }
    created = api.post("/directory/users", json=body)
    assert created.status_code == 201, created.text
    user = created.json()
    assert user["domain"] == "example.com"
    assert user["source"] == {"type": "custom"}
    assert user["groups"]["items"] == [{"id": groups[0]["id"], "name": groups[0]["name"]}]
    assert api.get(f"/directory/users/{user['id']}").json() == user
    _error(api.post("/directory/users", json=body), 409)  # email in use
    for bad in ("not-an-email", "a@b", "two@@example.com", "sp ace@example.com"):
        _error(api.post("/directory/users", json={"name": "X", "email": bad}), 400)
    _error(api.post("/directory/users", json={"name": "Y", "groupIds": ["nope"]}), 404)
    patched = api.patch(f"/directory/users/{user['id']}", json={"email": "jd@corp.example.org"})
    assert patched.json()["domain"] == "corp.example.org"
    _error(api.patch(f"/directory/users/{user['id']}", json={"email": "broken"}), 400)
    assert api.delete(f"/directory/users/{user['id']}").json() == {"deleted": True}
    _error(api.get(f"/directory/users/{user['id']}"), 404)
    assert api.delete(f"/directory/users/{user['id']}").json() == {"deleted": True}


def test_synced_users_cannot_change(api: httpx.Client) -> None:
    synced = api.get("/directory/users", params={"sourceType": "activeDirectory"}).json()["items"][
        0
    ]
    _error(api.patch(f"/directory/users/{synced['id']}", json={"name": "Renamed"}), 409)
    _error(api.delete(f"/directory/users/{synced['id']}"), 409)
    group = api.get("/directory/user-groups", params={"sourceType": "custom"}).json()["items"][0]
    _error(
        api.post(f"/directory/user-groups/{group['id']}/users", json={"ids": [synced["id"]]}), 409
    )


def test_group_membership_both_ways(api: httpx.Client) -> None:
    user = api.post(
        "/directory/users", json={"name": "Member Person", "email": "mp@example.com"}
    ).json()
    created = api.post("/directory/user-groups", json={"name": "Auditors", "description": "Audit"})
    assert created.status_code == 201
    group = created.json()
    assert group["users"] == {"total": 0, "itemsCount": 0, "items": []}
    other = api.post(
        "/directory/user-groups", json={"name": "Temps", "userIds": [user["id"]]}
    ).json()
    assert other["users"]["items"] == [{"id": user["id"], "name": "Member Person"}]
    _error(api.post("/directory/user-groups", json={"name": "auditors"}), 409)

    added = api.post(f"/directory/users/{user['id']}/groups", json={"ids": [group["id"]]})
    assert added.status_code == 201
    assert added.json() == {"addedToGroups": [{"id": group["id"]}]}
    mine = api.get(f"/directory/users/{user['id']}/groups").json()["items"]
    assert {g["id"] for g in mine} == {group["id"], other["id"]}
    members = api.get(f"/directory/user-groups/{group['id']}/users").json()["items"]
    assert [u["id"] for u in members] == [user["id"]]
    in_group = api.get("/directory/users", params={"groupId": group["id"]}).json()["items"]
    assert [u["id"] for u in in_group] == [user["id"]]
    of_user = api.get("/directory/user-groups", params={"userId": user["id"]}).json()["items"]
    assert {g["id"] for g in of_user} == {group["id"], other["id"]}

    _error(api.delete(f"/directory/user-groups/{group['id']}"), 409)  # not empty
    removed = api.delete(
        f"/directory/users/{user['id']}/groups", params={"ids": f"{group['id']},missing"}
    ).json()
    assert removed == {
        "removedFromGroups": [{"id": group["id"]}],
        "errors": {"groupsNotFound": ["missing"]},
    }
    assert api.post(
        f"/directory/user-groups/{group['id']}/users", json={"ids": [user["id"]]}
    ).json() == {"addedUsers": [{"id": user["id"]}]}
    gone = api.delete(f"/directory/user-groups/{group['id']}/users", params={"ids": user["id"]})
    assert gone.json() == {"removedUsers": [{"id": user["id"]}], "errors": {"usersNotFound": []}}
    assert api.delete(f"/directory/users/{user['id']}/groups/{other['id']}").json() == {
        "removed": True
    }
    assert api.get(f"/directory/user-groups/{other['id']}").json()["users"]["total"] == 0
    assert (
        api.post(
            f"/directory/user-groups/{other['id']}/users", json={"ids": [user["id"]]}
        ).status_code
        == 201
    )
    assert api.delete(f"/directory/user-groups/{other['id']}/users/{user['id']}").json() == {
        "removed": True
    }

    renamed = api.patch(f"/directory/user-groups/{group['id']}", json={"name": "Auditors EU"})
    assert renamed.json()["name"] == "Auditors EU"
    assert api.delete(f"/directory/user-groups/{group['id']}").json() == {"deleted": True}
    _error(api.get(f"/directory/user-groups/{group['id']}"), 404)
    _error(api.get("/directory/users/nope/groups"), 404)
    _error(api.get("/directory/user-groups/nope/users"), 404)


def test_groups_paging_and_synced_groups(api: httpx.Client) -> None:
    body = api.get("/directory/user-groups", params={"pageSize": 4, "pageTotal": "true"}).json()
    assert body["pages"]["items"] == 6
    assert body["pages"]["total"] == 2
    group = body["items"][0]
    assert {
        "id",
        "name",
        "description",
        "domain",
        "source",
        "users",
        "tenant",
        "createdAt",
        "updatedAt",
    } <= set(group)
    synced = api.get("/directory/user-groups", params={"sourceType": "activeDirectory"}).json()[
        "items"
    ]
    assert len(synced) == 2
    _error(api.patch(f"/directory/user-groups/{synced[0]['id']}", json={"name": "x"}), 409)
    _error(api.delete(f"/directory/user-groups/{synced[0]['id']}"), 409)
    names = [
        g["name"]
        for g in api.get("/directory/user-groups", params={"sort": "name:desc"}).json()["items"]
    ]
    assert names == sorted(names, key=str.lower, reverse=True)


def test_admin_user_cannot_be_deleted(api: httpx.Client) -> None:
    admin = _admins(api)[0]
    _error(api.delete(f"/directory/users/{admin['users'][0]['id']}"), 409)


def test_alert_people_are_directory_users(api: httpx.Client) -> None:
    users = {u["id"] for u in api.get("/directory/users", params={"pageSize": 100}).json()["items"]}
    assert {a["person"]["id"] for a in _all_alerts(api)} <= users
