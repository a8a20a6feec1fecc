"""``pysophos tenants``: the tenants of partner or organization credentials."""

from __future__ import annotations

import click

from pysophoscentralapi._errors import ConfigError
from pysophoscentralapi.cli._context import CliContext
from pysophoscentralapi.cli._output import OutputOptions, output_options, record_options
from pysophoscentralapi.cli._params import usage_errors
from pysophoscentralapi.cli._safety import Change, one_change

__all__ = ["tenants"]

#: ``dataGeography`` values a tenant can be created in (as the library checks them).
DATA_GEOGRAPHIES = ("US", "IE", "DE", "CA", "AU", "JP", "IN", "BR")

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
      pysophos tenants create --name Contoso --geography DE --first-name Ada --last-name Lee \\
          --email ada@contoso.example --phone "+49 30 1234" --address "1 Main St" \\
          --city Berlin --country DE --postal-code 10115 --yes
    """


@tenants.command("list")
@output_options(columns=LIST_COLUMNS, model="pysophoscentralapi.models.tenants:Tenant")
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
@record_options(model="pysophoscentralapi.models.tenants:Tenant")
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


@tenants.command("create")
@click.option("--name", required=True, help="The tenant's (customer's) name.")
@click.option("--show-as", help="The name shown in Sophos Central, if not --name.")
@click.option(
    "--geography",
    "geography",
    required=True,
    type=click.Choice(DATA_GEOGRAPHIES),
    help="Where the tenant's data lives (its data region follows).",
)
@click.option("--first-name", required=True, help="Contact's first name.")
@click.option("--last-name", required=True, help="Contact's last name.")
@click.option("--email", required=True, help="Contact's email.")
@click.option("--phone", required=True, help="Contact's phone number.")
@click.option("--mobile", help="Contact's mobile number.")
@click.option("--address", "address1", required=True, help="Street address (first line).")
@click.option("--city", required=True, help="City.")
@click.option("--state", help="State or region.")
@click.option("--country", "country_code", required=True, help="Country code, e.g. DE, US.")
@click.option("--postal-code", required=True, help="Postal code.")
@one_change(model="pysophoscentralapi.models.tenants:Tenant")
def create_tenant(
    change: Change,
    *,
    name: str,
    show_as: str | None,
    geography: str,
    first_name: str,
    last_name: str,
    email: str,
    phone: str,
    mobile: str | None,
    address1: str,
    city: str,
    state: str | None,
    country_code: str,
    postal_code: str,
) -> None:
    """Create a (trial) tenant for a customer (partner credentials).

    The new tenant is active at once: its apiHost is in the answer, and it can be used right
    away with --tenant ID.

    \b
    Examples:
      pysophos tenants create --name Contoso --geography DE --first-name Ada --last-name Lee \\
          --email ada@contoso.example --phone "+49 30 1234" --address "1 Main St" \\
          --city Berlin --country DE --postal-code 10115 --yes
    """
    _no_all_tenants(change.cli)
    contact = {
        "firstName": first_name,
        "lastName": last_name,
        "email": email,
        "phone": phone,
        "mobile": mobile,
        "address": {
            "address1": address1,
            "city": city,
            "state": state,
            "countryCode": country_code,
            "postalCode": postal_code,
        },
    }
    central = change.cli.base_client(dry_run=change.dry_run)
    change.confirm(f"create tenant {name!r} in {geography}")
    with usage_errors():
        created = central.tenants.create(
            name=name, show_as=show_as, data_geography=geography, contact=contact
        )
    change.show(created, title="Tenant created")
