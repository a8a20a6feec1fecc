"""The listing and export fast paths give the same results as the plain ones they replace."""

from __future__ import annotations

import gc
import io
import json
import threading
from typing import Any

import pytest

from pysophoscentralapi import ResponseValidationError
from pysophoscentralapi._decode import decode_page, gc_paused
from pysophoscentralapi._page import validate_row
from pysophoscentralapi.cli._formats import (
    Flusher,
    Plan,
    RowCounter,
    _csv_cell,
    _csv_cells,
    write_json,
)
from pysophoscentralapi.models import Endpoint, HealthStatus

# --- decoding pages -------------------------------------------------------------------------


def test_decode_page_reads_json_like_json_loads() -> None:
    body = b'{"items": [{"id": "e1", "n": 12345678901234567890, "x": 1.5}], "pages": {}}'
    assert decode_page(body, what="GET /x") == json.loads(body)
    assert decode_page(b"  ", what="GET /x") is None


def test_decode_page_accepts_what_only_json_loads_accepts() -> None:
    body = b'{"items": [{"name": "\\ud800"}]}'  # a lone surrogate: pydantic-core refuses it
    assert decode_page(body, what="GET /x") == json.loads(body)


def test_decode_page_names_the_request_when_the_body_is_not_json() -> None:
    with pytest.raises(ResponseValidationError, match="GET /endpoint/v1/endpoints answered"):
        decode_page(b"<html>busy</html>", what="GET /endpoint/v1/endpoints")


# --- the collector pause --------------------------------------------------------------------


@pytest.fixture
def collector_enabled() -> Any:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


@pytest.mark.usefixtures("collector_enabled")
def test_gc_pause_restores_the_collector_even_on_errors() -> None:
    seen: list[bool] = []

    def fail_while_paused() -> None:
        with gc_paused():
            seen.append(gc.isenabled())
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        fail_while_paused()
    assert seen == [False]
    assert gc.isenabled()


def test_gc_pause_leaves_a_disabled_collector_disabled() -> None:
    was = gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        if was:
            gc.enable()


@pytest.mark.usefixtures("collector_enabled")
def test_overlapping_pauses_in_threads_resume_only_when_the_last_ends() -> None:
    inside, release = threading.Event(), threading.Event()

    def other_thread() -> None:
        with gc_paused():
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=other_thread)
    with gc_paused():
        thread.start()
        assert inside.wait(5)
    assert not gc.isenabled()  # the other thread's pause is still open
    release.set()
    thread.join(5)
    assert gc.isenabled()


# --- a row at a time ------------------------------------------------------------------------


def test_validate_row_keeps_unknown_fields_and_values() -> None:
    endpoint = validate_row(Endpoint, {"id": "e1", "health": {"overall": "glowing"}, "newField": 1})
    assert endpoint.health is not None
    assert endpoint.health.overall == "glowing"
    assert isinstance(endpoint.health.overall, HealthStatus)
    assert endpoint.model_extra == {"newField": 1}


def test_validate_row_reports_a_bad_row_as_a_response_validation_error() -> None:
    with pytest.raises(ResponseValidationError, match="Endpoint data of an unexpected shape"):
        validate_row(Endpoint, {"id": "e1", "health": "not an object"})


# --- export cells and JSON lines ------------------------------------------------------------

CELLS = [
    "plain",
    "=1+1",
    "-2",
    "",
    7,
    -3,
    2.5,
    True,
    False,
    None,
    ["10.0.0.1", "10.0.0.2"],
    ["=x"],
    [],
    [1, "a"],
    [{"code": "interceptX"}],
    {"a": 1},
    HealthStatus.BAD,
]


def test_csv_cells_are_the_cells_of_the_general_path() -> None:
    expected = [
        "plain", "'=1+1", "'-2", "", 7, -3, 2.5, "true", "false", "", "10.0.0.1;10.0.0.2",
        "'=x", "", "1;a", '[{"code":"interceptX"}]', '{"a":1}', "bad",
    ]  # fmt: skip
    assert _csv_cells(CELLS, ";") == expected
    assert [_csv_cell(value, ";") for value in CELLS] == expected


def test_jsonl_text_is_json_dumps_text_for_api_rows() -> None:
    rows = [
        {"id": "e1", "name": "Zoë \u2028", "n": 2**70, "x": 0.1, "ok": True, "none": None},
        {"nested": {"list": [1, {"a": []}]}},
    ]
    stream = io.StringIO()  # no encoding: treated as UTF-8, so non-ASCII is written as is
    write_json(
        stream,
        Plan(iter(rows), None, False, None),
        indent=None,
        counter=RowCounter(),
        flusher=Flusher(stream, enabled=False),
        lines=True,
    )
    expected = "".join(
        json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n" for row in rows
    )
    assert stream.getvalue() == expected
