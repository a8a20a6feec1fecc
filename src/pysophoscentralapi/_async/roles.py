"""Roles and permission sets: the tenant's (``/common/v1/roles``) and the partner's (``/partner/v1/roles``)."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from typing import Any

from pysophoscentralapi._async._pagination import AsyncPaginator
from pysophoscentralapi._async._resource import AsyncResource
from pysophoscentralapi._page import validate_item
from pysophoscentralapi._paging import PagingStyle
from pysophoscentralapi._routing import Scope
from pysophoscentralapi._validation import check_choice, check_name, check_uuid, csv_value
from pysophoscentralapi.models.roles import (
    PERMISSION_SET_ACCESS,
    PERMISSION_SET_TYPES,
    PRINCIPAL_TYPES,
    ROLE_TYPES,
    PermissionSet,
    Role,
)


class AsyncRoles(AsyncResource):
    """Common API: the tenant's roles (predefined and custom) and the permission sets they grant.

    Example::

        async for role in central.roles.list(type="custom"):
            print(role.name, role.permission_sets)
    """

    #: Where the family's requests go; partner roles (:class:`AsyncPartnerRoles`) differ only here.
    _base = "/common/v1/roles"

    def list(
        self,
        *,
        type: str | None = None,
        principal_type: str | None = None,
        fields: Sequence[str] | None = None,
    ) -> AsyncPaginator[Role]:
        """The tenant's roles (one answer: the API does not page roles).

        ``type`` is ``predefined`` or ``custom``; ``principal_type`` is ``user`` (admins) or
        ``service`` (API credentials).

        Example::

            roles = await central.roles.list(principal_type="user").to_list()
        """
        params = {
            "type": check_choice(type, "type", ROLE_TYPES) if type is not None else None,
            "principalType": _principal(principal_type),
            "fields": csv_value(fields),
        }
        return self._paginate(
            self._base, model=Role, style=PagingStyle.NONE, page_size=None, params=params
        )

    async def get(self, role_id: str) -> Role:
        """One role.

        Example::

            role = await central.roles.get("c83c9481-f63c-4eb8-8793-e81eb9d66ef4")
        """
        return validate_item(Role, await self._request("GET", self._role_path(role_id)))

    async def create(
        self,
        *,
        name: str,
        permission_sets: Sequence[str],
        description: str | None = None,
        principal_type: str = "user",
    ) -> Role:
        """Create a custom role.

        ``permission_sets`` are permission set ids (see :meth:`permission_sets`). They are checked
        first with one ``GET /roles/permission-sets`` (sets allowed in custom roles for this
        principal type): an unknown one is a ``ValueError`` naming it and listing the valid ids,
        and nothing is created. A name in use is a :class:`~pysophoscentralapi.ConflictError`.

        Example::

            role = await central.roles.create(
                name="Endpoint Admin",
                permission_sets=["central_admin", "endpoint_product_admin"],
                description="Manages endpoints",
            )
        """
        principal = check_choice(principal_type, "principal_type", PRINCIPAL_TYPES)
        name = check_name(name)
        sets = _check_set_list(permission_sets)
        await self.check_permission_sets(sets, principal_type=principal)
        body: dict[str, Any] = {"name": name, "principalType": principal, "permissionSets": sets}
        if description is not None:
            body["description"] = description
        return self._result(Role, await self._request("POST", self._base, json=body))

    async def update(
        self,
        role_id: str,
        *,
        name: str | None = None,
        description: str | None = None,
        permission_sets: Sequence[str] | None = None,
    ) -> Role:
        """Change a custom role (``PATCH``: only the arguments given are sent).

        New ``permission_sets`` replace the role's and are checked as in :meth:`create` (against
        the sets allowed in custom roles). Predefined roles cannot be changed.

        Example::

            role = await central.roles.update(role.id, description="Endpoint and mobile admins")
        """
        path = self._role_path(role_id)
        body: dict[str, Any] = {}
        if name is not None:
            body["name"] = check_name(name)
        if description is not None:
            body["description"] = description
        if permission_sets is not None:
            body["permissionSets"] = _check_set_list(permission_sets)
        if not body:
            raise ValueError("nothing to update: give name, description or permission_sets")
        if "permissionSets" in body:
            await self.check_permission_sets(body["permissionSets"])
        return self._result(Role, await self._request("PATCH", path, json=body))

    async def delete(self, role_id: str) -> None:
        """Delete a custom role. A role still assigned to an admin, or a predefined one, is a
        :class:`~pysophoscentralapi.ConflictError`.

        Example::

            await central.roles.delete(role.id)
        """
        await self._request("DELETE", self._role_path(role_id))

    def permission_sets(
        self,
        *,
        type: str | None = None,
        product: str | None = None,
        access: str | None = None,
        allowed_in_custom_role: bool | None = None,
        principal_type: str | None = None,
    ) -> AsyncPaginator[PermissionSet]:
        """The permission sets roles are made of (one answer, no paging).

        ``type`` is ``base``, ``setting`` or ``product``; ``access`` is ``admin`` or
        ``readOnly``; ``product`` a product name such as ``endpoint``.

        Example::

            async for ps in central.roles.permission_sets(allowed_in_custom_role=True):
                print(ps.id, ps.name)
        """
        params: dict[str, Any] = {
            "type": check_choice(type, "type", PERMISSION_SET_TYPES) if type is not None else None,
            "product": product,
            "access": (
                check_choice(access, "access", PERMISSION_SET_ACCESS)
                if access is not None
                else None
            ),
            "allowedInCustomRole": (
                None if allowed_in_custom_role is None else str(allowed_in_custom_role).lower()
            ),
            "principalType": _principal(principal_type),
        }
        return self._paginate(
            f"{self._base}/permission-sets",
            model=PermissionSet,
            style=PagingStyle.NONE,
            page_size=None,
            params=params,
        )

    async def check_permission_sets(
        self, permission_sets: Sequence[str], *, principal_type: str | None = None
    ) -> builtins.list[str]:
        """Check permission set ids against those allowed in custom roles (one GET).

        Returns the ids (deduplicated); an unknown one, or one not allowed in a custom role of
        ``principal_type`` (any principal type when ``None``), is a ``ValueError`` naming it and
        listing the valid ids. :meth:`create` and :meth:`update` call this themselves.

        Example::

            await central.roles.check_permission_sets(["central_admin"], principal_type="user")
        """
        wanted = _check_set_list(permission_sets)
        principal = _principal(principal_type)
        listing = self.permission_sets(allowed_in_custom_role=True, principal_type=principal)
        valid = [row["id"] async for row in listing.raw_items() if isinstance(row.get("id"), str)]
        unknown = [s for s in wanted if s not in valid]
        if unknown:
            what = f"a {principal} role" if principal else "a custom role"
            raise ValueError(
                f"permission_sets: unknown or not allowed in {what}: {', '.join(unknown)}; "
                f"valid values: {', '.join(valid)}"
            )
        return wanted

    def _role_path(self, role_id: str) -> str:
        """A role's path (``ValueError`` naming ``role_id`` for an id that is not a UUID)."""
        return f"{self._base}/{check_uuid(role_id, 'role_id')}"


class AsyncPartnerRoles(AsyncRoles):
    """Partner API: the partner's roles (``/partner/v1/roles``), the same operations as tenant roles.

    Example::

        async for role in central.partner.roles.list(type="custom"):
            print(role.name, role.permission_sets)
    """

    scope = Scope.PARTNER
    _base = "/roles"


def _principal(value: str | None) -> str | None:
    return None if value is None else check_choice(value, "principal_type", PRINCIPAL_TYPES)


def _check_set_list(values: Sequence[str]) -> builtins.list[str]:
    if isinstance(values, str):
        values = [values]
    return list(dict.fromkeys(str(v).strip() for v in values if str(v).strip()))
