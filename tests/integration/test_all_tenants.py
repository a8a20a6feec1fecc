"""Many tenants at once: --tenant, --all-tenants and the library fan-out, against the emulator."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from typing import Any

import pytest

from pysophoscentralapi import AsyncSophosCentral, SophosCentral
from tests.conftest import Cli
from tests.integration.conftest import async_client, ok_json, sync_client


def _client(emulator: Any, kind: str = "partner", **options: Any) -> SophosCentral:
    return sync_client(emulator, kind, **options)


def _expected_rows(emulator: Any) -> tuple[dict[str, set[str]], set[str]]:
    """Endpoint ids per reachable tenant, and the ids of the tenants that must fail."""
    reachable: dict[str, set[str]] = {}
    failing: set[str] = set()
    for tenant in emulator.state.tenants:
        if tenant.api_host(emulator.url) is None or not tenant.partner_access:
            failing.add(tenant.id)
        else:
            reachable[tenant.id] = {row["id"] for _, row in tenant.endpoints.rows()}
    return reachable, failing


@pytest.mark.parametrize("kind", ["partner", "organization"])
def test_all_tenants_endpoint_list_streams_every_row_tagged_and_reports_failures(
    make_emulator: Any, isolated_env: dict[str, str], kind: str
) -> None:
    emulator = make_emulator(tenants=7, endpoints_per_tenant=30)
    run = Cli(env={**isolated_env, **emulator.env(kind)})
    result = run("--all-tenants", "endpoint", "list", "-o", "jsonl")
    assert result.exit_code == 6, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    reachable, failing = _expected_rows(emulator)
    assert len(failing) == 2
    got: dict[str, set[str]] = {}
    names = {t.id: t.name for t in emulator.state.tenants}
    for row in rows:
        assert row["tenant_name"] == names[row["tenant_id"]]
        got.setdefault(row["tenant_id"], set()).add(row["id"])
    assert got == reachable
    assert len(rows) == sum(len(ids) for ids in reachable.values())  # nothing twice
    failed_lines = [
        line for line in result.stderr.splitlines() if line.startswith("tenant failed:")
    ]
    assert len(failed_lines) == 1
    assert "403" in failed_lines[0]
    skipped = [line for line in result.stderr.splitlines() if line.startswith("tenant skipped:")]
    assert len(skipped) == 1
    assert "not activated" in skipped[0]
    assert "1 of 7 tenants failed" in result.stderr


def test_all_tenants_alerts_list_and_exclusions(
    make_emulator: Any, isolated_env: dict[str, str]
) -> None:
    emulator = make_emulator(tenants=5, alerts=12)
    run = Cli(env={**isolated_env, **emulator.env("partner")})
    _, failing = _expected_rows(emulator)
    result = run("--all-tenants", "alerts", "list", "--from", "all", "-o", "json")
    assert result.exit_code == 6
    rows = json.loads(result.stdout)
    assert {row["tenant_id"] for row in rows} == {t.id for t in emulator.state.tenants} - failing
    assert all(row["tenant_id"] == row["tenant"]["id"] for row in rows)

    excluded = []
    for tenant_id in failing:
        excluded += ["--exclude-tenant", tenant_id]
    clean = run("--all-tenants", *excluded, "alerts", "list", "--from", "all", "-o", "json")
    assert clean.exit_code == 0, clean.stderr
    assert len(json.loads(clean.stdout)) == len(rows)


def test_tenants_file_selects_tenants_by_id_or_name(
    make_emulator: Any, isolated_env: dict[str, str], tmp_path: Any
) -> None:
    emulator = make_emulator(tenants=5)
    first, second = emulator.state.tenants[0], emulator.state.tenants[1]
    selection = tmp_path / "tenants.txt"
    selection.write_text(f"# our two\n{first.id}\n{second.name}\n")
    run = Cli(env={**isolated_env, **emulator.env("partner")})
    result = run(
        "--all-tenants", "--tenants-file", str(selection), "endpoint", "list", "-o", "jsonl"
    )
    assert result.exit_code == 0, result.stderr
    assert {json.loads(line)["tenant_id"] for line in result.stdout.splitlines()} == {
        first.id,
        second.id,
    }
    selection.write_text("no-such-tenant\n")
    bad = run("--all-tenants", "--tenants-file", str(selection), "endpoint", "list")
    assert bad.exit_code == 2
    assert "no-such-tenant" in bad.stderr


def test_tenant_by_exact_name_and_ambiguous_names(
    make_emulator: Any, isolated_env: dict[str, str]
) -> None:
    emulator = make_emulator(tenants=5, duplicate_tenant_name=True)
    run = Cli(env={**isolated_env, **emulator.env("partner")})
    names = [t.name for t in emulator.state.tenants]
    unique = next(n for n in names if names.count(n) == 1)
    target = next(t for t in emulator.state.tenants if t.name == unique)
    result = run("--tenant", unique, "endpoint", "list", "-o", "json")
    assert result.exit_code == 0, result.stderr
    assert len(json.loads(result.stdout)) == len(target.endpoints)

    duplicate = next(n for n in names if names.count(n) > 1)
    ambiguous = run("--tenant", duplicate, "endpoint", "list")
    assert ambiguous.exit_code == 2
    for tenant in emulator.state.tenants:
        if tenant.name == duplicate:
            assert tenant.id in ambiguous.stderr
    assert run("--tenant", "Nobody Inc", "endpoint", "list").exit_code == 2


def test_state_changing_command_over_all_tenants_confirms_once(
    make_emulator: Any, isolated_env: dict[str, str]
) -> None:
    emulator = make_emulator(tenants=4, endpoints_per_tenant=6)
    run = Cli(env={**isolated_env, **emulator.env("partner")})
    listing = run("--all-tenants", "endpoint", "list", "-o", "jsonl")
    assert listing.exit_code in (0, 6)
    rows = [json.loads(line) for line in listing.stdout.splitlines()]
    tenants = {row["tenant_id"] for row in rows}
    assert len(tenants) >= 2

    refused = run("--all-tenants", "endpoint", "scan", "-", input=listing.stdout)
    assert refused.exit_code == 2  # no terminal and no --yes: nothing done
    assert f"scan on {len(rows)} endpoints in {len(tenants)} tenants" in refused.stderr
    assert emulator.state.request_count("POST", "/scans") == 0

    dry = run("--all-tenants", "endpoint", "scan", "-", "--dry-run", input=listing.stdout)
    assert dry.exit_code == 0, dry.stderr
    assert dry.stdout.count("DRY RUN: POST") == len(rows)
    assert emulator.state.request_count("POST", "/scans") == 0

    done = run(
        "--all-tenants", "endpoint", "scan", "-", "--yes", "-o", "json", input=listing.stdout
    )
    results = ok_json(done)
    assert {(r["tenant_id"], r["id"]) for r in results} == {(r["tenant_id"], r["id"]) for r in rows}
    assert emulator.state.request_count("POST", "/scans") == len(rows)


def test_plain_ids_with_all_tenants_are_refused(
    make_emulator: Any, isolated_env: dict[str, str]
) -> None:
    emulator = make_emulator()
    run = Cli(env={**isolated_env, **emulator.env("partner")})
    result = run(
        "--all-tenants", "endpoint", "scan", "6f1c0e1a-2b3c-4d5e-8f90-112233445566", "--yes"
    )
    assert result.exit_code == 2
    assert "tenant_id" in result.stderr
    unsupported = run("--all-tenants", "endpoint", "get", "6f1c0e1a-2b3c-4d5e-8f90-112233445566")
    assert unsupported.exit_code == 2
    assert "--tenant" in unsupported.stderr


def test_fan_out_concurrency_never_exceeds_its_bound(make_emulator: Any) -> None:
    emulator = make_emulator(tenants=12, latency_ms=20)
    active = 0
    peak = 0
    lock = threading.Lock()

    def count(client: SophosCentral, tenant: Any) -> int:
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
        try:
            return sum(1 for _ in client.endpoints.list(page_size=10))
        finally:
            with lock:
                active -= 1

    with _client(emulator) as central:
        outcomes = list(central.each_tenant(count, concurrency=3))
    assert peak == 3
    assert len(outcomes) == 12
    assert sum(1 for o in outcomes if not o.ok) == 2


async def test_async_fan_out_bound_and_per_tenant_errors(make_emulator: Any) -> None:
    emulator = make_emulator(tenants=10, latency_ms=20)
    active = 0
    peak = 0

    async def count(client: AsyncSophosCentral, tenant: Any) -> int:
        nonlocal active, peak
        active += 1
        peak = max(peak, active)
        try:
            return len([e async for e in client.endpoints.list(page_size=10)])
        finally:
            active -= 1

    async with async_client(emulator, "organization") as central:
        outcomes = [o async for o in central.each_tenant(count, concurrency=4)]
    assert peak == 4
    failures = [o for o in outcomes if not o.ok]
    assert len(failures) == 2
    assert all(
        o.result == len(emulator.state.tenant(o.tenant_id).endpoints) for o in outcomes if o.ok
    )
    await asyncio.sleep(0)


def test_client_side_rate_limit_holds_the_configured_rate(make_emulator: Any) -> None:
    emulator = make_emulator()
    with _client(emulator, "tenant", rate_limit=20.0) as central:
        central.whoami()
        started = time.monotonic()
        for _ in range(40):
            central.endpoints.list(page_size=1).first_page()
        elapsed = time.monotonic() - started
    # 40 requests at 20/s with a burst of 20: at least ~1 s; and not absurdly slow either
    assert 0.9 <= elapsed < 5


def test_all_tenants_table_is_grouped_by_tenant(
    make_emulator: Any, isolated_env: dict[str, str]
) -> None:
    emulator = make_emulator(tenants=4, endpoints_per_tenant=12)
    run = Cli(env={**isolated_env, **emulator.env("partner")})
    result = run(
        "--all-tenants", "endpoint", "list", "-o", "table", "--fields", "tenant_name,hostname"
    )
    assert result.exit_code == 6
    lines = result.stdout.splitlines()
    body = lines[next(i for i, line in enumerate(lines) if line.startswith("─")) + 1 :]
    names = [line.split("  ")[0].strip() for line in body if line.strip()]
    reachable, _ = _expected_rows(emulator)
    assert len(names) == sum(len(ids) for ids in reachable.values())
    assert names == sorted(names)  # grouped: each tenant's rows together
    assert len(set(names)) == 2
