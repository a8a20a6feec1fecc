"""Account health against the emulator: scores follow the tenant's data; one tenant and many."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pysophoscentralapi import NotFoundError, PermissionDeniedError
from pysophoscentralapi._sync.health import snooze_body
from tests.conftest import Cli
from tests.integration.conftest import sync_client


@pytest.fixture(scope="module")
def emu(request: pytest.FixtureRequest) -> Any:
    from pysophoscentralapi.emulator import EmulatorConfig, run_emulator

    with run_emulator(
        EmulatorConfig(seed=5, tenants=6, endpoints=60, endpoints_per_tenant=20)
    ) as running:
        yield running


def _score(check: Any, area: str) -> int:
    return next(s.score for s in check.scores() if s.area == area)


def test_scores_are_worst_first_and_explain_themselves(emu: Any) -> None:
    check = sync_client(emu).health_check()
    scores = [s.score for s in check.scores()]
    assert scores == sorted(scores)
    assert len(scores) == 10
    tamper = next(s for s in check.scores() if s.area == "tamperProtection.computer")
    state = emu.state.demo_tenant
    computers = [e for _, e in state.endpoints.rows() if e["type"] == "computer"]
    off = [
        e for e in computers if e["tamperProtectionSupported"] and not e["tamperProtectionEnabled"]
    ]
    assert tamper.score == round(100 * (len(computers) - len(off)) / len(computers))
    if off:
        assert (
            tamper.finding == f"{len(off)} of {len(computers)} computers have tamper protection off"
        )
    assert check.overall_score == round(sum(scores) / len(scores))


def test_turning_tamper_protection_on_raises_the_score(emu: Any) -> None:
    central = sync_client(emu)
    before = central.health_check()
    computers = [
        e
        for e in central.endpoints.list(type=["computer"])
        if e.tamper_protection_supported and not e.tamper_protection_enabled
    ]
    assert computers, "the seeded data has computers with tamper protection off"
    for computer in computers:
        central.endpoints.update_tamper_protection(computer.id, enabled=True)
    after = central.health_check()
    assert _score(after, "tamperProtection.computer") == 100
    assert _score(before, "tamperProtection.computer") < 100
    assert after.overall_score >= before.overall_score


def test_a_risky_exclusion_lowers_the_global_exclusions_score(emu: Any) -> None:
    central = sync_client(emu)
    assert _score(central.health_check(), "exclusions.global") == 100
    made = central.settings.scanning_exclusions.add("C:\\", type="path", comment="lazy")
    check = central.health_check(checks=["exclusions"])
    risky = check.endpoint.exclusions.global_.scanning_exclusions
    assert [(r.value, r.reason_code) for r in risky] == [("C:\\", "entireDrive")]
    assert _score(check, "exclusions.global") < 100
    assert {s.area.split(".")[0] for s in check.scores()} == {"exclusions"}
    central.settings.scanning_exclusions.delete(made.id)


def test_scores_differ_between_tenants(emu: Any) -> None:
    central = sync_client(emu, "partner")
    tenants = list(central.tenants.list())[:4]
    overall = {central.for_tenant(t.id).health_check().overall_score for t in tenants}
    assert len(overall) > 1


def test_snooze_shows_in_the_health_check(emu: Any) -> None:
    central = sync_client(emu)
    central.health.snooze(snooze_body(["protection.server"], comment="new servers arriving"))
    area = next(s for s in central.health_check().scores() if s.area == "protection.server")
    assert area.snoozed
    detail = central.health_check().endpoint.protection["server"].snooze_detail
    assert detail.comment == "new servers arriving"
    assert detail.expired is False
    central.health.snooze(snooze_body(["protection.server"], comment="", snoozed=False))
    assert not next(
        s for s in central.health_check().scores() if s.area == "protection.server"
    ).snoozed


def test_history_and_regional_scores(emu: Any) -> None:
    central = sync_client(emu)
    history = central.health.historical_scores(start_date="2026-01-01", end_date="2026-01-07")
    assert [p.date.isoformat() for p in history.datapoints] == [
        f"2026-01-0{d}" for d in range(1, 8)
    ]
    assert history.datapoints[0].endpoint.protection_computer_score is not None
    bands = central.health.regional_scores().bands
    assert bands[0].lower_bound == 1
    with pytest.raises(ValueError, match="after end_date"):
        central.health.historical_scores(start_date="2026-02-01", end_date="2026-01-01")


def test_a_refused_tenant_raises(emu: Any) -> None:
    central = sync_client(emu, "partner")
    tenants = list(central.tenants.list())
    with pytest.raises(PermissionDeniedError):
        central.for_tenant(tenants[-2].id).health_check()
    with pytest.raises(NotFoundError):
        central.for_tenant(tenants[-1].id).health_check()


# --- the CLI ---------------------------------------------------------------------------------------


def test_cli_health_one_tenant(emu: Any, isolated_env: dict[str, str]) -> None:
    cli = Cli(env={**isolated_env, **emu.env("tenant")})
    result = cli("health", "-o", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["score"] for r in rows] == sorted(r["score"] for r in rows)
    assert set(rows[0]) == {"area", "score", "finding", "snoozed"}
    table = cli("health", "--check", "tamperProtection", env={"COLUMNS": "160"})
    assert table.exit_code == 0
    assert "tamperProtection.server" in table.stdout
    assert "exclusions" not in table.stdout


def test_cli_health_all_tenants_reports_refused_tenants_and_exits_6(
    emu: Any, isolated_env: dict[str, str]
) -> None:
    cli = Cli(env={**isolated_env, **emu.env("partner")})
    result = cli("--all-tenants", "health", "-o", "json")
    assert result.exit_code == 6, result.output
    rows = json.loads(result.stdout)
    assert len(rows) == 6
    scored = [r for r in rows if r["status"] == "ok"]
    assert [r["overallScore"] for r in scored] == sorted(r["overallScore"] for r in scored)
    assert rows[: len(scored)] == scored  # unscored tenants come last
    refused = [r for r in rows if r["status"] == "refused"]
    assert len(refused) == 1
    assert "403" in refused[0]["error"]
    assert [r["status"] for r in rows if r["status"] not in ("ok", "refused")] == ["not-found"]
    assert "tenant failed: " in result.stderr
    assert "2 of 6 tenants failed" in result.stderr
    assert scored[0]["worstAreas"].count("(") == 3


def test_cli_health_all_tenants_csv_file(
    emu: Any, isolated_env: dict[str, str], tmp_path: Any
) -> None:
    cli = Cli(env={**isolated_env, **emu.env("partner")})
    target = tmp_path / "fleet.csv"
    result = cli(
        "--all-tenants",
        "health",
        "--output-file",
        str(target),
        "--fields",
        "tenant_name,overallScore",
    )
    assert result.exit_code == 6
    lines = target.read_text().splitlines()
    assert lines[0] == "tenant_name,overallScore"
    assert len(lines) == 7


def test_cli_snooze_is_state_changing(emu: Any, isolated_env: dict[str, str]) -> None:
    cli = Cli(env={**isolated_env, **emu.env("tenant")})
    refused = cli("health", "snooze", "tamperProtection.server", "--comment", "x")
    assert refused.exit_code == 2
    assert "--yes" in refused.stderr
    dry = cli("health", "snooze", "tamperProtection.server", "--comment", "x", "--dry-run")
    assert dry.exit_code == 0
    assert "POST" in dry.stderr + dry.stdout
    done = cli(
        "health", "snooze", "tamperProtection.server", "protection.server", "--comment", "Q1",
        "--yes", "-o", "json",
    )  # fmt: skip
    assert done.exit_code == 0, done.stderr
    rows = {row["id"]: row for row in json.loads(done.stdout)}
    assert {area: (r["status"], r["snoozed"], r["comment"]) for area, r in rows.items()} == {
        "tamperProtection.server": ("ok", True, "Q1"),
        "protection.server": ("ok", True, "Q1"),
    }
    assert "snoozed 2 of 2" in done.stderr
    bad = cli("health", "snooze", "nonsense", "--comment", "x", "--yes")
    assert bad.exit_code == 2
    assert "tamperProtection.server" in bad.stderr


def test_cli_report_of_one_tenant(emu: Any, isolated_env: dict[str, str], tmp_path: Any) -> None:
    cli = Cli(env={**isolated_env, **emu.env("tenant")})
    out = tmp_path / "out"
    out.mkdir()
    target = out / "acme.html"
    result = cli("report", "health", "--output-file", str(target), "--title", "Acme, December")
    assert result.exit_code == 0, result.output
    page = target.read_text(encoding="utf-8")
    assert "<title>Acme, December</title>" in page
    assert emu.state.demo_tenant.name in page
    assert "1 of 1 tenants" in result.stderr
    assert list(out.iterdir()) == [target]  # no temporary file left behind
    missing_dir = tmp_path / "nope" / "r.html"
    failed = cli("report", "health", "--output-file", str(missing_dir))
    assert failed.exit_code == 2
    assert not missing_dir.exists()
