"""``pysophos roles`` against the emulator over real HTTP, through the real entry point."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import Cli
from tests.integration.conftest import ok_json, sync_client

Emulator = Any


def test_list_filters_and_get(emulator_cli: Cli) -> None:
    result = emulator_cli("roles", "list", "--type", "predefined", "-o", "json")
    rows = ok_json(result)
    assert {"Super Admin", "Admin", "Help Desk", "Read-only"} <= {r["name"] for r in rows}
    assert {r["type"] for r in rows} == {"predefined"}
    one = emulator_cli("roles", "get", rows[0]["id"], "-o", "json")
    assert json.loads(one.stdout)["name"] == rows[0]["name"]


def test_unknown_filter_value_exits_2_naming_the_valid_ones(emulator_cli: Cli) -> None:
    result = emulator_cli("roles", "list", "--type", "builtin")
    assert result.exit_code == 2
    assert "predefined" in result.stderr
    assert "custom" in result.stderr


def test_permission_sets(emulator_cli: Cli) -> None:
    result = emulator_cli(
        "roles", "permission-sets", "--allowed-in-custom-role", "--principal-type", "user"
    )
    rows = ok_json(result)
    assert "central_admin" in {r["id"] for r in rows}
    assert all(r["allowedInCustomRoles"] for r in rows)
    assert "central_super_admin" not in {r["id"] for r in rows}


def test_create_with_an_unknown_permission_set_exits_2_naming_the_valid_ones(fresh: Any) -> None:
    emu, run = fresh
    result = run("roles", "create", "--name", "Broken", "-p", "central_admin,god_mode", "--yes")
    assert result.exit_code == 2
    assert "god_mode" in result.stderr
    assert "central_admin, central_read_only" in result.stderr
    assert emu.state.request_count("POST", "/roles") == 0


def test_create_update_duplicate_and_delete(fresh: Any) -> None:
    emu, run = fresh
    created = run(
        "roles",
        "create",
        "--name",
        "Endpoint Admin",
        "-p",
        "central_admin",
        "-p",
        "endpoint_product_admin",
        "--description",
        "Manages endpoints",
        "--yes",
        "-o",
        "json",
    )
    role = ok_json(created)
    assert role["type"] == "custom"
    assert role["permissionSets"] == ["central_admin", "endpoint_product_admin"]

    duplicate = run("roles", "create", "--name", "Endpoint Admin", "-p", "central_admin", "--yes")
    assert duplicate.exit_code == 4
    assert "error:" in duplicate.stderr

    updated = run(
        "roles", "update", role["id"], "-p", "central_read_only", "--description", "RO", "--yes"
    )
    assert updated.exit_code == 0, updated.stderr
    assert json.loads(updated.stdout)["permissionSets"] == ["central_read_only"]

    refused = run("roles", "delete", role["id"])
    assert refused.exit_code == 2
    deleted = run("roles", "delete", role["id"], "--yes")
    assert deleted.exit_code == 0, deleted.stderr
    with sync_client(emu) as central:
        assert role["id"] not in {r.id for r in central.roles.list()}


def test_deleting_a_predefined_role_exits_4(emulator_cli: Cli, sophos_emulator: Emulator) -> None:
    with sync_client(sophos_emulator) as central:
        predefined = central.roles.list(type="predefined").to_list()[0]
    result = emulator_cli("roles", "delete", predefined.id, "--yes")
    assert result.exit_code == 4


def test_dry_run_create_sends_no_post(fresh: Any) -> None:
    emu, run = fresh
    result = run("roles", "create", "--name", "Auditors", "-p", "central_read_only", "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("DRY RUN: POST ")
    assert '"name": "Auditors"' in result.stdout
    assert emu.state.request_count("POST", "/roles") == 0


def test_help_has_examples(cli_run: Cli) -> None:
    for command in ("list", "get", "create", "update", "delete", "permission-sets"):
        result = cli_run("roles", command, "--help")
        assert result.exit_code == 0
        assert "Examples:" in result.stdout
        assert f"pysophos roles {command}" in result.stdout
