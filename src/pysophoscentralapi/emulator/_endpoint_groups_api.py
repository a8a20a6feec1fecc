"""Endpoint API v1 endpoint groups (``/endpoint/v1/endpoint-groups``), stateful.

The group list is the declared collection (:data:`~pysophoscentralapi._families.endpoint_groups.
ENDPOINT_GROUPS`, routes from :func:`~._collections.collection_routes`); membership lives in the
tenant's :class:`~._state.EndpointStore` (``group_of``), so an endpoint's ``group`` and a group's
``endpoints`` always agree. An endpoint is in at most one group: adding it moves it. The seeded
groups are the endpoint factory's (``Servers`` holds servers, the others computers).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from pysophoscentralapi._families.endpoint_groups import (
    ENDPOINT_GROUPS,
    MAX_MEMBERS_PAGE_SIZE,
)
from pysophoscentralapi.emulator import _collections as shared
from pysophoscentralapi.emulator import _http as http
from pysophoscentralapi.emulator._data import iso
from pysophoscentralapi.emulator._state import TenantState
from pysophoscentralapi.models.endpoint_groups import GROUP_SEARCH_FIELDS, GROUP_TYPES

#: How many members a group's ``endpoints.items`` summary shows.
_SUMMARY_SIZE = 10


def _seed(tenant: TenantState) -> list[shared.Item]:
    created = iso(tenant.endpoints.factory.anchor - 60 * 86400)
    return [
        {
            "id": group["id"],
            "name": group["name"],
            "description": f"{group['name']} endpoints",
            "type": "server" if group["name"] == "Servers" else "computer",
            "tenant": {"id": tenant.id},
            "createdAt": created,
            "updatedAt": created,
        }
        for group in tenant.endpoints.factory.groups
    ]


def _groups(tenant: TenantState) -> dict[str, shared.Item]:
    return shared.items_of(tenant, _RULES)


def _member_rows(tenant: TenantState, group_id: str) -> list[dict[str, Any]]:
    store = tenant.endpoints
    return [
        endpoint
        for index, endpoint in store.rows()
        if store.group_id_of(index, endpoint) == group_id
    ]


def _present(group: shared.Item, request: Request) -> shared.Item:
    """A group as the API answers it: with its members' summary."""
    members = _member_rows(shared.tenant_of(request), group["id"])
    shown = [{"id": e["id"], "hostname": e["hostname"]} for e in members[:_SUMMARY_SIZE]]
    return {**group, "endpoints": {"total": len(members), "itemsCount": len(shown), "items": shown}}


def _check_name_free(tenant: TenantState, name: str, group_id: str | None = None) -> None:
    # Names are unique as written (INFERRED: the collection documents a 409, not its rule), so
    # "Sales" and "sales" can both exist: a name that matches both is ambiguous to the CLI.
    for other in _groups(tenant).values():
        if other["id"] != group_id and other["name"] == name:
            raise http.ApiFailure(409, f"A group named {name!r} already exists.")


def _id_list(value: Any, name: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise http.BadRequest(f"{name} must be a list of endpoint ids.")
    return [v.lower() for v in value]


def _move(
    tenant: TenantState, group: shared.Item, ids: list[str]
) -> tuple[list[str], list[str], list[str]]:
    """Put endpoints in ``group``: (added, not found, of the wrong type)."""
    added, missing, wrong = [], [], []
    store = tenant.endpoints
    for endpoint_id in dict.fromkeys(ids):
        index = store.index_of(endpoint_id)
        if index is None:
            missing.append(endpoint_id)
        elif store.get(index)["type"] != group["type"]:
            wrong.append(endpoint_id)
        else:
            store.group_of[index] = group["id"]
            added.append(endpoint_id)
    return added, missing, wrong


def _create(body: shared.Item, request: Request) -> shared.Item:
    tenant = shared.tenant_of(request)
    name = http.optional_str(body, "name")
    if not name or not name.strip():
        raise http.BadRequest("name is required.")
    group_type = body.get("type", "computer")
    http.check_choice("type", group_type, GROUP_TYPES)
    _check_name_free(tenant, name)
    now = http.now_iso()
    group = {
        "id": shared.new_id(),
        "name": name,
        "description": http.optional_str(body, "description") or "",
        "type": group_type,
        "tenant": {"id": tenant.id},
        "createdAt": now,
        "updatedAt": now,
    }
    tenant.endpoints.group_names[group["id"]] = name
    if "endpointIds" in body:
        _move(tenant, group, _id_list(body["endpointIds"], "endpointIds"))
    return group


def _change(group: shared.Item, body: shared.Item, request: Request) -> None:
    tenant = shared.tenant_of(request)
    name = http.optional_str(body, "name")
    description = http.optional_str(body, "description")
    if name is not None:
        if not name.strip():
            raise http.BadRequest("name must not be empty.")
        _check_name_free(tenant, name, group["id"])
        group["name"] = name
        tenant.endpoints.group_names[group["id"]] = name
    if description is not None:
        group["description"] = description
    group["updatedAt"] = http.now_iso()


def _deleted(group: shared.Item, request: Request) -> None:
    shared.tenant_of(request).endpoints.group_names.pop(group["id"], None)


def _select(request: Request, groups: list[shared.Item]) -> list[shared.Item]:
    query = request.query_params
    ids = http.csv_values(request, "ids")
    if ids is not None:
        wanted = {v.lower() for v in ids}
        groups = [g for g in groups if g["id"] in wanted]
    if query.get("search"):
        fields = http.parse_csv_enum(request, "searchFields", GROUP_SEARCH_FIELDS) or ["name"]
        text = query["search"].casefold()
        groups = [g for g in groups if any(text in str(g.get(f) or "").casefold() for f in fields)]
    endpoint_ids = http.csv_values(request, "endpointIds")
    if endpoint_ids is not None:
        store = shared.tenant_of(request).endpoints
        indexes = [store.index_of(v) for v in endpoint_ids]
        holding = {store.group_id_of(i) for i in indexes if i is not None}
        groups = [g for g in groups if g["id"] in holding]
    return groups


_RULES = shared.Rules(
    store="endpointGroups",
    not_found="Endpoint group not found.",
    seed=_seed,
    create=_create,
    change=_change,
    present=_present,
    select=_select,
    sortable=("id", "name", "createdAt", "updatedAt"),
    on_delete=_deleted,
    deleted_when_missing=False,
)


def _group(request: Request) -> shared.Item:
    return shared.find_item(request, _RULES, "group_id")


async def list_by_type(request: Request) -> Response:
    group_type = request.path_params["group_type"]
    http.check_choice("groupType", group_type, GROUP_TYPES)
    return await _LIST(request, lambda group: group["type"] == group_type)


async def list_members(request: Request) -> Response:
    group = _group(request)
    members = [
        {"id": e["id"], "type": e["type"], "hostname": e["hostname"], "os": e.get("os")}
        for e in _member_rows(shared.tenant_of(request), group["id"])
    ]
    page = http.key_page(
        request,
        lambda start: ((i, members[i]) for i in range(start, len(members))),
        salt=f"members:{group['id']}",
        max_size=MAX_MEMBERS_PAGE_SIZE,
        count=lambda: len(members),
    )
    return http.json_response({"items": page.items, "pages": page.pages})


async def add_members(request: Request) -> Response:
    group = _group(request)
    body = await http.json_body(request)
    added, missing, wrong = _move(
        shared.tenant_of(request), group, _id_list(body.get("ids"), "ids")
    )
    return http.json_response(
        {
            "addedEndpoints": [{"id": i} for i in added],
            "errors": {"endpointsNotFound": missing, "endpointsOfWrongType": wrong},
        },
        201,
    )


def _remove(tenant: TenantState, group: shared.Item, ids: list[str]) -> tuple[list[str], list[str]]:
    removed, missing = [], []
    store = tenant.endpoints
    for endpoint_id in dict.fromkeys(ids):
        index = store.index_of(endpoint_id)
        if index is None or store.group_id_of(index) != group["id"]:
            missing.append(endpoint_id)
        else:
            store.group_of[index] = None
            removed.append(endpoint_id)
    return removed, missing


async def remove_members(request: Request) -> Response:
    group = _group(request)
    ids = http.csv_values(request, "ids")
    if ids is None:
        raise http.BadRequest("ids is required.")
    removed, missing = _remove(shared.tenant_of(request), group, [v.lower() for v in ids])
    return http.json_response(
        {"removedEndpoints": [{"id": i} for i in removed], "errors": {"endpointsNotFound": missing}}
    )


async def remove_member(request: Request) -> Response:
    group = _group(request)
    removed, _ = _remove(
        shared.tenant_of(request), group, [request.path_params["endpoint_id"].lower()]
    )
    if not removed:
        raise http.ApiFailure(404, "Endpoint not found in the group.")
    return http.json_response({"removed": True})


_CRUD = shared.collection_routes(ENDPOINT_GROUPS, _RULES)
_LIST = _RULES.lister(ENDPOINT_GROUPS)


def endpoint_groups_routes() -> list[BaseRoute]:
    """The endpoint-group routes, relative to ``/region/{region}/endpoint/v1``."""
    base = "/endpoint-groups"
    members = base + "/{group_id}/endpoints"
    return [
        Route(base + "/types/{group_type}", list_by_type, methods=["GET"]),
        Route(members, list_members, methods=["GET"]),
        Route(members, add_members, methods=["POST"]),
        Route(members, remove_members, methods=["DELETE"]),
        Route(members + "/{endpoint_id}", remove_member, methods=["DELETE"]),
        *_CRUD,
    ]
