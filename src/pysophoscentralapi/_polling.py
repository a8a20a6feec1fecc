"""Waiting for a query run (sans-I/O): when to ask again, and what a finished run means.

A run is polled with a growing interval (1 s, 1.5 s, 2.25 s ... at most 10 s), so a run of a few
seconds costs a handful of status requests and a long one about six a minute. 429 answers are
the transport's business (it waits for ``Retry-After`` and repeats the status request).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pysophoscentralapi._errors import QueryFailedError, QueryTimeoutError
from pysophoscentralapi._timeparams import DEFAULT_WAIT_SECONDS

if TYPE_CHECKING:
    from pysophoscentralapi.models.queries import RunInfo

__all__ = ["DEFAULT_WAIT_SECONDS", "PollSchedule", "check_finished_run", "timeout_error"]


@dataclass(frozen=True)
class PollSchedule:
    """Delays between status requests: ``first``, then times ``factor``, capped at ``longest``.

    >>> from itertools import islice
    >>> list(islice(PollSchedule().delays(), 5))
    [1.0, 1.5, 2.25, 3.375, 5.0625]
    """

    first: float = 1.0
    factor: float = 1.5
    longest: float = 10.0

    def __post_init__(self) -> None:
        if self.first <= 0 or self.factor < 1 or self.longest < self.first:
            raise ValueError("poll schedule: need first > 0, factor >= 1 and longest >= first")

    def delays(self) -> Iterator[float]:
        delay = self.first
        while True:
            yield delay
            delay = min(self.longest, delay * self.factor)


def check_finished_run(run: RunInfo, *, label: str, hint: str | None = None) -> None:
    """Raise :class:`QueryFailedError` for a finished run whose result is not a success."""
    result = str(run.result) if run.result is not None else None
    from pysophoscentralapi.models.queries import FINISHED_RESULTS  # not at import: --help

    if result not in FINISHED_RESULTS:
        return
    detail = ""
    error = getattr(run, "error", None)  # the emulator, and maybe the service, say why
    if isinstance(error, dict) and error.get("message"):
        detail = f": {error['message']}"
    raise QueryFailedError(
        f"{label} run {run.id} {FINISHED_RESULTS[result]}{detail}",
        run_id=run.id,
        result=result,
        hint=hint,
    )


def timeout_error(
    run_id: str, status: str | None, waited: float, *, label: str, hint: str
) -> QueryTimeoutError:
    """The error for a run still going when the wait ended (it keeps running on the service)."""
    return QueryTimeoutError(
        f"{label} run {run_id} is still {status or 'pending'} after {waited:g} s",
        run_id=run_id,
        hint=hint,
    )
