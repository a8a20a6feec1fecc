"""Concurrency primitives of the async face (the sync face has its own ``_backend.py``)."""

from __future__ import annotations

import asyncio

Lock = asyncio.Lock
Semaphore = asyncio.Semaphore
sleep = asyncio.sleep
