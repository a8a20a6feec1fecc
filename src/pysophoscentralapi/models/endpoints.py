"""Endpoint API models: endpoints, isolation, tamper protection, scan / update-check requests.

Every field but ``id`` is optional (the ``basic`` view and partial responses leave most out, and
real listings omit absent fields); enums are tolerant, so values Sophos adds later still parse.
The tuples of known values (``HEALTH_STATUSES``, ...) are what the library and the CLI validate
filter arguments against.

>>> ep = Endpoint.model_validate({"id": "6f1c...", "hostname": "pc-1", "health": {"overall": "bad"}})
>>> ep.health.overall is HealthStatus.BAD
True
"""

from __future__ import annotations

from pydantic import Field

from pysophoscentralapi._enums.endpoints import (
    ENDPOINT_TYPES,
    ENDPOINT_VIEWS,
    HEALTH_STATUSES,
    ISOLATION_STATUSES,
    LOCKDOWN_STATUSES,
    SEARCH_FIELDS,
    EndpointType,
    EndpointView,
    HealthStatus,
    IsolationStatus,
    LockdownStatus,
    SearchField,
)
from pysophoscentralapi.models._base import (
    Actor,
    ApiBool,
    IdNameRef,
    IdRef,
    ListedModel,
    SophosModel,
    Timestamp,
)

__all__ = [
    "ENDPOINT_TYPES",
    "ENDPOINT_VIEWS",
    "HEALTH_STATUSES",
    "ISOLATION_STATUSES",
    "LOCKDOWN_STATUSES",
    "SEARCH_FIELDS",
    "AssignedProduct",
    "AssociatedPerson",
    "CloudInstance",
    "Encryption",
    "EncryptionVolume",
    "Endpoint",
    "EndpointIsolation",
    "EndpointIsolationStatus",
    "EndpointType",
    "EndpointView",
    "GroupRef",
    "Health",
    "HealthStatus",
    "IsolationActor",
    "IsolationSettings",
    "IsolationStatus",
    "Lockdown",
    "LockdownStatus",
    "OsInfo",
    "PreviousPassword",
    "ScanResult",
    "SearchField",
    "ServiceDetail",
    "ServicesHealth",
    "TamperProtection",
    "TenantRef",
    "ThreatsHealth",
    "UpdateCheckResult",
]


# --- the endpoint ----------------------------------------------------------------------------


class TenantRef(IdRef):
    """The tenant an endpoint or an endpoint group belongs to."""


class ThreatsHealth(SophosModel):
    """Threat health."""

    status: HealthStatus | None = None


class ServiceDetail(SophosModel):
    """One Sophos service on the endpoint; ``status`` is ``running``, ``stopped`` or ``missing``."""

    name: str | None = None
    status: str | None = None


class ServicesHealth(SophosModel):
    """Health of the Sophos services."""

    status: HealthStatus | None = None
    service_details: list[ServiceDetail] | None = None


class Health(SophosModel):
    """Endpoint health: ``overall`` plus threats and services."""

    overall: HealthStatus | None = None
    threats: ThreatsHealth | None = None
    services: ServicesHealth | None = None


class OsInfo(SophosModel):
    """Operating system; ``platform`` is ``windows``, ``linux`` or ``macOS``."""

    is_server: ApiBool | None = None
    platform: str | None = None
    name: str | None = None
    major_version: int | None = None
    minor_version: int | None = None
    build: int | str | None = None


class GroupRef(IdNameRef):
    """The endpoint group an endpoint is in."""


class AssociatedPerson(IdNameRef):
    """The person associated with an endpoint (usually the last user to log in)."""

    via_login: str | None = None


class AssignedProduct(SophosModel):
    """A product assigned to the endpoint (``code`` e.g. ``interceptX``, ``status`` ``installed``)."""

    code: str | None = None
    version: str | None = None
    status: str | None = None


class EncryptionVolume(SophosModel):
    """Encryption status of one volume."""

    volume_id: str | None = None
    status: str | None = None


class Encryption(SophosModel):
    """Disk encryption status."""

    volumes: list[EncryptionVolume] | None = None
    overall_status: str | None = None


class Lockdown(SophosModel):
    """Server lockdown state."""

    status: LockdownStatus | None = None
    update_status: str | None = None


class CloudInstance(SophosModel):
    """Cloud instance facts (``provider`` ``aws``, ``azure`` or ``gcp``)."""

    provider: str | None = None
    instance_id: str | None = None


class EndpointIsolationStatus(SophosModel):
    """Isolation as shown on an endpoint in listings (``status`` isolated / notIsolated)."""

    status: IsolationStatus | None = None
    admin_isolated: ApiBool | None = None
    self_isolated: ApiBool | None = None


class Endpoint(ListedModel):
    """An endpoint (computer or server) managed by Sophos Central.

    >>> Endpoint.model_validate({"id": "e1", "lastSeenAt": "2024-05-01T10:00:00.000Z"}).last_seen_at.year
    2024
    """

    id: str
    type: EndpointType | None = None
    tenant: TenantRef | None = None
    hostname: str | None = None
    health: Health | None = None
    os: OsInfo | None = None
    ipv4_addresses: list[str] | None = None
    ipv6_addresses: list[str] | None = None
    mac_addresses: list[str] | None = None
    group: GroupRef | None = None
    associated_person: AssociatedPerson | None = None
    tamper_protection_supported: ApiBool | None = None
    tamper_protection_enabled: ApiBool | None = None
    assigned_products: list[AssignedProduct] | None = None
    last_seen_at: Timestamp | None = None
    last_os_update_at: Timestamp | None = None
    last_agent_update_at: Timestamp | None = None
    serial_number: str | None = None
    encryption: Encryption | None = None
    lockdown: Lockdown | None = None
    online: ApiBool | None = None
    cloud: CloudInstance | None = None
    isolation: EndpointIsolationStatus | None = None
    cloned: ApiBool | None = None


# --- actions ---------------------------------------------------------------------------------


class ScanResult(SophosModel):
    """A scan request sent to an endpoint (``status`` ``requested``).

    Fields are optional because a ``dry_run_sink`` client returns an empty result.
    """

    id: str | None = None
    status: str | None = None
    requested_at: Timestamp | None = None


class UpdateCheckResult(ScanResult):
    """An update-check request sent to an endpoint (same shape as :class:`ScanResult`)."""


# --- isolation -------------------------------------------------------------------------------


class IsolationActor(Actor):
    """Who turned isolation on or off (``type`` user / service; ``account_type`` tenant / partner /
    organization)."""


class IsolationSettings(SophosModel):
    """Isolation settings of one endpoint (``GET``/``PATCH /endpoints/{id}/isolation``)."""

    enabled: ApiBool | None = None
    last_enabled_at: Timestamp | None = None
    last_enabled_by: IsolationActor | None = None
    last_disabled_at: Timestamp | None = None
    last_disabled_by: IsolationActor | None = None
    comment: str | None = None


class EndpointIsolation(SophosModel):
    """One item of the bulk isolation answer: the endpoint id and its isolation settings."""

    id: str
    isolation: IsolationSettings | None = None


# --- tamper protection -----------------------------------------------------------------------


class PreviousPassword(SophosModel):
    """A tamper-protection password that is no longer valid (kept out of ``repr``)."""

    password: str | None = Field(default=None, repr=False)
    invalidated_at: Timestamp | None = None


class TamperProtection(SophosModel):
    """Tamper protection of one endpoint.

    The passwords are left out of ``repr()``/``str()`` so that printing the model in a REPL or a
    log does not leak them; read them as attributes:

    >>> tp = TamperProtection.model_validate({"enabled": True, "password": "123456789012"})
    >>> "123456789012" in repr(tp), tp.password
    (False, '123456789012')
    """

    enabled: ApiBool | None = None
    password: str | None = Field(default=None, repr=False)
    previous_passwords: list[PreviousPassword] | None = None
