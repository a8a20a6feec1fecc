"""Live Discover, query runs (XDR Data Lake, Live Discover, detections), cases, health checks."""

from __future__ import annotations

from pysophoscentralapi._enums import TolerantEnum, known_values

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


RUN_STATUSES = known_values(RunStatus)
RUN_RESULTS = known_values(RunResult)


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


CASE_TYPES = known_values(CaseType)

CASE_SEVERITIES = known_values(CaseSeverity)

CASE_STATUSES = known_values(CaseStatus)

CASE_MANAGERS: tuple[str, ...] = ("self", "sophos")

CASE_VERDICTS: tuple[str, ...] = ("falsePositive", "truePositive")


# --- health -------------------------------------------------------------------------------


#: Values of the ``checks`` filter of ``GET /health-check`` (the areas of ``endpoint``).
HEALTH_CHECKS = ("protection", "policy", "exclusions", "tamperProtection")

#: Values of the ``products`` filter of ``GET /health-check``.
HEALTH_PRODUCTS = ("endpoint", "networkDevice")
