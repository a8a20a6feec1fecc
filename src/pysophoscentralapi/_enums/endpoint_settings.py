"""The endpoint settings lists: allowed and blocked items, scanning exclusions, blocked
addresses, exploit mitigation, the event journal."""

from __future__ import annotations

from pysophoscentralapi._enums import TolerantEnum, known_values

# --- endpoint_settings --------------------------------------------------------------------


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
ALLOWED_ITEM_TYPES = known_values(AllowedItemType)
#: Types a blocked item can be created with.
BLOCKED_ITEM_TYPES = known_values(BlockedItemType)
#: Scanning exclusion types (filter of the list, and ``type`` of a new exclusion).
SCANNING_EXCLUSION_TYPES = known_values(ScanningExclusionType)
#: Scan modes of a scanning exclusion.
SCAN_MODES = known_values(ScanMode)
#: Exclusion types that take no scan mode (the API decides; sending one is refused).
TYPES_WITHOUT_SCAN_MODE: tuple[str, ...] = ("exploitMitigation", "behavioral")
#: The API's largest page for every settings list.
MAX_SETTINGS_PAGE_SIZE = 100
#: Directions of an isolation or intrusion-prevention exclusion.
EXCLUSION_DIRECTIONS: tuple[str, ...] = ("inbound", "outbound", "both")


#: The endpoint types the event journal is set for.
EVENT_JOURNAL_ENDPOINT_TYPES: tuple[str, ...] = ("computer", "server")
#: Sort fields of the blocked-address list (the API's default: ``createdAt:desc``).
BLOCKED_ADDRESS_SORT_FIELDS: tuple[str, ...] = ("item", "createdAt", "blockedUntil")
#: Types of an exploit-mitigation application.
EXPLOIT_APPLICATION_TYPES: tuple[str, ...] = ("detected", "custom")
