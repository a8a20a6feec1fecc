"""Requests built by ``central.settings`` (Endpoint API settings), against a recording fake.

Each test checks the exact method, path, query and JSON body the client sends, and what it makes
of the answer. Written once for the async client; scripts/unasync.py generates the sync twin.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from pysophoscentralapi import ConflictError, NotFoundError
from pysophoscentralapi.models import (
    AllowedItem,
    AllowedItemType,
    BlockedItem,
    GlobalTamperProtection,
    LocalSite,
    ScanMode,
    ScanningExclusion,
    ScanningExclusionType,
)
from tests._async._helpers import (
    REGION_URL,
    TENANT_ID,
    Answer,
    Recorder,
    assert_refused_before_sending,
    assert_tenant_request,
)

ITEM_ID = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"
SHA = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
BASE = REGION_URL + "/endpoint/v1/settings"


def body_of(request: httpx.Request) -> Any:
    return json.loads(request.content)


def query_of(request: httpx.Request) -> dict[str, str]:
    return dict(request.url.params)


def file_item(**overrides: Any) -> dict[str, Any]:
    item = {
        "id": ITEM_ID,
        "createdAt": "2019-09-23T12:02:01.700Z",
        "updatedAt": "2019-09-23T12:02:01.700Z",
        "properties": {"fileName": "tool.exe", "sha256": SHA},
        "comment": "User comment",
        "type": "sha256",
        "createdBy": {"id": TENANT_ID, "name": "Admin"},
    }
    item.update(overrides)
    return item


def number_pages(items: list[dict[str, Any]]) -> Answer:
    """A page-number listing of ``items`` honouring page/pageSize."""

    def answer(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["page"])
        size = int(request.url.params["pageSize"])
        total = max(1, -(-len(items) // size))
        chunk = items[(page - 1) * size : page * size]
        pages = {"current": page, "size": size, "total": total, "maxSize": 100}
        return httpx.Response(200, json={"items": chunk, "pages": pages})

    return answer


# --- allowed items ------------------------------------------------------------------------------


async def test_allowed_items_list_walks_page_numbers_with_the_tenant_header() -> None:
    items = [file_item(id=f"00000000-0000-4000-8000-00000000000{n}") for n in range(5)]
    recorder = Recorder(number_pages(items))
    async with recorder.client() as central:
        got = []
        async for item in central.settings.allowed_items.list(page_size=2):
            got.append(item)
    assert [item.id for item in got] == [item["id"] for item in items]
    assert all(isinstance(item, AllowedItem) for item in got)
    assert [query_of(r) for r in recorder.requests] == [
        {"page": "1", "pageSize": "2", "pageTotal": "true"},
        {"page": "2", "pageSize": "2"},
        {"page": "3", "pageSize": "2"},
    ]
    first = recorder.requests[0]
    assert_tenant_request(first, "GET", BASE + "/allowed-items")


async def test_allowed_items_list_asks_for_the_largest_page_by_default() -> None:
    recorder = Recorder(number_pages([]))
    async with recorder.client() as central:
        assert await central.settings.allowed_items.list().to_list() == []
    assert query_of(recorder.only())["pageSize"] == "100"


async def test_allowed_item_get_parses_the_item() -> None:
    recorder = Recorder(lambda r: httpx.Response(200, json=file_item()))
    async with recorder.client() as central:
        item = await central.settings.allowed_items.get(ITEM_ID.upper())
    request = recorder.only()
    assert (request.method, str(request.url)) == ("GET", f"{BASE}/allowed-items/{ITEM_ID}")
    assert item.type is AllowedItemType.SHA256
    assert item.properties.sha256 == SHA
    assert item.created_by is not None
    assert item.created_by.name == "Admin"
    assert item.created_at is not None
    assert item.created_at.year == 2019


async def test_allowed_item_add_sends_type_properties_comment_and_origins() -> None:
    recorder = Recorder(lambda r: httpx.Response(201, json=file_item(type="path")))
    person, endpoint = (
        "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "4fa85f64-5717-4562-b3fc-2c963f66afa6",
    )
    async with recorder.client() as central:
        item = await central.settings.allowed_items.add(
            type="path",
            path="$desktop/documents/filename.txt",
            file_name="filename.txt",
            comment="Item is not a Malware",
            origin_person_id=person,
            origin_endpoint_id=endpoint,
        )
    request = recorder.only()
    assert (request.method, str(request.url)) == ("POST", f"{BASE}/allowed-items")
    assert body_of(request) == {
        "type": "path",
        "properties": {"fileName": "filename.txt", "path": "$desktop/documents/filename.txt"},
        "comment": "Item is not a Malware",
        "originPersonId": person,
        "originEndpointId": endpoint,
    }
    assert item.id == ITEM_ID


async def test_allowed_item_add_certificate_signer() -> None:
    recorder = Recorder(lambda r: httpx.Response(201, json=file_item(type="certificateSigner")))
    async with recorder.client() as central:
        await central.settings.allowed_items.add(
            type="certificateSigner", certificate_signer="Acme Ltd", comment="vendor"
        )
    assert body_of(recorder.only()) == {
        "type": "certificateSigner",
        "properties": {"certificateSigner": "Acme Ltd"},
        "comment": "vendor",
    }


async def test_allowed_item_update_patches_only_the_comment() -> None:
    recorder = Recorder(lambda r: httpx.Response(200, json=file_item(comment="new")))
    async with recorder.client() as central:
        item = await central.settings.allowed_items.update(ITEM_ID, comment="new")
    request = recorder.only()
    assert (request.method, str(request.url)) == ("PATCH", f"{BASE}/allowed-items/{ITEM_ID}")
    assert body_of(request) == {"comment": "new"}
    assert item.comment == "new"


async def test_allowed_item_delete_returns_true_on_deleted() -> None:
    recorder = Recorder(lambda r: httpx.Response(200, json={"deleted": True}))
    async with recorder.client() as central:
        assert await central.settings.allowed_items.delete(ITEM_ID) is True
    request = recorder.only()
    assert (request.method, str(request.url)) == ("DELETE", f"{BASE}/allowed-items/{ITEM_ID}")


async def test_conflict_and_not_found_become_typed_errors() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            return httpx.Response(
                409, json={"error": "resourceConflict", "message": "Item already exists."}
            )
        return httpx.Response(
            404, json={"error": "notFound", "message": "Can't find allowed item."}
        )

    recorder = Recorder(answer)
    async with recorder.client() as central:
        with pytest.raises(ConflictError):
            await central.settings.allowed_items.add(type="sha256", sha256=SHA, comment="dup")
        with pytest.raises(NotFoundError):
            await central.settings.allowed_items.get(ITEM_ID)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s: s.allowed_items.add(type="md5", sha256=SHA, comment="x"), "type"),
        (lambda s: s.allowed_items.add(type="sha256", sha256="abc", comment="x"), "sha256"),
        (lambda s: s.allowed_items.add(type="sha256", path="C:\\x.exe", comment="x"), "sha256"),
        (lambda s: s.allowed_items.add(type="path", path="C:\\x.exe", comment=" "), "comment"),
        (
            lambda s: s.allowed_items.add(
                type="path", path="C:\\x", comment="x", origin_endpoint_id="nope"
            ),
            "origin_endpoint_id",
        ),
        (lambda s: s.allowed_items.get("not-a-uuid"), "id"),
        (lambda s: s.allowed_items.update(ITEM_ID, comment=""), "comment"),
        (lambda s: s.blocked_items.add(sha256="g" * 64, comment="x"), "sha256"),
        (lambda s: s.blocked_items.delete("123"), "id"),
        (lambda s: s.web_control.local_sites.add("x.example", category_id=0), "category_id"),
        (lambda s: s.web_control.local_sites.update(ITEM_ID), "nothing to update"),
        (lambda s: s.scanning_exclusions.add("C:\\x", type="folder"), "type"),
        (
            lambda s: s.scanning_exclusions.add("C:\\x", type="path", scan_mode="always"),
            "scan_mode",
        ),
        (
            lambda s: s.scanning_exclusions.add("x", type="behavioral", scan_mode="onAccess"),
            "scan_mode",
        ),
        (lambda s: s.scanning_exclusions.update(ITEM_ID), "nothing to update"),
    ],
)
async def test_bad_arguments_raise_value_error_before_any_request(
    call: Callable[[Any], Any], message: str
) -> None:
    await assert_refused_before_sending(lambda central: call(central.settings), message)


async def test_bad_list_arguments_raise_at_once() -> None:
    recorder = Recorder()
    async with recorder.client() as central:
        with pytest.raises(
            ValueError, match=r"page_size: 101 is not a whole number within 1\.\.100"
        ):
            central.settings.allowed_items.list(page_size=101)
        with pytest.raises(ValueError, match="posixPath"):
            central.settings.scanning_exclusions.list(type="Path")
    assert recorder.requests == []


# --- blocked items ------------------------------------------------------------------------------


async def test_blocked_item_add_is_by_sha256() -> None:
    recorder = Recorder(lambda r: httpx.Response(201, json=file_item()))
    async with recorder.client() as central:
        item = await central.settings.blocked_items.add(
            sha256=SHA, comment="Item is a Malware", file_name="filename.txt", path="$desktop/f.txt"
        )
    request = recorder.only()
    assert (request.method, str(request.url)) == ("POST", f"{BASE}/blocked-items")
    assert body_of(request) == {
        "type": "sha256",
        "properties": {"fileName": "filename.txt", "path": "$desktop/f.txt", "sha256": SHA},
        "comment": "Item is a Malware",
    }
    assert isinstance(item, BlockedItem)
    assert item.properties.file_name == "tool.exe"


async def test_blocked_items_have_no_update() -> None:
    recorder = Recorder()
    async with recorder.client() as central:
        assert not hasattr(central.settings.blocked_items, "update")


async def test_blocked_item_get_list_and_delete_paths() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.method == "DELETE":
            return httpx.Response(200, json={"deleted": True})
        if request.url.path.endswith("/blocked-items"):
            return number_pages([file_item()])(request)
        return httpx.Response(200, json=file_item())

    recorder = Recorder(answer)
    async with recorder.client() as central:
        listed = await central.settings.blocked_items.list().to_list()
        one = await central.settings.blocked_items.get(ITEM_ID)
        deleted = await central.settings.blocked_items.delete(ITEM_ID)
    assert [item.id for item in listed] == [ITEM_ID]
    assert one.id == ITEM_ID
    assert deleted is True
    assert [(r.method, r.url.path) for r in recorder.requests] == [
        ("GET", "/endpoint/v1/settings/blocked-items"),
        ("GET", f"/endpoint/v1/settings/blocked-items/{ITEM_ID}"),
        ("DELETE", f"/endpoint/v1/settings/blocked-items/{ITEM_ID}"),
    ]


# --- web control local sites --------------------------------------------------------------------

SITE = {
    "id": ITEM_ID,
    "categoryId": 29,
    "tags": ["intranet"],
    "url": "intranet.example.com",
    "comment": "User comment",
}


async def test_local_site_add_and_update_send_only_given_fields() -> None:
    recorder = Recorder(lambda r: httpx.Response(201 if r.method == "POST" else 200, json=SITE))
    async with recorder.client() as central:
        sites = central.settings.web_control.local_sites
        created = await sites.add("intranet.example.com", category_id=29, tags=["intranet"])
        await sites.update(ITEM_ID, comment="moved")
        await sites.update(ITEM_ID, url="new.example.com", category_id=50, tags=[])
    post, patch, patch2 = recorder.requests
    assert (post.method, str(post.url)) == ("POST", f"{BASE}/web-control/local-sites")
    assert body_of(post) == {"url": "intranet.example.com", "categoryId": 29, "tags": ["intranet"]}
    assert (patch.method, str(patch.url)) == ("PATCH", f"{BASE}/web-control/local-sites/{ITEM_ID}")
    assert body_of(patch) == {"comment": "moved"}
    assert body_of(patch2) == {"url": "new.example.com", "categoryId": 50, "tags": []}
    assert isinstance(created, LocalSite)
    assert (created.category_id, created.tags) == (29, ["intranet"])


async def test_local_sites_list_get_delete() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.method == "DELETE":
            return httpx.Response(200, json={"deleted": True})
        if request.url.path.endswith("/local-sites"):
            return number_pages([{"id": ITEM_ID, "url": "a.example"}])(request)
        return httpx.Response(200, json=SITE)

    recorder = Recorder(answer)
    async with recorder.client() as central:
        sites = central.settings.web_control.local_sites
        listed = await sites.list(page_size=10).to_list()
        assert (await sites.get(ITEM_ID)).url == "intranet.example.com"
        assert await sites.delete(ITEM_ID) is True
    assert listed[0].url == "a.example"
    assert listed[0].tags == []
    assert query_of(recorder.requests[0]) == {"page": "1", "pageSize": "10", "pageTotal": "true"}


async def test_web_control_categories_is_a_bare_list() -> None:
    answer = [{"id": 28, "name": "Example", "label": "ex"}, {"id": 50, "name": "Intranet"}]
    recorder = Recorder(lambda r: httpx.Response(200, json=answer))
    async with recorder.client() as central:
        categories = await central.settings.web_control.categories()
    assert str(recorder.only().url) == f"{BASE}/web-control/categories"
    assert [(c.id, c.name) for c in categories] == [(28, "Example"), (50, "Intranet")]


# --- tamper protection --------------------------------------------------------------------------


async def test_global_tamper_protection_get() -> None:
    recorder = Recorder(lambda r: httpx.Response(200, json={"enabled": False}))
    async with recorder.client() as central:
        status = await central.settings.tamper_protection.get()
    request = recorder.only()
    assert (request.method, str(request.url)) == ("GET", f"{BASE}/tamper-protection")
    assert status == GlobalTamperProtection(enabled=False)


# --- scanning exclusions ------------------------------------------------------------------------

EXCLUSION = {
    "id": ITEM_ID,
    "value": "D:\\Backups\\",
    "type": "path",
    "scanMode": "onDemand",
    "description": "Windows file or folder",
    "comment": "Backup target",
    "lockedByManagingAccount": False,
}


async def test_scanning_exclusions_list_filters_by_type() -> None:
    recorder = Recorder(number_pages([EXCLUSION]))
    async with recorder.client() as central:
        listed = await central.settings.scanning_exclusions.list(type="path", page_size=5).to_list()
    request = recorder.only()
    assert request.url.path == "/endpoint/v1/settings/exclusions/scanning"
    assert query_of(request) == {"type": "path", "page": "1", "pageSize": "5", "pageTotal": "true"}
    assert listed[0].type is ScanningExclusionType.PATH
    assert listed[0].scan_mode is ScanMode.ON_DEMAND
    assert listed[0].locked_by_managing_account is False


async def test_scanning_exclusion_add_update_delete() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.method == "DELETE":
            return httpx.Response(200, json={"deleted": True})
        return httpx.Response(201 if request.method == "POST" else 200, json=EXCLUSION)

    recorder = Recorder(answer)
    async with recorder.client() as central:
        exclusions = central.settings.scanning_exclusions
        created = await exclusions.add(
            "D:\\Backups\\", type="path", scan_mode="onDemand", comment="Backup target"
        )
        await exclusions.add("evil.example", type="web")
        await exclusions.update(ITEM_ID, value="E:\\", scan_mode="onAccess")
        assert await exclusions.delete(ITEM_ID) is True
    post, post2, patch, delete = recorder.requests
    assert (post.method, str(post.url)) == ("POST", f"{BASE}/exclusions/scanning")
    assert body_of(post) == {
        "value": "D:\\Backups\\",
        "type": "path",
        "scanMode": "onDemand",
        "comment": "Backup target",
    }
    assert body_of(post2) == {"value": "evil.example", "type": "web"}
    assert (patch.method, str(patch.url)) == ("PATCH", f"{BASE}/exclusions/scanning/{ITEM_ID}")
    assert body_of(patch) == {"value": "E:\\", "scanMode": "onAccess"}
    assert (delete.method, delete.url.path) == (
        "DELETE",
        f"/endpoint/v1/settings/exclusions/scanning/{ITEM_ID}",
    )
    assert isinstance(created, ScanningExclusion)
    assert created.description == "Windows file or folder"


async def test_dry_run_sends_nothing_and_returns_an_empty_model() -> None:
    shown: list[tuple[str, str, Any]] = []
    recorder = Recorder()
    central = recorder.client(
        dry_run_sink=lambda method, url, body: shown.append((method, url, body)),
    )
    async with central:
        await central.settings.blocked_items.add(sha256=SHA, comment="x")
        assert await central.settings.blocked_items.delete(ITEM_ID) is False
    assert recorder.requests == []
    assert shown == [
        (
            "POST",
            f"{BASE}/blocked-items",
            {"type": "sha256", "properties": {"sha256": SHA}, "comment": "x"},
        ),
        ("DELETE", f"{BASE}/blocked-items/{ITEM_ID}", None),
    ]
