"""Endpoint migrations (``/endpoint/v1/migrations``): moving endpoints between two tenants.

The receiving tenant starts a job (``mode`` ``receiving``) naming the sending tenant and the
endpoints; the sending tenant accepts it with the job's ``token`` (``mode`` ``sending``); each
endpoint then goes ``pending`` -> ``inProgress`` -> ``succeeded`` (or ``failed``).

    >>> MigrationJob.model_validate({"id": "j1", "mode": "receiving", "token": "t"}).mode
    'receiving'
"""

from __future__ import annotations

from pysophoscentralapi._enums.endpoint_collections import MIGRATION_MODES
from pysophoscentralapi.models._base import SophosModel, Timestamp

#: An endpoint's state in a migration (INFERRED beyond ``pending``, the collection's example).
MIGRATION_STATUSES: tuple[str, ...] = ("pending", "inProgress", "succeeded", "failed")


class MigrationJob(SophosModel):
    """A migration job, as one of its two tenants sees it.

    ``token`` is what the sending tenant needs to accept the job: treat it as a secret.
    """

    id: str
    token: str | None = None
    mode: str | None = None
    created_at: Timestamp | None = None
    expires_at: Timestamp | None = None

    def __repr__(self) -> str:
        return f"MigrationJob(id={self.id!r}, mode={self.mode!r}, token=<hidden>)"


class MigrationEndpoint(SophosModel):
    """One endpoint of a migration and where it is."""

    id: str
    status: str | None = None


__all__ = ["MIGRATION_MODES", "MIGRATION_STATUSES", "MigrationEndpoint", "MigrationJob"]
