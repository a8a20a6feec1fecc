"""Requests built by ``central.users`` and ``central.users.groups`` (exact method, path, query and
body), against a recorder.

Written once for the async client; scripts/unasync.py generates the sync twin in tests/_sync.
"""

from __future__ import annotations

from typing import Any

import pytest

from pysophoscentralapi import ConflictError
from pysophoscentralapi.models import DirectoryUser, SourceType, UserGroup
from tests._async._helpers import (
    ApiRecorder,
    assert_refused_before_sending,
    conflict,
    numbered_pages,
    page,
)

USER_ID = "17dd896f-ee9f-4f7d-a2a2-6a8c0b48ff15"
USER_ID_2 = "95685fcb-8ee1-4fad-96e6-966dd5588025"
GROUP_ID = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
GROUP_ID_2 = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"
USER = {
    "id": USER_ID,
    "name": "John Doe",
    "firstName": "John",
    "lastName": "Doe",
    "email": "john.doe@example.com",
    "domain": "example.com",
    "exchangeLogin": "jdoe",
    "groups": {"total": 1, "itemsCount": 1, "items": [{"id": GROUP_ID}]},
    "tenant": {"id": "t1", "name": "Acme"},
    "source": {"type": "custom"},
    "createdAt": "2024-01-15T10:30:00.000Z",
    "updatedAt": "2024-01-15T10:30:00.000Z",
}
GROUP = {
    "id": GROUP_ID,
    "name": "Finance",
    "description": "Finance team",
    "domain": "example.com",
    "source": {"type": "activeDirectory"},
    "users": {"total": 1, "itemsCount": 1, "items": [{"id": USER_ID}]},
    "tenant": {"id": "t1", "name": "Acme"},
    "createdAt": "2024-01-15T10:30:00.000Z",
    "updatedAt": "2024-01-15T10:30:00.000Z",
}


async def test_list_sends_every_filter_and_pages_by_number() -> None:
    api = ApiRecorder()
    api.on("GET", "/directory/users", numbered_pages(USER, "u", 3))
    async with api.client() as central:
        users = await central.users.list(
            search="john doe",
            search_fields=["name", "email"],
            source_type="custom",
            group_id=GROUP_ID,
            domain="example.com",
            ids=[USER_ID, USER_ID_2],
            sort=["name:desc", "createdAt"],
            fields=["id", "name"],
            page_size=1,
        ).to_list()
    assert [u.id for u in users] == ["u1", "u2", "u3"]
    assert api.sent()[0][2] == {
        "search": "john doe",
        "searchFields": "name,email",
        "sourceType": "custom",
        "groupId": GROUP_ID,
        "domain": "example.com",
        "ids": f"{USER_ID},{USER_ID_2}",
        "sort": "name:desc,createdAt",
        "fields": "id,name",
        "page": "1",
        "pageSize": "1",
        "pageTotal": "true",
    }
    assert [q["page"] for _, _, q, _ in api.sent()] == ["1", "2", "3"]


async def test_create_sends_only_the_given_fields() -> None:
    api = ApiRecorder()
    api.on("POST", "/directory/users", (201, USER))
    async with api.client() as central:
        user = await central.users.create(
            name="John Doe",
            first_name="John",
            last_name="Doe",
            email="john.doe@example.com",
            exchange_login="jdoe",
            group_ids=[GROUP_ID],
        )
        await central.users.create(name="Bot")
    assert isinstance(user, DirectoryUser)
    assert user.source is not None
    assert user.source.type is SourceType.CUSTOM
    assert user.groups is not None
    assert user.groups.items[0].id == GROUP_ID
    assert [body for *_, body in api.sent()] == [
        {
            "name": "John Doe",
            "firstName": "John",
            "lastName": "Doe",
            "email": "john.doe@example.com",
            "exchangeLogin": "jdoe",
            "groupIds": [GROUP_ID],
        },
        {"name": "Bot"},
    ]


@pytest.mark.parametrize("email", ["no-at-sign", "two@@example.com", "a@b", "a b@example.com", ""])
async def test_a_malformed_email_is_refused_before_any_request(email: str) -> None:
    api = ApiRecorder()
    async with api.client() as central:
        with pytest.raises(ValueError, match="email"):
            await central.users.create(name="X", email=email)
        with pytest.raises(ValueError, match="email"):
            await central.users.update(USER_ID, email=email)
    assert api.requests == []


async def test_update_get_delete() -> None:
    api = ApiRecorder()
    api.on("PATCH", f"/directory/users/{USER_ID}", (200, {**USER, "email": "j@example.org"}))
    api.on("GET", f"/directory/users/{USER_ID}", (200, USER))
    api.on("DELETE", f"/directory/users/{USER_ID}", (200, {"deleted": True}))
    async with api.client() as central:
        updated = await central.users.update(USER_ID, email="j@example.org", last_name="Roe")
        fetched = await central.users.get(USER_ID)
        await central.users.delete(USER_ID)
    assert updated.email == "j@example.org"
    assert fetched.exchange_login == "jdoe"
    path = f"/common/v1/directory/users/{USER_ID}"
    assert api.sent() == [
        ("PATCH", path, {}, {"lastName": "Roe", "email": "j@example.org"}),
        ("GET", path, {}, None),
        ("DELETE", path, {}, None),
    ]


async def test_user_group_memberships() -> None:
    api = ApiRecorder()
    base = f"/directory/users/{USER_ID}/groups"
    api.on("GET", base, (200, page([GROUP], 1, 1)))
    api.on("POST", base, (201, {"addedToGroups": [{"id": GROUP_ID}, {"id": GROUP_ID_2}]}))
    api.on("DELETE", f"{base}/{GROUP_ID}", (200, {"removed": True}))
    async with api.client() as central:
        groups = await central.users.groups_of(USER_ID, sort="name").to_list()
        added = await central.users.add_to_groups(USER_ID, [GROUP_ID, GROUP_ID_2])
        await central.users.remove_from_group(USER_ID, GROUP_ID)
    assert [g.name for g in groups] == ["Finance"]
    assert added == [GROUP_ID, GROUP_ID_2]
    path = "/common/v1" + base
    assert api.sent() == [
        ("GET", path, {"sort": "name", "page": "1", "pageSize": "100", "pageTotal": "true"}, None),
        ("POST", path, {}, {"ids": [GROUP_ID, GROUP_ID_2]}),
        ("DELETE", f"{path}/{GROUP_ID}", {}, None),
    ]


async def test_groups_namespace_requests() -> None:
    api = ApiRecorder()
    groups = "/directory/user-groups"
    api.on("GET", groups, (200, page([GROUP], 1, 1)))
    api.on("POST", groups, (201, GROUP))
    api.on("GET", f"{groups}/{GROUP_ID}", (200, GROUP))
    api.on("PATCH", f"{groups}/{GROUP_ID}", (200, {**GROUP, "name": "Payroll"}))
    api.on("DELETE", f"{groups}/{GROUP_ID}", (200, {"deleted": True}))
    api.on("GET", f"{groups}/{GROUP_ID}/users", (200, page([USER], 1, 1)))
    api.on("POST", f"{groups}/{GROUP_ID}/users", (201, {"addedUsers": [{"id": USER_ID}]}))
    api.on("DELETE", f"{groups}/{GROUP_ID}/users/{USER_ID}", (200, {"removed": True}))
    async with api.client() as central:
        listed = await central.users.groups.list(
            search="fin", source_type="activeDirectory", user_id=USER_ID, sort="name:asc"
        ).to_list()
        created = await central.users.groups.create(
            "Finance", description="Finance team", user_ids=[USER_ID]
        )
        fetched = await central.users.groups.get(GROUP_ID)
        renamed = await central.users.groups.update(GROUP_ID, name="Payroll")
        members = await central.users.groups.members(GROUP_ID).to_list()
        added = await central.users.groups.add_members(GROUP_ID, [USER_ID])
        await central.users.groups.remove_member(GROUP_ID, USER_ID)
        await central.users.groups.delete(GROUP_ID)
    assert isinstance(listed[0], UserGroup)
    assert listed[0].source is not None
    assert listed[0].source.type is SourceType.ACTIVE_DIRECTORY
    assert created.id == fetched.id == GROUP_ID
    assert renamed.name == "Payroll"
    assert [m.id for m in members] == [USER_ID]
    assert added == [USER_ID]
    path = "/common/v1" + groups
    assert api.sent() == [
        (
            "GET",
            path,
            {
                "search": "fin",
                "sourceType": "activeDirectory",
                "userId": USER_ID,
                "sort": "name:asc",
                "page": "1",
                "pageSize": "100",
                "pageTotal": "true",
            },
            None,
        ),
        (
            "POST",
            path,
            {},
            {"name": "Finance", "description": "Finance team", "userIds": [USER_ID]},
        ),
        ("GET", f"{path}/{GROUP_ID}", {}, None),
        ("PATCH", f"{path}/{GROUP_ID}", {}, {"name": "Payroll"}),
        (
            "GET",
            f"{path}/{GROUP_ID}/users",
            {"page": "1", "pageSize": "100", "pageTotal": "true"},
            None,
        ),
        ("POST", f"{path}/{GROUP_ID}/users", {}, {"ids": [USER_ID]}),
        ("DELETE", f"{path}/{GROUP_ID}/users/{USER_ID}", {}, None),
        ("DELETE", f"{path}/{GROUP_ID}", {}, None),
    ]


async def test_a_conflict_is_a_conflict_error() -> None:
    api = ApiRecorder()
    api.on(
        "DELETE",
        f"/directory/user-groups/{GROUP_ID}",
        conflict("You can only delete empty groups."),
    )
    async with api.client() as central:
        with pytest.raises(ConflictError, match="empty groups"):
            await central.users.groups.delete(GROUP_ID)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.users.list(source_type="ldap"), "valid values: custom, activeDirectory"),
        (lambda c: c.users.list(sort="age"), "valid fields: id, name, firstName"),
        (lambda c: c.users.list(ids=["x"]), "ids"),
        (lambda c: c.users.list(group_id="finance"), "group_id"),
        (lambda c: c.users.list(page_size=500), "page_size"),
        (lambda c: c.users.groups.list(sort="email"), "valid fields: id, name, createdAt"),
        (lambda c: c.users.groups.list(user_id="bob"), "user_id"),
        (lambda c: c.users.groups_of("bob"), "user_id"),
        (lambda c: c.users.groups.members("g"), "group_id"),
    ],
)
async def test_bad_list_arguments_are_refused(call: Any, message: str) -> None:
    await assert_refused_before_sending(call, message)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.users.get("bob"), "user_id"),
        (lambda c: c.users.create(name=" "), "name"),
        (lambda c: c.users.create(name="x", group_ids=["g1"]), "group_ids"),
        (lambda c: c.users.update(USER_ID), "nothing to update"),
        (lambda c: c.users.add_to_groups(USER_ID, []), "group_ids"),
        (lambda c: c.users.remove_from_group(USER_ID, "g"), "group_id"),
        (lambda c: c.users.groups.create("x", user_ids=["u"]), "user_ids"),
        (lambda c: c.users.groups.update(GROUP_ID), "nothing to update"),
        (lambda c: c.users.groups.add_members(GROUP_ID, ["u"]), "user_ids"),
        (lambda c: c.users.groups.remove_member("g", USER_ID), "group_id"),
    ],
)
async def test_bad_arguments_are_refused_before_any_request(call: Any, message: str) -> None:
    await assert_refused_before_sending(call, message)
