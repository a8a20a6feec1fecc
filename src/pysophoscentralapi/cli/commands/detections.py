"""``pysophos detections``: detections and detection groups (runs), detection counts."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from pysophoscentralapi.cli._context import CliContext
from pysophoscentralapi.cli._output import Column, OutputOptions, output_options, record_options
from pysophoscentralapi.cli._params import time_option, value_errors_as_usage
from pysophoscentralapi.cli.commands._detection_columns import DETECTION_COLUMNS, DETECTION_MODEL
from pysophoscentralapi.cli.commands._hunting import (
    RUN_MODEL,
    wait_options,
    write_results_of,
    write_run,
)

if TYPE_CHECKING:
    from pysophoscentralapi._sync._client import SophosCentral
    from pysophoscentralapi._sync._query_runs import QueryRun

__all__ = ["detections"]

GROUP_COLUMNS = [
    Column("count", priority=9),
    Column("severity", priority=8),
    Column("detectionRule", key=True),
    Column("time", priority=5),
    Column("type", priority=3),
]
_time = time_option()


def _severity(
    ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> list[int] | None:
    levels: list[int] = []
    for value in values:
        for raw in value.split(","):
            part = raw.strip()
            if "-" in part:
                low, _, high = part.partition("-")
                if low.isdigit() and high.isdigit():
                    levels.extend(range(int(low), int(high) + 1))
                    continue
            if not part.isdigit() or int(part) > 10:
                raise click.BadParameter(f"{part!r} is not a level 0-10 (or a range like 7-10)")
            levels.append(int(part))
    return sorted(set(levels)) or None


def _filters(command: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option("--since", metavar="WHEN", callback=_time, help="Detections from WHEN on [default: 24h]: 24h, 7d, a date..."),
        click.option("--to", metavar="WHEN", callback=_time, help="Detections before WHEN."),
        click.option("--severity", multiple=True, metavar="N[,N|N-M]", callback=_severity, help="Severity levels 0-10, e.g. 7-10."),
        click.option("--rule", "detection_rule", metavar="RULE", help="Only this detection rule."),
        click.option("--order", "sort", multiple=True, metavar="FIELD[:desc]", help="Order by severity, time, detectionRule or type (the API sorts)."),
    ]  # fmt: skip
    for option in reversed(options):
        command = option(command)
    return wait_options(command)


@click.group("detections")
def detections() -> None:
    """Detections: list (a detections run), groups, counts, runs.

    \b
    Examples:
      pysophos detections list --since 7d --severity 7-10
      pysophos detections groups --since 30d
      pysophos detections counts --since 7d --resolution day
    """


def _run(cli: CliContext, output: OutputOptions, method: str, label: str, **options: Any) -> None:
    wait, timeout = options.pop("wait"), options.pop("timeout")
    filters = {k: (list(v) if isinstance(v, tuple) else v) or None for k, v in options.items()}

    def start(client: SophosCentral) -> QueryRun:
        run: QueryRun = getattr(client.detections, method)(**filters)
        return run

    write_run(cli, output, start, label=label, wait=wait, timeout=timeout)


@detections.command("list")
@_filters
@output_options(columns=DETECTION_COLUMNS, model=DETECTION_MODEL)
@click.pass_obj
def list_detections(cli: CliContext, /, output: OutputOptions, **options: Any) -> None:
    """Detections matching the filters (a detections run, waited for; every page).

    \b
    Examples:
      pysophos detections list
      pysophos detections list --since 7d --severity 7-10 --order severity:desc
      pysophos --all-tenants detections list --since 7d --severity 9,10 -o jsonl
    """
    _run(cli, output, "query", "detections query", **options)


@detections.command("groups")
@_filters
@output_options(columns=GROUP_COLUMNS, model="pysophoscentralapi.models.detections:DetectionGroup")
@click.pass_obj
def detection_groups(cli: CliContext, /, output: OutputOptions, **options: Any) -> None:
    """Detections counted per rule (a detection groups run).

    \b
    Examples:
      pysophos detections groups --since 30d
    """
    _run(cli, output, "group_query", "detection groups query", **options)


@detections.command("counts")
@click.option(
    "--since", metavar="WHEN", callback=_time, help="From WHEN on [default: by resolution]."
)
@click.option("--to", metavar="WHEN", callback=_time, help="Before WHEN.")
@click.option(
    "--resolution", type=click.Choice(["day", "hour", "minute"]), help="Bucket size [default: day]."
)
@click.option(
    "--severity", multiple=True, metavar="N[,N|N-M]", callback=_severity, help="Severity levels."
)
@click.option("--rule", "detection_rule", metavar="RULE", help="Only this detection rule.")
@click.option("--device-name-contains", metavar="TEXT", help="Only devices whose name has TEXT.")
@output_options(columns=["startsAt", "totalCount"])
@click.pass_obj
def counts(  # noqa: PLR0917 - click passes the options by name
    cli: CliContext,
    /,
    output: OutputOptions,
    since: str | None,
    to: str | None,
    resolution: str | None,
    severity: list[int] | None,
    detection_rule: str | None,
    device_name_contains: str | None,
) -> None:
    """Detections counted per day, hour or minute.

    \b
    Examples:
      pysophos detections counts
      pysophos detections counts --since 24h --resolution hour --severity 7-10
    """
    with value_errors_as_usage():
        found = cli.client().detections.counts(
            since=since, to=to, resolution=resolution, severity=severity,
            detection_rule=detection_rule, device_name_contains=device_name_contains,
        )  # fmt: skip
    cli.write_rows(
        output, found.to_api().get("resolutionDetectionCounts", []), title="Detection counts"
    )


@detections.group("runs")
def runs() -> None:
    """Detections runs: get, results (--groups for detection group runs).

    \b
    Examples:
      pysophos detections list --no-wait
      pysophos detections runs results 97b25fe9-1f6e-48a0-8353-211ca2b827c6
    """


_groups = click.option("--groups", is_flag=True, help="A detection groups run.")


def _run_of(cli: CliContext, run_id: str, groups: bool) -> QueryRun:
    api = cli.client().detections
    with value_errors_as_usage():
        run: QueryRun = api.get_group_run(run_id) if groups else api.get_run(run_id)
    return run


@runs.command("get")
@click.argument("run_id", metavar="RUN_ID")
@_groups
@record_options(model=RUN_MODEL)
@click.pass_obj
def get_run(cli: CliContext, /, output: OutputOptions, run_id: str, groups: bool) -> None:
    """Show a detections run.

    \b
    Examples:
      pysophos detections runs get 97b25fe9-1f6e-48a0-8353-211ca2b827c6 -o json
      pysophos detections runs get 4e1e898f-bb54-46b6-a435-154007785f02 --groups
    """
    run = _run_of(cli, run_id, groups)
    cli.write_object(output, run.info.to_api(), title="Detections run")


@runs.command("results")
@click.argument("run_id", metavar="RUN_ID")
@_groups
@output_options(columns=DETECTION_COLUMNS)
@click.pass_obj
def run_results(cli: CliContext, /, output: OutputOptions, run_id: str, groups: bool) -> None:
    """The rows of a finished detections run (every page).

    \b
    Examples:
      pysophos detections runs results 97b25fe9-1f6e-48a0-8353-211ca2b827c6 -o csv
      pysophos detections runs results 4e1e898f-bb54-46b6-a435-154007785f02 --groups
    """
    run = _run_of(cli, run_id, groups)
    if groups and output.columns == tuple(DETECTION_COLUMNS):
        output = output._replace(columns=tuple(GROUP_COLUMNS))
    write_results_of(cli, output, run, label="detections query")
