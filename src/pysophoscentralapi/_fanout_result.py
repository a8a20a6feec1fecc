"""What a many-tenants run yields per tenant (shared by the async and sync fan-outs)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")

#: Tenants worked on at once unless told otherwise: enough to hide latency, gentle on the API.
DEFAULT_CONCURRENCY = 8


@dataclass(frozen=True)
class TenantResult(Generic[T]):
    """The outcome for one tenant: ``result`` when it worked, ``error`` when it did not.

    ``tenant`` is the tenant as listed (a :class:`~pysophoscentralapi.models.Tenant`).
    """

    tenant: Any
    result: T | None = None
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def tenant_id(self) -> str:
        return str(self.tenant.id)

    @property
    def tenant_name(self) -> str | None:
        name = getattr(self.tenant, "name", None)
        return str(name) if name is not None else None


def check_concurrency(concurrency: int) -> int:
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    return concurrency
