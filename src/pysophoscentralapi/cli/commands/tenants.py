"""``pysophos tenants``: the tenants of partner or organization credentials."""

from __future__ import annotations

import click

from pysophoscentralapi._errors import ConfigError
from pysophoscentralapi.cli._context import CliContext
from pysophoscentralapi.cli._output import OutputOptions, output_options, record_options
from pysophoscentralapi.models.tenants import Tenant

__all__ = ["tenants"]

LIST_COLUMNS = ["name", "id", "dataRegion", "apiHost", "status", "billingType"]
MAX_PAGE_SIZE = 100


def _no_all_tenants(cli: CliContext) -> None:
    if cli.all_tenants:
        raise click.UsageError("tenants commands already cover every tenant: drop --all-tenants")


@click.group("tenants")
def tenants() -> None:
    """Tenants of partner or organization credentials (tenant credentials have none).

    \b
    Examples:
      pysophos tenants list
      pysophos tenants list --fields name,id -o csv --output-file tenants.csv
      pysophos tenants get "Acme Corp"
      pysophos --tenant "Acme Corp" endpoint list
    """


@tenants.command("list")
@output_options(columns=LIST_COLUMNS, model=Tenant)
@click.pass_obj
def list_tenants(cli: CliContext, output: OutputOptions) -> None:
    """List every tenant the credential can see.

    A tenant without apiHost is inactive or still being provisioned: its data cannot be reached.

    \b
    Examples:
      pysophos tenants list
      pysophos tenants list --sort name --fields name,id,dataRegion
      pysophos tenants list --count-by dataRegion
      pysophos tenants list -o json | jq -r '.[] | select(.status == "active") | .id'
    """
    _no_all_tenants(cli)
    limit = output.fetch_limit()
    page_size = min(MAX_PAGE_SIZE, limit) if limit else MAX_PAGE_SIZE
    central = cli.base_client()
    # Fail before the output starts (a JSON listing would otherwise print its opening bracket).
    if central.whoami().id_type == "tenant":
        raise ConfigError(
            "tenants list needs partner or organization credentials: this is a tenant "
            "credential, which has no tenant list",
            hint="use a partner or organization API credential; tenant credentials work with "
            "tenant commands such as: pysophos alerts list",
        )
    listing = central.tenants.list(page_size=page_size)
    cli.write_rows(output, listing.raw_items(), title="Tenants")


@tenants.command("get")
@click.argument("tenant", metavar="ID|NAME")
@record_options(model=Tenant)
@click.pass_obj
def get_tenant(cli: CliContext, output: OutputOptions, tenant: str) -> None:
    """Show one tenant, by id or by its exact name.

    \b
    Examples:
      pysophos tenants get 79067fa3-e4d0-4769-a5f7-8d6550b3b68b
      pysophos tenants get "Acme Corp" -o json
    """
    _no_all_tenants(cli)
    if not tenant.strip():
        raise click.BadParameter("give a tenant id or name.", param_hint="ID|NAME")
    tenant_id, _ = cli.resolve_tenant(tenant)
    found = cli.base_client().tenants.get(tenant_id)
    cli.write_object(output, found.to_api(), title="Tenant")
