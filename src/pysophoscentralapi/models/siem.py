"""SIEM Integration API: events and alerts of the ``/siem/v1`` feeds (API_NOTES §10).

The feeds spell their fields in snake_case (``created_at``, ``endpoint_id``) with a few camelCase
ones (``appSha256``, ``appCerts``), so these models take the names as sent. Every field is
optional (the API leaves out what does not apply) and unknown fields are kept.
"""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict, Field

from pysophoscentralapi._enums.alerts import SiemSeverity
from pysophoscentralapi.models._base import ApiBool, SophosModel, Timestamp

__all__ = [
    "SiemAlert",
    "SiemAppCert",
    "SiemDetail",
    "SiemEvent",
    "SiemRemedyItem",
    "SiemRemedyItems",
    "SiemSeverity",
]


class _SiemModel(SophosModel):
    # The feeds' own spelling: no camelCase aliases (the few camelCase fields name theirs).
    model_config = ConfigDict(alias_generator=None)


class SiemAppCert(_SiemModel):
    signer: str | None = None
    thumbprint: str | None = None


class SiemDetail(_SiemModel):
    """A ``details`` / ``whitelist_properties`` entry: ``type`` (e.g. ``IPS_RAW_DATA``) and value."""

    type: str | None = None
    property: str | None = None


class SiemRemedyItem(_SiemModel):
    descriptor: str | None = None
    type: str | None = None
    result: str | None = None


class SiemRemedyItems(_SiemModel):
    items: list[SiemRemedyItem] = Field(default_factory=list)
    total_items: int | None = Field(default=None, alias="totalItems")


class _SiemRecord(_SiemModel):
    id: str
    type: str | None = None
    severity: SiemSeverity | None = None
    created_at: Timestamp | None = None
    when: Timestamp | None = None
    customer_id: str | None = None
    source: str | None = None
    location: str | None = None
    threat: str | None = None


class SiemEvent(_SiemRecord):
    """One event of ``GET /siem/v1/events``.

    ``created_at`` is when Central received it (the feed's order); ``when`` is when it happened on
    the device, which can be much earlier for a device that was offline.

    >>> e = SiemEvent.model_validate({"id": "1", "severity": "HIGH", "name": "Malware detected"})
    >>> e.severity, e.name
    (<SiemSeverity.HIGH: 'HIGH'>, 'Malware detected')
    """

    name: str | None = None
    group: str | None = None
    origin: str | None = None
    endpoint_id: str | None = None
    endpoint_type: str | None = None
    user_id: str | None = None
    source_info: dict[str, Any] | None = None
    app_sha256: str | None = Field(default=None, alias="appSha256")
    app_certs: list[SiemAppCert] | None = Field(default=None, alias="appCerts")
    details: list[SiemDetail] | None = None
    whitelist_properties: list[SiemDetail] | None = None
    core_remedy_items: SiemRemedyItems | None = None
    amsi_threat_data: dict[str, Any] | None = None
    ips_threat_data: dict[str, Any] | None = None


class SiemAlert(_SiemRecord):
    """One alert of ``GET /siem/v1/alerts``.

    >>> SiemAlert.model_validate({"id": "1", "threat_cleanable": False}).threat_cleanable
    False
    """

    description: str | None = None
    event_service_event_id: str | None = None
    threat_cleanable: ApiBool | None = None
    data: dict[str, Any] | None = None
    info: dict[str, Any] | None = None
