"""``pysophos endpoint settings blocked-addresses add|delete``: addresses blocked and unblocked
in bulk, one request each (beside the declared collection's list)."""

from __future__ import annotations

import click

from pysophoscentralapi.cli._collection import help_text
from pysophoscentralapi.cli._params import ids_from_arguments, value_errors_as_usage
from pysophoscentralapi.cli._results import Outcome, many_targets, result_row
from pysophoscentralapi.cli._safety import Change, ids_summary
from pysophoscentralapi.cli.commands.endpoint_settings_commands import SETTINGS_CLI

__all__ = ["block_addresses", "unblock_addresses"]

_BA = f"{SETTINGS_CLI} blocked-addresses"


@click.command(
    "add",
    help=help_text(
        "Block IP addresses, networks (a.b.c.d/n) or ranges (a-b), IPv4 or IPv6, in one request.",
        [
            f"{_BA} add 203.0.113.7 198.51.100.0/24 --yes",
            f"{_BA} add 2001:db8::1-2001:db8::ff --dry-run",
        ],
    ),
)
@many_targets(
    "addresses", "ADDRESS...", columns=["status", "id", "item", "createdAt", "blockedUntil"]
)
def block_addresses(change: Change, addresses: tuple[str, ...]) -> None:
    from pysophoscentralapi._families.endpoint_settings import check_address

    with value_errors_as_usage():
        checked = [check_address(address) for address in addresses]
    change.confirm(ids_summary("block", "address", checked))
    added = change.client().settings.blocked_addresses.block(checked)
    if not change.dry_run:
        change.cli.write_rows(
            change.output, [{"status": "created", **item.to_api()} for item in added]
        )


@click.command(
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
@many_targets("item_ids", "ID...")
def unblock_addresses(change: Change, item_ids: tuple[str, ...]) -> None:
    ids = ids_from_arguments(item_ids)
    change.confirm(ids_summary("unblock", "address", ids))
    result = change.client().settings.blocked_addresses.unblock(ids)
    failed = set(result.failed_to_delete)
    rows = (
        result_row(i, Outcome.NOT_FOUND, error="not deleted") if i in failed else result_row(i)
        for i in ids
    )
    change.write_results(rows, done="unblocked", total=len(ids))
