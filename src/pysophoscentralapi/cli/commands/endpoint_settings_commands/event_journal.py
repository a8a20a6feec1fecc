"""``pysophos endpoint settings event-journal``: the event journal's disk limits."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from pysophoscentralapi._enums.endpoint_settings import EVENT_JOURNAL_ENDPOINT_TYPES
from pysophoscentralapi.cli._collection import help_text
from pysophoscentralapi.cli._output import OutputOptions, output_options
from pysophoscentralapi.cli._params import require_a_change
from pysophoscentralapi.cli._safety import Change, pass_change
from pysophoscentralapi.cli.commands.endpoint_settings_commands import SETTINGS_CLI

if TYPE_CHECKING:
    from pysophoscentralapi.cli._context import CliContext

__all__ = ["event_journal"]


@click.group("event-journal")
def event_journal() -> None:
    """How much disk the event journal of computers or servers may use.

    \b
    Examples:
      pysophos endpoint settings event-journal get computer
      pysophos endpoint settings event-journal update server --disk-mb 15000 --yes
    """


_ENDPOINT_TYPE = click.argument("endpoint_type", type=click.Choice(EVENT_JOURNAL_ENDPOINT_TYPES))
#: the limits shown by get and update
_COLUMNS = ["useRecommended", "diskSpaceLimitInMB.value", "diskSpaceLimitAsPercentage.value"]


@event_journal.command(
    "get",
    help=help_text(
        "Show the event journal's disk limits of computers or servers.",
        [
            f"{SETTINGS_CLI} event-journal get computer",
            f"{SETTINGS_CLI} event-journal get server -o json",
        ],
    ),
)
@_ENDPOINT_TYPE
@output_options(columns=_COLUMNS)
@click.pass_obj
def get_journal(cli: CliContext, output: OutputOptions, endpoint_type: str) -> None:
    journal = cli.client().settings.event_journal.get(endpoint_type)
    cli.write_object(output, journal.to_api(), title="Event journal")


@event_journal.command(
    "update",
    help=help_text(
        "Change the event journal's disk limits (or go back to the recommended ones).",
        [
            f"{SETTINGS_CLI} event-journal update server --disk-mb 15000 --disk-percent 20 --yes",
            f"{SETTINGS_CLI} event-journal update computer --recommended --yes",
        ],
    ),
)
@_ENDPOINT_TYPE
@click.option("--recommended/--custom", default=None, help="Use the recommended limits.")
@click.option("--disk-mb", type=click.IntRange(min=0), metavar="MB", help="Disk limit in MB.")
@click.option("--disk-percent", type=click.IntRange(0, 100), metavar="N", help="Disk limit in %.")
@output_options(columns=_COLUMNS)
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
