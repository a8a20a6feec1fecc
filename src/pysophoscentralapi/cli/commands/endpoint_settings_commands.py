"""The hand-written commands of ``pysophos endpoint settings`` (the group, :mod:`.endpoint_settings`,
imports them when used): blocking and unblocking addresses in bulk, the exploit-mitigation
categories, the TLS-decryption exclusions and categories, the event journal and the global tamper
protection switch.

Every value is checked before anything is sent (exit 2 naming the option and the valid values).
Changes ask for confirmation on a terminal, need ``--yes`` otherwise, and show the requests
instead of sending them with ``--dry-run``.
"""

from __future__ import annotations

from typing import Any

import click

from pysophoscentralapi._enums.endpoint_settings import EVENT_JOURNAL_ENDPOINT_TYPES
from pysophoscentralapi._families.endpoint_settings import (
    excluded_websites_body,
    tls_categories_body,
)
from pysophoscentralapi.cli._collection import help_text
from pysophoscentralapi.cli._context import CliContext
from pysophoscentralapi.cli._output import OutputOptions, output_options
from pysophoscentralapi.cli._params import (
    ids_from_arguments,
    require_a_change,
    value_errors_as_usage,
)
from pysophoscentralapi.cli._results import (
    Outcome,
    many_targets,
    result_row,
)
from pysophoscentralapi.cli._safety import Change, Safety, ids_summary, pass_change, state_changing

__all__ = [
    "add_websites",
    "block_addresses",
    "event_journal",
    "exploit_categories",
    "remove_websites",
    "tamper_protection",
    "tls_decryption",
    "unblock_addresses",
]


# --- blocked addresses: blocked and unblocked in bulk ------------------------------------------

_BA = "pysophos endpoint settings blocked-addresses"


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


# --- exploit-mitigation categories, TLS decryption, event journal ------------------------------

_S = "pysophos endpoint settings"


@click.command(
    "categories",
    help=help_text(
        "List the application categories and their mitigation settings.",
        [f"{_S} exploit-mitigation categories", f"{_S} exploit-mitigation categories -o json"],
    ),
)
@output_options(columns=["id", "name"])
@click.pass_obj
def exploit_categories(cli: CliContext, output: OutputOptions) -> None:
    rows = cli.client().settings.exploit_mitigation.categories()
    cli.write_rows(output, [row.to_api() for row in rows], title="Categories")


def _website_entries(values: tuple[str, ...], comment: str | None) -> list[str | tuple[str, str]]:
    return [value if comment is None else (value, comment) for value in values]


@click.command(
    "add",
    help=help_text(
        "Exclude websites from TLS decryption.",
        [f"{_S} tls-excluded-websites add bank.example --comment Banking --yes"],
    ),
)
@click.option("--comment", metavar="TEXT", help="Why.")
@many_targets("websites", "WEBSITE...", columns=["value", "comment"])
def add_websites(
    change: Change,
    websites: tuple[str, ...],
    comment: str | None,
) -> None:
    entries = _website_entries(websites, comment)
    with value_errors_as_usage():
        excluded_websites_body(add=entries)
    change.confirm(ids_summary("exclude from TLS decryption", "website", list(websites)))
    tls = change.client().settings.web_control.tls_decryption
    result = tls.excluded_websites.change(add=entries)
    if not change.dry_run:
        change.cli.write_rows(change.output, [site.to_api() for site in result.added])


@click.command(
    "remove",
    help=help_text(
        "Decrypt websites again: remove them from the exclusions (or all with --all).",
        [
            f"{_S} tls-excluded-websites remove bank.example --yes",
            f"{_S} tls-excluded-websites remove --all --yes",
        ],
    ),
)
@click.argument("websites", metavar="[WEBSITE...]", nargs=-1)
@click.option("--all", "everything", is_flag=True, help="Remove every excluded website.")
@output_options(columns=["value", "comment"])
@pass_change
def remove_websites(
    change: Change,
    websites: tuple[str, ...],
    everything: bool,
) -> None:
    if everything == bool(websites):
        raise click.UsageError("give the websites to remove, or --all")
    excluded = change.client().settings.web_control.tls_decryption
    if everything:
        change.confirm("remove every website excluded from TLS decryption")
        excluded.excluded_websites.clear()
        return
    with value_errors_as_usage():
        excluded_websites_body(remove=list(websites))
    change.confirm(ids_summary("decrypt again", "website", list(websites)))
    result = excluded.excluded_websites.change(remove=list(websites))
    if not change.dry_run:
        change.cli.write_rows(change.output, [site.to_api() for site in result.removed])


@click.group("tls-decryption")
def tls_decryption() -> None:
    """Web-control TLS decryption per web category.

    \b
    Examples:
      pysophos endpoint settings tls-decryption get
      pysophos endpoint settings tls-decryption update --enable 10 --disable 14 --yes
    """


@tls_decryption.command(
    "get",
    help=help_text(
        "Show which web categories are decrypted.",
        [f"{_S} tls-decryption get", f"{_S} tls-decryption get -o json"],
    ),
)
@output_options(columns=["id", "decryptionEnabled"])
@click.pass_obj
def get_tls(cli: CliContext, output: OutputOptions) -> None:
    current = cli.client().settings.web_control.tls_decryption.get()
    cli.write_rows(output, [c.to_api() for c in current.categories], title="TLS decryption")


@tls_decryption.command(
    "update",
    help=help_text(
        "Turn TLS decryption on (--enable) or off (--disable) for web category ids.",
        [f"{_S} tls-decryption update --enable 10 --disable 14 --yes"],
    ),
)
@click.option("--enable", multiple=True, type=click.IntRange(min=1), metavar="ID", help="Decrypt.")
@click.option("--disable", multiple=True, type=click.IntRange(min=1), metavar="ID", help="Don't.")
@output_options(columns=["id", "decryptionEnabled"])
@pass_change
def update_tls(
    change: Change,
    enable: tuple[int, ...],
    disable: tuple[int, ...],
) -> None:
    if set(enable) & set(disable):
        raise click.UsageError("a category cannot be both --enable and --disable")
    categories = {**dict.fromkeys(enable, True), **dict.fromkeys(disable, False)}
    with value_errors_as_usage():
        tls_categories_body(categories)
    change.confirm(f"change TLS decryption of {len(categories)} web categories")
    result = change.client().settings.web_control.tls_decryption.update(categories)
    if not change.dry_run:
        change.cli.write_rows(change.output, [c.to_api() for c in result.categories])


@click.group("event-journal")
def event_journal() -> None:
    """How much disk the event journal of computers or servers may use.

    \b
    Examples:
      pysophos endpoint settings event-journal get computer
      pysophos endpoint settings event-journal update server --disk-mb 15000 --yes
    """


_ENDPOINT_TYPE = click.argument("endpoint_type", type=click.Choice(EVENT_JOURNAL_ENDPOINT_TYPES))


@event_journal.command(
    "get",
    help=help_text(
        "Show the event journal's disk limits of computers or servers.",
        [f"{_S} event-journal get computer", f"{_S} event-journal get server -o json"],
    ),
)
@_ENDPOINT_TYPE
@output_options(columns=["useRecommended", "diskSpaceLimitInMB.value",
                         "diskSpaceLimitAsPercentage.value"])  # fmt: skip
@click.pass_obj
def get_journal(cli: CliContext, output: OutputOptions, endpoint_type: str) -> None:
    journal = cli.client().settings.event_journal.get(endpoint_type)
    cli.write_object(output, journal.to_api(), title="Event journal")


@event_journal.command(
    "update",
    help=help_text(
        "Change the event journal's disk limits (or go back to the recommended ones).",
        [
            f"{_S} event-journal update server --disk-mb 15000 --disk-percent 20 --yes",
            f"{_S} event-journal update computer --recommended --yes",
        ],
    ),
)
@_ENDPOINT_TYPE
@click.option("--recommended/--custom", default=None, help="Use the recommended limits.")
@click.option("--disk-mb", type=click.IntRange(min=0), metavar="MB", help="Disk limit in MB.")
@click.option("--disk-percent", type=click.IntRange(0, 100), metavar="N", help="Disk limit in %.")
@output_options(columns=["useRecommended", "diskSpaceLimitInMB.value",
                         "diskSpaceLimitAsPercentage.value"])  # fmt: skip
@pass_change
def update_journal(
    change: Change,
    *,
    endpoint_type: str,
    recommended: bool | None,
    disk_mb: int | None,
    disk_percent: int | None,
) -> None:
    values: dict[str, Any] = {"use_recommended": recommended, "disk_space_limit_in_mb": disk_mb,
              "disk_space_limit_as_percentage": disk_percent}  # fmt: skip
    require_a_change({"--recommended": recommended, "--disk-mb": disk_mb,
                      "--disk-percent": disk_percent})  # fmt: skip
    change.confirm(f"change the event journal limits of {endpoint_type}s")
    journal = change.client().settings.event_journal.update(endpoint_type, **values)
    if not change.dry_run:
        change.cli.write_rows(change.output, [journal.to_api()])


# --- global tamper protection ---------------------------------------------------------------------


@click.group("tamper-protection")
def tamper_protection() -> None:
    """The tenant-wide tamper protection switch (read-only in the API).

    \b
    Examples:
      pysophos endpoint settings tamper-protection get
      pysophos --tenant "Acme Corp" endpoint settings tamper-protection get
    """


@tamper_protection.command("get")
@output_options(columns=["enabled"])
@click.pass_obj
def get_tamper_protection(cli: CliContext, output: OutputOptions) -> None:
    """Show whether tamper protection is on for the tenant.

    \b
    Examples:
      pysophos endpoint settings tamper-protection get
      pysophos --tenant "Acme Corp" endpoint settings tamper-protection get -o json
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
