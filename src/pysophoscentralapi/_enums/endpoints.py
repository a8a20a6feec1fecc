"""Endpoints: health, type, lockdown, isolation, views, search fields."""

from __future__ import annotations

from pysophoscentralapi._enums import TolerantEnum, known_values

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


#: Known values of the ``list()`` filters, for validation and ``click.Choice``.
HEALTH_STATUSES = known_values(HealthStatus)
ENDPOINT_TYPES = known_values(EndpointType)
LOCKDOWN_STATUSES = known_values(LockdownStatus)
ISOLATION_STATUSES = known_values(IsolationStatus)
ENDPOINT_VIEWS = known_values(EndpointView)
SEARCH_FIELDS = known_values(SearchField)

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
