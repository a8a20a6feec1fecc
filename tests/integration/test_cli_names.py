"""Names where people use names: tables, confirmations and id arguments, against the emulator."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import Cli
from tests.integration.conftest import ok_json, sync_client
from tests.integration.test_admins import a_user_who_is_not_an_admin

Emulator = Any


def test_admins_list_shows_role_names_with_one_roles_lookup(fresh: Any) -> None:
    emu, run = fresh
    result = run("admins", "list", "-o", "csv", "--fields", "profile.name,roleAssignments.roleName")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "profile.name,roleAssignments.roleName"
    assert any(line.endswith(",Super Admin") for line in lines[1:])  # grep ',Super Admin$'
    assert any(line.endswith(",Admin;Help Desk") for line in lines[1:])
    assert emu.state.request_count(path="/common/v1/roles") == 1


def test_admins_create_confirmation_names_the_role_and_takes_a_user_name(fresh: Any) -> None:
    emu, run = fresh
    with sync_client(emu) as central:
        user = central.users.get(a_user_who_is_not_an_admin(central))
    result = run("admins", "create", "--user-id", user.name, "--role", "help desk")
    assert result.exit_code != 0  # no terminal and no --yes: refused, naming what it would do
    assert "'Help Desk'" in result.stderr
    assert user.name in result.stderr
    created = run(
        "admins", "create", "--user-id", user.email, "--role", "help desk", "--yes", "-o", "json"
    )
    admin = ok_json(created)
    assert isinstance(admin, dict)
    assert admin["roleAssignments"][0]["roleName"] == "Help Desk"


def test_roles_get_takes_a_name_case_insensitively(emulator_cli: Cli) -> None:
    result = emulator_cli("roles", "get", "read-ONLY", "-o", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["name"] == "Read-only"


def test_unknown_names_fail_with_close_matches(emulator_cli: Cli) -> None:
    result = emulator_cli("roles", "get", "Help Desks")
    assert result.exit_code == 2
    assert "did you mean: 'Help Desk'" in result.stderr


def test_tenant_names_match_ignoring_case(partner_cli: Cli) -> None:
    result = partner_cli("tenants", "get", "acme corp", "-o", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["name"] == "Acme Corp"
    missing = partner_cli("tenants", "get", "Acme")
    assert missing.exit_code == 2
    assert "'Acme Corp'" in missing.stderr


def test_users_and_groups_are_found_by_name_or_email(emulator_cli: Cli) -> None:
    users = json.loads(emulator_cli("users", "list", "--limit", "2", "-o", "json").stdout)
    by_name = emulator_cli("users", "get", users[0]["name"].upper(), "-o", "json")
    assert by_name.exit_code == 0, by_name.stderr
    assert json.loads(by_name.stdout)["id"] == users[0]["id"]
    by_email = emulator_cli("users", "get", users[1]["email"], "-o", "json")
    assert json.loads(by_email.stdout)["id"] == users[1]["id"]
    groups = json.loads(emulator_cli("users", "groups", "list", "-o", "json").stdout)
    group = emulator_cli("users", "groups", "get", groups[0]["name"].lower(), "-o", "json")
    assert json.loads(group.stdout)["id"] == groups[0]["id"]
