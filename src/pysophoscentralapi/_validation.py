"""Argument checks shared by the API families (and the CLI): each raises ``ValueError`` naming the
parameter before anything is sent.

The checks return the value as it is sent (a canonical UUID, a stripped list, ...). Messages start
with the parameter's name, then what is wrong, then what would be right::

    >>> check_uuid("3F2C1D6E-8F7A-4B7E-9A55-1C2D3E4F5A6B", "endpoint_id")
    '3f2c1d6e-8f7a-4b7e-9a55-1c2d3e4f5a6b'
    >>> check_choice("onAccess", "scan_mode", ("onDemand", "onAccess"))
    'onAccess'
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Any

__all__ = [
    "EXAMPLE_UUID",
    "canonical_uuid",
    "check_bool",
    "check_choice",
    "check_email",
    "check_form",
    "check_name",
    "check_page_size",
    "check_sha256",
    "check_sort",
    "check_text",
    "check_uuid",
    "check_uuids",
    "csv_value",
    "is_ip_address",
    "is_mac_address",
    "is_page_size",
    "is_uuid_text",
    "joined_values",
    "sort_param",
    "split_values",
    "text_fields",
]

#: The UUID shown in messages as an example of an id.
EXAMPLE_UUID = "3f2c1d6e-8f7a-4b7e-9a55-1c2d3e4f5a6b"

# Patterns as text, compiled on first use (``re`` caches them): the CLI's help imports this
# module and need not pay for compiling them.
_UUID_TEXT = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_SHA256 = r"[0-9a-fA-F]{64}"
_MAC = r"[0-9A-Fa-f]+([:.-][0-9A-Fa-f]+)*"
_EMAIL = r"^[^@\s,;<>()\[\]\"]+@[^@\s,;<>()\[\]\"]+\.[^@\s.,;<>()\[\]\"]+$"


# --- ids -------------------------------------------------------------------------------------------


def canonical_uuid(value: object) -> str | None:
    """``value`` as a lower-case UUID (any form :class:`uuid.UUID` reads), ``None`` if it is none.

    >>> canonical_uuid(" 3F2C1D6E-8F7A-4B7E-9A55-1C2D3E4F5A6B "), canonical_uuid("acme")
    ('3f2c1d6e-8f7a-4b7e-9a55-1c2d3e4f5a6b', None)
    """
    try:
        return str(uuid.UUID(str(value).strip()))
    except ValueError:
        return None


def is_uuid_text(value: str) -> bool:
    """Whether ``value`` is a UUID written out in full (8-4-4-4-12 hex digits, any case).

    Stricter than :func:`canonical_uuid`, which also reads 32 bare digits, braces or ``urn:uuid:``.
    """
    return re.fullmatch(_UUID_TEXT, value.lower()) is not None


def check_uuid(value: str, name: str = "id", *, noun: str = "a valid id") -> str:
    """``value`` as a lower-case UUID, or ``ValueError`` naming ``name`` (``noun``: what it is).

    >>> check_uuid("bob", "user_id")
    Traceback (most recent call last):
    ValueError: user_id: 'bob' is not a valid id (a UUID such as 3f2c1d6e-8f7a-4b7e-9a55-1c2d3e4f5a6b)
    """
    canonical = canonical_uuid(value)
    if canonical is None:
        raise ValueError(f"{name}: {value!r} is not {noun} (a UUID such as {EXAMPLE_UUID})")
    return canonical


def check_uuids(
    values: Iterable[str] | str, name: str, *, noun: str = "a valid id", allow_empty: bool = False
) -> list[str]:
    """Several UUIDs (a str is one), checked with :func:`check_uuid`; duplicates dropped, order
    kept; ``ValueError`` for a bad one, or for none unless ``allow_empty``."""
    if isinstance(values, str):
        values = [values]
    checked = list(dict.fromkeys(check_uuid(v, name, noun=noun) for v in values))
    if not checked and not allow_empty:
        raise ValueError(f"{name}: give at least one id")
    return checked


# --- lists and choices -----------------------------------------------------------------------------


def split_values(
    value: str | Iterable[str] | None,
    name: str,
    *,
    split_items: bool = True,
    required: bool = False,
) -> list[str]:
    """The values of a list argument: a str is one value or several separated by commas; another
    iterable gives its items (each split on commas too, unless ``split_items`` is false).

    Values are stripped and empty ones dropped; ``None`` gives ``[]``. ``required``: ``ValueError``
    when no value is left.

    >>> split_values("good, bad", "health_status"), split_values(["a,b", "c"], "fields")
    (['good', 'bad'], ['a', 'b', 'c'])
    """
    if value is None:
        items: list[str] = []
    elif isinstance(value, str):
        items = [part.strip() for part in value.split(",")]
    else:
        items = []
        for item in value:
            if not isinstance(item, str):
                raise ValueError(f"{name}: expected strings, got {type(item).__name__}")
            parts = item.split(",") if split_items else [item]
            items.extend(part.strip() for part in parts)
    items = [item for item in items if item]
    if required and not items:
        raise ValueError(f"{name}: give at least one value")
    return items


def csv_value(values: str | Sequence[str] | None) -> str | None:
    """A list query parameter as the API takes it (comma-separated), ``None`` when not given."""
    if values is None:
        return None
    if isinstance(values, str):
        return values
    return ",".join(str(v) for v in values) or None


def joined_values(values: str | Iterable[str] | None, name: str) -> str | None:
    """A list argument (see :func:`split_values`) as the API's comma-separated value, ``None``
    when it has no values.

    >>> joined_values(["a", "b, c"], "fields"), joined_values([], "fields")
    ('a,b,c', None)
    """
    return ",".join(split_values(values, name)) or None


def check_choice(value: str, name: str, valid: Collection[str]) -> str:
    """``value`` if it is one of ``valid`` (case-sensitive, as the API), else ``ValueError`` listing
    the valid values.

    >>> check_choice("Custom", "source_type", ("custom", "activeDirectory"))
    Traceback (most recent call last):
    ValueError: source_type: 'Custom' is not valid; valid values: custom, activeDirectory
    """
    text = str(value)
    if text not in valid:
        raise ValueError(f"{name}: {value!r} is not valid; valid values: {', '.join(valid)}")
    return text


def check_choices(
    values: str | Sequence[str] | None, name: str, valid: Collection[str]
) -> str | None:
    """A list argument of enum values, checked, as the API's comma-separated value (``None`` if empty).

    >>> check_choices(["low", "high"], "severity", ("low", "medium", "high"))
    'low,high'
    """
    items = [check_choice(v, name, valid) for v in split_values(values, name)]
    return ",".join(items) or None


def check_sort(sort: str | Sequence[str], valid: Collection[str] | None) -> str:
    """The API's ``sort`` value (``field[:asc|:desc]``, comma-separated) from one or more criteria.

    ``valid`` lists the sortable fields (``None``: not documented, so any field is passed on).

    >>> check_sort(["name", "createdAt:desc"], ("name", "createdAt"))
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


def sort_param(sort: str | Sequence[str] | None, valid: Collection[str] | None) -> str | None:
    """A listing's ``sort`` parameter: :func:`check_sort` of ``sort``, ``None`` when none is given.

    >>> sort_param(None, None) is None
    True
    >>> sort_param("name:desc", ("name",))
    'name:desc'
    """
    return None if sort is None else check_sort(sort, valid)


# --- single values ---------------------------------------------------------------------------------


def is_page_size(page_size: object, maximum: int) -> bool:
    """Whether ``page_size`` is a whole number (not a bool) from 1 to ``maximum``."""
    return (
        isinstance(page_size, int) and not isinstance(page_size, bool) and 1 <= page_size <= maximum
    )


def check_page_size(page_size: int, maximum: int) -> int:
    """``page_size`` if it is a whole number from 1 to ``maximum`` (the API's largest page), else
    ``ValueError``: the one page-size check of every listing.

    >>> check_page_size(101, 100)
    Traceback (most recent call last):
    ValueError: page_size: 101 is not a whole number within 1..100
    """
    if not is_page_size(page_size, maximum):
        raise ValueError(f"page_size: {page_size!r} is not a whole number within 1..{maximum}")
    return page_size


def check_text(value: str, name: str) -> str:
    """``value`` if it is a string with something other than spaces in it, else ``ValueError``."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name}: expected a non-empty string")
    return value


def check_name(value: str, name: str = "name") -> str:
    """``value`` stripped, if it has something other than spaces in it (a name as sent), else
    ``ValueError``.

    >>> check_name("  Finance ")
    'Finance'
    """
    return check_text(value, name).strip()


def text_fields(
    fields: Mapping[str, str | None],
    checks: Mapping[str, Callable[[str, str], str]] | None = None,
) -> dict[str, Any]:
    """The text fields of a request body that are given (not ``None``), in their order: each
    stripped (:func:`check_name`), then put through its key's further check in ``checks``, if
    any (called with the text and the key, e.g. a :func:`check_choice` of the key's values).

    >>> text_fields({"name": " Finance ", "overview": None})
    {'name': 'Finance'}
    """
    body: dict[str, Any] = {}
    for key, value in fields.items():
        if value is None:
            continue
        text = check_name(value, key)
        check = checks.get(key) if checks else None
        body[key] = text if check is None else check(text, key)
    return body


def check_bool(value: bool, name: str) -> bool:
    """``value`` if it is ``True`` or ``False`` (not merely truthy), else ``ValueError``."""
    if not isinstance(value, bool):
        raise ValueError(f"{name}: expected True or False, got {value!r}")
    return value


def check_form(value: str, name: str, pattern: str, what: str) -> str:
    """``value`` (stripped) if ``pattern`` matches all of it, else ``ValueError`` saying
    "``name``: ``value`` is not ``what``".

    >>> check_form(" ab-1 ", "code", r"[a-z]+-[0-9]", "a code (like ab-1)")
    'ab-1'
    >>> check_form("ab", "code", r"[a-z]+-[0-9]", "a code (like ab-1)")
    Traceback (most recent call last):
    ValueError: code: 'ab' is not a code (like ab-1)
    """
    text = str(value).strip()
    if not re.fullmatch(pattern, text):
        raise ValueError(f"{name}: {value!r} is not {what}")
    return text


def check_email(value: str, name: str = "email") -> str:
    """``value`` (stripped) if it looks like an email address, else ``ValueError``.

    >>> check_email("ann.lee@example.com")
    'ann.lee@example.com'
    """
    return check_form(value, name, _EMAIL, "a valid email address (expected name@domain.tld)")


def check_sha256(value: str, name: str = "sha256") -> str:
    """``value`` (stripped) if it is a SHA-256 in hex (64 characters), else ``ValueError``.

    >>> check_sha256("AB" * 32)[:4]
    'ABAB'
    """
    text = str(value).strip()
    if not re.fullmatch(_SHA256, text):
        raise ValueError(
            f"{name}: {value!r} is not a SHA-256 hash (64 hexadecimal characters, "
            f"got {len(text)} characters)"
        )
    return text


def is_ip_address(text: str) -> bool:
    """Whether ``text`` is an IPv4 or IPv6 address."""
    import ipaddress  # not at import: the CLI's help paths import this module

    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def is_mac_address(text: str) -> bool:
    """Whether ``text`` is an EUI-48 or EUI-64 MAC address: hex digits, grouped by ``:``, ``-``
    or ``.`` or not at all (``01:23:45:67:89:AB``, ``0123.4567.89ab``, ``0123456789ab``)."""
    return re.fullmatch(_MAC, text) is not None and len(re.sub(r"[:.-]", "", text)) in (12, 16)
