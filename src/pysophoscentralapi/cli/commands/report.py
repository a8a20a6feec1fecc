"""``pysophos report``: reports to hand to people, starting with the account health report."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from pysophoscentralapi.cli._context import CliContext
from pysophoscentralapi.cli._params import as_path

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["report"]


@click.group("report")
def report() -> None:
    """Reports people would rather look at than read.

    \b
    Examples:
      pysophos report health --all-tenants --output-file report.html
      pysophos --tenant "Acme Corp" report health --output-file acme.html
    """


@report.command("health")
@click.option(
    "--output-file",
    required=True,
    type=click.Path(dir_okay=False, writable=True),
    callback=as_path,
    help="Where to write the HTML file (replaced atomically).",
)
@click.option(
    "--all-tenants", "all_tenants", is_flag=True, help="Every tenant (as the global flag)."
)
@click.option("--title", default="Account health report", show_default=True, help="The page title.")
@click.pass_obj
def health_report(cli: CliContext, output_file: Path, all_tenants: bool, title: str) -> None:
    """Write the account health report: one self-contained HTML file (opens offline).

    A fleet overview (score distribution, worst tenants, most common findings), then a section
    per tenant: scores, findings, endpoints by health and by last seen, open alerts by severity.
    Tenants that cannot be read are shown as such, named on stderr, and the run exits 6.
    Needs the report extra: pip install 'pysophoscentralapi[report]'.

    \b
    Examples:
      pysophos report health --all-tenants --output-file report.html
      pysophos --all-tenants --exclude-tenant "Stark Logistics" report health --output-file r.html
      pysophos report health --output-file my-tenant.html
    """
    from pysophoscentralapi.cli._atomic_file import atomic_text_file
    from pysophoscentralapi.cli._errors import output_file_error
    from pysophoscentralapi.cli._tenants import FanOutReport, selected_tenants
    from pysophoscentralapi.report._data import TenantHealth, fleet_health, tenant_health
    from pysophoscentralapi.report._html import render_health_report

    render_health_report([])  # fail early (exit 3, install hint) when Jinja2 is missing
    failures = FanOutReport(total=0)
    if all_tenants or cli.all_tenants:
        tenants = selected_tenants(cli)
        failures.total = len(tenants)
        results = list(fleet_health(cli.base_client(), tenants, details=True))
    else:
        client = cli.client()
        whoami = client.whoami()
        tenant_id = client.tenant_id or whoami.id
        results = [tenant_health(client, _Tenant(tenant_id), details=True)]
        failures.total = 1
        if results[0].check is not None and results[0].check.tenant is not None:
            results[0].name = results[0].check.tenant.name
    for result in results:
        failures.finished(result, result.error)
    page = render_health_report(results, title=title)
    try:
        with atomic_text_file(output_file) as handle:
            handle.write(page)
    except OSError as error:
        raise output_file_error(output_file, error) from error
    scored = [r for r in results if isinstance(r, TenantHealth) and r.check is not None]
    click.echo(
        f"wrote {output_file} ({len(page) // 1024} KiB): {len(scored)} of {len(results)} tenants",
        err=True,
    )
    failures.raise_if_failed()


class _Tenant:
    """The one tenant of a single-tenant report, as the fan-out names tenants."""

    def __init__(self, tenant_id: str) -> None:
        self.id = tenant_id
        self.name: str | None = None
