"""What one bulk isolation request did (shared by the async and sync faces)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class IsolationBatch:
    """The outcome of one batch of ``POST /endpoints/isolation``.

    ``items`` are the endpoints the API changed (``EndpointIsolation`` models), ``not_found`` the
    ids it does not know; when ``error`` is set, the request for the remaining ids of ``ids``
    failed with it (they may or may not have been applied: see the error's type).

    Example::

        for batch in central.endpoints.isolation_batches(ids, enabled=True):
            print(len(batch.items), "isolated,", len(batch.not_found), "not found")
    """

    ids: list[str]
    items: list[Any] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)
    error: Exception | None = None

    @property
    def failed_ids(self) -> list[str]:
        """The ids neither applied nor reported unknown: those ``error`` is about."""
        if self.error is None:
            return []
        settled = {item.id for item in self.items} | set(self.not_found)
        return [i for i in self.ids if i not in settled]
