"""The emulator side of a declared collection: stateful CRUD routes built from its
:class:`~pysophoscentralapi._collection.Collection` (path, operations, paging, page-size maximum,
filters with their enums) and its :class:`Rules` (what the server checks and stores).

The answers follow the API: list = one page (``number`` paging: ``pages.current/size/total/
items``; ``key`` paging: ``pages.fromKey/nextKey``), get = the item or 404, add = 201 and the item
(409 when ``identity`` matches an existing one), update = the item, delete = ``{"deleted": true}``
also for unknown ids; items with ``lockedByManagingAccount`` refuse change and delete (403).
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from pysophoscentralapi._collection import Collection
from pysophoscentralapi._paging import PagingStyle
from pysophoscentralapi.emulator._http import (
    ApiFailure,
    BadRequest,
    found,
    json_body,
    json_response,
    key_page,
    number_page,
    parse_csv_enum,
)
from pysophoscentralapi.emulator._state import TenantState, tenant_of

#: Prefix of the Endpoint API the emulator mounts its routers under.
ENDPOINT_V1 = "/endpoint/v1"
Item = dict[str, Any]
Endpoint = Callable[[Request], Awaitable[Response]]


@dataclass(frozen=True)
class Rules:
    """The server's side of a collection.

    ``seed(tenant)``: the items a tenant starts with; ``create(body, request)``: the stored item
    of a valid add body (raise :class:`~._http.BadRequest` otherwise); ``change(item, body,
    request)``: apply a valid update body to ``item``; ``identity(item)``: what makes two items
    the same (adding a second is 409); ``not_found``: the 404 message.
    """

    store: str
    not_found: str
    seed: Callable[[TenantState], list[Item]]
    create: Callable[[Item, Request], Item] | None = None
    change: Callable[[Item, Item, Request], None] | None = None
    identity: Callable[[Item], Hashable] | None = None
    locked_message: str = "This item is managed at partner or enterprise level."
    #: Filters applied to a listing beyond the declared enum filters: (request, items) -> items.
    select: Callable[[Request, list[Item]], list[Item]] | None = None
    #: The item as answered (e.g. with computed fields); the stored item by default.
    present: Callable[[Item, Request], Item] | None = None
    #: Fields ``sort=field[:asc|:desc],...`` may name (empty: no sorting).
    sortable: tuple[str, ...] = ()
    #: Called with an item just deleted (to undo what it held elsewhere).
    on_delete: Callable[[Item, Request], None] | None = None
    #: Whether deleting an unknown id answers ``{"deleted": true}`` (the settings lists) or
    #: ``{"deleted": false}``.
    deleted_when_missing: bool = True
    #: Called before an item is deleted; raises :class:`~._http.ApiFailure` to refuse.
    before_delete: Callable[[Item], None] | None = None
    #: The item field the items are stored by (their id in the API).
    key: str = "id"

    def shown(self, item: Item, request: Request) -> Item:
        return item if self.present is None else self.present(item, request)

    def lister(self, collection: Collection[Any]) -> Callable[..., Awaitable[Response]]:
        """The list handler: ``await lister(request, keep=None)`` (``keep``: an extra test)."""

        async def list_items(
            request: Request, keep: Callable[[Item], bool] | None = None
        ) -> Response:
            items = list(items_of(tenant_of(request), self).values())
            if keep is not None:
                items = [item for item in items if keep(item)]
            for spec in collection.filters:
                # Enum filters, and text filters naming the field they match, filter by value.
                if spec.how == "choice":
                    wanted = parse_csv_enum(request, spec.api_name, spec.choices or ())
                elif spec.how == "text" and spec.field:
                    value = request.query_params.get(spec.api_name)
                    wanted = None if value is None else [value]
                else:
                    continue
                if wanted is not None:
                    items = [item for item in items if item.get(spec.item_field) in wanted]
            if self.select is not None:
                items = self.select(request, items)
            if self.sortable and request.query_params.get("sort"):
                items = sort_items(items, request.query_params["sort"], self.sortable)
            items = [self.shown(item, request) for item in items]
            if collection.paging is PagingStyle.NONE:
                return json_response({"items": items})
            if collection.paging is PagingStyle.KEY:
                page = key_page(
                    request,
                    lambda start: ((i, items[i]) for i in range(start, len(items))),
                    salt=f"{self.store}:{tenant_of(request).id}",
                    max_size=collection.max_page_size,
                    count=lambda: len(items),
                )
                return json_response({"items": page.items, "pages": page.pages})
            return json_response(number_page(request, items, max_size=collection.max_page_size))

        return list_items


def sort_items(items: list[Item], sort: str, sortable: tuple[str, ...]) -> list[Item]:
    """``items`` in the order ``sort`` asks (``name:desc,createdAt``); 400 for unknown fields."""
    for criterion in reversed(sort.split(",")):
        field, _, direction = criterion.strip().partition(":")
        if field not in sortable or direction not in ("", "asc", "desc"):
            raise BadRequest(f"Invalid sort: {criterion!r}. Sortable: {', '.join(sortable)}.")
        items = sorted(
            items,
            key=lambda item: str(item.get(field) or "").casefold(),
            reverse=direction == "desc",
        )
    return items


def items_of(tenant: TenantState, rules: Rules) -> dict[str, Item]:
    """The collection's items of ``tenant`` (seeded on first use), by id."""
    key = f"endpoint.{rules.store}"
    if key not in tenant.store:
        tenant.store[key] = {item[rules.key]: item for item in rules.seed(tenant)}
    items: dict[str, Item] = tenant.store[key]
    return items


def find_item(request: Request, rules: Rules, param: str = "item_id") -> Item:
    """The item the path's ``param`` names; 404 with ``rules.not_found`` when there is none."""
    return found(items_of(tenant_of(request), rules), request.path_params[param], rules.not_found)


def new_id() -> str:
    return str(uuid.uuid4())


def collection_routes(collection: Collection[Any], rules: Rules) -> list[BaseRoute]:
    """The collection's routes, relative to ``/region/{region}/endpoint/v1``."""
    base = collection.path.removeprefix(ENDPOINT_V1)

    list_items = rules.lister(collection)

    async def get_item(request: Request) -> Response:
        return json_response(rules.shown(find_item(request, rules), request))

    async def add_item(request: Request) -> Response:
        assert rules.create is not None
        item = rules.create(await json_body(request), request)
        items = items_of(tenant_of(request), rules)
        if rules.identity is not None:
            identity = rules.identity(item)
            if any(rules.identity(existing) == identity for existing in items.values()):
                raise ApiFailure(409, "Item already exists.")
        items[item[rules.key]] = item
        return json_response(rules.shown(item, request), 201)

    async def update_item(request: Request) -> Response:
        assert rules.change is not None
        body = await json_body(request)
        item = find_item(request, rules)
        if item.get("lockedByManagingAccount"):
            raise ApiFailure(403, rules.locked_message)
        rules.change(item, body, request)
        return json_response(rules.shown(item, request))

    async def delete_item(request: Request) -> Response:
        # The API answers 200 whether or not the item existed (API_NOTES §7).
        items = items_of(tenant_of(request), rules)
        if items.get(request.path_params["item_id"], {}).get("lockedByManagingAccount"):
            raise ApiFailure(403, rules.locked_message)
        found = items.get(request.path_params["item_id"])
        if found is not None and rules.before_delete is not None:
            rules.before_delete(found)
        item = items.pop(request.path_params["item_id"], None)
        if item is not None and rules.on_delete is not None:
            rules.on_delete(item, request)
        return json_response({"deleted": item is not None or rules.deleted_when_missing})

    handlers = {
        "list": list_items,
        "get": get_item,
        "add": add_item,
        "update": update_item,
        "delete": delete_item,
    }
    return crud_routes(base, "item_id", **{name: handlers[name] for name in collection.operations})


#: Where each operation of a list-of-items API is routed: (on the item's path, method).
_CRUD = {
    "list": (False, "GET"),
    "get": (True, "GET"),
    "add": (False, "POST"),
    "update": (True, "PATCH"),
    "delete": (True, "DELETE"),
}


def crud_routes(base: str, item_param: str, **handlers: Endpoint) -> list[BaseRoute]:
    """The routes of a list-of-items API, one per handler given (in the order given): ``list``
    (``GET base``), ``add`` (``POST base``), ``get``, ``update`` (``PATCH``) and ``delete`` on
    ``base/{item_param}``."""
    one = f"{base}/{{{item_param}}}"
    routes: list[BaseRoute] = []
    for name, handler in handlers.items():
        on_item, method = _CRUD[name]
        routes.append(Route(one if on_item else base, handler, methods=[method]))
    return routes


__all__ = [
    "ENDPOINT_V1",
    "Endpoint",
    "Item",
    "Rules",
    "collection_routes",
    "crud_routes",
    "find_item",
    "items_of",
    "new_id",
    "sort_items",
    "tenant_of",
]
