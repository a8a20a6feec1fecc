"""Licensing API (``/licenses/v1``): a tenant's licenses and its firewalls' licenses.

>>> lic = License.model_validate({"id": "l1", "product": {"code": "CIXA", "name": "Intercept X"},
...     "type": "term", "quantity": 50, "usage": {"current": {"count": 42}}})
>>> lic.product.name, lic.usage.current.count
('Intercept X', 42)
"""

from __future__ import annotations

import datetime as _dt

from pysophoscentralapi.models._base import ApiBool, IdRef, SophosModel, Timestamp

__all__ = [
    "AccountRef",
    "Firewall",
    "FirewallOwner",
    "License",
    "LicenseProduct",
    "LicenseUsage",
    "LicenseUsageCount",
    "TenantLicenses",
]


class LicenseProduct(SophosModel):
    """``product`` of a license."""

    code: str | None = None
    name: str | None = None
    generic_code: str | None = None


class LicenseUsageCount(SophosModel):
    """How many of a license's units are in use, and when that was counted."""

    count: int | None = None
    date: _dt.date | None = None
    collected_at: Timestamp | None = None


class LicenseUsage(SophosModel):
    """``usage`` of a license."""

    current: LicenseUsageCount | None = None


class License(SophosModel):
    """One license (``licenses[]``)."""

    id: str
    license_identifier: str | None = None
    product: LicenseProduct | None = None
    start_date: _dt.date | None = None
    end_date: _dt.date | None = None
    perpetual: ApiBool | None = None
    #: e.g. ``term``, ``trial``, ``perpetual``, ``enterprise``.
    type: str | None = None
    unlimited: ApiBool | None = None
    quantity: int | None = None
    usage: LicenseUsage | None = None


class AccountRef(IdRef):
    """A reference to an organization, partner or tenant."""


class TenantLicenses(SophosModel):
    """``GET /licenses/v1/licenses``."""

    organization: AccountRef | None = None
    tenant: AccountRef | None = None
    licenses: list[License] = []


class FirewallOwner(IdRef):
    """Who holds a firewall: ``type`` (``partner``, ``tenant``, ...) and ``id``."""

    type: str | None = None


class Firewall(SophosModel):
    """A firewall and its licenses (``GET /licenses/v1/licenses/firewalls``)."""

    serial_number: str
    owner: FirewallOwner | None = None
    model: str | None = None
    #: ``hardware`` or ``virtual``.
    model_type: str | None = None
    licenses: list[License] = []
    organization: AccountRef | None = None
    partner: AccountRef | None = None
    tenant: AccountRef | None = None
