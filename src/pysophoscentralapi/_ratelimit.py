"""Client-side rate limiting: a token bucket (sans-I/O; the caller sleeps and supplies the clock)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class TokenBucket:
    """At most ``rate`` requests per second on average, bursts of up to ``burst``.

    :meth:`reserve` books the next slot and says how long to wait for it, so concurrent callers
    queue up fairly without a lock held while sleeping.
    """

    rate: float
    burst: float = 1.0
    _tokens: float = field(init=False)
    _updated: float | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        if self.rate <= 0:
            raise ValueError("rate must be > 0 requests per second")
        self._tokens = self.burst

    def reserve(self, now: float) -> float:
        """Take one request slot; return the seconds to wait before sending (0 if none)."""
        if self._updated is not None:
            self._tokens = min(self.burst, self._tokens + (now - self._updated) * self.rate)
        self._updated = now
        self._tokens -= 1.0
        if self._tokens >= 0:
            return 0.0
        return -self._tokens / self.rate
