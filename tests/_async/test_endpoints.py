"""Request building of ``central.endpoints`` against a scripted service (httpx.MockTransport).

Each test asserts the exact method, path, query and JSON body the library sends. Written once for
the async client; scripts/unasync.py generates the sync twin in tests/_sync.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from pysophoscentralapi import AsyncSophosCentral, NotFoundError, ServerError
from pysophoscentralapi.models import Endpoint, HealthStatus, IsolationStatus
from tests._async._helpers import assert_refused_before_sending, assert_tenant_request
from tests.fake_api import AUTH_URL, REGION_URL, FakeSophos

BASE = "/endpoint/v1/endpoints"
EP1 = "6f1c0e1a-2b3c-4d5e-8f90-112233445566"
EP2 = "0b9e8d7c-6b5a-4f3e-9d2c-1b0a99887766"

Answer = Callable[[httpx.Request], httpx.Response | None]


class Service:
    """Token and whoami from FakeSophos; endpoint API calls answered by the test's ``answer``."""

    def __init__(self, answer: Answer) -> None:
        self.fake = FakeSophos()
        self.answer = answer
        self.calls: list[httpx.Request] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.startswith("/endpoint/v1/"):
            self.calls.append(request)
            response = self.answer(request)
            assert response is not None, f"unexpected {request.method} {request.url}"
            return response
        return self.fake.handle(request)

    def client(self, **options: Any) -> AsyncSophosCentral:
        return AsyncSophosCentral(
            "client-id",
            "s3cret",
            auth_url=AUTH_URL,
            transport=httpx.MockTransport(self.handle),
            **options,
        )


def params(request: httpx.Request) -> dict[str, str]:
    return dict(request.url.params.multi_items())


def body(request: httpx.Request) -> Any:
    return json.loads(request.content)


def ok(payload: Any, status: int = 200) -> Answer:
    return lambda request: httpx.Response(status, json=payload)


async def test_list_sends_every_filter_in_the_apis_spelling() -> None:
    service = Service(ok({"items": [], "pages": {"size": 0, "maxSize": 500}}))
    async with service.client() as central:
        paginator = central.endpoints.list(
            health_status=["bad", "suspicious"],
            type="server",
            tamper_protection_enabled=False,
            tamper_protection_supported=True,
            lockdown_status=["locked", "unlocked"],
            isolation_status="notIsolated",
            last_seen_before=timedelta(days=30),
            last_seen_after=datetime(2024, 5, 1, 12, 0),
            ids=[EP1.upper(), EP2],
            hostname_contains="web",
            ip_addresses=["10.0.0.1", "fe80::1"],
            mac_addresses=["01:23:45:67:89:AB"],
            search="acme",
            search_fields=["hostname", "osName"],
            online=True,
            view="full",
            fields=["id", "hostname"],
            sort="lastSeenAt:desc",
            page_size=50,
        )
        assert await paginator.to_list() == []
    (request,) = service.calls
    assert_tenant_request(request, "GET", REGION_URL + BASE)
    assert params(request) == {
        "healthStatus": "bad,suspicious",
        "type": "server",
        "tamperProtectionEnabled": "false",
        "tamperProtectionSupported": "true",
        "lockdownStatus": "locked,unlocked",
        "isolationStatus": "notIsolated",
        "lastSeenBefore": "-P30D",
        "lastSeenAfter": "2024-05-01T12:00:00.000Z",
        "ids": f"{EP1},{EP2}",  # normalised to lower case
        "hostnameContains": "web",
        "ipAddresses": "10.0.0.1,fe80::1",
        "macAddresses": "01:23:45:67:89:AB",
        "search": "acme",
        "searchFields": "hostname,osName",
        "online": "true",
        "view": "full",
        "fields": "id,hostname",
        "sort": "lastSeenAt:desc",
        "pageSize": "50",
    }


async def test_list_defaults_to_the_largest_page_and_no_filters() -> None:
    service = Service(ok({"items": [{"id": EP1}], "pages": {"size": 1, "maxSize": 500}}))
    async with service.client() as central:
        items = await central.endpoints.list().to_list()
    assert [ep.id for ep in items] == [EP1]
    assert params(service.calls[0]) == {"pageSize": "500"}


async def test_list_follows_next_key_keeping_the_filters() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if "pageFromKey" not in request.url.params:
            items = [{"id": EP1, "hostname": "a", "health": {"overall": "bad"}}]
            return httpx.Response(200, json={"items": items, "pages": {"nextKey": "k+/2="}})
        items = [{"id": EP2, "hostname": "b", "isolation": {"status": "isolated"}}]
        return httpx.Response(200, json={"items": items, "pages": {"size": 1}})

    service = Service(answer)
    async with service.client() as central:
        found = [ep async for ep in central.endpoints.list(health_status="bad", page_size=1)]
    assert [ep.hostname for ep in found] == ["a", "b"]
    assert found[0].health is not None
    assert found[0].health.overall is HealthStatus.BAD
    assert found[1].isolation is not None
    assert found[1].isolation.status is IsolationStatus.ISOLATED
    first, second = (params(r) for r in service.calls)
    assert first == {"healthStatus": "bad", "pageSize": "1"}
    assert second == {"healthStatus": "bad", "pageSize": "1", "pageFromKey": "k+/2="}


async def test_get_builds_path_and_view_and_parses_the_endpoint() -> None:
    full = {
        "id": EP1,
        "type": "computer",
        "hostname": "pc-1",
        "health": {"overall": "good", "services": {"serviceDetails": [{"name": "x"}]}},
        "os": {"isServer": False, "platform": "windows", "majorVersion": 10},
        "lastSeenAt": "2024-05-01T10:00:00.357Z",
        "somethingNew": 1,
    }
    service = Service(ok(full))
    async with service.client() as central:
        ep = await central.endpoints.get(EP1.upper(), view="full", fields=["id", "os"])
    (request,) = service.calls
    assert (request.method, request.url.path) == ("GET", f"{BASE}/{EP1}")
    assert params(request) == {"view": "full", "fields": "id,os"}
    assert isinstance(ep, Endpoint)
    assert ep.os is not None
    assert ep.os.major_version == 10
    assert ep.os.is_server is False
    assert ep.last_seen_at == datetime(2024, 5, 1, 10, 0, 0, 357000, tzinfo=UTC)
    assert ep.to_api()["somethingNew"] == 1


async def test_get_of_a_missing_endpoint_raises_not_found() -> None:
    service = Service(ok({"error": "notFound", "message": "Can't find endpoint."}, 404))
    async with service.client() as central:
        with pytest.raises(NotFoundError):
            await central.endpoints.get(EP1)


async def test_delete_and_delete_many() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.method == "DELETE":
            return httpx.Response(200, json={"deleted": True})
        return httpx.Response(200, json={"endpointIds": body(request)["endpointIds"][:1]})

    service = Service(answer)
    async with service.client() as central:
        assert await central.endpoints.delete(EP1) is True
        assert await central.endpoints.delete_many([EP1, EP2, EP1]) == [EP1]
    delete_one, delete_many = service.calls
    assert (delete_one.method, delete_one.url.path, delete_one.content) == (
        "DELETE",
        f"{BASE}/{EP1}",
        b"",
    )
    assert (delete_many.method, delete_many.url.path) == ("POST", f"{BASE}/delete")
    assert body(delete_many) == {"endpointIds": [EP1, EP2]}


async def test_scan_and_update_check_post_an_empty_object() -> None:
    result = {
        "id": "9d5d6819-0238-43e6-ba03-815cae0d474d",
        "status": "requested",
        "requestedAt": "2024-01-15T10:30:00.000Z",
    }
    service = Service(ok(result, 201))
    async with service.client() as central:
        scan = await central.endpoints.scan(EP1)
        check = await central.endpoints.check_for_updates(EP2)
    assert (scan.status, scan.id) == ("requested", result["id"])
    assert check.requested_at == datetime(2024, 1, 15, 10, 30, tzinfo=UTC)
    first, second = service.calls
    assert (first.method, first.url.path, body(first)) == ("POST", f"{BASE}/{EP1}/scans", {})
    assert (second.method, second.url.path, body(second)) == (
        "POST",
        f"{BASE}/{EP2}/update-checks",
        {},
    )


def isolation_answer(request: httpx.Request) -> httpx.Response:
    sent = body(request)
    items = [
        {"id": i, "isolation": {"enabled": sent["enabled"], "comment": sent.get("comment")}}
        for i in sent["ids"]
    ]
    return httpx.Response(202, json={"items": items})


async def test_isolate_sends_batches_of_1000_and_returns_every_item() -> None:
    ids = [f"00000000-0000-4000-8000-{n:012d}" for n in range(2500)]
    service = Service(isolation_answer)
    async with service.client() as central:
        items = await central.endpoints.isolate(ids, comment="INC-42")
    assert [item.id for item in items] == ids
    assert all(item.isolation is not None and item.isolation.enabled for item in items)
    sent = [body(r) for r in service.calls]
    assert [len(b["ids"]) for b in sent] == [1000, 1000, 500]
    assert all(r.method == "POST" and r.url.path == f"{BASE}/isolation" for r in service.calls)
    assert sent[0] == {"enabled": True, "comment": "INC-42", "ids": ids[:1000]}
    assert sent[2]["ids"] == ids[2000:]


async def test_unisolate_without_comment_sends_no_comment() -> None:
    service = Service(isolation_answer)
    async with service.client() as central:
        items = await central.endpoints.unisolate(EP1)
    assert items[0].isolation is not None
    assert items[0].isolation.enabled is False
    assert body(service.calls[0]) == {"enabled": False, "ids": [EP1]}


async def test_single_isolation_get_and_patch() -> None:
    record = {
        "enabled": True,
        "comment": "why",
        "lastEnabledAt": "2024-01-15T10:30:00.000Z",
        "lastEnabledBy": {"id": "u1", "type": "user", "name": "Ann", "accountType": "tenant"},
    }
    service = Service(ok(record))
    async with service.client() as central:
        got = await central.endpoints.isolation(EP1)
        patched = await central.endpoints.set_isolation(EP1, False, comment="cleaned")
        await central.endpoints.set_isolation(EP1, True)
    assert got.last_enabled_by is not None
    assert got.last_enabled_by.account_type == "tenant"
    assert patched.enabled is True  # whatever the service answered
    get, patch, patch_no_comment = service.calls
    assert (get.method, get.url.path) == ("GET", f"{BASE}/{EP1}/isolation")
    assert (patch.method, patch.url.path, body(patch)) == (
        "PATCH",
        f"{BASE}/{EP1}/isolation",
        {"enabled": False, "comment": "cleaned"},
    )
    assert body(patch_no_comment) == {"enabled": True}


async def test_tamper_protection_get_and_update_bodies() -> None:
    record = {
        "enabled": True,
        "password": "123456789012",
        "previousPasswords": [
            {"password": "999999999999", "invalidatedAt": "2024-01-15T10:30:00.000Z"}
        ],
    }
    service = Service(lambda r: httpx.Response(200 if r.method == "GET" else 201, json=record))
    async with service.client() as central:
        tp = await central.endpoints.tamper_protection(EP1)
        await central.endpoints.update_tamper_protection(EP1, enabled=False)
        await central.endpoints.update_tamper_protection(EP1, regenerate_password=True)
        await central.endpoints.update_tamper_protection(
            EP1, enabled=True, regenerate_password=True
        )
    assert tp.password == "123456789012"
    assert tp.previous_passwords is not None
    assert tp.previous_passwords[0].password == "999999999999"
    assert "123456789012" not in repr(tp)
    assert "999999999999" not in repr(tp) + str(tp)
    get, *posts = service.calls
    assert (get.method, get.url.path) == ("GET", f"{BASE}/{EP1}/tamper-protection")
    assert all(
        p.method == "POST" and p.url.path == f"{BASE}/{EP1}/tamper-protection" for p in posts
    )
    assert [body(p) for p in posts] == [
        {"enabled": False},
        {"regeneratePassword": True},
        {"enabled": True, "regeneratePassword": True},
    ]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda c: c.endpoints.list(health_status=["terrible"]),
            "health_status: 'terrible' is not valid; valid values: good, bad",
        ),
        (lambda c: c.endpoints.list(type="laptop"), "type: 'laptop'"),
        (lambda c: c.endpoints.list(lockdown_status="frozen"), "lockdown_status"),
        (lambda c: c.endpoints.list(isolation_status="quarantined"), "isolated, notIsolated"),
        (lambda c: c.endpoints.list(view="huge"), "basic, summary, full"),
        (lambda c: c.endpoints.list(search_fields=["serial"]), "search_fields"),
        (lambda c: c.endpoints.list(ids=["not-a-uuid"]), "ids: 'not-a-uuid' is not an endpoint id"),
        (lambda c: c.endpoints.list(last_seen_before="30 days"), "last_seen_before"),
        (lambda c: c.endpoints.list(ip_addresses="10.0.0"), "ip_addresses"),
        (lambda c: c.endpoints.list(mac_addresses="01:23:45"), "mac_addresses"),
        (lambda c: c.endpoints.list(sort="lastSeenAt:up"), "sort"),
        (lambda c: c.endpoints.list(page_size=501), "page_size"),
        (lambda c: c.endpoints.get("pc-1"), "endpoint_id: 'pc-1'"),
        (lambda c: c.endpoints.isolate([]), "ids: give at least one value"),
        (lambda c: c.endpoints.isolate([EP1, "x"]), "ids: 'x'"),
        (
            lambda c: c.endpoints.update_tamper_protection(EP1),
            "enabled=True/False and/or regenerate_password",
        ),
        (lambda c: c.endpoints.delete_many(["nope"]), "ids: 'nope'"),
    ],
)
async def test_bad_arguments_raise_value_error_before_any_request(call: Any, message: str) -> None:
    await assert_refused_before_sending(call, message.replace("(", r"\("))


async def test_dry_run_sink_gets_the_isolation_request_and_nothing_is_sent() -> None:
    seen: list[tuple[str, str, Any]] = []
    service = Service(isolation_answer)
    async with service.client(dry_run_sink=lambda m, u, b: seen.append((m, u, b))) as central:
        items = await central.endpoints.isolate([EP1], comment="test")
        scan = await central.endpoints.scan(EP2)
    assert items == []
    assert scan.id is None
    assert service.calls == []
    assert seen == [
        (
            "POST",
            f"{REGION_URL}{BASE}/isolation",
            {"enabled": True, "comment": "test", "ids": [EP1]},
        ),
        ("POST", f"{REGION_URL}{BASE}/{EP2}/scans", {}),
    ]


def strict_isolation_api(known: set[str], failing_batch: int | None = None) -> Answer:
    """An API answering 404 for a batch holding any unknown id, a listing of the known ones by
    ``ids``, and a 500 for the ``failing_batch``-th isolation request (1-based)."""
    posts: list[int] = []

    def answer(request: httpx.Request) -> httpx.Response:
        if request.method == "GET" and request.url.path == BASE:
            wanted = params(request)["ids"].split(",")
            return httpx.Response(
                200, json={"items": [{"id": i} for i in wanted if i in known], "pages": {}}
            )
        sent = body(request)
        posts.append(1)
        if len(posts) == failing_batch:
            return httpx.Response(500, json={"error": "internal", "message": "boom"})
        if any(i not in known for i in sent["ids"]):
            return httpx.Response(404, json={"error": "notFound", "message": "No endpoints found."})
        return isolation_answer(request)

    return answer


async def test_every_isolation_batch_is_tried_and_a_404_batch_is_resolved() -> None:
    ids = [f"00000000-0000-4000-8000-{n:012d}" for n in range(2500)]
    known = {ids[5], ids[999], ids[1500], ids[2400]}
    service = Service(strict_isolation_api(known, failing_batch=3))
    async with service.client() as central:
        batches = [b async for b in central.endpoints.isolation_batches(ids, enabled=True)]
    # batch 1: 404, looked up (10 GETs of 100 ids), re-sent with its 2 known ids; batch 2: the
    # third POST fails with a 500 (its ids are the error's); batch 3 is still sent (and resolved).
    assert [len(b.ids) for b in batches] == [1000, 1000, 500]
    assert [item.id for item in batches[0].items] == [ids[5], ids[999]]
    assert len(batches[0].not_found) == 998
    assert batches[1].error is not None
    assert batches[1].failed_ids == ids[1000:2000]
    assert batches[2].error is None
    assert [item.id for item in batches[2].items] == [ids[2400]]
    assert len(batches[2].not_found) == 499
    gets = [r for r in service.calls if r.method == "GET"]
    assert all(len(params(r)["ids"].split(",")) <= 100 for r in gets)


async def test_isolate_raises_the_first_batch_error_after_trying_every_batch() -> None:
    ids = [f"00000000-0000-4000-8000-{n:012d}" for n in range(1500)]
    service = Service(strict_isolation_api(set(ids), failing_batch=1))
    async with service.client() as central:
        with pytest.raises(ServerError):
            await central.endpoints.isolate(ids)
    assert len([r for r in service.calls if r.method == "POST"]) == 2


async def test_isolating_only_unknown_ids_raises_not_found() -> None:
    service = Service(strict_isolation_api(set()))
    async with service.client() as central:
        with pytest.raises(NotFoundError):
            await central.endpoints.isolate([EP1, EP2])


async def test_a_long_ids_filter_is_listed_in_several_requests() -> None:
    ids = [f"00000000-0000-4000-8000-{n:012d}" for n in range(250)]
    known = set(ids[::50])
    service = Service(strict_isolation_api(known))
    async with service.client() as central:
        found = [row["id"] async for row in central.endpoints.list(ids=ids).raw_items()]
    assert found == sorted(known)
    sent = [params(r)["ids"].split(",") for r in service.calls]
    assert [len(chunk) for chunk in sent] == [100, 100, 50]
    assert [i for chunk in sent for i in chunk] == ids
