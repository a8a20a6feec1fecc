"""``pysophos licenses``: what a tenant is licensed for, and the licenses of firewalls."""

from __future__ import annotations

import click

from pysophoscentralapi.cli._context import CliContext
from pysophoscentralapi.cli._output import Column, OutputOptions, output_options

__all__ = ["licenses"]

LICENSE_COLUMNS = [
    Column("product.name", key=True),
    Column("product.code", priority=6),
    Column("type", priority=5),
    Column("quantity", priority=8),
    Column("usage.current.count", priority=7),
    Column("startDate", priority=2),
    Column("endDate", priority=9),
    Column("licenseIdentifier", priority=1),
]
FIREWALL_COLUMNS = [
    Column("serialNumber", key=True),
    Column("model", priority=9),
    Column("modelType", priority=5),
    Column("owner.type", priority=3),
    Column("tenant.id", priority=7),
    Column("licenses", priority=1),
]


@click.group(invoke_without_command=True)
@output_options(columns=LICENSE_COLUMNS)
@click.pass_context
def licenses(ctx: click.Context, output: OutputOptions) -> None:
    """The tenant's licenses: product, quantity and how many are in use.

    \b
    Examples:
      pysophos licenses
      pysophos --tenant "Acme Corp" licenses -o json
      pysophos --all-tenants licenses --fields tenant_name,product.name,quantity,usage.current.count
      pysophos licenses firewalls
    """
    if ctx.invoked_subcommand is not None:
        return
    cli: CliContext = ctx.obj
    if cli.all_tenants:
        from pysophoscentralapi._sync._fanout import each_tenant
        from pysophoscentralapi.cli._tenants import FanOutReport, selected_tenants

        tenants = selected_tenants(cli)
        report = FanOutReport(total=len(tenants))
        rows = []
        for outcome in each_tenant(
            cli.base_client(), lambda c, t: c.licenses.get(), tenants=tenants
        ):
            report.finished(outcome.tenant, outcome.error)
            if outcome.result is None:
                continue
            for lic in outcome.result.licenses:
                tagged = {"tenant_id": outcome.tenant_id, "tenant_name": outcome.tenant_name}
                rows.append({**tagged, **lic.to_api()})
        cli.write_rows(output, rows, title="Licenses of every tenant")
        report.raise_if_failed()
        return
    found = cli.client().licenses.get()
    cli.write_rows(output, [lic.to_api() for lic in found.licenses], title="Licenses")


@licenses.command("firewalls")
@output_options(columns=FIREWALL_COLUMNS)
@click.pass_obj
def firewalls(cli: CliContext, output: OutputOptions) -> None:
    """Firewalls and their licenses: the tenant's, or (partner credentials without --tenant)
    every firewall the partner manages.

    \b
    Examples:
      pysophos licenses firewalls
      pysophos --tenant "Acme Corp" licenses firewalls -o json
    """
    cli.write_listing(output, lambda central: central.licenses.firewalls(), title="Firewalls")
