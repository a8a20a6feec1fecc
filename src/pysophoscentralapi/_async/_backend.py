"""Concurrency primitives of the async face (the sync face has its own ``_backend.py``)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

T = TypeVar("T")

Lock = asyncio.Lock
Semaphore = asyncio.Semaphore
sleep = asyncio.sleep


#: Event-loop turns given to newly started work: enough for an HTTP request to be written to its
#: connection, so the server works on it while the caller keeps the loop busy (e.g. validating).
START_TURNS = 8


async def start(fn: Callable[..., Awaitable[T]], *args: Any) -> asyncio.Task[T]:
    """Start ``fn(*args)`` in the background; collect it with :func:`result`."""
    task = asyncio.ensure_future(fn(*args))
    for _ in range(START_TURNS):
        if task.done():
            break
        await asyncio.sleep(0)
    return task


async def result(pending: asyncio.Task[T]) -> T:
    """Wait for background work and return its result (or raise its error)."""
    return await pending


def cancel(pending: asyncio.Task[Any]) -> None:
    """Abandon background work that is no longer wanted."""
    if pending.done():
        if not pending.cancelled():
            pending.exception()  # mark any error as seen: it is deliberately dropped
    else:
        pending.cancel()
