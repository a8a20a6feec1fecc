"""``pysophos endpoint settings``: allowed and blocked applications, web-control local sites,
scanning exclusions and the global tamper protection switch.

Every value is checked before anything is sent (exit 2 naming the option and the valid values).
Adding, changing and deleting ask for confirmation on a terminal, need ``--yes`` otherwise, and
show the requests instead of sending them with ``--dry-run``::

    pysophos endpoint settings blocked-items add --sha256 <64 hex> --comment "ransomware" --yes
    pysophos endpoint settings allowed-items list -o csv --output-file allowed.csv

The settings lists are declared in :mod:`pysophoscentralapi._families.endpoint_settings`; their
commands are built by :func:`~pysophoscentralapi.cli._collection.collection_group`.
"""

from __future__ import annotations

import click

from pysophoscentralapi._families.endpoint_settings import SETTINGS_COLLECTIONS
from pysophoscentralapi.cli._collection import collection_group, help_text
from pysophoscentralapi.cli._context import CliContext
from pysophoscentralapi.cli._output import OutputOptions, output_options
from pysophoscentralapi.cli._params import ids_from_arguments, value_errors_as_usage
from pysophoscentralapi.cli._results import RESULT_COLUMNS, Outcome, result_row, write_results
from pysophoscentralapi.cli._safety import Safety, ids_summary, state_changing

__all__ = ["settings"]


@click.group("settings")
def settings() -> None:
    """Endpoint settings: allowed and blocked applications, web-control local sites, scanning
    exclusions, global tamper protection.

    \b
    Examples:
      pysophos endpoint settings allowed-items list
      pysophos endpoint settings blocked-items add --sha256 <64 hex> --comment "malware" --yes
      pysophos endpoint settings web-control add intranet.example.com --category-id 50 --yes
      pysophos endpoint settings exclusions list --type process
      pysophos endpoint settings tamper-protection get
    """


for _collection in SETTINGS_COLLECTIONS:
    settings.add_command(collection_group(_collection))


# --- blocked addresses: blocked and unblocked in bulk ------------------------------------------

_blocked_addresses = settings.commands["blocked-addresses"]
assert isinstance(_blocked_addresses, click.Group)
_BA = "pysophos endpoint settings blocked-addresses"


@_blocked_addresses.command(
    "add",
    help=help_text(
        "Block IP addresses, networks (a.b.c.d/n) or ranges (a-b), IPv4 or IPv6, in one request.",
        [
            f"{_BA} add 203.0.113.7 198.51.100.0/24 --yes",
            f"{_BA} add 2001:db8::1-2001:db8::ff --dry-run",
        ],
    ),
)
@click.argument("addresses", metavar="ADDRESS...", nargs=-1, required=True)
@output_options(columns=["status", "id", "item", "createdAt", "blockedUntil"])
@state_changing
@click.pass_obj
def block_addresses(
    cli: CliContext, output: OutputOptions, safety: Safety, addresses: tuple[str, ...]
) -> None:
    from pysophoscentralapi._families.endpoint_settings import check_address

    with value_errors_as_usage():
        checked = [check_address(address) for address in addresses]
    safety.confirm(ids_summary("block", "address", checked))
    added = cli.client(dry_run=safety.dry_run).settings.blocked_addresses.block(checked)
    if not safety.dry_run:
        cli.write_rows(output, [{"status": "created", **item.to_api()} for item in added])


@_blocked_addresses.command(
    "delete",
    help=help_text(
        "Unblock addresses by id, in one request; one result row per id (exit 4 when some "
        "could not be deleted).",
        [
            f"{_BA} delete 3f2c1d6e-8f7a-4b7e-9a55-1c2d3e4f5a6b --yes",
            f"{_BA} delete @ids.txt --yes",
        ],
    ),
)
@click.argument("item_ids", metavar="ID...", nargs=-1, required=True)
@output_options(columns=list(RESULT_COLUMNS))
@state_changing
@click.pass_obj
def unblock_addresses(
    cli: CliContext, output: OutputOptions, safety: Safety, item_ids: tuple[str, ...]
) -> None:
    ids = ids_from_arguments(item_ids)
    safety.confirm(ids_summary("unblock", "address", ids))
    result = cli.client(dry_run=safety.dry_run).settings.blocked_addresses.unblock(ids)
    failed = set(result.failed_to_delete)
    rows = (
        result_row(i, Outcome.NOT_FOUND, error="not deleted") if i in failed else result_row(i)
        for i in ids
    )
    write_results(cli, output, rows, done="unblocked", total=len(ids), dry_run=safety.dry_run)


# --- global tamper protection ---------------------------------------------------------------------


@settings.group("tamper-protection")
def tamper_protection() -> None:
    """The tenant-wide tamper protection switch (read-only in the API).

    \b
    Examples:
      pysophos endpoint settings tamper-protection get
      pysophos --tenant "Acme Ltd" endpoint settings tamper-protection get
    """


@tamper_protection.command("get")
@output_options(columns=["enabled"])
@click.pass_obj
def get_tamper_protection(cli: CliContext, output: OutputOptions) -> None:
    """Show whether tamper protection is on for the tenant.

    \b
    Examples:
      pysophos endpoint settings tamper-protection get
      pysophos --tenant "Acme Ltd" endpoint settings tamper-protection get -o json
    """
    status = cli.client().settings.tamper_protection.get()
    cli.write_object(output, status.to_api(), title="Global tamper protection")


@tamper_protection.command("update")
@click.option("--enable", is_flag=True, help="Turn it on.")
@click.option("--disable", is_flag=True, help="Turn it off.")
@state_changing
def update_tamper_protection(safety: Safety, enable: bool, disable: bool) -> None:
    """Not possible through the API: Sophos Central's API can only read the global switch.

    Turn it on or off in Sophos Central (Global Settings > Tamper Protection). Tamper
    protection of single endpoints can be changed: pysophos endpoint tamper update ID.

    \b
    Examples:
      pysophos endpoint settings tamper-protection get
      pysophos endpoint tamper update 3f2c1d6e-8f7a-4b7e-9a55-1c2d3e4f5a6b --enable --yes
    """
    if enable and disable:
        raise click.UsageError("--enable and --disable cannot be used together")
    if not enable and not disable:
        raise click.UsageError("give --enable or --disable")
    raise click.UsageError(
        "the Sophos Central API cannot change global tamper protection (it can only read it); "
        "change it in Sophos Central under Global Settings > Tamper Protection, or per endpoint "
        "with: pysophos endpoint tamper update ID --enable|--disable"
    )
