"""Emulated Common API directory: users, user groups and their memberships (API_NOTES §8.4).

As in the collection's 409 descriptions, users and groups synced from Active Directory
(``source.type`` other than ``custom``) can't be changed through the API, nor can AD users be put in
custom groups. Deleting an unknown user is a 200 ("User deleted or can't find user"); a group must
be empty to be deleted; a user who is an admin can't be deleted (409) until the admin is removed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ._collections import Endpoint, crud_routes
from ._common_query import csv_param, optional_string, search_items, select_fields, sorted_page
from ._common_state import SOURCE_TYPES, CommonState, check_email, common_state, stamp
from ._http import ApiFailure, BadRequest, check_enum, json_body, json_response

MAX_PAGE_SIZE = 100

Item = dict[str, Any]
Getter = Callable[[Item], Any]
Changes = Callable[[CommonState, Item, Item], Item]


def _getter(name: str) -> Getter:
    return lambda item: item.get(name)


def _getters(*names: str) -> dict[str, Getter]:
    return {name: _getter(name) for name in names}


_USER_FIELDS = ("id", "name", "firstName", "lastName", "email", "exchangeLogin")


def _state(request: Request) -> CommonState:
    return common_state(request.state.tenant)


def _synced(item: Item) -> bool:
    return bool(item["source"]["type"] != "custom")


def _filter_common(request: Request, items: list[Item]) -> list[Item]:
    source = request.query_params.get("sourceType")
    if source:
        check_enum("sourceType", [source], SOURCE_TYPES)
        items = [i for i in items if i["source"]["type"] == source]
    domain = request.query_params.get("domain")
    if domain:
        items = [i for i in items if (i.get("domain") or "").lower() == domain.lower()]
    ids = csv_param(request, "ids")
    if ids:
        wanted = set(ids)
        items = [i for i in items if i["id"] in wanted]
    return items


@dataclass(frozen=True)
class _Side:
    """Users or groups: one end of the membership relation. Both ends have the same handlers
    (list, get, update, the other end's page, adding and removing memberships) but for what a
    side declares here."""

    noun: str
    #: The collection's path.
    path: str
    search: dict[str, Getter]
    sort: dict[str, Getter]
    view: Callable[[CommonState, Item], Item]
    table: Callable[[CommonState], dict[str, Item]]
    find: Callable[[CommonState, str], Item]
    #: Ids at the other end of an item (a user's groups, a group's members).
    related: Callable[[CommonState, str], list[str]]
    #: The answer keys of adding and removing memberships, and of the ids not found.
    added: str
    removed: str
    not_found: str
    #: The 409 messages when changing an item synced from Active Directory, or its memberships.
    update_refusal: str
    synced_refusal: str

    @property
    def param(self) -> str:
        """The item's id in paths (``/directory/users/{userId}``) and as a filter of the other
        end's listing."""
        return f"{self.noun}Id"

    @property
    def segment(self) -> str:
        """The path segment of these items under the other end's item (``.../{userId}/groups``)."""
        return f"{self.noun}s"

    def pair(self, own_id: str, other_id: str) -> tuple[str, str]:
        """(user id, group id) of the membership between this end's item and the other's."""
        return (own_id, other_id) if self.noun == "user" else (other_id, own_id)


USERS = _Side(
    noun="user",
    path="/directory/users",
    search=_getters(*_USER_FIELDS[1:]),
    sort=_getters(*_USER_FIELDS, "createdAt", "updatedAt"),
    view=CommonState.user_view,
    table=lambda state: state.users,
    find=CommonState.user,
    related=CommonState.groups_of,
    added="addedToGroups",
    removed="removedFromGroups",
    not_found="groupsNotFound",
    update_refusal="You can't use this API to update a user synced from Active Directory.",
    synced_refusal="You can't use this API to update users synced from Active Directory.",
)
GROUPS = _Side(
    noun="group",
    path="/directory/user-groups",
    search=_getters("name", "description"),
    sort=_getters("id", "name", "createdAt", "updatedAt"),
    view=CommonState.group_view,
    table=lambda state: state.groups,
    find=CommonState.group,
    related=lambda state, group_id: state.members.get(group_id, []),
    added="addedUsers",
    removed="removedUsers",
    not_found="usersNotFound",
    update_refusal="You can't use this API to update groups synced from Active Directory.",
    synced_refusal="You can't use this API to change groups synced from Active Directory.",
)


def _page(request: Request, state: CommonState, items: list[Item], side: _Side) -> Response:
    """One number-paged page of ``items`` with the documented filters, search, sort and fields."""
    items = _filter_common(request, items)
    items = search_items(
        items,
        request.query_params.get("search"),
        csv_param(request, "searchFields"),
        side.search,
        ["name"],
    )
    return sorted_page(
        request,
        items,
        side.sort,
        ["name:asc"],
        max_size=MAX_PAGE_SIZE,
        view=lambda item: side.view(state, item),
    )


def _id_list(value: Any, name: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise BadRequest(f"Invalid value for {name}: expected a list of ids.")
    return list(dict.fromkeys(value))


def _email_in_use(state: CommonState, email: str, exclude: str | None = None) -> bool:
    return any(
        u["id"] != exclude and (u.get("email") or "").lower() == email.lower()
        for u in state.users.values()
    )


def _add_member(state: CommonState, group_id: str, user_id: str) -> None:
    members = state.members.setdefault(group_id, [])
    if user_id not in members:
        members.append(user_id)


def _check_can_join(state: CommonState, user_ids: list[str], group_ids: list[str]) -> None:
    if any(_synced(state.groups[g]) for g in group_ids):
        raise ApiFailure(
            409, "You can't use this API to change groups synced from Active Directory."
        )
    if any(_synced(state.users[u]) for u in user_ids):
        raise ApiFailure(
            409, "You can't use this API to change users synced from Active Directory."
        )


# --- the handlers both ends mirror ----------------------------------------------------------------


def _side_routes(
    own: _Side, other: _Side, create: Endpoint, changes: Changes, delete: Endpoint
) -> list[BaseRoute]:
    """The routes of one end: its collection, its items, and the items' memberships.

    ``changes(state, item, body)``: the checked changes of a ``PATCH`` body (applied unless the
    item is synced from Active Directory).
    """
    one = f"{own.path}/{{{own.param}}}"
    memberships = f"{one}/{other.segment}"

    def find(request: Request, state: CommonState) -> Item:
        return own.find(state, request.path_params[own.param])

    async def list_items(request: Request) -> Response:
        """``GET``: page-number paging, the documented filters, and the other end's id (the
        members of ``groupId``, the groups of ``userId``)."""
        state = _state(request)
        items = list(own.table(state).values())
        related_to = request.query_params.get(other.param)
        if related_to:
            related = set(other.related(state, related_to))
            items = [item for item in items if item["id"] in related]
        return _page(request, state, items, own)

    async def get_item(request: Request) -> Response:
        state = _state(request)
        view = own.view(state, find(request, state))
        return json_response(select_fields(view, csv_param(request, "fields")))

    async def update_item(request: Request) -> Response:
        state = _state(request)
        item = find(request, state)
        checked = changes(state, item, await json_body(request))
        if _synced(item):
            raise ApiFailure(409, own.update_refusal)
        item.update(checked, updatedAt=stamp())
        return json_response(own.view(state, item))

    async def list_related(request: Request) -> Response:
        """``GET .../{id}/groups`` (``/users``): a page of the other end's items."""
        state = _state(request)
        related = [other.table(state)[i] for i in own.related(state, find(request, state)["id"])]
        return _page(request, state, related, other)

    async def add_related(request: Request) -> Response:
        """``POST .../{id}/groups`` (``/users``) body ``{"ids": [...]}``: 201 with the ids added."""
        state = _state(request)
        item = find(request, state)
        body = await json_body(request)
        ids = _id_list(body.get("ids"), "ids")
        if not ids:
            raise BadRequest(f"ids must list at least one {other.noun} id.")
        if any(i not in other.table(state) for i in ids):
            raise ApiFailure(
                404, f"Can't find {own.noun} or at least one {other.noun} in the request."
            )
        pairs = [own.pair(item["id"], i) for i in ids]
        _check_can_join(state, [u for u, _ in pairs], [g for _, g in pairs])
        for user_id, group_id in pairs:
            _add_member(state, group_id, user_id)
        return json_response({own.added: [{"id": i} for i in ids]}, 201)

    async def remove_related(request: Request) -> Response:
        """``DELETE .../{id}/groups?ids=...`` (``/users``): 200 with removed and not found ids."""
        state = _state(request)
        item = find(request, state)
        ids = csv_param(request, "ids")
        if not ids:
            raise BadRequest(f"ids must list at least one {other.noun} id.")
        if _synced(item):
            raise ApiFailure(409, own.synced_refusal)
        removed, not_found = [], []
        for other_id in dict.fromkeys(ids):
            user_id, group_id = own.pair(item["id"], other_id)
            members = state.members.get(group_id)
            if group_id in state.groups and members is not None and user_id in members:
                members.remove(user_id)
                removed.append({"id": other_id})
            else:
                not_found.append(other_id)
        return json_response({own.removed: removed, "errors": {own.not_found: not_found}})

    async def remove_one(request: Request) -> Response:
        """``DELETE .../{id}/groups/{groupId}`` (``/users/{userId}``): ``{"removed": true}``, also
        when the user was not a member."""
        state = _state(request)
        item = find(request, state)  # this end first, as the path names them
        other_item = other.find(state, request.path_params[other.param])
        user_id, group_id = own.pair(item["id"], other_item["id"])
        _check_can_join(state, [user_id], [group_id])
        members = state.members.get(group_id, [])
        if user_id in members:
            members.remove(user_id)
        return json_response({"removed": True})

    return [
        *crud_routes(
            own.path,
            own.param,
            list=list_items,
            add=create,
            get=get_item,
            update=update_item,
            delete=delete,
        ),
        Route(memberships, list_related, methods=["GET"]),
        Route(memberships, add_related, methods=["POST"]),
        Route(memberships, remove_related, methods=["DELETE"]),
        Route(f"{memberships}/{{{other.param}}}", remove_one, methods=["DELETE"]),
    ]


# --- users ----------------------------------------------------------------------------------------


async def create_user(request: Request) -> Response:
    """``POST /directory/users``: 201; 400 for a malformed email; 409 when the email is in use."""
    state = _state(request)
    body = await json_body(request)
    name = optional_string(body, "name")
    first, last = optional_string(body, "firstName"), optional_string(body, "lastName")
    if not name:
        name = " ".join(p for p in (first, last) if p)
    if not name:
        raise BadRequest("name (or firstName/lastName) is required.")
    email = body.get("email")
    if email is not None:
        email = check_email(email)
        if _email_in_use(state, email):
            raise ApiFailure(409, "Email address must not already be in use.")
    exchange = optional_string(body, "exchangeLogin")
    group_ids = _id_list(body.get("groupIds"), "groupIds")
    if any(g not in state.groups for g in group_ids):
        raise ApiFailure(404, "Can't find at least one group in the request.")
    _check_can_join(state, [], group_ids)
    now = stamp()
    user_id = state.new_id()
    user = {
        "id": user_id,
        "name": name,
        "firstName": first or "",
        "lastName": last or "",
        "email": email or "",
        "domain": email.rsplit("@", 1)[1].lower() if email else "",
        "exchangeLogin": exchange or "",
        "tenant": state.tenant_ref(),
        "source": {"type": "custom"},
        "createdAt": now,
        "updatedAt": now,
    }
    state.users[user_id] = user
    for group_id in group_ids:
        _add_member(state, group_id, user_id)
    return json_response(state.user_view(user), 201)


def _user_changes(state: CommonState, user: Item, body: Item) -> Item:
    """``PATCH /directory/users/{userId}``: name, firstName, lastName, email, exchangeLogin."""
    changes: dict[str, Any] = {}
    for name in ("name", "firstName", "lastName", "exchangeLogin"):
        if name in body:
            changes[name] = optional_string(body, name) or ""
    if "name" in changes and not changes["name"]:
        raise BadRequest("name can't be empty.")
    if "email" in body:
        email = body["email"]
        if email in (None, ""):
            if any(a["userId"] == user["id"] for a in state.admins.values()):
                raise ApiFailure(409, "You can't remove the email address from an admin.")
            changes.update(email="", domain="")
        else:
            email = check_email(email)
            if _email_in_use(state, email, exclude=user["id"]):
                raise ApiFailure(409, "Email address must not already be in use.")
            changes.update(email=email, domain=email.rsplit("@", 1)[1].lower())
    return changes


async def delete_user(request: Request) -> Response:
    """``DELETE /directory/users/{userId}``: 200 also for an unknown user."""
    state = _state(request)
    user = state.users.get(request.path_params["userId"])
    if user is not None:
        if _synced(user):
            raise ApiFailure(
                409, "You can't use this API to delete users synced from Active Directory."
            )
        if any(a["userId"] == user["id"] for a in state.admins.values()):
            raise ApiFailure(409, "This user is an admin; remove the admin first.")
        for members in state.members.values():
            if user["id"] in members:
                members.remove(user["id"])
        del state.users[user["id"]]
    return json_response({"deleted": True})


# --- groups ---------------------------------------------------------------------------------------


def _group_name(state: CommonState, value: Any, exclude: str | None = None) -> str:
    if not isinstance(value, str) or not value.strip():
        raise BadRequest("name is required and must be a non-empty string.")
    if any(
        g["id"] != exclude and g["name"].lower() == value.strip().lower()
        for g in state.groups.values()
    ):
        raise ApiFailure(409, "Group names must be unique.")
    return value.strip()


async def create_group(request: Request) -> Response:
    """``POST /directory/user-groups`` body ``{"name", "description", "userIds"}``: 201."""
    state = _state(request)
    body = await json_body(request)
    name = _group_name(state, body.get("name"))
    description = optional_string(body, "description") or ""
    user_ids = _id_list(body.get("userIds"), "userIds")
    if any(u not in state.users for u in user_ids):
        raise ApiFailure(404, "Can't find at least one user in the request.")
    _check_can_join(state, user_ids, [])
    now = stamp()
    group_id = state.new_id()
    domain = next((u.get("domain") for u in state.users.values() if u.get("domain")), "")
    state.groups[group_id] = {
        "id": group_id,
        "name": name,
        "description": description,
        "domain": domain,
        "source": {"type": "custom"},
        "tenant": state.tenant_ref(),
        "createdAt": now,
        "updatedAt": now,
    }
    state.members[group_id] = list(user_ids)
    return json_response(state.group_view(state.groups[group_id]), 201)


def _group_changes(state: CommonState, group: Item, body: Item) -> Item:
    """``PATCH /directory/user-groups/{groupId}``: name and description."""
    changes: dict[str, Any] = {}
    if "name" in body:
        changes["name"] = _group_name(state, body["name"], exclude=group["id"])
    if "description" in body:
        changes["description"] = optional_string(body, "description") or ""
    return changes


async def delete_group(request: Request) -> Response:
    """``DELETE /directory/user-groups/{groupId}``: only empty custom groups (else 409)."""
    state = _state(request)
    group = state.group(request.path_params["groupId"])
    if _synced(group) or state.members.get(group["id"]):
        raise ApiFailure(
            409,
            "You can only delete empty groups with no members, and not groups synced from "
            "Active Directory.",
        )
    del state.groups[group["id"]]
    state.members.pop(group["id"], None)
    return json_response({"deleted": True})


def directory_routes() -> list[BaseRoute]:
    """Routes of the directory family, relative to ``/common/v1``."""
    return [
        *_side_routes(USERS, GROUPS, create_user, _user_changes, delete_user),
        *_side_routes(GROUPS, USERS, create_group, _group_changes, delete_group),
    ]
