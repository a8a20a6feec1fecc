"""Requests built by ``central.roles`` (exact method, path, query and body), against a recorder.

Written once for the async client; scripts/unasync.py generates the sync twin in tests/_sync.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from pysophoscentralapi import BadRequestError, ConflictError
from pysophoscentralapi.models import PermissionSetAccess, PrincipalType, Role, RoleType
from tests._async._helpers import ApiRecorder, assert_refused_before_sending, conflict

ROLE_ID = "c83c9481-f63c-4eb8-8793-e81eb9d66ef4"
ROLE = {
    "id": ROLE_ID,
    "name": "Endpoint Admin",
    "description": "Admin role",
    "type": "custom",
    "principalType": "user",
    "permissionSets": ["central_admin", "endpoint_product_admin"],
    "createdAt": "2024-01-15T10:30:00.000Z",
    "updatedAt": "2024-01-15T10:30:00.000Z",
}
SETS = [
    {
        "id": "central_admin",
        "name": "Central administration",
        "type": "base",
        "principalTypes": ["user", "service"],
        "allowedInCustomRoles": True,
        "access": "admin",
        "products": [],
    },
    {
        "id": "endpoint_product_admin",
        "name": "Endpoint administration",
        "type": "product",
        "principalTypes": ["user"],
        "allowedInCustomRoles": True,
        "access": "admin",
        "products": ["endpoint"],
    },
]
SETS_QUERY_USER = {"allowedInCustomRole": "true", "principalType": "user"}


async def test_list_is_one_request_with_the_filters() -> None:
    api = ApiRecorder()
    api.on("GET", "/roles", (200, {"items": [ROLE, {**ROLE, "id": "r2", "type": "predefined"}]}))
    async with api.client() as central:
        roles = await central.roles.list(
            type="custom", principal_type="user", fields=["id", "name"]
        ).to_list()
    assert [r.type for r in roles] == [RoleType.CUSTOM, RoleType.PREDEFINED]
    assert roles[0].principal_type is PrincipalType.USER
    assert api.sent() == [
        (
            "GET",
            "/common/v1/roles",
            {"type": "custom", "principalType": "user", "fields": "id,name"},
            None,
        )
    ]


async def test_create_checks_the_permission_sets_then_posts() -> None:
    api = ApiRecorder()
    api.on("GET", "/roles/permission-sets", (200, {"items": SETS}))
    api.on("POST", "/roles", (201, ROLE))
    async with api.client() as central:
        role = await central.roles.create(
            name=" Endpoint Admin ",
            permission_sets=["central_admin", "endpoint_product_admin"],
            description="Admin role",
        )
    assert isinstance(role, Role)
    assert role.permission_sets == ["central_admin", "endpoint_product_admin"]
    assert api.sent() == [
        ("GET", "/common/v1/roles/permission-sets", SETS_QUERY_USER, None),
        (
            "POST",
            "/common/v1/roles",
            {},
            {
                "name": "Endpoint Admin",
                "principalType": "user",
                "permissionSets": ["central_admin", "endpoint_product_admin"],
                "description": "Admin role",
            },
        ),
    ]


async def test_create_with_an_unknown_permission_set_names_it_and_the_valid_ones() -> None:
    api = ApiRecorder()
    api.on("GET", "/roles/permission-sets", (200, {"items": SETS}))
    async with api.client() as central:
        with pytest.raises(ValueError, match="permission_sets") as caught:
            await central.roles.create(name="X", permission_sets=["central_admin", "superpowers"])
    message = str(caught.value)
    assert "superpowers" in message
    assert "valid values: central_admin, endpoint_product_admin" in message
    assert [m for m, *_ in api.sent()] == ["GET"]  # nothing was created


async def test_update_patches_only_what_is_given() -> None:
    api = ApiRecorder()
    api.on("PATCH", f"/roles/{ROLE_ID}", (200, {**ROLE, "description": "New"}))
    api.on("GET", "/roles/permission-sets", (200, {"items": SETS}))
    async with api.client() as central:
        role = await central.roles.update(ROLE_ID, description="New")
        await central.roles.update(ROLE_ID, name="Renamed", permission_sets=["central_admin"])
    assert role.description == "New"
    assert api.sent() == [
        ("PATCH", f"/common/v1/roles/{ROLE_ID}", {}, {"description": "New"}),
        ("GET", "/common/v1/roles/permission-sets", {"allowedInCustomRole": "true"}, None),
        (
            "PATCH",
            f"/common/v1/roles/{ROLE_ID}",
            {},
            {"name": "Renamed", "permissionSets": ["central_admin"]},
        ),
    ]


async def test_get_and_delete() -> None:
    api = ApiRecorder()
    api.on("GET", f"/roles/{ROLE_ID}", (200, ROLE))
    api.on("DELETE", f"/roles/{ROLE_ID}", conflict("You can't delete a role assigned."))
    async with api.client() as central:
        role = await central.roles.get(ROLE_ID)
        with pytest.raises(ConflictError):
            await central.roles.delete(ROLE_ID)
    assert role.name == "Endpoint Admin"
    assert [(m, p) for m, p, *_ in api.sent()] == [
        ("GET", f"/common/v1/roles/{ROLE_ID}"),
        ("DELETE", f"/common/v1/roles/{ROLE_ID}"),
    ]


async def test_permission_sets_sends_every_filter() -> None:
    api = ApiRecorder()
    api.on("GET", "/roles/permission-sets", (200, {"items": SETS}))
    async with api.client() as central:
        sets = await central.roles.permission_sets(
            type="product",
            product="endpoint",
            access="admin",
            allowed_in_custom_role=False,
            principal_type="service",
        ).to_list()
    assert sets[1].access is PermissionSetAccess.ADMIN
    assert sets[1].products == ["endpoint"]
    assert sets[0].allowed_in_custom_roles is True
    assert api.sent()[0][2] == {
        "type": "product",
        "product": "endpoint",
        "access": "admin",
        "allowedInCustomRole": "false",
        "principalType": "service",
    }


async def test_a_400_from_the_api_is_a_bad_request_error() -> None:
    api = ApiRecorder()
    api.on(
        "GET",
        "/roles/permission-sets",
        lambda request: httpx.Response(400, json={"error": "badRequest", "message": "Bad."}),
    )
    async with api.client() as central:
        with pytest.raises(BadRequestError):
            await central.roles.permission_sets().to_list()


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.roles.list(type="builtin"), "valid values: predefined, custom"),
        (lambda c: c.roles.list(principal_type="robot"), "valid values: user, service"),
        (lambda c: c.roles.permission_sets(type="x"), "valid values: base, setting, product"),
        (lambda c: c.roles.permission_sets(access="write"), "valid values: admin, readOnly"),
    ],
)
async def test_unknown_filter_values_list_the_valid_ones(call: Any, message: str) -> None:
    await assert_refused_before_sending(call, message)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.roles.get("role-1"), "role_id"),
        (lambda c: c.roles.create(name="", permission_sets=["central_admin"]), "name"),
        (
            lambda c: c.roles.create(name="x", permission_sets=[], principal_type="bot"),
            "principal_type",
        ),
        (lambda c: c.roles.update(ROLE_ID), "nothing to update"),
        (lambda c: c.roles.delete("1"), "role_id"),
    ],
)
async def test_bad_arguments_are_refused_before_any_request(call: Any, message: str) -> None:
    await assert_refused_before_sending(call, message)
