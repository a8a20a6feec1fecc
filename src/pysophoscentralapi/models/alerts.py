"""Common API: alerts and alert actions (API_NOTES §8.1).

The enum classes double as the lists of known values: the library validates filters against them
and the CLI offers them as choices. Values the API adds later are still accepted in responses
(:class:`~pysophoscentralapi.models.TolerantEnum`).
"""

from __future__ import annotations

from pydantic import Field

from pysophoscentralapi.models._base import SophosModel, Timestamp, TolerantEnum

__all__ = [
    "ALERT_ACTIONS",
    "ALERT_CATEGORIES",
    "ALERT_PRODUCTS",
    "ALERT_SEVERITIES",
    "Alert",
    "AlertAction",
    "AlertActionResult",
    "AlertActionStatus",
    "AlertCategory",
    "AlertManagedAgent",
    "AlertPerson",
    "AlertProduct",
    "AlertSeverity",
    "AlertTenant",
]


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


class AlertManagedAgent(SophosModel):
    """The managed device an alert is about (``type`` e.g. computer, server, mobile, utm)."""

    id: str | None = None
    type: str | None = None
    name: str | None = None


class AlertPerson(SophosModel):
    """The user an alert is associated with."""

    id: str | None = None
    name: str | None = None


class AlertTenant(SophosModel):
    """The tenant an alert belongs to."""

    id: str | None = None
    name: str | None = None


class Alert(SophosModel):
    """An alert (``GET /common/v1/alerts``).

    >>> alert = Alert.model_validate({"id": "a5ded91c-6575-435c-a6b4-64b94f9048ff",
    ...     "severity": "high", "allowedActions": ["acknowledge"]})
    >>> alert.severity is AlertSeverity.HIGH, alert.allowed_actions
    (True, [<AlertAction.ACKNOWLEDGE: 'acknowledge'>])
    """

    id: str
    allowed_actions: list[AlertAction] = Field(default_factory=list)
    category: AlertCategory | None = None
    description: str | None = None
    group_key: str | None = None
    managed_agent: AlertManagedAgent | None = None
    person: AlertPerson | None = None
    product: AlertProduct | None = None
    raised_at: Timestamp | None = None
    severity: AlertSeverity | None = None
    tenant: AlertTenant | None = None
    #: The event type, e.g. ``Event::Endpoint::OutOfDate``.
    type: str | None = None


class AlertActionResult(SophosModel):
    """The answer to an alert action (``POST /common/v1/alerts/{id}/actions``).

    Every field is optional: a dry run (``dry_run_sink``) sends nothing and gets an empty result.
    """

    id: str | None = None
    alert_id: str | None = None
    action: AlertAction | None = None
    status: AlertActionStatus | None = None
    requested_at: Timestamp | None = None
    started_at: Timestamp | None = None
    completed_at: Timestamp | None = None
    result: str | None = None
