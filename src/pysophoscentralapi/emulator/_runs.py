"""Asynchronous runs as the emulator serves them (XDR, Live Discover, detections).

A run's work is done when it is created (rows, or the engine's error, are kept); what the caller
sees follows the clock: ``pending`` for the first quarter of ``query_run_seconds``, ``started``
until it has passed, then ``finished`` with ``succeeded``, ``failed`` or ``canceled``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from pysophoscentralapi.emulator._data import iso, seeded_uuid
from pysophoscentralapi.emulator._http import BadRequest, found, json_body, json_response
from pysophoscentralapi.emulator._state import emulator_of

#: How long the service keeps a run's results.
EXPIRES_AFTER = 86400.0


def clock(request: Request) -> float:
    return emulator_of(request).clock()


def run_seconds(request: Request) -> float:
    return float(emulator_of(request).config.query_run_seconds)


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


def new_run_id(runs: dict[str, RunRecord], seed: str) -> str:
    """The id of the next run kept in ``runs``: it follows from ``seed`` and the number of runs
    so far, so the seeded runs keep their ids."""
    return seeded_uuid(random.Random(f"{seed}:{len(runs)}"))


def run_of(runs: dict[str, RunRecord], request: Request) -> RunRecord:
    """The run named by the path's ``run_id``; 404 when unknown."""
    return found(runs, str(request.path_params["run_id"]).lower(), "Query run not found.")


#: ``start(request, body, now, duration)``: run a ``POST`` body's query and keep the run.
Start = Callable[[Request, dict[str, Any], float, float], RunRecord]
View = Callable[[RunRecord, float], dict[str, Any]]
#: ``results(request, record, rows)``: the answer body of a page of a finished run's rows.
Results = Callable[[Request, RunRecord, list[dict[str, Any]]], dict[str, Any]]


def run_routes(
    base: str,
    runs: Callable[[Request], dict[str, RunRecord]],
    start: Start,
    view: View,
    results: Results,
) -> list[BaseRoute]:
    """What every run API has: ``POST base`` (start a run: 201 and its view), ``GET
    base/{run_id}`` (its view now) and ``GET base/{run_id}/results`` (400 unless it succeeded)."""

    async def create_run(request: Request) -> Response:
        body = await json_body(request)
        now = clock(request)
        record = start(request, body, now, run_seconds(request))
        return json_response(view(record, now), 201)

    async def get_run(request: Request) -> Response:
        return json_response(view(run_of(runs(request), request), clock(request)))

    async def run_results(request: Request) -> Response:
        record = run_of(runs(request), request)
        return json_response(results(request, record, record.finished_rows(clock(request))))

    one = base + "/{run_id}"
    return [
        Route(base, create_run, methods=["POST"]),
        Route(one, get_run, methods=["GET"]),
        Route(one + "/results", run_results, methods=["GET"]),
    ]
