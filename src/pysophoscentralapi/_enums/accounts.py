"""Roles, directory users and groups, tenants, whoami, partner role scopes."""

from __future__ import annotations

from pysophoscentralapi._enums import TolerantEnum, known_values

# --- roles --------------------------------------------------------------------------------


class RoleType(TolerantEnum):
    """``type`` of a role: Sophos' own, or made by the tenant."""

    PREDEFINED = "predefined"
    CUSTOM = "custom"


class PrincipalType(TolerantEnum):
    """Who a role is for: admins (``user``) or API credentials (``service``)."""

    USER = "user"
    SERVICE = "service"


class PermissionSetType(TolerantEnum):
    """``type`` of a permission set."""

    BASE = "base"
    SETTING = "setting"
    PRODUCT = "product"


class PermissionSetAccess(TolerantEnum):
    """``access`` level of a permission set."""

    ADMIN = "admin"
    READ_ONLY = "readOnly"


#: Valid values of the ``type`` filter of ``GET /roles``.
ROLE_TYPES = known_values(RoleType)
#: Valid values of ``principalType``.
PRINCIPAL_TYPES = known_values(PrincipalType)
#: Valid values of the ``type`` filter of ``GET /roles/permission-sets``.
PERMISSION_SET_TYPES = known_values(PermissionSetType)
#: Valid values of the ``access`` filter of ``GET /roles/permission-sets``.
PERMISSION_SET_ACCESS = known_values(PermissionSetAccess)


# --- directory ----------------------------------------------------------------------------


class SourceType(TolerantEnum):
    """Where a directory user or group comes from (``source.type``)."""

    CUSTOM = "custom"
    ACTIVE_DIRECTORY = "activeDirectory"
    AZURE_ACTIVE_DIRECTORY = "azureActiveDirectory"


#: Valid ``sourceType`` filter values.
SOURCE_TYPES = known_values(SourceType)
#: Fields the API sorts users by (``sort=name:desc``).
USER_SORT_FIELDS = (
    "id",
    "name",
    "firstName",
    "lastName",
    "email",
    "exchangeLogin",
    "createdAt",
    "updatedAt",
)


# --- tenants, whoami ----------------------------------------------------------------------


class TenantBillingType(TolerantEnum):
    """How a tenant is billed."""

    TERM = "term"
    TRIAL = "trial"
    USAGE = "usage"


TENANT_BILLING_TYPES = known_values(TenantBillingType)


class IdType(TolerantEnum):
    TENANT = "tenant"
    PARTNER = "partner"
    ORGANIZATION = "organization"


# --- partner ------------------------------------------------------------------------------


#: ``scope.type`` of a partner role assignment ([PM25] samples): the partner account itself
#: (``self``), every tenant it manages (``allManagedTenants``), or one tenant (``tenant`` + ``id``).
ROLE_SCOPE_TYPES = ("self", "allManagedTenants", "tenant")
