"""Licensing API (``/licenses/v1``, global host): the tenant's licenses, firewalls' licenses."""

from __future__ import annotations

from collections.abc import Sequence

from pysophoscentralapi._async._pagination import AsyncPaginator
from pysophoscentralapi._async._resource import AsyncResource
from pysophoscentralapi._page import validate_item
from pysophoscentralapi._routing import Scope
from pysophoscentralapi._validation import sort_param
from pysophoscentralapi.models.licenses import Firewall, TenantLicenses

#: Largest firewalls page (the collection documents none; 100 as the other listings).
MAX_PAGE_SIZE = 100


class AsyncLicenses(AsyncResource):
    """Licensing API: what a tenant is licensed for, and the licenses of firewalls.

    Example::

        for lic in (await central.licenses.get()).licenses:
            print(lic.product.name, lic.quantity, lic.usage.current.count if lic.usage else None)
    """

    scope = Scope.TENANT_GLOBAL

    async def get(self) -> TenantLicenses:
        """The tenant's licenses (``GET /licenses/v1/licenses``).

        Example::

            licenses = await central.for_tenant(tenant.id).licenses.get()
        """
        return validate_item(TenantLicenses, await self._request("GET", "/licenses/v1/licenses"))

    def firewalls(
        self, *, sort: str | Sequence[str] | None = None, page_size: int = MAX_PAGE_SIZE
    ) -> AsyncPaginator[Firewall]:
        """Firewalls claimed by the tenant, or (partner credentials without a tenant) managed by
        the partner, with their licenses.

        Example::

            async for fw in central.licenses.firewalls():
                print(fw.serial_number, fw.model, len(fw.licenses))
        """
        params = {"sort": sort_param(sort, None)}
        return self._numbered_pages(
            "/licenses/v1/licenses/firewalls",
            Firewall,
            page_size,
            MAX_PAGE_SIZE,
            params=params,
            scope=Scope.TENANT_OR_PARTNER_GLOBAL,
        )
