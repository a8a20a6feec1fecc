"""What a health report shows of each tenant, gathered with the sync client; summaries are pure.

:func:`fleet_health` asks every tenant for its health check (concurrently, through the library's
fan-out) and, for a report, the counts of its endpoints by health and by last contact and of its
open alerts by severity. A tenant that cannot be read keeps its error, so the report and the
``--all-tenants`` table can say which and why.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from pysophoscentralapi._fanout_result import DEFAULT_CONCURRENCY
from pysophoscentralapi.models.health import AreaScore, HealthCheck

if TYPE_CHECKING:
    from pysophoscentralapi._sync._client import SophosCentral

__all__ = [
    "HEALTH_STATES",
    "LAST_SEEN_BUCKETS",
    "SEVERITIES",
    "TenantHealth",
    "fleet_health",
    "last_seen_bucket",
    "score_band",
]

HEALTH_STATES = ("good", "suspicious", "bad", "unknown")
SEVERITIES = ("high", "medium", "low")
#: (label, most days since last seen) for "endpoints by last seen".
LAST_SEEN_BUCKETS = (("today", 1), ("this week", 7), ("this month", 30), ("older", None))
#: Score bands of the fleet overview: (label, lowest score in the band).
SCORE_BANDS = (("90-100", 90), ("75-89", 75), ("50-74", 50), ("0-49", 0))


def score_band(score: int) -> str:
    """The band label of a score.

    >>> score_band(91), score_band(74), score_band(3)
    ('90-100', '50-74', '0-49')
    """
    for label, lowest in SCORE_BANDS:
        if score >= lowest:
            return label
    return SCORE_BANDS[-1][0]


def last_seen_bucket(last_seen: str | None, now: datetime) -> str:
    """Which "last seen" bucket an endpoint's ``lastSeenAt`` falls in.

    >>> now = datetime(2026, 12, 1, tzinfo=UTC)
    >>> last_seen_bucket("2026-11-29T10:00:00.000Z", now), last_seen_bucket(None, now)
    ('this week', 'older')
    """
    if not last_seen:
        return LAST_SEEN_BUCKETS[-1][0]
    try:
        seen = datetime.fromisoformat(last_seen.replace("Z", "+00:00"))
    except ValueError:
        return LAST_SEEN_BUCKETS[-1][0]
    if seen.tzinfo is None:
        seen = seen.replace(tzinfo=UTC)
    days = (now - seen).total_seconds() / 86400
    for label, most in LAST_SEEN_BUCKETS:
        if most is not None and days <= most:
            return label
    return LAST_SEEN_BUCKETS[-1][0]


@dataclass
class TenantHealth:
    """One tenant of a fleet health run: its check, the counts a report shows, or its error."""

    id: str
    name: str | None
    check: HealthCheck | None = None
    error: BaseException | None = None
    endpoints_by_health: dict[str, int] = field(default_factory=dict)
    endpoints_by_last_seen: dict[str, int] = field(default_factory=dict)
    alerts_by_severity: dict[str, int] = field(default_factory=dict)

    @property
    def scores(self) -> list[AreaScore]:
        return self.check.scores() if self.check is not None else []

    @property
    def overall_score(self) -> int | None:
        return self.check.overall_score if self.check is not None else None

    @property
    def findings(self) -> list[AreaScore]:
        """The areas with something to fix, worst first."""
        return [s for s in self.scores if s.finding]

    def worst_areas(self, count: int = 3) -> list[AreaScore]:
        """The lowest-scoring areas below 100 (at most ``count``)."""
        return [s for s in self.scores if s.score < 100][:count]


def count_endpoints(
    rows: Iterable[Mapping[str, Any]], now: datetime
) -> tuple[dict[str, int], dict[str, int]]:
    """Endpoints by ``health.overall`` and by last-seen bucket, every key present (pure)."""
    by_health: Counter[str] = Counter(dict.fromkeys(HEALTH_STATES, 0))
    by_seen: Counter[str] = Counter({label: 0 for label, _ in LAST_SEEN_BUCKETS})
    for row in rows:
        health = row.get("health")
        overall = health.get("overall") if isinstance(health, Mapping) else None
        by_health[overall if overall in HEALTH_STATES else "unknown"] += 1
        by_seen[last_seen_bucket(row.get("lastSeenAt"), now)] += 1
    return dict(by_health), dict(by_seen)


def count_alerts(rows: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """Open alerts by severity, every severity present (pure)."""
    counts: Counter[str] = Counter(dict.fromkeys(SEVERITIES, 0))
    for row in rows:
        severity = row.get("severity")
        if severity in SEVERITIES:
            counts[str(severity)] += 1
    return dict(counts)


def tenant_health(
    client: SophosCentral, tenant: Any, *, details: bool, checks: list[str] | None = None
) -> TenantHealth:
    """One tenant's health check (and, with ``details``, its endpoint and alert counts)."""
    result = TenantHealth(str(tenant.id), getattr(tenant, "name", None))
    result.check = client.health_check(checks=checks)
    if details:
        now = datetime.now(UTC)
        endpoints = client.endpoints.list(fields=["health", "lastSeenAt"]).raw_items()
        result.endpoints_by_health, result.endpoints_by_last_seen = count_endpoints(endpoints, now)
        result.alerts_by_severity = count_alerts(client.alerts.list().raw_items())
    return result


def fleet_health(
    central: SophosCentral,
    tenants: list[Any],
    *,
    details: bool = False,
    checks: list[str] | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
) -> Iterator[TenantHealth]:
    """Every tenant's :class:`TenantHealth` as it finishes; failures carry ``error``."""
    from pysophoscentralapi._sync._fanout import each_tenant

    def work(client: SophosCentral, tenant: Any) -> TenantHealth:
        return tenant_health(client, tenant, details=details, checks=checks)

    for outcome in each_tenant(central, work, tenants=tenants, concurrency=concurrency):
        if outcome.result is not None:
            yield outcome.result
        else:
            yield TenantHealth(outcome.tenant_id, outcome.tenant_name, error=outcome.error)
