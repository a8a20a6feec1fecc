"""``pysophos users`` and ``pysophos users groups`` against the emulator over real HTTP, through
the real entry point."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import Cli
from tests.integration.conftest import assert_usage_error_before_any_request, ok_json, sync_client

Emulator = Any


def test_list_every_user_and_sort_by_the_api(fresh: Any) -> None:
    emu, run = fresh
    result = run("users", "list", "-o", "json", "--sort", "email:desc")
    rows = ok_json(result)
    assert len(rows) == 40
    emails = [r["email"] for r in rows]
    assert emails == sorted(emails, reverse=True)
    assert any(
        "sort=email%3Adesc" in r.query or "sort=email:desc" in r.query for r in emu.state.requests
    )
    csv = run(
        "users",
        "list",
        "--source-type",
        "activeDirectory",
        "-o",
        "csv",
        "--fields",
        "id,source.type",
    )
    assert csv.exit_code == 0, csv.stderr
    lines = csv.stdout.splitlines()
    assert lines[0] == "id,source.type"
    assert len(lines) > 1
    assert all(line.endswith(",activeDirectory") for line in lines[1:])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("users", "create", "--name", "X", "--email", "x-at-example.com", "--yes"), "email"),
        (("users", "update", "1", "--name", "X", "--yes"), "not a valid id"),
        (("users", "list", "--source-type", "ldap"), "activeDirectory"),
        (("users", "list", "--group", "finance"), "not a valid id"),
        (("users", "groups", "members", "finance"), "not a valid id"),
        (("users", "create", "--yes"), "--name"),
    ],
)
def test_bad_input_exits_2_before_any_request(
    fresh: Any, args: tuple[str, ...], message: str
) -> None:
    assert_usage_error_before_any_request(fresh, args, message)


def test_create_update_delete_a_user(fresh: Any) -> None:
    emu, run = fresh
    created = run(
        "users",
        "create",
        "--first-name",
        "Ann",
        "--last-name",
        "Lee",
        "--email",
        "ann.lee@example.com",
        "--yes",
        "-o",
        "json",
    )
    user = ok_json(created)
    assert (user["name"], user["email"]) == ("Ann Lee", "ann.lee@example.com")

    duplicate = run("users", "create", "--name", "Ann 2", "--email", "ann.lee@example.com", "--yes")
    assert duplicate.exit_code == 4

    without_yes = run("users", "update", user["id"], "--name", "Ann B. Lee")
    assert without_yes.exit_code == 2
    updated = run("users", "update", user["id"], "--email", "ann@example.org", "--yes")
    assert updated.exit_code == 0, updated.stderr
    assert json.loads(updated.stdout)["email"] == "ann@example.org"
    with sync_client(emu) as central:
        assert central.users.get(user["id"]).name == "Ann Lee"

    deleted = run("users", "delete", user["id"], "--yes", "-o", "json")
    [row] = json.loads(deleted.stdout)
    assert (row["id"], row["status"]) == (user["id"], "ok")
    assert run("users", "get", user["id"]).exit_code == 4


def test_group_membership_add_and_remove(fresh: Any) -> None:
    emu, run = fresh
    with sync_client(emu) as central:
        first, second, third = (
            u.id for u in central.users.list(source_type="custom", page_size=3).first_page()
        )
    created = run(
        "users", "groups", "create", "--name", "Auditors", "--user", first, "--yes", "-o", "json"
    )
    group = ok_json(created)

    args = ("users", "groups", "add-members", group["id"], "-", "--yes", "-o", "json")
    added = run(*args, input=f"{second}\n{third}\n")
    assert added.exit_code == 0, added.stderr
    assert [(r["id"], r["status"], r["groupId"]) for r in json.loads(added.stdout)] == [
        (second, "ok", group["id"]),
        (third, "ok", group["id"]),
    ]
    members = run("users", "groups", "members", group["id"], "-o", "json")
    assert {m["id"] for m in json.loads(members.stdout)} == {first, second, third}

    removed = run("users", "groups", "remove-member", group["id"], second, "--yes")
    assert removed.exit_code == 0, removed.stderr
    of_user = run("users", "groups", "list", "--user", second, "-o", "json")
    assert group["id"] not in {g["id"] for g in json.loads(of_user.stdout)}

    not_empty = run("users", "groups", "delete", group["id"], "--yes")
    assert not_empty.exit_code == 4
    for member in (first, third):
        assert run("users", "groups", "remove-member", group["id"], member, "--yes").exit_code == 0
    renamed = run("users", "groups", "update", group["id"], "--name", "Audit", "--yes")
    assert json.loads(renamed.stdout)["name"] == "Audit"
    assert run("users", "groups", "delete", group["id"], "--yes").exit_code == 0
    assert run("users", "groups", "get", group["id"]).exit_code == 4


def test_dry_run_add_members_changes_nothing(fresh: Any) -> None:
    emu, run = fresh
    with sync_client(emu) as central:
        group = central.users.groups.list(search="Finance").first_page().items[0]
        members = {r.id for r in (group.users.items if group.users else [])}
        outsider = next(
            u.id for u in central.users.list(source_type="custom") if u.id not in members
        )
    result = run("users", "groups", "add-members", group.id, outsider, "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("DRY RUN: POST ")
    assert outsider in result.stdout
    with sync_client(emu) as central:
        assert outsider not in {u.id for u in central.users.groups.members(group.id)}


def test_help_has_examples(cli_run: Cli) -> None:
    for args in (
        ("users", "list"),
        ("users", "get"),
        ("users", "create"),
        ("users", "update"),
        ("users", "delete"),
        ("users", "groups", "list"),
        ("users", "groups", "get"),
        ("users", "groups", "create"),
        ("users", "groups", "update"),
        ("users", "groups", "delete"),
        ("users", "groups", "members"),
        ("users", "groups", "add-members"),
        ("users", "groups", "remove-member"),
    ):
        result = cli_run(*args, "--help")
        assert result.exit_code == 0
        assert "Examples:" in result.stdout
        assert "pysophos " + " ".join(args) in result.stdout
