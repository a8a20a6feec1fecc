"""What differs between the two faces: concurrency, and the sync client inside a running loop."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from pysophoscentralapi import AsyncSophosCentral, SophosCentral
from pysophoscentralapi._routing import Scope
from tests.fake_api import AUTH_URL, FakeSophos


async def test_async_cold_client_makes_one_token_request_for_100_concurrent_calls() -> None:
    fake = FakeSophos()
    async with AsyncSophosCentral(
        "client-id", "s3cret", auth_url=AUTH_URL, api_url=fake.api_url, transport=fake.transport()
    ) as central:
        await asyncio.gather(
            *(central._transport.request("GET", "/x", scope=Scope.GLOBAL) for _ in range(100))
        )
    assert len(fake.token_requests()) == 1
    assert len(fake.api_requests()) == 100


def test_sync_cold_client_makes_one_token_request_for_100_concurrent_threads() -> None:
    fake = FakeSophos()
    with (
        SophosCentral(
            "client-id",
            "s3cret",
            auth_url=AUTH_URL,
            api_url=fake.api_url,
            transport=fake.transport(),
        ) as central,
        ThreadPoolExecutor(max_workers=16) as pool,
    ):
        list(
            pool.map(
                lambda _: central._transport.request("GET", "/x", scope=Scope.GLOBAL), range(100)
            )
        )
    assert len(fake.token_requests()) == 1


async def test_sync_client_works_inside_a_running_event_loop() -> None:
    # e.g. a Jupyter cell: a loop is running, and the sync client must not try to run one.
    assert asyncio.get_running_loop() is not None
    fake = FakeSophos()
    with SophosCentral(
        "client-id", "s3cret", auth_url=AUTH_URL, api_url=fake.api_url, transport=fake.transport()
    ) as central:
        first = central.whoami()
        second = central.whoami()
    assert first.id == second.id
    assert len(fake.token_requests()) == 1


def test_sync_client_reuses_one_connection_pool() -> None:
    fake = FakeSophos()
    with SophosCentral(
        "client-id", "s3cret", auth_url=AUTH_URL, api_url=fake.api_url, transport=fake.transport()
    ) as central:
        pool = central._transport._http
        central.whoami()
        child = central.for_tenant("22222222-2222-4222-8222-222222222222")
        assert child._transport._http is pool
        child.close()  # a child never closes the shared pool
        assert not pool.is_closed
    assert pool.is_closed
