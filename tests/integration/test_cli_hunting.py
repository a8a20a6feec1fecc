"""``pysophos xdr``, ``live-discover``, ``detections`` and ``cases`` against the emulator over real
HTTP, through the real entry point."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli
from tests.integration.conftest import ok_json

Emulator = Any


@pytest.fixture(scope="module")
def quick() -> Iterator[Emulator]:
    """Runs finish at once (no waiting in the CLI)."""
    from pysophoscentralapi.emulator import EmulatorConfig, run_emulator

    with run_emulator(EmulatorConfig(endpoints=40, tenants=3, query_run_seconds=0)) as emulator:
        yield emulator


@pytest.fixture
def run(quick: Emulator, isolated_env: dict[str, str]) -> Cli:
    return Cli(env={**isolated_env, **quick.env("tenant")})


def jsonl(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_query_prints_rows_with_the_results_columns(run: Cli) -> None:
    sql = "SELECT meta_hostname, name, cmdline FROM xdr_data WHERE name = 'powershell.exe'"
    result = run("xdr", "query", sql, "--since", "7d", "-o", "csv")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("meta_hostname,name,cmdline")
    assert len(lines) > 1
    assert all(",powershell.exe," in line for line in lines[1:])


def test_query_from_a_file_with_endpoint_filter(run: Cli, quick: Emulator, tmp_path: Path) -> None:
    endpoint = next(e for _, e in quick.state.tenants[0].endpoints.rows())
    hunt = tmp_path / "hunt.sql"
    hunt.write_text("SELECT DISTINCT meta_hostname FROM xdr_data", encoding="utf-8")
    result = run(
        "xdr", "query", f"@{hunt}", "--since", "7d", "--endpoint", endpoint["id"], "-o", "jsonl"
    )
    assert result.exit_code == 0, result.stderr
    assert jsonl(result.stdout) == [{"meta_hostname": endpoint["hostname"]}]


def test_failed_sql_is_a_clear_error_with_exit_4(run: Cli) -> None:
    result = run("xdr", "query", "SELECT nope FROM xdr_data")
    assert result.exit_code == 4
    assert "failed: no such column: nope" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_sql_and_saved_together_is_a_usage_error(run: Cli) -> None:
    result = run("xdr", "query", "SELECT 1", "--saved", "Logons per device")
    assert result.exit_code == 2
    assert "not both" in result.stderr


def test_saved_query_by_name_and_the_library(run: Cli) -> None:
    listed = run("xdr", "queries", "list", "-o", "json")
    assert "Logons per device" in {q["name"] for q in json.loads(listed.stdout)}
    shown = run("xdr", "queries", "get", "logons PER device", "-o", "json")
    assert "logged_in_users" in json.loads(shown.stdout)["template"]
    query_id = json.loads(shown.stdout)["id"]
    by_id = run("xdr", "queries", "get", query_id, "-o", "json")
    assert json.loads(by_id.stdout)["id"] == query_id
    unknown = run("xdr", "queries", "get", "Logons per devic")
    assert unknown.exit_code == 2
    assert "did you mean: 'Logons per device'" in unknown.stderr
    rows = jsonl(
        run("xdr", "query", "--saved", "Logons per device", "--since", "7d", "-o", "jsonl").stdout
    )
    assert rows
    assert set(rows[0]) == {"meta_hostname", "username", "logons"}
    categories = json.loads(run("xdr", "categories", "-o", "json").stdout)
    assert {"Threat hunting", "Network"} <= {c["name"] for c in categories}
    unknown = run("xdr", "query", "--saved", "No such query")
    assert unknown.exit_code == 4
    assert "no saved XDR query is named 'No such query'" in unknown.stderr


def test_no_wait_prints_the_started_run_and_runs_results_reads_it(run: Cli) -> None:
    started = run("xdr", "query", "--no-wait", "SELECT 1 AS one", "-o", "json")
    assert started.exit_code == 0, started.stderr
    run_id = json.loads(started.stdout)["id"]
    listed = json.loads(run("xdr", "runs", "list", "-o", "json").stdout)
    assert run_id in {r["id"] for r in listed}
    shown = json.loads(run("xdr", "runs", "get", run_id, "-o", "json").stdout)
    assert (shown["status"], shown["result"]) == ("finished", "succeeded")
    assert jsonl(run("xdr", "runs", "results", run_id, "-o", "jsonl").stdout) == [{"one": 1}]


def test_all_tenants_hunt_tags_rows_and_reports_the_failing_tenant(
    quick: Emulator, isolated_env: dict[str, str]
) -> None:
    partner = Cli(env={**isolated_env, **quick.env("partner")})
    result = partner(
        "--all-tenants",
        "xdr",
        "query",
        "--saved",
        "Logons per device",
        "--since",
        "7d",
        "-o",
        "jsonl",
    )
    assert result.exit_code == 6, result.stderr
    rows = jsonl(result.stdout)
    good, refused = quick.state.tenants[0], quick.state.tenants[1]
    assert rows
    assert {r["tenant_id"] for r in rows} == {good.id}
    assert all(r["tenant_name"] == good.name and "logons" in r for r in rows)
    assert f"tenant failed: {refused.name} ({refused.id})" in result.stderr
    assert "of 3 tenants failed" in result.stderr


def test_live_discover_query_rows_name_their_endpoint(run: Cli, quick: Emulator) -> None:
    hosts = {e["id"]: e["hostname"] for _, e in quick.state.tenants[0].endpoints.rows()}
    result = run("live-discover", "query", "--saved", "Listening ports", "-o", "jsonl")
    assert result.exit_code == 0, result.stderr
    rows = jsonl(result.stdout)
    assert rows
    assert all(hosts[r["endpointId"]] == r["hostname"] for r in rows)
    one = run(
        "live-discover",
        "query",
        "SELECT name FROM processes WHERE name = '$$n$$'",
        "--var",
        "n=sshd",
        "-o",
        "jsonl",
    )
    assert {r["name"] for r in jsonl(one.stdout)} == {"sshd"}


def test_detections_list_groups_and_counts(run: Cli) -> None:
    listed = jsonl(
        run("detections", "list", "--since", "30d", "--severity", "7-10", "-o", "jsonl").stdout
    )
    assert listed
    assert all(7 <= d["severity"] <= 10 for d in listed)
    groups = jsonl(run("detections", "groups", "--since", "30d", "-o", "jsonl").stdout)
    counts = jsonl(run("detections", "counts", "--since", "30d", "-o", "jsonl").stdout)
    assert sum(g["count"] for g in groups) == sum(c["totalCount"] for c in counts) >= len(listed)


def test_cases_create_update_delete(run: Cli) -> None:
    created = run(
        "cases", "create", "--name", "Encoded PowerShell", "--type", "hunt", "--severity", "high",
        "--assignee", "analyst@example.com", "--yes", "-o", "json",
    )  # fmt: skip
    case = ok_json(created)
    assert (case["status"], case["assignee"]["name"]) == ("new", "analyst@example.com")
    updated = run(
        "cases", "update", "encoded powershell", "--status", "investigating", "--yes", "-o", "json"
    )  # by name
    assert json.loads(updated.stdout)["status"] == "investigating"
    by_name = json.loads(run("cases", "get", "Encoded PowerShell", "-o", "json").stdout)
    assert by_name["id"] == case["id"]
    unknown = run("cases", "get", "Encoded PowerShel")
    assert unknown.exit_code == 2
    assert "did you mean: 'Encoded PowerShell'" in unknown.stderr
    listed = json.loads(run("cases", "list", "--status", "investigating", "-o", "json").stdout)
    assert case["id"] in {c["id"] for c in listed}
    refused = run("cases", "delete", case["id"])
    assert refused.exit_code == 2  # no terminal, no --yes
    deleted = run("cases", "delete", "Encoded PowerShell", "--yes", "-o", "json")
    assert deleted.exit_code == 0, deleted.stderr
    assert [(r["id"], r["name"], r["status"]) for r in json.loads(deleted.stdout)] == [
        (case["id"], "Encoded PowerShell", "ok")
    ]
    gone = run("cases", "get", case["id"])
    assert gone.exit_code == 4
    again = run("cases", "delete", case["id"], "--yes", "-o", "json")
    assert (again.exit_code, json.loads(again.stdout)[0]["status"]) == (4, "not-found")
    assert run("cases", "delete", "not a case", "--yes").exit_code == 2  # no case is named so


def test_case_detections_entities_and_mitre(run: Cli) -> None:
    case = json.loads(run("cases", "list", "--status", "resolved", "-o", "json").stdout)[0]
    detections = jsonl(run("cases", "detections", case["id"], "-o", "jsonl").stdout)
    assert detections
    assert detections[0]["id"] == case["initialDetection"]["id"]
    entities = jsonl(run("cases", "entities", case["id"], "--type", "device", "-o", "jsonl").stdout)
    assert {e["name"] for e in entities} == {d["device"]["entity"] for d in detections}
    mitre = jsonl(run("cases", "mitre", case["id"], "-o", "jsonl").stdout)
    assert mitre
    assert mitre[0]["tactic"].startswith("TA")


@pytest.fixture
def slow(
    make_emulator: Callable[..., Emulator], isolated_env: dict[str, str]
) -> tuple[Emulator, Cli]:
    emu = make_emulator(endpoints=10, tenants=1, query_run_seconds=60)
    return emu, Cli(env={**isolated_env, **emu.env("tenant")})


def test_a_timeout_reports_the_run_id_to_fetch_later(slow: tuple[Emulator, Cli]) -> None:
    emu, cli = slow
    result = cli(
        "xdr",
        "query",
        "SELECT DISTINCT meta_hostname FROM xdr_data",
        "--since",
        "7d",
        "--timeout",
        "0.3",
    )
    assert result.exit_code == 5
    run_id = next(
        r.path.rsplit("/", 1)[1] for r in emu.state.requests if r.path.count("/runs/") == 1
    )
    assert f"pysophos xdr runs results {run_id}" in result.stderr
    early = cli("xdr", "runs", "results", run_id)
    assert early.exit_code == 2
    assert "still" in early.stderr
    emu.state.clock = lambda: time.time() + 120
    later = cli("xdr", "runs", "results", run_id, "-o", "jsonl")
    assert later.exit_code == 0, later.stderr
    assert len(jsonl(later.stdout)) == 10


def test_cancel_a_running_query(slow: tuple[Emulator, Cli]) -> None:
    _, cli = slow
    run_id = json.loads(cli("xdr", "query", "--no-wait", "SELECT 1 AS one", "-o", "json").stdout)[
        "id"
    ]
    assert cli("xdr", "runs", "cancel", run_id, "--dry-run").exit_code == 0
    unknown = "00000000-0000-4000-8000-000000000000"
    canceled = cli("xdr", "runs", "cancel", run_id, unknown, "--yes", "-o", "json")
    rows = {row["id"]: row for row in json.loads(canceled.stdout)}
    assert (rows[run_id]["status"], rows[run_id]["canceled"]) == ("ok", True)
    assert rows[unknown]["status"] == "not-found"
    assert canceled.exit_code == 4
    assert "canceled 1 of 2; 1 not found" in canceled.stderr
    shown = json.loads(cli("xdr", "runs", "get", run_id, "--no-wait", "-o", "json").stdout)
    assert shown["result"] == "canceled"


def test_enrichments_create_update_delete(run: Cli) -> None:
    url = "https://vt.example/gui/file/$$sha256$$"
    created = run(
        "live-discover", "enrichments", "create", "--name", "VT", "--type", "sha256",
        "--url", url, "--yes", "-o", "json",
    )  # fmt: skip
    enrichment = ok_json(created)
    assert (enrichment["sourceType"], enrichment["url"]) == ("custom", url)
    updated = run(
        "live-discover",
        "enrichments",
        "update",
        enrichment["id"],
        "--name",
        "VirusTotal",
        "--yes",
        "-o",
        "json",
    )
    assert json.loads(updated.stdout)["name"] == "VirusTotal"
    listed = json.loads(run("live-discover", "enrichments", "list", "-o", "json").stdout)
    assert "VirusTotal" in {e["name"] for e in listed}
    canned = next(e for e in listed if e["sourceType"] == "canned")
    unknown = "00000000-0000-4000-8000-000000000000"
    deleted = run(
        "live-discover", "enrichments", "delete", "virustotal", canned["id"], unknown,
        "--yes", "-o", "json",
    )  # fmt: skip
    statuses = {row["id"]: (row["status"], row["name"]) for row in json.loads(deleted.stdout)}
    assert statuses == {
        enrichment["id"]: ("ok", "VirusTotal"),
        canned["id"]: ("refused", canned["name"]),
        unknown: ("not-found", None),
    }
    assert deleted.exit_code == 4
    assert "Canned enrichments cannot be deleted" in deleted.stderr
    assert "deleted 1 of 3; 1 not found, 1 refused" in deleted.stderr
    gone = run("live-discover", "enrichments", "delete", "VirusTotal", "--yes")
    assert gone.exit_code == 2
    assert "no enrichment is named 'VirusTotal'" in gone.stderr


def test_live_discover_run_endpoints(run: Cli) -> None:
    started = run(
        "live-discover",
        "query",
        "--no-wait",
        "SELECT name FROM processes WHERE name = 'sshd'",
        "-o",
        "json",
    )
    run_id = json.loads(started.stdout)["id"]
    with_data = jsonl(
        run(
            "live-discover",
            "runs",
            "endpoints",
            run_id,
            "--match",
            "finished:succeeded:withData",
            "-o",
            "jsonl",
        ).stdout
    )
    rows = jsonl(run("live-discover", "runs", "results", run_id, "-o", "jsonl").stdout)
    assert with_data
    assert {e["id"] for e in with_data} == {r["endpointId"] for r in rows}


def test_detections_runs_get_and_results(run: Cli) -> None:
    for extra, column in (([], "detectionRule"), (["--groups"], "count")):
        command = "groups" if extra else "list"
        started = run("detections", command, "--since", "30d", "--no-wait", "-o", "json")
        run_id = json.loads(started.stdout)["id"]
        shown = json.loads(run("detections", "runs", "get", run_id, *extra, "-o", "json").stdout)
        assert (shown["status"], shown["result"]) == ("finished", "succeeded")
        rows = jsonl(run("detections", "runs", "results", run_id, *extra, "-o", "jsonl").stdout)
        assert len(rows) >= 1
        assert all(column in r for r in rows)
    assert run("detections", "list", "--severity", "eleven").exit_code == 2


def test_one_case_detection(run: Cli) -> None:
    case = json.loads(run("cases", "list", "--managed-by", "sophos", "-o", "json").stdout)[0]
    first = jsonl(run("cases", "detections", case["id"], "-o", "jsonl").stdout)[0]
    shown = run("cases", "detections", case["id"], first["id"], "-o", "json")
    assert json.loads(shown.stdout)["device"]["entity"] == first["device"]["entity"]
    limited = run("cases", "detections", case["id"], first["id"], "--limit", "1")
    assert limited.exit_code == 2
    assert "--limit: only for the listing" in limited.stderr
    refused = run("cases", "delete", case["id"], "--yes", "-o", "json")
    assert refused.exit_code == 4
    assert json.loads(refused.stdout)[0]["status"] == "refused"
    assert "Only self-managed cases can be deleted" in refused.stderr
