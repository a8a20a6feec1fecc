"""Common API: directory users and user groups (``/common/v1/directory``)."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from typing import Any

from pysophoscentralapi._async._pagination import AsyncPaginator
from pysophoscentralapi._async._resource import AsyncResource
from pysophoscentralapi._page import ModelT, validate_item
from pysophoscentralapi._validation import (
    check_choice,
    check_email,
    check_name,
    check_uuid,
    check_uuids,
    csv_value,
    sort_param,
)
from pysophoscentralapi.models.directory import (
    GROUP_SORT_FIELDS,
    SOURCE_TYPES,
    USER_SORT_FIELDS,
    DirectoryUser,
    UserGroup,
)

#: The largest page the directory listings serve.
MAX_PAGE_SIZE = 100

_USERS = "/common/v1/directory/users"
_GROUPS = "/common/v1/directory/user-groups"


def _user_path(user_id: str) -> str:
    """A user's path (``ValueError`` naming ``user_id`` for an id that is not a UUID)."""
    return f"{_USERS}/{check_uuid(user_id, 'user_id')}"


def _group_path(group_id: str) -> str:
    """A group's path (``ValueError`` naming ``group_id`` for an id that is not a UUID)."""
    return f"{_GROUPS}/{check_uuid(group_id, 'group_id')}"


def _listing_params(
    *,
    search: str | None,
    search_fields: Sequence[str] | None,
    source_type: str | None,
    domain: str | None,
    sort: str | Sequence[str] | None,
    sort_fields: Sequence[str],
    fields: Sequence[str] | None,
    ids: Sequence[str] | None = None,
) -> dict[str, Any]:
    return {
        "search": search,
        "searchFields": csv_value(search_fields),
        "sourceType": (
            check_choice(source_type, "source_type", SOURCE_TYPES)
            if source_type is not None
            else None
        ),
        "domain": domain,
        "ids": csv_value(check_uuids(ids, "ids")) if ids is not None else None,
        "sort": sort_param(sort, sort_fields),
        "fields": csv_value(fields),
    }


def _optional_text(body: dict[str, Any], key: str, value: str | None) -> None:
    if value is not None:
        body[key] = value


def _user_fields(
    body: dict[str, Any],
    *,
    email: str | None,
    first_name: str | None,
    last_name: str | None,
    exchange_login: str | None,
) -> dict[str, Any]:
    # The optional fields of a user's create/update body, in the order the API documents them.
    _optional_text(body, "firstName", first_name)
    _optional_text(body, "lastName", last_name)
    if email is not None:
        body["email"] = check_email(email)
    _optional_text(body, "exchangeLogin", exchange_login)
    return body


class _DirectoryResource(AsyncResource):
    """What users and groups share: page-number listings, get by id, links between the two."""

    def _pages(
        self,
        path: str,
        model: type[ModelT],
        params: dict[str, Any],
        page_size: int,
    ) -> AsyncPaginator[ModelT]:
        return self._numbered_pages(path, model, page_size, MAX_PAGE_SIZE, params=params)

    def _related(
        self,
        path: str,
        model: type[ModelT],
        *,
        search: str | None,
        sort: str | Sequence[str] | None,
        sort_fields: Sequence[str],
        page_size: int,
    ) -> AsyncPaginator[ModelT]:
        # A user's groups / a group's members.
        params = {
            "search": search,
            "sort": sort_param(sort, sort_fields),
        }
        return self._pages(path, model, params, page_size)

    async def _link(
        self, path: str, ids: Sequence[str], name: str, answer_key: str
    ) -> builtins.list[str]:
        # POST {"ids": [...]} to a membership path; the ids the API reports as added, from
        # {"addedToGroups": [{"id": ...}]} / {"addedUsers": [...]} ([] in a dry run).
        answer = await self._request("POST", path, json={"ids": check_uuids(ids, name)})
        return _reported_ids(answer, answer_key)

    async def _unlink(
        self, path: str, ids: Sequence[str], name: str, answer_key: str
    ) -> builtins.list[str]:
        # DELETE ...?ids=a,b from a membership path; the ids the API reports as removed, from
        # {"removedFromGroups": [{"id": ...}]} / {"removedUsers": [...]} ([] in a dry run).
        params = {"ids": ",".join(check_uuids(ids, name))}
        answer = await self._request("DELETE", path, params=params)
        return _reported_ids(answer, answer_key)


class AsyncUserGroups(_DirectoryResource):
    """Directory user groups: ``central.users.groups``.

    Example::

        group = await central.users.groups.create("Finance", description="Finance team")
        await central.users.groups.add_members(group.id, [user.id])
    """

    def list(
        self,
        *,
        search: str | None = None,
        search_fields: Sequence[str] | None = None,
        source_type: str | None = None,
        user_id: str | None = None,
        domain: str | None = None,
        ids: Sequence[str] | None = None,
        sort: str | Sequence[str] | None = None,
        fields: Sequence[str] | None = None,
        page_size: int = MAX_PAGE_SIZE,
    ) -> AsyncPaginator[UserGroup]:
        """The directory's user groups, page by page.

        ``user_id`` keeps the groups of that user; ``source_type`` is ``custom``,
        ``activeDirectory`` or ``azureActiveDirectory``; ``sort`` fields: id, name, createdAt,
        updatedAt (``"name:desc"``).

        Example::

            async for group in central.users.groups.list(search="sales"):
                print(group.name, group.users.total)
        """
        params = _listing_params(
            search=search,
            search_fields=search_fields,
            source_type=source_type,
            domain=domain,
            ids=ids,
            sort=sort,
            sort_fields=GROUP_SORT_FIELDS,
            fields=fields,
        )
        params["userId"] = check_uuid(user_id, "user_id") if user_id is not None else None
        return self._pages(_GROUPS, UserGroup, params, page_size)

    async def get(self, group_id: str) -> UserGroup:
        """One group, with its members (``group.users``).

        Example::

            group = await central.users.groups.get("3fa85f64-5717-4562-b3fc-2c963f66afa6")
        """
        return validate_item(UserGroup, await self._request("GET", _group_path(group_id)))

    async def create(
        self,
        name: str,
        *,
        description: str | None = None,
        user_ids: Sequence[str] | None = None,
    ) -> UserGroup:
        """Create a group, optionally with members. A name in use is a
        :class:`~pysophoscentralapi.ConflictError`.

        Example::

            group = await central.users.groups.create("Finance", user_ids=[user.id])
        """
        body: dict[str, Any] = {"name": check_name(name)}
        _optional_text(body, "description", description)
        if user_ids is not None:
            body["userIds"] = check_uuids(user_ids, "user_ids", allow_empty=True)
        answer = await self._request("POST", _GROUPS, json=body)
        return self._result(UserGroup, answer)

    async def update(
        self, group_id: str, *, name: str | None = None, description: str | None = None
    ) -> UserGroup:
        """Rename a group or change its description (``PATCH``: only what is given is sent).

        Example::

            group = await central.users.groups.update(group.id, description="Finance and payroll")
        """
        path = _group_path(group_id)
        body = _name_field(name)
        _optional_text(body, "description", description)
        if not body:
            raise ValueError("nothing to update: give name or description")
        answer = await self._request("PATCH", path, json=body)
        return self._result(UserGroup, answer)

    async def delete(self, group_id: str) -> None:
        """Delete a group. Only empty custom groups can be deleted (else
        :class:`~pysophoscentralapi.ConflictError`).

        Example::

            await central.users.groups.delete(group.id)
        """
        await self._request("DELETE", _group_path(group_id))

    def members(
        self,
        group_id: str,
        *,
        search: str | None = None,
        sort: str | Sequence[str] | None = None,
        page_size: int = MAX_PAGE_SIZE,
    ) -> AsyncPaginator[DirectoryUser]:
        """The users in a group, page by page.

        Example::

            async for user in central.users.groups.members(group.id):
                print(user.name, user.email)
        """
        return self._related(
            f"{_group_path(group_id)}/users",
            DirectoryUser,
            search=search,
            sort=sort,
            sort_fields=USER_SORT_FIELDS,
            page_size=page_size,
        )

    async def add_members(self, group_id: str, user_ids: Sequence[str]) -> builtins.list[str]:
        """Add users to a group; returns the ids the API reports as added.

        Sends ``POST /user-groups/{id}/users`` with ``{"ids": [...]}``.

        Example::

            added = await central.users.groups.add_members(group.id, [alice.id, bob.id])
        """
        path = f"{_group_path(group_id)}/users"
        return await self._link(path, user_ids, "user_ids", "addedUsers")

    async def remove_members(self, group_id: str, user_ids: Sequence[str]) -> builtins.list[str]:
        """Take several users out of a group; returns the ids the API reports as removed.

        Sends ``DELETE /user-groups/{id}/users?ids=...``.

        Example::

            removed = await central.users.groups.remove_members(group.id, [alice.id, bob.id])
        """
        path = f"{_group_path(group_id)}/users"
        return await self._unlink(path, user_ids, "user_ids", "removedUsers")

    async def remove_member(self, group_id: str, user_id: str) -> None:
        """Take a user out of a group.

        Example::

            await central.users.groups.remove_member(group.id, user.id)
        """
        path = f"{_group_path(group_id)}/users/{check_uuid(user_id, 'user_id')}"
        await self._request("DELETE", path)


class AsyncUsers(_DirectoryResource):
    """Common API: directory users, their group memberships, and the groups (``.groups``).

    Example::

        async for user in central.users.list(search="smith", source_type="custom"):
            print(user.name, user.email)
        groups = await central.users.groups.list().to_list()
    """

    #: The user groups namespace.
    groups: AsyncUserGroups

    def list(
        self,
        *,
        search: str | None = None,
        search_fields: Sequence[str] | None = None,
        source_type: str | None = None,
        group_id: str | None = None,
        domain: str | None = None,
        ids: Sequence[str] | None = None,
        sort: str | Sequence[str] | None = None,
        fields: Sequence[str] | None = None,
        page_size: int = MAX_PAGE_SIZE,
    ) -> AsyncPaginator[DirectoryUser]:
        """The directory's users, page by page.

        ``search`` matches full names unless ``search_fields`` says otherwise; ``group_id`` keeps
        a group's members; ``source_type`` is ``custom``, ``activeDirectory`` or
        ``azureActiveDirectory``; ``sort`` fields: id, name, firstName, lastName, email,
        exchangeLogin, createdAt, updatedAt (``"name:desc"``).

        Example::

            async for user in central.users.list(domain="example.com", sort="name"):
                print(user.name)
        """
        params = _listing_params(
            search=search,
            search_fields=search_fields,
            source_type=source_type,
            domain=domain,
            ids=ids,
            sort=sort,
            sort_fields=USER_SORT_FIELDS,
            fields=fields,
        )
        params["groupId"] = check_uuid(group_id, "group_id") if group_id is not None else None
        return self._pages(_USERS, DirectoryUser, params, page_size)

    async def get(self, user_id: str) -> DirectoryUser:
        """One user, with their groups (``user.groups``).

        Example::

            user = await central.users.get("17dd896f-ee9f-4f7d-a2a2-6a8c0b48ff15")
        """
        return validate_item(DirectoryUser, await self._request("GET", _user_path(user_id)))

    async def create(
        self,
        *,
        name: str,
        email: str | None = None,
        first_name: str | None = None,
        last_name: str | None = None,
        exchange_login: str | None = None,
        group_ids: Sequence[str] | None = None,
    ) -> DirectoryUser:
        """Add a user to the directory. A malformed ``email`` is a ``ValueError`` (nothing is
        sent); an email already in use is a :class:`~pysophoscentralapi.ConflictError`.

        Example::

            user = await central.users.create(
                name="Ann Lee", first_name="Ann", last_name="Lee", email="ann.lee@example.com"
            )
        """
        body = _user_fields(
            {"name": check_name(name)},
            email=email,
            first_name=first_name,
            last_name=last_name,
            exchange_login=exchange_login,
        )
        if group_ids is not None:
            body["groupIds"] = check_uuids(group_ids, "group_ids", allow_empty=True)
        answer = await self._request("POST", _USERS, json=body)
        return self._result(DirectoryUser, answer)

    async def update(
        self,
        user_id: str,
        *,
        name: str | None = None,
        email: str | None = None,
        first_name: str | None = None,
        last_name: str | None = None,
        exchange_login: str | None = None,
    ) -> DirectoryUser:
        """Change a user (``PATCH``: only the arguments given are sent). Users synced from
        Active Directory cannot be changed (:class:`~pysophoscentralapi.ConflictError`).

        Example::

            user = await central.users.update(user.id, email="ann.lee@example.org")
        """
        path = _user_path(user_id)
        body = _user_fields(
            _name_field(name),
            email=email,
            first_name=first_name,
            last_name=last_name,
            exchange_login=exchange_login,
        )
        if not body:
            raise ValueError(
                "nothing to update: give name, email, first_name, last_name or exchange_login"
            )
        answer = await self._request("PATCH", path, json=body)
        return self._result(DirectoryUser, answer)

    async def delete(self, user_id: str) -> None:
        """Delete a user. Users synced from Active Directory, and users who are admins, cannot be
        deleted (:class:`~pysophoscentralapi.ConflictError`).

        Example::

            await central.users.delete(user.id)
        """
        await self._request("DELETE", _user_path(user_id))

    def groups_of(
        self,
        user_id: str,
        *,
        search: str | None = None,
        sort: str | Sequence[str] | None = None,
        page_size: int = MAX_PAGE_SIZE,
    ) -> AsyncPaginator[UserGroup]:
        """The groups a user belongs to, page by page.

        Example::

            names = [g.name async for g in central.users.groups_of(user.id)]
        """
        return self._related(
            f"{_user_path(user_id)}/groups",
            UserGroup,
            search=search,
            sort=sort,
            sort_fields=GROUP_SORT_FIELDS,
            page_size=page_size,
        )

    async def add_to_groups(self, user_id: str, group_ids: Sequence[str]) -> builtins.list[str]:
        """Add a user to groups; returns the group ids the API reports as added.

        Sends ``POST /users/{id}/groups`` with ``{"ids": [...]}``.

        Example::

            await central.users.add_to_groups(user.id, [finance.id, sales.id])
        """
        path = f"{_user_path(user_id)}/groups"
        return await self._link(path, group_ids, "group_ids", "addedToGroups")

    async def remove_from_groups(
        self, user_id: str, group_ids: Sequence[str]
    ) -> builtins.list[str]:
        """Take a user out of several groups; returns the group ids the API reports as removed.

        Sends ``DELETE /users/{id}/groups?ids=...``.

        Example::

            await central.users.remove_from_groups(user.id, [finance.id, sales.id])
        """
        path = f"{_user_path(user_id)}/groups"
        return await self._unlink(path, group_ids, "group_ids", "removedFromGroups")

    async def remove_from_group(self, user_id: str, group_id: str) -> None:
        """Take a user out of one group.

        Example::

            await central.users.remove_from_group(user.id, finance.id)
        """
        path = f"{_user_path(user_id)}/groups/{check_uuid(group_id, 'group_id')}"
        await self._request("DELETE", path)


def _name_field(name: str | None) -> dict[str, Any]:
    # The start of an update body: the name when one is given.
    return {} if name is None else {"name": check_name(name)}


def _reported_ids(answer: Any, key: str) -> list[str]:
    # The ids in a membership answer's {key: [{"id": ...}, ...]} (none in a dry run's empty one).
    items = answer.get(key) if isinstance(answer, dict) else None
    return [i["id"] for i in items or [] if isinstance(i, dict) and isinstance(i.get("id"), str)]
