"""Common API roles and permission sets (``/common/v1/roles``).

Example::

    >>> role = Role.model_validate(
    ...     {"id": "r1", "name": "Endpoint Admin", "type": "custom", "principalType": "user",
    ...      "permissionSets": ["central_admin", "endpoint_product_admin"]}
    ... )
    >>> role.type is RoleType.CUSTOM, role.permission_sets[1]
    (True, 'endpoint_product_admin')
"""

from __future__ import annotations

from pysophoscentralapi._enums.accounts import (
    PERMISSION_SET_ACCESS,
    PERMISSION_SET_TYPES,
    PRINCIPAL_TYPES,
    ROLE_TYPES,
    PermissionSetAccess,
    PermissionSetType,
    PrincipalType,
    RoleType,
)
from pysophoscentralapi.models._base import ApiBool, SophosModel, Timestamp

__all__ = [
    "PERMISSION_SET_ACCESS",
    "PERMISSION_SET_TYPES",
    "PRINCIPAL_TYPES",
    "ROLE_TYPES",
    "PermissionSet",
    "PermissionSetAccess",
    "PermissionSetType",
    "PrincipalType",
    "Role",
    "RoleType",
]


class Role(SophosModel):
    """A tenant role (``GET /common/v1/roles/{roleId}``).

    ``permission_sets`` holds permission set ids such as ``"central_admin"``.
    """

    id: str
    name: str | None = None
    description: str | None = None
    type: RoleType | None = None
    principal_type: PrincipalType | None = None
    permission_sets: list[str] = []
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None


class PermissionSet(SophosModel):
    """A permission set (``GET /common/v1/roles/permission-sets``); roles list them by ``id``."""

    id: str
    name: str | None = None
    description: str | None = None
    type: PermissionSetType | None = None
    access: PermissionSetAccess | None = None
    principal_types: list[PrincipalType] = []
    allowed_in_custom_roles: ApiBool | None = None
    products: list[str] = []
