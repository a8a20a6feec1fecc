"""``pysophos cases``: cases, their detections, impacted entities and MITRE ATT&CK summary."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from pysophoscentralapi._enums.hunting import (
    CASE_MANAGERS,
    CASE_SEVERITIES,
    CASE_STATUSES,
    CASE_TYPES,
    CASE_VERDICTS,
)
from pysophoscentralapi.cli._context import CliContext
from pysophoscentralapi.cli._output import OutputOptions, output_options, record_options
from pysophoscentralapi.cli._params import (
    enum_list_option,
    one_record,
    time_option,
    value_errors_as_usage,
)
from pysophoscentralapi.cli._results import act_on_each, many_targets, require_deleted
from pysophoscentralapi.cli._safety import Change, one_change
from pysophoscentralapi.cli.commands._detection_columns import DETECTION_COLUMNS, DETECTION_MODEL

if TYPE_CHECKING:
    from pysophoscentralapi._sync._client import SophosCentral

__all__ = ["cases"]

CASE_COLUMNS = [
    "id",
    "name",
    "type",
    "severity",
    "status",
    "managedBy",
    "assignee.name",
    "createdAt",
]
_CASE_MODEL = "pysophoscentralapi.models.cases:Case"
_time = time_option()


@click.group("cases")
def cases() -> None:
    """Cases: list, get, create, update, delete, detections, entities, mitre.

    \b
    Examples:
      pysophos cases list
      pysophos cases list --status new,investigating --severity high,critical
      pysophos cases create --name "Encoded PowerShell" --type hunt --severity high --yes
      pysophos --all-tenants cases list --status actionRequired -o jsonl
    """


@cases.command("list")
@click.option("--managed-by", type=click.Choice(CASE_MANAGERS), help="self or sophos (MDR).")
@enum_list_option(
    "--type",
    "type_",
    values=CASE_TYPES,
    metavar="TYPE",
    label="Type",
)
@enum_list_option(
    "--severity",
    values=CASE_SEVERITIES,
    metavar="LEVEL",
    label="Severity",
)
@enum_list_option(
    "--status",
    values=CASE_STATUSES,
    metavar="STATUS",
    label="Status",
)
@click.option("--assignee", metavar="EMAIL", help="Assigned to EMAIL ('Unassigned' for none).")
@click.option("--overview-contains", metavar="TEXT", help="Overview has TEXT.")
@click.option(
    "--created-after",
    metavar="WHEN",
    callback=_time,
    help="Created after WHEN (24h, 7d, a date...).",
)
@click.option("--created-before", metavar="WHEN", callback=_time, help="Created before WHEN.")
@click.option(
    "--escalated/--not-escalated", default=None, help="Only escalated (or not escalated) cases."
)
@click.option("--verdict", type=click.Choice(CASE_VERDICTS), help="Only cases with this verdict.")
@output_options(columns=CASE_COLUMNS, model=_CASE_MODEL)
@click.pass_obj
def list_cases(
    cli: CliContext, /, output: OutputOptions, type_: list[str] | None, **filters: Any
) -> None:
    """Cases matching the filters (every page).

    \b
    Examples:
      pysophos cases list
      pysophos cases list --managed-by sophos --status actionRequired
      pysophos cases list --created-after 30d -o csv
    """
    filters = {k: v or None for k, v in filters.items() if k != "escalated"} | {
        "escalated": filters["escalated"]
    }
    with value_errors_as_usage():
        cli.write_listing(
            output, lambda central: central.cases.list(type=type_ or None, **filters), title="Cases"
        )


def _case_id(ctx: click.Context, param: click.Parameter, value: str) -> str:
    from pysophoscentralapi._async.cases import check_case_id

    try:
        return check_case_id(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


_id_argument = click.argument("case_id", metavar="CASE_ID", callback=_case_id)
_ref_argument = click.argument("case_id", metavar="CASE_ID|NAME")


def _case_ids(cli: CliContext, values: tuple[str, ...]) -> tuple[list[str], dict[str, str]]:
    """Case ids from ids or names (names match whole, ignoring case; one listing, only when a
    name is given), ``-`` and ``@FILE`` read; and the names known, for the question."""
    from pysophoscentralapi._async.cases import check_case_id
    from pysophoscentralapi.cli._names import match_name
    from pysophoscentralapi.cli._params import iter_ids

    listing: list[dict[str, Any]] = []
    ids = []
    for value in iter_ids(values):
        try:
            ids.append(check_case_id(value))
            continue
        except ValueError:
            pass
        if not listing:
            listing.extend(cli.client().cases.list().raw_items())
        found = match_name(
            listing, value, what="case", param_hint="CASE_ID|NAME",
            list_command="pysophos cases list",
        )  # fmt: skip
        ids.append(str(found["id"]))
    if not ids:
        raise click.BadParameter("no case ids given (stdin or the file was empty).")
    names = {str(row["id"]): str(row.get("name")) for row in listing}
    return list(dict.fromkeys(ids)), names


@cases.command("get")
@_ref_argument
@record_options(model=_CASE_MODEL)
@click.pass_obj
def get_case(cli: CliContext, /, output: OutputOptions, case_id: str) -> None:
    """One case, by id or by name (names match whole, ignoring case).

    \b
    Examples:
      pysophos cases get SC-503B8DDC -o json
      pysophos cases get "Port scan from WS-ACME-0003"
    """
    (case_id,), _ = _case_ids(cli, (case_id,))
    cli.write_object(output, cli.client().cases.get(case_id).to_api(), title="Case")


def _edit_options(*, create: bool) -> list[click.Option]:
    return [
        click.Option(["--name"], required=create, help="The case's name."),
        click.Option(
            ["--type", "type_"], required=create, type=click.Choice(CASE_TYPES), help="Its type."
        ),
        click.Option(["--severity"], type=click.Choice(CASE_SEVERITIES), help="Its severity."),
        click.Option(["--status"], type=click.Choice(CASE_STATUSES), help="Its status."),
        click.Option(["--assignee"], metavar="EMAIL", help="Who works on it."),
        click.Option(["--overview"], metavar="TEXT", help="What it is about."),
    ]


@cases.command("create", params=_edit_options(create=True))
@click.option(
    "--detection",
    "detections",
    multiple=True,
    metavar="ID",
    help="A detection of the case (the first is the initial one; repeatable).",
)
@one_change(model=_CASE_MODEL)
def create_case(
    change: Change,
    *,
    type_: str,
    detections: tuple[str, ...],
    **fields: Any,
) -> None:
    """Create a self-managed case.

    \b
    Examples:
      pysophos cases create --name "Encoded PowerShell" --type hunt --severity high --yes
      pysophos cases create --name "PsExec" --type incident --assignee analyst@example.com --dry-run
    """
    central = change.client()
    change.confirm(f"create case {fields['name']!r}")
    with value_errors_as_usage():
        case = central.cases.create(
            type=type_, initial_detection_id=detections[0] if detections else None,
            other_detection_ids=list(detections[1:]) or None, **fields,
        )  # fmt: skip
    change.show(case, title="Case created")


@cases.command("update", params=_edit_options(create=False))
@_ref_argument
@one_change(model=_CASE_MODEL)
def update_case(
    change: Change,
    *,
    case_id: str,
    type_: str | None,
    **fields: Any,
) -> None:
    """Change a case's name, type, severity, status, assignee or overview (by id or name).

    \b
    Examples:
      pysophos cases update SC-503B8DDC --status investigating --assignee analyst@example.com --yes
    """
    (case_id,), names = _case_ids(change.cli, (case_id,))
    central = change.client()
    change.confirm(f"update case {names.get(case_id) or case_id}")
    with value_errors_as_usage():
        case = central.cases.update(case_id, type=type_, **fields)
    change.show(case, title="Case updated")


@cases.command("delete")
@many_targets("case_ids", "CASE_ID|NAME...")
def delete_case(change: Change, *, case_ids: tuple[str, ...]) -> None:
    """Delete self-managed cases, by id or name: one result row per case (as arguments, - to
    read them from stdin, or @FILE).

    \b
    Examples:
      pysophos cases delete SC-503B8DDC --yes
      pysophos cases delete SC-503B8DDC SC-7A1F2E90 --yes
    """
    ids, names = _case_ids(change.cli, case_ids)

    def delete(central: SophosCentral, case_id: str) -> None:
        require_deleted(central.cases.delete(case_id), dry_run=change.dry_run)

    act_on_each(change, ids, delete, verb="delete", done="deleted", noun="case", names=names)


@cases.command("detections")
@_id_argument
@click.argument("detection_id", metavar="[DETECTION_ID]", required=False)
@output_options(columns=DETECTION_COLUMNS, model=DETECTION_MODEL)
@click.pass_obj
def case_detections(
    cli: CliContext, /, output: OutputOptions, case_id: str, detection_id: str | None
) -> None:
    """The detections of a case (one, with DETECTION_ID).

    \b
    Examples:
      pysophos cases detections SC-503B8DDC
    """
    central = cli.client()
    if detection_id:
        one_record(output, form="cases detections CASE_ID DETECTION_ID")
        cli.write_object(
            output, central.cases.get_detection(case_id, detection_id).to_api(), title="Detection"
        )
        return
    cli.write_rows(output, central.cases.detections(case_id).raw_items(), title="Case detections")


@cases.command("entities")
@_id_argument
@click.option(
    "--type", "entity_type", metavar="TYPE", help="Only entities of this type (device, user...)."
)
@output_options(
    columns=["type", "name", "id"], model="pysophoscentralapi.models.cases:ImpactedEntity"
)
@click.pass_obj
def impacted_entities(
    cli: CliContext, /, output: OutputOptions, case_id: str, entity_type: str | None
) -> None:
    """The devices, users, addresses... a case touches.

    \b
    Examples:
      pysophos cases entities SC-503B8DDC --type device
    """
    rows = cli.client().cases.impacted_entities(case_id, type=entity_type).raw_items()
    cli.write_rows(output, rows, title="Impacted entities")


@cases.command("mitre")
@_id_argument
@output_options(columns=["tactic", "tactic_name", "technique", "technique_name", "count"])
@click.pass_obj
def mitre(cli: CliContext, /, output: OutputOptions, case_id: str) -> None:
    """The MITRE ATT&CK tactics and techniques of a case, one row per technique.

    \b
    Examples:
      pysophos cases mitre SC-503B8DDC
    """
    summary = cli.client().cases.mitre_attack_summary(case_id)
    rows = [
        {"tactic": t.get("id"), "tactic_name": t.get("name"), "technique": q.get("id"),
         "technique_name": q.get("name"), "count": q.get("count")}
        for t in summary.tactics for q in t.get("techniques") or [{}]
    ]  # fmt: skip
    cli.write_rows(output, rows, title="MITRE ATT&CK")
