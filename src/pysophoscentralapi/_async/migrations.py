"""Endpoint migrations between two tenants of one partner: ``central.migrations``::

receiving = partner.for_tenant(receiving_id)
sending = partner.for_tenant(sending_id)
job = await receiving.migrations.receive(from_tenant=sending_id, endpoint_ids=ids)
await sending.migrations.send(job.id, token=job.token, endpoint_ids=ids)
async for endpoint in receiving.migrations.endpoints(job.id):
    print(endpoint.id, endpoint.status)
"""

from __future__ import annotations

from collections.abc import Sequence

from pysophoscentralapi._async._collection import Gets, Lists
from pysophoscentralapi._async._pagination import AsyncPaginator
from pysophoscentralapi._families.migrations import (
    MAX_MIGRATION_PAGE_SIZE,
    MIGRATIONS,
    MIGRATIONS_PATH,
    migration_endpoint_ids,
)
from pysophoscentralapi._validation import check_text, check_uuid
from pysophoscentralapi.models.migrations import MigrationEndpoint, MigrationJob

__all__ = ["AsyncMigrations"]


class AsyncMigrations(Lists[MigrationJob], Gets[MigrationJob]):
    """Migration jobs of this tenant (``list(mode=...)``, ``get``), and their two steps."""

    collection = MIGRATIONS

    async def receive(self, *, from_tenant: str, endpoint_ids: Sequence[str]) -> MigrationJob:
        """Start a job in the receiving tenant (this client's): the endpoints of
        ``from_tenant`` to move here. The job's ``token`` goes to the sending side.

        Example::

            job = await receiving.migrations.receive(from_tenant=sending_id, endpoint_ids=ids)
        """
        body = {
            "fromTenant": check_uuid(from_tenant, "from_tenant", noun="a tenant id"),
            "endpoints": migration_endpoint_ids(endpoint_ids),
        }
        return self._result(MigrationJob, await self._request("POST", MIGRATIONS_PATH, json=body))

    async def send(self, job_id: str, *, token: str, endpoint_ids: Sequence[str]) -> MigrationJob:
        """Accept a job in the sending tenant (this client's) with its token.

        Example::

            await sending.migrations.send(job.id, token=job.token, endpoint_ids=ids)
        """
        path = f"{MIGRATIONS_PATH}/{check_uuid(job_id, 'job_id', noun='a job id')}"
        body = {
            "token": check_text(token, "token"),
            "endpoints": migration_endpoint_ids(endpoint_ids),
        }
        return self._result(MigrationJob, await self._request("PUT", path, json=body))

    def endpoints(
        self, job_id: str, *, page_size: int = MAX_MIGRATION_PAGE_SIZE
    ) -> AsyncPaginator[MigrationEndpoint]:
        """The endpoints of a job and their status, page by page.

        Example::

            done = [e.id async for e in central.migrations.endpoints(job.id) if e.status == "succeeded"]
        """
        path = f"{MIGRATIONS_PATH}/{check_uuid(job_id, 'job_id', noun='a job id')}/endpoints"
        return self._numbered_pages(path, MigrationEndpoint, page_size, MAX_MIGRATION_PAGE_SIZE)
