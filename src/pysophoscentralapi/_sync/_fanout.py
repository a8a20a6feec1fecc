"""Run one function for many tenants at once: bounded concurrency, errors kept per tenant.

Hand-written in both faces (threads here, asyncio tasks in ``_async/_fanout.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from typing import TYPE_CHECKING, Any, TypeVar

from pysophoscentralapi._fanout_result import DEFAULT_CONCURRENCY, TenantResult, check_concurrency

if TYPE_CHECKING:
    from pysophoscentralapi._sync._client import SophosCentral

T = TypeVar("T")


def each_tenant(
    central: SophosCentral,
    fn: Callable[[SophosCentral, Any], T],
    *,
    tenants: Iterable[Any] | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
) -> Iterator[TenantResult[T]]:
    """Call ``fn(tenant_client, tenant)`` for every tenant in a thread pool; yield results as they finish.

    ``tenants`` defaults to every tenant of the partner/organization credential. A tenant that
    fails (403, no apiHost, errors after retries) yields a result with ``error`` set; the others
    go on. Every tenant client shares the token, connection pool and rate limiter.
    """
    check_concurrency(concurrency)
    if tenants is None:
        tenants = list(central.tenants.list())

    def run(tenant: Any) -> TenantResult[T]:
        try:
            api_host = getattr(tenant, "api_host", None)
            central._transport.remember_tenant_host(str(tenant.id), api_host)
            return TenantResult(tenant, result=fn(central.for_tenant(str(tenant.id)), tenant))
        except Exception as error:  # kept per tenant: one tenant must not stop the others
            return TenantResult(tenant, error=error)

    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="pysophos-tenant") as pool:
        futures: list[Future[TenantResult[T]]] = [pool.submit(run, tenant) for tenant in tenants]
        try:
            for future in as_completed(futures):
                yield future.result()
        finally:
            for future in futures:
                future.cancel()
