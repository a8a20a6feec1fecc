"""``central.users`` and ``central.users.groups`` against the emulator over real HTTP, sync and
async."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from pysophoscentralapi import ConflictError, NotFoundError
from pysophoscentralapi.models import DirectoryUser, SourceType, UserGroup
from tests.integration.conftest import async_client, sync_client

Emulator = Any


def unique(name: str) -> str:
    return f"{name} {uuid.uuid4().hex[:8]}"


def test_list_walks_every_page(make_emulator: Callable[..., Emulator]) -> None:
    emu = make_emulator()
    with sync_client(emu) as central:
        users = central.users.list(page_size=15).to_list()
    assert len(users) == 40  # the emulator seeds 40 users
    assert len({u.id for u in users}) == 40
    assert all(isinstance(u, DirectoryUser) and u.email for u in users)
    assert emu.state.request_count("GET", "/common/v1/directory/users") == 3


def test_list_filters(sophos_emulator: Emulator) -> None:
    with sync_client(sophos_emulator) as central:
        synced = central.users.list(source_type="activeDirectory").to_list()
        by_name = central.users.list(sort="name:desc").to_list()
        some = central.users.list(ids=[u.id for u in by_name[:3]]).to_list()
        finance = central.users.groups.list(search="Finance").to_list()[0]
        members = central.users.list(group_id=finance.id).to_list()
    assert synced
    assert all(u.source and u.source.type is SourceType.ACTIVE_DIRECTORY for u in synced)
    names = [u.name or "" for u in by_name]
    assert names == sorted(names, key=str.lower, reverse=True)
    assert {u.id for u in some} == {u.id for u in by_name[:3]}
    assert finance.users is not None
    assert {u.id for u in members} == {ref.id for ref in finance.users.items}


def test_create_update_delete_a_user(make_emulator: Callable[..., Emulator]) -> None:
    emu = make_emulator()
    with sync_client(emu) as central:
        with pytest.raises(ValueError, match="email"):
            central.users.create(name="Ann Lee", email="ann.lee-at-example.com")
        assert emu.state.request_count("POST", "/directory/users") == 0

        user = central.users.create(
            name="Ann Lee",
            first_name="Ann",
            last_name="Lee",
            email="ann.lee@example.com",
            exchange_login="alee",
        )
        assert user.domain == "example.com"
        assert user.source
        assert user.source.type is SourceType.CUSTOM
        with pytest.raises(ConflictError):  # the email is in use
            central.users.create(name="Ann Other", email="ann.lee@example.com")

        updated = central.users.update(user.id, email="ann@example.org", last_name="Lee-Smith")
        assert (updated.email, updated.last_name, updated.first_name) == (
            "ann@example.org",
            "Lee-Smith",
            "Ann",
        )
        assert central.users.get(user.id).email == "ann@example.org"

        central.users.delete(user.id)
        with pytest.raises(NotFoundError):
            central.users.get(user.id)


def test_users_synced_from_ad_cannot_be_changed(sophos_emulator: Emulator) -> None:
    with sync_client(sophos_emulator) as central:
        synced = central.users.list(source_type="activeDirectory").first_page().items[0]
        with pytest.raises(ConflictError):
            central.users.update(synced.id, name="Renamed")
        with pytest.raises(ConflictError):
            central.users.delete(synced.id)


def test_group_lifecycle_and_membership(make_emulator: Callable[..., Emulator]) -> None:
    emu = make_emulator()
    with sync_client(emu) as central:
        custom = central.users.list(source_type="custom", page_size=3).first_page().items
        first, second, third = (u.id for u in custom)
        group = central.users.groups.create("Auditors", description="Audit", user_ids=[first])
        assert isinstance(group, UserGroup)
        assert group.users
        assert [r.id for r in group.users.items] == [first]
        with pytest.raises(ConflictError):
            central.users.groups.create("Auditors")

        assert central.users.groups.add_members(group.id, [second, third]) == [second, third]
        assert {u.id for u in central.users.groups.members(group.id)} == {first, second, third}

        central.users.groups.remove_member(group.id, second)
        assert group.id not in {g.id for g in central.users.groups_of(second)}
        assert group.id in {g.id for g in central.users.groups.list(user_id=first)}

        # the same membership seen from the user's side
        finance = central.users.groups.list(search="Finance").to_list()[0]
        assert central.users.add_to_groups(second, [group.id, finance.id]) == [
            group.id,
            finance.id,
        ]
        assert {group.id, finance.id} <= {g.id for g in central.users.groups_of(second)}
        user = central.users.get(second)
        assert user.groups
        assert {r.id for r in user.groups.items} >= {group.id, finance.id}
        central.users.remove_from_group(second, group.id)
        assert group.id not in {g.id for g in central.users.groups_of(second)}

        renamed = central.users.groups.update(group.id, name="Internal audit")
        assert (renamed.name, renamed.description) == ("Internal audit", "Audit")

        with pytest.raises(ConflictError):  # only empty groups can be deleted
            central.users.groups.delete(group.id)
        for member in central.users.groups.members(group.id).to_list():
            central.users.groups.remove_member(group.id, member.id)
        central.users.groups.delete(group.id)
        with pytest.raises(NotFoundError):
            central.users.groups.get(group.id)


async def test_async_users_and_groups(sophos_emulator: Emulator) -> None:
    async with async_client(sophos_emulator) as central:
        paged = [u.id async for u in central.users.list(page_size=7)]
        assert len(paged) == len(set(paged)) >= 40
        email = f"{uuid.uuid4().hex[:10]}@example.com"
        user = await central.users.create(name="Async User", email=email)
        group = await central.users.groups.create(unique("Async group"))
        try:
            assert await central.users.groups.add_members(group.id, [user.id]) == [user.id]
            members = [u.id async for u in central.users.groups.members(group.id)]
            assert members == [user.id]
            await central.users.groups.remove_member(group.id, user.id)
            assert [u async for u in central.users.groups.members(group.id)] == []
        finally:
            await central.users.groups.delete(group.id)
            await central.users.delete(user.id)
        with pytest.raises(NotFoundError):
            await central.users.get(user.id)


def test_bulk_removals_both_ways(make_emulator: Callable[..., Emulator]) -> None:
    emu = make_emulator()
    with sync_client(emu) as central:
        custom = central.users.list(source_type="custom", page_size=3).first_page().items
        first, second, third = (u.id for u in custom)
        group = central.users.groups.create("Bulk", user_ids=[first, second, third])
        other = central.users.groups.create("Other", user_ids=[first])
        # A group's members, several at once (an id not in the group is not reported removed).
        assert central.users.groups.remove_members(group.id, [first, second]) == [first, second]
        assert {u.id for u in central.users.groups.members(group.id)} == {third}
        # A user's groups, several at once.
        central.users.add_to_groups(first, [group.id])
        removed = central.users.remove_from_groups(first, [group.id, other.id])
        assert sorted(removed) == sorted([group.id, other.id])
        assert not {group.id, other.id} & {g.id for g in central.users.groups_of(first)}
        with pytest.raises(ValueError, match="group_ids"):
            central.users.remove_from_groups(first, [])


def test_cli_remove_members_writes_a_row_per_user(
    make_emulator: Callable[..., Emulator], cli_run: Any
) -> None:
    emu = make_emulator()
    with sync_client(emu) as central:
        first, second = (
            u.id for u in central.users.list(source_type="custom", page_size=2).first_page().items
        )
        group = central.users.groups.create("CLI bulk", user_ids=[first])
    result = cli_run("users", "groups", "remove-members", group.id, first, second, "--yes", "-o",
                     "json", env=emu.env("tenant"))  # fmt: skip
    assert result.exit_code == 4
    assert [(r["id"], r["status"]) for r in json.loads(result.stdout)] == [
        (first, "ok"),
        (second, "not-found"),
    ]
