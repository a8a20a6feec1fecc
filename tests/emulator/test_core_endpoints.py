"""Core emulator: the Endpoint API's endpoints, isolation, tamper protection and actions."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from pysophoscentralapi.emulator import EmulatorConfig, run_emulator
from tests.emulator.core_helpers import Api, assert_api_error

LIST = "/endpoint/v1/endpoints"


@pytest.fixture
def api():
    with run_emulator(EmulatorConfig(endpoints=120, seed=3)) as emu, Api(emu) as client:
        yield client


def _ago(iso_text: str) -> timedelta:
    return datetime.now(UTC) - datetime.fromisoformat(iso_text)


# --- listing and paging ---------------------------------------------------------------------------


def test_paging_follows_url_encoded_keys_to_every_endpoint(api):
    first = api.get(LIST).json()
    assert first["pages"]["size"] == 50
    assert first["pages"]["maxSize"] == 500
    assert len(first["items"]) == 50
    key = api.get(LIST, params={"pageSize": 3}).json()["pages"]["nextKey"]
    everything = api.all_endpoints(pageSize=7)
    assert len(everything) == 120
    assert len({e["id"] for e in everything}) == 120
    assert {e["tenant"]["id"] for e in everything} == {api.whoami["id"]}
    # The key is opaque and needs URL-encoding: sent raw, "+" arrives as a space.
    raw = api.client.get(
        f"{api.whoami['apiHosts']['dataRegion']}{LIST}?pageFromKey={key}",
        headers={**api.auth, "X-Tenant-ID": api.whoami["id"]},
    )
    assert "+" in key
    assert_api_error(raw, 400, "badRequest")
    last = api.get(
        LIST,
        params={
            "pageSize": 100,
            "pageFromKey": api.get(LIST, params={"pageSize": 100}).json()["pages"]["nextKey"],
        },
    ).json()
    assert len(last["items"]) == 20
    assert "nextKey" not in last["pages"]


def test_page_total_counts_matching_endpoints(api):
    body = api.get(LIST, params={"pageSize": 50, "pageTotal": "true"}).json()
    assert body["pages"]["items"] == 120
    assert body["pages"]["total"] == 3


@pytest.mark.parametrize("size", ["501", "0", "ten"])
def test_bad_page_size_is_400(api, size):
    assert_api_error(api.get(LIST, params={"pageSize": size}), 400, "badRequest")


@pytest.mark.parametrize(
    ("param", "value", "valid"),
    [
        ("healthStatus", "great", "bad, good, suspicious, unknown"),
        ("type", "laptop", "computer"),
        ("isolationStatus", "quarantined", "isolated"),
        ("lockdownStatus", "frozen", "locked"),
        ("view", "everything", "basic"),
        ("searchFields", "hostname,color", "osName"),
    ],
)
def test_bad_enum_values_are_400_naming_the_valid_ones(api, param, value, valid):
    params = {param: value, **({"search": "x"} if param == "searchFields" else {})}
    body = assert_api_error(api.get(LIST, params=params), 400, "badRequest")
    assert param in body["message"]
    assert valid in body["message"]


def test_seeded_data_is_realistic_and_varied(api):
    endpoints = api.all_endpoints(view="full")
    health = [e["health"]["overall"] for e in endpoints]
    assert health.count("good") > len(health) / 2
    assert {"bad", "good"} <= set(health)
    assert {e["os"]["platform"] for e in endpoints} == {"windows", "linux", "macOS"}
    assert {e["type"] for e in endpoints} == {"computer", "server"}
    hostnames = [e["hostname"] for e in endpoints]
    assert len(set(hostnames)) == len(hostnames)
    assert all(re.fullmatch(r"(WS|MAC|LX)-ACME-\d{4}|SRV-[A-Z]+-\d{2,}", h) for h in hostnames)
    ages = [_ago(e["lastSeenAt"]) for e in endpoints]
    assert max(ages) > timedelta(days=30)
    assert min(ages) < timedelta(hours=1)
    assert max(ages) < timedelta(days=152)  # the stale ones: one to five months
    assert any(e["isolation"]["status"] == "isolated" for e in endpoints) or any(
        e["health"]["overall"] == "bad" for e in endpoints
    )
    assert any("group" not in e for e in endpoints)
    assert all(
        re.fullmatch(r"([0-9A-F]{2}:){5}[0-9A-F]{2}", e["macAddresses"][0]) for e in endpoints
    )
    assert {p["code"] for e in endpoints for p in e["assignedProducts"]} >= {
        "coreAgent",
        "interceptX",
    }


def test_same_seed_same_data():
    with (
        run_emulator(EmulatorConfig(endpoints=20, seed=9)) as one,
        run_emulator(EmulatorConfig(endpoints=20, seed=9)) as two,
    ):
        first = Api(one).all_endpoints(view="basic")
        second = Api(two).all_endpoints(view="basic")
    assert first == second


def test_filters(api):
    everything = api.all_endpoints(view="full")
    by_id = {e["id"]: e for e in everything}

    bad = api.all_endpoints(healthStatus="bad,suspicious")
    assert bad
    assert {e["health"]["overall"] for e in bad} <= {"bad", "suspicious"}
    assert len(bad) == sum(e["health"]["overall"] in ("bad", "suspicious") for e in everything)

    servers = api.all_endpoints(type="server")
    assert servers
    assert all(e["type"] == "server" and e["os"]["isServer"] for e in servers)

    online = api.all_endpoints(online="true")
    assert all(by_id[e["id"]]["online"] for e in online)
    assert 0 < len(online) < 120

    tp_off = api.all_endpoints(tamperProtectionEnabled="false")
    assert tp_off
    assert all(not e["tamperProtectionEnabled"] for e in tp_off)

    host = everything[5]["hostname"]
    found = api.all_endpoints(hostnameContains=host.lower())
    assert host in [e["hostname"] for e in found]
    assert all(host.lower() in e["hostname"].lower() for e in found)

    wanted = [everything[3]["id"], everything[77]["id"].upper()]
    assert [e["id"] for e in api.all_endpoints(ids=",".join(wanted))] == [
        everything[3]["id"], everything[77]["id"],
    ]  # fmt: skip
    assert_api_error(api.get(LIST, params={"ids": "not-a-uuid"}), 400)

    target = everything[10]
    assert [e["id"] for e in api.all_endpoints(ipAddresses=target["ipv4Addresses"][0])] == [
        target["id"]
    ]
    mac = target["macAddresses"][0].lower().replace(":", "-")
    assert target["id"] in [e["id"] for e in api.all_endpoints(macAddresses=mac)]

    searched = api.all_endpoints(search="srv-", searchFields="hostname")
    assert searched
    assert all(e["hostname"].startswith("SRV-") for e in searched)
    assert len(searched) == len(servers)


@pytest.mark.parametrize(
    ("params", "limit"),
    [
        ({"lastSeenBefore": "-P30D"}, ("before", timedelta(days=30))),
        ({"lastSeenBefore": "P30D"}, ("before", timedelta(days=30))),
        ({"lastSeenAfter": "-P7D"}, ("after", timedelta(days=7))),
        ({"lastSeenAfter": "PT4H"}, ("after", timedelta(hours=4))),
        ({"lastSeenAfter": "-P1DT12H"}, ("after", timedelta(hours=36))),
    ],
)
def test_last_seen_filters_accept_durations(api, params, limit):
    side, delta = limit
    matched = api.all_endpoints(**params)
    rest = {e["id"] for e in api.all_endpoints()} - {e["id"] for e in matched}
    assert matched
    assert rest
    for endpoint in matched:
        age = _ago(endpoint["lastSeenAt"])
        assert (
            age >= delta - timedelta(seconds=5)
            if side == "before"
            else age <= delta + timedelta(seconds=5)
        )


def test_last_seen_filters_accept_datetimes_and_split_the_fleet(api):
    cut = (datetime.now(UTC) - timedelta(days=10)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    before = api.all_endpoints(lastSeenBefore=cut)
    after = api.all_endpoints(lastSeenAfter=cut)
    assert before
    assert after
    assert len(before) + len(after) == 120
    assert_api_error(api.get(LIST, params={"lastSeenBefore": "last tuesday"}), 400, "badRequest")


def test_views_fields_and_sort(api):
    basic = api.get(LIST, params={"view": "basic", "pageSize": 3}).json()["items"]
    assert all(set(e) == {"id", "type", "tenant", "hostname"} for e in basic)
    summary = api.get(LIST, params={"pageSize": 50}).json()["items"]
    full = api.get(LIST, params={"view": "full", "pageSize": 50}).json()["items"]
    assert "health" in summary[0]
    assert any("lastAgentUpdateAt" in e for e in full)
    assert not any("lastAgentUpdateAt" in e for e in summary)
    partial = api.get(LIST, params={"fields": "hostname,health.overall", "pageSize": 3}).json()
    assert all(set(e) == {"id", "hostname", "health"} for e in partial["items"])
    names = [e["hostname"] for e in api.all_endpoints(sort="hostname:desc", pageSize=40)]
    assert names == sorted(names, key=str.lower, reverse=True)
    assert_api_error(api.get(LIST, params={"sort": "colour:asc"}), 400)


def test_get_and_delete_endpoint(api):
    endpoint = api.all_endpoints()[0]
    path = f"{LIST}/{endpoint['id']}"
    got = api.get(path, params={"view": "full"}).json()
    assert got["id"] == endpoint["id"]
    assert got["hostname"] == endpoint["hostname"]
    assert api.tenant_call("DELETE", path).json() == {"deleted": True}
    assert_api_error(api.get(path), 404, "notFound")
    assert_api_error(api.tenant_call("DELETE", path), 404)
    assert len(api.all_endpoints()) == 119

    ids = [e["id"] for e in api.all_endpoints()[:2]]
    bulk = api.post(f"{LIST}/delete", json={"endpointIds": [*ids, endpoint["id"]]})
    assert bulk.status_code == 200
    assert bulk.json() == {"endpointIds": ids}
    assert len(api.all_endpoints()) == 117


@pytest.mark.parametrize("action", ["scans", "update-checks"])
def test_scan_and_update_check_requests(api, action):
    endpoint_id = api.all_endpoints()[0]["id"]
    response = api.post(f"{LIST}/{endpoint_id}/{action}", json={})
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "status", "requestedAt"}
    assert body["status"] == "requested"
    unknown = f"{LIST}/6a1c0e0e-1f7a-4d1e-9d1e-3a9b1c2d3e4f/{action}"
    assert_api_error(api.post(unknown, json={}), 404)


# --- isolation ------------------------------------------------------------------------------------


def test_isolation_round_trip(api):
    targets = [e for e in api.all_endpoints() if e["isolation"]["status"] == "notIsolated"][:2]
    ids = [e["id"] for e in targets]
    response = api.post(
        f"{LIST}/isolation", json={"enabled": True, "comment": "Ransomware suspected", "ids": ids}
    )
    assert response.status_code == 202
    items = response.json()["items"]
    assert [i["id"] for i in items] == ids
    assert all(i["isolation"]["enabled"] for i in items)

    endpoint = api.get(f"{LIST}/{ids[0]}").json()
    assert endpoint["isolation"] == {
        "status": "isolated",
        "adminIsolated": True,
        "selfIsolated": False,
    }
    record = api.get(f"{LIST}/{ids[0]}/isolation").json()
    assert record["enabled"] is True
    assert record["comment"] == "Ransomware suspected"
    assert record["lastEnabledBy"]["accountType"] == "tenant"
    isolated = {e["id"] for e in api.all_endpoints(isolationStatus="isolated")}
    assert set(ids) <= isolated

    patched = api.tenant_call("PATCH", f"{LIST}/{ids[0]}/isolation", json={"enabled": False})
    assert patched.status_code == 200
    assert patched.json()["enabled"] is False
    assert "lastDisabledAt" in patched.json()
    assert api.get(f"{LIST}/{ids[0]}").json()["isolation"]["status"] == "notIsolated"
    assert ids[0] not in {e["id"] for e in api.all_endpoints(isolationStatus="isolated")}


def test_isolation_errors(api):
    unknown = "6a1c0e0e-1f7a-4d1e-9d1e-3a9b1c2d3e4f"
    body = assert_api_error(
        api.post(f"{LIST}/isolation", json={"enabled": True, "ids": [unknown]}), 404
    )
    assert body["message"] == "No endpoints found."
    too_many = {"enabled": True, "ids": [unknown] * 1001}
    assert_api_error(api.post(f"{LIST}/isolation", json=too_many), 400)
    assert_api_error(api.post(f"{LIST}/isolation", json={"ids": [unknown]}), 400)
    assert_api_error(api.post(f"{LIST}/isolation", content=b"[1,2"), 400)


# --- tamper protection ----------------------------------------------------------------------------


def test_tamper_protection_regenerate_keeps_previous_password(api):
    endpoint = next(e for e in api.all_endpoints(view="full") if e["tamperProtectionSupported"])
    path = f"{LIST}/{endpoint['id']}/tamper-protection"
    before = api.get(path).json()
    assert re.fullmatch(r"\d{12}", before["password"])
    assert before["previousPasswords"] == []
    assert before["enabled"] == endpoint["tamperProtectionEnabled"]

    response = api.post(path, json={"regeneratePassword": True})
    assert response.status_code == 201
    after = response.json()
    assert re.fullmatch(r"\d{12}", after["password"])
    assert after["password"] != before["password"]
    assert [p["password"] for p in after["previousPasswords"]] == [before["password"]]
    assert "invalidatedAt" in after["previousPasswords"][0]
    assert api.get(path).json() == after

    off = api.post(path, json={"enabled": False}).json()
    assert off["enabled"] is False
    assert api.get(f"{LIST}/{endpoint['id']}").json()["tamperProtectionEnabled"] is False
    assert endpoint["id"] in {e["id"] for e in api.all_endpoints(tamperProtectionEnabled="false")}


def test_tamper_protection_needs_the_global_setting(api):
    assert api.get("/endpoint/v1/settings/tamper-protection").json() == {"enabled": True}
    endpoint = next(e for e in api.all_endpoints(view="full") if e["tamperProtectionSupported"])
    path = f"{LIST}/{endpoint['id']}/tamper-protection"
    api.emu.state.demo_tenant.global_tamper_protection = False
    assert api.get("/endpoint/v1/settings/tamper-protection").json() == {"enabled": False}
    body = assert_api_error(api.post(path, json={"enabled": True}), 400)
    assert "globally" in body["message"]
    assert_api_error(api.post(path, json={}), 400)
