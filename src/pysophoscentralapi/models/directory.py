"""Common API directory: users and user groups (``/common/v1/directory``), and the argument checks
shared by the admins, roles and users namespaces (so the CLI can run the same checks).

Example::

    >>> user = DirectoryUser.model_validate({"id": "u1", "name": "Ann Lee", "source": {"type": "custom"}})
    >>> user.source.type is SourceType.CUSTOM
    True
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Collection, Sequence
from typing import Any

from pysophoscentralapi._page import ModelT, validate_item
from pysophoscentralapi.models._base import SophosModel, Timestamp, TolerantEnum

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
    "check_choice",
    "check_email",
    "check_page_size",
    "check_sort",
    "check_uuid",
    "check_uuids",
    "csv_value",
    "parse_result",
]


class SourceType(TolerantEnum):
    """Where a directory user or group comes from (``source.type``)."""

    CUSTOM = "custom"
    ACTIVE_DIRECTORY = "activeDirectory"
    AZURE_ACTIVE_DIRECTORY = "azureActiveDirectory"


#: Valid ``sourceType`` filter values.
SOURCE_TYPES: tuple[str, ...] = tuple(s.value for s in SourceType)
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
#: Fields the API sorts groups by.
GROUP_SORT_FIELDS = ("id", "name", "createdAt", "updatedAt")


class DirectorySource(SophosModel):
    """``source``: the directory a user or group is synced from (or ``custom``)."""

    type: SourceType | None = None


class DirectoryTenant(SophosModel):
    """``tenant``: the tenant a directory object belongs to."""

    id: str
    name: str | None = None


class DirectoryRef(SophosModel):
    """A reference to a user or group (``{"id", "name"}``)."""

    id: str
    name: str | None = None


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
    description: str | None = None
    domain: str | None = None
    source: DirectorySource | None = None
    users: DirectoryRefs | None = None
    tenant: DirectoryTenant | None = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None


# --- argument checks (raise ValueError before anything is sent) ----------------------------------

_EMAIL = re.compile(r"^[^@\s,;<>()\[\]\"]+@[^@\s,;<>()\[\]\"]+\.[^@\s.,;<>()\[\]\"]+$")


def check_uuid(value: str, name: str) -> str:
    """``value`` as a lower-case UUID string, or ``ValueError`` naming ``name``.

    >>> check_uuid("E1C7AA85-7863-4561-A50E-2B345B0E16E5", "admin_id")
    'e1c7aa85-7863-4561-a50e-2b345b0e16e5'
    """
    try:
        return str(uuid.UUID(str(value).strip()))
    except (ValueError, AttributeError):
        raise ValueError(
            f"{name}: {value!r} is not a valid id (expected a UUID such as "
            "e1c7aa85-7863-4561-a50e-2b345b0e16e5)"
        ) from None


def check_uuids(values: Sequence[str] | str, name: str, *, allow_empty: bool = False) -> list[str]:
    """Several UUIDs (duplicates dropped, order kept); ``ValueError`` for a bad one or none."""
    if isinstance(values, str):
        values = [values]
    checked = list(dict.fromkeys(check_uuid(v, name) for v in values))
    if not checked and not allow_empty:
        raise ValueError(f"{name}: give at least one id")
    return checked


def check_email(value: str, name: str = "email") -> str:
    """``value`` if it looks like an email address, else ``ValueError``.

    >>> check_email("ann.lee@example.com")
    'ann.lee@example.com'
    """
    text = str(value).strip()
    if not _EMAIL.match(text):
        raise ValueError(
            f"{name}: {value!r} is not a valid email address (expected name@domain.tld)"
        )
    return text


def check_choice(value: str, name: str, valid: Collection[str]) -> str:
    """``value`` if it is one of ``valid``, else ``ValueError`` listing the valid values.

    >>> check_choice("custom", "source_type", SOURCE_TYPES)
    'custom'
    """
    text = str(value)
    if text not in valid:
        raise ValueError(f"{name}: {value!r} is not valid; valid values: {', '.join(valid)}")
    return text


def check_sort(sort: str | Sequence[str], valid: Collection[str] | None) -> str:
    """The API's ``sort`` value (``field[:asc|:desc]``, comma-separated) from one or more criteria.

    ``valid`` lists the sortable fields (``None``: not documented, so any field is passed on).

    >>> check_sort(["name", "createdAt:desc"], USER_SORT_FIELDS)
    'name,createdAt:desc'
    """
    criteria = [sort] if isinstance(sort, str) else list(sort)
    parts: list[str] = []
    for criterion in criteria:
        for item in str(criterion).split(","):
            field, sep, direction = item.strip().partition(":")
            if not field or (sep and direction not in ("asc", "desc")):
                raise ValueError(f"sort: {item!r} is not FIELD, FIELD:asc or FIELD:desc")
            if valid is not None and field not in valid:
                raise ValueError(
                    f"sort: {field!r} is not a sortable field; valid fields: {', '.join(valid)}"
                )
            parts.append(item.strip())
    if not parts:
        raise ValueError("sort: give at least one field")
    return ",".join(parts)


def check_page_size(page_size: int, maximum: int) -> int:
    """``page_size`` if it is 1..``maximum``, else ``ValueError``."""
    if (
        isinstance(page_size, bool)
        or not isinstance(page_size, int)
        or not 1 <= page_size <= maximum
    ):
        raise ValueError(f"page_size: {page_size!r} is not valid; use 1 to {maximum}")
    return page_size


def csv_value(values: str | Sequence[str] | None) -> str | None:
    """A list query parameter as the API takes it (comma-separated), ``None`` when not given."""
    if values is None:
        return None
    if isinstance(values, str):
        return values
    return ",".join(str(v) for v in values) or None


def parse_result(model: type[ModelT], body: Any, *, dry_run: bool) -> ModelT:
    """The model of a state-changing call's answer.

    In a dry run nothing was sent and the transport answers ``{}``: that gives an empty model
    (built without validation; its fields are unset) instead of a validation error.
    """
    if dry_run and body == {}:
        return model.model_construct()
    return validate_item(model, body)
