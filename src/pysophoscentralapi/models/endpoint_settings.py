"""Endpoint API settings: allowed and blocked items, web-control local sites, global tamper
protection and scanning exclusions (``/endpoint/v1/settings/...``).

The known enum values are kept here as tuples too, so the CLI can offer them as choices and the
library can name them in its error messages::

    >>> SCAN_MODES
    ('onDemand', 'onAccess', 'onDemandAndOnAccess')
"""

from __future__ import annotations

from pydantic import Field

from pysophoscentralapi.models._base import SophosModel, Timestamp, TolerantEnum


class AllowedItemType(TolerantEnum):
    """What an allowed item matches on; the matching property must be set."""

    PATH = "path"
    SHA256 = "sha256"
    CERTIFICATE_SIGNER = "certificateSigner"


class BlockedItemType(TolerantEnum):
    """What a blocked item matches on: only ``sha256``."""

    SHA256 = "sha256"


class ScanningExclusionType(TolerantEnum):
    """The kind of thing a scanning exclusion excludes."""

    PATH = "path"
    POSIX_PATH = "posixPath"
    VIRTUAL_PATH = "virtualPath"
    PROCESS = "process"
    WEB = "web"
    PUA = "pua"
    EXPLOIT_MITIGATION = "exploitMitigation"
    AMSI = "amsi"
    BEHAVIORAL = "behavioral"
    JOURNAL_HASHING_PATH = "journalHashingPath"
    JOURNAL_HASHING_PROCESS = "journalHashingProcess"


class ScanMode(TolerantEnum):
    """When a scanning exclusion applies."""

    ON_DEMAND = "onDemand"
    ON_ACCESS = "onAccess"
    ON_DEMAND_AND_ON_ACCESS = "onDemandAndOnAccess"


#: Types an allowed item can be created with.
ALLOWED_ITEM_TYPES: tuple[str, ...] = tuple(member.value for member in AllowedItemType)
#: Types a blocked item can be created with.
BLOCKED_ITEM_TYPES: tuple[str, ...] = tuple(member.value for member in BlockedItemType)
#: Scanning exclusion types (filter of the list, and ``type`` of a new exclusion).
SCANNING_EXCLUSION_TYPES: tuple[str, ...] = tuple(member.value for member in ScanningExclusionType)
#: Scan modes of a scanning exclusion.
SCAN_MODES: tuple[str, ...] = tuple(member.value for member in ScanMode)
#: Exclusion types that take no scan mode (the API decides; sending one is refused).
TYPES_WITHOUT_SCAN_MODE: tuple[str, ...] = ("exploitMitigation", "behavioral")
#: The API's largest page for every settings list.
MAX_SETTINGS_PAGE_SIZE = 100
#: Directions of an isolation or intrusion-prevention exclusion.
EXCLUSION_DIRECTIONS: tuple[str, ...] = ("inbound", "outbound", "both")


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


class NetworkExclusion(SophosModel):
    """Traffic left alone by endpoint isolation (``type`` ``isolation``) or by intrusion
    prevention (``intrusionPrevention``): ports and remote addresses in a direction.

    >>> NetworkExclusion.model_validate({"id": "x1", "type": "isolation", "direction": "both",
    ...     "localPorts": [443], "remoteAddresses": ["10.0.0.1"]}).local_ports
    [443]
    """

    id: str
    type: str | None = None
    direction: str | None = None
    comment: str | None = None
    local_ports: list[int] = Field(default_factory=list)
    remote_ports: list[int] = Field(default_factory=list)
    remote_addresses: list[str] = Field(default_factory=list)


class BlockedAddress(SophosModel):
    """An IP address, network or range blocked from communicating with the endpoints.

    The collection shows the item only as ``{}``; its fields follow the list's sort fields
    (``item``, ``createdAt``, ``blockedUntil``).
    """

    id: str
    item: str | None = None
    created_at: Timestamp | None = None
    blocked_until: Timestamp | None = None


class UnblockResult(SophosModel):
    """The answer to unblocking addresses: the ids that could not be deleted."""

    failed_to_delete: list[str] = Field(default_factory=list)


#: Sort fields of the blocked-address list (the API's default: ``createdAt:desc``).
BLOCKED_ADDRESS_SORT_FIELDS: tuple[str, ...] = ("item", "createdAt", "blockedUntil")


class GlobalTamperProtection(SophosModel):
    """The tenant-wide Tamper Protection switch (``GET /settings/tamper-protection``).

    Tamper protection can be turned on for an endpoint only while this is on.
    """

    enabled: bool


__all__ = [
    "ALLOWED_ITEM_TYPES",
    "BLOCKED_ADDRESS_SORT_FIELDS",
    "BLOCKED_ITEM_TYPES",
    "EXCLUSION_DIRECTIONS",
    "MAX_SETTINGS_PAGE_SIZE",
    "SCANNING_EXCLUSION_TYPES",
    "SCAN_MODES",
    "TYPES_WITHOUT_SCAN_MODE",
    "AllowedItem",
    "AllowedItemType",
    "BlockedAddress",
    "BlockedItem",
    "BlockedItemType",
    "EndpointRef",
    "GlobalTamperProtection",
    "ItemProperties",
    "LocalSite",
    "NetworkExclusion",
    "PrincipalRef",
    "ScanMode",
    "ScanningExclusion",
    "ScanningExclusionType",
    "UnblockResult",
    "WebControlCategory",
]
