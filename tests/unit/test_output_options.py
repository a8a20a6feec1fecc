"""The ``@output_options`` click decorator, driven through a tiny command with CliRunner."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from pysophoscentralapi.cli._output import OutputOptions, SortSpec, output_options, write_rows

ROWS: list[dict[str, Any]] = [
    {"id": "1", "hostname": "b", "health": {"overall": "good"}},
    {"id": "2", "hostname": "a", "health": {"overall": "bad"}},
]
seen: list[OutputOptions] = []


@click.command()
@click.option("--health-status", default=None)
@output_options(columns=["id", "hostname", "health.overall"], sortable_by_api=["hostname"])
def tiny(health_status: str | None, output: OutputOptions, **rest: Any) -> None:
    """A data command that only produces rows."""
    assert rest == {}  # the individual options are removed from kwargs
    seen.append(output)
    rows = [row for row in ROWS if health_status in (None, row["health"]["overall"])]
    write_rows(output, rows, sorted_by_api=output.api_sort is not None)


def invoke(*args: str) -> Any:
    seen.clear()
    return CliRunner().invoke(tiny, list(args))


def test_defaults() -> None:
    result = invoke()
    assert result.exit_code == 0, result.output
    assert seen == [
        OutputOptions(
            columns=("id", "hostname", "health.overall"), sortable_by_api=frozenset({"hostname"})
        )
    ]
    assert json.loads(result.stdout) == ROWS  # not a terminal: json


def test_every_option_is_parsed(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    result = invoke(
        "-o", "CSV", "--fields", "id, health.overall,id", "--output-file", str(target),
        "--limit", "1", "--no-headers", "--sort", "hostname:desc", "--health-status", "good",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    output = seen[0]
    assert output.format == "csv"
    assert output.fields == ("id", "health.overall")
    assert output.output_file == target
    assert output.limit == 1
    assert output.no_headers
    assert output.sort == SortSpec("hostname", descending=True)
    assert output.api_sort == "hostname:desc"
    assert output.count_by is None
    assert target.read_text() == "1,good\n"
    assert result.stdout == ""


def test_output_file_dash_means_stdout() -> None:
    result = invoke("--output-file", "-", "-o", "jsonl", "--fields", "id")
    assert result.exit_code == 0
    assert seen[0].output_file is None
    assert result.stdout == '{"id":"1"}\n{"id":"2"}\n'


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "xml"], "table, json, jsonl, csv"),
        (["--sort", "hostname:up"], "'asc' or 'desc'"),
        (["--sort", ""], "sort field"),
        (["--limit", "0"], "--limit"),
        (["--fields", " , "], "at least one field"),
        (["--fields", "a b"], "not a valid field"),
        (["--count-by", "x", "--fields", "id"], "--count-by"),
        (["--count-by", "x", "--sort", "id"], "'count'"),
        (["--output-file", "/nonexistent-dir/x.csv"], "does not exist"),
        (["--fields", "id,helth"], "Available top-level fields: id, hostname, health"),
        (["--count-by", "helth"], "helth"),
    ],
)
def test_usage_errors_exit_2(args: list[str], message: str) -> None:
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert result.stdout == ""


def test_output_file_that_is_a_directory(tmp_path: Path) -> None:
    result = invoke("--output-file", str(tmp_path))
    assert result.exit_code == 2
    assert "is a directory" in result.stderr


def test_help_documents_memory_and_formats() -> None:
    result = invoke("--help")
    text = " ".join(result.stdout.split())
    assert "[table|json|jsonl|csv]" in text
    assert "Sorting locally holds all rows in memory unless the API can sort by that field" in text
    assert "(here: hostname)" in text
    for option in ("--fields", "--output-file", "--limit", "--no-headers", "--count-by"):
        assert option in text


def test_sort_and_count_by_through_the_command() -> None:
    by_api = invoke("-o", "jsonl", "--sort", "hostname", "--fields", "hostname")
    assert by_api.stdout == '{"hostname":"b"}\n{"hostname":"a"}\n'  # the API's order is trusted
    local = invoke("-o", "jsonl", "--sort", "health.overall", "--fields", "id")
    assert local.stdout == '{"id":"2"}\n{"id":"1"}\n'
    counted = invoke("-o", "csv", "--count-by", "health.overall", "--sort", "health.overall")
    # (Result.stdout normalises CRLF to LF)
    assert counted.stdout == "health.overall,count\nbad,1\ngood,1\n"


def test_no_sortable_fields_help() -> None:
    @click.command()
    @output_options(columns=["id"])
    def plain(output: OutputOptions) -> None:
        write_rows(output, [])

    result = CliRunner().invoke(plain, ["--help"])
    assert "here it cannot" in " ".join(result.stdout.split())
    assert CliRunner().invoke(plain, ["-o", "json"]).stdout == "[]\n"
