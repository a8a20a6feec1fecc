"""Endpoint API settings: allowed and blocked items, web-control local sites, global tamper
protection and scanning exclusions (``/endpoint/v1/settings/...``).

The known enum values are kept here as tuples too, so the CLI can offer them as choices and the
library can name them in its error messages::

    >>> SCAN_MODES
    ('onDemand', 'onAccess', 'onDemandAndOnAccess')
"""

from __future__ import annotations

from pydantic import Field

from pysophoscentralapi._enums import (
    ALLOWED_ITEM_TYPES,
    BLOCKED_ITEM_TYPES,
    MAX_SETTINGS_PAGE_SIZE,
    SCAN_MODES,
    SCANNING_EXCLUSION_TYPES,
    TYPES_WITHOUT_SCAN_MODE,
    AllowedItemType,
    BlockedItemType,
    ScanMode,
    ScanningExclusionType,
)
from pysophoscentralapi.models._base import SophosModel, Timestamp


class PrincipalRef(SophosModel):
    """Who created an item, or the person it came from: ``id`` and ``name``."""

    id: str | None = None
    name: str | None = None


class EndpointRef(SophosModel):
    """The endpoint an item was seen on."""

    id: str | None = None


class ItemProperties(SophosModel):
    """The file an allowed or blocked item describes (only some fields are set)."""

    file_name: str | None = None
    path: str | None = None
    sha256: str | None = None
    certificate_signer: str | None = None


class _FileItem(SophosModel):
    id: str
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None
    properties: ItemProperties = Field(default_factory=ItemProperties)
    comment: str | None = None
    created_by: PrincipalRef | None = None
    origin_person: PrincipalRef | None = None
    origin_endpoint: EndpointRef | None = None


class AllowedItem(_FileItem):
    """An application exempted from detection (``/settings/allowed-items``).

    >>> item = AllowedItem.model_validate({"id": "a1", "type": "sha256",
    ...     "properties": {"sha256": "ab" * 32, "fileName": "tool.exe"}})
    >>> item.type, item.properties.file_name
    (<AllowedItemType.SHA256: 'sha256'>, 'tool.exe')
    """

    type: AllowedItemType | None = None


class BlockedItem(_FileItem):
    """An application blocked everywhere by its SHA-256 (``/settings/blocked-items``)."""

    type: BlockedItemType | None = None


class LocalSite(SophosModel):
    """A web-control local site: a URL given its own category and/or tags.

    >>> LocalSite.model_validate({"id": "s1", "url": "intranet.example", "categoryId": 50}).category_id
    50
    """

    id: str
    url: str | None = None
    category_id: int | None = None
    tags: list[str] = Field(default_factory=list)
    comment: str | None = None


class WebControlCategory(SophosModel):
    """A web-control category (``id`` is what :attr:`LocalSite.category_id` refers to)."""

    id: int
    name: str | None = None
    label: str | None = None


class ScanningExclusion(SophosModel):
    """A scanning exclusion (``/settings/exclusions/scanning``).

    ``locked_by_managing_account`` is true for exclusions set by a partner or enterprise admin:
    the tenant cannot change or delete those (403).
    """

    id: str
    value: str | None = None
    type: ScanningExclusionType | None = None
    scan_mode: ScanMode | None = None
    description: str | None = None
    comment: str | None = None
    locked_by_managing_account: bool | None = None


class GlobalTamperProtection(SophosModel):
    """The tenant-wide Tamper Protection switch (``GET /settings/tamper-protection``).

    Tamper protection can be turned on for an endpoint only while this is on.
    """

    enabled: bool


__all__ = [
    "ALLOWED_ITEM_TYPES",
    "BLOCKED_ITEM_TYPES",
    "MAX_SETTINGS_PAGE_SIZE",
    "SCANNING_EXCLUSION_TYPES",
    "SCAN_MODES",
    "TYPES_WITHOUT_SCAN_MODE",
    "AllowedItem",
    "AllowedItemType",
    "BlockedItem",
    "BlockedItemType",
    "EndpointRef",
    "GlobalTamperProtection",
    "ItemProperties",
    "LocalSite",
    "PrincipalRef",
    "ScanMode",
    "ScanningExclusion",
    "ScanningExclusionType",
    "WebControlCategory",
]
