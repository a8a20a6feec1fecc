"""Request building of ``central.tenants`` against a scripted service (httpx.MockTransport).

Written once for the async client; scripts/unasync.py generates the sync twin in tests/_sync.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from pysophoscentralapi import AsyncSophosCentral, ConfigError, NotFoundError
from pysophoscentralapi.models import Tenant, TenantBillingType
from tests._async._helpers import answer_sign_in, mock_client

OWNER_ID = "5a8b9c1d-0000-4000-8000-000000000001"
HEADERS = {"partner": "X-Partner-ID", "organization": "X-Organization-ID"}


def tenant_row(n: int, *, api_host: str | None = "default") -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": f"00000000-0000-4000-8000-{n:012d}",
        "showAs": f"Tenant {n}",
        "name": f"Tenant {n}",
        "dataGeography": "IE",
        "dataRegion": "eu01",
        "billingType": "term",
        "partner": {"id": OWNER_ID},
        "status": "active",
    }
    if api_host is not None:
        row["apiHost"] = (
            f"https://api-eu0{n % 2 + 1}.example.test" if api_host == "default" else api_host
        )
    return row


class Service:
    """Token, whoami of ``kind``, number-paged tenants; a tenant-API call answers 200 ``{}``."""

    def __init__(self, kind: str, tenants: list[dict[str, Any]]) -> None:
        self.kind = kind
        self.tenants = tenants
        self.requests: list[httpx.Request] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        owner = self.tenants[0]["id"] if self.kind == "tenant" else OWNER_ID
        signed_in = answer_sign_in(request, self.kind, owner)
        if signed_in is not None:
            return signed_in
        self.requests.append(request)
        path = request.url.path
        prefix = f"/{self.kind}/v1/tenants"
        if path == prefix:
            page = int(request.url.params["page"])
            size = int(request.url.params["pageSize"])
            pages: dict[str, Any] = {"current": page, "size": size, "maxSize": 100}
            if request.url.params.get("pageTotal") == "true":
                pages["total"] = max(1, -(-len(self.tenants) // size))
                pages["items"] = len(self.tenants)
            items = self.tenants[(page - 1) * size : page * size]
            return httpx.Response(200, json={"items": items, "pages": pages})
        if path.startswith(prefix + "/"):
            for row in self.tenants:
                if row["id"] == path.rsplit("/", 1)[1]:
                    return httpx.Response(200, json=row)
            return httpx.Response(404, json={"error": "notFound", "message": "Tenant not found."})
        return httpx.Response(200, json={"items": [], "pages": {}})


def client(service: Service) -> AsyncSophosCentral:
    return mock_client(service.handle)


@pytest.mark.parametrize("kind", ["partner", "organization"])
async def test_list_walks_every_page_on_the_global_host_with_the_owner_header(kind: str) -> None:
    service = Service(kind, [tenant_row(n) for n in range(5)])
    async with client(service) as central:
        tenants = await central.tenants.list(page_size=2).to_list()
    assert [t.name for t in tenants] == [f"Tenant {n}" for n in range(5)]
    assert all(isinstance(t, Tenant) for t in tenants)
    assert [(r.url.host, r.url.path) for r in service.requests] == [
        ("api.example.test", f"/{kind}/v1/tenants")
    ] * 3
    assert [dict(r.url.params) for r in service.requests] == [
        {"pageSize": "2", "page": "1", "pageTotal": "true"},
        {"page": "2", "pageSize": "2"},
        {"page": "3", "pageSize": "2"},
    ]
    assert all(r.headers[HEADERS[kind]] == OWNER_ID for r in service.requests)
    assert all("X-Tenant-ID" not in r.headers for r in service.requests)


async def test_list_asks_for_the_largest_page_by_default() -> None:
    service = Service("partner", [tenant_row(1)])
    async with client(service) as central:
        await central.tenants.list().to_list()
    assert service.requests[0].url.params["pageSize"] == "100"


async def test_listed_tenants_need_no_lookup_before_acting_on_them() -> None:
    service = Service("partner", [tenant_row(n) for n in range(3)])
    async with client(service) as central:
        tenants = await central.tenants.list(page_size=2).to_list()
        tenant = tenants[-1]
        service.requests.clear()
        await central.for_tenant(tenant.id).alerts.list().first_page()
    (request,) = service.requests
    assert (request.url.host, request.url.path) == ("api-eu01.example.test", "/common/v1/alerts")
    assert request.headers["X-Tenant-ID"] == tenant.id


async def test_a_listed_tenant_without_api_host_is_refused_without_a_lookup() -> None:
    service = Service("organization", [tenant_row(1), tenant_row(2, api_host=None)])
    async with client(service) as central:
        page = await central.tenants.list().first_page()
        service.requests.clear()
        with pytest.raises(NotFoundError, match="has no apiHost"):
            await central.for_tenant(page.raw[1]["id"]).alerts.list().first_page()
    assert service.requests == []


async def test_get_returns_the_tenant_and_remembers_its_host() -> None:
    row = tenant_row(7)
    service = Service("organization", [row])
    async with client(service) as central:
        tenant = await central.tenants.get(row["id"].upper())
        await central.for_tenant(row["id"]).alerts.list().first_page()
    assert [r.url.path for r in service.requests] == [
        f"/organization/v1/tenants/{row['id']}",
        "/common/v1/alerts",
    ]
    assert tenant.id == row["id"]
    assert tenant.billing_type is TenantBillingType.TERM
    assert tenant.api_host == row["apiHost"]
    assert tenant.partner is not None
    assert tenant.partner.id == OWNER_ID


async def test_get_of_an_unknown_tenant_is_not_found() -> None:
    service = Service("partner", [tenant_row(1)])
    async with client(service) as central:
        with pytest.raises(NotFoundError):
            await central.tenants.get("00000000-0000-4000-8000-999999999999")


async def test_tenant_credentials_have_no_tenant_list() -> None:
    service = Service("tenant", [tenant_row(1)])
    async with client(service) as central:
        with pytest.raises(ConfigError, match="tenant credential: it has no tenant list") as raised:
            await central.tenants.list().to_list()
        with pytest.raises(ConfigError):
            await central.tenants.get(tenant_row(1)["id"])
    assert raised.value.hint is not None
    assert "partner or organization" in raised.value.hint
    assert service.requests == []


async def test_bad_arguments_raise_before_any_request() -> None:
    service = Service("partner", [])
    async with client(service) as central:
        with pytest.raises(
            ValueError, match=r"page_size: 500 is not a whole number within 1\.\.100"
        ):
            central.tenants.list(page_size=500)
        with pytest.raises(ValueError, match="tenant_id: 'Acme' is not a tenant id"):
            await central.tenants.get("Acme")
    assert service.requests == []
