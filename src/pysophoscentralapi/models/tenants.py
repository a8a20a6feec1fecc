"""Partner and Organization APIs: tenants (API_NOTES §9)."""

from __future__ import annotations

from pysophoscentralapi._enums.accounts import TENANT_BILLING_TYPES, TenantBillingType
from pysophoscentralapi.models._base import IdRef, ListedModel

__all__ = ["TENANT_BILLING_TYPES", "Tenant", "TenantBillingType", "TenantOwner"]


class TenantOwner(IdRef):
    """The partner or organization a tenant belongs to."""


class Tenant(ListedModel):
    """A tenant of partner or organization credentials.

    ``api_host`` is the tenant's data-region host; it is missing for tenants that are inactive or
    still being provisioned, whose data cannot be reached.

    >>> tenant = Tenant.model_validate({"id": "79067fa3-e4d0-4769-a5f7-8d6550b3b68b",
    ...     "name": "Acme Corp", "dataRegion": "eu01", "billingType": "term"})
    >>> tenant.name, tenant.data_region, tenant.billing_type is TenantBillingType.TERM
    ('Acme Corp', 'eu01', True)
    """

    id: str
    show_as: str | None = None
    name: str | None = None
    #: Country code of the tenant's data, e.g. ``US``, ``IE``, ``DE``.
    data_geography: str | None = None
    #: Data region name, e.g. ``eu01``.
    data_region: str | None = None
    billing_type: TenantBillingType | None = None
    partner: TenantOwner | None = None
    organization: TenantOwner | None = None
    api_host: str | None = None
    #: e.g. ``active``.
    status: str | None = None
