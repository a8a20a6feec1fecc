"""Endpoint API settings: allowed and blocked items, web-control local sites, global tamper
protection and scanning exclusions (``/endpoint/v1/settings/...``).

The known enum values are kept here as tuples too, so the CLI can offer them as choices and the
library can name them in its error messages::

    >>> SCAN_MODES
    ('onDemand', 'onAccess', 'onDemandAndOnAccess')
"""

from __future__ import annotations

from pydantic import Field

from pysophoscentralapi._enums.endpoint_settings import (
    ALLOWED_ITEM_TYPES,
    BLOCKED_ADDRESS_SORT_FIELDS,
    BLOCKED_ITEM_TYPES,
    EVENT_JOURNAL_ENDPOINT_TYPES,
    EXCLUSION_DIRECTIONS,
    EXPLOIT_APPLICATION_TYPES,
    MAX_SETTINGS_PAGE_SIZE,
    SCAN_MODES,
    SCANNING_EXCLUSION_TYPES,
    TYPES_WITHOUT_SCAN_MODE,
    AllowedItemType,
    BlockedItemType,
    ScanMode,
    ScanningExclusionType,
)
from pysophoscentralapi.models._base import ApiBool, IdNameRef, IdRef, SophosModel, Timestamp


class PrincipalRef(IdNameRef):
    """Who created an item, or the person it came from: ``id`` and ``name``."""


class EndpointRef(IdRef):
    """The endpoint an item was seen on."""


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
    locked_by_managing_account: ApiBool | None = None


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


class ExploitMitigationModifications(SophosModel):
    """How an application's exploit mitigation differs from its category's."""

    protected: ApiBool | None = None
    settings: dict[str, bool] = Field(default_factory=dict)


class ExploitMitigationApplication(SophosModel):
    r"""An application exploit mitigation protects: ``detected`` by Sophos or ``custom``.

    >>> ExploitMitigationApplication.model_validate({"id": "a1", "type": "custom",
    ...     "paths": ["$programfiles\\FooApp\\foo.exe"]}).paths[0].endswith("\\foo.exe")
    True
    """

    id: str
    name: str | None = None
    paths: list[str] = Field(default_factory=list)
    category: str | None = None
    type: str | None = None
    modifications: ExploitMitigationModifications | None = None


class ExploitMitigationCategory(SophosModel):
    """A category of applications (browsers, office...) and its mitigation settings."""

    id: str
    name: str | None = None
    settings: dict[str, bool] = Field(default_factory=dict)


class NamedRef(IdNameRef):
    """Who or what, by ``id`` and ``name``/``hostname``."""

    hostname: str | None = None


class DetectedExploit(SophosModel):
    """An exploit detected on the endpoints (exclude it by its ``thumbprint``)."""

    id: str
    thumbprint: str | None = None
    count: int | None = None
    description: str | None = None
    first_seen_at: Timestamp | None = None
    last_seen_at: Timestamp | None = None
    last_user: NamedRef | None = None
    last_endpoint: NamedRef | None = None


class Peripheral(SophosModel):
    """A peripheral (storage, network adapter, Bluetooth...) peripheral control has seen."""

    id: str
    type: str | None = None
    category: str | None = None
    model: str | None = None
    model_id: str | None = None
    instance_id: str | None = None
    last_endpoint_hostname: str | None = None
    last_used_by: str | None = None
    last_action_taken: str | None = None
    first_seen_at: Timestamp | None = None
    last_seen_at: Timestamp | None = None


class RecommendedValue(SophosModel):
    """A setting's ``value`` and the ``recommendedValue``."""

    value: int | None = None
    recommended_value: int | None = None


class EventJournalSettings(SophosModel):
    """How much disk the event journal of computers or servers may use."""

    use_recommended: ApiBool | None = None
    disk_space_limit_in_mb: RecommendedValue | None = Field(
        default=None, alias="diskSpaceLimitInMB"
    )
    disk_space_limit_as_percentage: RecommendedValue | None = None


class ExcludedWebsite(SophosModel):
    """A website TLS decryption leaves alone."""

    value: str
    comment: str | None = None


class TlsCategory(SophosModel):
    """A web category and whether TLS decryption applies to it."""

    id: int
    decryption_enabled: ApiBool | None = None


class TlsExcludedWebsites(SophosModel):
    """The first excluded websites and how many there are."""

    items_count: int | None = None
    total: int | None = None
    items: list[ExcludedWebsite] = Field(default_factory=list)


class TlsDecryptionSettings(SophosModel):
    """Web-control TLS decryption: per-category switch and the excluded websites."""

    categories: list[TlsCategory] = Field(default_factory=list)
    excluded_websites: TlsExcludedWebsites | None = None


class ExcludedWebsitesChange(SophosModel):
    """The answer to adding/removing excluded websites."""

    added: list[ExcludedWebsite] = Field(default_factory=list)
    removed: list[ExcludedWebsite] = Field(default_factory=list)


class GlobalTamperProtection(SophosModel):
    """The tenant-wide Tamper Protection switch (``GET /settings/tamper-protection``).

    Tamper protection can be turned on for an endpoint only while this is on.
    """

    enabled: ApiBool


__all__ = [
    "ALLOWED_ITEM_TYPES",
    "BLOCKED_ADDRESS_SORT_FIELDS",
    "BLOCKED_ITEM_TYPES",
    "EVENT_JOURNAL_ENDPOINT_TYPES",
    "EXCLUSION_DIRECTIONS",
    "EXPLOIT_APPLICATION_TYPES",
    "MAX_SETTINGS_PAGE_SIZE",
    "SCANNING_EXCLUSION_TYPES",
    "SCAN_MODES",
    "TYPES_WITHOUT_SCAN_MODE",
    "AllowedItem",
    "AllowedItemType",
    "BlockedAddress",
    "BlockedItem",
    "BlockedItemType",
    "DetectedExploit",
    "EndpointRef",
    "EventJournalSettings",
    "ExcludedWebsite",
    "ExcludedWebsitesChange",
    "ExploitMitigationApplication",
    "ExploitMitigationCategory",
    "ExploitMitigationModifications",
    "GlobalTamperProtection",
    "ItemProperties",
    "LocalSite",
    "NamedRef",
    "NetworkExclusion",
    "Peripheral",
    "PrincipalRef",
    "RecommendedValue",
    "ScanMode",
    "ScanningExclusion",
    "ScanningExclusionType",
    "TlsCategory",
    "TlsDecryptionSettings",
    "TlsExcludedWebsites",
    "UnblockResult",
    "WebControlCategory",
]
