"""The API's enumerations and their known values, without pydantic (so the CLI's help is fast).

Every enum is tolerant: values Sophos adds later still parse. The tuples of known values
(``HEALTH_STATUSES``, ...) are what the library and the CLI validate filter arguments against and
what ``--help`` lists; the model modules (:mod:`pysophoscentralapi.models.endpoints`, ...) export
the same names, next to the models that use them.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self


class TolerantEnum(StrEnum):
    """A string enum that accepts values it does not know (the API adds values over time).

    >>> class Colour(TolerantEnum):
    ...     RED = "red"
    >>> Colour("ultraviolet").value
    'ultraviolet'
    """

    @classmethod
    def _missing_(cls, value: object) -> Self | None:
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return member


# --- endpoints ----------------------------------------------------------------------------


class HealthStatus(TolerantEnum):
    """Overall, threat and service health of an endpoint."""

    GOOD = "good"
    BAD = "bad"
    SUSPICIOUS = "suspicious"
    UNKNOWN = "unknown"


class EndpointType(TolerantEnum):
    """Kind of endpoint (``securityVm`` is no longer used by Sophos, but still accepted)."""

    COMPUTER = "computer"
    SERVER = "server"
    SECURITY_VM = "securityVm"


class LockdownStatus(TolerantEnum):
    """Server lockdown status. Sophos now reports several of the older values differently:
    ``creatingWhitelist``/``installing``/``registering``/``starting`` as ``locking``, ``stopping`` as
    ``locked`` and ``uninstalled`` as ``unlocked``."""

    CREATING_WHITELIST = "creatingWhitelist"
    INSTALLING = "installing"
    LOCKED = "locked"
    LOCKING = "locking"
    NOT_INSTALLED = "notInstalled"
    REGISTERING = "registering"
    STARTING = "starting"
    STOPPING = "stopping"
    UNAVAILABLE = "unavailable"
    UNINSTALLED = "uninstalled"
    UNLOCKED = "unlocked"


class IsolationStatus(TolerantEnum):
    """Isolation status shown on an endpoint (``isolation.status``) and used as a list filter."""

    ISOLATED = "isolated"
    NOT_ISOLATED = "notIsolated"


class EndpointView(TolerantEnum):
    """How much of each endpoint the API returns: ``basic`` (id, type, tenant, hostname),
    ``summary`` (the default) or ``full``."""

    BASIC = "basic"
    SUMMARY = "summary"
    FULL = "full"


class SearchField(TolerantEnum):
    """Fields that ``search=`` looks in (default: all of them)."""

    HOSTNAME = "hostname"
    GROUP_NAME = "groupName"
    ASSOCIATED_PERSON_NAME = "associatedPersonName"
    IP_ADDRESSES = "ipAddresses"
    OS_NAME = "osName"


def _values(enum: type[TolerantEnum]) -> tuple[str, ...]:
    return tuple(member.value for member in enum)


#: Known values of the ``list()`` filters, for validation and ``click.Choice``.
HEALTH_STATUSES = _values(HealthStatus)
ENDPOINT_TYPES = _values(EndpointType)
LOCKDOWN_STATUSES = _values(LockdownStatus)
ISOLATION_STATUSES = _values(IsolationStatus)
ENDPOINT_VIEWS = _values(EndpointView)
SEARCH_FIELDS = _values(SearchField)

#: The endpoint fields ``view=basic`` returns, and those only ``view=full`` returns (the rest come
#: with ``summary`` and ``full``): the CLI checks ``--fields`` by them, the emulator answers by them.
ENDPOINT_BASIC_VIEW_FIELDS = ("id", "type", "tenant", "hostname")
ENDPOINT_FULL_VIEW_FIELDS = (
    "ipv6Addresses",
    "serialNumber",
    "cloned",
    "encryption",
    "lastOsUpdateAt",
    "lastAgentUpdateAt",
    "cloud",
)


# --- alerts -------------------------------------------------------------------------------


class AlertSeverity(TolerantEnum):
    """How serious an alert is."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class AlertCategory(TolerantEnum):
    """What an alert is about (the ``category`` filter)."""

    AZURE = "azure"
    AD_SYNC = "adSync"
    APPLICATION_CONTROL = "applicationControl"
    APP_REPUTATION = "appReputation"
    BLOCK_LISTED = "blockListed"
    CONNECTIVITY = "connectivity"
    CWG = "cwg"
    DENC = "denc"
    DOWNLOAD_REPUTATION = "downloadReputation"
    ENDPOINT_FIREWALL = "endpointFirewall"
    FENC = "fenc"
    FORENSIC_SNAPSHOT = "forensicSnapshot"
    GENERAL = "general"
    IAAS = "iaas"
    IAAS_AZURE = "iaasAzure"
    ISOLATION = "isolation"
    MALWARE = "malware"
    MTR = "mtr"
    MOBILES = "mobiles"
    POLICY = "policy"
    PROTECTION = "protection"
    PUA = "pua"
    RUNTIME_DETECTIONS = "runtimeDetections"
    SECURITY = "security"
    SMC = "smc"
    SYSTEM_HEALTH = "systemHealth"
    UAV = "uav"
    UNCATEGORIZED = "uncategorized"
    UPDATING = "updating"
    UTM = "utm"
    VIRT = "virt"
    WIRELESS = "wireless"
    XG_EMAIL = "xgEmail"
    ZTNA_RESOURCE = "ztnaResource"


class AlertProduct(TolerantEnum):
    """The product that raised an alert (the ``product`` filter)."""

    OTHER = "other"
    ENDPOINT = "endpoint"
    SERVER = "server"
    MOBILE = "mobile"
    ENCRYPTION = "encryption"
    EMAIL_GATEWAY = "emailGateway"
    WEB_GATEWAY = "webGateway"
    PHISH_THREAT = "phishThreat"
    WIRELESS = "wireless"
    IAAS = "iaas"
    FIREWALL = "firewall"
    ZTNA = "ztna"


class AlertAction(TolerantEnum):
    """An action that can be taken on an alert (when listed in its ``allowed_actions``)."""

    ACKNOWLEDGE = "acknowledge"
    CLEAN_PUA = "cleanPua"
    CLEAN_VIRUS = "cleanVirus"
    AUTH_PUA = "authPua"
    CLEAR_THREAT = "clearThreat"
    CLEAR_HMPA = "clearHmpa"
    SEND_MSG_PUA = "sendMsgPua"
    SEND_MSG_THREAT = "sendMsgThreat"


class AlertActionStatus(TolerantEnum):
    """Progress of an alert action."""

    REQUESTED = "requested"
    STARTED = "started"
    COMPLETED = "completed"


#: The known values, in the API's spelling, for validation and ``click.Choice``.
ALERT_SEVERITIES: tuple[str, ...] = tuple(m.value for m in AlertSeverity)
ALERT_CATEGORIES: tuple[str, ...] = tuple(m.value for m in AlertCategory)
ALERT_PRODUCTS: tuple[str, ...] = tuple(m.value for m in AlertProduct)
ALERT_ACTIONS: tuple[str, ...] = tuple(m.value for m in AlertAction)


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


#: The endpoint types the event journal is set for.
EVENT_JOURNAL_ENDPOINT_TYPES: tuple[str, ...] = ("computer", "server")


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
ROLE_TYPES: tuple[str, ...] = tuple(t.value for t in RoleType)
#: Valid values of ``principalType``.
PRINCIPAL_TYPES: tuple[str, ...] = tuple(t.value for t in PrincipalType)
#: Valid values of the ``type`` filter of ``GET /roles/permission-sets``.
PERMISSION_SET_TYPES: tuple[str, ...] = tuple(t.value for t in PermissionSetType)
#: Valid values of the ``access`` filter of ``GET /roles/permission-sets``.
PERMISSION_SET_ACCESS: tuple[str, ...] = tuple(a.value for a in PermissionSetAccess)


# --- directory ----------------------------------------------------------------------------


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
#: Fields the API sorts groups by (directory user groups and endpoint groups alike).
GROUP_SORT_FIELDS: tuple[str, ...] = ("id", "name", "createdAt", "updatedAt")


# --- live discover ---------------------------------------------------------------------------

#: What a Live Discover enrichment looks up (``type``).
ENRICHMENT_TYPES: tuple[str, ...] = (
    "ipAddress",
    "sha256",
    "domain",
    "url",
    "filePath",
    "deviceName",
)


# --- query runs (XDR Data Lake, Live Discover, detections) ---------------------------------


class RunStatus(TolerantEnum):
    """Where a run is: ``pending`` → ``started`` → ``finished``."""

    PENDING = "pending"
    STARTED = "started"
    FINISHED = "finished"


class RunResult(TolerantEnum):
    """How a run ended (``notAvailable`` until it has)."""

    NOT_AVAILABLE = "notAvailable"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    TIMED_OUT = "timedOut"
    CANCELED = "canceled"


RUN_STATUSES = _values(RunStatus)
RUN_RESULTS = _values(RunResult)


# --- cases --------------------------------------------------------------------------------


class CaseType(TolerantEnum):
    HUNT = "hunt"
    INCIDENT = "incident"
    EXPOSURE = "exposure"
    CUSTOMER_REQUEST = "customerRequest"
    GENERAL_REQUEST = "generalRequest"


class CaseSeverity(TolerantEnum):
    NOT_SET = "notSet"
    INFORMATIONAL = "informational"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class CaseStatus(TolerantEnum):
    """Self-managed cases use the first four; Sophos-managed ones add ``actionRequired``."""

    NEW = "new"
    INVESTIGATING = "investigating"
    ON_HOLD = "onHold"
    RESOLVED = "resolved"
    ACTION_REQUIRED = "actionRequired"


CASE_TYPES: tuple[str, ...] = tuple(t.value for t in CaseType)

CASE_SEVERITIES: tuple[str, ...] = tuple(s.value for s in CaseSeverity)

CASE_STATUSES: tuple[str, ...] = tuple(s.value for s in CaseStatus)

CASE_MANAGERS: tuple[str, ...] = ("self", "sophos")

CASE_VERDICTS: tuple[str, ...] = ("falsePositive", "truePositive")


# --- health -------------------------------------------------------------------------------


#: Values of the ``checks`` filter of ``GET /health-check`` (the areas of ``endpoint``).
HEALTH_CHECKS = ("protection", "policy", "exclusions", "tamperProtection")

#: Values of the ``products`` filter of ``GET /health-check``.
HEALTH_PRODUCTS = ("endpoint", "networkDevice")


# --- SIEM ---------------------------------------------------------------------------------


class SiemSeverity(TolerantEnum):
    """How serious a SIEM event or alert is (the collection's values)."""

    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"
    CRITICAL = "CRITICAL"


# --- tenants, whoami ----------------------------------------------------------------------


class TenantBillingType(TolerantEnum):
    """How a tenant is billed."""

    TERM = "term"
    TRIAL = "trial"
    USAGE = "usage"


TENANT_BILLING_TYPES = _values(TenantBillingType)


class IdType(TolerantEnum):
    TENANT = "tenant"
    PARTNER = "partner"
    ORGANIZATION = "organization"


# --- partner ------------------------------------------------------------------------------


#: ``scope.type`` of a partner role assignment ([PM25] samples): the partner account itself
#: (``self``), every tenant it manages (``allManagedTenants``), or one tenant (``tenant`` + ``id``).
ROLE_SCOPE_TYPES = ("self", "allManagedTenants", "tenant")


# --- endpoint groups, settings, policies, software, migrations -------------------------------


class EndpointGroupType(TolerantEnum):
    """What a group holds: computers or servers (an endpoint of the other kind is refused)."""

    COMPUTER = "computer"
    SERVER = "server"


#: The group types, as the API spells them.
GROUP_TYPES: tuple[str, ...] = tuple(member.value for member in EndpointGroupType)
#: Fields ``search`` can look in (the API's default: the name only).
GROUP_SEARCH_FIELDS: tuple[str, ...] = ("name", "description")
#: Sort fields of the blocked-address list (the API's default: ``createdAt:desc``).
BLOCKED_ADDRESS_SORT_FIELDS: tuple[str, ...] = ("item", "createdAt", "blockedUntil")
#: Types of an exploit-mitigation application.
EXPLOIT_APPLICATION_TYPES: tuple[str, ...] = ("detected", "custom")
#: Policy types seen in Sophos's collections (the API has more, e.g. server variants: the
#: library checks a type's form, not its membership in this list).
KNOWN_POLICY_TYPES: tuple[str, ...] = (
    "threat-protection",
    "peripheral-control",
    "application-control",
    "web-control",
    "device-encryption",
)
#: Static package types, platforms and endpoint types (the collection's examples show
#: ``fixed``, ``windows``, ``computer``; the others are INFERRED).
STATIC_PACKAGE_TYPES: tuple[str, ...] = ("fixed", "longTermSupport", "special")
PACKAGE_PLATFORMS: tuple[str, ...] = ("windows", "linux", "macOS")
PACKAGE_ENDPOINT_TYPES: tuple[str, ...] = ("computer", "server")
#: A migration job's side.
MIGRATION_MODES: tuple[str, ...] = ("sending", "receiving")
