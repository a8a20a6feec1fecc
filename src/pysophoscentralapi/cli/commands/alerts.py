"""``pysophos alerts``: list, search, inspect and act on alerts.

Every filter, id and action name is checked before anything is sent: a bad value is a usage error
(exit 2) naming the option and the valid values.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from pysophoscentralapi._enums import (
    ALERT_ACTIONS,
    ALERT_CATEGORIES,
    ALERT_PRODUCTS,
    ALERT_SEVERITIES,
)
from pysophoscentralapi.cli._context import CliContext
from pysophoscentralapi.cli._output import Column, OutputOptions, output_options, record_options
from pysophoscentralapi.cli._params import enum_list, id_option, one_id, time_option
from pysophoscentralapi.cli._safety import Safety, state_changing

if TYPE_CHECKING:
    from pysophoscentralapi._sync._client import SophosCentral
    from pysophoscentralapi._sync._pagination import Paginator
    from pysophoscentralapi.models.alerts import Alert

__all__ = ["alerts"]

F = TypeVar("F", bound=Callable[..., Any])

#: the table of ``alerts list``: at 80 columns the id, severity, time and description fit
LIST_COLUMNS = [
    Column("raisedAt", priority=9),
    Column("severity", priority=10),
    Column("category", priority=6),
    Column("description", priority=8),
    Column("product", priority=5),
    Column("managedAgent.id", priority=3),
    Column("id", key=True),
]
ACTION_COLUMNS = ["alertId", "action", "status", "requestedAt", "id"]
#: Fields the API can sort alerts by (the rest are sorted locally).
API_SORT_FIELDS = ("raisedAt", "severity", "category", "product", "type")
DEFAULT_SORT = "raisedAt:desc"
MAX_PAGE_SIZE = 100


# --- option parsing (all before any request) ---------------------------------------------------


_NOUN = "an alert id"
_id_option = id_option(_NOUN, read_ids=True)
_one_id = one_id(_NOUN, hint="ID")
_time_option = time_option(allow_all=True)


def _filter_options(command: F) -> F:
    """The filters shared by ``list`` and ``search``."""
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
        click.option(
            "--category",
            multiple=True,
            metavar="CATEGORY[,CATEGORY]",
            callback=enum_list(ALERT_CATEGORIES),
            help=f"Category: {', '.join(ALERT_CATEGORIES)}.",
        ),
        click.option(
            "--product",
            multiple=True,
            metavar="PRODUCT[,PRODUCT]",
            callback=enum_list(ALERT_PRODUCTS),
            help=f"Product: {', '.join(ALERT_PRODUCTS)}.",
        ),
        click.option("--group-key", metavar="KEY", help="Only alerts of this alert group."),
        click.option(
            "--id",
            "ids",
            multiple=True,
            metavar="ID[,ID]",
            callback=_id_option,
            help="Only these alert ids (repeatable; '-' reads ids from stdin, @FILE from a file).",
        ),
    ]

    decorated: Callable[..., Any] = command
    for option in reversed(options):
        decorated = option(decorated)
    return decorated  # type: ignore[return-value]


def _list_alerts(
    cli: CliContext, output: OutputOptions, method: str, filters: dict[str, Any]
) -> None:
    # ``filters``: the values of the options of _filter_options, by name.
    # No default time window: open alerts stay until acted on, and the API lists them all.
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
@_filter_options
@output_options(
    columns=LIST_COLUMNS,
    sortable_by_api=API_SORT_FIELDS,
    model="pysophoscentralapi.models.alerts:Alert",
)
@click.pass_obj
def list_alerts(cli: CliContext, /, output: OutputOptions, **filters: Any) -> None:
    """List alerts (GET), newest first: every alert unless filtered.

    \b
    Examples:
      pysophos alerts list --severity high,medium
      pysophos alerts list --from 24h --product server
      pysophos alerts list --from 2024-05-01 --to 2024-05-08 -o json
      pysophos alerts list --from all --count-by category
      pysophos alerts list --severity high --fields id,description,allowedActions
    """
    _list_alerts(cli, output, "list", filters)


@alerts.command("search")
@_filter_options
@output_options(
    columns=LIST_COLUMNS,
    sortable_by_api=API_SORT_FIELDS,
    model="pysophoscentralapi.models.alerts:Alert",
)
@click.pass_obj
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
@click.argument("alert_id", metavar="ID", callback=_one_id)
@click.argument(
    "action",
    metavar="ACTION",
    type=click.Choice(ALERT_ACTIONS, case_sensitive=False),
)
@click.option("--message", metavar="TEXT", help="A note recorded with the action.")
@state_changing
@output_options(columns=ACTION_COLUMNS)
@click.pass_obj
def act_on_alert(
    cli: CliContext,
    *,
    output: OutputOptions,
    safety: Safety,
    alert_id: str,
    action: str,
    message: str | None,
) -> None:
    """Take ACTION on alert ID, if the alert allows it (see `alerts get ID`).

    ACTION is one of: acknowledge, cleanPua, cleanVirus, authPua, clearThreat, clearHmpa,
    sendMsgPua, sendMsgThreat. An action the alert does not allow is refused (exit 2) without
    sending anything. Asks for confirmation unless --yes; --dry-run prints the request instead.

    \b
    Examples:
      pysophos alerts action a5ded91c-6575-435c-a6b4-64b94f9048ff acknowledge --yes
      pysophos alerts action f9415c5f-e0e9-41d7-8126-1956223a66f1 cleanPua --message "INC-42" --yes
      pysophos alerts action f9415c5f-e0e9-41d7-8126-1956223a66f1 cleanPua --dry-run
    """
    action = {a.lower(): a for a in ALERT_ACTIONS}[action.lower()]
    central = cli.client(dry_run=safety.dry_run)
    # Read the alert first so a refused action fails before the confirmation prompt.
    alert = central.alerts.get(alert_id)
    allowed = [str(a) for a in alert.allowed_actions]
    if action not in allowed:
        raise click.UsageError(
            f"alert {alert_id} does not allow {action!r}; allowed actions: "
            f"{', '.join(allowed) or 'none'}"
        )
    description = f" ({alert.description})" if alert.description else ""
    safety.confirm(f"{action} alert {alert_id}{description}")
    try:
        result = central.alerts.act(alert_id, action, message=message)
    except ValueError as error:  # the alert changed since it was read
        raise click.UsageError(str(error)) from None
    if safety.dry_run:
        return
    cli.write_rows(output, [result.to_api()])
