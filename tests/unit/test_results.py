"""The result-row rules of multi-target commands (cli/_results.py): statuses, exit codes, summary."""

from __future__ import annotations

import pytest

from pysophoscentralapi._errors import (
    APIConnectionError,
    AuthenticationError,
    ConflictError,
    NotFoundError,
    OutcomeUnknownError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
)
from pysophoscentralapi.cli._results import (
    Outcome,
    attempt,
    exit_status_of,
    outcome_of,
    result_row,
    summary_line,
)


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (NotFoundError("gone", status_code=404), Outcome.NOT_FOUND),
        (PermissionDeniedError("no", status_code=403), Outcome.REFUSED),
        (ConflictError("busy", status_code=409), Outcome.REFUSED),
        (RateLimitError("slow down", status_code=429, method="POST"), Outcome.FAILED),
        (ServerError("oops", status_code=500, method="GET"), Outcome.FAILED),
        (ServerError("oops", status_code=500, method="POST"), Outcome.UNKNOWN),
        (APIConnectionError("no route"), Outcome.FAILED),
        (OutcomeUnknownError("lost"), Outcome.UNKNOWN),
    ],
)
def test_outcome_of_each_error(error: Exception, expected: Outcome) -> None:
    assert outcome_of(error) is expected


def test_exit_status_is_the_worst_outcome() -> None:
    assert exit_status_of([]) == 0
    assert exit_status_of([Outcome.OK, Outcome.OK]) == 0
    assert exit_status_of([Outcome.OK, Outcome.REFUSED]) == 4
    assert exit_status_of([Outcome.NOT_FOUND, Outcome.UNKNOWN, Outcome.OK]) == 5


def test_a_row_from_an_api_error_carries_message_and_request_id() -> None:
    error = NotFoundError("POST x failed: HTTP 404", status_code=404, request_id="r-1")
    row = result_row("e1", name="web-01", error=error, extra=1)
    assert row == {
        "id": "e1",
        "name": "web-01",
        "status": "not-found",
        "error": "POST x failed: HTTP 404",
        "request_id": "r-1",
        "extra": 1,
    }


def test_attempt_keeps_going_on_api_errors_but_not_on_authentication() -> None:
    def refuse(_: str) -> None:
        raise PermissionDeniedError("no", status_code=403)

    assert attempt("e1", refuse)["status"] == "refused"
    assert attempt("e1", lambda i: {"echo": i})["echo"] == "e1"

    def unauthenticated(_: str) -> None:
        raise AuthenticationError("bad secret", status_code=401)

    with pytest.raises(AuthenticationError):
        attempt("e1", unauthenticated)


def test_summary_names_every_outcome_and_targets_not_attempted() -> None:
    counts = {Outcome.OK: 3, Outcome.NOT_FOUND: 1000, Outcome.UNKNOWN: 1}
    assert summary_line(counts, done="isolated") == (
        "isolated 3 of 1004; 1000 not found, 1 unknown (may have been applied)"
    )
    assert summary_line({Outcome.OK: 2}, done="scanned", total=5) == (
        "scanned 2 of 2 (of 5 asked; 3 not attempted)"
    )
