"""Waiting for query runs (sans-I/O): the poll schedule and what a finished run means."""

from __future__ import annotations

from itertools import islice

import pytest

from pysophoscentralapi import QueryFailedError
from pysophoscentralapi._polling import PollSchedule, check_finished_run
from pysophoscentralapi.models.queries import RunInfo


def test_delays_grow_and_are_capped() -> None:
    delays = list(islice(PollSchedule(first=1, factor=2, longest=5).delays(), 5))
    assert delays == [1, 2, 4, 5, 5]


def test_a_minute_costs_about_ten_polls() -> None:
    total, polls = 0.0, 0
    for delay in PollSchedule().delays():
        total += delay
        polls += 1
        if total >= 60:
            break
    assert polls <= 11


@pytest.mark.parametrize("bad", [{"first": 0}, {"factor": 0.5}, {"first": 5, "longest": 1}])
def test_nonsense_schedules_are_refused(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="poll schedule"):
        PollSchedule(**bad)


def test_a_succeeded_run_passes() -> None:
    check_finished_run(RunInfo(id="r1", status="finished", result="succeeded"), label="XDR query")


@pytest.mark.parametrize(
    ("result", "words"),
    [("failed", "failed"), ("timedOut", "timed out"), ("canceled", "was canceled")],
)
def test_unsuccessful_runs_raise_naming_the_run(result: str, words: str) -> None:
    run = RunInfo.model_validate(
        {
            "id": "r2",
            "status": "finished",
            "result": result,
            "error": {"message": "no such table: x"},
        }
    )
    with pytest.raises(QueryFailedError) as raised:
        check_finished_run(run, label="XDR query")
    assert raised.value.run_id == "r2"
    assert raised.value.message == f"XDR query run r2 {words}: no such table: x"
