"""Endpoint API v1 (``/region/{region}/endpoint/v1``): endpoints, isolation, tamper protection,
scans and update checks (API_NOTES §7). The ``/settings/...`` routes (settings lists, web-control
categories, global tamper protection) are in :mod:`._endpoint_settings_api`.

Handlers get the authenticated tenant as ``request.state.tenant`` (bound by the app's guard) and
raise :class:`~._http.BadRequest` / :class:`~._http.ApiFailure`, which the app turns into error
bodies.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from pysophoscentralapi._enums.endpoints import (
    ENDPOINT_BASIC_VIEW_FIELDS,
    ENDPOINT_FULL_VIEW_FIELDS,
)
from pysophoscentralapi.emulator._answer_shapes import reshape
from pysophoscentralapi.emulator._data import iso
from pysophoscentralapi.emulator._http import (
    ApiFailure,
    BadRequest,
    csv_values,
    json_body,
    json_response,
    key_page,
    now_iso,
    optional_str,
    parse_bool,
    parse_csv_enum,
)
from pysophoscentralapi.emulator._state import Principal, tenant_of

Endpoint = dict[str, Any]
Predicate = Callable[[Endpoint], bool]

MAX_ENDPOINT_PAGE = 500
MAX_ISOLATION_IDS = 1000

HEALTH_STATUSES = ("bad", "good", "suspicious", "unknown")
ENDPOINT_TYPES = ("computer", "server", "securityVm")
LOCKDOWN_STATUSES = (
    "creatingWhitelist", "installing", "locked", "locking", "notInstalled", "registering",
    "starting", "stopping", "unavailable", "uninstalled", "unlocked",
)  # fmt: skip
ENCRYPTION_STATUSES = ("encrypted", "encrypting", "notEncrypted", "notSupported", "unknown")
ISOLATION_STATUSES = ("isolated", "notIsolated")
SEARCH_FIELDS = ("hostname", "groupName", "associatedPersonName", "ipAddresses", "osName")
VIEWS = ("basic", "summary", "full")
SORT_FIELDS: dict[str, Callable[[Endpoint], str]] = {
    "id": lambda e: e["id"],
    "hostname": lambda e: e["hostname"].lower(),
    "type": lambda e: e["type"],
    "healthStatus": lambda e: e["health"]["overall"],
    "lastSeenAt": lambda e: e["lastSeenAt"],
}
BASIC_FIELDS = ENDPOINT_BASIC_VIEW_FIELDS
FULL_ONLY_FIELDS = frozenset(ENDPOINT_FULL_VIEW_FIELDS)

_DURATION = re.compile(
    r"^(?P<sign>[+-])?P(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<weeks>\d+)W)?"
    r"(?:(?P<days>\d+)D)?(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?"
    r"(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)


# --- helpers -------------------------------------------------------------------------------------


def _principal(request: Request) -> Principal:
    principal: Principal = request.state.principal
    return principal


def _shaped(request: Request, answer: dict[str, Any]) -> dict[str, Any]:
    """A state-changing answer in the configured ``answer_shapes`` (:mod:`._answer_shapes`)."""
    shaped: dict[str, Any] = reshape(answer, request.app.state.emulator.config.answer_shapes)
    return shaped


def _endpoint_index(request: Request) -> int:
    index = tenant_of(request).endpoints.index_of(request.path_params["endpoint_id"])
    if index is None:
        raise ApiFailure(404, "Can't find endpoint.")
    return index


def parse_time_bound(name: str, raw: str, now: datetime | None = None) -> str:
    """A ``lastSeen*``-style bound as API text (``2024-05-01T12:00:00.000Z``), for text comparison.

    Accepts an ISO-8601 date-time (``Z``, an offset, or none = UTC) or an ISO-8601 duration relative
    to now. Durations always count back from now, with or without the leading ``-`` (``-P30D`` and
    ``P30D`` both mean "30 days ago"), since a bound in the future matches nothing useful.
    """
    now = now or datetime.now(UTC)
    match = _DURATION.match(raw.strip())
    if match and any(value for key, value in match.groupdict().items() if key != "sign"):
        parts = {k: float(v) for k, v in match.groupdict().items() if v and k != "sign"}
        delta = timedelta(
            days=parts.get("years", 0) * 365
            + parts.get("months", 0) * 30
            + parts.get("weeks", 0) * 7
            + parts.get("days", 0),
            hours=parts.get("hours", 0),
            minutes=parts.get("minutes", 0),
            seconds=parts.get("seconds", 0),
        )
        return iso((now - delta).timestamp())
    try:
        moment = datetime.fromisoformat(raw.strip())
    except ValueError:
        raise BadRequest(
            f"Invalid value for {name}: {raw!r}; expected a date-time like "
            "2024-05-01T12:00:00.000Z or a duration like -P30D."
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return iso(moment.timestamp())


def _normalise_mac(mac: str) -> str:
    return re.sub(r"[^0-9a-f]", "", mac.lower())


def _flag_is(key: str, want: bool) -> Predicate:
    return lambda e: e.get(key) is want


def _time_before(field: str, bound: str) -> Predicate:
    return lambda e: field in e and e[field] < bound  # API text times compare as strings


def _time_from(field: str, bound: str) -> Predicate:
    return lambda e: field in e and e[field] >= bound


def _text_contains(get: Callable[[Endpoint], str], needle: str) -> Predicate:
    lowered = needle.lower()
    return lambda e: lowered in get(e).lower()


def _endpoint_filters(request: Request) -> list[Predicate]:
    """The ``GET /endpoints`` query as predicates; 400 for malformed values."""
    filters: list[Predicate] = []

    def values_in(name: str, allowed: tuple[str, ...], get: Callable[[Endpoint], Any]) -> None:
        wanted = parse_csv_enum(request, name, allowed)
        if wanted is not None:
            chosen = set(wanted)
            filters.append(lambda e: get(e) in chosen)

    values_in("healthStatus", HEALTH_STATUSES, lambda e: e["health"]["overall"])
    values_in("type", ENDPOINT_TYPES, lambda e: e["type"])
    values_in("lockdownStatus", LOCKDOWN_STATUSES, lambda e: e.get("lockdown", {}).get("status"))
    values_in(
        "overallEncryptionStatus",
        ENCRYPTION_STATUSES,
        lambda e: e.get("encryption", {}).get("overallStatus"),
    )
    values_in("isolationStatus", ISOLATION_STATUSES, lambda e: e["isolation"]["status"])

    for name in ("tamperProtectionEnabled", "tamperProtectionSupported", "online"):
        flag = parse_bool(request, name)
        if flag is not None:
            filters.append(_flag_is(name, flag))

    for prefix, field in (
        ("lastSeen", "lastSeenAt"),
        ("lastOsUpdate", "lastOsUpdateAt"),
        ("lastAgentUpdate", "lastAgentUpdateAt"),
    ):
        before = request.query_params.get(f"{prefix}Before")
        after = request.query_params.get(f"{prefix}After")
        if before:
            bound = parse_time_bound(f"{prefix}Before", before)
            filters.append(_time_before(field, bound))
        if after:
            bound = parse_time_bound(f"{prefix}After", after)
            filters.append(_time_from(field, bound))

    for name, get in (
        ("hostnameContains", lambda e: e["hostname"]),
        ("serialNumberContains", lambda e: e.get("serialNumber", "")),
        ("associatedPersonContains", lambda e: e.get("associatedPerson", {}).get("name", "")),
    ):
        needle = request.query_params.get(name)
        if needle:
            filters.append(_text_contains(get, needle))

    addresses = csv_values(request, "ipAddresses")
    if addresses:
        wanted_ips = {address.lower() for address in addresses}
        filters.append(
            lambda e: bool(
                wanted_ips.intersection(
                    a.lower() for a in e["ipv4Addresses"] + e.get("ipv6Addresses", [])
                )
            )
        )
    macs = csv_values(request, "macAddresses")
    if macs:
        wanted_macs = {_normalise_mac(mac) for mac in macs}
        filters.append(
            lambda e: any(_normalise_mac(mac) in wanted_macs for mac in e["macAddresses"])
        )
    clouds = csv_values(request, "cloud")
    if clouds:
        pairs = {tuple(item.split(":", 1)) for item in clouds}
        filters.append(
            lambda e: (
                "cloud" in e
                and (
                    (e["cloud"]["provider"],) in pairs
                    or (e["cloud"]["provider"], e["cloud"]["instanceId"]) in pairs
                )
            )
        )

    term = request.query_params.get("search")
    if term:
        fields = parse_csv_enum(request, "searchFields", SEARCH_FIELDS) or list(SEARCH_FIELDS)
        needle = term.lower()

        def searchable(e: Endpoint) -> Iterator[str]:
            if "hostname" in fields:
                yield e["hostname"]
            if "groupName" in fields and "group" in e:
                yield e["group"]["name"]
            if "associatedPersonName" in fields and "associatedPerson" in e:
                yield e["associatedPerson"]["name"]
            if "ipAddresses" in fields:
                yield from e["ipv4Addresses"]
            if "osName" in fields:
                yield e["os"]["name"]

        filters.append(lambda e: any(needle in text.lower() for text in searchable(e)))
    return filters


def _sort_keys(request: Request) -> list[tuple[str, bool]]:
    """``sort=hostname:asc,lastSeenAt:desc`` as ``[(field, descending)]``."""
    keys = []
    for part in csv_values(request, "sort") or []:
        field, _, direction = part.partition(":")
        if field not in SORT_FIELDS or direction not in ("", "asc", "desc"):
            raise BadRequest(
                f"Invalid value for sort: {part!r}. Valid fields: {', '.join(SORT_FIELDS)}, "
                "each optionally followed by :asc or :desc."
            )
        keys.append((field, direction == "desc"))
    return keys


def _shaper(request: Request) -> Callable[[Endpoint], Endpoint]:
    """The ``view`` / ``fields`` projection of an endpoint."""
    view = request.query_params.get("view") or "summary"
    if view not in VIEWS:
        raise BadRequest(f"Invalid value for view: {view}. Valid values: {', '.join(VIEWS)}.")
    fields = csv_values(request, "fields")
    if fields:
        wanted = {"id"} | {field.split(".", 1)[0] for field in fields}
        return lambda e: {key: value for key, value in e.items() if key in wanted}
    if view == "basic":
        return lambda e: {key: e[key] for key in BASIC_FIELDS}
    if view == "summary":
        return lambda e: {key: value for key, value in e.items() if key not in FULL_ONLY_FIELDS}
    return lambda e: e


# --- endpoints -----------------------------------------------------------------------------------


async def list_endpoints(request: Request) -> Response:
    tenant = tenant_of(request)
    store = tenant.endpoints
    filters = _endpoint_filters(request)
    sort = _sort_keys(request)
    shape = _shaper(request)
    ids = csv_values(request, "ids")
    if ids is not None:
        for endpoint_id in ids:
            try:
                uuid.UUID(endpoint_id)
            except ValueError:
                raise BadRequest(f"Invalid value for ids: {endpoint_id!r} is not a UUID.") from None
        indexes = sorted({i for i in map(store.index_of, ids) if i is not None})

    def matching(start: int) -> Iterator[tuple[int, Endpoint]]:
        source = (
            ((i, store.get(i)) for i in indexes if i >= start)
            if ids is not None
            else store.rows(start)
        )
        for position, endpoint in source:
            if all(check(endpoint) for check in filters):
                yield position, endpoint

    rows: Callable[[int], Iterator[tuple[int, Endpoint]]] = matching
    if sort:
        # Sorting needs every match at once; positions are then places in the sorted list.
        ordered = [endpoint for _, endpoint in matching(0)]
        for field, descending in reversed(sort):
            ordered.sort(key=SORT_FIELDS[field], reverse=descending)

        def rows(start: int) -> Iterator[tuple[int, Endpoint]]:
            return ((i, ordered[i]) for i in range(max(0, start), len(ordered)))

    page = key_page(
        request,
        rows,
        salt=f"endpoints:{tenant.id}:{request.query_params.get('sort', '')}",
        max_size=MAX_ENDPOINT_PAGE,
        count=lambda: sum(1 for _ in rows(0)),
    )
    return json_response({"items": [shape(e) for e in page.items], "pages": page.pages})


async def get_endpoint(request: Request) -> Response:
    shape = _shaper(request)
    return json_response(shape(tenant_of(request).endpoints.get(_endpoint_index(request))))


async def delete_endpoint(request: Request) -> Response:
    tenant_of(request).endpoints.delete(_endpoint_index(request))
    return json_response(_shaped(request, {"deleted": True}))


async def delete_endpoints(request: Request) -> Response:
    body = await json_body(request)
    ids = _id_list(body, "endpointIds", MAX_ISOLATION_IDS)
    store = tenant_of(request).endpoints
    deleted = []
    for endpoint_id in ids:
        index = store.index_of(endpoint_id)
        if index is not None:
            store.delete(index)
            deleted.append(endpoint_id)
    return json_response({"endpointIds": deleted})


async def _endpoint_action(request: Request, action: str) -> Response:
    index = _endpoint_index(request)
    await json_body(request)  # validates the (empty) body
    result = {"id": str(uuid.uuid4()), "status": "requested", "requestedAt": now_iso()}
    tenant = tenant_of(request)
    log = tenant.store.setdefault("endpoint.actions", [])
    log.append(
        {**result, "action": action, "endpointId": tenant.endpoints.factory.endpoint_id(index)}
    )
    return json_response(_shaped(request, result), 201)


async def start_scan(request: Request) -> Response:
    return await _endpoint_action(request, "scan")


async def start_update_check(request: Request) -> Response:
    return await _endpoint_action(request, "updateCheck")


# --- isolation -----------------------------------------------------------------------------------


def _require_bool(body: dict[str, Any], key: str) -> bool:
    value = body.get(key)
    if not isinstance(value, bool):
        raise BadRequest(f"{key} is required and must be true or false.")
    return value


def _id_list(body: dict[str, Any], key: str, maximum: int) -> list[str]:
    ids = body.get(key)
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
        raise BadRequest(f"{key} is required and must be a non-empty list of ids.")
    if len(ids) > maximum:
        raise BadRequest(f"{key} may hold at most {maximum} ids.")
    return ids


async def isolate_endpoints(request: Request) -> Response:
    body = await json_body(request)
    enabled = _require_bool(body, "enabled")
    comment = optional_str(body, "comment")
    ids = _id_list(body, "ids", MAX_ISOLATION_IDS)
    store = tenant_of(request).endpoints
    found = [(i, index) for i in ids if (index := store.index_of(i)) is not None]
    if not found:
        raise ApiFailure(404, "No endpoints found.")
    principal = _principal(request)
    items = [
        {"id": endpoint_id, "isolation": store.set_isolation(index, enabled, comment, principal)}
        for endpoint_id, index in found
    ]
    return json_response(_shaped(request, {"items": items}), 202)


async def get_isolation(request: Request) -> Response:
    return json_response(tenant_of(request).endpoints.isolation_record(_endpoint_index(request)))


async def patch_isolation(request: Request) -> Response:
    index = _endpoint_index(request)
    body = await json_body(request)
    enabled = _require_bool(body, "enabled")
    comment = optional_str(body, "comment")
    record = tenant_of(request).endpoints.set_isolation(
        index, enabled, comment, _principal(request)
    )
    return json_response(record)


# --- tamper protection ---------------------------------------------------------------------------


async def get_tamper(request: Request) -> Response:
    return json_response(tenant_of(request).endpoints.tamper_record(_endpoint_index(request)))


async def post_tamper(request: Request) -> Response:
    tenant = tenant_of(request)
    index = _endpoint_index(request)
    body = await json_body(request)
    enabled, regenerate = body.get("enabled"), body.get("regeneratePassword", False)
    if enabled is not None and not isinstance(enabled, bool):
        raise BadRequest("enabled must be true or false.")
    if not isinstance(regenerate, bool):
        raise BadRequest("regeneratePassword must be true or false.")
    if enabled is None and not regenerate:
        raise BadRequest("Provide enabled and/or regeneratePassword.")
    if enabled and not tenant.global_tamper_protection:
        raise BadRequest(
            "Tamper Protection can be turned on for an endpoint only if it has also been "
            "turned on globally."
        )
    if enabled and not tenant.endpoints.get(index)["tamperProtectionSupported"]:
        raise BadRequest("Tamper Protection is not supported on this endpoint.")
    return json_response(tenant.endpoints.set_tamper(index, enabled, regenerate), 201)


def endpoint_routes() -> list[BaseRoute]:
    """The Endpoint API's endpoint routes, relative to ``/region/{region}/endpoint/v1``.

    The ``/settings/...`` routes under the same prefix are in :mod:`._endpoint_settings_api`.
    """
    return [
        Route("/endpoints", list_endpoints, methods=["GET"]),
        Route("/endpoints/delete", delete_endpoints, methods=["POST"]),
        Route("/endpoints/isolation", isolate_endpoints, methods=["POST"]),
        Route("/endpoints/{endpoint_id}", get_endpoint, methods=["GET"]),
        Route("/endpoints/{endpoint_id}", delete_endpoint, methods=["DELETE"]),
        Route("/endpoints/{endpoint_id}/isolation", get_isolation, methods=["GET"]),
        Route("/endpoints/{endpoint_id}/isolation", patch_isolation, methods=["PATCH"]),
        Route("/endpoints/{endpoint_id}/tamper-protection", get_tamper, methods=["GET"]),
        Route("/endpoints/{endpoint_id}/tamper-protection", post_tamper, methods=["POST"]),
        Route("/endpoints/{endpoint_id}/scans", start_scan, methods=["POST"]),
        Route("/endpoints/{endpoint_id}/update-checks", start_update_check, methods=["POST"]),
    ]
