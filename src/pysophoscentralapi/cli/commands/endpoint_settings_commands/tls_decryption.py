"""``pysophos endpoint settings tls-decryption``: web-control TLS decryption per web category."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from pysophoscentralapi.cli._collection import help_text
from pysophoscentralapi.cli._output import OutputOptions, output_options
from pysophoscentralapi.cli._params import value_errors_as_usage
from pysophoscentralapi.cli._safety import Change, pass_change
from pysophoscentralapi.cli.commands.endpoint_settings_commands import SETTINGS_CLI

if TYPE_CHECKING:
    from pysophoscentralapi.cli._context import CliContext

__all__ = ["tls_decryption"]

#: a web category's decryption, shown by get and update
_COLUMNS = ["id", "decryptionEnabled"]


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
        [f"{SETTINGS_CLI} tls-decryption get", f"{SETTINGS_CLI} tls-decryption get -o json"],
    ),
)
@output_options(columns=_COLUMNS)
@click.pass_obj
def get_tls(cli: CliContext, output: OutputOptions) -> None:
    current = cli.client().settings.web_control.tls_decryption.get()
    cli.write_rows(output, [c.to_api() for c in current.categories], title="TLS decryption")


@tls_decryption.command(
    "update",
    help=help_text(
        "Turn TLS decryption on (--enable) or off (--disable) for web category ids.",
        [f"{SETTINGS_CLI} tls-decryption update --enable 10 --disable 14 --yes"],
    ),
)
@click.option("--enable", multiple=True, type=click.IntRange(min=1), metavar="ID", help="Decrypt.")
@click.option("--disable", multiple=True, type=click.IntRange(min=1), metavar="ID", help="Don't.")
@output_options(columns=_COLUMNS)
@pass_change
def update_tls(
    change: Change,
    enable: tuple[int, ...],
    disable: tuple[int, ...],
) -> None:
    from pysophoscentralapi._families.endpoint_settings import tls_categories_body

    if set(enable) & set(disable):
        raise click.UsageError("a category cannot be both --enable and --disable")
    categories = {**dict.fromkeys(enable, True), **dict.fromkeys(disable, False)}
    with value_errors_as_usage():
        tls_categories_body(categories)
    change.confirm(f"change TLS decryption of {len(categories)} web categories")
    result = change.client().settings.web_control.tls_decryption.update(categories)
    if not change.dry_run:
        change.cli.write_rows(change.output, [c.to_api() for c in result.categories])
