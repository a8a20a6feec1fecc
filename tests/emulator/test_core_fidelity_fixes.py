"""Core emulator: the fidelity gaps closed against the Postman collection, over real HTTP.

Endpoint ``view=full`` fields (``cloned``, ``ipv6Addresses``, ``serialNumber``), an integer
``os.build``, ``originPerson`` with a name, the collection's scanning exclusion types, the web
categories list and creating a tenant through the Partner API.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pysophoscentralapi.emulator import EmulatorConfig, run_emulator
from tests.emulator.core_helpers import Api, assert_api_error, fresh_api

ENDPOINTS = "/endpoint/v1/endpoints"
ALLOWED = "/endpoint/v1/settings/allowed-items"
BLOCKED = "/endpoint/v1/settings/blocked-items"
SCANNING = "/endpoint/v1/settings/exclusions/scanning"
CATEGORIES = "/endpoint/v1/settings/web-control/categories"
SITES = "/endpoint/v1/settings/web-control/local-sites"
USERS = "/common/v1/directory/users"
SHA = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

NEW_TENANT: dict[str, Any] = {
    "showAs": "Nakatomi",
    "name": "Nakatomi Trading Corp",
    "dataGeography": "DE",
    "billingType": "trial",
    "contact": {
        "firstName": "Holly",
        "lastName": "Gennero",
        "email": "holly@nakatomi.example",
        "phone": "+49 30 0000000",
        "address": {
            "address1": "1 Century Plaza",
            "city": "Berlin",
            "countryCode": "DE",
            "postalCode": "10115",
        },
    },
}


@pytest.fixture(scope="module")
def running():
    with run_emulator(EmulatorConfig(seed=11, endpoints=120, endpoints_per_tenant=5)) as emu:
        yield emu


@pytest.fixture
def partner(running):
    yield from fresh_api(running, "partner")


def _partner_call(partner: Api, method: str, path: str, **kwargs: Any):
    headers = {**partner.auth, "X-Partner-ID": partner.whoami["id"]}
    return partner.client.request(method, f"{partner.emu.url}{path}", headers=headers, **kwargs)


# --- endpoints ------------------------------------------------------------------------------------


def test_full_view_has_cloned_ipv6_and_serial_number_on_every_endpoint(api):
    endpoints = api.all_endpoints(view="full")
    assert len(endpoints) == 120
    for endpoint in endpoints:
        assert isinstance(endpoint["cloned"], bool)
        assert isinstance(endpoint["ipv6Addresses"], list)
        assert isinstance(endpoint["serialNumber"], str)
        assert endpoint["serialNumber"]
    # Realistic variety: most machines have no IPv6 address, some do; few are clones.
    with_ipv6 = sum(1 for e in endpoints if e["ipv6Addresses"])
    assert 0 < with_ipv6 < len(endpoints) // 2
    assert sum(1 for e in endpoints if e["cloned"]) < len(endpoints) // 5
    assert len({e["serialNumber"] for e in endpoints}) == len(endpoints)

    one = endpoints[0]
    single = api.get(f"{ENDPOINTS}/{one['id']}", params={"view": "full"}).json()
    assert single == one


def test_summary_view_leaves_the_full_only_fields_out(api):
    for endpoint in api.all_endpoints():
        assert not {"cloned", "ipv6Addresses", "serialNumber"} & endpoint.keys()


def test_os_build_is_an_integer_and_only_where_it_is_one(api):
    endpoints = api.all_endpoints(view="full")
    builds = [e["os"]["build"] for e in endpoints if "build" in e["os"]]
    assert builds, "some Windows endpoints carry a build"
    assert all(type(build) is int for build in builds)
    for endpoint in endpoints:
        if endpoint["os"]["platform"] == "windows":
            assert type(endpoint["os"]["build"]) is int
        else:
            assert "build" not in endpoint["os"]


def test_seeded_data_is_deterministic_from_the_seed(api):
    first = api.all_endpoints(view="full")
    with run_emulator(EmulatorConfig(seed=11, endpoints=120, endpoints_per_tenant=5)) as other:
        again = Api(other)
        try:
            second = again.all_endpoints(view="full")
        finally:
            again.close()
    strip = ("lastSeenAt", "lastOsUpdateAt", "lastAgentUpdateAt")  # anchored to the start time
    assert [{k: v for k, v in e.items() if k not in strip} for e in first] == [
        {k: v for k, v in e.items() if k not in strip} for e in second
    ]


# --- allowed / blocked items: originPerson{id, name} ----------------------------------------------


def _new_item(api: Api, url: str, sha: str, **origin: str) -> dict[str, Any]:
    body = {"type": "sha256", "properties": {"fileName": "tool.exe", "sha256": sha}, **origin}
    response = api.post(url, json=body)
    assert response.status_code == 201, response.text
    item: dict[str, Any] = response.json()
    return item


def test_origin_person_named_after_the_tenants_directory_user(api):
    user = api.get(USERS, params={"pageSize": 1}).json()["items"][0]
    item = _new_item(api, ALLOWED, SHA, originPersonId=user["id"])
    assert item["originPerson"] == {"id": user["id"], "name": user["name"]}
    assert api.get(f"{ALLOWED}/{item['id']}").json()["originPerson"]["name"] == user["name"]
    patched = api.tenant_call("PATCH", f"{ALLOWED}/{item['id']}", json={"comment": "checked"})
    assert patched.json()["originPerson"] == item["originPerson"]


def test_origin_person_named_after_the_origin_endpoints_user(api):
    endpoint = next(e for e in api.all_endpoints() if "associatedPerson" in e)
    person = endpoint["associatedPerson"]
    item = _new_item(
        api, BLOCKED, SHA, originPersonId=person["id"], originEndpointId=endpoint["id"]
    )
    assert item["originPerson"] == {"id": person["id"], "name": person["name"]}
    assert item["originEndpoint"] == {"id": endpoint["id"]}


def test_unknown_origin_person_gets_a_stable_generated_name(api):
    person_id = "5d4f1c36-2c5f-4b0e-9d7a-2f1b8e6c9a10"
    first = _new_item(api, ALLOWED, SHA, originPersonId=person_id)
    second = _new_item(api, BLOCKED, SHA, originPersonId=person_id)
    name = first["originPerson"]["name"]
    assert isinstance(name, str)
    assert len(name.split()) == 2
    assert second["originPerson"] == {"id": person_id, "name": name}
    assert api.get(f"{BLOCKED}/{second['id']}").json()["originPerson"]["name"] == name


def test_no_origin_person_without_an_origin_person_id(api):
    item = _new_item(api, ALLOWED, SHA)
    assert "originPerson" not in item
    assert "originEndpoint" not in item


# --- scanning exclusion types ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("exclusion_type", "value", "mode"),
    [
        ("journalHashingPath", "C:\\Data\\Journal\\", "onDemandAndOnAccess"),
        ("journalHashingProcess", "C:\\Tools\\backup.exe", "onAccess"),
        ("posixPath", "/srv/cache/", "onDemandAndOnAccess"),
        ("amsi", "C:\\Scripts\\deploy.ps1", "onAccess"),
    ],
)
def test_collection_exclusion_types_accepted_with_default_scan_modes(
    api, exclusion_type, value, mode
):
    response = api.post(SCANNING, json={"type": exclusion_type, "value": value})
    assert response.status_code == 201, response.text
    created = response.json()
    assert (created["type"], created["scanMode"]) == (exclusion_type, mode)
    assert created["description"]
    listed = api.get(SCANNING, params={"type": exclusion_type}).json()["items"]
    assert created["id"] in [item["id"] for item in listed]
    assert {item["type"] for item in listed} == {exclusion_type}


def test_journal_hashing_exclusion_takes_a_scan_mode(api):
    body = {"type": "journalHashingProcess", "value": "svc.exe", "scanMode": "onDemand"}
    created = api.post(SCANNING, json=body).json()
    assert created["scanMode"] == "onDemand"


@pytest.mark.parametrize("exclusion_type", ["exploitMitigation", "behavioral"])
def test_exploit_and_behavioral_exclusions_have_no_scan_mode(api, exclusion_type):
    created = api.post(SCANNING, json={"type": exclusion_type, "value": "x"}).json()
    assert created["type"] == exclusion_type
    assert "scanMode" not in created
    body = {"type": exclusion_type, "value": "x", "scanMode": "onAccess"}
    assert_api_error(api.post(SCANNING, json=body), 400, "badRequest")


def test_detected_exploit_is_not_an_exclusion_type(api):
    body = api.post(SCANNING, json={"type": "detectedExploit", "value": "x"})
    error = assert_api_error(body, 400, "badRequest")
    assert "exploitMitigation" in error["message"]
    assert "journalHashingPath" in error["message"]
    assert_api_error(api.get(SCANNING, params={"type": "detectedExploit"}), 400)


# --- web-control categories -----------------------------------------------------------------------


def test_web_categories_are_a_bare_array_of_id_name_label(api):
    response = api.get(CATEGORIES)
    assert response.status_code == 200
    categories = response.json()
    assert isinstance(categories, list)
    assert len(categories) > 40
    for category in categories:
        assert set(category) == {"id", "name", "label"}
        assert type(category["id"]) is int
        assert category["name"]
        assert category["label"]
    ids = [c["id"] for c in categories]
    assert ids == sorted(set(ids))
    names = {c["name"] for c in categories}
    assert {"Gambling", "Business", "Hacking", "Phishing & Fraud"} <= names
    # The seeded local sites point at real categories.
    for site in api.get(SITES).json()["items"]:
        if "categoryId" in site:
            assert site["categoryId"] in ids


def test_web_categories_need_the_usual_tenant_access(api):
    response = api.client.get(f"{api.whoami['apiHosts']['dataRegion']}{CATEGORIES}")
    assert_api_error(response, 401)


# --- create tenant --------------------------------------------------------------------------------


def test_create_tenant_returns_201_and_the_tenant_joins_the_lists(partner):
    response = _partner_call(partner, "POST", "/partner/v1/tenants", json=NEW_TENANT)
    assert response.status_code == 201, response.text
    tenant = response.json()
    assert {
        "id", "showAs", "name", "dataGeography", "dataRegion", "billingType", "partner",
        "organization", "apiHost",
    } <= tenant.keys()  # fmt: skip
    assert (tenant["name"], tenant["showAs"]) == ("Nakatomi Trading Corp", "Nakatomi")
    assert (tenant["dataGeography"], tenant["dataRegion"]) == ("DE", "eu02")
    assert tenant["billingType"] == "trial"
    assert tenant["partner"] == {"id": partner.whoami["id"]}
    assert tenant["apiHost"] == f"{partner.emu.url}/region/eu02"

    listed = _partner_call(partner, "GET", "/partner/v1/tenants", params={"pageSize": 100})
    assert tenant in listed.json()["items"]
    one = _partner_call(partner, "GET", f"/partner/v1/tenants/{tenant['id']}")
    assert one.json() == tenant


def test_created_tenant_is_reachable_at_its_api_host_and_empty(partner, running):
    tenant = _partner_call(partner, "POST", "/partner/v1/tenants", json=NEW_TENANT).json()
    state = running.state.tenant(tenant["id"])
    assert state is not None
    page = partner.tenant_call("GET", ENDPOINTS, tenant=state)
    assert page.status_code == 200, page.text
    assert page.json()["items"] == []
    alerts = partner.tenant_call("GET", "/common/v1/alerts", tenant=state)
    assert alerts.status_code == 200
    assert alerts.json()["items"] == []


def test_show_as_defaults_to_the_name(partner):
    body = {k: v for k, v in NEW_TENANT.items() if k != "showAs"}
    tenant = _partner_call(partner, "POST", "/partner/v1/tenants", json=body).json()
    assert tenant["showAs"] == tenant["name"] == NEW_TENANT["name"]


def _new_tenant_at(path: str) -> tuple[dict[str, Any], dict[str, Any], str]:
    """A copy of NEW_TENANT, the object in it that holds ``path`` (``contact.address.city``) and
    the path's last key."""
    body = copy.deepcopy(NEW_TENANT)
    *parents, last = path.split(".")
    target = body
    for key in parents:
        target = target[key]
    return body, target, last


def _without(path: str) -> dict[str, Any]:
    body, target, last = _new_tenant_at(path)
    del target[last]
    return body


def _with(path: str, value: Any) -> dict[str, Any]:
    body, target, last = _new_tenant_at(path)
    target[last] = value
    return body


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(_without("name"), id="no name"),
        pytest.param(_without("dataGeography"), id="no dataGeography"),
        pytest.param(_without("billingType"), id="no billingType"),
        pytest.param(_without("contact"), id="no contact"),
        pytest.param(_without("contact.email"), id="no contact.email"),
        pytest.param(_without("contact.phone"), id="no contact.phone"),
        pytest.param(_without("contact.address"), id="no contact.address"),
        pytest.param(_without("contact.address.postalCode"), id="no postalCode"),
        pytest.param(_with("name", "  "), id="blank name"),
        pytest.param(_with("dataGeography", "XX"), id="unknown geography"),
        pytest.param(_with("billingType", "term"), id="billingType not trial"),
        pytest.param(_with("contact.email", "not-an-email"), id="bad email"),
        pytest.param(_with("contact.mobile", 12), id="mobile not a string"),
    ],
)
def test_create_tenant_validates_the_body(partner, running, body):
    before = len(running.state.tenants)
    response = _partner_call(partner, "POST", "/partner/v1/tenants", json=body)
    assert_api_error(response, 400, "badRequest")
    assert len(running.state.tenants) == before


def test_only_partners_create_tenants(running, partner):
    for kind, path, header in (
        ("organization", "/organization/v1/tenants", "X-Organization-ID"),
        ("tenant", "/partner/v1/tenants", "X-Partner-ID"),
    ):
        other = Api(running, kind)
        try:
            headers = {**other.auth, header: other.whoami["id"]}
            response = other.client.post(f"{running.url}{path}", headers=headers, json=NEW_TENANT)
            assert response.status_code in (403, 405), response.text
        finally:
            other.close()


def test_created_tenants_are_deterministic_and_forgotten_on_reset(partner, running):
    first = _partner_call(partner, "POST", "/partner/v1/tenants", json=NEW_TENANT).json()
    second = _partner_call(partner, "POST", "/partner/v1/tenants", json=NEW_TENANT).json()
    assert first["id"] != second["id"]
    running.reset()
    assert running.state.tenant(first["id"]) is None
    again = _partner_call(partner, "POST", "/partner/v1/tenants", json=NEW_TENANT).json()
    assert again["id"] == first["id"]
