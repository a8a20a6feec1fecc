"""Multi-target commands against the emulator over HTTP: one result row per target, every batch
attempted, streamed rows, the summary on stderr and the exit code of the worst outcome."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import Cli


@pytest.fixture
def emu(make_emulator: Callable[..., Any]) -> Any:
    return make_emulator(endpoints=30)


@pytest.fixture
def cli(isolated_env: dict[str, str], emu: Any) -> Cli:
    return Cli(env={**isolated_env, **emu.env("tenant")})


def listed(cli: Cli, *args: str) -> list[dict[str, Any]]:
    result = cli("endpoint", "list", *args, "-o", "json")
    assert result.exit_code == 0, result.stderr
    return list(json.loads(result.stdout))


def jsonl(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize("real_first", [True, False], ids=["real-first", "unknown-first"])
def test_isolating_1003_ids_of_which_1000_unknown_isolates_every_real_one(
    cli: Cli, emu: Any, real_first: bool
) -> None:
    real = [row["id"] for row in listed(cli, "--isolation-status", "notIsolated", "--limit", "3")]
    unknown = [str(uuid.uuid4()) for _ in range(1000)]
    ids = real + unknown if real_first else unknown + real
    result = cli("endpoint", "isolate", "-", "--yes", "-o", "jsonl", input="\n".join(ids))
    assert result.exit_code == 4, result.stderr
    rows = jsonl(result.stdout)
    assert len(rows) == 1003
    assert sorted(row["id"] for row in rows) == sorted(ids)
    by_status: dict[str, set[str]] = {}
    for row in rows:
        by_status.setdefault(row["status"], set()).add(row["id"])
    assert by_status == {"ok": set(real), "not-found": set(unknown)}
    assert "isolated 3 of 1003; 1000 not found" in result.stderr
    isolated = {row["id"] for row in listed(cli, "--isolation-status", "isolated")}
    assert set(real) <= isolated


def test_isolate_with_an_unknown_id_exits_4_like_the_other_actions(cli: Cli) -> None:
    real = listed(cli, "--limit", "1")[0]
    missing = str(uuid.uuid4())
    result = cli("endpoint", "isolate", missing, real["id"], "--yes", "-o", "json")
    assert result.exit_code == 4
    rows = {row["id"]: row for row in json.loads(result.stdout)}
    assert rows[real["id"]]["status"] == "ok"
    assert rows[real["id"]]["name"] == real["hostname"]
    assert rows[missing]["status"] == "not-found"


def test_a_500_on_the_10th_scan_leaves_only_that_one_unknown(cli: Cli, emu: Any) -> None:
    ids = [row["id"] for row in listed(cli, "--limit", "11")]
    emu.reset()
    emu.state.faults.schedule("500", method="POST", path="/scans", skip=9)
    result = cli("endpoint", "scan", *ids, "--yes", "-o", "jsonl")
    assert result.exit_code == 5, result.stderr
    rows = jsonl(result.stdout)
    assert [row["id"] for row in rows] == ids
    # a 5xx answer to a change does not say whether it was made
    assert [row["status"] for row in rows] == ["ok"] * 9 + ["unknown", "ok"]
    assert rows[9]["error"]
    assert all(row["scanId"] for row in rows if row["status"] == "ok")
    assert emu.state.request_count("POST", "/scans") == 11  # every id was attempted
    assert "scan started on 10 of 11; 1 unknown (may have been applied)" in result.stderr
    assert "read the resource back" in result.stderr


def test_a_429_after_the_retries_is_failed(cli: Cli, emu: Any) -> None:
    ids = [row["id"] for row in listed(cli, "--limit", "2")]
    emu.state.faults.schedule("429", method="POST", path="/scans", times=10)
    result = cli("endpoint", "scan", *ids, "--yes", "-o", "json", env={"SOPHOS_MAX_RETRIES": "0"})
    assert result.exit_code == 5, result.stderr
    assert [row["status"] for row in json.loads(result.stdout)] == ["failed", "failed"]
    assert "scan started on 0 of 2; 2 failed" in result.stderr


def test_outcome_lost_in_flight_is_unknown(cli: Cli, emu: Any) -> None:
    ids = [row["id"] for row in listed(cli, "--limit", "2")]
    emu.state.faults.schedule("drop", method="POST", path="/scans", after_apply=True)
    result = cli("endpoint", "scan", *ids, "--yes", "-o", "csv")
    assert result.exit_code == 5, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("id,name,status,error,request_id")
    assert lines[1].startswith(f"{ids[0]},")
    assert ",unknown," in lines[1]
    assert ",ok," in lines[2]
    assert "1 unknown (may have been applied)" in result.stderr


def test_delete_and_tamper_update_print_the_same_rows(cli: Cli) -> None:
    found = listed(cli, "--tamper-protection", "--limit", "2")
    missing = str(uuid.uuid4())
    tamper = cli(
        "endpoint", "tamper", "update", found[0]["id"], missing, "--disable", "--yes", "-o", "json"
    )
    assert tamper.exit_code == 4
    rows = json.loads(tamper.stdout)
    assert [(r["id"], r["status"]) for r in rows] == [
        (found[0]["id"], "ok"),
        (missing, "not-found"),
    ]
    assert rows[0]["enabled"] is False
    deleted = cli("endpoint", "delete", found[1]["id"], missing, "--yes", "-o", "json")
    assert deleted.exit_code == 4
    rows = json.loads(deleted.stdout)
    assert [sorted(row) for row in rows] == [["error", "id", "name", "request_id", "status"]] * 2
    assert [r["status"] for r in rows] == ["ok", "not-found"]
    assert "deleted 1 of 2; 1 not found" in deleted.stderr


def test_a_delete_answered_deleted_false_is_not_reported_ok(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pysophoscentralapi.emulator import _endpoint_api

    shaped = _endpoint_api._shaped

    def says_not_deleted(request: Any, answer: dict[str, Any]) -> dict[str, Any]:
        return {"deleted": "False"} if "deleted" in answer else shaped(request, answer)

    monkeypatch.setattr(_endpoint_api, "_shaped", says_not_deleted)
    target = listed(cli, "--limit", "1")[0]["id"]
    result = cli("endpoint", "delete", target, "--yes", "-o", "json")
    assert result.exit_code == 4, result.stderr
    [row] = json.loads(result.stdout)
    assert (row["id"], row["status"]) == (target, "not-found")
    assert "deleted: false" in row["error"]


def test_result_rows_go_to_the_output_file_as_they_come(cli: Cli, tmp_path: Any) -> None:
    ids = [row["id"] for row in listed(cli, "--limit", "2")]
    target = tmp_path / "scans.jsonl"
    result = cli("endpoint", "scan", *ids, "--yes", "--output-file", str(target))
    assert result.exit_code == 0, result.stderr
    assert [row["id"] for row in jsonl(target.read_text())] == ids
    assert "scan started on 2 of 2" in result.stderr


def test_dry_run_prints_requests_and_no_rows(cli: Cli, emu: Any) -> None:
    ids = [row["id"] for row in listed(cli, "--limit", "2")]
    result = cli("endpoint", "isolate", *ids, "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("DRY RUN: POST") == 1
    assert emu.state.request_count("POST", "/isolation") == 0


@pytest.mark.parametrize(
    ("command", "done"),
    [
        (("admins", "delete"), "removed"),
        (("roles", "delete"), "deleted"),
        # (users delete is absent: the API answers 200 for an unknown user, and so rows say ok)
        (("users", "groups", "delete"), "deleted"),
    ],
)
def test_directory_deletes_give_a_row_per_id(cli: Cli, command: tuple[str, ...], done: str) -> None:
    missing = [str(uuid.uuid4()), str(uuid.uuid4())]
    result = cli(*command, *missing, "--yes", "-o", "json")
    assert result.exit_code == 4, result.stderr
    rows = json.loads(result.stdout)
    assert [(r["id"], r["status"]) for r in rows] == [(i, "not-found") for i in missing]
    assert f"{done} 0 of 2; 2 not found" in result.stderr


def test_empty_id_input_is_a_usage_error_everywhere(cli: Cli) -> None:
    for args in (
        ("endpoint", "scan", "-", "--yes"),
        ("endpoint", "isolate", "-", "--yes"),
        ("endpoint", "list", "--id", "-"),
        ("alerts", "list", "--id", "-"),
        ("alerts", "action", "-", "acknowledge", "--yes"),
        ("admins", "delete", "-", "--yes"),
        ("users", "delete", "-", "--yes"),
    ):
        result = cli(*args, input="")
        assert result.exit_code == 2, (args, result.stderr)
        assert "no " in result.stderr, args
        assert "given" in result.stderr, args
