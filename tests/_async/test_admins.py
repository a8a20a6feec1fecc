"""Requests built by ``central.admins`` (exact method, path, query and body), against a recorder.

Written once for the async client; scripts/unasync.py generates the sync twin in tests/_sync.
"""

from __future__ import annotations

from typing import Any

import pytest

from pysophoscentralapi import ConflictError, NotFoundError
from pysophoscentralapi.models import Admin, RoleAssignment
from tests._async._helpers import (
    REGION_URL,
    TENANT_ID,
    ApiRecorder,
    assert_refused_before_sending,
    conflict,
    numbered_pages,
    page,
)

ADMIN_ID = "e1c7aa85-7863-4561-a50e-2b345b0e16e5"
USER_ID = "17dd896f-ee9f-4f7d-a2a2-6a8c0b48ff15"
ROLE_ID = "c83c9481-f63c-4eb8-8793-e81eb9d66ef4"
ROLE_ID_2 = "4b357587-a78b-4883-aff8-99bdd308b7b6"
ASSIGNMENT_ID = "4bcb8ee6-720b-40c7-b748-716a3c47c185"

#: The collection's example admin.
ADMIN = {
    "id": ADMIN_ID,
    "tenant": {"id": TENANT_ID},
    "users": [{"id": USER_ID, "name": "John Smith"}],
    "profile": {
        "name": "John Smith",
        "firstName": "John",
        "lastName": "Smith",
        "email": "john.smith@example.com",
    },
    "roleAssignments": [{"id": ASSIGNMENT_ID, "roleId": ROLE_ID}],
    "createdAt": "2021-01-02T15:32:59.789",
    "updatedAt": "2021-02-12T20:00:01.329",
}


async def test_list_sends_the_filters_and_walks_page_numbers() -> None:
    api = ApiRecorder()
    api.on("GET", "/admins", numbered_pages(ADMIN, "a", 2))
    async with api.client() as central:
        admins = await central.admins.list(
            search="john",
            search_fields=["username", "name"],
            role_id=ROLE_ID.upper(),
            sort=["createdAt:desc"],
            fields=["id", "profile"],
            page_size=1,
        ).to_list()
    assert [a.id for a in admins] == ["a1", "a2"]
    queries = [query for _, _, query, _ in api.sent()]
    assert queries[0] == {
        "search": "john",
        "searchFields": "username,name",
        "roleId": ROLE_ID,
        "sort": "createdAt:desc",
        "fields": "id,profile",
        "page": "1",
        "pageSize": "1",
        "pageTotal": "true",
    }
    assert queries[1]["page"] == "2"
    assert all(path == "/common/v1/admins" for _, path, _, _ in api.sent())
    assert str(api.requests[0].url).startswith(REGION_URL)
    assert api.requests[0].headers["X-Tenant-ID"] == TENANT_ID


async def test_list_defaults_to_the_maximum_page_size() -> None:
    api = ApiRecorder()
    api.on("GET", "/admins", (200, page([ADMIN], 1, 1)))
    async with api.client() as central:
        first = await central.admins.list().first_page()
    assert first.items[0].profile is not None
    assert first.items[0].profile.email == "john.smith@example.com"
    assert api.sent()[0][2] == {"page": "1", "pageSize": "100", "pageTotal": "true"}


async def test_get_parses_the_collection_example() -> None:
    api = ApiRecorder()
    api.on("GET", f"/admins/{ADMIN_ID}", (200, ADMIN))
    async with api.client() as central:
        admin = await central.admins.get(ADMIN_ID)
    assert isinstance(admin, Admin)
    assert admin.role_ids == [ROLE_ID]
    assert admin.users[0].name == "John Smith"
    assert admin.created_at is not None
    assert admin.created_at.tzinfo is not None


async def test_create_posts_the_user_and_role_assignments() -> None:
    api = ApiRecorder()
    api.on("POST", "/admins", (201, ADMIN))
    async with api.client() as central:
        admin = await central.admins.create(user_id=USER_ID, role_ids=[ROLE_ID, ROLE_ID_2, ROLE_ID])
    assert admin.id == ADMIN_ID
    assert api.sent() == [
        (
            "POST",
            "/common/v1/admins",
            {},
            {"userId": USER_ID, "roleAssignments": [{"roleId": ROLE_ID}, {"roleId": ROLE_ID_2}]},
        )
    ]


async def test_update_assigns_the_role_then_reads_the_admin_back() -> None:
    api = ApiRecorder()
    api.on(
        "POST",
        f"/admins/{ADMIN_ID}/role-assignments",
        (201, {"id": ASSIGNMENT_ID, "roleId": ROLE_ID_2}),
    )
    updated = {**ADMIN, "roleAssignments": [{"id": ASSIGNMENT_ID, "roleId": ROLE_ID_2}]}
    api.on("GET", f"/admins/{ADMIN_ID}", (200, updated))
    async with api.client() as central:
        admin = await central.admins.update(ADMIN_ID, role_ids=[ROLE_ID_2])
    assert admin.role_ids == [ROLE_ID_2]
    assert api.sent() == [
        ("POST", f"/common/v1/admins/{ADMIN_ID}/role-assignments", {}, {"roleId": ROLE_ID_2}),
        ("GET", f"/common/v1/admins/{ADMIN_ID}", {}, None),
    ]


async def test_update_with_several_roles_is_refused_before_any_request() -> None:
    api = ApiRecorder()
    async with api.client() as central:
        with pytest.raises(ValueError, match="exactly one role"):
            await central.admins.update(ADMIN_ID, role_ids=[ROLE_ID, ROLE_ID_2])
    assert api.requests == []


async def test_role_assignment_operations() -> None:
    api = ApiRecorder()
    assignments = [{"id": ASSIGNMENT_ID, "roleId": ROLE_ID}]
    base = f"/admins/{ADMIN_ID}/role-assignments"
    api.on("GET", base, (200, {"items": assignments}))
    api.on("GET", f"{base}/{ASSIGNMENT_ID}", (200, assignments[0]))
    api.on("POST", base, (201, {"id": ASSIGNMENT_ID, "roleId": ROLE_ID}))
    api.on("DELETE", f"{base}/{ASSIGNMENT_ID}", (200, {"deleted": True}))
    async with api.client() as central:
        listed = await central.admins.role_assignments(ADMIN_ID).to_list()
        one = await central.admins.get_role_assignment(ADMIN_ID, ASSIGNMENT_ID)
        assigned = await central.admins.assign_role(ADMIN_ID, ROLE_ID)
        await central.admins.remove_role_assignment(ADMIN_ID, ASSIGNMENT_ID)
    assert listed == [RoleAssignment(id=ASSIGNMENT_ID, role_id=ROLE_ID)]
    assert one.role_id == ROLE_ID
    assert assigned.id == ASSIGNMENT_ID
    path = "/common/v1" + base
    assert api.sent() == [
        ("GET", path, {}, None),
        ("GET", f"{path}/{ASSIGNMENT_ID}", {}, None),
        ("POST", path, {}, {"roleId": ROLE_ID}),
        ("DELETE", f"{path}/{ASSIGNMENT_ID}", {}, None),
    ]


async def test_delete_maps_the_last_super_admin_conflict() -> None:
    api = ApiRecorder()
    api.on("DELETE", f"/admins/{ADMIN_ID}", conflict("Can't remove last Super admin."))
    async with api.client() as central:
        with pytest.raises(ConflictError, match="last Super admin"):
            await central.admins.delete(ADMIN_ID)
        with pytest.raises(NotFoundError):
            await central.admins.get(USER_ID)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.admins.get("not-a-uuid"), "admin_id"),
        (lambda c: c.admins.delete("../roles"), "admin_id"),
        (lambda c: c.admins.create(user_id="x", role_ids=[ROLE_ID]), "user_id"),
        (lambda c: c.admins.create(user_id=USER_ID, role_ids=[]), "role_ids"),
        (lambda c: c.admins.create(user_id=USER_ID, role_ids=["Admin"]), "role_ids"),
        (lambda c: c.admins.assign_role(ADMIN_ID, "nope"), "role_id"),
        (lambda c: c.admins.remove_role_assignment(ADMIN_ID, "1"), "assignment_id"),
    ],
)
async def test_bad_arguments_are_refused_before_any_request(call: Any, message: str) -> None:
    await assert_refused_before_sending(call, message)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"role_id": "admin"}, "role_id"),
        ({"page_size": 101}, "page_size"),
        ({"page_size": 0}, "page_size"),
        ({"sort": "createdAt:up"}, "sort"),
    ],
)
async def test_bad_list_arguments_are_refused_when_calling_list(
    options: dict[str, Any], message: str
) -> None:
    await assert_refused_before_sending(lambda c: c.admins.list(**options), message)


async def test_dry_run_sends_nothing_and_reports_the_request() -> None:
    api = ApiRecorder()
    seen: list[tuple[str, str, Any]] = []
    async with api.client(dry_run_sink=lambda m, u, b: seen.append((m, u, b))) as central:
        await central.admins.create(user_id=USER_ID, role_ids=[ROLE_ID])
        await central.admins.delete(ADMIN_ID)
    assert api.requests == []
    assert seen == [
        (
            "POST",
            f"{REGION_URL}/common/v1/admins",
            {"userId": USER_ID, "roleAssignments": [{"roleId": ROLE_ID}]},
        ),
        ("DELETE", f"{REGION_URL}/common/v1/admins/{ADMIN_ID}", None),
    ]
