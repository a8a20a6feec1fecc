"""Alerts, and the severities of SIEM events and alerts."""

from __future__ import annotations

from pysophoscentralapi._enums import TolerantEnum, known_values

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
ALERT_SEVERITIES = known_values(AlertSeverity)
ALERT_CATEGORIES = known_values(AlertCategory)
ALERT_PRODUCTS = known_values(AlertProduct)
ALERT_ACTIONS = known_values(AlertAction)


# --- SIEM ---------------------------------------------------------------------------------


class SiemSeverity(TolerantEnum):
    """How serious a SIEM event or alert is (the collection's values)."""

    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"
    CRITICAL = "CRITICAL"
