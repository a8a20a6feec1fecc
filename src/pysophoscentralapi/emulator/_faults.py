"""Faults on demand: latency, random failures, rate limits, scheduled faults, dropped connections.

Everything is decided by :class:`FaultControls`, whose attributes tests may change at any time
(``emu.state.faults.fault_rate = 0.2``). Random choices come from ``random.Random(seed)``, so a run
with the same seed and the same request order fails the same requests.

Fault kinds: ``"429"`` (with ``Retry-After: 1``), ``"500"``, ``"502"``, ``"503"`` and ``"drop"``
(the connection is closed without any response; the client sees a transport error such as
``httpx.RemoteProtocolError: Server disconnected without sending a response``).

*After-apply* faults run the request first (its change is made) and then lose the answer: the
real-world case where a client must not blindly re-send an unsafe request.
"""

from __future__ import annotations

import asyncio
import math
import random
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field, fields
from typing import Any

from pysophoscentralapi.emulator._http import api_error

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

#: Kinds a random fault is drawn from.
FAULT_KINDS = ("429", "500", "502", "503", "drop")
#: Kinds usable after a request was applied (a 429 means "not done", so it is not among them).
AFTER_APPLY_KINDS = ("500", "502", "503", "drop")
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass
class ScheduledFault:
    """A fault for the next ``times`` requests matching ``method`` and ``path`` (substring)."""

    kind: str
    method: str | None = None
    path: str | None = None
    after_apply: bool = False
    times: int = 1
    #: matching requests let through before this fault hits ("fail the Nth" = ``skip=N-1``)
    skip: int = 0
    #: a substring of the query string (e.g. ``"pageFromKey"``: only pages after the first)
    query: str | None = None

    def matches(self, method: str, path: str, query: str = "") -> bool:
        return (
            (self.method is None or self.method == method)
            and (self.path is None or self.path in path)
            and (self.query is None or self.query in query)
        )


@dataclass(frozen=True)
class Fault:
    """The fault chosen for one request."""

    kind: str
    after_apply: bool


#: The run-time settings of :class:`FaultControls` (the emulator's config gives their start).
FAULT_SETTINGS = (
    "latency_ms",
    "fault_rate",
    "rate_limit",
    "fault_after_apply",
    "fault_token_requests",
)


@dataclass
class FaultControls:
    """Run-time fault settings (all attributes may be changed while the server runs).

    - ``latency_ms``: added to every request (token requests too).
    - ``fault_rate``: fraction of API requests answered with a random fault of :data:`FAULT_KINDS`.
    - ``rate_limit``: requests per second per credential (token bucket, burst = the rate); over it,
      429 with ``Retry-After``. ``None`` = unlimited. Token requests are not limited.
    - ``fault_after_apply``: random faults on POST/PUT/PATCH/DELETE hit *after* the change is made.
    - ``fault_token_requests``: let ``fault_rate`` hit the token endpoint too.

    Example::

        emu.state.faults.schedule("drop", method="POST", path="/isolation", after_apply=True)
    """

    seed: int = 0
    latency_ms: float = 0.0
    fault_rate: float = 0.0
    rate_limit: float | None = None
    fault_after_apply: bool = False
    fault_token_requests: bool = False
    scheduled: list[ScheduledFault] = field(default_factory=list)
    _rng: random.Random = field(init=False, repr=False)
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    def schedule(
        self,
        kind: str,
        *,
        method: str | None = None,
        path: str | None = None,
        after_apply: bool = False,
        times: int = 1,
        skip: int = 0,
        query: str | None = None,
    ) -> None:
        """Fail the next ``times`` requests matching ``method``/``path`` with ``kind``, after
        letting ``skip`` of them through (``skip=9``: the 10th matching request fails);
        ``query`` also requires a substring of the query string.

        Scheduled faults come before random ones and hit any request, the token endpoint included
        (match ``path`` to aim them). ``after_apply`` runs the request before failing it.
        """
        allowed = AFTER_APPLY_KINDS if after_apply else FAULT_KINDS
        if kind not in allowed:
            raise ValueError(f"kind must be one of {', '.join(allowed)}")
        with self._lock:
            self.scheduled.append(
                ScheduledFault(kind, method, path, after_apply, times, skip, query)
            )

    def clear(self, initial: object | None = None) -> None:
        """No faults, latency or rate limit (or those of ``initial``, an object with the
        attributes named in :data:`FAULT_SETTINGS` such as the emulator's config); forget
        scheduled faults and buckets; re-seed."""
        with self._lock:
            for setting in fields(self):
                if setting.name in FAULT_SETTINGS:
                    value = setting.default if initial is None else getattr(initial, setting.name)
                    setattr(self, setting.name, value)
            self.scheduled.clear()
            self._buckets.clear()
            self._rng = random.Random(self.seed)

    def pick(self, method: str, path: str, *, token_request: bool, query: str = "") -> Fault | None:
        """The fault for this request, if any: a scheduled one first, else a random one."""
        with self._lock:
            for scheduled in self.scheduled:
                if scheduled.matches(method, path, query):
                    if scheduled.skip > 0:
                        scheduled.skip -= 1
                        continue
                    scheduled.times -= 1
                    if scheduled.times <= 0:
                        self.scheduled.remove(scheduled)
                    return Fault(scheduled.kind, scheduled.after_apply)
            if token_request and not self.fault_token_requests:
                return None
            if self.fault_rate <= 0 or self._rng.random() >= self.fault_rate:
                return None
            after = self.fault_after_apply and method in UNSAFE_METHODS
            return Fault(self._rng.choice(AFTER_APPLY_KINDS if after else FAULT_KINDS), after)

    def retry_after(self, key: str, now: float | None = None) -> int | None:
        """Take one request from ``key``'s bucket; ``None`` if allowed, else seconds to wait."""
        rate = self.rate_limit
        if not rate or rate <= 0:
            return None
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.get(key, (rate, now))
            tokens = min(rate, tokens + (now - last) * rate)
            if tokens >= 1:
                self._buckets[key] = (tokens - 1, now)
                return None
            self._buckets[key] = (tokens, now)
            # Real servers send whole seconds.
            return max(1, math.ceil((1 - tokens) / rate))


async def send_fault(kind: str, scope: Scope, receive: Receive, send: Send) -> int:
    """Answer with fault ``kind``; returns the status sent (0 for a dropped connection)."""
    if kind == "drop":
        await drop_connection(receive, send)
        return 0
    status = int(kind)
    headers = {"Retry-After": "1"} if status == 429 else None
    await api_error(status, headers=headers)(scope, receive, send)
    return status


async def drop_connection(receive: Receive, send: Send) -> None:
    """Close the connection without answering.

    ASGI has no "abort" message, so this reaches for the server's transport: uvicorn's ``send`` is
    a bound method of its request cycle, which holds the asyncio transport. Closing it makes the
    client see the connection end before any response. Waiting for ``http.disconnect`` afterwards
    tells uvicorn the peer is gone, so it neither logs an error nor tries to send a 500. With a
    server laid out differently, the fallback starts a response and never finishes it, which the
    server ends by closing the connection (the client then sees an incomplete response).
    """
    transport = getattr(getattr(send, "__self__", None), "transport", None)
    if transport is not None and hasattr(transport, "close"):
        transport.close()
        try:
            async with asyncio.timeout(1.0):
                while (await receive())["type"] != "http.disconnect":
                    pass
        except TimeoutError:  # pragma: no cover - the transport always reports the close
            pass
        return
    await send(  # pragma: no cover - only with servers other than uvicorn
        {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"100")]}
    )
    await send({"type": "http.response.body", "body": b"{", "more_body": True})  # pragma: no cover
