"""``central.request`` / ``central.paginate``: any operation by path, through the same transport
(routing from the path, retries of safe methods only, dry run, typed errors, host allow-list).

Written once for the async client; scripts/unasync.py generates the sync twin in tests/_sync.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from pysophoscentralapi import (
    AsyncSophosCentral,
    ConfigError,
    NotFoundError,
    ServerError,
    TenantRequiredError,
)
from tests.fake_api import API_URL, AUTH_URL, OTHER_TENANT_ID, PARTNER_ID, TENANT_ID, FakeSophos


def make_client(fake: FakeSophos, **options: Any) -> AsyncSophosCentral:
    async def no_wait(seconds: float) -> None:
        return None

    return AsyncSophosCentral(
        "client-id",
        "s3cret",
        auth_url=AUTH_URL,
        api_url=fake.api_url,
        transport=fake.transport(),
        sleep=no_wait,
        **options,
    )


def last(fake: FakeSophos) -> httpx.Request:
    return fake.api_requests()[-1]


TENANCY = ("x-tenant-id", "x-partner-id", "x-organization-id")


def tenancy(request: httpx.Request) -> dict[str, str]:
    return {name: request.headers[name] for name in TENANCY if name in request.headers}


async def test_tenant_paths_go_to_the_data_region_with_the_tenant_header() -> None:
    fake = FakeSophos()
    async with make_client(fake) as central:
        answer = await central.request("GET", "/endpoint/v1/endpoints/e1", params={"view": "full"})
        assert answer == {"ok": True, "path": "/endpoint/v1/endpoints/e1"}
        assert str(last(fake).url) == f"{fake.region_url}/endpoint/v1/endpoints/e1?view=full"
        assert tenancy(last(fake)) == {"x-tenant-id": TENANT_ID}
        assert last(fake).headers["Authorization"] == "Bearer tok-1"

        who = await central.request("GET", "/whoami/v1")
        assert who["idType"] == "tenant"
        assert str(last(fake).url) == f"{API_URL}/whoami/v1"
        assert tenancy(last(fake)) == {}

        await central.request("GET", "/accounts/v1/access-tokens")
        assert str(last(fake).url) == f"{API_URL}/accounts/v1/access-tokens"
        assert tenancy(last(fake)) == {"x-tenant-id": TENANT_ID}


@pytest.mark.parametrize(
    ("kind", "header", "other"),
    [("partner", "x-partner-id", "organization"), ("organization", "x-organization-id", "partner")],
)
async def test_tenant_listings_go_to_the_global_host_with_the_callers_header(
    kind: str, header: str, other: str
) -> None:
    fake = FakeSophos(kind=kind)
    async with make_client(fake) as central:
        await central.request("GET", f"/{kind}/v1/tenants?pageTotal=true")
        assert str(last(fake).url) == f"{API_URL}/{kind}/v1/tenants?pageTotal=true"
        assert tenancy(last(fake)) == {header: PARTNER_ID}

        sent = len(fake.api_requests())  # the other kind's paths are refused before sending
        with pytest.raises(ConfigError, match=other):
            await central.request("GET", f"/{other}/v1/tenants")
        assert len(fake.api_requests()) == sent


async def test_partner_tenant_paths_need_a_tenant_and_go_to_its_region() -> None:
    fake = FakeSophos(kind="partner")
    async with make_client(fake) as central:
        with pytest.raises(TenantRequiredError):
            await central.request("GET", "/endpoint/v1/endpoints")
        tenant = central.for_tenant(OTHER_TENANT_ID)
        await tenant.request("GET", "/endpoint/v1/endpoints")
        assert str(last(fake).url) == f"{fake.region_url}/endpoint/v1/endpoints"
        assert tenancy(last(fake)) == {"x-tenant-id": OTHER_TENANT_ID}


async def test_paginate_detects_key_and_number_paging() -> None:
    fake = FakeSophos(items_per_page=2, number_pages=3)
    async with make_client(fake) as central:
        keyed = [item["id"] async for item in central.paginate("/endpoint/v1/things")]
        assert keyed == [f"{page}-{n}" for page in range(4) for n in range(2)]
        keys = [r.url.params.get("pageFromKey") for r in fake.api_requests()[-4:]]
        assert keys == [None, *fake.page_keys]

        numbered = await central.paginate("/common/v1/numbered").to_list()
        assert [item["id"] for item in numbered] == [f"p{p}-{n}" for p in (1, 2, 3) for n in (0, 1)]
        pages = [r.url.params.get("page") for r in fake.api_requests()[-4:]]
        assert pages == [None, "2", "3", "4"]  # the last full page is followed by an empty one

        explicit = central.paginate("/common/v1/numbered", style="number", page_size=2)
        assert len([page async for page in explicit.pages()]) == 3
        first = fake.api_requests()[-3]
        assert (first.url.params["page"], first.url.params["pageTotal"]) == ("1", "true")


async def test_paginate_refuses_an_unknown_style() -> None:
    fake = FakeSophos()
    async with make_client(fake) as central:
        with pytest.raises(ValueError, match="style"):
            central.paginate("/endpoint/v1/things", style="pages")
        with pytest.raises(ValueError, match="page_size"):
            central.paginate("/endpoint/v1/things", page_size=0)


async def test_only_safe_methods_are_retried() -> None:
    fake = FakeSophos()
    async with make_client(fake) as central:
        fake.fail_next(503)
        assert (await central.request("GET", "/endpoint/v1/x"))["ok"] is True
        assert [r.method for r in fake.api_requests()[-2:]] == ["GET", "GET"]
        fake.fail_next(503)
        before = len(fake.api_requests())
        with pytest.raises(ServerError):
            await central.request("POST", "/endpoint/v1/endpoints/e1/scans", json={})
        assert len(fake.api_requests()) == before + 1


async def test_errors_are_typed() -> None:
    fake = FakeSophos()
    async with make_client(fake) as central:
        fake.fail_next(404)
        with pytest.raises(NotFoundError):
            await central.request("GET", "/firewall/v1/firewalls")


async def test_a_dry_run_shows_state_changing_requests_and_sends_none() -> None:
    fake = FakeSophos()
    shown: list[tuple[str, str, Any]] = []
    sink = lambda method, url, body: shown.append((method, url, body))  # noqa: E731
    async with make_client(fake, dry_run_sink=sink) as central:
        assert await central.request("PATCH", "/endpoint/v1/x", json={"enabled": False}) == {}
        assert (await central.request("GET", "/endpoint/v1/x"))["ok"] is True
        assert [page async for page in central.paginate("/common/v1/x", method="POST")] == []
    assert shown == [
        ("PATCH", f"{fake.region_url}/endpoint/v1/x", {"enabled": False}),
        ("POST", f"{fake.region_url}/common/v1/x", {}),
    ]
    assert [r.method for r in fake.api_requests()] == ["GET", "GET"]  # whoami, the read


async def test_a_full_url_on_a_foreign_host_is_refused_before_anything_is_sent() -> None:
    fake = FakeSophos()
    async with make_client(fake) as central:
        for url in (
            "https://evil.example.com/endpoint/v1/endpoints",
            "https://api.example.test.evil.example.com/endpoint/v1/endpoints",
            "http://api.example.test/endpoint/v1/endpoints",  # another scheme: another origin
            "ftp://api.example.test/endpoint/v1/endpoints",
        ):
            with pytest.raises(ValueError, match="refusing to send the API token"):
                await central.request("GET", url)
    hosts = {r.url.host for r in fake.requests}
    assert hosts <= {"id.example.test", "api.example.test"}  # the token endpoint and whoami only


async def test_a_full_url_on_an_allowed_host_is_routed_like_its_path() -> None:
    fake = FakeSophos()
    async with make_client(fake) as central:
        await central.request("GET", f"{fake.region_url}/endpoint/v1/endpoints?pageSize=1")
        assert str(last(fake).url) == f"{fake.region_url}/endpoint/v1/endpoints?pageSize=1"
        assert tenancy(last(fake)) == {"x-tenant-id": TENANT_ID}
        await central.request("GET", f"{API_URL}/whoami/v1")
        # A Sophos data-region host, but not this tenant's: refused, not silently re-routed.
        with pytest.raises(ValueError, match="not where this path goes"):
            await central.request("GET", "https://api-us01.central.sophos.com/endpoint/v1/x")


async def test_extra_headers_are_sent_but_not_authentication_or_tenancy() -> None:
    fake = FakeSophos()
    async with make_client(fake) as central:
        await central.request("GET", "/endpoint/v1/x", headers={"Accept-Language": "de"})
        assert last(fake).headers["Accept-Language"] == "de"
        sent = len(fake.requests)
        for name in ("Authorization", "x-tenant-id", "X-Partner-ID", "X-Organization-ID"):
            with pytest.raises(ValueError, match=name):
                await central.request("GET", "/endpoint/v1/x", headers={name: "v"})
        assert len(fake.requests) == sent


async def test_bad_arguments_are_refused_before_anything_is_sent() -> None:
    fake = FakeSophos()
    async with make_client(fake) as central:
        with pytest.raises(ValueError, match="method"):
            await central.request("FETCH", "/endpoint/v1/x")
        with pytest.raises(ValueError, match=r"\{id\} not filled in"):
            await central.request("GET", "/endpoint/v1/endpoints/{id}")
        with pytest.raises(ValueError, match="path"):
            await central.request("GET", " ")
    assert fake.requests == []
