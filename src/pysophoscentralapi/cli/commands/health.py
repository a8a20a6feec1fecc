"""``pysophos health``: account health of one tenant, or of every tenant with ``--all-tenants``.

One tenant: a row per scored area (protection, policies, exclusions, tamper protection; computers
and servers apart), worst first, with what lowers the score. Every tenant: a row per tenant with
its overall score and worst areas, worst tenant first; tenants that cannot be read are rows with
their status and error, named on stderr, and the run exits 6.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from pysophoscentralapi._enums.hunting import HEALTH_CHECKS
from pysophoscentralapi.cli._context import CliContext
from pysophoscentralapi.cli._output import Column, OutputOptions, output_options
from pysophoscentralapi.cli._params import enum_list, usage_errors
from pysophoscentralapi.cli._results import RESULT_COLUMNS
from pysophoscentralapi.cli._safety import Change, pass_change

if TYPE_CHECKING:
    from pysophoscentralapi.report._data import TenantHealth

__all__ = ["health"]

AREA_COLUMNS = [
    Column("area", key=True),
    Column("score", priority=9),
    Column("finding", priority=8),
    Column("snoozed", priority=2),
]
FLEET_COLUMNS = [
    Column("tenant_name", key=True),
    Column("overallScore", priority=9),
    Column("status", priority=8),
    Column("worstAreas", priority=7),
    Column("findings", priority=5),
    Column("error", priority=6),
]
SCORE_COLUMNS = [
    "date",
    "computerTotal",
    "serverTotal",
    "endpoint.protectionComputerScore",
    "endpoint.protectionServerScore",
    "endpoint.tamperProtectionComputerScore",
    "endpoint.tamperProtectionServerScore",
    "endpoint.exclusionsGlobalScore",
]


def area_rows(check: Any) -> list[dict[str, Any]]:
    """One row per scored area of a :class:`~pysophoscentralapi.models.HealthCheck`, worst first."""
    return [
        {"area": s.area, "score": s.score, "finding": s.finding, "snoozed": s.snoozed}
        for s in check.scores()
    ]


def fleet_row(result: TenantHealth) -> dict[str, Any]:
    """The ``--all-tenants`` row of one tenant (status and error as in every result row)."""
    from pysophoscentralapi.cli._results import result_row

    row = result_row(result.id, name=result.name, error=result.error)
    worst = ", ".join(f"{s.area} ({s.score})" for s in result.worst_areas())
    return {
        "tenant_id": row["id"],
        "tenant_name": row["name"],
        "overallScore": result.overall_score,
        "worstAreas": worst,
        "findings": len(result.findings) if result.check is not None else None,
        "status": row["status"],
        "error": row["error"],
        "request_id": row["request_id"],
    }


def worst_first(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Scored tenants by overall score, lowest first; tenants without a score last.

    >>> [r["tenant_name"] for r in worst_first([{"tenant_name": "a", "overallScore": 90},
    ...     {"tenant_name": "b", "overallScore": None}, {"tenant_name": "c", "overallScore": 40}])]
    ['c', 'a', 'b']
    """
    return sorted(
        rows,
        key=lambda r: (r["overallScore"] is None, r["overallScore"] or 0, r["tenant_name"] or ""),
    )


@click.group("health", invoke_without_command=True)
@click.option(
    "--check",
    "checks",
    multiple=True,
    callback=enum_list(HEALTH_CHECKS),
    metavar="AREA[,AREA...]",
    help=f"Only these areas: {', '.join(HEALTH_CHECKS)}.",
)
@output_options(columns=AREA_COLUMNS)
@click.pass_context
def health(ctx: click.Context, output: OutputOptions, checks: list[str] | None) -> None:
    """Account health: each area's score (0-100, 100 = nothing to fix) and what lowers it.

    With --all-tenants: one row per tenant (overall score, worst areas), worst first.

    \b
    Examples:
      pysophos health
      pysophos health --check tamperProtection,exclusions -o json
      pysophos --tenant "Acme Corp" health
      pysophos --all-tenants health
      pysophos --all-tenants health -o csv --output-file fleet-health.csv
      pysophos health history --from 2026-11-01
    """
    if ctx.invoked_subcommand is not None:
        return
    cli: CliContext = ctx.obj
    if cli.all_tenants:
        _fleet(cli, output, checks)
        return
    check = cli.client().health_check(checks=checks)
    cli.write_rows(output, area_rows(check), title=_title(check))


def _title(check: Any) -> str:
    name = check.tenant.name if check.tenant and check.tenant.name else "tenant"
    return f"Account health of {name}: overall {check.overall_score}"


def _fleet(cli: CliContext, output: OutputOptions, checks: list[str] | None) -> None:
    from pysophoscentralapi.cli._tenants import FanOutReport, selected_tenants
    from pysophoscentralapi.report._data import fleet_health

    if output.columns == tuple(AREA_COLUMNS):
        output = output._replace(columns=tuple(FLEET_COLUMNS))
    tenants = selected_tenants(cli)
    report = FanOutReport(total=len(tenants))
    central = cli.base_client()
    results = list(fleet_health(central, tenants, checks=checks))
    for result in results:
        report.finished(result, result.error)
    rows = worst_first([fleet_row(r) for r in results])
    cli.write_rows(output, rows, title="Account health of every tenant (worst first)")
    report.raise_if_failed()


@health.command("history")
@click.option("--from", "start", metavar="YYYY-MM-DD", help="First day (default: 29 days ago).")
@click.option("--to", "end", metavar="YYYY-MM-DD", help="Last day (default: today).")
@output_options(columns=SCORE_COLUMNS)
@click.pass_obj
def history(cli: CliContext, output: OutputOptions, start: str | None, end: str | None) -> None:
    """The tenant's scores day by day.

    \b
    Examples:
      pysophos health history
      pysophos health history --from 2026-11-01 --to 2026-11-30 -o csv
    """
    with usage_errors():
        scores = cli.client().health.historical_scores(start_date=start, end_date=end)
    rows = [point.to_api() for point in scores.datapoints]
    cli.write_rows(output, rows, title="Account health history")


@health.command("regional")
@output_options(
    columns=["lowerBound", "upperBound", *(c for c in SCORE_COLUMNS if c.startswith("endpoint."))]
)
@click.pass_obj
def regional(cli: CliContext, output: OutputOptions) -> None:
    """How organizations of the tenant's region score, by size band (to compare with).

    \b
    Examples:
      pysophos health regional
      pysophos health regional -o json
    """
    bands = cli.client().health.regional_scores().bands
    cli.write_rows(output, [band.to_api() for band in bands], title="Regional scores")


@health.command("snooze")
@click.argument("areas", nargs=-1, required=True, metavar="AREA...")
@click.option("--comment", required=True, help="Why the reminders are snoozed (shown in Central).")
@click.option("--wake", is_flag=True, help="Stop snoozing these areas instead.")
@output_options(columns=[*RESULT_COLUMNS, "snoozed", "comment", "expiry"])
@pass_change
def snooze(
    change: Change,
    *,
    areas: tuple[str, ...],
    comment: str,
    wake: bool,
) -> None:
    """Snooze reminders about areas (30 days), or --wake them. AREA as `pysophos health` names it.

    One request for every area, then one result row per area as the health check shows it
    afterwards (``failed`` when it does not show the change).

    \b
    Examples:
      pysophos health snooze tamperProtection.server --comment "legacy servers, Q1" --yes
      pysophos health snooze exclusions.global --comment "reviewed" --wake --yes
    """
    from pysophoscentralapi._sync.health import SNOOZE_AREAS, snooze_body

    unknown = [a for a in areas if a not in SNOOZE_AREAS]
    if unknown:
        raise click.BadParameter(
            f"unknown areas {', '.join(unknown)}; valid: {', '.join(SNOOZE_AREAS)}",
            param_hint="AREA",
        )
    central = change.client()
    change.confirm(f"{'wake' if wake else 'snooze'} {', '.join(areas)}")
    with usage_errors():
        central.health.snooze(snooze_body(list(areas), comment=comment, snoozed=not wake))
    if change.dry_run:
        return
    from pysophoscentralapi.cli._results import Outcome, result_row, write_results

    check = central.health_check()
    shown = {s.area: s for s in check.scores()}

    def row(area: str) -> dict[str, Any]:
        detail = _snooze_detail(check, area)
        snoozed = shown[area].snoozed if area in shown else None
        took = snoozed is None or bool(snoozed) != wake
        return result_row(
            area,
            Outcome.OK if took else Outcome.FAILED,
            error=None if took else "the health check does not show the change",
            snoozed=snoozed,
            comment=detail.get("comment"),
            expiry=detail.get("expiry"),
        )

    write_results(
        change.cli, change.output, (row(area) for area in dict.fromkeys(areas)),
        done="woken" if wake else "snoozed", total=len(set(areas)),
    )  # fmt: skip


def _snooze_detail(check: Any, area: str) -> dict[str, Any]:
    """The ``snoozeDetail`` of an area of a health check, as the API wrote it."""
    node: Any = check.to_api().get("endpoint", {})
    parts = area.split(".")
    if parts[0] == "exclusions" and parts[1] != "global":
        parts = ["exclusions", "policy", parts[1]]
    if parts == ["tamperProtection", "global"]:
        parts = ["tamperProtection", "globalDetail"]
    for part in parts:
        node = node.get(part, {}) if isinstance(node, dict) else {}
    detail = node.get("snoozeDetail") if isinstance(node, dict) else None
    return detail if isinstance(detail, dict) else {}
