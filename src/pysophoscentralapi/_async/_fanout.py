"""Run one function for many tenants at once: bounded concurrency, errors kept per tenant.

Hand-written in both faces (asyncio tasks here, threads in ``_sync/_fanout.py``).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from pysophoscentralapi._fanout_result import DEFAULT_CONCURRENCY, TenantResult, check_concurrency

if TYPE_CHECKING:
    from pysophoscentralapi._async._client import AsyncSophosCentral

T = TypeVar("T")


async def each_tenant(
    central: AsyncSophosCentral,
    fn: Callable[[AsyncSophosCentral, Any], Awaitable[T]],
    *,
    tenants: Iterable[Any] | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
) -> AsyncIterator[TenantResult[T]]:
    """Call ``await fn(tenant_client, tenant)`` for every tenant; yield results as they finish.

    ``tenants`` defaults to every tenant of the partner/organization credential. A tenant that
    fails (403, no apiHost, errors after retries) yields a result with ``error`` set; the others
    go on. Every tenant client shares the token, connection pool and rate limiter.
    """
    check_concurrency(concurrency)
    if tenants is None:
        tenants = [tenant async for tenant in central.tenants.list()]
    semaphore = asyncio.Semaphore(concurrency)

    async def run(tenant: Any) -> TenantResult[T]:
        async with semaphore:
            try:
                api_host = getattr(tenant, "api_host", None)
                central._transport.remember_tenant_host(str(tenant.id), api_host)
                return TenantResult(
                    tenant, result=await fn(central.for_tenant(str(tenant.id)), tenant)
                )
            except Exception as error:  # kept per tenant: one tenant must not stop the others
                return TenantResult(tenant, error=error)

    tasks = [asyncio.ensure_future(run(tenant)) for tenant in tenants]
    try:
        for next_done in asyncio.as_completed(tasks):
            yield await next_done
    finally:
        for task in tasks:
            task.cancel()
