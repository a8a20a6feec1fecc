"""Partner API (``/partner/v1``): partner admins, their role assignments and billing usage.

Partner roles have the shape of tenant roles (:class:`~pysophoscentralapi.models.Role`).

    >>> admin = PartnerAdmin.model_validate({"id": "a1", "username": "ops@msp.example",
    ...     "roleAssignments": [{"id": "ra1", "roleId": "r1", "scope": {"type": "self"}}]})
    >>> admin.username, admin.role_assignments[0].scope.type
    ('ops@msp.example', 'self')
"""

from __future__ import annotations

from datetime import date

from pysophoscentralapi._enums.accounts import ROLE_SCOPE_TYPES
from pysophoscentralapi.models._base import ApiBool, SophosModel

__all__ = [
    "ROLE_SCOPE_TYPES",
    "BillingUsage",
    "PartnerAdmin",
    "PartnerAdminProfile",
    "PartnerRoleAssignment",
    "RoleScope",
]


class PartnerAdminProfile(SophosModel):
    """``profile`` of a partner admin."""

    name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    phone: str | None = None
    mobile: str | None = None
    fax: str | None = None


class RoleScope(SophosModel):
    """Where a partner role assignment applies: ``type`` and, for a tenant, its ``id``."""

    type: str | None = None
    id: str | None = None


class PartnerRoleAssignment(SophosModel):
    """A role held by a partner admin, with its scope."""

    id: str
    role_id: str | None = None
    scope: RoleScope | None = None


class PartnerAdmin(SophosModel):
    """A partner administrator (``GET /partner/v1/admins/{adminId}``)."""

    id: str
    username: str | None = None
    profile: PartnerAdminProfile | None = None
    active: ApiBool | None = None
    primary: ApiBool | None = None
    role_assignments: list[PartnerRoleAssignment] = []


class BillingUsage(SophosModel):
    """One line of the monthly usage report (``GET /partner/v1/billing/usage/{year}/{month}``)."""

    partner_account_id: str | None = None
    partner_edi_account_number: str | None = None
    partner_account_name: str | None = None
    billing_start_date: date | None = None
    billing_end_date: date | None = None
    order_number: str | None = None
    order_line_item_number: str | None = None
    account_number_or_serial_number: str | None = None
    product_description: str | None = None
    product_group: str | None = None
    sku: str | None = None
    billable_quantity: int | None = None
    external_id: str | None = None
    account_id: str | None = None
    account_status: str | None = None
    actual_quantity: int | None = None
    product_code: str | None = None
