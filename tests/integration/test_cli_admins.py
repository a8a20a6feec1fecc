"""``pysophos admins`` against the emulator over real HTTP, through the real entry point."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import Cli
from tests.integration.conftest import assert_usage_error_before_any_request, ok_json, sync_client
from tests.integration.test_admins import a_user_who_is_not_an_admin, role_ids

Emulator = Any
NO_SUCH_ID = "00000000-0000-4000-8000-000000000000"


def test_list_shows_every_admin_and_the_default_columns(fresh: Any) -> None:
    emu, run = fresh
    result = run("admins", "list", "-o", "json")
    rows = ok_json(result)
    with sync_client(emu) as central:
        assert [r["id"] for r in rows] == [a.id for a in central.admins.list()]
    assert len(rows) == 6
    table = run("admins", "list", "-o", "table")
    assert table.exit_code == 0, table.stderr
    header = table.stdout.splitlines()[1].split()
    assert header == [
        "profile.name",
        "profile.email",
        "roleAssignments.roleName",
        "createdAt",
        "id",
    ]


def test_list_by_role_name(emulator_cli: Cli, sophos_emulator: Emulator) -> None:
    with sync_client(sophos_emulator) as central:
        super_role = role_ids(central)["Super Admin"]
    result = emulator_cli("admins", "list", "--role", "super admin", "-o", "json")
    rows = ok_json(result)
    assert rows
    assert all(super_role in [ra["roleId"] for ra in r["roleAssignments"]] for r in rows)
    unknown = emulator_cli("admins", "list", "--role", "Wizard")
    assert unknown.exit_code == 2
    assert "Wizard" in unknown.stderr
    assert "Super Admin" in unknown.stderr


def test_create_update_delete_with_role_names(fresh: Any) -> None:
    emu, run = fresh
    with sync_client(emu) as central:
        user_id = a_user_who_is_not_an_admin(central)
        roles = role_ids(central)
    created = run(
        "admins", "create", "--user-id", user_id, "--role", "Help Desk", "--yes", "-o", "json"
    )
    admin = ok_json(created)
    assert [ra["roleId"] for ra in admin["roleAssignments"]] == [roles["Help Desk"]]

    got = run("admins", "get", admin["id"], "-o", "json")
    assert json.loads(got.stdout)["users"][0]["id"] == user_id

    updated = run("admins", "update", admin["id"], "--role", roles["Read-only"], "--yes")
    assert updated.exit_code == 0, updated.stderr
    assert [ra["roleId"] for ra in json.loads(updated.stdout)["roleAssignments"]] == [
        roles["Read-only"]
    ]

    deleted = run("admins", "delete", admin["id"], "--yes", "-o", "json")
    assert deleted.exit_code == 0, deleted.stderr
    [row] = json.loads(deleted.stdout)
    assert (row["id"], row["status"]) == (admin["id"], "ok")
    assert "removed 1 of 1" in deleted.stderr
    missing = run("admins", "get", admin["id"])
    assert missing.exit_code == 4


def test_deleting_the_last_super_admin_exits_4(fresh: Any) -> None:
    emu, run = fresh
    with sync_client(emu) as central:
        supers = central.admins.list(role_id=role_ids(central)["Super Admin"]).to_list()
    assert run("admins", "delete", supers[0].id, "--yes").exit_code == 0
    result = run("admins", "delete", supers[1].id, "--yes")
    assert result.exit_code == 4
    assert "error:" in result.stderr
    assert "Traceback" not in result.stderr
    with sync_client(emu) as central:
        assert central.admins.get(supers[1].id).id == supers[1].id


def test_state_changes_need_yes_off_a_terminal(fresh: Any) -> None:
    emu, run = fresh
    with sync_client(emu) as central:
        admin = central.admins.list().first_page().items[0]
        user_id = a_user_who_is_not_an_admin(central)
    for args in (
        ("admins", "delete", admin.id),
        ("admins", "update", admin.id, "--role", "Admin"),
        ("admins", "create", "--user-id", user_id, "--role", "Admin"),
    ):
        result = run(*args)
        assert result.exit_code == 2, args
        assert "--yes" in result.stderr
    assert emu.state.request_count("DELETE") == 0
    assert emu.state.request_count("POST", "/common/v1/admins") == 0


def test_dry_run_prints_the_request_and_changes_nothing(fresh: Any) -> None:
    emu, run = fresh
    with sync_client(emu) as central:
        admin = central.admins.list().first_page().items[0]
    result = run("admins", "delete", admin.id, "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "DRY RUN: DELETE " in result.stdout
    assert result.stdout.strip().endswith(f"/common/v1/admins/{admin.id}")
    assert emu.state.request_count("DELETE") == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("admins", "get", "not-an-id"), "not a valid id"),
        (("admins", "delete", "42", "--yes"), "is not an admin id"),
        (
            ("admins", "update", NO_SUCH_ID, "--role", "Admin", "--role", "User", "--yes"),
            "one role",
        ),
    ],
)
def test_bad_input_exits_2_before_any_request(
    fresh: Any, args: tuple[str, ...], message: str
) -> None:
    assert_usage_error_before_any_request(fresh, args, message)


def test_help_has_examples(cli_run: Cli) -> None:
    for command in ("list", "get", "create", "update", "delete"):
        result = cli_run("admins", command, "--help")
        assert result.exit_code == 0
        assert "Examples:" in result.stdout
        assert f"pysophos admins {command}" in result.stdout
