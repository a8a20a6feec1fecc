"""Common API: admins and their role assignments (``/common/v1/admins``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pysophoscentralapi._async._pagination import AsyncPaginator
from pysophoscentralapi._async._resource import AsyncResource
from pysophoscentralapi._page import ModelT, validate_item
from pysophoscentralapi._paging import PagingStyle
from pysophoscentralapi._validation import (
    check_uuid,
    check_uuids,
    csv_value,
    sort_param,
)
from pysophoscentralapi.models.admins import Admin, RoleAssignment

#: The largest page ``GET /admins`` serves.
MAX_PAGE_SIZE = 100

_BASE = "/common/v1/admins"


class _AsyncAdminRoleAssignments(AsyncResource):
    """The role-assignment reads and removal, shared by tenant and partner admins."""

    _base = _BASE
    _assignment_model: type[Any] = RoleAssignment

    def role_assignments(self, admin_id: str) -> AsyncPaginator[Any]:
        """The admin's role assignments (one answer, no paging).

        Example::

            assignments = await central.admins.role_assignments(admin.id).to_list()
        """
        path = f"{self._admin_path(admin_id)}/role-assignments"
        return self._paginate(
            path, model=self._assignment_model, style=PagingStyle.NONE, page_size=None
        )

    async def get_role_assignment(self, admin_id: str, assignment_id: str) -> Any:
        """One role assignment of an admin.

        Example::

            assignment = await central.admins.get_role_assignment(admin.id, assignment_id)
        """
        return validate_item(
            self._assignment_model,
            await self._request("GET", self._assignment_path(admin_id, assignment_id)),
        )

    async def remove_role_assignment(self, admin_id: str, assignment_id: str) -> None:
        """Remove one role assignment from an admin.

        Example::

            await central.admins.remove_role_assignment(admin.id, admin.role_assignments[0].id)
        """
        await self._request("DELETE", self._assignment_path(admin_id, assignment_id))

    def _admin_pages(
        self, model: type[ModelT], params: dict[str, Any], page_size: int
    ) -> AsyncPaginator[ModelT]:
        """The admins listing: number-paged, at most :data:`MAX_PAGE_SIZE` a page."""
        return self._numbered_pages(self._base, model, page_size, MAX_PAGE_SIZE, params=params)

    async def _admin(self, model: type[ModelT], admin_id: str) -> ModelT:
        return validate_item(model, await self._request("GET", self._admin_path(admin_id)))

    def _admin_path(self, admin_id: str) -> str:
        """An admin's path (``ValueError`` naming ``admin_id`` for an id that is not a UUID)."""
        return f"{self._base}/{check_uuid(admin_id, 'admin_id')}"

    def _assignment_path(self, admin_id: str, assignment_id: str) -> str:
        return (
            f"{self._admin_path(admin_id)}/role-assignments/"
            f"{check_uuid(assignment_id, 'assignment_id')}"
        )


class AsyncAdmins(_AsyncAdminRoleAssignments):
    """Common API: the tenant's admins and their role assignments.

    An admin is a directory user given one or more roles::

        async for admin in central.admins.list(search="smith"):
            print(admin.profile.email, admin.role_ids)
    """

    def list(
        self,
        *,
        search: str | None = None,
        search_fields: Sequence[str] | None = None,
        role_id: str | None = None,
        sort: str | Sequence[str] | None = None,
        fields: Sequence[str] | None = None,
        page_size: int = MAX_PAGE_SIZE,
    ) -> AsyncPaginator[Admin]:
        """The tenant's admins, page by page (page-number paging).

        ``search`` matches ``search_fields`` (the API's default: ``username``); ``role_id`` keeps
        the admins holding that role; ``sort`` is ``"field"``, ``"field:desc"`` or a list of them.

        Example::

            async for admin in central.admins.list(role_id=super_admin_role.id, page_size=50):
                print(admin.id, admin.profile.name)
        """
        params = {
            "search": search,
            "searchFields": csv_value(search_fields),
            "roleId": check_uuid(role_id, "role_id") if role_id is not None else None,
            "sort": sort_param(sort, None),
            "fields": csv_value(fields),
        }
        return self._admin_pages(Admin, params, page_size)

    async def get(self, admin_id: str) -> Admin:
        """One admin.

        Example::

            admin = await central.admins.get("e1c7aa85-7863-4561-a50e-2b345b0e16e5")
        """
        return await self._admin(Admin, admin_id)

    async def create(self, *, user_id: str, role_ids: Sequence[str]) -> Admin:
        """Make a directory user an admin with these roles.

        Sends ``POST /admins`` with ``{"userId": ..., "roleAssignments": [{"roleId": ...}, ...]}``.
        An unknown user or role is a :class:`~pysophoscentralapi.NotFoundError`.

        Example::

            admin = await central.admins.create(user_id=user.id, role_ids=[help_desk.id])
        """
        body = {
            "userId": check_uuid(user_id, "user_id"),
            "roleAssignments": [{"roleId": r} for r in check_uuids(role_ids, "role_ids")],
        }
        answer = await self._request("POST", _BASE, json=body)
        return self._result(Admin, answer)

    async def update(self, admin_id: str, *, role_ids: Sequence[str]) -> Admin:
        """Change the admin's role: the documented way to change role assignments.

        The API changes an admin's roles only through ``POST /admins/{id}/role-assignments``,
        which *overrides any existing assignment*. So this sends exactly that request with the
        one role given, ``{"roleId": ...}``, then ``GET /admins/{id}`` and returns the admin as
        it now is. ``role_ids`` must therefore hold one role (a ``ValueError`` otherwise, before
        anything is sent); an admin with several roles can be made with :meth:`create`.
        Taking the last Super Admin role away is a :class:`~pysophoscentralapi.ConflictError`.

        Example::

            admin = await central.admins.update(admin.id, role_ids=[read_only.id])
        """
        admin_id = check_uuid(admin_id, "admin_id")
        roles = check_uuids(role_ids, "role_ids")
        if len(roles) != 1:
            raise ValueError(
                "role_ids: give exactly one role; the API's role assignment replaces any "
                "existing assignment, so an admin cannot be given several roles by an update"
            )
        await self.assign_role(admin_id, roles[0])
        return await self.get(admin_id)

    async def delete(self, admin_id: str) -> None:
        """Remove an admin (the directory user stays).

        Removing the last Super admin is a :class:`~pysophoscentralapi.ConflictError`.

        Example::

            await central.admins.delete(admin.id)
        """
        await self._request("DELETE", self._admin_path(admin_id))

    async def assign_role(self, admin_id: str, role_id: str) -> RoleAssignment:
        """Assign a role (of principal type ``user``) to an admin; any existing assignment is
        overridden (the API's documented behaviour).

        Sends ``POST /admins/{id}/role-assignments`` with ``{"roleId": ...}``.

        Example::

            assignment = await central.admins.assign_role(admin.id, admin_role.id)
        """
        path = f"{self._admin_path(admin_id)}/role-assignments"
        answer = await self._request("POST", path, json={"roleId": check_uuid(role_id, "role_id")})
        return self._result(RoleAssignment, answer)
