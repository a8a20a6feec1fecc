"""Common API tenant admins and their role assignments (``/common/v1/admins``).

Example::

    >>> admin = Admin.model_validate(
    ...     {"id": "a1", "profile": {"name": "John Smith", "email": "john.smith@example.com"},
    ...      "roleAssignments": [{"id": "ra1", "roleId": "r1"}]}
    ... )
    >>> admin.profile.email, admin.role_ids
    ('john.smith@example.com', ['r1'])
"""

from __future__ import annotations

from pysophoscentralapi.models._base import RequiredIdNameRef, SophosModel, Timestamp

__all__ = ["Admin", "AdminProfile", "AdminTenant", "AdminUser", "RoleAssignment"]


class AdminTenant(RequiredIdNameRef):
    """``tenant``: the tenant the admin belongs to."""


class AdminUser(RequiredIdNameRef):
    """One of the directory users behind an admin (``users[]``)."""


class AdminProfile(SophosModel):
    """``profile``: the admin's name and login email."""

    name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None


class RoleAssignment(SophosModel):
    """A role held by an admin (``roleAssignments[]``, ``/admins/{id}/role-assignments``)."""

    id: str
    role_id: str | None = None


class Admin(SophosModel):
    """A tenant admin (``GET /common/v1/admins/{adminId}``)."""

    id: str
    tenant: AdminTenant | None = None
    users: list[AdminUser] = []
    profile: AdminProfile | None = None
    role_assignments: list[RoleAssignment] = []
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None

    @property
    def role_ids(self) -> list[str]:
        """The ids of the roles the admin holds."""
        return [ra.role_id for ra in self.role_assignments if ra.role_id is not None]
