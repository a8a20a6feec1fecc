"""The HTML account health report: one self-contained file (styles and SVG charts inline).

The page is built from :class:`~._data.TenantHealth` results: a fleet overview (score
distribution, worst tenants, most common findings) and a section per tenant (its scores, findings,
endpoints by health and by last seen, open alerts by severity). Templates are package data
(``report/templates``) rendered with Jinja2, the optional extra ``report``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from typing import Any

from pysophoscentralapi._errors import ConfigError
from pysophoscentralapi.report import _charts as charts
from pysophoscentralapi.report._data import (
    LAST_SEEN_BUCKETS,
    SCORE_BANDS,
    SEVERITIES,
    TenantHealth,
    score_band,
)

__all__ = ["AREA_LABELS", "ReportUnavailable", "area_label", "render_health_report"]

#: How the report names each area of the health check.
AREA_LABELS = {
    "protection.computer": "Protection · computers",
    "protection.server": "Protection · servers",
    "policy.computer.threat-protection": "Policies · computers",
    "policy.server.server-threat-protection": "Policies · servers",
    "exclusions.computer": "Exclusions · computer policies",
    "exclusions.server": "Exclusions · server policies",
    "exclusions.global": "Exclusions · global",
    "tamperProtection.computer": "Tamper protection · computers",
    "tamperProtection.server": "Tamper protection · servers",
    "tamperProtection.global": "Tamper protection · global",
}
_HEALTH_COLOURS = {
    "good": charts.GREEN,
    "suspicious": charts.AMBER,
    "bad": charts.RED,
    "unknown": charts.GREY,
}
_SEVERITY_COLOURS = {"high": charts.RED, "medium": charts.AMBER, "low": charts.BLUE}
_SEEN_COLOURS = (charts.GREEN, charts.LIME, charts.AMBER, charts.RED)
_BAND_COLOURS = (charts.GREEN, charts.LIME, charts.AMBER, charts.RED)
WORST_SHOWN = 10


class ReportUnavailable(ConfigError):
    """Jinja2 (the ``report`` extra) is not installed."""


def area_label(area: str) -> str:
    """The report's name of a health-check area.

    >>> area_label("tamperProtection.server"), area_label("something.new")
    ('Tamper protection · servers', 'something.new')
    """
    return AREA_LABELS.get(area, area)


def anchor(tenant_id: str) -> str:
    return f"tenant-{tenant_id}"


@dataclass
class _TenantView:
    tenant: TenantHealth
    anchor: str
    band: str | None
    colour: str
    ring: str
    areas: str
    health: str
    last_seen: str
    alerts: str
    endpoints_total: int
    alerts_total: int
    error: str | None


def _error_text(error: BaseException) -> str:
    """Why a tenant could not be read, for a reader of the report (the API's words, no URL)."""
    status, said = getattr(error, "status_code", None), getattr(error, "api_message", None)
    if status and said:
        return f"Sophos Central answered HTTP {status}: {said}"
    return str(getattr(error, "message", None) or error or type(error).__name__)


def _tenant_view(t: TenantHealth) -> _TenantView:
    score = t.overall_score
    area_rows = [(area_label(s.area), s.score, charts.score_colour(s.score)) for s in t.scores]
    health_segments = [
        (state, t.endpoints_by_health.get(state, 0), colour)
        for state, colour in _HEALTH_COLOURS.items()
    ]
    seen_rows = [
        (label, t.endpoints_by_last_seen.get(label, 0), colour)
        for (label, _), colour in zip(LAST_SEEN_BUCKETS, _SEEN_COLOURS, strict=True)
    ]
    alert_rows = [(s, t.alerts_by_severity.get(s, 0), _SEVERITY_COLOURS[s]) for s in SEVERITIES]
    endpoints_total = sum(t.endpoints_by_health.values())
    return _TenantView(
        tenant=t,
        anchor=anchor(t.id),
        band=score_band(score) if score is not None else None,
        colour=charts.score_colour(score),
        ring=charts.score_ring(score, chart=f"score-{t.id}"),
        areas=charts.bars(area_rows, chart=f"areas-{t.id}", maximum=100),
        health=charts.donut(
            health_segments, chart=f"endpoint-health-{t.id}", caption="endpoints", size=150
        ),
        last_seen=charts.bars(seen_rows, chart=f"last-seen-{t.id}", width=360, label_width=90),
        alerts=charts.bars(alert_rows, chart=f"alerts-{t.id}", width=360, label_width=90),
        endpoints_total=endpoints_total,
        alerts_total=sum(t.alerts_by_severity.values()),
        error=_error_text(t.error) if t.error is not None else None,
    )


def _overview(tenants: Sequence[TenantHealth]) -> dict[str, Any]:
    scored = [t for t in tenants if t.overall_score is not None]
    bands = Counter(score_band(t.overall_score) for t in scored if t.overall_score is not None)
    segments = [
        (label, bands.get(label, 0), colour)
        for (label, _), colour in zip(SCORE_BANDS, _BAND_COLOURS, strict=True)
    ]
    unreachable = len(tenants) - len(scored)
    if unreachable:
        segments.append(("not reachable", unreachable, charts.GREY))
    worst = sorted(scored, key=lambda t: (t.overall_score or 0, t.name or ""))[:WORST_SHOWN]
    findings = Counter(s.area for t in scored for s in t.findings)
    common = findings.most_common(8)
    average = round(sum(t.overall_score or 0 for t in scored) / len(scored)) if scored else None
    return {
        "tenants": len(tenants),
        "scored": len(scored),
        "unreachable": unreachable,
        "average": average,
        "average_colour": charts.score_colour(average),
        "attention": sum(1 for t in scored if (t.overall_score or 0) < 75),
        "distribution": charts.donut(
            segments, chart="score-distribution", caption="tenants", size=190
        ),
        "legend": [(label, count, colour) for label, count, colour in segments],
        "worst": charts.bars(
            [
                (t.name or t.id, t.overall_score or 0, charts.score_colour(t.overall_score))
                for t in worst
            ],
            chart="worst-tenants",
            maximum=100,
            links=[f"#{anchor(t.id)}" for t in worst],
        ),
        "common": charts.bars(
            [(area_label(area), count, charts.INDIGO) for area, count in common],
            chart="common-findings",
            maximum=max(1, len(scored)),
            value_suffix=f" of {len(scored)}",
        ),
    }


def render_health_report(
    tenants: Sequence[TenantHealth],
    *,
    title: str = "Account health report",
    generated_at: datetime | None = None,
) -> str:
    """The report as one HTML document (a string), tenants worst first.

    Raises :class:`ReportUnavailable` when Jinja2 is missing.
    """
    try:
        import jinja2
    except ImportError:
        raise ReportUnavailable(
            "the HTML report needs Jinja2, which is not installed",
            hint="install the report extra: pip install 'pysophoscentralapi[report]'",
        ) from None
    ordered = sorted(
        tenants,
        key=lambda t: (t.overall_score is None, t.overall_score or 0, t.name or ""),
    )
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    source = resources.files("pysophoscentralapi.report").joinpath(
        "templates/health_report.html.j2"
    )
    template = env.from_string(source.read_text(encoding="utf-8"))
    moment = generated_at or datetime.now(UTC)
    return template.render(
        title=title,
        generated=moment.strftime("%d %B %Y, %H:%M UTC"),
        overview=_overview(ordered),
        views=[_tenant_view(t) for t in ordered],
        area_label=area_label,
        score_colour=charts.score_colour,
    )
