"""``pysophos endpoint settings tamper-protection``: the tenant-wide tamper protection switch."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from pysophoscentralapi.cli._output import OutputOptions, output_options
from pysophoscentralapi.cli._safety import Safety, state_changing

if TYPE_CHECKING:
    from pysophoscentralapi.cli._context import CliContext

__all__ = ["tamper_protection"]


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
