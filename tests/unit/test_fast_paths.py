"""The listing and export fast paths give the same results as the plain ones they replace."""

from __future__ import annotations

import csv
import gc
import io
import json
import threading
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pysophoscentralapi import ResponseValidationError
from pysophoscentralapi._decode import decode_page, gc_paused
from pysophoscentralapi._page import validate_row
from pysophoscentralapi.cli._fields import FlatColumns, flatten
from pysophoscentralapi.cli._formats import (
    EXTRA_COLUMN,
    FLUSH_ROWS,
    LOOKAHEAD,
    Flusher,
    Plan,
    RowCounter,
    _csv_cell,
    _csv_cells,
    _csv_lines,
    write_csv,
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


# --- CSV a batch at a time ------------------------------------------------------------------

text = st.text(st.sampled_from('a=-+@\t\r\n,;"é \x00'), max_size=4)
scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=False), text)
values = st.one_of(
    scalars,
    st.lists(text, max_size=2),
    st.lists(scalars, max_size=2),
    st.lists(st.dictionaries(st.sampled_from(["code"]), text), min_size=1, max_size=2),
    st.just({}),
    st.sampled_from([HealthStatus.BAD, HealthStatus.GOOD]),
)
names = st.sampled_from(["id", "health", "os", "x", "a.b"])
objects = st.recursive(
    st.dictionaries(names, values, max_size=3),
    lambda inner: st.dictionaries(names, st.one_of(values, inner), max_size=3),
    max_leaves=8,
)


def flat_columns_of(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    return list(dict.fromkeys(key for row in rows for key in flatten(row)))


@settings(max_examples=300, deadline=None)
@given(st.lists(objects, min_size=1, max_size=6), st.lists(objects, min_size=1, max_size=6))
def test_flat_columns_read_what_flatten_gives(
    header_rows: list[dict[str, Any]], rows: list[dict[str, Any]]
) -> None:
    columns = flat_columns_of(header_rows)
    reader = FlatColumns(columns)
    if not reader.usable:  # a column is also an object of another: no fast way
        assert any(other.startswith(column + ".") for column in columns for other in columns)
        return
    for batch in (header_rows, rows, header_rows + rows):
        read = reader.read(batch)
        flat = [flatten(row) for row in batch]
        if read is None:
            continue  # nothing vouched for: the writer flattens each row
        assert all(set(row) <= set(columns) for row in flat)  # no field left out
        values, kinds = read
        assert values == [[row.get(column) for row in flat] for column in columns]
        assert kinds == [set(map(type, column)) for column in values]


def test_flat_columns_read_rows_with_missing_fields_and_refuse_other_shapes() -> None:
    rows: list[dict[str, Any]] = [
        {"id": "e1", "health": {"overall": "good", "threats": {"status": "bad"}}, "ips": ["a"]},
        {"id": "e2", "health": {"overall": None}},
        {"id": "e3"},
    ]
    reader = FlatColumns(flat_columns_of(rows))
    assert reader.read(rows) == (
        [["e1", "e2", "e3"], ["good", None, None], ["bad", None, None], [["a"], None, None]],
        [{str}, {str, type(None)}, {str, type(None)}, {list, type(None)}],
    )
    for odd in (
        {"id": "e4", "new": 1},  # a field outside the columns
        {"id": "e4", "health": None},  # null where an object was
        {"id": "e4", "health": {}},  # an empty object (flatten keeps it as a value)
        {"id": "e4", "ips": {"v4": "a"}},  # an object where a value was
        {"id": "e4", "health": {"overall": "good", "threats": {"status": "bad", "n": 1}}},
    ):
        assert reader.read([*rows, odd]) is None, odd
    assert not FlatColumns(["a", "a.b"]).usable


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(values, min_size=3, max_size=3), min_size=1, max_size=5),
    st.integers(1, 3),
    st.sampled_from([",", ";", "\t", " ", "a", "-", "\x00"]),
    st.sampled_from(["\n", "\r\n"]),
)
def test_csv_lines_are_the_csv_module_lines_of_the_cells(
    rows: list[list[Any]], width: int, delimiter: str, line_end: str
) -> None:
    rows = [row[:width] for row in rows]
    columns = [list(column) for column in zip(*rows, strict=True)]
    kinds = [set(map(type, column)) for column in columns]
    lines = _csv_lines(
        columns, kinds, len(rows), list_separator=";", delimiter=delimiter, line_end=line_end
    )
    stream = io.StringIO()
    writer = csv.writer(stream, delimiter=delimiter, lineterminator="\r\n")
    expected = []
    for row in rows:
        writer.writerow(_csv_cells(row, ";"))
        expected.append(stream.getvalue()[:-2] + line_end)
        stream.seek(0)
        stream.truncate()
    assert lines == "".join(expected)


def row_at_a_time_csv(rows: list[dict[str, Any]]) -> str:
    """The inferred-header CSV written the plain way: each row flattened, then its cells."""
    flat = [flatten(row) for row in rows]
    columns = flat_columns_of(rows[:LOOKAHEAD])
    longer = len(rows) > LOOKAHEAD
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(columns + ([EXTRA_COLUMN] if longer else []))
    for row in flat:
        cells = _csv_cells([row.get(column) for column in columns], ";")
        extra = {key: value for key, value in row.items() if key not in columns}
        if longer:
            cells.append(json.dumps(extra, separators=(",", ":")) if extra else "")
        writer.writerow(cells)
    return stream.getvalue()


class FlushLog(io.StringIO):
    """A stream that notes, at each flush, the rows written and the rows read so far."""

    def __init__(self) -> None:
        super().__init__()
        self.rows_read = 0
        self.at_flush: list[tuple[int, int]] = []

    def rows(self, rows: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for row in rows:
            self.rows_read += 1
            yield row

    def flush(self) -> None:
        self.at_flush.append((self.getvalue().count("\n") - 1, self.rows_read))


def endpoint_like(index: int) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": f"e{index}",
        "health": {"overall": ["good", "bad"][index % 2], "threats": {"status": "good"}},
        "ipv4Addresses": [f"10.0.0.{index % 250}"],
        "assignedProducts": [{"code": "interceptX", "version": "1"}],
        "online": index % 3 == 0,
    }
    if index % 4:
        row["group"] = {"id": f"g{index % 4}", "name": "=Servers" if index % 7 == 0 else "ws"}
    if index % 997 == 996:
        row["lockdown"] = {"status": "on"}  # later than the look-ahead: goes to _extra
    return row


@pytest.mark.parametrize("total", [0, 1, LOOKAHEAD, LOOKAHEAD + 1, 2345])
def test_csv_export_in_batches_is_the_row_at_a_time_export(total: int) -> None:
    rows = [endpoint_like(index) for index in range(total)]
    stream, err, counter = FlushLog(), io.StringIO(), RowCounter()
    write_csv(
        stream,
        Plan(stream.rows(rows), None, flat=False, fields=None),
        delimiter=",",
        list_separator=";",
        no_headers=False,
        counter=counter,
        flusher=Flusher(stream, enabled=True),
        err=err,
    )
    assert stream.getvalue() == (row_at_a_time_csv(rows) if rows else "")
    assert counter.n == total
    assert ("_extra column" in err.getvalue()) == (total > 997)
    # flushed at least every FLUSH_ROWS rows, each time with every row read so far written
    # (but those of the header's look-ahead still to come)
    assert len(stream.at_flush) >= total // FLUSH_ROWS
    assert all(written == read for written, read in stream.at_flush if read > LOOKAHEAD + 1)


def test_csv_export_writes_the_rows_read_before_an_error() -> None:
    def rows() -> Iterator[dict[str, Any]]:
        for index in range(LOOKAHEAD + 42):
            yield endpoint_like(index)
        raise RuntimeError("the API went away")

    stream = io.StringIO()
    with pytest.raises(RuntimeError):
        write_csv(
            stream,
            Plan(rows(), None, flat=False, fields=None),
            delimiter=",",
            list_separator=";",
            no_headers=True,
            counter=RowCounter(),
            flusher=Flusher(stream, enabled=False),
            err=io.StringIO(),
        )
    assert stream.getvalue().count("\n") == LOOKAHEAD + 42
