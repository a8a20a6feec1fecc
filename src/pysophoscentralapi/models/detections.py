"""Detections API: detections, detection groups and detection counts."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from pysophoscentralapi.models._base import ListedModel, SophosModel, Timestamp

__all__ = ["Detection", "DetectionCounts", "DetectionGroup"]


class Detection(ListedModel):
    """A detection: a rule that matched, on which device, how severe (0-10)."""

    id: str
    detection_rule: str | None = None
    severity: int | None = None
    type: str | None = None
    time: Timestamp | None = None
    sensor: dict[str, Any] | None = None
    device: dict[str, Any] | None = None
    detection_attack: str | None = None
    mitre_attacks: list[dict[str, Any]] = Field(default_factory=list)
    raw_data: dict[str, Any] | None = None
    attack_type: str | None = None
    rule_description: str | None = None
    sensor_generated_at: Timestamp | None = None
    detection_sigma: dict[str, Any] | None = None
    detection_eql: str | None = None
    detection_licenses: Any = None
    geolocation: list[dict[str, Any]] = Field(default_factory=list)
    intelix_file_reputation: list[dict[str, Any]] = Field(default_factory=list)
    schema_: str | None = Field(default=None, alias="schema")


class DetectionGroup(SophosModel):
    """Detections of one rule, counted."""

    detection_rule: str | None = None
    detection_rule_description: str | None = None
    device: dict[str, Any] | None = None
    severity: int | None = None
    count: int | None = None
    type: str | None = None
    time: Timestamp | None = None
    sensor: dict[str, Any] | None = None
    mitre_attacks: list[dict[str, Any]] = Field(default_factory=list)


class DetectionCounts(SophosModel):
    """Detections counted per time bucket (``GET .../detections/counts``)."""

    from_: Timestamp | None = Field(default=None, alias="from")
    to: Timestamp | None = None
    resolution: str | None = None
    tenant: dict[str, Any] | None = None
    resolution_detection_counts: list[dict[str, Any]] = Field(default_factory=list)
