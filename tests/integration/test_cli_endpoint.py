"""``pysophos endpoint ...`` end to end: the real entry point, error handler and exit codes, against
the emulator over HTTP (config and cache dirs in tmp)."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import Cli
from tests.integration.conftest import ok_json

UNREACHABLE = {
    "SOPHOS_CLIENT_ID": "cli-test",
    "SOPHOS_CLIENT_SECRET": "not-used",
    "SOPHOS_AUTH_URL": "http://127.0.0.1:9/api/v2/oauth2/token",
    "SOPHOS_API_URL": "http://127.0.0.1:9",
}
SOME_ID = "6f1c0e1a-2b3c-4d5e-8f90-112233445566"


@pytest.fixture
def fresh_cli(isolated_env: dict[str, str], make_emulator: Callable[..., Any]) -> Cli:
    """A CLI pointed at an emulator of its own (for tests that change state)."""
    return Cli(env={**isolated_env, **make_emulator(endpoints=30).env("tenant")})


@pytest.fixture
def offline_cli(isolated_env: dict[str, str]) -> Cli:
    """A CLI whose API is unreachable: any request would fail with exit 5."""
    return Cli(env={**isolated_env, **UNREACHABLE})


def rows(result: Any) -> list[dict[str, Any]]:
    data = ok_json(result)
    assert isinstance(data, list)
    return data


def ids_of(cli: Cli, *args: str) -> list[str]:
    return [row["id"] for row in rows(cli("endpoint", "list", *args, "-o", "json"))]


def test_help_lists_every_command_with_examples(cli_run: Cli) -> None:
    result = cli_run("endpoint", "--help")
    assert result.exit_code == 0
    for command in (
        "list",
        "get",
        "scan",
        "update-check",
        "isolate",
        "unisolate",
        "delete",
        "tamper",
    ):
        assert re.search(rf"^\s+{command}\s", result.stdout, re.MULTILINE), command
        assert f"pysophos endpoint {command}" in result.stdout
    tamper = cli_run("endpoint", "tamper", "--help")
    assert all(name in tamper.stdout for name in ("get", "update", "password"))
    for command in ("list", "scan", "isolate", "delete"):
        assert "Examples:" in cli_run("endpoint", command, "--help").stdout


def test_list_filters_and_limit(emulator_cli: Cli) -> None:
    bad = rows(
        emulator_cli("endpoint", "list", "--health-status", "bad", "--view", "full", "-o", "json")
    )
    assert bad
    assert {row["health"]["overall"] for row in bad} == {"bad"}
    servers = rows(
        emulator_cli("endpoint", "list", "--type", "server", "-o", "json", "--fields", "id,type")
    )
    assert servers
    assert all(row == {"id": row["id"], "type": "server"} for row in servers)
    assert len(rows(emulator_cli("endpoint", "list", "--limit", "5", "-o", "json"))) == 5
    stale = ids_of(emulator_cli, "--last-seen-before", "7d")
    recent = ids_of(emulator_cli, "--last-seen-after", "P7D")
    assert stale
    assert recent
    assert not set(stale) & set(recent)


def test_list_table_has_the_default_columns(emulator_cli: Cli) -> None:
    result = emulator_cli("endpoint", "list", "--limit", "3", "-o", "table")
    assert result.exit_code == 0, result.stderr
    header = (
        result.stdout.splitlines()[0]
        if "hostname" in result.stdout.splitlines()[0]
        else result.stdout.splitlines()[1]
    )
    for column in ("hostname", "health.overall", "os.name", "lastSeenAt", "isolation.status", "id"):
        assert column in header


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("endpoint", "get", "not-a-uuid"), "'not-a-uuid' is not an endpoint id"),
        (
            ("endpoint", "list", "--health-status", "bad,terrible"),
            "'terrible' is not one of: good, bad, suspicious, unknown",
        ),
        (("endpoint", "list", "--type", "laptop"), "computer, server, securityVm"),
        (("endpoint", "list", "--last-seen-before", "30x"), "30d, 12h, 2w, 90m or 45s"),
        (("endpoint", "list", "--id", "123"), "'123' is not an endpoint id"),
        (("endpoint", "list", "--ip", "10.0.0"), "not an IPv4 or IPv6 address"),
        (("endpoint", "list", "--search-field", "hostname"), "--search-field needs --search"),
        (("endpoint", "scan", SOME_ID, "nope", "--yes"), "'nope' is not an endpoint id"),
        (("endpoint", "isolate", "x", "--yes"), "'x' is not an endpoint id"),
        (
            ("endpoint", "tamper", "update", SOME_ID, "--enable", "--disable", "--yes"),
            "cannot be used together",
        ),
        (
            ("endpoint", "tamper", "update", SOME_ID, "--yes"),
            "--enable, --disable and/or --regenerate-password",
        ),
        (("endpoint", "tamper", "password", "nope"), "'nope' is not an endpoint id"),
    ],
)
def test_bad_input_exits_2_before_any_request(
    offline_cli: Cli, args: tuple[str, ...], message: str
) -> None:
    result = offline_cli(*args)
    assert result.exit_code == 2, result.stderr
    assert message in result.stderr


def test_the_offline_cli_really_is_offline(offline_cli: Cli) -> None:
    # The control for the test above: a valid command against that URL fails with exit 5.
    result = offline_cli("endpoint", "get", SOME_ID)
    assert result.exit_code == 5, result.stderr


def test_dry_run_prints_the_post_and_changes_nothing(fresh_cli: Cli) -> None:
    target = ids_of(fresh_cli, "--isolation-status", "notIsolated", "--limit", "1")[0]
    result = fresh_cli("endpoint", "isolate", target, "--comment", "test", "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "DRY RUN: POST " in result.stdout
    assert "/endpoint/v1/endpoints/isolation" in result.stdout
    assert target in result.stdout
    after = json.loads(fresh_cli("endpoint", "get", target, "-o", "json").stdout)
    assert after["isolation"]["status"] == "notIsolated"


def test_without_yes_off_a_terminal_it_refuses_and_changes_nothing(fresh_cli: Cli) -> None:
    listed = rows(fresh_cli("endpoint", "list", "--limit", "1", "-o", "json"))[0]
    target = listed["id"]
    result = fresh_cli("endpoint", "isolate", target)
    assert result.exit_code == 2
    assert "--yes" in result.stderr
    assert listed["hostname"] in result.stderr  # the question names the hosts by name
    deleted = fresh_cli("endpoint", "delete", target)
    assert deleted.exit_code == 2
    after = json.loads(fresh_cli("endpoint", "get", target, "-o", "json").stdout)
    assert after["isolation"]["status"] == "notIsolated"


def test_isolate_unisolate_round_trip(fresh_cli: Cli) -> None:
    targets = ids_of(fresh_cli, "--isolation-status", "notIsolated", "--limit", "2")
    isolated = rows(
        fresh_cli("endpoint", "isolate", *targets, "--comment", "INC-1", "--yes", "-o", "json")
    )
    assert sorted(row["id"] for row in isolated) == sorted(targets)
    assert all(row["isolation"]["enabled"] is True for row in isolated)
    assert {row["status"] for row in isolated} == {"ok"}
    assert all(row["name"] for row in isolated)  # hostnames
    assert set(targets) <= set(ids_of(fresh_cli, "--isolation-status", "isolated"))
    rows(fresh_cli("endpoint", "unisolate", *targets, "--yes", "-o", "json"))
    assert not set(targets) & set(ids_of(fresh_cli, "--isolation-status", "isolated"))


def test_ids_from_stdin_pipeline(fresh_cli: Cli) -> None:
    listing = fresh_cli("endpoint", "list", "--health-status", "bad", "-o", "json")
    ids = [row["id"] for row in rows(listing)]
    assert ids
    piped = "\n".join(ids) + "\n"
    scanned = rows(fresh_cli("endpoint", "scan", "-", "--yes", "-o", "json", input=piped))
    assert [row["id"] for row in scanned] == ids
    assert {row["status"] for row in scanned} == {"ok"}
    assert {row["scanStatus"] for row in scanned} == {"requested"}


def test_ids_from_a_file(fresh_cli: Cli, tmp_path: Any) -> None:
    ids = ids_of(fresh_cli, "--limit", "2")
    path = tmp_path / "ids.txt"
    path.write_text("\n".join(ids) + "\n")
    result = rows(fresh_cli("endpoint", "update-check", f"@{path}", "--yes", "-o", "json"))
    assert [row["id"] for row in result] == ids
    assert all(row["updateCheckId"] for row in result)


def _tamper_target(cli: Cli) -> str:
    found = rows(
        cli(
            "endpoint",
            "list",
            "--tamper-protection",
            "-o",
            "json",
            "--fields",
            "id,tamperProtectionSupported",
        )
    )
    return next(row["id"] for row in found if row["tamperProtectionSupported"])


def test_tamper_get_does_not_print_the_password_and_password_prints_only_it(fresh_cli: Cli) -> None:
    target = _tamper_target(fresh_cli)
    password_result = fresh_cli("endpoint", "tamper", "password", target)
    assert password_result.exit_code == 0, password_result.stderr
    password = password_result.stdout.rstrip("\n")
    assert password_result.stdout == password + "\n"
    assert password
    assert "\n" not in password
    assert password_result.stderr == ""

    shown = fresh_cli("endpoint", "tamper", "get", target, "-o", "json")
    assert shown.exit_code == 0, shown.stderr
    assert json.loads(shown.stdout)["enabled"] is True
    assert json.loads(shown.stdout)["passwordSet"] is True
    assert password not in shown.stdout + shown.stderr
    table = fresh_cli("endpoint", "tamper", "get", target, "-o", "table")
    assert password not in table.stdout


def test_tamper_regenerate_then_previous_passwords(fresh_cli: Cli) -> None:
    target = _tamper_target(fresh_cli)
    old = fresh_cli("endpoint", "tamper", "password", target).stdout.strip()
    updated = fresh_cli(
        "endpoint", "tamper", "update", target, "--regenerate-password", "--yes", "-o", "json"
    )
    assert updated.exit_code == 0, updated.stderr
    assert old not in updated.stdout
    assert json.loads(updated.stdout)[0]["passwordRegenerated"] is True
    listing = fresh_cli("endpoint", "tamper", "password", target, "--previous")
    lines = listing.stdout.splitlines()
    assert lines[0] != old
    assert any(line.split("\t")[0] == old and line.split("\t")[1] for line in lines[1:])


def test_tamper_disable(fresh_cli: Cli) -> None:
    target = _tamper_target(fresh_cli)
    result = fresh_cli("endpoint", "tamper", "update", target, "--disable", "--yes", "-o", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)[0]["enabled"] is False


def test_delete_then_get_exits_4(fresh_cli: Cli) -> None:
    target = ids_of(fresh_cli, "--limit", "1")[0]
    deleted = rows(fresh_cli("endpoint", "delete", target, "--yes", "-o", "json"))
    assert [(row["id"], row["status"]) for row in deleted] == [(target, "ok")]
    gone = fresh_cli("endpoint", "get", target)
    assert gone.exit_code == 4
    assert "error:" in gone.stderr


def test_scan_of_an_unknown_id_reports_it_and_exits_4(fresh_cli: Cli) -> None:
    known = ids_of(fresh_cli, "--limit", "1")[0]
    missing = str(uuid.uuid4())
    result = fresh_cli("endpoint", "scan", known, missing, "--yes", "-o", "json")
    assert result.exit_code == 4
    assert "scan started on 1 of 2; 1 not found" in result.stderr
    by_id = {row["id"]: row for row in json.loads(result.stdout)}
    assert (by_id[known]["status"], by_id[known]["scanStatus"]) == ("ok", "requested")
    assert by_id[missing]["status"] == "not-found"
    assert by_id[missing]["error"]
