"""Pure logic of account health and its report: area scores, summaries, SVG charts, rendering."""

from __future__ import annotations

import builtins
from datetime import UTC, datetime
from typing import Any

import pytest

from pysophoscentralapi._sync.health import snooze_body
from pysophoscentralapi.cli.commands.health import fleet_row, worst_first
from pysophoscentralapi.emulator._health_api import exclusion_risk
from pysophoscentralapi.models import HealthCheck
from pysophoscentralapi.report import ReportUnavailable, TenantHealth, render_health_report
from pysophoscentralapi.report._charts import bars, donut, score_colour, score_ring
from pysophoscentralapi.report._data import count_alerts, count_endpoints, last_seen_bucket

CHECK = {
    "tenant": {"id": "t1", "name": "Acme"},
    "endpoint": {
        "protection": {"computer": {"total": 10, "notFullyProtected": 1, "score": 90}},
        "policy": {
            "server": {"server-threat-protection": {"total": 2, "notOnRecommended": 2, "score": 0}}
        },
        "exclusions": {
            "policy": {"computer": {"numberOfSecurityRisks": 3, "score": 40}},
            "global": {"numberOfSecurityRisks": 0, "score": 100},
        },
        "tamperProtection": {
            "server": {"total": 1, "disabled": 1, "score": 0, "snoozed": True},
            "globalDetail": {"enabled": False, "score": 0},
            "global": False,
        },
    },
}


def test_scores_worst_first_with_findings() -> None:
    check = HealthCheck.model_validate(CHECK)
    found = [(s.area, s.score, s.snoozed, s.finding) for s in check.scores()]
    assert found == [
        ("policy.server.server-threat-protection", 0, False,
         "2 of 2 server policies are not on recommended settings"),
        ("tamperProtection.server", 0, True, "1 of 1 server have tamper protection off"),
        ("tamperProtection.global", 0, False, "global tamper protection is off"),
        ("exclusions.computer", 40, False, "3 risky scanning exclusions in computer policies"),
        ("protection.computer", 90, False, "1 of 10 computers are not fully protected"),
        ("exclusions.global", 100, False, ""),
    ]  # fmt: skip
    assert check.overall_score == round((0 + 0 + 0 + 40 + 90 + 100) / 6)
    assert check.endpoint.tamper_protection.global_ is False
    assert HealthCheck.model_validate({}).overall_score is None


def test_snooze_body_shapes() -> None:
    body = snooze_body(
        ["policy.server.server-threat-protection", "exclusions.server", "exclusions.global"],
        comment="c",
    )
    endpoint = body["endpoint"]
    assert endpoint["policy"]["server"][0]["policyType"] == "server-threat-protection"
    assert endpoint["exclusions"]["policy"]["server"][0]["policyType"] == "server-threat-protection"
    assert endpoint["exclusions"]["global"] == {"snoozed": True, "snoozeDetail": {"comment": "c"}}
    with pytest.raises(ValueError, match="area"):
        snooze_body(["nope"], comment="c")
    with pytest.raises(ValueError, match="at least one"):
        snooze_body([], comment="c")


@pytest.mark.parametrize(
    ("value", "kind", "reason"),
    [
        ("C:\\", "path", "entireDrive"),
        ("/", "posixPath", "entireDrive"),
        ("%TEMP%\\x\\", "path", "usesWindowsPathVariables"),
        ("*.exe", "path", "allFilesWithExecutableExtension"),
        ("C:\\Windows\\System32\\", "path", "windowsSystemDirectories"),
        ("C:\\Windows\\Temp\\", "path", "windowsDirectories"),
        ("C:\\Windows\\Sysnative\\x.dll", "path", "usesWindowsSystemDirectoriesViaSyspath"),
        ("C:\\tools\\powershell.exe", "process", "windowsSystemTools"),
        ("D:\\Backups\\", "path", None),
    ],
)
def test_exclusion_risk_rules(value: str, kind: str, reason: str | None) -> None:
    assert exclusion_risk(value, kind) == reason


def test_counts_for_the_report() -> None:
    now = datetime(2026, 12, 1, 12, tzinfo=UTC)
    rows = [
        {"health": {"overall": "good"}, "lastSeenAt": "2026-12-01T11:00:00Z"},
        {"health": {"overall": "bad"}, "lastSeenAt": "2026-11-28T11:00:00Z"},
        {"health": {"overall": "weird"}, "lastSeenAt": "2026-09-01T11:00:00Z"},
        {},
    ]
    by_health, by_seen = count_endpoints(rows, now)
    assert by_health == {"good": 1, "suspicious": 0, "bad": 1, "unknown": 2}
    assert by_seen == {"today": 1, "this week": 1, "this month": 0, "older": 2}
    assert last_seen_bucket("not a time", now) == "older"
    assert count_alerts([{"severity": "high"}, {"severity": "low"}, {"severity": "?"}]) == {
        "high": 1,
        "medium": 0,
        "low": 1,
    }


def test_fleet_rows_sort_worst_first_and_carry_errors() -> None:
    from pysophoscentralapi import PermissionDeniedError

    good = TenantHealth("a", "Good", check=HealthCheck.model_validate(CHECK))
    refused = TenantHealth(
        "b", "Refused", error=PermissionDeniedError("no access", request_id="r1")
    )
    rows = worst_first([fleet_row(refused), fleet_row(good)])
    assert [r["tenant_name"] for r in rows] == ["Good", "Refused"]
    assert rows[0]["worstAreas"].startswith("policy.server.server-threat-protection (0)")
    assert rows[0]["findings"] == 5
    assert (rows[1]["status"], rows[1]["request_id"], rows[1]["overallScore"]) == (
        "refused",
        "r1",
        None,
    )


def test_charts_are_svg_with_names_and_escaped_labels() -> None:
    svg = bars([("<Acme & Co>", 40, "#e5484d")], chart="worst", maximum=100, links=["#t-1"])
    assert svg.startswith("<svg")
    assert 'data-chart="worst"' in svg
    assert "&lt;Acme &amp; Co&gt;" in svg
    assert "<Acme" not in svg
    assert '<a href="#t-1">' in svg
    empty = donut([], chart="empty")
    assert ">0<" in empty  # the total in the hole
    assert "stroke-dasharray" not in empty
    ring = score_ring(75)
    assert ">75<" in ring
    assert score_colour(75) in ring
    assert "n/a" in score_ring(None)


def test_report_renders_tenants_worst_first() -> None:
    tidy = {"protection": {"computer": {"total": 5, "notFullyProtected": 0, "score": 100}}}
    good = TenantHealth("a", "Good Co", check=HealthCheck.model_validate({"endpoint": tidy}))
    poor = TenantHealth(
        "b",
        "Poor & Sons",
        check=HealthCheck.model_validate(CHECK),
        endpoints_by_health={"good": 3, "bad": 1},
        alerts_by_severity={"high": 2},
    )
    gone = TenantHealth("c", "Gone", error=RuntimeError("boom"))
    page = render_health_report([good, gone, poor], generated_at=datetime(2026, 12, 1, tzinfo=UTC))
    assert page.startswith("<!DOCTYPE html>")
    assert "Poor &amp; Sons" in page
    assert page.index('id="tenant-b"') < page.index('id="tenant-a"') < page.index('id="tenant-c"')
    assert "Could not be read." in page
    assert "boom" in page
    assert "01 December 2026" in page


def test_report_without_jinja2_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_jinja(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "jinja2" or name.startswith("jinja2."):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_jinja)
    with pytest.raises(ReportUnavailable) as raised:
        render_health_report([])
    assert "pip install 'pysophoscentralapi[report]'" in (raised.value.hint or "")
