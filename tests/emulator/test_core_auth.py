"""Core emulator: the token endpoint, whoami, tenant lists and the security rules, over HTTP."""

from __future__ import annotations

import time

import httpx
import pytest

from pysophoscentralapi.emulator import DEMO_CREDENTIALS, EmulatorConfig, run_emulator
from tests.emulator.core_helpers import Api, assert_api_error, token_request


@pytest.fixture(scope="module")
def emu():
    with run_emulator(EmulatorConfig(endpoints=30, endpoints_per_tenant=5)) as running:
        yield running


# --- token endpoint -----------------------------------------------------------------------------


def test_token_success_shape(emu):
    response = token_request(emu)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "access_token", "errorCode", "expires_in", "message", "refresh_token", "token_type",
        "trackingId",
    }  # fmt: skip
    assert body["errorCode"] == "success"
    assert body["message"] == "OK"
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 3600


@pytest.mark.parametrize(
    ("fields", "status", "code"),
    [
        ({"client_secret": "wrong"}, 401, "oauth.invalid_client_secret"),
        ({"client_id": "nobody", "client_secret": "x"}, 401, "oauth.invalid_client_id"),
        ({"grant_type": "password"}, 400, "oauth.unsupported_grant_type"),
        ({"client_secret": None}, 400, "oauth.invalid_request"),
    ],
)
def test_token_failure_shapes(emu, fields, status, code):
    response = token_request(emu, **fields)
    assert response.status_code == status
    body = response.json()
    assert body["errorCode"] == code
    assert body["message"] == ("Unauthorized" if status == 401 else "Bad Request")
    assert "trackingId" in body
    assert "access_token" not in body


def test_refresh_token_grant_is_single_use(emu):
    refresh = token_request(emu).json()["refresh_token"]
    first = token_request(emu, grant_type="refresh_token", refresh_token=refresh)
    assert first.status_code == 200
    again = token_request(emu, grant_type="refresh_token", refresh_token=refresh)
    assert again.status_code == 401


def test_demo_credentials_are_fixed_and_obviously_fake():
    assert {kind: c.client_id for kind, c in DEMO_CREDENTIALS.items()} == {
        "tenant": "emulator-tenant",
        "partner": "emulator-partner",
        "organization": "emulator-organization",
    }
    assert all(c.client_secret.startswith("emulator-") for c in DEMO_CREDENTIALS.values())


# --- whoami -------------------------------------------------------------------------------------


def test_whoami_tenant_points_at_its_region_under_this_server(emu):
    api = Api(emu, "tenant")
    tenant = emu.state.demo_tenant
    assert api.whoami == {
        "id": tenant.id,
        "idType": "tenant",
        "apiHosts": {"global": emu.url, "dataRegion": f"{emu.url}/region/{tenant.region}"},
    }


@pytest.mark.parametrize("kind", ["partner", "organization"])
def test_whoami_partner_and_organization_have_only_the_global_host(emu, kind):
    api = Api(emu, kind)
    assert api.whoami["idType"] == kind
    assert api.whoami["apiHosts"] == {"global": emu.url}
    assert api.whoami["id"] == emu.state.principals[kind].id


# --- tenant lists -------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "prefix", "header"), [
    ("partner", "/partner/v1", "X-Partner-ID"),
    ("organization", "/organization/v1", "X-Organization-ID"),
])  # fmt: skip
def test_tenant_list_pages_by_number(emu, kind, prefix, header):
    api = Api(emu, kind)
    headers = {**api.auth, header: api.whoami["id"]}
    first = api.client.get(
        f"{emu.url}{prefix}/tenants", params={"pageSize": 2, "pageTotal": "true"}, headers=headers
    ).json()
    assert first["pages"]["total"] == 3
    assert first["pages"]["current"] == 1
    tenants = list(first["items"])
    for page in (2, 3):
        body = api.client.get(
            f"{emu.url}{prefix}/tenants", params={"pageSize": 2, "page": page}, headers=headers
        ).json()
        tenants.extend(body["items"])
    assert len(tenants) == 5
    assert len({t["id"] for t in tenants}) == 5
    assert len({t["name"] for t in tenants}) == 5
    active = [t for t in tenants if t["status"] == "active"]
    assert {t["dataRegion"] for t in active} == {"eu01", "us01"}
    assert all(t["apiHost"] == f"{emu.url}/region/{t['dataRegion']}" for t in active)
    inactive = [t for t in tenants if t["status"] != "active"]
    assert len(inactive) == 1
    assert "apiHost" not in inactive[0]
    assert tenants[0][kind]["id"] == api.whoami["id"]

    one = api.client.get(f"{emu.url}{prefix}/tenants/{tenants[1]['id']}", headers=headers)
    assert one.json() == tenants[1]
    missing = api.client.get(
        f"{emu.url}{prefix}/tenants/{'0' * 8}-0000-4000-8000-{'0' * 12}", headers=headers
    )
    assert_api_error(missing, 404, "notFound")


def test_duplicate_tenant_name_option():
    with run_emulator(EmulatorConfig(duplicate_tenant_name=True, endpoints=1)) as emu:
        names = [t.name for t in emu.state.tenants]
    assert len(names) == 5
    assert len(set(names)) == 4


# --- security -----------------------------------------------------------------------------------


def test_missing_bad_expired_and_revoked_tokens_are_401(emu):
    api = Api(emu, "tenant")
    endpoints = f"{api.whoami['apiHosts']['dataRegion']}/endpoint/v1/endpoints"
    tenant = {"X-Tenant-ID": api.whoami["id"]}
    assert_api_error(httpx.get(endpoints, headers=tenant), 401, "notAuthorized")
    bad = {**tenant, "Authorization": "Bearer not-a-token"}
    assert_api_error(httpx.get(endpoints, headers=bad), 401, "notAuthorized")
    assert_api_error(httpx.get(f"{emu.url}/whoami/v1"), 401, "notAuthorized")

    assert api.get("/endpoint/v1/endpoints").status_code == 200
    emu.state.expire_tokens()
    assert_api_error(api.get("/endpoint/v1/endpoints"), 401, "notAuthorized")
    api = Api(emu, "tenant")
    emu.state.revoke_tokens()
    assert_api_error(api.get("/endpoint/v1/endpoints"), 401, "notAuthorized")


def test_token_ttl_is_configurable_and_enforced():
    with run_emulator(EmulatorConfig(token_ttl=1, endpoints=1)) as emu:
        assert token_request(emu).json()["expires_in"] == 1
        api = Api(emu)
        assert api.get("/endpoint/v1/endpoints").status_code == 200
        time.sleep(1.05)
        assert_api_error(api.get("/endpoint/v1/endpoints"), 401, "notAuthorized")
        emu.state.token_ttl = 60  # changeable at run time; applies to new tokens
        assert token_request(emu).json()["expires_in"] == 60


def test_tenant_token_data_region_rules(emu):
    api = Api(emu, "tenant")
    own = emu.state.demo_tenant
    other = emu.state.tenants[1]
    assert other.region != own.region
    missing = api.get("/endpoint/v1/endpoints", headers={"X-Tenant-ID": ""})
    assert "X-Tenant-ID" in assert_api_error(missing, 400, "badRequest")["message"]
    assert_api_error(api.get("/endpoint/v1/endpoints", headers={"X-Tenant-ID": other.id}), 403)
    wrong_region = api.client.get(
        f"{emu.url}/region/{other.region}/endpoint/v1/endpoints",
        headers={**api.auth, "X-Tenant-ID": own.id},
    )
    assert_api_error(wrong_region, 403, "forbidden")
    # A client that ignores apiHost and calls the global host fails.
    ignoring = api.client.get(
        f"{emu.url}/endpoint/v1/endpoints", headers={**api.auth, "X-Tenant-ID": own.id}
    )
    assert_api_error(ignoring, 404)
    unknown_region = api.client.get(
        f"{emu.url}/region/xx99/endpoint/v1/endpoints", headers={**api.auth, "X-Tenant-ID": own.id}
    )
    assert_api_error(unknown_region, 404)
    upper = api.get("/endpoint/v1/endpoints", headers={"X-Tenant-ID": own.id.upper()})
    assert upper.status_code == 200


@pytest.mark.parametrize("kind", ["partner", "organization"])
def test_partner_and_organization_reach_their_tenants_at_the_tenant_region(emu, kind):
    api = Api(emu, kind)
    tenants = emu.state.tenants
    normal, denied, inactive = tenants[1], tenants[-2], tenants[-1]
    assert api.get("/endpoint/v1/endpoints", tenant=normal).status_code == 200
    assert api.get("/common/v1/alerts", tenant=normal).status_code == 200
    body = assert_api_error(api.get("/endpoint/v1/endpoints", tenant=denied), 403, "forbidden")
    assert "not allowed" in body["message"]
    inactive_call = api.client.get(
        f"{emu.url}/region/eu01/endpoint/v1/endpoints",
        headers={**api.auth, "X-Tenant-ID": inactive.id},
    )
    assert_api_error(inactive_call, 403)
    wrong_region = api.client.get(
        f"{emu.url}/region/{tenants[0].region}/endpoint/v1/endpoints",
        headers={**api.auth, "X-Tenant-ID": normal.id},
    )
    assert_api_error(wrong_region, 403)
    unknown = api.get(
        "/endpoint/v1/endpoints",
        tenant=normal,
        headers={"X-Tenant-ID": "6a1c0e0e-1f7a-4d1e-9d1e-3a9b1c2d3e4f"},
    )
    assert_api_error(unknown, 403)


def test_partner_and_organization_apis_need_matching_credentials_and_header(emu):
    partner, organization, tenant = (
        Api(emu, "partner"),
        Api(emu, "organization"),
        Api(emu, "tenant"),
    )
    url = f"{emu.url}/partner/v1/tenants"
    own = {**partner.auth, "X-Partner-ID": partner.whoami["id"]}
    assert partner.client.get(url, headers=own).status_code == 200
    assert_api_error(partner.client.get(url, headers=partner.auth), 400)
    wrong = {**partner.auth, "X-Partner-ID": organization.whoami["id"]}
    assert_api_error(partner.client.get(url, headers=wrong), 403)
    as_org = {**organization.auth, "X-Partner-ID": organization.whoami["id"]}
    assert_api_error(organization.client.get(url, headers=as_org), 403)
    as_tenant = {**tenant.auth, "X-Organization-ID": tenant.whoami["id"]}
    assert_api_error(
        tenant.client.get(f"{emu.url}/organization/v1/tenants", headers=as_tenant), 403
    )
    assert_api_error(partner.client.get(url, headers={"X-Partner-ID": partner.whoami["id"]}), 401)


def test_request_state_exposes_tenant_and_principal_to_common_routes(emu):
    # The Common module relies on request.state.tenant; alerts link to real endpoints.
    api = Api(emu)
    alerts = api.get("/common/v1/alerts", params={"pageSize": 100}).json()["items"]
    endpoint_ids = {e["id"] for e in api.all_endpoints()}
    linked = {a["managedAgent"]["id"] for a in alerts if "managedAgent" in a}
    assert linked
    assert linked <= endpoint_ids
