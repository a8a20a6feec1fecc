"""``central.admins`` against the emulator over real HTTP, sync and async.

State-changing tests use ``make_emulator()`` (a pristine world) or make and remove their own admin.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pysophoscentralapi import ConflictError, NotFoundError, SophosCentral
from pysophoscentralapi.models import Admin
from tests.integration.conftest import async_client, sync_client

Emulator = Any


def role_ids(central: SophosCentral) -> dict[str, str]:
    return {r.name or "": r.id for r in central.roles.list(principal_type="user")}


def a_user_who_is_not_an_admin(central: SophosCentral) -> str:
    admin_users = {u.id for a in central.admins.list() for u in a.users}
    return next(
        u.id
        for u in central.users.list(source_type="custom")
        if u.id not in admin_users and u.email
    )


def test_list_walks_every_page(make_emulator: Callable[..., Emulator]) -> None:
    emu = make_emulator()
    with sync_client(emu) as central:
        admins = central.admins.list(page_size=4).to_list()
        one_page = central.admins.list().to_list()
    assert len(admins) == 6  # the emulator seeds six admins
    assert all(isinstance(a, Admin) for a in admins)
    assert [a.id for a in admins] == [a.id for a in one_page]
    assert len({a.id for a in admins}) == 6
    assert all(a.profile and a.profile.email for a in admins)
    # 2 pages of 4, then 1 page of 100
    assert emu.state.request_count("GET", "/common/v1/admins") == 3


def test_list_filters_by_role_and_search(sophos_emulator: Emulator) -> None:
    with sync_client(sophos_emulator) as central:
        roles = role_ids(central)
        supers = central.admins.list(role_id=roles["Super Admin"]).to_list()
        assert supers
        assert all(roles["Super Admin"] in a.role_ids for a in supers)
        email = supers[0].profile.email if supers[0].profile else None
        assert email
        found = central.admins.list(search=email.split("@")[0]).to_list()
        assert [a.id for a in found] == [supers[0].id]


def test_create_assign_update_and_delete_an_admin(make_emulator: Callable[..., Emulator]) -> None:
    emu = make_emulator()
    with sync_client(emu) as central:
        roles = role_ids(central)
        user_id = a_user_who_is_not_an_admin(central)
        admin = central.admins.create(
            user_id=user_id, role_ids=[roles["Help Desk"], roles["Read-only"]]
        )
        assert [u.id for u in admin.users] == [user_id]
        assert sorted(admin.role_ids) == sorted([roles["Help Desk"], roles["Read-only"]])
        assert central.admins.get(admin.id).id == admin.id

        assignment = central.admins.assign_role(admin.id, roles["Admin"])
        assert assignment.role_id == roles["Admin"]
        # "any existing assignment is overridden"
        assigned = central.admins.role_assignments(admin.id).to_list()
        assert [a.role_id for a in assigned] == [roles["Admin"]]
        assert central.admins.get_role_assignment(admin.id, assignment.id) == assignment

        updated = central.admins.update(admin.id, role_ids=[roles["Read-only"]])
        assert updated.role_ids == [roles["Read-only"]]

        central.admins.remove_role_assignment(admin.id, updated.role_assignments[0].id)
        assert central.admins.get(admin.id).role_ids == []

        central.admins.delete(admin.id)
        with pytest.raises(NotFoundError):
            central.admins.get(admin.id)
        # the directory user stays
        assert central.users.get(user_id).id == user_id


def test_create_with_an_unknown_role_is_not_found(sophos_emulator: Emulator) -> None:
    with sync_client(sophos_emulator) as central:
        user_id = a_user_who_is_not_an_admin(central)
        with pytest.raises(NotFoundError):
            central.admins.create(
                user_id=user_id, role_ids=["00000000-0000-4000-8000-000000000000"]
            )


def test_the_last_super_admin_cannot_be_removed(make_emulator: Callable[..., Emulator]) -> None:
    emu = make_emulator()
    with sync_client(emu) as central:
        super_role = role_ids(central)["Super Admin"]
        supers = central.admins.list(role_id=super_role).to_list()
        assert len(supers) == 2
        central.admins.delete(supers[0].id)
        last = supers[1]
        with pytest.raises(ConflictError) as caught:
            central.admins.delete(last.id)
        assert caught.value.status_code == 409
        with pytest.raises(ConflictError):
            central.admins.update(last.id, role_ids=[role_ids(central)["Read-only"]])
        assert central.admins.get(last.id).role_ids == [super_role]


def test_dry_run_changes_nothing(make_emulator: Callable[..., Emulator]) -> None:
    emu = make_emulator()
    seen: list[tuple[str, str, Any]] = []
    with sync_client(emu, dry_run_sink=lambda m, u, b: seen.append((m, u, b))) as central:
        admin = central.admins.list().first_page().items[0]
        central.admins.delete(admin.id)
        assert central.admins.get(admin.id).id == admin.id
    assert [(m, u.rsplit("/", 1)[1]) for m, u, _ in seen] == [("DELETE", admin.id)]
    assert emu.state.request_count("DELETE") == 0


async def test_async_client_pages_creates_and_deletes(sophos_emulator: Emulator) -> None:
    async with async_client(sophos_emulator) as central:
        paged = [a.id async for a in central.admins.list(page_size=2)]
        assert len(paged) == len(set(paged)) >= 2
        roles = {r.name: r.id async for r in central.roles.list(principal_type="user")}
        admin_users = {u.id async for a in central.admins.list() for u in a.users}
        candidates = [
            u.id async for u in central.users.list(source_type="custom") if u.id not in admin_users
        ]
        user_id = candidates[0]
        admin = await central.admins.create(user_id=user_id, role_ids=[roles["Read-only"]])
        try:
            assert (await central.admins.get(admin.id)).role_ids == [roles["Read-only"]]
            after = await central.admins.update(admin.id, role_ids=[roles["Help Desk"]])
            assert after.role_ids == [roles["Help Desk"]]
        finally:
            await central.admins.delete(admin.id)
        with pytest.raises(NotFoundError):
            await central.admins.get(admin.id)
