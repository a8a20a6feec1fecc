"""Common API directory: users and user groups (``/common/v1/directory``).

The argument checks of the admins, roles and users namespaces are in
:mod:`pysophoscentralapi._validation` (shared with the CLI).

Example::

    >>> user = DirectoryUser.model_validate({"id": "u1", "name": "Ann Lee", "source": {"type": "custom"}})
    >>> user.source.type is SourceType.CUSTOM
    True
"""

from __future__ import annotations

from pysophoscentralapi._enums import GROUP_SORT_FIELDS
from pysophoscentralapi._enums.accounts import SOURCE_TYPES, USER_SORT_FIELDS, SourceType
from pysophoscentralapi.models._base import RequiredIdNameRef, SophosModel, Timestamp

__all__ = [
    "GROUP_SORT_FIELDS",
    "SOURCE_TYPES",
    "USER_SORT_FIELDS",
    "DirectoryRef",
    "DirectoryRefs",
    "DirectorySource",
    "DirectoryTenant",
    "DirectoryUser",
    "SourceType",
    "UserGroup",
]


class DirectorySource(SophosModel):
    """``source``: the directory a user or group is synced from (or ``custom``)."""

    type: SourceType | None = None


class DirectoryTenant(RequiredIdNameRef):
    """``tenant``: the tenant a directory object belongs to."""


class DirectoryRef(RequiredIdNameRef):
    """A reference to a user or group (``{"id", "name"}``; real answers add ``displayName``)."""

    display_name: str | None = None


class DirectoryRefs(SophosModel):
    """A user's ``groups`` or a group's ``users``: a count and the references."""

    total: int | None = None
    items_count: int | None = None
    items: list[DirectoryRef] = []


class DirectoryUser(SophosModel):
    """A directory user (``GET /common/v1/directory/users/{userId}``)."""

    id: str
    name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    domain: str | None = None
    exchange_login: str | None = None
    groups: DirectoryRefs | None = None
    tenant: DirectoryTenant | None = None
    source: DirectorySource | None = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None


class UserGroup(SophosModel):
    """A directory user group (``GET /common/v1/directory/user-groups/{groupId}``)."""

    id: str
    name: str | None = None
    display_name: str | None = None
    description: str | None = None
    domain: str | None = None
    source: DirectorySource | None = None
    users: DirectoryRefs | None = None
    #: Groups this group belongs to (synced directories nest groups).
    groups: DirectoryRefs | None = None
    tenant: DirectoryTenant | None = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None
