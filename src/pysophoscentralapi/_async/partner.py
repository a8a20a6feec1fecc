"""Partner API (``/partner/v1``): partner admins and roles, billing usage (tenants: ``tenants.py``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pysophoscentralapi._async._pagination import AsyncPaginator
from pysophoscentralapi._async._resource import AsyncNamespace, AsyncResource
from pysophoscentralapi._async.admins import _AsyncAdminRoleAssignments
from pysophoscentralapi._async.roles import AsyncPartnerRoles
from pysophoscentralapi._paging import PagingStyle
from pysophoscentralapi._routing import Scope
from pysophoscentralapi._validation import (
    check_choice,
    check_email,
    check_page_size,
    check_uuid,
    csv_value,
    sort_param,
)
from pysophoscentralapi.models.partner import (
    ROLE_SCOPE_TYPES,
    BillingUsage,
    PartnerAdmin,
    PartnerRoleAssignment,
)

#: Largest page of partner admins and of the usage report (the collection documents none; 100 as
#: the other partner listings).
MAX_PAGE_SIZE = 100


def _scope(scope_type: str, tenant_id: str | None) -> dict[str, str]:
    scope = {"type": check_choice(scope_type, "scope_type", ROLE_SCOPE_TYPES)}
    if tenant_id is not None:
        scope["id"] = check_uuid(tenant_id, "tenant_id")
    elif scope_type == "tenant":
        raise ValueError("tenant_id: a role scoped to a tenant needs the tenant's id")
    return scope


class AsyncPartnerAdmins(_AsyncAdminRoleAssignments):
    """Partner API: the partner's administrators and their role assignments.

    Example::

        async for admin in central.partner.admins.list(with_access_to_tenant=tenant.id):
            print(admin.username, [ra.role_id for ra in admin.role_assignments])
    """

    scope = Scope.PARTNER
    _base = "/admins"
    _assignment_model = PartnerRoleAssignment

    def list(
        self,
        *,
        search: str | None = None,
        email: str | None = None,
        role_id: str | None = None,
        with_access_to_tenant: str | None = None,
        sort: str | Sequence[str] | None = None,
        fields: Sequence[str] | None = None,
        page_size: int = MAX_PAGE_SIZE,
    ) -> AsyncPaginator[PartnerAdmin]:
        """The partner's admins, page by page.

        Example::

            admins = await central.partner.admins.list(role_id=role.id).to_list()
        """
        params = {
            "search": search,
            "email": check_email(email) if email is not None else None,
            "roleId": check_uuid(role_id, "role_id") if role_id is not None else None,
            "withAccessToTenant": (
                check_uuid(with_access_to_tenant, "with_access_to_tenant")
                if with_access_to_tenant is not None
                else None
            ),
            "sort": sort_param(sort, None),
            "fields": csv_value(fields),
        }
        return self._admin_pages(PartnerAdmin, params, page_size)

    async def get(self, admin_id: str) -> PartnerAdmin:
        """One partner admin.

        Example::

            admin = await central.partner.admins.get("e1c7aa85-7863-4561-a50e-2b345b0e16e5")
        """
        return await self._admin(PartnerAdmin, admin_id)

    async def create(
        self,
        *,
        username: str,
        role_id: str,
        first_name: str | None = None,
        last_name: str | None = None,
        name: str | None = None,
        profile: Mapping[str, str] | None = None,
        scope_type: str = "self",
        tenant_id: str | None = None,
    ) -> PartnerAdmin:
        """Create a partner admin (``username`` is their email) holding one role.

        The role applies to the partner account (``scope_type="self"``), to every tenant it
        manages (``"allManagedTenants"``) or to one tenant (``"tenant"`` with ``tenant_id``). ``profile`` may add ``phone``, ``mobile``,
        ``fax``. A username in use is a :class:`~pysophoscentralapi.ConflictError`.

        Example::

            admin = await central.partner.admins.create(
                username="ops@msp.example", first_name="Olga", last_name="Ops", role_id=role.id
            )
        """
        details: dict[str, Any] = dict(profile or {})
        for key, value in (("firstName", first_name), ("lastName", last_name), ("name", name)):
            if value is not None:
                details[key] = value
        if "name" not in details and ("firstName" in details or "lastName" in details):
            details["name"] = " ".join(
                str(details[k]) for k in ("firstName", "lastName") if details.get(k)
            )
        body = {
            "username": check_email(username, "username"),
            "profile": details,
            "roleAssignments": [
                {"roleId": check_uuid(role_id, "role_id"), "scope": _scope(scope_type, tenant_id)}
            ],
        }
        return self._result(PartnerAdmin, await self._request("POST", self._base, json=body))

    async def assign_role(
        self,
        admin_id: str,
        role_id: str,
        *,
        scope_type: str = "self",
        tenant_id: str | None = None,
    ) -> PartnerRoleAssignment:
        """Give a partner admin one more role, scoped as in :meth:`create`.

        Example::

            await central.partner.admins.assign_role(
                admin.id, role.id, scope_type="tenant", tenant_id=tenant.id
            )
        """
        path = f"{self._admin_path(admin_id)}/role-assignments"
        body = {"roleId": check_uuid(role_id, "role_id"), "scope": _scope(scope_type, tenant_id)}
        return self._result(PartnerRoleAssignment, await self._request("POST", path, json=body))


class AsyncPartnerBilling(AsyncResource):
    """Partner API: the monthly usage report.

    Example::

        async for line in central.partner.billing.usage(2026, 11):
            print(line.account_id, line.sku, line.billable_quantity)
    """

    scope = Scope.PARTNER

    def usage(
        self,
        year: int,
        month: int,
        *,
        account_id: str | None = None,
        contact_email: str | None = None,
        fields: Sequence[str] | None = None,
        page_size: int = MAX_PAGE_SIZE,
    ) -> AsyncPaginator[BillingUsage]:
        """The usage report of one month, line by line (key paging).

        ``account_id`` keeps one tenant's lines, ``contact_email`` the tenants of that contact.

        Example::

            lines = await central.partner.billing.usage(2026, 11, account_id=tenant.id).to_list()
        """
        if not isinstance(year, int) or not 2000 <= year <= 9999:
            raise ValueError(f"year: give a four-digit year, not {year!r}")
        if not isinstance(month, int) or not 1 <= month <= 12:
            raise ValueError(f"month: give 1 to 12, not {month!r}")
        params = {
            "accountId": check_uuid(account_id, "account_id") if account_id is not None else None,
            "contactEmail": (
                check_email(contact_email, "contact_email") if contact_email is not None else None
            ),
            "fields": csv_value(fields),
        }
        return self._paginate(
            f"/billing/usage/{year}/{month}",
            model=BillingUsage,
            style=PagingStyle.KEY,
            page_size=check_page_size(page_size, MAX_PAGE_SIZE),
            params=params,
        )


class AsyncPartner(AsyncNamespace):
    """Partner API families: ``admins``, ``roles``, ``billing`` (tenants are ``central.tenants``).

    Example::

        roles = await central.partner.roles.list().to_list()
    """

    admins: AsyncPartnerAdmins
    roles: AsyncPartnerRoles
    billing: AsyncPartnerBilling
