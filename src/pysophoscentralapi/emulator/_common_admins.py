"""Emulated Common API tenant admins and roles (API_NOTES §8.2, §8.3).

Choices where the documentation is silent: an admin holds role assignments; posting a role
assignment replaces the admin's existing ones ("Any existing assignment is overridden"). Removing
the last admin holding the predefined ``Super Admin`` role, or taking that role away from them, is a
409. Predefined roles can't be changed or deleted (409, like the collection's "pre-defined role
name" conflict); a role assigned to an admin can't be deleted (409).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ._collections import Endpoint, crud_routes
from ._common_query import csv_param, search_items, select_fields, sorted_page
from ._common_state import (
    PERMISSION_SET_ACCESS,
    PERMISSION_SET_TYPES,
    PRINCIPAL_TYPES,
    ROLE_TYPES,
    CommonState,
    common_state,
    stamp,
)
from ._http import ApiFailure, BadRequest, check_enum, json_body, json_response, parse_bool

MAX_PAGE_SIZE = 100

Wrap = Callable[[Endpoint], Endpoint]

_ADMIN_SORT = {
    "id": lambda a: a["id"],
    "username": lambda a: a["profile"]["email"],
    "name": lambda a: a["profile"]["name"],
    "createdAt": lambda a: a["createdAt"],
    "updatedAt": lambda a: a["updatedAt"],
}
_ADMIN_SEARCH = {
    "username": lambda a: a["profile"]["email"],
    "name": lambda a: a["profile"]["name"],
    "email": lambda a: a["profile"]["email"],
}


def _state(request: Request) -> CommonState:
    # The Partner API serves the same role handlers over the partner's own state (_partner_api).
    override: CommonState | None = getattr(request.state, "role_state", None)
    return override if override is not None else common_state(request.state.tenant)


def _required_id(body: dict[str, Any], name: str) -> str:
    value = body.get(name)
    if not isinstance(value, str):
        raise BadRequest(f"{name} is required.")
    return value


def _role_ids(body: dict[str, Any]) -> list[str]:
    assignments = body.get("roleAssignments")
    if not isinstance(assignments, list) or not assignments:
        raise BadRequest('roleAssignments must be a non-empty list of {"roleId": ...}.')
    role_ids = []
    for item in assignments:
        if not isinstance(item, dict) or not isinstance(item.get("roleId"), str):
            raise BadRequest("Each role assignment must be an object with a roleId string.")
        role_ids.append(item["roleId"])
    return role_ids


def _check_user_roles(state: CommonState, role_ids: list[str]) -> None:
    for role_id in role_ids:
        role = state.roles.get(role_id)
        if role is None:
            raise ApiFailure(404, "Can't find user ID or role ID.")
        if role["principalType"] != "user":
            raise BadRequest(f"Role {role['name']!r} is for service principals, not admins.")


def _guard_last_super_admin(state: CommonState, admin_id: str, new_role_ids: list[str]) -> None:
    supers = state.super_admin_ids()
    if admin_id in supers and len(supers) == 1 and not set(new_role_ids) & state.super_role_ids():
        raise ApiFailure(409, "Can't remove last Super admin.")


# --- admins ---------------------------------------------------------------------------------------


async def list_admins(request: Request) -> Response:
    """``GET /admins``: page-number paging, ``search``/``searchFields``, ``roleId``, ``sort``."""
    state = _state(request)
    items = [state.admin_view(a) for a in state.admins.values()]
    role_id = request.query_params.get("roleId")
    if role_id:
        items = [a for a in items if any(r["roleId"] == role_id for r in a["roleAssignments"])]
    items = search_items(
        items,
        request.query_params.get("search"),
        csv_param(request, "searchFields"),
        _ADMIN_SEARCH,
        ["username"],
    )
    return sorted_page(request, items, _ADMIN_SORT, ["createdAt:asc"], max_size=MAX_PAGE_SIZE)


async def create_admin(request: Request) -> Response:
    """``POST /admins`` from a directory user: 201; 404 for an unknown user or role."""
    state = _state(request)
    body = await json_body(request)
    user_id = _required_id(body, "userId")
    role_ids = _role_ids(body)
    if user_id not in state.users:
        raise ApiFailure(404, "Can't find user ID or role ID.")
    _check_user_roles(state, role_ids)
    if any(a["userId"] == user_id for a in state.admins.values()):
        raise ApiFailure(409, "This user is already an admin.")
    now = stamp()
    admin_id = state.new_id()
    state.admins[admin_id] = {
        "id": admin_id,
        "tenant": state.tenant_ref(with_name=False),
        "userId": user_id,
        "roleAssignments": [{"id": state.new_id(), "roleId": r} for r in dict.fromkeys(role_ids)],
        "createdAt": now,
        "updatedAt": now,
    }
    return json_response(state.admin_view(state.admins[admin_id]), 201)


async def get_admin(request: Request) -> Response:
    """``GET /admins/{adminId}``."""
    state = _state(request)
    admin = state.admin(request.path_params["adminId"])
    return json_response(select_fields(state.admin_view(admin), csv_param(request, "fields")))


async def delete_admin(request: Request) -> Response:
    """``DELETE /admins/{adminId}``; 409 for the last Super admin."""
    state = _state(request)
    admin = state.admin(request.path_params["adminId"])
    _guard_last_super_admin(state, admin["id"], [])
    del state.admins[admin["id"]]
    return json_response({"deleted": True})


async def list_assignments(request: Request) -> Response:
    """``GET /admins/{adminId}/role-assignments``: ``{"items": [...]}`` without paging."""
    admin = _state(request).admin(request.path_params["adminId"])
    return json_response({"items": [dict(ra) for ra in admin["roleAssignments"]]})


async def assign_role(request: Request) -> Response:
    """``POST /admins/{adminId}/role-assignments``: replaces the admin's assignments; 201."""
    state = _state(request)
    body = await json_body(request)
    role_id = _required_id(body, "roleId")
    admin = state.admin(request.path_params["adminId"])
    if role_id not in state.roles:
        raise ApiFailure(404, "Can't find admin or role.")
    _check_user_roles(state, [role_id])
    _guard_last_super_admin(state, admin["id"], [role_id])
    assignment = {"id": state.new_id(), "roleId": role_id}
    admin["roleAssignments"] = [assignment]
    admin["updatedAt"] = stamp()
    return json_response(dict(assignment), 201)


def _assignment(state: CommonState, request: Request) -> tuple[dict[str, Any], dict[str, Any]]:
    admin = state.admin(request.path_params["adminId"])
    wanted = request.path_params["assignmentId"]
    for assignment in admin["roleAssignments"]:
        if assignment["id"] == wanted:
            return admin, assignment
    raise ApiFailure(404, "Can't find admin or assignment.")


async def get_assignment(request: Request) -> Response:
    """``GET /admins/{adminId}/role-assignments/{assignmentId}``."""
    _, assignment = _assignment(_state(request), request)
    return json_response(dict(assignment))


async def delete_assignment(request: Request) -> Response:
    """``DELETE /admins/{adminId}/role-assignments/{assignmentId}``; 409 for the last Super admin."""
    state = _state(request)
    admin, assignment = _assignment(state, request)
    remaining = [ra for ra in admin["roleAssignments"] if ra is not assignment]
    _guard_last_super_admin(state, admin["id"], [ra["roleId"] for ra in remaining])
    admin["roleAssignments"] = remaining
    admin["updatedAt"] = stamp()
    return json_response({"deleted": True})


# --- roles ----------------------------------------------------------------------------------------


async def list_roles(request: Request) -> Response:
    """``GET /roles``: ``{"items": [...]}`` (no ``pages``), filters ``type`` and ``principalType``."""
    state = _state(request)
    role_type = request.query_params.get("type")
    principal = request.query_params.get("principalType")
    if role_type:
        check_enum("type", [role_type], ROLE_TYPES)
    if principal:
        check_enum("principalType", [principal], PRINCIPAL_TYPES)
    fields = csv_param(request, "fields")
    items = [
        select_fields(r, fields)
        for r in state.roles.values()
        if (not role_type or r["type"] == role_type)
        and (not principal or r["principalType"] == principal)
    ]
    return json_response({"items": items})


def _permission_sets(state: CommonState, value: Any, principal: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise BadRequest("permissionSets must be a list of permission set ids.")
    usable = [
        p["id"]
        for p in state.permission_sets
        if p["allowedInCustomRoles"] and principal in p["principalTypes"]
    ]
    unknown = [v for v in value if v not in usable]
    if unknown:
        raise BadRequest(
            f"Invalid permission sets for a {principal} role: {', '.join(unknown)}. "
            f"Valid values: {', '.join(usable)}."
        )
    return list(dict.fromkeys(value))


def _check_name(state: CommonState, name: Any, exclude: str | None = None) -> str:
    if not isinstance(name, str) or not name.strip():
        raise BadRequest("name is required and must be a non-empty string.")
    for role in state.roles.values():
        if role["id"] != exclude and role["name"].lower() == name.strip().lower():
            raise ApiFailure(409, "Role name already in use or is a pre-defined role name.")
    return name.strip()


def _check_description(value: Any) -> str:
    if value is not None and not isinstance(value, str):
        raise BadRequest("description must be a string.")
    return value or ""


async def create_role(request: Request) -> Response:
    """``POST /roles``: 201; 400 for unknown permission sets; 409 for a name in use."""
    state = _state(request)
    body = await json_body(request)
    principal = body.get("principalType", "user")
    check_enum("principalType", [str(principal)], PRINCIPAL_TYPES)
    name = _check_name(state, body.get("name"))
    sets = _permission_sets(state, body.get("permissionSets"), principal)
    now = stamp()
    role_id = state.new_id()
    state.roles[role_id] = {
        "id": role_id,
        "name": name,
        "description": _check_description(body.get("description")),
        "type": "custom",
        "principalType": principal,
        "permissionSets": sets,
        "createdAt": now,
        "updatedAt": now,
    }
    return json_response(state.roles[role_id], 201)


async def get_role(request: Request) -> Response:
    """``GET /roles/{roleId}``."""
    role = _state(request).role(request.path_params["roleId"])
    return json_response(select_fields(role, csv_param(request, "fields")))


async def update_role(request: Request) -> Response:
    """``PATCH /roles/{roleId}`` (name, description, permissionSets); 409 for predefined roles."""
    state = _state(request)
    role = state.role(request.path_params["roleId"])
    body = await json_body(request)
    if role["type"] == "predefined":
        raise ApiFailure(409, "Predefined roles can't be changed.")
    changes: dict[str, Any] = {}
    if "name" in body:
        changes["name"] = _check_name(state, body["name"], exclude=role["id"])
    if "description" in body:
        changes["description"] = _check_description(body["description"])
    if "permissionSets" in body:
        changes["permissionSets"] = _permission_sets(
            state, body["permissionSets"], role["principalType"]
        )
    role.update(changes, updatedAt=stamp())
    return json_response(role)


async def delete_role(request: Request) -> Response:
    """``DELETE /roles/{roleId}``; 409 when predefined or assigned to an admin."""
    state = _state(request)
    role = state.role(request.path_params["roleId"])
    if role["type"] == "predefined":
        raise ApiFailure(409, "Predefined roles can't be deleted.")
    if any(
        ra["roleId"] == role["id"] for a in state.admins.values() for ra in a["roleAssignments"]
    ):
        raise ApiFailure(409, "You can't delete a role assigned to an admin.")
    del state.roles[role["id"]]
    return json_response({"deleted": True})


async def list_permission_sets(request: Request) -> Response:
    """``GET /roles/permission-sets`` with ``type``, ``product``, ``access``,
    ``allowedInCustomRole`` and ``principalType`` filters."""
    state = _state(request)
    query = request.query_params
    set_type, access, principal = query.get("type"), query.get("access"), query.get("principalType")
    if set_type:
        check_enum("type", [set_type], PERMISSION_SET_TYPES)
    if access:
        check_enum("access", [access], PERMISSION_SET_ACCESS)
    if principal:
        check_enum("principalType", [principal], PRINCIPAL_TYPES)
    custom = parse_bool(request, "allowedInCustomRole")
    product = query.get("product")
    items = [
        select_fields(p, csv_param(request, "fields"))
        for p in state.permission_sets
        if (not set_type or p["type"] == set_type)
        and (not access or p["access"] == access)
        and (not principal or principal in p["principalTypes"])
        and (custom is None or p["allowedInCustomRoles"] == custom)
        and (not product or product in p["products"])
    ]
    return json_response({"items": items})


def _as_is(handler: Endpoint) -> Endpoint:
    return handler


def assignment_routes(assign: Endpoint, over: Wrap = _as_is) -> list[BaseRoute]:
    """An admin's role assignments; ``assign`` adds one (the tenant's replace the admin's, the
    Partner API's add one), ``over`` wraps the shared handlers (the Partner API's state)."""
    return crud_routes(
        "/admins/{adminId}/role-assignments",
        "assignmentId",
        list=over(list_assignments),
        add=assign,
        get=over(get_assignment),
        delete=over(delete_assignment),
    )


def role_routes(over: Wrap = _as_is) -> list[BaseRoute]:
    """The roles and permission sets; ``over`` wraps each handler (the Partner API's state)."""
    return [
        # before /roles/{roleId}, which would otherwise capture it
        Route("/roles/permission-sets", over(list_permission_sets), methods=["GET"]),
        *crud_routes(
            "/roles",
            "roleId",
            list=over(list_roles),
            add=over(create_role),
            get=over(get_role),
            update=over(update_role),
            delete=over(delete_role),
        ),
    ]


def admin_routes() -> list[BaseRoute]:
    """Routes of the admins and roles families, relative to ``/common/v1``."""
    return [
        *crud_routes(
            "/admins",
            "adminId",
            list=list_admins,
            add=create_admin,
            get=get_admin,
            delete=delete_admin,
        ),
        *assignment_routes(assign_role),
        *role_routes(),
    ]
