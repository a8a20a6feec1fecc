"""Common API: alerts and alert actions (API_NOTES §8.1).

The enum classes double as the lists of known values: the library validates filters against them
and the CLI offers them as choices. Values the API adds later are still accepted in responses
(:class:`~pysophoscentralapi.models.TolerantEnum`).
"""

from __future__ import annotations

from pydantic import Field

from pysophoscentralapi._enums.alerts import (
    ALERT_ACTIONS,
    ALERT_CATEGORIES,
    ALERT_PRODUCTS,
    ALERT_SEVERITIES,
    AlertAction,
    AlertActionStatus,
    AlertCategory,
    AlertProduct,
    AlertSeverity,
)
from pysophoscentralapi.models._base import IdNameRef, ListedModel, SophosModel, Timestamp

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


class AlertManagedAgent(SophosModel):
    """The managed device an alert is about (``type`` e.g. computer, server, mobile, utm)."""

    id: str | None = None
    type: str | None = None
    name: str | None = None


class AlertPerson(IdNameRef):
    """The user an alert is associated with."""


class AlertTenant(IdNameRef):
    """The tenant an alert belongs to."""


class Alert(ListedModel):
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
