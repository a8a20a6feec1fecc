"""Endpoint migrations (``/endpoint/v1/migrations``), declared once (the job list); starting
and accepting a job and following its endpoints are the namespace's own methods."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from pysophoscentralapi._collection import Cli, Collection, Filter
from pysophoscentralapi._enums.endpoint_collections import MIGRATION_MODES
from pysophoscentralapi._validation import check_uuids

if TYPE_CHECKING:
    from pysophoscentralapi.models.migrations import MigrationJob

MIGRATIONS_PATH = "/endpoint/v1/migrations"
#: The largest page of jobs and of a job's endpoints (the collection's example asks for 500).
MAX_MIGRATION_PAGE_SIZE = 500
_CLI = "pysophos endpoint migrations"
_JOB = "c83bc7f6-7c93-4aa4-ac73-006bd5a5884a"


def migration_endpoint_ids(values: Sequence[str]) -> list[str]:
    """The endpoints of a migration: UUIDs, at least one."""
    return check_uuids(values, "endpoint_ids", noun="an endpoint id")


MIGRATIONS: Collection[MigrationJob] = Collection(
    path=MIGRATIONS_PATH,
    model="pysophoscentralapi.models.migrations:MigrationJob",
    attribute="migrations",
    deletable=False,
    max_page_size=MAX_MIGRATION_PAGE_SIZE,
    filters=(Filter("mode", "Only jobs of this side.", choices=MIGRATION_MODES),),
    cli=Cli(
        group="migrations",
        noun="migration job",
        columns=("id", "mode", "createdAt", "expiresAt"),
        # Only ``receive`` shows the token: it is what lets the sending tenant accept the job.
        hidden=("token",),
        parent="pysophos endpoint",
        help={
            "group": (
                "Move endpoints between two tenants of the same partner: the receiving tenant "
                "starts a job (receive), the sending tenant accepts it with the job's token "
                "(send), then status shows each endpoint's progress.",
                [
                    'pysophos --tenant "Acme Corp" endpoint migrations receive --from-tenant '
                    '"Globex Industries" 3f2c1d6e-8f7a-4b7e-9a55-1c2d3e4f5a6b --yes',
                    f'pysophos --tenant "Globex Industries" endpoint migrations send {_JOB} --token '
                    f"TOKEN 3f2c1d6e-8f7a-4b7e-9a55-1c2d3e4f5a6b --yes",
                    f"{_CLI} status {_JOB}",
                ],
            ),
            "list": [f"{_CLI} list", f"{_CLI} list --mode receiving"],
        },
    ),
)
