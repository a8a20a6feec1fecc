"""Partner and Organization APIs: tenants (API_NOTES §9)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pysophoscentralapi._async._pagination import AsyncPaginator
from pysophoscentralapi._async._resource import AsyncResource
from pysophoscentralapi._async._transport import AsyncTransport
from pysophoscentralapi._page import validate_item
from pysophoscentralapi._paging import PagingStyle
from pysophoscentralapi._routing import Scope
from pysophoscentralapi._validation import (
    check_choice,
    check_email,
    check_name,
    check_page_size,
    check_text,
    check_uuid,
)
from pysophoscentralapi.models.tenants import Tenant

__all__ = ["CREATE_BILLING_TYPES", "DATA_GEOGRAPHIES", "MAX_TENANTS_PAGE_SIZE", "AsyncTenants"]

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
        check_page_size(page_size, MAX_TENANTS_PAGE_SIZE)
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

    async def create(
        self,
        *,
        name: str,
        data_geography: str,
        contact: Mapping[str, Any],
        show_as: str | None = None,
        billing_type: str = "trial",
    ) -> Tenant:
        """Create a tenant (``POST /partner/v1/tenants``; partner credentials only).

        ``contact`` has ``firstName``, ``lastName``, ``email``, ``phone`` (``mobile``, ``fax``
        optional) and an ``address`` with ``address1``, ``city``, ``countryCode``,
        ``postalCode`` (``address2``, ``address3``, ``state`` optional). The new tenant's
        ``apiHost`` is remembered, so ``for_tenant(new.id)`` works at once.

        Example::

            new = await central.tenants.create(
                name="Contoso", data_geography="DE",
                contact={"firstName": "Ada", "lastName": "Lee", "email": "ada@contoso.example",
                         "phone": "+49 30 1234", "address": {"address1": "1 Main St",
                         "city": "Berlin", "countryCode": "DE", "postalCode": "10115"}},
            )
        """
        body: dict[str, Any] = {
            "name": check_name(name),
            "dataGeography": check_choice(data_geography, "data_geography", DATA_GEOGRAPHIES),
            "billingType": check_choice(billing_type, "billing_type", CREATE_BILLING_TYPES),
            "contact": _check_contact(contact),
        }
        if show_as is not None:
            body["showAs"] = check_text(show_as, "show_as").strip()
        answer = await self._request("POST", "/tenants", json=body, scope=Scope.PARTNER)
        _remember_host(self._transport, answer)
        return self._result(Tenant, answer)


#: ``dataGeography`` values a tenant can be created in (the data regions' countries, API_NOTES §1).
DATA_GEOGRAPHIES = ("US", "IE", "DE", "CA", "AU", "JP", "IN", "BR")
#: ``billingType`` of a new tenant: the collection's create examples only ever send ``trial``.
CREATE_BILLING_TYPES = ("trial",)
_CONTACT_REQUIRED = ("firstName", "lastName", "email", "phone")
_ADDRESS_REQUIRED = ("address1", "city", "countryCode", "postalCode")


def _check_contact(contact: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(contact, Mapping):
        raise ValueError("contact: give a mapping with firstName, lastName, email, phone, address")
    checked = {k: v for k, v in contact.items() if v is not None}
    missing = [k for k in _CONTACT_REQUIRED if not str(checked.get(k) or "").strip()]
    address = checked.get("address")
    if not isinstance(address, Mapping):
        missing.append("address")
    else:
        checked["address"] = {k: v for k, v in address.items() if v is not None}
        missing += [
            f"address.{k}" for k in _ADDRESS_REQUIRED if not str(address.get(k) or "").strip()
        ]
    if missing:
        raise ValueError(f"contact: missing {', '.join(missing)}")
    check_email(str(checked["email"]), "contact.email")
    return checked


def _remember_host(transport: AsyncTransport, row: Any) -> None:
    if isinstance(row, dict) and isinstance(row.get("id"), str):
        host = row.get("apiHost")
        transport.remember_tenant_host(row["id"], host if isinstance(host, str) and host else None)


class _TenantPaginator(AsyncPaginator[Tenant]):
    """A tenant listing that records each tenant's ``apiHost`` in the transport as pages arrive."""

    def _seen(self, body: Any) -> Any:
        items = body.get("items") if isinstance(body, dict) else None
        for row in items if isinstance(items, list) else []:
            _remember_host(self._transport, row)
        return body
