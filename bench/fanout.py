"""Fan-out: every tenant's endpoints through ``each_tenant`` vs a sequential loop, with latency."""

from __future__ import annotations

import asyncio
import math
import time

from bench._harness import Emulator, Figure, emulator_process
from pysophoscentralapi import AsyncSophosCentral

CONCURRENCY = 16
PAGE_SIZE = 10
SPEEDUP_TARGET = 8.0
BOUND_TARGET = 1.5


def _central(emu: Emulator) -> AsyncSophosCentral:
    env = emu.env("partner")
    return AsyncSophosCentral(
        env["SOPHOS_CLIENT_ID"],
        env["SOPHOS_CLIENT_SECRET"],
        auth_url=env["SOPHOS_AUTH_URL"],
        api_url=env["SOPHOS_API_URL"],
    )


async def _count(client: AsyncSophosCentral, tenant: object) -> int:
    return len([e async for e in client.endpoints.list(page_size=PAGE_SIZE)])


async def sequential(emu: Emulator) -> tuple[float, int]:
    async with _central(emu) as central:
        tenants = [t async for t in central.tenants.list()]
        start = time.perf_counter()
        rows = 0
        for tenant in tenants:
            try:
                rows += await _count(central.for_tenant(tenant.id), tenant)
            except Exception:
                continue
        return time.perf_counter() - start, rows


async def fanned_out(emu: Emulator) -> tuple[float, int, int, int]:
    """Seconds, rows, tenants listed, and tenants whose data was reached."""
    async with _central(emu) as central:
        tenants = [t async for t in central.tenants.list()]
        start = time.perf_counter()
        rows = reached = 0
        async for outcome in central.each_tenant(_count, tenants=tenants, concurrency=CONCURRENCY):
            rows += outcome.result or 0
            reached += outcome.ok
        return time.perf_counter() - start, rows, len(tenants), reached


def run(quick: bool) -> list[Figure]:
    tenants, latency = (6, 0.01) if quick else (50, 0.1)
    pages_per_tenant = 2
    with emulator_process(
        tenants=tenants,
        endpoints=PAGE_SIZE * pages_per_tenant - 1,  # the first tenant too: every tenant alike
        endpoints_per_tenant=PAGE_SIZE * pages_per_tenant - 1,
        latency_ms=latency * 1000,
    ) as emu:
        sequential_time, sequential_rows = asyncio.run(sequential(emu))
        fanout_time, fanout_rows, listed, reached = asyncio.run(fanned_out(emu))
    assert sequential_rows == fanout_rows, (sequential_rows, fanout_rows)
    # Each reachable tenant needs pages_per_tenant requests in a row (the emulator's 403 and
    # no-apiHost tenants need one or none); with CONCURRENCY at once, the best possible time:
    bound = math.ceil(reached / CONCURRENCY) * pages_per_tenant * latency
    speedup = sequential_time / fanout_time
    return [
        Figure(
            f"fan-out: {listed} tenants x {pages_per_tenant} pages at {latency * 1000:.0f} ms, sequential vs each_tenant",
            f"{sequential_time:.2f} s vs {fanout_time:.2f} s",
            speedup,
            f">= {SPEEDUP_TARGET:g}x faster",
            speedup >= SPEEDUP_TARGET,
        ),
        Figure(
            f"fan-out: each_tenant vs the bound of concurrency {CONCURRENCY} ({bound:.2f} s)",
            f"{fanout_time:.2f} s vs {bound:.2f} s",
            fanout_time / bound,
            f"<= {BOUND_TARGET:g}x",
            fanout_time / bound <= BOUND_TARGET,
        ),
    ]
