"""``--all-tenants`` runs an MSP can trust, against the emulator over HTTP: complete tenants only
in the output, tenants not yet activated skipped (not failed), a JSON summary, the same bytes on
every run, ``--limit`` per tenant, and unknown tenant names refused with the closest ones."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli


def _cli(isolated_env: dict[str, str], emulator: Any, **env: str) -> Cli:
    return Cli(env={**isolated_env, **emulator.env("partner"), **env})


def _jsonl(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _endpoint_ids(emulator: Any, tenant_id: str) -> list[str]:
    tenant = emulator.state.tenant(tenant_id)
    return [row["id"] for _, row in tenant.endpoints.rows()]


def test_a_tenant_failing_mid_listing_leaves_nothing_in_the_file(
    make_emulator: Any, isolated_env: dict[str, str], tmp_path: Path
) -> None:
    # 4 tenants: two reachable (600 endpoints each: two pages), one refusing (403), one inactive.
    emulator = make_emulator(tenants=4, endpoints=600, endpoints_per_tenant=600)
    emulator.state.faults.schedule(
        "500", method="GET", path="/endpoint/v1/endpoints", query="pageFromKey"
    )
    run = _cli(isolated_env, emulator, SOPHOS_MAX_RETRIES="0")
    target, summary_file = tmp_path / "all.jsonl", tmp_path / "summary.json"
    result = run(
        "--all-tenants", "--summary", str(summary_file),
        "endpoint", "list", "--output-file", str(target),
    )  # fmt: skip
    assert result.exit_code == 6, result.stderr
    summary = json.loads(summary_file.read_text())
    by_status: dict[str, list[dict[str, Any]]] = {}
    for entry in summary["tenants"]:
        by_status.setdefault(entry["status"], []).append(entry)
    assert {status: len(entries) for status, entries in by_status.items()} == {
        "ok": 1,
        "failed": 2,
        "skipped": 1,
    }
    [complete] = by_status["ok"]
    rows = _jsonl(target.read_text())
    assert {row["tenant_id"] for row in rows} == {complete["id"]}
    assert [row["id"] for row in rows] == _endpoint_ids(emulator, complete["id"])
    assert complete["rows"] == 600
    assert summary["rows"] == 600
    assert all(entry["rows"] == 0 and entry["error"] for entry in by_status["failed"])
    assert "apiHost" in by_status["skipped"][0]["error"]
    assert [e["id"] for e in summary["tenants"]] == [t.id for t in emulator.state.tenants]
    assert "2 of 4 tenants failed" in result.stderr
    assert "tenant skipped:" in result.stderr


def test_only_a_tenant_without_api_host_besides_good_ones_exits_0(
    make_emulator: Any, isolated_env: dict[str, str], tmp_path: Path
) -> None:
    emulator = make_emulator(tenants=2, endpoints=5)
    summary_file = tmp_path / "summary.json"
    result = _cli(isolated_env, emulator)(
        "--all-tenants", "--summary", str(summary_file), "endpoint", "list", "-o", "jsonl"
    )
    assert result.exit_code == 0, result.stderr
    assert len(_jsonl(result.stdout)) == 5
    assert "not activated" in result.stderr
    statuses = [entry["status"] for entry in json.loads(summary_file.read_text())["tenants"]]
    assert statuses == ["ok", "skipped"]


def test_two_runs_give_the_same_bytes(make_emulator: Any, isolated_env: dict[str, str]) -> None:
    emulator = make_emulator(tenants=6, endpoints=40, endpoints_per_tenant=40, latency_ms=2)
    run = _cli(isolated_env, emulator)
    for fmt in ("jsonl", "csv"):
        first = run("--all-tenants", "endpoint", "list", "-o", fmt)
        second = run("--all-tenants", "endpoint", "list", "-o", fmt)
        assert first.exit_code == second.exit_code == 6  # the tenant refusing partner access
        assert first.stdout == second.stdout
        assert len(first.stdout.splitlines()) >= 4 * 40


def test_limit_is_per_tenant_and_never_fails_a_tenant(
    make_emulator: Any, isolated_env: dict[str, str]
) -> None:
    emulator = make_emulator(tenants=4, endpoints=30, endpoints_per_tenant=30)
    run = _cli(isolated_env, emulator)
    result = run("--all-tenants", "endpoint", "list", "--limit", "2", "-o", "jsonl")
    assert result.exit_code == 6  # only the tenant that refuses partner access
    assert result.stderr.count("tenant failed:") == 1
    rows = _jsonl(result.stdout)
    per_tenant: dict[str, list[str]] = {}
    for row in rows:
        per_tenant.setdefault(row["tenant_id"], []).append(row["id"])
    assert len(per_tenant) == 2
    for tenant_id, ids in per_tenant.items():
        assert ids == _endpoint_ids(emulator, tenant_id)[:2]


@pytest.mark.parametrize(
    "args",
    [
        ("--all-tenants", "--exclude-tenant", "{typo}", "endpoint", "list"),
        ("--tenant", "{typo}", "endpoint", "list"),
    ],
)
def test_an_unknown_tenant_name_is_a_usage_error_with_close_names(
    make_emulator: Any, isolated_env: dict[str, str], args: tuple[str, ...]
) -> None:
    emulator = make_emulator(tenants=3)
    name = emulator.state.tenants[0].name
    typo = name[:-1] + ("x" if name[-1] != "x" else "y")
    result = _cli(isolated_env, emulator)(*(a.replace("{typo}", typo) for a in args))
    assert result.exit_code == 2, result.stderr
    assert typo in result.stderr
    assert name in result.stderr  # the closest name


def test_summary_needs_all_tenants(cli_run: Cli, tmp_path: Path) -> None:
    result = cli_run("--summary", str(tmp_path / "s.json"), "endpoint", "list")
    assert result.exit_code == 2
    assert "--all-tenants" in result.stderr


def test_an_action_over_tenants_gives_a_row_per_target_including_a_refusing_tenant(
    make_emulator: Any, isolated_env: dict[str, str]
) -> None:
    emulator = make_emulator(tenants=4, endpoints=3, endpoints_per_tenant=3)
    good, refusing = emulator.state.tenants[0], emulator.state.tenants[2]
    targets = [
        {"tenant_id": tenant.id, "id": endpoint_id}
        for tenant in (good, refusing)
        for endpoint_id in _endpoint_ids(emulator, tenant.id)
    ]
    lines = "\n".join(json.dumps(row) for row in targets)
    run = _cli(isolated_env, emulator)
    result = run("--all-tenants", "endpoint", "scan", "-", "--yes", "-o", "jsonl", input=lines)
    assert result.exit_code == 4, result.stderr  # refused (403), not unavailable
    rows = _jsonl(result.stdout)
    assert sorted((r["tenant_id"], r["id"]) for r in rows) == sorted(
        (t["tenant_id"], t["id"]) for t in targets
    )
    status = {r["id"]: r["status"] for r in rows}
    assert {status[i] for i in _endpoint_ids(emulator, good.id)} == {"ok"}
    assert {status[i] for i in _endpoint_ids(emulator, refusing.id)} == {"refused"}
    assert "scan started on 3 of 6; 3 refused" in result.stderr
