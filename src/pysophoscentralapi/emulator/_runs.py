"""Asynchronous runs as the emulator serves them (XDR, Live Discover, detections).

A run's work is done when it is created (rows, or the engine's error, are kept); what the caller
sees follows the clock: ``pending`` for the first quarter of ``query_run_seconds``, ``started``
until it has passed, then ``finished`` with ``succeeded``, ``failed`` or ``canceled``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request

from pysophoscentralapi.emulator._data import iso
from pysophoscentralapi.emulator._http import ApiFailure, BadRequest
from pysophoscentralapi.emulator._state import EmulatorState

#: How long the service keeps a run's results.
EXPIRES_AFTER = 86400.0


def clock(request: Request) -> float:
    state: EmulatorState = request.app.state.emulator
    return state.clock()


def run_seconds(request: Request) -> float:
    state: EmulatorState = request.app.state.emulator
    return float(state.config.query_run_seconds)


@dataclass
class RunRecord:
    """One run: when it started, how long it takes, and what it found."""

    id: str
    created: float
    duration: float
    rows: list[dict[str, Any]] = field(default_factory=list)
    columns: list[dict[str, str]] = field(default_factory=list)
    error: str | None = None
    canceled_at: float | None = None
    #: Fields shown as they are (name, template, query, matchEndpoints, ...).
    shown: dict[str, Any] = field(default_factory=dict)

    def finished_at(self) -> float:
        return self.canceled_at if self.canceled_at is not None else self.created + self.duration

    def status(self, now: float) -> str:
        if self.canceled_at is not None or now >= self.created + self.duration:
            return "finished"
        return "pending" if now < self.created + self.duration / 4 else "started"

    def result(self, now: float) -> str:
        if self.status(now) != "finished":
            return "notAvailable"
        if self.canceled_at is not None:
            return "canceled"
        return "failed" if self.error is not None else "succeeded"

    def base(self, now: float) -> dict[str, Any]:
        """``id``, timestamps, ``status``, ``result``: the part every run API shows."""
        body: dict[str, Any] = {"id": self.id, "createdAt": iso(self.created)}
        body["expiresAt"] = iso(self.created + EXPIRES_AFTER)
        status = self.status(now)
        if status == "finished":
            body["finishedAt"] = iso(self.finished_at())
        body["result"] = self.result(now)
        body["status"] = status
        if status == "finished" and self.error is not None and self.canceled_at is None:
            # Not in the collection (INFERRED): why the run failed, so a client can say so.
            body["error"] = {"code": "queryFailed", "message": self.error}
        return body

    def finished_rows(self, now: float) -> list[dict[str, Any]]:
        """The rows of a finished run; 400 while it runs or when it did not succeed."""
        result = self.result(now)
        if result == "notAvailable":
            raise BadRequest(
                "The query run has not finished yet; poll it until status is finished."
            )
        if result == "failed":
            raise BadRequest(f"The query run failed: {self.error}")
        if result == "canceled":
            raise BadRequest("The query run was canceled.")
        return self.rows

    def cancel(self, now: float) -> None:
        if self.status(now) == "finished":
            raise BadRequest("The query run has already finished.")
        self.canceled_at = now


def find_run(runs: dict[str, RunRecord], run_id: str) -> RunRecord:
    record = runs.get(run_id.lower())
    if record is None:
        raise ApiFailure(404, "Query run not found.")
    return record
