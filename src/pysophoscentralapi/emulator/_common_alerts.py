"""Emulated Common API alerts: list (GET and POST search), details, actions (API_NOTES §8.1).

Semantics the emulator chooses where the API documentation is silent (API_NOTES marks it INFERRED):
every action except ``sendMsgPua``/``sendMsgThreat`` resolves the alert, which then disappears from
the list and from ``GET /alerts/{id}`` (404). The ``sendMsg*`` actions leave the alert open. The
action reply is the collection's shape, ``status: "started"`` with ``completedAt: null``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ._common_query import (
    csv_param,
    optional_string,
    parse_moment,
    parse_stamp,
    select_fields,
    sort_items,
)
from ._common_state import (
    ACTIONS,
    CATEGORIES,
    NON_RESOLVING_ACTIONS,
    PRODUCTS,
    SEVERITIES,
    SEVERITY_RANK,
    CommonState,
    common_state,
)
from ._http import BadRequest, check_enum, json_body, json_response, key_page, now_iso

MAX_PAGE_SIZE = 100

_SORT_FIELDS = {
    "raisedAt": lambda a: a["raisedAt"],
    "severity": lambda a: SEVERITY_RANK[a["severity"]],
    "category": lambda a: a["category"],
    "product": lambda a: a["product"],
    "type": lambda a: a["type"],
    "id": lambda a: a["id"],
}


@dataclass
class AlertFilters:
    """The filters of an alert query, from query parameters or a search body."""

    start: datetime | None = None
    end: datetime | None = None
    severity: list[str] | None = None
    category: list[str] | None = None
    product: list[str] | None = None
    group_key: str | None = None
    ids: list[str] | None = None
    sort: list[str] | None = None
    fields: list[str] | None = None


def _filters_from_query(request: Request) -> AlertFilters:
    query = request.query_params
    filters = AlertFilters(
        severity=_enum(csv_param(request, "severity"), "severity", SEVERITIES),
        category=_enum(csv_param(request, "category"), "category", CATEGORIES),
        product=_enum(csv_param(request, "product"), "product", PRODUCTS),
        group_key=query.get("groupKey") or None,
        ids=csv_param(request, "ids"),
        sort=csv_param(request, "sort"),
        fields=csv_param(request, "fields"),
    )
    if query.get("from"):
        filters.start = parse_moment("from", query["from"])
    if query.get("to"):
        filters.end = parse_moment("to", query["to"])
    return filters


def _enum(values: list[str] | None, name: str, allowed: tuple[str, ...]) -> list[str] | None:
    return None if values is None else check_enum(name, values, allowed)


def _str_list(body: dict[str, Any], name: str) -> list[str] | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise BadRequest(f"Invalid value for {name}: expected a list of strings.")
    return value or None


def _filters_from_body(body: dict[str, Any]) -> AlertFilters:
    filters = AlertFilters(
        severity=_enum(_str_list(body, "severity"), "severity", SEVERITIES),
        category=_enum(_str_list(body, "category"), "category", CATEGORIES),
        product=_enum(_str_list(body, "product"), "product", PRODUCTS),
        ids=_str_list(body, "ids"),
        sort=_str_list(body, "sort"),
        fields=_str_list(body, "fields"),
    )
    for name in ("from", "to", "groupKey"):
        optional_string(body, name)
    filters.group_key = body.get("groupKey") or None
    if body.get("from"):
        filters.start = parse_moment("from", body["from"])
    if body.get("to"):
        filters.end = parse_moment("to", body["to"])
    return filters


def _matching(state: CommonState, filters: AlertFilters) -> list[dict[str, Any]]:
    ids = set(filters.ids) if filters.ids else None

    def keep(alert: dict[str, Any]) -> bool:
        if filters.severity and alert["severity"] not in filters.severity:
            return False
        if filters.category and alert["category"] not in filters.category:
            return False
        if filters.product and alert["product"] not in filters.product:
            return False
        if filters.group_key and alert["groupKey"] != filters.group_key:
            return False
        if ids is not None and alert["id"] not in ids:
            return False
        raised = parse_stamp(alert["raisedAt"])
        if filters.start and raised < filters.start:
            return False
        return not (filters.end and raised >= filters.end)

    chosen = [a for a in state.alerts if keep(a)]
    return sort_items(chosen, filters.sort, _SORT_FIELDS, ["raisedAt:desc"])


def _rows(
    items: list[dict[str, Any]], fields: list[str] | None
) -> Callable[[int], Iterator[tuple[int, dict[str, Any]]]]:
    def rows(start: int) -> Iterator[tuple[int, dict[str, Any]]]:
        for position, item in itertools.islice(enumerate(items), start, None):
            yield position, select_fields(item, fields)

    return rows


async def list_alerts(request: Request) -> Response:
    """``GET /alerts``: key-paged, filtered, newest first by default."""
    return _alerts_page(request, request, _filters_from_query(request))


async def search_alerts(request: Request) -> Response:
    """``POST /alerts/search``: the same query as a JSON body (lists instead of CSV)."""
    body = await json_body(request)
    return _alerts_page(request, body, _filters_from_body(body))


def _alerts_page(
    request: Request, paging: Request | dict[str, Any], filters: AlertFilters
) -> Response:
    state = common_state(request.state.tenant)
    items = _matching(state, filters)
    page = key_page(
        paging,
        _rows(items, filters.fields),
        salt=f"alerts:{state.tenant_id}",
        max_size=MAX_PAGE_SIZE,
        count=lambda: len(items),
    )
    return json_response({"items": page.items, "pages": page.pages})


async def get_alert(request: Request) -> Response:
    """``GET /alerts/{alertId}``; 404 for an unknown or resolved alert."""
    state = common_state(request.state.tenant)
    alert = state.alert(request.path_params["alertId"])
    return json_response(select_fields(alert, csv_param(request, "fields")))


async def act_on_alert(request: Request) -> Response:
    """``POST /alerts/{alertId}/actions``: 201 with the action; 400 for an action not allowed."""
    state = common_state(request.state.tenant)
    alert = state.alert(request.path_params["alertId"])
    body = await json_body(request)
    action = body.get("action")
    allowed = alert["allowedActions"]
    if not isinstance(action, str) or action not in allowed:
        known = "" if action in ACTIONS else " (unknown action)"
        raise BadRequest(
            f"Action {action!r}{known} is not allowed for this alert. "
            f"Allowed actions: {', '.join(allowed)}."
        )
    message = optional_string(body, "message")
    requested = now_iso()
    record = {
        "id": state.new_id(),
        "alertId": alert["id"],
        "action": action,
        "status": "started",
        "requestedAt": requested,
        "startedAt": requested,
        "completedAt": None,
        "result": "",
    }
    state.actions.append({**record, "message": message or ""})
    if action not in NON_RESOLVING_ACTIONS:
        state.alerts.remove(alert)
    return json_response(record, 201)


def alert_routes() -> list[BaseRoute]:
    """Routes of the alerts family, relative to ``/common/v1``."""
    return [
        Route("/alerts", list_alerts, methods=["GET"]),
        Route("/alerts/search", search_alerts, methods=["POST"]),
        Route("/alerts/{alertId}", get_alert, methods=["GET"]),
        Route("/alerts/{alertId}/actions", act_on_alert, methods=["POST"]),
    ]
