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

from ._common_query import check_enum, csv_param, search_items, select_fields, sort_items
from ._common_state import SOURCE_TYPES, CommonState, check_email, common_state, stamp
from ._http import ApiFailure, BadRequest, json_body, json_response, number_page

MAX_PAGE_SIZE = 100


def _getter(name: str) -> Callable[[dict[str, Any]], Any]:
    return lambda item: item.get(name)


_USER_FIELDS = ("id", "name", "firstName", "lastName", "email", "exchangeLogin")
_USER_SORT = {n: _getter(n) for n in (*_USER_FIELDS, "createdAt", "updatedAt")}
_USER_SEARCH = {n: _getter(n) for n in _USER_FIELDS[1:]}
_GROUP_SORT = {n: _getter(n) for n in ("id", "name", "createdAt", "updatedAt")}
_GROUP_SEARCH = {n: _getter(n) for n in ("name", "description")}


def _state(request: Request) -> CommonState:
    return common_state(request.state.tenant)


def _synced(item: dict[str, Any]) -> bool:
    return bool(item["source"]["type"] != "custom")


def _filter_common(request: Request, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
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
class _Listing:
    """How a page of users or of groups is searched, sorted and shown."""

    search: dict[str, Callable[[dict[str, Any]], Any]]
    sort: dict[str, Callable[[dict[str, Any]], Any]]
    view: Callable[[CommonState, dict[str, Any]], dict[str, Any]]


_USER_LISTING = _Listing(_USER_SEARCH, _USER_SORT, CommonState.user_view)
_GROUP_LISTING = _Listing(_GROUP_SEARCH, _GROUP_SORT, CommonState.group_view)


def _page(
    request: Request, state: CommonState, items: list[dict[str, Any]], listing: _Listing
) -> Response:
    """One number-paged page of ``items`` with the documented filters, search, sort and fields."""
    items = _filter_common(request, items)
    items = search_items(
        items,
        request.query_params.get("search"),
        csv_param(request, "searchFields"),
        listing.search,
        ["name"],
    )
    items = sort_items(items, csv_param(request, "sort"), listing.sort, ["name:asc"])
    fields = csv_param(request, "fields")
    views = [select_fields(listing.view(state, item), fields) for item in items]
    return json_response(number_page(request, views, max_size=MAX_PAGE_SIZE))


def _user_page(request: Request, state: CommonState, users: list[dict[str, Any]]) -> Response:
    return _page(request, state, users, _USER_LISTING)


def _group_page(request: Request, state: CommonState, groups: list[dict[str, Any]]) -> Response:
    return _page(request, state, groups, _GROUP_LISTING)


def _optional_str(body: dict[str, Any], name: str) -> str | None:
    value = body.get(name)
    if value is not None and not isinstance(value, str):
        raise BadRequest(f"Invalid value for {name}: expected a string.")
    return value


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


# --- users ----------------------------------------------------------------------------------------


async def list_users(request: Request) -> Response:
    """``GET /directory/users``: page-number paging with the documented filters (+ ``groupId``)."""
    state = _state(request)
    users = list(state.users.values())
    group_id = request.query_params.get("groupId")
    if group_id:
        members = set(state.members.get(group_id, []))
        users = [u for u in users if u["id"] in members]
    return _user_page(request, state, users)


async def create_user(request: Request) -> Response:
    """``POST /directory/users``: 201; 400 for a malformed email; 409 when the email is in use."""
    state = _state(request)
    body = await json_body(request)
    name = _optional_str(body, "name")
    first, last = _optional_str(body, "firstName"), _optional_str(body, "lastName")
    if not name:
        name = " ".join(p for p in (first, last) if p)
    if not name:
        raise BadRequest("name (or firstName/lastName) is required.")
    email = body.get("email")
    if email is not None:
        email = check_email(email)
        if _email_in_use(state, email):
            raise ApiFailure(409, "Email address must not already be in use.")
    exchange = _optional_str(body, "exchangeLogin")
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


async def get_user(request: Request) -> Response:
    """``GET /directory/users/{userId}``."""
    state = _state(request)
    user = state.user(request.path_params["userId"])
    return json_response(select_fields(state.user_view(user), csv_param(request, "fields")))


async def update_user(request: Request) -> Response:
    """``PATCH /directory/users/{userId}``: name, firstName, lastName, email, exchangeLogin."""
    state = _state(request)
    user = state.user(request.path_params["userId"])
    body = await json_body(request)
    changes: dict[str, Any] = {}
    for name in ("name", "firstName", "lastName", "exchangeLogin"):
        if name in body:
            changes[name] = _optional_str(body, name) or ""
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
    if _synced(user):
        raise ApiFailure(
            409, "You can't use this API to update a user synced from Active Directory."
        )
    user.update(changes, updatedAt=stamp())
    return json_response(state.user_view(user))


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


async def user_groups(request: Request) -> Response:
    """``GET /directory/users/{userId}/groups``: a page of the user's groups."""
    state = _state(request)
    user = state.user(request.path_params["userId"])
    groups = [state.groups[g] for g in state.groups_of(user["id"])]
    return _group_page(request, state, groups)


async def add_user_to_groups(request: Request) -> Response:
    """``POST /directory/users/{userId}/groups`` body ``{"ids": [...]}``: 201 ``addedToGroups``."""
    state = _state(request)
    user = state.user(request.path_params["userId"])
    body = await json_body(request)
    group_ids = _id_list(body.get("ids"), "ids")
    if not group_ids:
        raise BadRequest("ids must list at least one group id.")
    if any(g not in state.groups for g in group_ids):
        raise ApiFailure(404, "Can't find user or at least one group in the request.")
    _check_can_join(state, [user["id"]], group_ids)
    for group_id in group_ids:
        _add_member(state, group_id, user["id"])
    return json_response({"addedToGroups": [{"id": g} for g in group_ids]}, 201)


async def remove_user_from_groups(request: Request) -> Response:
    """``DELETE /directory/users/{userId}/groups?ids=...``: 200 with removed and not found ids."""
    state = _state(request)
    user = state.user(request.path_params["userId"])
    group_ids = csv_param(request, "ids")
    if not group_ids:
        raise BadRequest("ids must list at least one group id.")
    if _synced(user):
        raise ApiFailure(
            409, "You can't use this API to update users synced from Active Directory."
        )
    removed, not_found = [], []
    for group_id in dict.fromkeys(group_ids):
        members = state.members.get(group_id)
        if group_id in state.groups and members is not None and user["id"] in members:
            members.remove(user["id"])
            removed.append({"id": group_id})
        else:
            not_found.append(group_id)
    return json_response({"removedFromGroups": removed, "errors": {"groupsNotFound": not_found}})


async def remove_user_from_group(request: Request) -> Response:
    """``DELETE /directory/users/{userId}/groups/{groupId}``: ``{"removed": true}``."""
    state = _state(request)
    user = state.user(request.path_params["userId"])
    return _remove_membership(state, user, state.group(request.path_params["groupId"]))


def _remove_membership(state: CommonState, user: dict[str, Any], group: dict[str, Any]) -> Response:
    # Both single-membership DELETEs (each looks up user and group in its own path's order):
    # ``{"removed": true}``, also when the user was not a member.
    _check_can_join(state, [user["id"]], [group["id"]])
    members = state.members.get(group["id"], [])
    if user["id"] in members:
        members.remove(user["id"])
    return json_response({"removed": True})


# --- groups ---------------------------------------------------------------------------------------


async def list_groups(request: Request) -> Response:
    """``GET /directory/user-groups``: page-number paging with the documented filters (+ ``userId``)."""
    state = _state(request)
    groups = list(state.groups.values())
    user_id = request.query_params.get("userId")
    if user_id:
        mine = set(state.groups_of(user_id))
        groups = [g for g in groups if g["id"] in mine]
    return _group_page(request, state, groups)


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
    description = _optional_str(body, "description") or ""
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


async def get_group(request: Request) -> Response:
    """``GET /directory/user-groups/{groupId}``."""
    state = _state(request)
    group = state.group(request.path_params["groupId"])
    return json_response(select_fields(state.group_view(group), csv_param(request, "fields")))


async def update_group(request: Request) -> Response:
    """``PATCH /directory/user-groups/{groupId}``: name and description."""
    state = _state(request)
    group = state.group(request.path_params["groupId"])
    body = await json_body(request)
    changes: dict[str, Any] = {}
    if "name" in body:
        changes["name"] = _group_name(state, body["name"], exclude=group["id"])
    if "description" in body:
        changes["description"] = _optional_str(body, "description") or ""
    if _synced(group):
        raise ApiFailure(
            409, "You can't use this API to update groups synced from Active Directory."
        )
    group.update(changes, updatedAt=stamp())
    return json_response(state.group_view(group))


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


async def group_users(request: Request) -> Response:
    """``GET /directory/user-groups/{groupId}/users``: a page of the group's members."""
    state = _state(request)
    group = state.group(request.path_params["groupId"])
    users = [state.users[u] for u in state.members.get(group["id"], [])]
    return _user_page(request, state, users)


async def add_users_to_group(request: Request) -> Response:
    """``POST /directory/user-groups/{groupId}/users`` body ``{"ids": [...]}``: 201 ``addedUsers``."""
    state = _state(request)
    group = state.group(request.path_params["groupId"])
    body = await json_body(request)
    user_ids = _id_list(body.get("ids"), "ids")
    if not user_ids:
        raise BadRequest("ids must list at least one user id.")
    if any(u not in state.users for u in user_ids):
        raise ApiFailure(404, "Can't find group or at least one user in the request.")
    _check_can_join(state, user_ids, [group["id"]])
    for user_id in user_ids:
        _add_member(state, group["id"], user_id)
    return json_response({"addedUsers": [{"id": u} for u in user_ids]}, 201)


async def remove_users_from_group(request: Request) -> Response:
    """``DELETE /directory/user-groups/{groupId}/users?ids=...``: removed and not found ids."""
    state = _state(request)
    group = state.group(request.path_params["groupId"])
    user_ids = csv_param(request, "ids")
    if not user_ids:
        raise BadRequest("ids must list at least one user id.")
    _check_can_join(state, [], [group["id"]])
    members = state.members.setdefault(group["id"], [])
    removed, not_found = [], []
    for user_id in dict.fromkeys(user_ids):
        if user_id in members:
            members.remove(user_id)
            removed.append({"id": user_id})
        else:
            not_found.append(user_id)
    return json_response({"removedUsers": removed, "errors": {"usersNotFound": not_found}})


async def remove_user_from_group_by_group(request: Request) -> Response:
    """``DELETE /directory/user-groups/{groupId}/users/{userId}``: ``{"removed": true}``."""
    state = _state(request)
    group = state.group(request.path_params["groupId"])
    return _remove_membership(state, state.user(request.path_params["userId"]), group)


def directory_routes() -> list[BaseRoute]:
    """Routes of the directory family, relative to ``/common/v1``."""
    users, groups = "/directory/users", "/directory/user-groups"
    return [
        Route(users, list_users, methods=["GET"]),
        Route(users, create_user, methods=["POST"]),
        Route(users + "/{userId}", get_user, methods=["GET"]),
        Route(users + "/{userId}", update_user, methods=["PATCH"]),
        Route(users + "/{userId}", delete_user, methods=["DELETE"]),
        Route(users + "/{userId}/groups", user_groups, methods=["GET"]),
        Route(users + "/{userId}/groups", add_user_to_groups, methods=["POST"]),
        Route(users + "/{userId}/groups", remove_user_from_groups, methods=["DELETE"]),
        Route(users + "/{userId}/groups/{groupId}", remove_user_from_group, methods=["DELETE"]),
        Route(groups, list_groups, methods=["GET"]),
        Route(groups, create_group, methods=["POST"]),
        Route(groups + "/{groupId}", get_group, methods=["GET"]),
        Route(groups + "/{groupId}", update_group, methods=["PATCH"]),
        Route(groups + "/{groupId}", delete_group, methods=["DELETE"]),
        Route(groups + "/{groupId}/users", group_users, methods=["GET"]),
        Route(groups + "/{groupId}/users", add_users_to_group, methods=["POST"]),
        Route(groups + "/{groupId}/users", remove_users_from_group, methods=["DELETE"]),
        Route(
            groups + "/{groupId}/users/{userId}",
            remove_user_from_group_by_group,
            methods=["DELETE"],
        ),
    ]
