"""When to retry a request and how long to wait (sans-I/O; time and randomness injected).

The one retry policy of the client:

* 429 is retried for every method: the server refused before doing anything.
* 5xx, timeouts and dropped connections are retried only for safe methods (GET/HEAD). A POST,
  PATCH or DELETE that may have reached the server is never re-sent.
* Failures to *connect* are retried for every method: nothing was sent.
* Waits grow exponentially with full jitter, and ``Retry-After`` (seconds or an HTTP date) is
  honoured, capped at :data:`MAX_RETRY_AFTER_SECONDS`.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

DEFAULT_MAX_RETRIES = 3
INITIAL_RETRY_DELAY_SECONDS = 0.5
MAX_RETRY_DELAY_SECONDS = 8.0
MAX_RETRY_AFTER_SECONDS = 60.0

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
RETRYABLE_SERVER_STATUSES = frozenset({500, 502, 503, 504})


class Failure(Enum):
    """Ways a request can fail without an HTTP answer."""

    CONNECT = "connect"  # never reached the server: safe to re-send
    TIMEOUT = "timeout"  # may have reached the server
    DROPPED = "dropped"  # connection lost mid-exchange: may have reached the server


def is_safe(method: str) -> bool:
    """Whether re-sending ``method`` cannot apply a change twice."""
    return method.upper() in SAFE_METHODS


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date), or None."""
    from email.utils import parsedate_to_datetime  # here: email costs ~5 ms at start-up

    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            return None
        seconds = when.timestamp() - now
    if math.isnan(seconds):
        return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER_SECONDS)


@dataclass(frozen=True)
class RetryPolicy:
    """Retry decisions. ``attempt`` counts retries already made (0 before the first retry)."""

    max_retries: int = DEFAULT_MAX_RETRIES
    initial_delay: float = INITIAL_RETRY_DELAY_SECONDS
    max_delay: float = MAX_RETRY_DELAY_SECONDS
    jitter: Callable[[], float] = random.random

    def backoff(self, attempt: int) -> float:
        """Exponential backoff with full jitter: uniform in [0, min(max, initial * 2**attempt)]."""
        ceiling = min(self.max_delay, self.initial_delay * 2.0**attempt)
        return ceiling * self.jitter()

    def delay_for_status(
        self,
        method: str,
        status_code: int,
        attempt: int,
        retry_after: float | None,
        *,
        idempotent: bool | None = None,
    ) -> float | None:
        """Seconds to wait before retrying an HTTP answer, or None to give up.

        ``idempotent`` overrides the method's own safety (the token request is a POST that is
        safe to repeat).
        """
        if attempt >= self.max_retries:
            return None
        if status_code == 429:
            return retry_after if retry_after is not None else self.backoff(attempt)
        safe = is_safe(method) if idempotent is None else idempotent
        if status_code in RETRYABLE_SERVER_STATUSES and safe:
            return retry_after if retry_after is not None else self.backoff(attempt)
        return None

    def delay_for_failure(
        self, method: str, failure: Failure, attempt: int, *, idempotent: bool | None = None
    ) -> float | None:
        """Seconds to wait before retrying a request that got no answer, or None to give up."""
        if attempt >= self.max_retries:
            return None
        safe = is_safe(method) if idempotent is None else idempotent
        if failure is Failure.CONNECT or safe:
            return self.backoff(attempt)
        return None
