"""The ``pysophos endpoint`` group's own commands: list, get, scan, update-check, isolate,
unisolate, delete and tamper (the group, :mod:`.endpoint`, imports them when they are used).

Every filter and id is checked before anything is sent: a bad value is a usage error (exit 2)
naming the option and the valid values. Commands that take ids read them from arguments, from
``-`` (stdin, one or more per line) or ``@FILE``, so listings pipe into actions::

    pysophos endpoint list --health-status bad -o json | jq -r '.[].id' | pysophos endpoint scan - --yes
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import click

from pysophoscentralapi._enums.endpoints import (
    ENDPOINT_BASIC_VIEW_FIELDS,
    ENDPOINT_FULL_VIEW_FIELDS,
    ENDPOINT_TYPES,
    ENDPOINT_VIEWS,
    HEALTH_STATUSES,
    ISOLATION_STATUSES,
    LOCKDOWN_STATUSES,
    SEARCH_FIELDS,
)
from pysophoscentralapi._validation import is_ip_address, is_mac_address
from pysophoscentralapi.cli._context import CliContext
from pysophoscentralapi.cli._errors import CommandFailed
from pysophoscentralapi.cli._output import Column, OutputOptions, output_options, record_options
from pysophoscentralapi.cli._params import (
    check_time_range,
    checked_list,
    enum_list,
    enum_list_option,
    ids_filter_option,
    ids_from_arguments,
    one_id,
    time_option,
)
from pysophoscentralapi.cli._results import (
    RESULT_COLUMNS,
    Outcome,
    act_on_each,
    attempt,
    many_targets,
    require_deleted,
    result_row,
)
from pysophoscentralapi.cli._safety import Change, ids_summary
from pysophoscentralapi.cli._status import ExitStatus

if TYPE_CHECKING:
    from pysophoscentralapi._sync._client import SophosCentral

__all__ = [
    "delete_endpoints",
    "get_endpoint",
    "isolate",
    "list_endpoints",
    "scan",
    "tamper",
    "unisolate",
    "update_check",
]

#: the table of ``endpoint list``: at 80 columns hostname, id, health and type fit whole
LIST_COLUMNS = [
    Column("hostname", key=True),
    Column("type", priority=8),
    Column("health.overall", priority=9),
    Column("os.name", priority=5),
    Column("ipv4Addresses", priority=3),
    Column("lastSeenAt", priority=7, whole=True),
    Column("isolation.status", priority=4),
    Column("tamperProtectionEnabled", priority=2),
    Column("id", key=True),
]
#: fields only ``--view full`` returns; ``--view basic`` returns only BASIC_VIEW_FIELDS
FULL_VIEW_FIELDS = ENDPOINT_FULL_VIEW_FIELDS
BASIC_VIEW_FIELDS = ENDPOINT_BASIC_VIEW_FIELDS


def view_fields() -> dict[str, tuple[str, ...]]:
    """Top-level field -> the views that return it (for checking --fields before a request);
    computed when a command runs, so declaring the commands does not import the model."""
    from pysophoscentralapi.models.endpoints import Endpoint

    return {
        **{
            wire: ("summary", "full")
            for wire in (info.alias or name for name, info in Endpoint.model_fields.items())
            if wire not in BASIC_VIEW_FIELDS
        },
        **dict.fromkeys(FULL_VIEW_FIELDS, ("full",)),
    }


# --- option parsing (all before any request) ---------------------------------------------------

_NOUN = "an endpoint id"
_one_id = one_id(_NOUN)
_time_option = time_option()


_ip_option = checked_list(is_ip_address, "an IPv4 or IPv6 address")
_mac_option = checked_list(
    is_mac_address,
    "a MAC address (e.g. 01:23:45:67:89:ab, 01-23-45-67-89-ab, 0123.4567.89ab or 0123456789ab)",
)


def _endpoint_ids(values: Sequence[str]) -> list[str]:
    """Ids from arguments, ``-`` (stdin) and ``@FILE``, validated, de-duplicated, order kept."""
    return ids_from_arguments(values, noun=_NOUN, plural="endpoint ids")


def _hostnames(cli: CliContext, ids: Sequence[str]) -> dict[str, str | None]:
    """The hostnames of ``ids`` (one listing, a few requests), for confirmations and result
    rows; empty when they cannot be read (the action itself will tell)."""
    from pysophoscentralapi._errors import SophosCentralError

    try:
        listing = cli.client().endpoints.list(ids=ids, view="basic", fields="id,hostname")
        return {str(row.get("id", "")).lower(): row.get("hostname") for row in listing.raw_items()}
    except SophosCentralError:
        return {}


def _action_details(answer: dict[str, Any], kind: str) -> dict[str, Any]:
    """The API's answer to a scan / update check, beside the result row's own ``id`` and
    ``status``: ``scanId``, ``scanStatus``, ``requestedAt``."""
    details = dict(answer)
    return {
        f"{kind}Id": details.pop("id", None),
        f"{kind}Status": details.pop("status", None),
        **details,
    }


@click.command("list")
@click.option(
    "--health-status",
    multiple=True,
    metavar="STATUS[,STATUS]",
    callback=enum_list(HEALTH_STATUSES),
    help=f"Overall health: {', '.join(HEALTH_STATUSES)} (comma-separated or repeated).",
)
@enum_list_option(
    "--type",
    "endpoint_type",
    values=ENDPOINT_TYPES,
    metavar="TYPE",
    label="Endpoint type",
)
@click.option(
    "--tamper-protection/--no-tamper-protection",
    default=None,
    help="Only endpoints with tamper protection on / off.",
)
@enum_list_option(
    "--lockdown-status",
    values=LOCKDOWN_STATUSES,
    metavar="STATUS",
    label="Server lockdown status",
)
@click.option(
    "--isolation-status",
    type=click.Choice(ISOLATION_STATUSES, case_sensitive=False),
    help="Isolated or not.",
)
@click.option(
    "--last-seen-before",
    metavar="WHEN",
    callback=_time_option,
    help="Last seen before WHEN (exclusive): 30d, 12h, 2w, 90m (that long ago), P30D, or a date/datetime.",
)
@click.option(
    "--last-seen-after",
    metavar="WHEN",
    callback=_time_option,
    help="Last seen at or after WHEN (same forms as --last-seen-before).",
)
@click.option(
    "--hostname-contains",
    metavar="TEXT",
    help="Hostname contains TEXT (first 10 characters matched).",
)
@click.option(
    "--ip",
    "ips",
    multiple=True,
    metavar="ADDR[,ADDR]",
    callback=_ip_option,
    help="IP address (repeatable).",
)
@click.option(
    "--mac",
    "macs",
    multiple=True,
    metavar="MAC[,MAC]",
    callback=_mac_option,
    help="MAC address (repeatable).",
)
@click.option(
    "--search", metavar="TEXT", help="Search TEXT in the --search-field fields (default: all)."
)
@enum_list_option(
    "--search-field",
    values=SEARCH_FIELDS,
    metavar="FIELD",
    label="Where --search looks",
)
@click.option("--online/--offline", default=None, help="Only endpoints that are online / offline.")
@click.option(
    "--view",
    type=click.Choice(ENDPOINT_VIEWS, case_sensitive=False),
    help="How much the API returns per endpoint: basic, summary (default) or full.",
)
@ids_filter_option(_NOUN, "endpoint")
@click.option("--group", metavar="ID|NAME", help="Only the endpoints in this endpoint group.")
@output_options(
    columns=LIST_COLUMNS,
    model="pysophoscentralapi.models.endpoints:Endpoint",
    views=view_fields,
    default_view="summary",
)
@click.pass_obj
def list_endpoints(
    cli: CliContext,
    *,
    output: OutputOptions,
    health_status: list[str] | None,
    endpoint_type: list[str] | None,
    tamper_protection: bool | None,
    lockdown_status: list[str] | None,
    isolation_status: str | None,
    last_seen_before: str | None,
    last_seen_after: str | None,
    hostname_contains: str | None,
    ips: list[str] | None,
    macs: list[str] | None,
    search: str | None,
    search_field: list[str] | None,
    online: bool | None,
    view: str | None,
    ids: list[str] | None,
    group: str | None,
) -> None:
    """List endpoints, filtered by the API.

    \b
    Examples:
      pysophos endpoint list --health-status bad,suspicious
      pysophos endpoint list --type server --last-seen-before 30d -o csv --output-file stale.csv
      pysophos endpoint list --isolation-status isolated --fields id,hostname
      pysophos endpoint list --search web --search-field hostname --count-by health.overall
      pysophos endpoint list --group Sales
    """
    if search_field and not search:
        raise click.UsageError("--search-field needs --search TEXT")
    check_time_range(last_seen_after, last_seen_before, "--last-seen-after", "--last-seen-before")
    limit = output.fetch_limit()
    page_size = min(500, limit) if limit else 500
    filters: dict[str, Any] = {
        "health_status": health_status,
        "type": endpoint_type,
        "tamper_protection_enabled": tamper_protection,
        "lockdown_status": lockdown_status,
        "isolation_status": (
            {v.lower(): v for v in ISOLATION_STATUSES}[isolation_status.lower()]
            if isolation_status
            else None
        ),
        "last_seen_before": last_seen_before,
        "last_seen_after": last_seen_after,
        "hostname_contains": hostname_contains,
        "ip_addresses": ips,
        "mac_addresses": macs,
        "search": search,
        "search_fields": search_field,
        "online": online,
        "view": view.lower() if view else None,
        "ids": ids,
    }

    def listing(central: Any) -> Any:
        if group is None:
            return central.endpoints.list(**filters, page_size=page_size)
        from pysophoscentralapi.cli.commands.endpoint_groups import GroupListing

        return GroupListing(central, group, filters, page_size)

    cli.write_listing(output, listing, title="Endpoints")


@click.command("get")
@click.argument("endpoint_id", metavar="ID", callback=_one_id)
@click.option(
    "--view",
    type=click.Choice(ENDPOINT_VIEWS, case_sensitive=False),
    default="full",
    show_default=True,
    help="How much of the endpoint to show.",
)
@record_options(model="pysophoscentralapi.models.endpoints:Endpoint", views=view_fields)
@click.pass_obj
def get_endpoint(cli: CliContext, output: OutputOptions, endpoint_id: str, view: str) -> None:
    """Show one endpoint.

    \b
    Examples:
      pysophos endpoint get 6f1c0e1a-2b3c-4d5e-8f90-112233445566
      pysophos endpoint get 6f1c0e1a-2b3c-4d5e-8f90-112233445566 -o json --fields health
    """
    found = cli.client().endpoints.get(endpoint_id, view=view.lower())
    cli.write_object(output, found.to_api(), title="Endpoint")


#: endpoint id -> hostname, where known
_Names = Mapping[str, str | None]


def _on_endpoints(
    change: Change,
    values: tuple[str, ...],
    rows: Callable[[Any, list[str], _Names], Iterator[dict[str, Any]]],
    *,
    verb: str,
    done: str,
) -> None:
    """Act on the endpoints ``values`` name, one result row each from
    ``rows(client.endpoints, ids, hostnames)``: with ``--all-tenants`` in each tenant of the
    rows read (``read_tenant_targets``), otherwise the ids checked and the action confirmed
    naming their hostnames."""
    cli = change.cli
    if cli.all_tenants:
        from pysophoscentralapi.cli._tenants import read_tenant_targets, run_across_tenants

        def in_tenant(client: SophosCentral, ids: list[str]) -> Iterator[dict[str, Any]]:
            return rows(client.endpoints, ids, {})

        run_across_tenants(
            cli, change.output, read_tenant_targets(values), in_tenant,
            verb=verb, done=done, noun="endpoint", safety=change.safety,
        )  # fmt: skip
        return
    ids = _endpoint_ids(values)
    names = _hostnames(cli, ids)
    change.confirm(ids_summary(verb, "endpoint", ids, names=names))
    found = rows(change.client().endpoints, ids, names)
    change.write_results(found, done=done, total=len(ids))


def _action_command(name: str, verb: str, done: str, method: str, kind: str) -> click.Command:
    """``scan`` and ``update-check``: one POST per endpoint, one result row each."""

    @many_targets("endpoint_ids", "ID...", columns=[*RESULT_COLUMNS, "requestedAt"])
    def command(change: Change, endpoint_ids: tuple[str, ...]) -> None:
        def rows(resource: Any, ids: list[str], names: _Names) -> Iterator[dict[str, Any]]:
            call = getattr(resource, method)
            for i in ids:
                yield attempt(
                    i, lambda i: _action_details(call(i).to_api(), kind), name=names.get(i)
                )

        _on_endpoints(change, endpoint_ids, rows, verb=verb, done=done)

    return click.command(name)(command)


scan = _action_command("scan", "start a scan on", "scan started on", "scan", "scan")
scan.help = """Start a scan on endpoints.

\b
Examples:
  pysophos endpoint scan 6f1c0e1a-2b3c-4d5e-8f90-112233445566 --yes
  pysophos endpoint list --health-status bad -o json | jq -r '.[].id' | pysophos endpoint scan - --yes
  pysophos endpoint scan @ids.txt --dry-run
"""

update_check = _action_command(
    "update-check",
    "ask for an update check on",
    "update check asked of",
    "check_for_updates",
    "updateCheck",
)
update_check.help = """Ask endpoints to check for Sophos agent updates.

\b
Examples:
  pysophos endpoint update-check 6f1c0e1a-2b3c-4d5e-8f90-112233445566 --yes
"""


def _isolation_rows(
    resource: Any, ids: list[str], enable: bool, comment: str | None, names: _Names
) -> Iterator[dict[str, Any]]:
    """One result row per id, batch by batch as the API answers."""
    for batch in resource.isolation_batches(ids, enabled=enable, comment=comment):
        for item in batch.items:
            settings = item.isolation.to_api() if item.isolation is not None else {}
            settings.setdefault("enabled", enable)
            if comment is not None:
                settings.setdefault("comment", comment)
            yield result_row(item.id, name=names.get(item.id.lower()), isolation=settings)
        for endpoint_id in batch.not_found:
            yield result_row(
                endpoint_id, Outcome.NOT_FOUND, name=names.get(endpoint_id), error="not found"
            )
        for endpoint_id in batch.failed_ids:
            yield result_row(endpoint_id, name=names.get(endpoint_id), error=batch.error)


def _isolation_command(name: str, enable: bool) -> click.Command:
    verb = "isolate" if enable else "end isolation of"
    done = "isolated" if enable else "ended isolation of"

    @click.option("--comment", metavar="TEXT", help="Why (shown in Sophos Central).")
    @many_targets(
        "endpoint_ids", "ID...", columns=[*RESULT_COLUMNS, "isolation.enabled", "isolation.comment"]
    )
    def command(
        change: Change,
        endpoint_ids: tuple[str, ...],
        comment: str | None,
    ) -> None:
        def rows(resource: Any, ids: list[str], names: _Names) -> Iterator[dict[str, Any]]:
            return _isolation_rows(resource, ids, enable, comment, names)

        _on_endpoints(change, endpoint_ids, rows, verb=verb, done=done)

    return click.command(name)(command)


isolate = _isolation_command("isolate", True)
isolate.help = """Isolate endpoints from the network (they keep talking to Sophos Central).

\b
Examples:
  pysophos endpoint isolate 6f1c0e1a-2b3c-4d5e-8f90-112233445566 --comment "INC-42" --yes
  pysophos endpoint list --health-status bad -o json | jq -r '.[].id' | pysophos endpoint isolate - --yes
"""

unisolate = _isolation_command("unisolate", False)
unisolate.help = """Take endpoints out of isolation.

\b
Examples:
  pysophos endpoint unisolate 6f1c0e1a-2b3c-4d5e-8f90-112233445566 --comment "cleaned" --yes
"""


@click.command("delete")
@many_targets("endpoint_ids", "ID...")
def delete_endpoints(change: Change, endpoint_ids: tuple[str, ...]) -> None:
    """Delete endpoints from Sophos Central (the software on them is not uninstalled).

    \b
    Examples:
      pysophos endpoint delete 6f1c0e1a-2b3c-4d5e-8f90-112233445566 --yes
      pysophos endpoint list --last-seen-before 90d -o json | jq -r '.[].id' | pysophos endpoint delete - --dry-run
    """
    ids = _endpoint_ids(endpoint_ids)

    def delete(central: SophosCentral, endpoint_id: str) -> None:
        require_deleted(central.endpoints.delete(endpoint_id), dry_run=change.dry_run)

    act_on_each(
        change, ids, delete,
        verb="delete", done="deleted", noun="endpoint", names=_hostnames(change.cli, ids),
    )  # fmt: skip


# --- tamper protection -------------------------------------------------------------------------


@click.group("tamper")
def tamper() -> None:
    """Tamper protection of one endpoint: status, turn on/off, password.

    \b
    Examples:
      pysophos endpoint tamper get 6f1c0e1a-2b3c-4d5e-8f90-112233445566
      pysophos endpoint tamper update 6f1c0e1a-2b3c-4d5e-8f90-112233445566 --disable --yes
      pysophos endpoint tamper password 6f1c0e1a-2b3c-4d5e-8f90-112233445566
    """


@tamper.command("get")
@click.argument("endpoint_id", metavar="ID", callback=_one_id)
@record_options()
@click.pass_obj
def tamper_get(cli: CliContext, output: OutputOptions, endpoint_id: str) -> None:
    """Show whether tamper protection is on and whether a password exists (not the password).

    \b
    Examples:
      pysophos endpoint tamper get 6f1c0e1a-2b3c-4d5e-8f90-112233445566
      pysophos endpoint tamper password 6f1c0e1a-2b3c-4d5e-8f90-112233445566   # the password itself
    """
    settings = cli.client().endpoints.tamper_protection(endpoint_id)
    row = {
        "id": endpoint_id,
        "enabled": settings.enabled,
        "passwordSet": bool(settings.password),
        "previousPasswords": len(settings.previous_passwords or []),
    }
    cli.write_object(output, row, title="Tamper protection")


@tamper.command("update")
@click.option("--enable", is_flag=True, help="Turn tamper protection on (needs it on globally).")
@click.option("--disable", is_flag=True, help="Turn tamper protection off.")
@click.option(
    "--regenerate-password",
    is_flag=True,
    help="Generate a new password (the old one stops working).",
)
@many_targets("endpoint_ids", "ID...", columns=[*RESULT_COLUMNS, "enabled", "passwordRegenerated"])
def tamper_update(
    change: Change,
    *,
    endpoint_ids: tuple[str, ...],
    enable: bool,
    disable: bool,
    regenerate_password: bool,
) -> None:
    """Turn tamper protection on or off, and/or generate a new password, on endpoints.

    One result row per endpoint. The new password is not printed; read it with
    `pysophos endpoint tamper password ID`.

    \b
    Examples:
      pysophos endpoint tamper update 6f1c0e1a-2b3c-4d5e-8f90-112233445566 --enable --yes
      pysophos endpoint tamper update 6f1c0e1a-2b3c-4d5e-8f90-112233445566 --regenerate-password --yes
      pysophos endpoint tamper update @ids.txt --disable --dry-run
    """
    if enable and disable:
        raise click.UsageError("--enable and --disable cannot be used together")
    if not (enable or disable or regenerate_password):
        raise click.UsageError("give --enable, --disable and/or --regenerate-password")
    ids = _endpoint_ids(endpoint_ids)
    enabled = True if enable else False if disable else None
    changes = []
    if enabled is not None:
        changes.append("turn tamper protection " + ("on" if enabled else "off"))
    if regenerate_password:
        changes.append("generate a new tamper protection password")

    def update(central: SophosCentral, endpoint_id: str) -> dict[str, Any]:
        result = central.endpoints.update_tamper_protection(
            endpoint_id, enabled=enabled, regenerate_password=regenerate_password
        )
        return {"enabled": result.enabled, "passwordRegenerated": regenerate_password}

    act_on_each(
        change, ids, update,
        verb=f"{' and '.join(changes)} on", done="updated", noun="endpoint",
        names=_hostnames(change.cli, ids),
    )  # fmt: skip


@tamper.command("password")
@click.argument("endpoint_id", metavar="ID", callback=_one_id)
@click.option(
    "--previous",
    is_flag=True,
    help="Also print the previous passwords, one per line: PASSWORD<TAB>INVALIDATED_AT.",
)
@record_options()
@click.pass_obj
def tamper_password(
    cli: CliContext, output: OutputOptions, endpoint_id: str, previous: bool
) -> None:
    """Print the endpoint's tamper protection password, and nothing else (for scripts).

    With -o (json, table...) it is a record: id, password and, with --previous, the previous
    passwords.

    \b
    Examples:
      pysophos endpoint tamper password 6f1c0e1a-2b3c-4d5e-8f90-112233445566
      PASSWORD=$(pysophos endpoint tamper password 6f1c0e1a-2b3c-4d5e-8f90-112233445566)
      pysophos endpoint tamper password 6f1c0e1a-2b3c-4d5e-8f90-112233445566 --previous
      pysophos endpoint tamper password 6f1c0e1a-2b3c-4d5e-8f90-112233445566 -o json
    """
    settings = cli.client().endpoints.tamper_protection(endpoint_id)
    if not settings.password:
        # The API answered, but holds no password for this endpoint.
        raise CommandFailed(
            f"endpoint {endpoint_id} has no tamper protection password", ExitStatus.API_REFUSED
        )
    if output.format is not None or output.output_file is not None:
        record: dict[str, Any] = {"id": endpoint_id, "password": settings.password}
        if previous:
            dumped = settings.to_api()
            record["previousPasswords"] = dumped.get("previousPasswords", [])
        cli.write_object(output, record, title="Tamper protection password")
        return
    lines = [settings.password]
    if previous:
        for old in settings.previous_passwords or []:
            when = (
                old.invalidated_at.isoformat().replace("+00:00", "Z") if old.invalidated_at else ""
            )
            lines.append(f"{old.password or ''}\t{when}")
    click.echo("\n".join(lines))
