"""Cases API: cases, their detections, impacted entities and MITRE ATT&CK summary."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from pysophoscentralapi._enums.hunting import (
    CASE_MANAGERS,
    CASE_SEVERITIES,
    CASE_STATUSES,
    CASE_TYPES,
    CASE_VERDICTS,
    CaseSeverity,
    CaseStatus,
    CaseType,
)
from pysophoscentralapi.models._base import ApiBool, IdNameRef, SophosModel, Timestamp
from pysophoscentralapi.models.queries import QueryActor

__all__ = [
    "CASE_MANAGERS",
    "CASE_SEVERITIES",
    "CASE_STATUSES",
    "CASE_TYPES",
    "CASE_VERDICTS",
    "Case",
    "CaseSeverity",
    "CaseStatus",
    "CaseType",
    "ImpactedEntity",
    "MitreAttackSummary",
]


class Case(SophosModel):
    """A case: an investigation with its detections, assignee and status."""

    id: str
    name: str | None = None
    type: CaseType | None = None
    status: CaseStatus | None = None
    severity: CaseSeverity | None = None
    managed_by: str | None = None
    overview: str | None = None
    assignee: QueryActor | None = None
    assigned_at: Timestamp | None = None
    created_at: Timestamp | None = None
    created_by: QueryActor | None = None
    updated_at: Timestamp | None = None
    resolved_at: Timestamp | None = None
    initial_detection: dict[str, Any] | None = None
    detection_count: int | None = None
    verdict: str | None = None
    escalated: ApiBool | None = None
    tenant: dict[str, Any] | None = None


class ImpactedEntity(IdNameRef):
    """A device, user, address... touched by a case."""

    type: str | None = None


class MitreAttackSummary(SophosModel):
    """The MITRE ATT&CK tactics (and their techniques) seen in a case's detections."""

    tactics: list[dict[str, Any]] = Field(default_factory=list)
