"""The CLI output layer: formats, streaming, fields, CSV safety, atomic files, sort, count-by."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import subprocess
import sys
import textwrap
import tracemalloc
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import click
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from pysophoscentralapi.cli._formats import EXTRA_COLUMN, ExportDefaults, _guard
from pysophoscentralapi.cli._output import (
    OutputOptions,
    SortSpec,
    flatten,
    get_path,
    write_rows,
)
from pysophoscentralapi.cli._table import TABLE_CHUNK, _fit_widths

ROWS: list[dict[str, Any]] = [
    {
        "id": "e1",
        "hostname": "alpha",
        "health": {"overall": "good", "threats": {"status": "good"}},
        "ips": ["10.0.0.1", "10.0.0.2"],
        "products": [{"code": "ep"}, {"code": "ix"}],
        "offset": -3,
    },
    {
        "id": "e2",
        "hostname": "=HYPERLINK()",
        "health": {"overall": "bad", "threats": {"status": "suspicious"}},
        "ips": [],
        "products": [],
        "offset": 2.5,
    },
]


def run(options: OutputOptions, rows: Any = None, **kwargs: Any) -> str:
    out = io.StringIO()
    kwargs.setdefault("stderr", io.StringIO())
    write_rows(options, ROWS if rows is None else rows, stdout=out, **kwargs)
    return out.getvalue()


class Sink(io.StringIO):
    """A text stream that forgets what it is given (so output size does not count as memory)."""

    def write(self, text: str) -> int:
        return len(text)

    def writable(self) -> bool:
        return True


# ------------------------------------------------------------------ pure helpers


def test_get_path_and_flatten() -> None:
    row = ROWS[0]
    assert get_path(row, "health.threats.status") == "good"
    assert get_path(row, "ips.1") == "10.0.0.2"
    assert get_path(row, "ips.7") is None
    assert get_path(row, "products.code") == ["ep", "ix"]
    assert get_path(row, "health.nope") is None
    assert get_path(row, "hostname.x") is None
    assert flatten({"a": {"b": {"c": 1}, "d": []}, "e": {}}) == {"a.b.c": 1, "a.d": [], "e": {}}
    assert flatten({"a": {"b": 1}}, sep="/") == {"a/b": 1}


def test_sort_spec() -> None:
    assert SortSpec.parse("hostname") == SortSpec("hostname", descending=False)
    assert SortSpec.parse("health.overall:DESC").api_value == "health.overall:desc"
    assert SortSpec("x").api_value == "x:asc"
    for bad in ("hostname:up", ":desc", "a..b", "a b"):
        with pytest.raises(ValueError):
            SortSpec.parse(bad)


def test_export_defaults_validated() -> None:
    with pytest.raises(ValueError, match="format"):
        ExportDefaults(format="xml")
    with pytest.raises(ValueError, match="csv_delimiter"):
        ExportDefaults(csv_delimiter=";;")


def test_resolved_format() -> None:
    assert OutputOptions().resolved_format(stdout_is_terminal=True) == "table"
    assert OutputOptions().resolved_format(stdout_is_terminal=False) == "json"
    csv_default = ExportDefaults(format="csv")
    assert OutputOptions().resolved_format(defaults=csv_default, stdout_is_terminal=True) == "csv"
    assert OutputOptions(format="jsonl").resolved_format(defaults=csv_default) == "jsonl"
    assert OutputOptions(output_file=Path("x.CSV")).resolved_format() == "csv"
    assert OutputOptions(output_file=Path("x.ndjson")).resolved_format() == "jsonl"
    assert OutputOptions(output_file=Path("x.txt")).resolved_format() == "json"
    table_default = ExportDefaults(format="table")
    assert OutputOptions(output_file=Path("x")).resolved_format(defaults=table_default) == "json"


def test_api_sort_and_fetch_limit() -> None:
    api = frozenset({"hostname"})
    by_api = OutputOptions(sort=SortSpec("hostname", True), limit=5, sortable_by_api=api)
    assert by_api.api_sort == "hostname:desc"
    assert by_api.fetch_limit(sorted_by_api=True) == 5
    local = OutputOptions(sort=SortSpec("health.overall"), limit=5, sortable_by_api=api)
    assert local.api_sort is None
    assert local.fetch_limit() is None
    assert OutputOptions(limit=3).fetch_limit() == 3
    assert OutputOptions(limit=3, count_by="type").fetch_limit() is None


# ------------------------------------------------------------------ exact formats


def test_json_exact() -> None:
    assert run(OutputOptions(format="json")) == json.dumps(ROWS, indent=2) + "\n"
    compact = run(OutputOptions(format="json"), defaults=ExportDefaults(json_indent=None))
    assert compact == json.dumps(ROWS, separators=(",", ":")) + "\n"
    assert run(OutputOptions(format="json"), rows=[]) == "[]\n"
    assert run(OutputOptions(format="json"), rows=[{"é": "ü"}]) == '[\n  {\n    "é": "ü"\n  }\n]\n'


def test_json_listing_failing_before_any_row_writes_nothing() -> None:
    def failing() -> Iterator[dict[str, Any]]:
        raise RuntimeError("first page refused")
        yield {}  # pragma: no cover

    out = io.StringIO()
    with pytest.raises(RuntimeError):
        write_rows(OutputOptions(format="json"), failing(), stdout=out, stderr=io.StringIO())
    assert out.getvalue() == ""


def test_jsonl_exact() -> None:
    expected = "".join(json.dumps(row, separators=(",", ":")) + "\n" for row in ROWS)
    assert run(OutputOptions(format="jsonl")) == expected
    assert run(OutputOptions(format="jsonl"), rows=[]) == ""


def test_csv_exact_lines_end_with_lf_unless_crlf_is_asked() -> None:
    expected = (
        "id,hostname,health.overall,health.threats.status,ips,products,offset\n"
        'e1,alpha,good,good,10.0.0.1;10.0.0.2,"[{""code"":""ep""},{""code"":""ix""}]",-3\n'
        "e2,'=HYPERLINK(),bad,suspicious,,,2.5\n"
    )
    assert run(OutputOptions(format="csv")) == expected
    assert run(OutputOptions(format="csv", crlf=True)) == expected.replace("\n", "\r\n")


def test_csv_with_fields_delimiter_and_no_headers() -> None:
    options = OutputOptions(format="csv", fields=("id", "health.overall", "products.code"))
    defaults = ExportDefaults(csv_delimiter="\t", list_separator="|")
    assert run(options, defaults=defaults) == (
        "id\thealth.overall\tproducts.code\ne1\tgood\tep|ix\ne2\tbad\t\n"
    )
    no_headers = OutputOptions(format="csv", fields=("id",), no_headers=True)
    assert run(no_headers) == "e1\ne2\n"


def test_csv_injection_guard_and_numbers() -> None:
    rows = [
        {
            "a": "=1+2",
            "b": "+x",
            "c": "-5",
            "d": "@sum",
            "e": "\tx",
            "f": "\rx",
            "g": -5,
            "h": -1.5,
        },
        {"a": "safe", "b": True, "c": None, "d": ["-1", "b"], "e": "a=b", "f": "", "g": 0, "h": 1},
    ]
    parsed = list(csv.reader(io.StringIO(run(OutputOptions(format="csv"), rows), newline="")))
    assert parsed[1] == ["'=1+2", "'+x", "'-5", "'@sum", "'\tx", "'\rx", "-5", "-1.5"]
    assert parsed[2] == ["safe", "true", "", "'-1;b", "a=b", "", "0", "1"]


def test_csv_ragged_rows_go_to_extra_column() -> None:
    rows: Iterator[dict[str, Any]] = iter(
        [{"id": 1}, *({"id": i} for i in range(2, 600)), {"id": 600, "late": {"x": "=y"}}]
    )
    err = io.StringIO()
    text = run(OutputOptions(format="csv"), rows, stderr=err)
    lines = text.splitlines()
    assert lines[0] == f"id,{EXTRA_COLUMN}"
    assert lines[-1] == '600,"{""late.x"":""=y""}"'
    assert "late.x" in err.getvalue()
    assert err.getvalue().count("warning") == 1
    # keys seen within the first page simply become columns, and there is no _extra column
    early = [{"id": 1}, {"id": 2, "new": "v"}]
    assert run(OutputOptions(format="csv"), early) == "id,new\n1,\n2,v\n"


def test_table_exact_off_terminal() -> None:
    options = OutputOptions(format="table", columns=("id", "hostname", "health.overall", "ips"))
    text = run(options, stdout_is_terminal=False)
    assert [line.rstrip() for line in text.splitlines()] == [
        "id  hostname      health.overall  ips",
        "─" * 51,
        "e1  alpha         good            10.0.0.1;10.0.0.2",
        "e2  =HYPERLINK()  bad",
    ]
    assert "\x1b" not in text
    headless = run(
        OutputOptions(format="table", columns=("id",), no_headers=True), stdout_is_terminal=False
    )
    assert [line.rstrip() for line in headless.splitlines()] == ["e1", "e2"]


def test_table_default_columns_from_data_and_fields() -> None:
    text = run(
        OutputOptions(format="table", fields=("hostname", "offset")), stdout_is_terminal=False
    )
    assert text.splitlines()[0].split() == ["hostname", "offset"]
    inferred = run(
        OutputOptions(format="table"), rows=[{"a": {"b": 1}, "c": 2}], stdout_is_terminal=False
    )
    assert inferred.splitlines()[0].split() == ["a.b", "c"]


def test_table_on_80_columns_cuts_long_cells_but_not_key_columns(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    rows = [{"id": str(i), "hostname": "h" * 30 + str(i), "note": "word " * 30} for i in range(5)]
    options = OutputOptions(format="table", columns=("id", "hostname", "note"))
    text = run(options, rows, stdout_is_terminal=True, color=False, title="Endpoints")
    lines = text.splitlines()
    assert all(cell_len(line) <= 80 for line in lines)
    assert len(lines) == 1 + 2 + len(rows)  # title, header, rule, one line per row
    assert all("…" in line and "h" * 30 in line for line in lines[3:])


def test_table_colours_and_escapes_on_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.delenv("NO_COLOR", raising=False)
    rows = [
        {"name": "[bold]x[/bold]\x1b[2J", "severity": "high"},
        {"name": "good", "severity": "low"},
    ]
    options = OutputOptions(format="table", columns=("name", "severity"))
    coloured = run(options, rows, stdout_is_terminal=True)
    assert "[bold]x[/bold]\\x1b[2J" in coloured  # markup shown literally, escape code neutralised
    assert "\x1b[2J" not in coloured
    assert "\x1b[31mhigh" in coloured
    assert "\x1b[36mlow" in coloured
    assert "\x1b[32mgood" not in coloured  # only health/severity columns are coloured
    plain = run(options, rows, stdout_is_terminal=True, color=False)
    assert "\x1b[31m" not in plain


def test_table_chunks_share_widths_and_header() -> None:
    rows = [{"id": i, "name": "x" * (i % 7)} for i in range(TABLE_CHUNK * 2 + 10)]
    err = io.StringIO()
    out = io.StringIO()
    count = write_rows(
        OutputOptions(format="table", columns=("id", "name")),
        rows,
        stdout=out,
        stderr=err,
        stdout_is_terminal=False,
    )
    lines = out.getvalue().splitlines()
    assert count == len(rows)
    assert len(lines) == len(rows) + 2
    assert sum(1 for line in lines if line.startswith("id ")) == 1
    assert len({line.index("x") for line in lines[2:] if "x" in line}) == 1


@pytest.mark.parametrize("terminal", [True, False])
def test_empty_table_says_so_on_stderr(terminal: bool) -> None:
    err = io.StringIO()
    assert (
        run(OutputOptions(format="table"), rows=[], stderr=err, stdout_is_terminal=terminal) == ""
    )
    assert err.getvalue() == "No rows.\n"


def test_fit_widths() -> None:
    assert _fit_widths([5, 50, 30], 100) == [5, 50, 30]
    widths = _fit_widths([5, 50, 30], 40)
    assert sum(widths) <= 40
    assert widths[0] == 5
    assert widths[1] >= widths[2] - 1


# ------------------------------------------------------------------ fields


def test_fields_keep_nesting_in_json() -> None:
    options = OutputOptions(
        format="jsonl", fields=("id", "health.overall", "products.code", "offset")
    )
    assert [json.loads(line) for line in run(options).splitlines()] == [
        {
            "id": "e1",
            "health": {"overall": "good"},
            "products": {"code": ["ep", "ix"]},
            "offset": -3,
        },
        {"id": "e2", "health": {"overall": "bad"}, "products": {"code": []}, "offset": 2.5},
    ]
    overlapping = OutputOptions(format="jsonl", fields=("health.overall", "health"))
    assert json.loads(run(overlapping).splitlines()[0]) == {"health": ROWS[0]["health"]}


def test_unknown_field_is_a_usage_error_before_writing() -> None:
    out = io.StringIO()
    with pytest.raises(click.UsageError) as caught:
        write_rows(OutputOptions(format="json", fields=("id", "helth.overall")), ROWS, stdout=out)
    assert caught.value.exit_code == 2
    assert "helth.overall" in caught.value.message
    assert "id, hostname, health, ips, products, offset" in caught.value.message
    assert out.getvalue() == ""


def test_field_missing_in_first_row_but_known_is_fine() -> None:
    rows = [{"id": 1}, {"id": 2, "group": {"name": "g"}}]
    options = OutputOptions(format="csv", fields=("id", "group.name"))
    assert run(options, rows) == "id,group.name\n1,\n2,g\n"
    # a default column never errors, even when no row has it
    options = OutputOptions(format="csv", fields=("id", "lockdown"), columns=("id", "lockdown"))
    assert run(options, rows) == "id,lockdown\n1,\n2,\n"
    assert run(OutputOptions(format="csv", fields=("nothing",)), rows=[]) == "nothing\n"


def test_null_parent_counts_as_known() -> None:
    rows = [{"id": 1, "health": None}]
    assert (
        run(OutputOptions(format="csv", fields=("health.overall",)), rows) == 'health.overall\n""\n'
    )


# ------------------------------------------------------------------ streaming and limits


def failing_after(n: int) -> Iterator[dict[str, Any]]:
    for i in range(n):
        yield {"id": i}
    raise RuntimeError("API went away")


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv"])
def test_rows_are_written_as_they_arrive(fmt: str) -> None:
    out = io.StringIO()
    with pytest.raises(RuntimeError):
        write_rows(OutputOptions(format=fmt), failing_after(3), stdout=out, stderr=io.StringIO())
    if fmt == "jsonl":
        assert out.getvalue() == '{"id":0}\n{"id":1}\n{"id":2}\n'
    elif fmt == "json":
        assert out.getvalue().count('"id"') == 3


def test_limit_stops_consuming() -> None:
    pulled: list[int] = []
    closed: list[bool] = []

    def source() -> Iterator[dict[str, Any]]:
        try:
            for i in range(1000):
                pulled.append(i)
                yield {"id": i}
        finally:
            closed.append(True)

    assert run(OutputOptions(format="jsonl", limit=3), source()) == '{"id":0}\n{"id":1}\n{"id":2}\n'
    assert pulled == [0, 1, 2]
    assert closed == [True]


def big_rows(n: int) -> Iterator[dict[str, Any]]:
    for i in range(n):
        yield {
            "id": f"{i:08d}-0000-0000-0000-000000000000",
            "hostname": f"host-{i}.example.com",
            "health": {"overall": "good", "threats": {"status": "good"}},
            "ips": [f"10.0.{i % 250}.{i % 200}", "fe80::1"],
            "os": {"platform": "windows", "name": "Windows Server 2022", "build": i},
        }


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_memory_stays_flat_for_100k_rows(fmt: str) -> None:
    n = 100_000
    tracemalloc.start()
    try:
        one = tracemalloc.get_traced_memory()[0]
        sample = list(big_rows(1000))
        all_rows_size = (tracemalloc.get_traced_memory()[0] - one) * (n // 1000)
        del sample
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        count = write_rows(
            OutputOptions(format=fmt), big_rows(n), stdout=Sink(), stderr=io.StringIO()
        )
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    assert count == n
    assert peak < all_rows_size / 20, (peak, all_rows_size)


# ------------------------------------------------------------------ sort and count-by


SORTABLE = [
    {"id": 1, "name": "bravo", "n": 10},
    {"id": 2, "n": 2},
    {"id": 3, "name": "Alpha", "n": None},
    {"id": 4, "name": "charlie", "n": 10},
]


def ids(text: str) -> list[int]:
    return [json.loads(line)["id"] for line in text.splitlines()]


def test_sort_ascending_descending_missing_last() -> None:
    assert ids(run(OutputOptions(format="jsonl", sort=SortSpec("name")), SORTABLE)) == [3, 1, 4, 2]
    assert ids(run(OutputOptions(format="jsonl", sort=SortSpec("name", True)), SORTABLE)) == [
        4,
        1,
        3,
        2,
    ]
    assert ids(run(OutputOptions(format="jsonl", sort=SortSpec("n")), SORTABLE)) == [2, 1, 4, 3]
    assert ids(run(OutputOptions(format="jsonl", sort=SortSpec("n", True)), SORTABLE)) == [
        1,
        4,
        2,
        3,
    ]
    limited = OutputOptions(format="jsonl", sort=SortSpec("n", True), limit=2)
    assert ids(run(limited, SORTABLE)) == [1, 4]


def test_sort_mixed_types_and_nested() -> None:
    rows = [{"id": 1, "v": {"x": 10}}, {"id": 2, "v": {"x": "9"}}, {"id": 3, "v": {"x": [1]}}]
    assert ids(run(OutputOptions(format="jsonl", sort=SortSpec("v.x")), rows)) == [
        3,
        1,
        2,
    ]  # "1" < "10" < "9"


def test_sorted_by_api_is_not_sorted_again() -> None:
    options = OutputOptions(format="jsonl", sort=SortSpec("name"), limit=2)
    assert ids(run(options, SORTABLE, sorted_by_api=True)) == [1, 2]


def test_sort_by_unknown_field_is_a_usage_error() -> None:
    with pytest.raises(click.UsageError, match="nmae"):
        run(OutputOptions(format="jsonl", sort=SortSpec("nmae")), SORTABLE)


COUNTABLE = [
    {"health": {"overall": "good"}},
    {"health": {"overall": "bad"}},
    {"health": {"overall": "good"}},
    {"health": {}},
    {"health": {"overall": "bad"}},
    {"health": {"overall": "good"}},
]


def test_count_by_in_each_format() -> None:
    options = OutputOptions(format="json", count_by="health.overall")
    assert json.loads(run(options, COUNTABLE)) == [
        {"health.overall": "good", "count": 3},
        {"health.overall": "bad", "count": 2},
        {"health.overall": None, "count": 1},
    ]
    csv_text = run(OutputOptions(format="csv", count_by="health.overall"), COUNTABLE)
    assert csv_text == "health.overall,count\ngood,3\nbad,2\n,1\n"
    table = run(
        OutputOptions(format="table", count_by="health.overall"),
        COUNTABLE,
        stdout_is_terminal=False,
    )
    assert [line.split() for line in table.splitlines()[2:]] == [["good", "3"], ["bad", "2"], ["1"]]


def test_count_by_sort_limit_and_unknown() -> None:
    rows: Any = iter(COUNTABLE)
    options = OutputOptions(
        format="jsonl", count_by="health.overall", sort=SortSpec("count"), limit=2
    )
    assert (
        run(options, rows)
        == '{"health.overall":null,"count":1}\n{"health.overall":"bad","count":2}\n'
    )
    with pytest.raises(click.UsageError, match="--count-by"):
        run(OutputOptions(format="json", count_by="type"), COUNTABLE)
    counted = run(
        OutputOptions(format="jsonl", count_by="tags"), [{"tags": ["a"]}, {"tags": ["a"]}]
    )
    assert counted == '{"tags":["a"],"count":2}\n'


# ------------------------------------------------------------------ output file


def test_output_file_success_replaces_target(tmp_path: Path) -> None:
    target = tmp_path / "export.csv"
    target.write_text("old")
    target.chmod(0o640)
    err = io.StringIO()
    out = io.StringIO()
    count = write_rows(
        OutputOptions(output_file=target, fields=("id",)),
        ROWS,
        stdout=out,
        stderr=err,
        progress=True,
    )
    assert count == 2
    assert target.read_bytes() == b"id\ne1\ne2\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert out.getvalue() == ""
    assert "Wrote 2 rows" in err.getvalue()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.csv"]


def test_new_output_file_follows_umask(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_rows(OutputOptions(output_file=tmp_path / "x.json"), ROWS, stderr=io.StringIO())
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "x.json").stat().st_mode) == 0o640
    assert json.loads((tmp_path / "x.json").read_text()) == ROWS


@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt])
def test_failed_export_leaves_no_file_and_keeps_existing(
    tmp_path: Path, error: type[BaseException]
) -> None:
    def rows() -> Iterator[dict[str, Any]]:
        yield from ROWS
        raise error

    fresh = tmp_path / "fresh.jsonl"
    with pytest.raises(error):
        write_rows(OutputOptions(output_file=fresh), rows(), stderr=io.StringIO())
    assert list(tmp_path.iterdir()) == []

    existing = tmp_path / "existing.jsonl"
    existing.write_text("keep me\n")
    with pytest.raises(error):
        write_rows(OutputOptions(output_file=existing), rows(), stderr=io.StringIO())
    assert existing.read_text() == "keep me\n"
    assert [p.name for p in tmp_path.iterdir()] == ["existing.jsonl"]


# ------------------------------------------------------------------ progress and pipes


def test_progress_goes_to_stderr_only() -> None:
    out = io.StringIO()
    err = io.StringIO()
    write_rows(
        OutputOptions(format="json"),
        big_rows(300),
        stdout=out,
        stderr=err,
        progress=True,
        progress_total=300,
    )
    assert len(json.loads(out.getvalue())) == 300
    assert "\x1b" not in out.getvalue()
    assert out.getvalue().startswith("[\n")


class BrokenAfter(io.StringIO):
    def __init__(self, writes: int) -> None:
        super().__init__()
        self.left = writes

    def write(self, text: str) -> int:
        self.left -= 1
        if self.left < 0:
            raise BrokenPipeError(32, "Broken pipe")
        return super().write(text)


def test_broken_pipe_ends_quietly() -> None:
    out = BrokenAfter(5)
    err = io.StringIO()
    count = write_rows(OutputOptions(format="jsonl"), big_rows(1000), stdout=out, stderr=err)
    assert count == 5
    assert err.getvalue() == ""


def test_broken_pipe_with_a_real_pipe_is_quiet() -> None:
    script = textwrap.dedent(
        """
        from pysophoscentralapi.cli._output import OutputOptions, write_rows
        rows = ({"id": i, "pad": "x" * 200} for i in range(200_000))
        write_rows(OutputOptions(format="jsonl"), rows)
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert proc.stdout is not None
    assert proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == 0
    assert json.loads(first)["id"] == 0
    assert err == b""


# ------------------------------------------------------------------ property


cell_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=20)
scalar = st.one_of(cell_text, st.integers(-(10**6), 10**6), st.booleans(), st.none())


@settings(max_examples=200, deadline=None)
@given(st.lists(st.dictionaries(st.sampled_from(["a", "b", "c"]), scalar), min_size=1, max_size=5))
def test_csv_round_trip_equals_guarded_values(rows: list[Mapping[str, Any]]) -> None:
    fields = ("a", "b", "c")
    text = run(OutputOptions(format="csv", fields=fields, columns=fields), rows)
    parsed = list(csv.reader(io.StringIO(text, newline="")))
    assert parsed[0] == list(fields)

    def expected(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int):
            return str(value)
        return _guard(value)

    assert parsed[1:] == [[expected(row.get(name)) for name in fields] for row in rows]
