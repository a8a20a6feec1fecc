"""``pysophos endpoint settings tls-excluded-websites add|remove`` (beside the declared
collection's list)."""

from __future__ import annotations

import click

from pysophoscentralapi.cli._collection import help_text
from pysophoscentralapi.cli._output import output_options
from pysophoscentralapi.cli._params import value_errors_as_usage
from pysophoscentralapi.cli._results import many_targets
from pysophoscentralapi.cli._safety import Change, ids_summary, pass_change
from pysophoscentralapi.cli.commands.endpoint_settings_commands import SETTINGS_CLI

__all__ = ["add_websites", "remove_websites"]


def _website_entries(values: tuple[str, ...], comment: str | None) -> list[str | tuple[str, str]]:
    return [value if comment is None else (value, comment) for value in values]


@click.command(
    "add",
    help=help_text(
        "Exclude websites from TLS decryption.",
        [f"{SETTINGS_CLI} tls-excluded-websites add bank.example --comment Banking --yes"],
    ),
)
@click.option("--comment", metavar="TEXT", help="Why.")
@many_targets("websites", "WEBSITE...", columns=["value", "comment"])
def add_websites(
    change: Change,
    websites: tuple[str, ...],
    comment: str | None,
) -> None:
    from pysophoscentralapi._families.endpoint_settings import excluded_websites_body

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
            f"{SETTINGS_CLI} tls-excluded-websites remove bank.example --yes",
            f"{SETTINGS_CLI} tls-excluded-websites remove --all --yes",
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
    from pysophoscentralapi._families.endpoint_settings import excluded_websites_body

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
