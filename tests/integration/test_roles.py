"""``central.roles`` against the emulator over real HTTP, sync and async."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest

from pysophoscentralapi import ConflictError, NotFoundError
from pysophoscentralapi.models import PermissionSetType, PrincipalType, RoleType
from tests.integration.conftest import async_client, sync_client
from tests.integration.test_admins import a_user_who_is_not_an_admin

Emulator = Any


def unique(name: str) -> str:
    return f"{name} {uuid.uuid4().hex[:8]}"


def test_list_and_filters(sophos_emulator: Emulator) -> None:
    with sync_client(sophos_emulator) as central:
        every = central.roles.list().to_list()
        predefined = central.roles.list(type="predefined").to_list()
        service = central.roles.list(principal_type="service").to_list()
        one = central.roles.get(predefined[0].id)
    assert {r.name for r in predefined} >= {"Super Admin", "Admin", "Help Desk", "Read-only"}
    assert all(r.type is RoleType.PREDEFINED for r in predefined)
    assert service
    assert all(r.principal_type is PrincipalType.SERVICE for r in service)
    assert {r.id for r in predefined} <= {r.id for r in every}
    assert one == predefined[0]


def test_permission_sets_and_their_filters(sophos_emulator: Emulator) -> None:
    with sync_client(sophos_emulator) as central:
        every = central.roles.permission_sets().to_list()
        custom = central.roles.permission_sets(allowed_in_custom_role=True).to_list()
        products = central.roles.permission_sets(type="product", product="endpoint").to_list()
    assert {"central_admin", "endpoint_product_admin"} <= {p.id for p in every}
    assert all(p.allowed_in_custom_roles for p in custom)
    assert len(custom) < len(every)
    assert products
    assert all(p.type is PermissionSetType.PRODUCT and "endpoint" in p.products for p in products)


def test_create_with_an_unknown_permission_set_names_the_valid_ones(
    make_emulator: Callable[..., Emulator],
) -> None:
    emu = make_emulator()
    with sync_client(emu) as central:
        with pytest.raises(ValueError, match="permission_sets") as caught:
            central.roles.create(name="Broken", permission_sets=["central_admin", "god_mode"])
        # not allowed in custom roles: refused as well
        with pytest.raises(ValueError, match="central_super_admin"):
            central.roles.create(name="Broken", permission_sets=["central_super_admin"])
        assert "Broken" not in {r.name for r in central.roles.list()}
    message = str(caught.value)
    assert "god_mode" in message
    assert "valid values: central_admin, central_read_only" in message
    assert emu.state.request_count("POST", "/roles") == 0


def test_create_update_delete_and_conflicts(make_emulator: Callable[..., Emulator]) -> None:
    emu = make_emulator()
    with sync_client(emu) as central:
        role = central.roles.create(
            name="Endpoint Admin",
            permission_sets=["central_admin", "endpoint_product_admin"],
            description="Manages endpoints",
        )
        assert role.type is RoleType.CUSTOM
        assert role.permission_sets == ["central_admin", "endpoint_product_admin"]
        assert central.roles.get(role.id).name == "Endpoint Admin"

        with pytest.raises(ConflictError):
            central.roles.create(name="Endpoint Admin", permission_sets=["central_read_only"])
        with pytest.raises(ConflictError):  # a predefined role's name
            central.roles.create(name="Super Admin", permission_sets=["central_read_only"])

        updated = central.roles.update(
            role.id, description="Endpoint team", permission_sets=["central_read_only"]
        )
        assert updated.description == "Endpoint team"
        assert updated.permission_sets == ["central_read_only"]
        assert updated.name == "Endpoint Admin"

        predefined = central.roles.list(type="predefined").to_list()[0]
        with pytest.raises(ConflictError):
            central.roles.delete(predefined.id)

        # a role held by an admin cannot be deleted
        admin = central.admins.create(
            user_id=a_user_who_is_not_an_admin(central), role_ids=[role.id]
        )
        with pytest.raises(ConflictError):
            central.roles.delete(role.id)
        central.admins.delete(admin.id)

        central.roles.delete(role.id)
        with pytest.raises(NotFoundError):
            central.roles.get(role.id)


async def test_async_create_and_delete(sophos_emulator: Emulator) -> None:
    name = unique("Async role")
    async with async_client(sophos_emulator) as central:
        role = await central.roles.create(
            name=name, permission_sets=["central_read_only"], principal_type="service"
        )
        try:
            assert role.principal_type is PrincipalType.SERVICE
            names = [r.name async for r in central.roles.list(type="custom")]
            assert name in names
            with pytest.raises(ValueError, match="mobile_product_admin"):
                # a user-only permission set in a service role
                await central.roles.create(
                    name=unique("x"),
                    permission_sets=["mobile_product_admin"],
                    principal_type="service",
                )
        finally:
            await central.roles.delete(role.id)
        assert name not in [r.name async for r in central.roles.list()]
