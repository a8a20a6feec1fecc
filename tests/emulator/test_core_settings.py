"""Core emulator: the Endpoint API's settings lists (allowed/blocked items, local sites, exclusions)."""

from __future__ import annotations

import pytest

from pysophoscentralapi.emulator import EmulatorConfig, run_emulator
from tests.emulator.core_helpers import Api, assert_api_error

SHA = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
ALLOWED = "/endpoint/v1/settings/allowed-items"
BLOCKED = "/endpoint/v1/settings/blocked-items"
SITES = "/endpoint/v1/settings/web-control/local-sites"
SCANNING = "/endpoint/v1/settings/exclusions/scanning"


@pytest.fixture(scope="module")
def running():
    with run_emulator(EmulatorConfig(endpoints=10)) as emu:
        yield emu


def test_allowed_items_add_list_get_patch_delete(api):
    seeded = api.get(ALLOWED).json()
    assert seeded["pages"]["current"] == 1
    assert seeded["pages"]["maxSize"] == 100
    assert {i["type"] for i in seeded["items"]} == {"sha256", "path", "certificateSigner"}

    body = {
        "type": "sha256",
        "properties": {"fileName": "tool.exe", "sha256": SHA},
        "comment": "ok",
    }
    created = api.post(ALLOWED, json=body)
    assert created.status_code == 201
    item = created.json()
    assert item["properties"] == {"fileName": "tool.exe", "sha256": SHA}
    assert item["type"] == "sha256"
    assert {"id", "createdAt", "updatedAt", "createdBy"} <= item.keys()

    listed = api.get(ALLOWED, params={"pageTotal": "true"}).json()
    assert item["id"] in [i["id"] for i in listed["items"]]
    assert listed["pages"]["items"] == len(seeded["items"]) + 1
    assert api.get(f"{ALLOWED}/{item['id']}").json() == item

    patched = api.tenant_call("PATCH", f"{ALLOWED}/{item['id']}", json={"comment": "reviewed"})
    assert patched.json()["comment"] == "reviewed"

    assert api.tenant_call("DELETE", f"{ALLOWED}/{item['id']}").json() == {"deleted": True}
    assert_api_error(api.get(f"{ALLOWED}/{item['id']}"), 404)
    # Deleting again (or anything absent) still answers 200, as the real API does.
    again = api.tenant_call("DELETE", f"{ALLOWED}/{item['id']}")
    assert again.status_code == 200
    assert again.json() == {"deleted": True}


@pytest.mark.parametrize(
    "body",
    [
        {"type": "sha256", "properties": {"sha256": "abc123"}},
        {"type": "sha256", "properties": {"sha256": "z" * 64}},
        {"type": "sha256", "properties": {"path": "C:\\x.exe"}},
        {"type": "hash", "properties": {"sha256": SHA}},
        {"type": "path"},
    ],
)
def test_allowed_item_validation(api, body):
    assert_api_error(api.post(ALLOWED, json=body), 400, "badRequest")


def test_allowed_item_conflict_is_409(api):
    body = {"type": "path", "properties": {"path": "C:\\Tools\\scan.exe"}, "comment": "x"}
    assert api.post(ALLOWED, json=body).status_code == 201
    body["properties"]["path"] = "c:\\tools\\SCAN.exe"
    assert_api_error(api.post(ALLOWED, json=body), 409, "resourceConflict")


def test_allowed_list_pages_by_number_with_limit(api):
    for n in range(4):
        sha = f"{n:064x}"
        api.post(ALLOWED, json={"type": "sha256", "properties": {"sha256": sha}})
    page2 = api.get(ALLOWED, params={"pageSize": 5, "page": 2, "pageTotal": "true"}).json()
    assert page2["pages"] == {"current": 2, "size": 5, "maxSize": 100, "total": 2, "items": 7}
    assert len(page2["items"]) == 2
    assert_api_error(api.get(ALLOWED, params={"pageSize": 101}), 400)


def test_blocked_items(api):
    created = api.post(
        BLOCKED, json={"type": "sha256", "properties": {"sha256": SHA.upper()}, "comment": "bad"}
    )
    assert created.status_code == 201
    assert_api_error(api.post(BLOCKED, json={"type": "sha256", "properties": {"sha256": SHA}}), 409)
    path_body = {"type": "path", "properties": {"path": "C:\\evil.exe"}}
    body = assert_api_error(api.post(BLOCKED, json=path_body), 400)
    assert "sha256" in body["message"]
    item_id = created.json()["id"]
    assert api.get(f"{BLOCKED}/{item_id}").json()["properties"]["sha256"] == SHA.upper()
    assert item_id in [i["id"] for i in api.get(BLOCKED).json()["items"]]
    assert api.tenant_call("DELETE", f"{BLOCKED}/{item_id}").status_code == 200
    assert item_id not in [i["id"] for i in api.get(BLOCKED).json()["items"]]
    assert_api_error(api.tenant_call("PATCH", f"{BLOCKED}/{item_id}", json={"comment": "x"}), 405)


def test_local_sites(api):
    created = api.post(
        SITES, json={"categoryId": 50, "url": "https://www.example.com", "comment": "why"}
    )
    assert created.status_code == 201
    site = created.json()
    assert site == {
        "id": site["id"],
        "categoryId": 50,
        "tags": [],
        "url": "https://www.example.com",
        "comment": "why",
    }
    patched = api.tenant_call("PATCH", f"{SITES}/{site['id']}", json={"tags": ["blocked"]}).json()
    assert patched["tags"] == ["blocked"]
    assert patched["url"] == "https://www.example.com"
    assert_api_error(api.post(SITES, json={"categoryId": 50}), 400)
    assert_api_error(api.post(SITES, json={"url": "x", "categoryId": "fifty"}), 400)
    assert api.tenant_call("DELETE", f"{SITES}/{site['id']}").json() == {"deleted": True}
    assert_api_error(api.get(f"{SITES}/{site['id']}"), 404)


def test_scanning_exclusions(api):
    created = api.post(SCANNING, json={"value": "C:\\Data\\", "type": "path", "comment": "data"})
    assert created.status_code == 201
    exclusion = created.json()
    assert exclusion["scanMode"] == "onDemandAndOnAccess"
    assert exclusion["lockedByManagingAccount"] is False
    web = api.post(SCANNING, json={"value": "cdn.example.com", "type": "web"}).json()
    assert web["scanMode"] == "onAccess"
    behavioral = api.post(SCANNING, json={"value": "x", "type": "behavioral"}).json()
    assert "scanMode" not in behavioral

    paths = api.get(SCANNING, params={"type": "path"}).json()["items"]
    assert paths
    assert {e["type"] for e in paths} == {"path"}
    assert exclusion["id"] in [e["id"] for e in paths]
    body = assert_api_error(api.get(SCANNING, params={"type": "folder"}), 400)
    assert "posixPath" in body["message"]
    assert_api_error(
        api.post(SCANNING, json={"value": "x", "type": "path", "scanMode": "always"}), 400
    )

    patched = api.tenant_call(
        "PATCH", f"{SCANNING}/{exclusion['id']}", json={"scanMode": "onDemand"}
    ).json()
    assert patched["scanMode"] == "onDemand"
    assert patched["value"] == "C:\\Data\\"
    assert api.tenant_call("DELETE", f"{SCANNING}/{exclusion['id']}").status_code == 200
    assert_api_error(api.get(f"{SCANNING}/{exclusion['id']}"), 404)


def test_settings_are_per_tenant_and_reset_restores_seed(running):
    api = Api(running)
    partner = Api(running, "partner")
    other = running.state.tenants[1]
    api.post(ALLOWED, json={"type": "sha256", "properties": {"sha256": SHA}})
    mine = {i["id"] for i in api.get(ALLOWED).json()["items"]}
    theirs = {i["id"] for i in partner.get(ALLOWED, tenant=other).json()["items"]}
    assert not mine & theirs
    running.reset()
    assert len(api.get(ALLOWED).json()["items"]) == len(mine) - 1
