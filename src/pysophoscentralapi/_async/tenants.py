"""Partner and Organization APIs: tenants (API_NOTES §9)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from pysophoscentralapi._async._pagination import AsyncPaginator
from pysophoscentralapi._async._resource import AsyncResource
from pysophoscentralapi._async._transport import AsyncTransport
from pysophoscentralapi._page import Page, validate_item
from pysophoscentralapi._paging import PagingStyle
from pysophoscentralapi._routing import Scope
from pysophoscentralapi._validation import check_uuid, is_page_size
from pysophoscentralapi.models.tenants import Tenant

__all__ = ["MAX_TENANTS_PAGE_SIZE", "AsyncTenants"]

#: The API's largest tenants page.
MAX_TENANTS_PAGE_SIZE = 100


class AsyncTenants(AsyncResource):
    """Partner and Organization APIs: the tenants of a partner or organization credential.

    The route (``/partner/v1`` or ``/organization/v1``) and header come from whoami. Tenant
    credentials have no tenant list: their calls raise :class:`~pysophoscentralapi.ConfigError`.

    ::

        async for tenant in central.tenants.list():
            acme = central.for_tenant(tenant.id)  # no extra lookup: the listing gave its apiHost
    """

    scope = Scope.PARTNER_OR_ORG

    def list(self, *, page_size: int = MAX_TENANTS_PAGE_SIZE) -> AsyncPaginator[Tenant]:
        """Every tenant, fetched lazily page by page (``GET /{partner|organization}/v1/tenants``).

        Each tenant's ``apiHost`` is remembered as pages arrive, so :meth:`for_tenant
        <pysophoscentralapi.AsyncSophosCentral.for_tenant>` on a listed tenant needs no lookup.
        ``page_size`` is 1 to 100.

        Example::

            async for tenant in central.tenants.list():
                print(tenant.name, tenant.id, tenant.data_region)
        """
        if not is_page_size(page_size, MAX_TENANTS_PAGE_SIZE):
            raise ValueError(f"page_size: must be 1 to {MAX_TENANTS_PAGE_SIZE}, not {page_size!r}")
        return _TenantPaginator(
            self._transport,
            "/tenants",
            model=Tenant,
            style=PagingStyle.NUMBER,
            scope=self.scope,
            page_size=page_size,
        )

    async def get(self, tenant_id: str) -> Tenant:
        """One tenant by id (``GET /{partner|organization}/v1/tenants/{id}``).

        Example::

            tenant = await central.tenants.get("79067fa3-e4d0-4769-a5f7-8d6550b3b68b")
            print(tenant.name, tenant.api_host)
        """
        tenant_id = check_uuid(tenant_id, "tenant_id", noun="a tenant id")
        body = await self._request("GET", f"/tenants/{tenant_id}")
        _remember_host(self._transport, body)
        return validate_item(Tenant, body)


def _remember_host(transport: AsyncTransport, row: Any) -> None:
    if isinstance(row, dict) and isinstance(row.get("id"), str):
        host = row.get("apiHost")
        transport.remember_tenant_host(row["id"], host if isinstance(host, str) and host else None)


class _TenantPaginator(AsyncPaginator[Tenant]):
    """A tenant listing that records each tenant's ``apiHost`` in the transport as pages arrive."""

    async def pages(self) -> AsyncIterator[Page[Tenant]]:
        async for page in super().pages():
            for row in page.raw:
                _remember_host(self._transport, row)
            yield page

    async def first_page(self) -> Page[Tenant]:
        page = await super().first_page()
        for row in page.raw:
            _remember_host(self._transport, row)
        return page
