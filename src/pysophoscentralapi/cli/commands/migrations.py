"""``pysophos endpoint migrations``: move endpoints between two tenants of one partner.

``list`` and ``get`` come from the declaration (:data:`~pysophoscentralapi._families.migrations.
MIGRATIONS`); ``receive`` (run as the receiving tenant), ``send`` (as the sending tenant, with
the job's token) and ``status`` are here. The token is printed by ``receive`` only: it is what
lets the sending tenant accept the job.
"""

from __future__ import annotations

import click

from pysophoscentralapi._families.migrations import MIGRATIONS
from pysophoscentralapi.cli._collection import collection_group, help_text, shown_fields
from pysophoscentralapi.cli._context import CliContext
from pysophoscentralapi.cli._output import OutputOptions, output_options
from pysophoscentralapi.cli._params import ENDPOINT_IDS, one_id
from pysophoscentralapi.cli._safety import Change, ids_summary, one_change

__all__ = ["migrations"]

_CLI = "pysophos endpoint migrations"
_JOB = "c83bc7f6-7c93-4aa4-ac73-006bd5a5884a"
_job_argument = click.argument("job_id", metavar="JOB_ID", callback=one_id("a job id"))
_endpoints_argument = click.argument(
    "endpoint_ids", metavar="ENDPOINT_ID...", nargs=-1, required=True, callback=ENDPOINT_IDS
)

migrations = collection_group(MIGRATIONS)


@migrations.command(
    "receive",
    help=help_text(
        "Start a migration in the receiving tenant (--tenant): the endpoints of --from-tenant "
        "to move here. Prints the job and its token for the sending side.",
        [
            'pysophos --tenant "Acme Corp" endpoint migrations receive --from-tenant '
            '"Globex Industries" 3f2c1d6e-8f7a-4b7e-9a55-1c2d3e4f5a6b --yes',
        ],
    ),
)
@click.option("--from-tenant", required=True, metavar="ID|NAME", help="The sending tenant.")
@_endpoints_argument
@one_change()
def receive(
    change: Change,
    from_tenant: str,
    endpoint_ids: list[str],
) -> None:
    sender_id, _ = change.cli.resolve_tenant(from_tenant)
    change.confirm(ids_summary(f"move from tenant {from_tenant}", "endpoint", endpoint_ids))
    job = change.client().migrations.receive(from_tenant=sender_id, endpoint_ids=endpoint_ids)
    change.show(job, title="Migration job")


@migrations.command(
    "send",
    help=help_text(
        "Accept a migration in the sending tenant (--tenant) with the job's token.",
        [
            f'pysophos --tenant "Globex Industries" endpoint migrations send {_JOB} --token TOKEN '
            "3f2c1d6e-8f7a-4b7e-9a55-1c2d3e4f5a6b --yes",
        ],
    ),
)
@_job_argument
@click.option("--token", required=True, metavar="TOKEN", help="The job's token (from receive).")
@_endpoints_argument
@one_change()
def send(
    change: Change,
    *,
    job_id: str,
    token: str,
    endpoint_ids: list[str],
) -> None:
    if not token.strip():
        raise click.BadParameter("must not be empty.", param_hint="--token")
    change.confirm(ids_summary(f"send in migration {job_id}", "endpoint", endpoint_ids))
    job = change.client().migrations.send(job_id, token=token, endpoint_ids=endpoint_ids)
    change.show(job, title="Migration job", shown=shown_fields(MIGRATIONS))  # the token left out


@migrations.command(
    "status",
    help=help_text(
        "Show where each endpoint of a migration is (pending, inProgress, succeeded, failed).",
        [f"{_CLI} status {_JOB}", f"{_CLI} status {_JOB} --count-by status"],
    ),
)
@_job_argument
@output_options(columns=["id", "status"])
@click.pass_obj
def status(cli: CliContext, output: OutputOptions, job_id: str) -> None:
    cli.write_listing(
        output, lambda central: central.migrations.endpoints(job_id), title="Migration endpoints"
    )
