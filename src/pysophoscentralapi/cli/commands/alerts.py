"""``pysophos alerts``: list, search, inspect and act on alerts.

Every filter, id and action name is checked before anything is sent: a bad value is a usage error
(exit 2) naming the option and the valid values.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from pysophoscentralapi._enums.alerts import (
    ALERT_ACTIONS,
    ALERT_CATEGORIES,
    ALERT_PRODUCTS,
    ALERT_SEVERITIES,
)
from pysophoscentralapi.cli._context import CliContext
from pysophoscentralapi.cli._output import Column, OutputOptions, output_options, record_options
from pysophoscentralapi.cli._params import (
    check_time_range,
    enum_list,
    enum_list_option,
    ids_filter_option,
    ids_from_arguments,
    one_id,
    one_of,
    time_option,
)
from pysophoscentralapi.cli._results import (
    RESULT_COLUMNS,
    Outcome,
    attempt,
    result_row,
    write_results,
)
from pysophoscentralapi.cli._safety import Safety, ids_summary, state_changing

if TYPE_CHECKING:
    from pysophoscentralapi._sync._client import SophosCentral
    from pysophoscentralapi._sync._pagination import Paginator
    from pysophoscentralapi.models.alerts import Alert

__all__ = ["alerts"]

F = TypeVar("F", bound=Callable[..., Any])

#: the table of ``alerts list``: at 80 columns the id, severity, time and description fit
LIST_COLUMNS = [
    Column("raisedAt", priority=9, whole=True),
    Column("severity", priority=10),
    Column("category", priority=6),
    Column("description", priority=8),
    Column("product", priority=5),
    Column("managedAgent.id", priority=3, whole=True),
    Column("id", key=True),
]
#: Fields the API can sort alerts by (the rest are sorted locally).
API_SORT_FIELDS = ("raisedAt", "severity", "category", "product", "type")
DEFAULT_SORT = "raisedAt:desc"
MAX_PAGE_SIZE = 100
#: ``--id`` values sent in a ``GET /alerts`` URL; more go to ``POST /alerts/search`` instead.
IDS_IN_A_URL = 50


# --- option parsing (all before any request) ---------------------------------------------------


_NOUN = "an alert id"
_one_id = one_id(_NOUN, hint="ID")
_time_option = time_option(allow_all=True)


def _listing_options(command: F) -> F:
    """The parameters shared by ``list`` and ``search``: the filters, the output options of the
    listing, and the CliContext passed first."""
    options = [
        click.option(
            "--from",
            "from_",
            metavar="WHEN",
            callback=_time_option,
            help="Raised at or after WHEN [default: no limit, every alert the API keeps; 'all' "
            "says so explicitly]: 24h, 7d, 2w (that long ago), an ISO duration (-P7D) or a "
            "date/datetime.",
        ),
        click.option(
            "--to",
            metavar="WHEN",
            callback=_time_option,
            help="Raised before WHEN (same forms as --from).",
        ),
        click.option(
            "--severity",
            multiple=True,
            metavar="LEVEL[,LEVEL]",
            callback=enum_list(ALERT_SEVERITIES),
            help=f"Severity: {', '.join(ALERT_SEVERITIES)} (comma-separated or repeated).",
        ),
        enum_list_option(
            "--category", values=ALERT_CATEGORIES, metavar="CATEGORY", label="Category"
        ),
        enum_list_option("--product", values=ALERT_PRODUCTS, metavar="PRODUCT", label="Product"),
        click.option("--group-key", metavar="KEY", help="Only alerts of this alert group."),
        ids_filter_option(_NOUN, "alert"),
    ]

    decorated: Callable[..., Any] = click.pass_obj(command)
    decorated = output_options(
        columns=LIST_COLUMNS,
        sortable_by_api=API_SORT_FIELDS,
        model="pysophoscentralapi.models.alerts:Alert",
    )(decorated)
    for option in reversed(options):
        decorated = option(decorated)
    return decorated  # type: ignore[return-value]


def _list_alerts(
    cli: CliContext, output: OutputOptions, method: str, filters: dict[str, Any]
) -> None:
    # ``filters``: the values of the options of _listing_options, by name.
    # No default time window: open alerts stay until acted on, and the API lists them all.
    check_time_range(filters["from_"], filters["to"], "--from", "--to")
    if method == "list" and len(filters["ids"] or ()) > IDS_IN_A_URL:
        method = "search"  # the same filters in a body: a URL with that many ids is refused
    filters = {name: value or None for name, value in filters.items()}
    # Newest first unless the user sorts by something else; the API does the sorting when it can.
    api_sort = output.api_sort or DEFAULT_SORT
    sorted_by_api = output.api_sort is not None
    limit = output.fetch_limit(sorted_by_api=sorted_by_api)
    page_size = min(MAX_PAGE_SIZE, limit) if limit else MAX_PAGE_SIZE

    def fetch(central: SophosCentral) -> Paginator[Alert]:
        listing = central.alerts.search if method == "search" else central.alerts.list
        return listing(**filters, sort=api_sort, page_size=page_size)

    cli.write_listing(output, fetch, title="Alerts", sorted_by_api=sorted_by_api)


# --- the group ---------------------------------------------------------------------------------


@click.group("alerts")
def alerts() -> None:
    """Alerts: list, search, get, act on.

    \b
    Examples:
      pysophos alerts list                                   every alert, newest first
      pysophos alerts list --severity high --from 24h
      pysophos alerts list --category malware,pua --from all -o csv --output-file alerts.csv
      pysophos alerts search --id ID --id ID
      pysophos alerts get a5ded91c-6575-435c-a6b4-64b94f9048ff
      pysophos alerts action a5ded91c-6575-435c-a6b4-64b94f9048ff acknowledge --yes
      pysophos --all-tenants alerts list --severity high -o jsonl
    """


@alerts.command("list")
@_listing_options
def list_alerts(cli: CliContext, /, output: OutputOptions, **filters: Any) -> None:
    """List alerts (GET), newest first: every alert unless filtered.

    \b
    Examples:
      pysophos alerts list --severity high,medium
      pysophos alerts list --from 24h --product server
      pysophos alerts list --from 14d --to 7d -o json
      pysophos alerts list --from all --count-by category
      pysophos alerts list --severity high --fields id,description,allowedActions
    """
    _list_alerts(cli, output, "list", filters)


@alerts.command("search")
@_listing_options
def search_alerts(cli: CliContext, /, output: OutputOptions, **filters: Any) -> None:
    """Search alerts with the filters in a request body (POST): the same options as list.

    Handy for many --id values, which would make a URL too long.

    \b
    Examples:
      pysophos alerts search --severity high --from 3d
      pysophos alerts list --severity low -o json | jq -r '.[].id' | pysophos alerts search --id - --from all
    """
    _list_alerts(cli, output, "search", filters)


@alerts.command("get")
@click.argument("alert_id", metavar="ID", callback=_one_id)
@record_options(model="pysophoscentralapi.models.alerts:Alert")
@click.pass_obj
def get_alert(cli: CliContext, output: OutputOptions, alert_id: str) -> None:
    """Show one alert, with the actions it allows.

    \b
    Examples:
      pysophos alerts get a5ded91c-6575-435c-a6b4-64b94f9048ff
      pysophos alerts get a5ded91c-6575-435c-a6b4-64b94f9048ff --fields allowedActions -o json
    """
    alert = cli.client().alerts.get(alert_id)
    cli.write_object(output, alert.to_api(), title="Alert")


@alerts.command("action")
@click.argument("alert_ids", metavar="ID...", nargs=-1, required=True)
@click.argument(
    "action",
    metavar="ACTION",
    callback=one_of(ALERT_ACTIONS),
)
@click.option("--message", metavar="TEXT", help="A note recorded with the action.")
@state_changing
@output_options(columns=[*RESULT_COLUMNS, "action", "actionStatus"])
@click.pass_obj
def act_on_alert(
    cli: CliContext,
    *,
    output: OutputOptions,
    safety: Safety,
    alert_ids: tuple[str, ...],
    action: str,
    message: str | None,
) -> None:
    """Take ACTION on alerts, where the alert allows it (see `alerts get ID`).

    ACTION is one of: acknowledge, cleanPua, cleanVirus, authPua, clearThreat, clearHmpa,
    sendMsgPua, sendMsgThreat. IDs are arguments, - (stdin) or @FILE. Every alert is read first:
    one alert that does not allow the action is refused (exit 2) without sending anything; among
    several, those are `refused` rows. One result row per alert. Asks for confirmation unless
    --yes; --dry-run prints the requests instead.

    \b
    Examples:
      pysophos alerts action a5ded91c-6575-435c-a6b4-64b94f9048ff acknowledge --yes
      pysophos alerts action f9415c5f-e0e9-41d7-8126-1956223a66f1 cleanPua --message "INC-42" --yes
      pysophos alerts list --severity low -o json | jq -r '.[].id' | pysophos alerts action - acknowledge --yes
      pysophos alerts action f9415c5f-e0e9-41d7-8126-1956223a66f1 cleanPua --dry-run
    """
    from pysophoscentralapi._errors import APIConnectionError, APIError, AuthenticationError

    ids = ids_from_arguments(alert_ids, noun=_NOUN, plural="alert ids")
    action = {a.lower(): a for a in ALERT_ACTIONS}[action.lower()]
    reader = cli.client()
    # Read the alerts first, so that refusals are known before the confirmation prompt.
    known: dict[str, Any] = {}
    settled: dict[str, dict[str, Any]] = {}
    for alert_id in ids:
        try:
            alert = reader.alerts.get(alert_id)
        except AuthenticationError:
            raise
        except (APIError, APIConnectionError) as error:
            settled[alert_id] = result_row(alert_id, error=error, action=action)
            continue
        allowed = [str(a) for a in alert.allowed_actions]
        if action in allowed:
            known[alert_id] = alert
            continue
        refusal = f"alert {alert_id} does not allow {action!r}; allowed actions: {', '.join(allowed) or 'none'}"
        if len(ids) == 1:
            raise click.UsageError(refusal)
        settled[alert_id] = result_row(
            alert_id, Outcome.REFUSED, name=alert.description, error=refusal, action=action
        )
    names = {i: a.description for i, a in known.items()}
    safety.confirm(ids_summary(action, "alert", list(known) or ids, names=names))
    central = cli.client(dry_run=safety.dry_run)

    def act(alert_id: str) -> dict[str, Any]:
        try:
            result = central.alerts.act(alert_id, action, message=message).to_api()
        except ValueError as error:  # the alert changed since it was read
            raise click.UsageError(str(error)) from None
        return {"action": action, "actionId": result.get("id"), "actionStatus": result.get("status"),
                "requestedAt": result.get("requestedAt")}  # fmt: skip

    rows = (settled[i] if i in settled else attempt(i, act, name=names.get(i)) for i in ids)
    write_results(
        cli, output, rows, done=f"{action} sent to", total=len(ids), dry_run=safety.dry_run
    )
