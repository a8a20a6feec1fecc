"""``pysophos alerts`` against the emulator over real HTTP, through the real entry point."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.conftest import Cli
from tests.integration.conftest import ok_json, seeded_alerts, stamp

Emulator = Any
UNREACHABLE = {
    "SOPHOS_API_URL": "http://127.0.0.1:9",
    "SOPHOS_AUTH_URL": "http://127.0.0.1:9/token",
}


def posts(emu: Emulator) -> list[Any]:
    return [r for r in emu.state.requests if r.method == "POST" and r.path.endswith("/actions")]


@pytest.fixture
def emu(make_emulator: Callable[..., Emulator]) -> Emulator:
    return make_emulator(alerts=130)


@pytest.fixture
def run(emu: Emulator, isolated_env: dict[str, str]) -> Cli:
    return Cli(env={**isolated_env, **emu.env("tenant")})


def test_list_shows_every_alert_newest_first_with_no_hidden_filter(
    emulator_cli: Cli, sophos_emulator: Emulator
) -> None:
    result = emulator_cli("alerts", "list", "-o", "json")
    rows = ok_json(result)
    raised = [stamp(r["raisedAt"]) for r in rows]
    assert raised == sorted(raised, reverse=True)
    assert [r["id"] for r in rows] == [a["id"] for a in seeded_alerts(sophos_emulator)]
    assert min(raised) < datetime.now(UTC) - timedelta(days=7)  # older ones are there too
    assert max(raised) > datetime.now(UTC) - timedelta(hours=1)  # and some from the last hour
    request = [r for r in sophos_emulator.state.requests if r.path.endswith("/common/v1/alerts")]
    assert "from=" not in request[-1].query


def test_from_all_pages_through_every_alert(emu: Emulator, run: Cli) -> None:
    result = run("alerts", "list", "--from", "all", "-o", "jsonl")
    assert result.exit_code == 0, result.stderr
    ids = [json.loads(line)["id"] for line in result.stdout.splitlines()]
    assert ids == [a["id"] for a in seeded_alerts(emu)]  # 130 alerts: two pages of up to 100
    listing = [r for r in emu.state.requests if r.path.endswith("/common/v1/alerts")]
    assert len(listing) == 2
    assert "sort=raisedAt%3Adesc" in listing[0].query or "sort=raisedAt:desc" in listing[0].query


def test_severity_category_and_window_filters(emu: Emulator, run: Cli) -> None:
    result = run(
        "alerts", "list", "--from", "all", "--severity", "high", "--severity", "low", "-o", "json"
    )
    rows = json.loads(result.stdout)
    assert {r["severity"] for r in rows} == {"high", "low"}
    assert len(rows) == sum(a["severity"] in ("high", "low") for a in seeded_alerts(emu))

    result = run("alerts", "list", "--from", "all", "--category", "malware,pua", "-o", "json")
    rows = json.loads(result.stdout)
    assert {r["category"] for r in rows} == {"malware", "pua"}

    times = sorted(stamp(a["raisedAt"]) for a in seeded_alerts(emu))
    start, end = times[10], times[40]
    result = run(
        "alerts", "list", "--from", start.isoformat(), "--to", end.isoformat(), "-o", "json"
    )
    assert len(json.loads(result.stdout)) == 30


def test_table_has_the_default_columns(run: Cli) -> None:
    result = run("alerts", "list", "-o", "table", "--limit", "3")
    assert result.exit_code == 0, result.stderr
    header = result.stdout.splitlines()[1].split()
    assert header == [
        "raisedAt",
        "severity",
        "category",
        "description",
        "product",
        "managedAgent.id",
        "id",
    ]


def test_search_posts_the_same_query(emu: Emulator, run: Cli) -> None:
    listed = run("alerts", "list", "--from", "all", "--severity", "medium", "-o", "json")
    searched = run("alerts", "search", "--from", "all", "--severity", "medium", "-o", "json")
    assert searched.exit_code == 0, searched.stderr
    assert json.loads(searched.stdout) == json.loads(listed.stdout)
    assert [r.method for r in emu.state.requests if r.path.endswith("/alerts/search")] == ["POST"]


def test_ids_from_stdin_without_a_time_limit(emu: Emulator, run: Cli) -> None:
    wanted = [a["id"] for a in seeded_alerts(emu)[-3:]]  # the oldest ones, beyond 7 days
    result = run("alerts", "search", "--id", "-", "-o", "json", input="\n".join(wanted) + "\n")
    assert result.exit_code == 0, result.stderr
    assert {r["id"] for r in json.loads(result.stdout)} == set(wanted)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["alerts", "list", "--severity", "high,critical"],
            "'critical' is not one of: high, medium, low",
        ),
        (["alerts", "search", "--category", "virus"], "'virus' is not one of: azure, adSync"),
        (["alerts", "list", "--product", "xdr"], "'xdr' is not one of"),
        (["alerts", "list", "--from", "last week"], "is not a time"),
        (["alerts", "list", "--id", "nope"], "'nope' is not an alert id"),
        (["alerts", "get", "nope"], "'nope' is not an alert id"),
        (
            ["alerts", "action", "a5ded91c-6575-435c-a6b4-64b94f9048ff", "delete", "--yes"],
            "acknowledge",
        ),
    ],
)
def test_bad_values_are_usage_errors_before_any_request(
    cli_run: Cli, args: list[str], message: str
) -> None:
    env = {"SOPHOS_CLIENT_ID": "id", "SOPHOS_CLIENT_SECRET": "secret", **UNREACHABLE}
    result = cli_run(*args, env=env)
    assert result.exit_code == 2
    assert message in result.stderr


def test_get_shows_one_alert(emu: Emulator, run: Cli) -> None:
    target = seeded_alerts(emu)[0]
    result = run("alerts", "get", target["id"], "-o", "json")
    shown = ok_json(result)
    assert shown["id"] == target["id"]
    assert shown["allowedActions"] == target["allowedActions"]
    assert run("alerts", "get", "00000000-0000-4000-8000-000000000000").exit_code == 4


def test_an_allowed_action_is_taken_and_reported(emu: Emulator, run: Cli) -> None:
    target = next(a for a in seeded_alerts(emu) if "cleanPua" in a["allowedActions"])
    result = run(
        "alerts", "action", target["id"], "cleanpua", "--message", "INC-9", "--yes", "-o", "json"
    )
    assert result.exit_code == 0, result.stderr
    (row,) = json.loads(result.stdout)
    assert (row["id"], row["status"], row["action"]) == (target["id"], "ok", "cleanPua")
    assert row["actionStatus"] == "started"
    assert target["id"] not in {a["id"] for a in seeded_alerts(emu)}
    assert len(posts(emu)) == 1


def test_an_action_on_several_alerts_gives_a_row_each(emu: Emulator, run: Cli) -> None:
    alerts = seeded_alerts(emu)
    allowing = [a["id"] for a in alerts if "clearThreat" in a["allowedActions"]][:2]
    refusing = next(a["id"] for a in alerts if "clearThreat" not in a["allowedActions"])
    missing = str(uuid.uuid4())
    ids = [*allowing, refusing, missing]
    result = run(
        "alerts", "action", "-", "clearthreat", "--yes", "-o", "jsonl", input="\n".join(ids)
    )
    assert result.exit_code == 4, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["id"], r["status"]) for r in rows] == [
        (allowing[0], "ok"), (allowing[1], "ok"), (refusing, "refused"), (missing, "not-found"),
    ]  # fmt: skip
    assert "does not allow 'clearThreat'" in rows[2]["error"]
    assert len(posts(emu)) == 2
    assert "clearThreat sent to 2 of 4; 1 not found, 1 refused" in result.stderr


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("clearThreat", "--yes"), "allowed actions: acknowledge"),
        (("acknowledge",), "--yes"),
    ],
    ids=["a-disallowed-action-names-the-allowed-ones", "without-yes"],
)
def test_a_refused_action_exits_2_and_changes_nothing(
    emu: Emulator, run: Cli, args: tuple[str, ...], says: str
) -> None:
    target = next(a for a in seeded_alerts(emu) if a["allowedActions"] == ["acknowledge"])
    result = run("alerts", "action", target["id"], *args)
    assert result.exit_code == 2
    assert says in result.stderr
    assert posts(emu) == []
    assert target in seeded_alerts(emu)


def test_dry_run_prints_the_request_and_sends_nothing(emu: Emulator, run: Cli) -> None:
    target = seeded_alerts(emu)[0]
    result = run("alerts", "action", target["id"], "acknowledge", "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("DRY RUN: POST ")
    assert f"/common/v1/alerts/{target['id']}/actions" in result.stdout
    assert '"action": "acknowledge"' in result.stdout
    assert posts(emu) == []
    assert target in seeded_alerts(emu)


def test_partner_credentials_list_a_named_tenants_alerts(
    emu: Emulator, isolated_env: dict[str, str]
) -> None:
    partner = Cli(env={**isolated_env, **emu.env("partner")})
    tenant = emu.state.tenants[1]
    result = partner("--tenant", tenant.name, "alerts", "list", "--from", "all", "-o", "json")
    assert result.exit_code == 0, result.stderr
    assert {r["tenant"]["id"] for r in json.loads(result.stdout)} == {tenant.id}
    assert len(json.loads(result.stdout)) == 130
