"""Endpoint groups against the emulator over HTTP: membership seen both ways (the group's
members and the endpoint's ``group``), names, types and the documented errors.

(The plain CRUD round trip of the group list is in ``test_collections.py``.)
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from pysophoscentralapi import ConflictError, NotFoundError
from tests.integration.conftest import async_client, ok_json, sync_client

G = ("endpoint", "groups")


def _endpoints_of_type(central: Any, endpoint_type: str, count: int) -> list[str]:
    rows = central.endpoints.list(type=[endpoint_type]).raw_items()
    return [row["id"] for _, row in zip(range(count), rows, strict=False)]


def test_membership_shows_in_the_group_and_in_the_endpoint(make_emulator: Any) -> None:
    with sync_client(make_emulator()) as central:
        groups = central.endpoint_groups
        group = groups.create("Seattle computers", description="Seattle office")
        assert (group.endpoints.total, group.type.value) == (0, "computer")
        computers = _endpoints_of_type(central, "computer", 3)
        server = _endpoints_of_type(central, "server", 1)[0]
        unknown = str(uuid.uuid4())
        change = groups.add_endpoints(group.id, [*computers, server, unknown])
        assert [ref.id for ref in change.added_endpoints] == computers
        assert change.errors.endpoints_not_found == [unknown]
        assert change.errors.endpoints_of_wrong_type == [server]
        # Both ways: the group lists them, each endpoint names the group.
        assert sorted(groups.member_ids(group.id)) == sorted(computers)
        assert groups.get(group.id).endpoints.total == 3
        for endpoint_id in computers:
            ref = central.endpoints.get(endpoint_id).group
            assert (ref.id, ref.name) == (group.id, "Seattle computers")
        # A rename shows on the endpoints too.
        groups.update(group.id, name="Seattle laptops")
        assert central.endpoints.get(computers[0]).group.name == "Seattle laptops"
        # Removing one, then the others in bulk.
        assert groups.remove_endpoint(group.id, computers[0]) is True
        assert central.endpoints.get(computers[0]).group is None
        removed = groups.remove_endpoints(group.id, [computers[1], computers[2], unknown])
        assert sorted(ref.id for ref in removed.removed_endpoints) == sorted(computers[1:])
        assert removed.errors.endpoints_not_found == [unknown]
        assert groups.member_ids(group.id) == []
        with pytest.raises(NotFoundError):
            groups.remove_endpoint(group.id, computers[0])


def test_adding_to_another_group_moves_the_endpoint(make_emulator: Any) -> None:
    with sync_client(make_emulator()) as central:
        groups = central.endpoint_groups
        first = groups.create("First")
        second = groups.create("Second", endpoint_ids=_endpoints_of_type(central, "computer", 1))
        (endpoint_id,) = groups.member_ids(second.id)
        groups.add_endpoints(first.id, [endpoint_id])
        assert groups.member_ids(second.id) == []
        assert groups.member_ids(first.id) == [endpoint_id]
        # Deleting the group leaves the endpoint in none.
        assert groups.delete(first.id) is True
        assert central.endpoints.get(endpoint_id).group is None
        assert groups.delete(first.id) is False  # the API answers deleted: false


def test_members_are_listed_page_by_page(make_emulator: Any) -> None:
    with sync_client(make_emulator()) as central:
        servers = central.endpoint_groups.find("servers")
        every = [e.id for e in central.endpoint_groups.members(servers.id)]
        assert len(every) == servers.endpoints.total > 2
        assert [e.id for e in central.endpoint_groups.members(servers.id, page_size=2)] == every
        assert all(e.type == "server" for e in central.endpoint_groups.members(servers.id))


def test_names_filters_types_and_conflicts(make_emulator: Any) -> None:
    with sync_client(make_emulator()) as central:
        groups = central.endpoint_groups
        assert groups.find("SALES").name == "Sales"
        with pytest.raises(LookupError, match="0 endpoint groups"):
            groups.find("nobody")
        with pytest.raises(ConflictError):
            groups.create("Sales")
        assert [g.name for g in groups.list_by_type("server")] == ["Servers"]
        assert "Servers" not in {g.name for g in groups.list(group_type="computer")}
        names = [g.name for g in groups.list(sort="name:desc")]
        assert names == sorted(names, key=str.casefold, reverse=True)
        assert [g.name for g in groups.list(search="fin")] == ["Finance"]
        with pytest.raises(ValueError, match="group_type"):
            groups.list(group_type="phone")


async def test_async_groups(make_emulator: Any) -> None:
    async with async_client(make_emulator()) as central:
        group = await central.endpoint_groups.create("Async group", type="server")
        found = await central.endpoint_groups.find("async GROUP")
        assert found.id == group.id
        assert await central.endpoint_groups.member_ids(group.id) == []


# --- CLI ----------------------------------------------------------------------------------------


def test_cli_membership_by_group_name_both_ways(cli_run: Any, make_emulator: Any) -> None:
    env = make_emulator().env("tenant")
    name = f"Kiosk-{uuid.uuid4().hex[:6]}"
    ok_json(cli_run(*G, "create", name, "--yes", "-o", "json", env=env))
    listed = ok_json(cli_run("endpoint", "list", "--type", "computer", "-o", "json", env=env))
    ids = [row["id"] for row in listed[:2]]
    unknown = str(uuid.uuid4())
    added = cli_run(*G, "add", name.lower(), *ids, unknown, "--yes", "-o", "json", env=env)
    assert added.exit_code == 4
    assert [(r["id"], r["status"], r["error"]) for r in json.loads(added.stdout)] == [
        (ids[0], "ok", None),
        (ids[1], "ok", None),
        (unknown, "not-found", "no such endpoint (or not in the group)"),
    ]
    assert "added 2 of 3; 1 not found" in added.stderr
    members = ok_json(cli_run(*G, "members", name, "-o", "json", env=env))
    assert sorted(row["id"] for row in members) == sorted(ids)
    in_group = ok_json(cli_run("endpoint", "list", "--group", name.upper(), "-o", "json", env=env))
    assert sorted(row["id"] for row in in_group) == sorted(ids)
    assert {row["group"]["name"] for row in in_group} == {name}
    removed = ok_json(cli_run(*G, "remove", name, ids[0], "--yes", "-o", "json", env=env))
    assert [(r["id"], r["status"]) for r in removed] == [(ids[0], "ok")]
    again = cli_run(*G, "remove", name, ids[0], "--yes", "-o", "json", env=env)
    assert again.exit_code == 4
    assert json.loads(again.stdout)[0]["status"] == "not-found"
    got = ok_json(cli_run(*G, "get", name, "-o", "json", env=env))
    assert got["endpoints"]["total"] == 1
    deleted = ok_json(cli_run(*G, "delete", name, "--yes", "-o", "json", env=env))
    assert [(r["id"], r["status"]) for r in deleted] == [(got["id"], "ok")]


def test_cli_names_that_are_unknown_or_ambiguous_are_refused(
    cli_run: Any, make_emulator: Any
) -> None:
    emulator = make_emulator()
    env = emulator.env("tenant")
    unknown = cli_run(*G, "get", "Nowhere", env=env)
    assert unknown.exit_code == 2
    assert "no endpoint group is named 'Nowhere'" in unknown.stderr
    # Two groups whose names differ only in case: the name is ambiguous.
    with sync_client(emulator) as central:
        central.endpoint_groups.update(central.endpoint_groups.find("kiosks").id, name="Twins")
        twin = central.endpoint_groups.create("twins")
    ambiguous = cli_run(*G, "delete", "TWINS", "--yes", env=env)
    assert ambiguous.exit_code == 2
    assert "2 endpoint groups are named 'TWINS'" in ambiguous.stderr
    assert twin.id in ambiguous.stderr
    no_group = cli_run("endpoint", "list", "--group", "Nowhere", env=env)
    assert no_group.exit_code == 2
    assert "--group" in no_group.stderr


def test_cli_create_conflict_and_dry_run(cli_run: Any, make_emulator: Any) -> None:
    env = make_emulator().env("tenant")
    conflict = cli_run(*G, "create", "Sales", "--yes", env=env)
    assert conflict.exit_code == 4
    assert "409" in conflict.stderr
    shown = cli_run(*G, "create", "New", "--type", "server", "--dry-run", env=env)
    assert shown.exit_code == 0, shown.stderr
    assert shown.stdout.startswith("DRY RUN: POST")
    assert '"type": "server"' in shown.stdout or "server" in shown.stdout
    assert "New" not in {row["name"] for row in ok_json(cli_run(*G, "list", "-o", "json", env=env))}
    bad = cli_run(*G, "create", "X", "--type", "phone", "--yes", env=env)
    assert bad.exit_code == 2
