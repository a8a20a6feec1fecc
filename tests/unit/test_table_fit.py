"""Tables that fit the terminal (columns by priority, key columns whole) and the record view."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from rich.cells import cell_len

from pysophoscentralapi.cli._output import Column, OutputOptions, write_record, write_rows
from pysophoscentralapi.cli._record import record_lines
from pysophoscentralapi.cli._schema import Schema
from pysophoscentralapi.cli._table import columns_of, fit_columns
from pysophoscentralapi.cli.commands.endpoint_commands import LIST_COLUMNS

#: the table of ``endpoint list``, as the command declares it
ENDPOINT_COLUMNS = tuple(LIST_COLUMNS)
ENDPOINTS = [
    {
        "id": f"2f94ef9d-c800-4a9a-9d49-2affb85a30e{i}",
        "hostname": f"SRV-SQL-{i:02}",
        "type": "server",
        "health": {"overall": "good"},
        "os": {"name": "Windows Server 2019 Datacenter"},
        "ipv4Addresses": [f"10.0.0.{i}"],
        "lastSeenAt": "2026-11-26T21:53:02.639Z",
        "isolation": {"status": "notIsolated"},
        "tamperProtectionEnabled": True,
    }
    for i in range(3)
]


def table(
    width: int, *, wide: bool = False, fields: tuple[str, ...] | None = None
) -> tuple[list[str], str]:
    out, err = io.StringIO(), io.StringIO()
    options = OutputOptions(format="table", columns=ENDPOINT_COLUMNS, wide=wide, fields=fields)
    write_rows(
        options,
        ENDPOINTS,
        stdout=out,
        stderr=err,
        stdout_is_terminal=True,
        color=False,
        width=width,
    )
    return out.getvalue().splitlines(), err.getvalue()


def header(lines: list[str]) -> list[str]:
    """The header's names (a name cut with an ellipsis as its full name)."""
    names = [c.path for c in ENDPOINT_COLUMNS]
    return [
        next(n for n in names if n.startswith(h.rstrip("…"))) if h.endswith("…") else h
        for h in lines[0].split()
    ]


@pytest.mark.parametrize(
    ("width", "shown"),
    [
        (60, ["hostname", "health.overall", "id"]),  # health cut to fit
        (80, ["hostname", "type", "health.overall", "id"]),
        (120, ["hostname", "type", "health.overall", "os.name", "lastSeenAt", "id"]),
        (200, [c.path for c in ENDPOINT_COLUMNS]),
    ],
)
def test_columns_dropped_by_priority_and_ids_whole(width: int, shown: list[str]) -> None:
    lines, err = table(width)
    assert header(lines) == shown
    assert all(cell_len(line) <= width for line in lines)
    for row in ENDPOINTS:  # the id and the hostname a person copies are never cut
        assert any(row["id"] in line and row["hostname"] in line for line in lines)
    hidden = len(ENDPOINT_COLUMNS) - len(shown)
    if hidden:
        assert err.startswith(f"{hidden} column")
        assert "-w/--wide" in err
    else:
        assert err == ""


def test_wide_shows_every_column_whole() -> None:
    lines, err = table(60, wide=True)
    assert header(lines) == [c.path for c in ENDPOINT_COLUMNS]
    assert "Windows Server 2019 Datacenter" in lines[2]
    assert err == ""


def test_fields_are_never_dropped_only_shrunk() -> None:
    lines, err = table(60, fields=("id", "os.name", "hostname", "lastSeenAt"))
    assert header(lines) == ["id", "os.name", "hostname", "lastSeenAt"]
    assert all(cell_len(line) <= 60 for line in lines)
    assert err == ""


def test_the_least_important_column_is_cut_first() -> None:
    columns = columns_of(
        [Column("id", key=True), Column("when", priority=9), Column("text", priority=5)]
    )
    fitted = fit_columns([36, 17, 60], columns, 80)
    assert fitted.widths == (36, 17, 80 - 36 - 17 - 4)  # the time whole, the text cut
    assert fit_columns([36, 17, 60], columns, 62).hidden == (2,)  # too little room left: hidden


def test_plain_string_columns_rank_by_order_and_keep_ids() -> None:
    columns = columns_of(["name", "dataRegion", "apiHost", "id"])
    assert [c.key for c in columns] == [True, False, False, True]
    fitted = fit_columns([20, 10, 40, 36], columns, 80)
    assert fitted.kept == (0, 1, 3)  # apiHost, declared after dataRegion, goes first
    assert fitted.widths == (20, 10, 36)


def test_tables_off_a_terminal_keep_every_column() -> None:
    out = io.StringIO()
    write_rows(
        OutputOptions(format="table", columns=ENDPOINT_COLUMNS), ENDPOINTS, stdout=out,
        stderr=io.StringIO(), stdout_is_terminal=False,
    )  # fmt: skip
    assert out.getvalue().splitlines()[0].split() == [c.path for c in ENDPOINT_COLUMNS]


def test_timestamps_shown_to_the_minute_in_tables_only() -> None:
    lines, _ = table(200)
    assert "2026-11-26 21:53Z" in lines[2]
    out = io.StringIO()
    write_rows(OutputOptions(format="csv"), ENDPOINTS[:1], stdout=out, stderr=io.StringIO())
    assert "2026-11-26T21:53:02.639Z" in out.getvalue()


# ------------------------------------------------------------------ the record view

RECORD: dict[str, Any] = {
    "id": "e1",
    "hostname": "SRV-SQL-01",
    "health": {"overall": "bad", "threats": {"status": "good"}},
    "ipv4Addresses": ["10.0.0.1", "10.0.0.2"],
    "assignedProducts": [{"code": "endpointProtection", "status": "installed"}],
    "group": None,
    "note": "line\x1b[2Jbreak",
}


def show(record: dict[str, Any], **options: Any) -> str:
    out = io.StringIO()
    write_record(OutputOptions(**options), record, stdout=out, stdout_is_terminal=True, color=False)
    return out.getvalue()


def test_record_is_a_vertical_view_on_a_terminal() -> None:
    assert show(RECORD).splitlines() == [
        "id             e1",
        "hostname       SRV-SQL-01",
        "health",
        "  overall      bad",
        "  threats",
        "    status     good",
        "ipv4Addresses  10.0.0.1, 10.0.0.2",
        "assignedProducts",
        "  - code: endpointProtection, status: installed",
        "group",
        "note           line\\x1b[2Jbreak",
    ]


def test_record_lines_nest_and_join() -> None:
    assert record_lines({"a": {"b": [1, 2]}, "c": []}) == [
        (0, "a", None),
        (1, "b", "1, 2"),
        (0, "c", ""),
    ]


@pytest.mark.parametrize("fields", [None, ("id", "health.overall")])
def test_record_json_is_one_object_never_a_list(fields: tuple[str, ...] | None) -> None:
    parsed = json.loads(show(RECORD, format="json", fields=fields))
    assert isinstance(parsed, dict)
    if fields:
        assert parsed == {"id": "e1", "health": {"overall": "bad"}}


def test_record_as_csv_is_a_header_and_one_row() -> None:
    text = show({"id": "e1", "health": {"overall": "bad"}}, format="csv")
    assert text == "id,health.overall\ne1,bad\n"


def test_record_as_table_off_a_terminal_is_the_same_view() -> None:
    out = io.StringIO()
    write_record(OutputOptions(format="table"), {"id": "e1"}, stdout=out, stdout_is_terminal=False)
    assert out.getvalue() == "id  e1\n"


# ------------------------------------------------------------------ the schema


def test_schema_walks_nested_models_lists_and_views() -> None:
    from pysophoscentralapi.models.endpoints import Endpoint

    schema = Schema.of(Endpoint, views={"serialNumber": ("full",)})
    assert schema.problem("associatedPerson.name", view="summary") is None
    assert schema.problem("assignedProducts.code", view=None) is None
    assert schema.problem("ipv4Addresses.0", view=None) is None
    assert "--view full" in (schema.problem("serialNumber", view="summary") or "")
    assert "health.overall" in (schema.problem("health.overal", view=None) or "")
    assert "assignedProducts" in schema.leaves
    assert "assignedProducts.code" not in schema.leaves


def test_whole_columns_are_shown_whole_or_hidden() -> None:
    columns = (
        Column("id", key=True),
        Column("text", priority=9),
        Column("agent", priority=3, whole=True),
    )
    fitted = fit_columns([36, 60, 36], columns, 120)
    assert fitted.hidden == (2,)  # 36 + 60 + 4 leaves 20: enough to cut it, but never cut
    assert fit_columns([36, 60, 36], columns, 140).widths == (36, 60, 36)


def test_the_cli_knows_the_views_the_emulator_serves() -> None:
    from pysophoscentralapi.cli.commands.endpoint_commands import (
        BASIC_VIEW_FIELDS,
        FULL_VIEW_FIELDS,
    )
    from pysophoscentralapi.emulator._endpoint_api import BASIC_FIELDS, FULL_ONLY_FIELDS

    assert set(FULL_VIEW_FIELDS) == FULL_ONLY_FIELDS
    assert tuple(BASIC_VIEW_FIELDS) == tuple(BASIC_FIELDS)


def test_record_to_a_file_and_as_json_lines(tmp_path: Any) -> None:
    target = tmp_path / "one.json"
    write_record(OutputOptions(output_file=target), RECORD, stdout=io.StringIO())
    assert json.loads(target.read_text())["hostname"] == "SRV-SQL-01"
    assert show({"id": "e1"}, format="jsonl") == '{"id":"e1"}\n'
