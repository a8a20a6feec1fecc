"""Endpoint API v1 (``/region/{region}/endpoint/v1``): endpoints, isolation, tamper protection,
scans, update checks and the settings lists (API_NOTES §7).

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

from pysophoscentralapi.emulator._common_state import common_state
from pysophoscentralapi.emulator._data import iso, person_name
from pysophoscentralapi.emulator._http import (
    ApiFailure,
    BadRequest,
    json_body,
    json_response,
    key_page,
    now_iso,
    number_page,
    parse_bool,
    parse_csv_enum,
)
from pysophoscentralapi.emulator._state import Principal, TenantState

Endpoint = dict[str, Any]
Predicate = Callable[[Endpoint], bool]

MAX_ENDPOINT_PAGE = 500
MAX_SETTINGS_PAGE = 100
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
BASIC_FIELDS = ("id", "type", "tenant", "hostname")
FULL_ONLY_FIELDS = frozenset(
    {
        "ipv6Addresses",
        "serialNumber",
        "cloned",
        "encryption",
        "lastOsUpdateAt",
        "lastAgentUpdateAt",
        "cloud",
    }
)

_DURATION = re.compile(
    r"^(?P<sign>[+-])?P(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<weeks>\d+)W)?"
    r"(?:(?P<days>\d+)D)?(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?"
    r"(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)


# --- helpers -------------------------------------------------------------------------------------


def _tenant(request: Request) -> TenantState:
    tenant: TenantState = request.state.tenant
    return tenant


def _principal(request: Request) -> Principal:
    principal: Principal = request.state.principal
    return principal


def _endpoint_index(request: Request) -> int:
    index = _tenant(request).endpoints.index_of(request.path_params["endpoint_id"])
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


def _csv(request: Request, name: str) -> list[str] | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    return [value.strip() for value in raw.split(",") if value.strip()]


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

    addresses = _csv(request, "ipAddresses")
    if addresses:
        wanted_ips = {address.lower() for address in addresses}
        filters.append(
            lambda e: bool(
                wanted_ips.intersection(
                    a.lower() for a in e["ipv4Addresses"] + e.get("ipv6Addresses", [])
                )
            )
        )
    macs = _csv(request, "macAddresses")
    if macs:
        wanted_macs = {_normalise_mac(mac) for mac in macs}
        filters.append(
            lambda e: any(_normalise_mac(mac) in wanted_macs for mac in e["macAddresses"])
        )
    clouds = _csv(request, "cloud")
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
    for part in _csv(request, "sort") or []:
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
    fields = _csv(request, "fields")
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
    tenant = _tenant(request)
    store = tenant.endpoints
    filters = _endpoint_filters(request)
    sort = _sort_keys(request)
    shape = _shaper(request)
    ids = _csv(request, "ids")
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
    return json_response(shape(_tenant(request).endpoints.get(_endpoint_index(request))))


async def delete_endpoint(request: Request) -> Response:
    _tenant(request).endpoints.delete(_endpoint_index(request))
    return json_response({"deleted": True})


async def delete_endpoints(request: Request) -> Response:
    body = await json_body(request)
    ids = _id_list(body, "endpointIds", MAX_ISOLATION_IDS)
    store = _tenant(request).endpoints
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
    tenant = _tenant(request)
    log = tenant.store.setdefault("endpoint.actions", [])
    log.append(
        {**result, "action": action, "endpointId": tenant.endpoints.factory.endpoint_id(index)}
    )
    return json_response(result, 201)


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


def _optional_str(body: dict[str, Any], key: str) -> str | None:
    value = body.get(key)
    if value is not None and not isinstance(value, str):
        raise BadRequest(f"{key} must be a string.")
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
    comment = _optional_str(body, "comment")
    ids = _id_list(body, "ids", MAX_ISOLATION_IDS)
    store = _tenant(request).endpoints
    found = [(i, index) for i in ids if (index := store.index_of(i)) is not None]
    if not found:
        raise ApiFailure(404, "No endpoints found.")
    principal = _principal(request)
    items = [
        {"id": endpoint_id, "isolation": store.set_isolation(index, enabled, comment, principal)}
        for endpoint_id, index in found
    ]
    return json_response({"items": items}, 202)


async def get_isolation(request: Request) -> Response:
    return json_response(_tenant(request).endpoints.isolation_record(_endpoint_index(request)))


async def patch_isolation(request: Request) -> Response:
    index = _endpoint_index(request)
    body = await json_body(request)
    enabled = _require_bool(body, "enabled")
    comment = _optional_str(body, "comment")
    record = _tenant(request).endpoints.set_isolation(index, enabled, comment, _principal(request))
    return json_response(record)


# --- tamper protection ---------------------------------------------------------------------------


async def get_tamper(request: Request) -> Response:
    return json_response(_tenant(request).endpoints.tamper_record(_endpoint_index(request)))


async def post_tamper(request: Request) -> Response:
    tenant = _tenant(request)
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


async def get_global_tamper(request: Request) -> Response:
    return json_response({"enabled": _tenant(request).global_tamper_protection})


# --- settings lists ------------------------------------------------------------------------------

ALLOWED_TYPES = ("path", "sha256", "certificateSigner")
#: Scanning exclusion types. The 2025 collection's samples show ``path``, ``virtualPath``,
#: ``behavioral``, ``journalHashingPath`` and ``journalHashingProcess``; the rest come from [XS]
#: (API_NOTES §7.6). Detected-exploit exclusions are type ``exploitMitigation`` ([XS]: "Detected
#: Exploits (exploitMitigation)"); ``detectedExploit`` is in neither collection (only one [XS]
#: option list has it) and is refused. Neither exploit name appears in the collections at all.
SCAN_EXCLUSION_TYPES = (
    "path", "posixPath", "virtualPath", "process", "web", "pua", "exploitMitigation", "amsi",
    "behavioral", "journalHashingPath", "journalHashingProcess",
)  # fmt: skip
SCAN_MODES = ("onDemand", "onAccess", "onDemandAndOnAccess")
#: Types whose default scan mode is on demand and on access ([XS]); the others default to on
#: access. The journal-hashing defaults follow the path/process rule (INFERRED).
_PATH_TYPES = frozenset({"path", "posixPath", "virtualPath", "journalHashingPath"})
_NO_SCAN_MODE = frozenset({"behavioral", "exploitMitigation"})
_SCAN_DESCRIPTIONS = {
    "path": "Windows file or folder",
    "posixPath": "Linux or macOS file or folder",
    "virtualPath": "Virtual path",
    "process": "Process",
    "web": "Website",
    "pua": "Potentially unwanted application",
    "amsi": "AMSI",
    "behavioral": "Behavioral",
    "exploitMitigation": "Detected exploit",
    "journalHashingPath": "Event journal hashing: file or folder",
    "journalHashingProcess": "Event journal hashing: process",
}
#: ``GET /settings/web-control/categories``: the collection answers a bare array of
#: ``{id, name, label}``. Ids and names are the Sophos web categories as endpoint Web Control
#: logs them (category numbers 1-56); ``label`` is the group the policy editor shows them under
#: (INFERRED: the collection's samples give no meaning for it).
_WEB_CATEGORY_GROUPS = {
    "Adult and potentially inappropriate": (
        (1, "Adult/Sexually Explicit"), (3, "Alcohol & Tobacco"), (9, "Criminal Activity"),
        (16, "Gambling"), (19, "Hacking"), (23, "Illegal Drugs"),
        (25, "Intimate Apparel & Swimwear"), (26, "Intolerance & Hate"),
        (34, "Phishing & Fraud"), (37, "Proxies & Translators"), (43, "Sex Education"),
        (46, "Spam URLs"), (48, "Spyware"), (50, "Tasteless & Offensive"), (52, "Violence"),
        (53, "Weapons"), (56, "Anonymizing Proxies"),
    ),
    "Bandwidth-intensive": (
        (10, "Downloads"), (31, "Peer-to-Peer"), (41, "Ringtones/Mobile Phone Downloads"),
        (49, "Streaming Media"),
    ),
    "Business-related": (
        (6, "Business"), (8, "Computing & Internet"), (11, "Education"),
        (14, "Finance & Investment"), (18, "Government"), (20, "Health & Medicine"),
        (22, "Hosting Sites"), (24, "Infrastructure"), (30, "News"), (39, "Reference"),
        (42, "Search Engines"),
    ),
    "Productivity-related": (
        (2, "Advertisements & Pop-Ups"), (4, "Arts"), (5, "Blogs & Forums"), (7, "Chat"),
        (12, "Entertainment"), (13, "Fashion & Beauty"), (15, "Food & Dining"), (17, "Games"),
        (21, "Hobbies & Recreation"), (27, "Job Search & Career Development"),
        (28, "Kids Sites"), (29, "Motor Vehicles"), (32, "Personals and Dating"),
        (33, "Philanthropic & Professional Orgs."), (35, "Photo Searches"), (36, "Politics"),
        (38, "Real Estate"), (40, "Religion"), (44, "Shopping"), (45, "Society & Culture"),
        (47, "Sports"), (51, "Travel"), (54, "Web-based E-mail"),
    ),
}  # fmt: skip
WEB_CATEGORIES: tuple[dict[str, Any], ...] = tuple(
    sorted(
        (
            {"id": number, "name": name, "label": label}
            for label, members in _WEB_CATEGORY_GROUPS.items()
            for number, name in members
        ),
        key=lambda category: int(category["id"]),
    )
)
_SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")
_SEED_ALLOWED_SHA = "3C6E1B1C2E6F4A1F0E9C3D0E6B3A5D7C2F1E0D9C8B7A6F5E4D3C2B1A0F9E8D7C"
_SEED_BLOCKED_SHA = "92804FAAAB2175DC501D73E814663058C78C0A042675A8937266357BCFB96C50"


def _items(tenant: TenantState, kind: str) -> dict[str, dict[str, Any]]:
    """A settings list of the tenant (seeded on first use), by item id."""
    key = f"endpoint.{kind}"
    if key not in tenant.store:
        tenant.store[key] = {item["id"]: item for item in _seed_items(tenant, kind)}
    items: dict[str, dict[str, Any]] = tenant.store[key]
    return items


def _seed_items(tenant: TenantState, kind: str) -> list[dict[str, Any]]:
    created = iso(tenant.endpoints.factory.anchor - 20 * 86400)
    ns = uuid.UUID(int=tenant.rng_seed)

    def item_id(n: int) -> str:
        return str(uuid.uuid5(ns, f"{kind}:{n}"))

    admin = {"id": str(uuid.uuid5(ns, "admin")), "name": "Security Admin"}
    stamp = {"createdAt": created, "updatedAt": created, "createdBy": admin}
    if kind == "allowedItems":
        return [
            {"id": item_id(1), **stamp, "type": "sha256", "comment": "Approved remote shell.",
             "properties": {"fileName": "putty.exe", "sha256": _SEED_ALLOWED_SHA}},
            {"id": item_id(2), **stamp, "type": "path", "comment": "Legacy ERP client.",
             "properties": {"fileName": "erp.exe", "path": "C:\\Program Files\\ERP\\erp.exe"}},
            {"id": item_id(3), **stamp, "type": "certificateSigner", "comment": "In-house tools.",
             "properties": {"certificateSigner": f"{tenant.name} Code Signing"}},
        ]  # fmt: skip
    if kind == "blockedItems":
        return [
            {"id": item_id(1), **stamp, "type": "sha256", "comment": "Credential dumper.",
             "properties": {"fileName": "mimikatz.exe", "sha256": _SEED_BLOCKED_SHA}},
        ]  # fmt: skip
    if kind == "localSites":
        return [
            {"id": item_id(1), "url": f"intranet.{tenant.short_name.lower()}.example",
             "categoryId": 6, "tags": ["intranet"], "comment": "Company intranet."},
            {"id": item_id(2), "url": "files.partner.example", "tags": ["partners"], "comment": ""},
        ]  # fmt: skip
    return [
        {"id": item_id(1), "value": "D:\\Backups\\", "type": "path",
         "scanMode": "onDemandAndOnAccess", "description": _SCAN_DESCRIPTIONS["path"],
         "comment": "Backup target.", "lockedByManagingAccount": False},
        {"id": item_id(2), "value": "/var/lib/postgresql/", "type": "posixPath",
         "scanMode": "onAccess", "description": _SCAN_DESCRIPTIONS["posixPath"],
         "comment": "Database files.", "lockedByManagingAccount": False},
        {"id": item_id(3), "value": "updates.vendor.example", "type": "web",
         "scanMode": "onAccess", "description": _SCAN_DESCRIPTIONS["web"],
         "comment": "", "lockedByManagingAccount": True},
    ]  # fmt: skip


def _list_handler(kind: str, type_filter: tuple[str, ...] | None = None) -> Callable[..., Any]:
    async def handler(request: Request) -> Response:
        items = list(_items(_tenant(request), kind).values())
        if type_filter is not None:
            wanted = parse_csv_enum(request, "type", type_filter)
            if wanted is not None:
                items = [item for item in items if item["type"] in wanted]
        return json_response(number_page(request, items, max_size=MAX_SETTINGS_PAGE))

    return handler


def _get_handler(kind: str, not_found: str) -> Callable[..., Any]:
    async def handler(request: Request) -> Response:
        item = _items(_tenant(request), kind).get(request.path_params["item_id"])
        if item is None:
            raise ApiFailure(404, not_found)
        return json_response(item)

    return handler


def _delete_handler(kind: str) -> Callable[..., Any]:
    async def handler(request: Request) -> Response:
        # The API answers 200 whether or not the item existed (API_NOTES §7).
        items = _items(_tenant(request), kind)
        if items.get(request.path_params["item_id"], {}).get("lockedByManagingAccount"):
            raise ApiFailure(403, "This item is managed at partner or enterprise level.")
        items.pop(request.path_params["item_id"], None)
        return json_response({"deleted": True})

    return handler


def _file_item(body: dict[str, Any], request: Request, types: tuple[str, ...]) -> dict[str, Any]:
    """Validate an allowed/blocked item body and build the stored item."""
    item_type = body.get("type")
    if item_type not in types:
        raise BadRequest(
            f"Invalid value for type: {item_type!r}. Valid values: {', '.join(types)}."
        )
    properties = body.get("properties")
    if not isinstance(properties, dict) or not all(isinstance(v, str) for v in properties.values()):
        raise BadRequest("properties is required and must be an object of strings.")
    value = properties.get(item_type)
    if not value:
        raise BadRequest(f"properties.{item_type} is required for type {item_type}.")
    sha256 = properties.get("sha256")
    if sha256 is not None and not _SHA256.match(sha256):
        raise BadRequest("properties.sha256 must be 64 hexadecimal characters.")
    comment = _optional_str(body, "comment")
    now = now_iso()
    principal = _principal(request)
    item: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "createdAt": now,
        "updatedAt": now,
        "properties": {k: properties[k] for k in ("fileName", "path", "sha256", "certificateSigner")
                       if k in properties},
        "comment": comment or "",
        "type": item_type,
        "createdBy": {"id": principal.id, "name": principal.name},
    }  # fmt: skip
    person_id = _optional_str(body, "originPersonId")
    endpoint_id = _optional_str(body, "originEndpointId")
    if person_id:
        item["originPerson"] = {
            "id": person_id,
            "name": _person_name(_tenant(request), person_id, endpoint_id),
        }
    if endpoint_id:
        item["originEndpoint"] = {"id": endpoint_id}
    return item


def _person_name(tenant: TenantState, person_id: str, endpoint_id: str | None) -> str:
    """The name of the person behind ``originPersonId``, as the collection's ``{id, name}``.

    A directory user of the tenant gives its name; else the origin endpoint's associated person
    when the ids match; else a name generated from the id (the same id, the same name).
    """
    wanted = person_id.lower()
    for user in common_state(tenant).users.values():
        if str(user["id"]).lower() == wanted:
            return str(user["name"])
    index = tenant.endpoints.index_of(endpoint_id) if endpoint_id else None
    if index is not None:
        person = tenant.endpoints.get(index).get("associatedPerson")
        if person and str(person["id"]).lower() == wanted:
            return str(person["name"])
    return person_name(person_id)


def _identity(item: dict[str, Any]) -> tuple[str, str]:
    value = item["properties"][item["type"]]
    return item["type"], value.lower() if item["type"] in ("sha256", "path") else value


def _create_file_item_handler(kind: str, types: tuple[str, ...]) -> Callable[..., Any]:
    async def handler(request: Request) -> Response:
        item = _file_item(await json_body(request), request, types)
        items = _items(_tenant(request), kind)
        if any(_identity(existing) == _identity(item) for existing in items.values()):
            raise ApiFailure(409, "Item already exists.")
        items[item["id"]] = item
        return json_response(item, 201)

    return handler


async def patch_allowed_item(request: Request) -> Response:
    body = await json_body(request)
    comment = _optional_str(body, "comment")
    if comment is None:
        raise BadRequest("comment is required.")
    item = _items(_tenant(request), "allowedItems").get(request.path_params["item_id"])
    if item is None:
        raise ApiFailure(404, "Can't find allowed item.")
    item["comment"] = comment
    item["updatedAt"] = now_iso()
    return json_response(item)


def _local_site_fields(body: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    url = _optional_str(body, "url")
    if url is not None:
        if not url.strip():
            raise BadRequest("url must not be empty.")
        fields["url"] = url
    elif creating:
        raise BadRequest("url is required.")
    if "categoryId" in body:
        category = body["categoryId"]
        if not isinstance(category, int) or isinstance(category, bool) or category < 1:
            raise BadRequest("categoryId must be a positive integer.")
        fields["categoryId"] = category
    if "tags" in body:
        tags = body["tags"]
        if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
            raise BadRequest("tags must be a list of strings.")
        fields["tags"] = tags
    comment = _optional_str(body, "comment")
    if comment is not None:
        fields["comment"] = comment
    return fields


async def create_local_site(request: Request) -> Response:
    fields = _local_site_fields(await json_body(request), creating=True)
    site = {"id": str(uuid.uuid4()), "tags": [], "comment": "", **fields}
    _items(_tenant(request), "localSites")[site["id"]] = site
    return json_response(site, 201)


async def patch_local_site(request: Request) -> Response:
    fields = _local_site_fields(await json_body(request), creating=False)
    site = _items(_tenant(request), "localSites").get(request.path_params["item_id"])
    if site is None:
        raise ApiFailure(404, "Can't find local site.")
    site.update(fields)
    return json_response(site)


def _scan_mode(body: dict[str, Any], exclusion_type: str, current: str | None) -> str | None:
    mode = body.get("scanMode")
    if mode is None:
        if exclusion_type in _NO_SCAN_MODE:
            return None
        default = "onDemandAndOnAccess" if exclusion_type in _PATH_TYPES else "onAccess"
        return current or default
    if exclusion_type in _NO_SCAN_MODE:
        raise BadRequest(f"scanMode is not used with type {exclusion_type}.")
    if mode not in SCAN_MODES:
        raise BadRequest(
            f"Invalid value for scanMode: {mode!r}. Valid values: {', '.join(SCAN_MODES)}."
        )
    return str(mode)


async def create_scan_exclusion(request: Request) -> Response:
    body = await json_body(request)
    exclusion_type = body.get("type")
    if exclusion_type not in SCAN_EXCLUSION_TYPES:
        raise BadRequest(
            f"Invalid value for type: {exclusion_type!r}. "
            f"Valid values: {', '.join(SCAN_EXCLUSION_TYPES)}."
        )
    value = _optional_str(body, "value")
    if not value:
        raise BadRequest("value is required.")
    exclusion: dict[str, Any] = {"id": str(uuid.uuid4()), "value": value, "type": exclusion_type}
    mode = _scan_mode(body, exclusion_type, None)
    if mode is not None:
        exclusion["scanMode"] = mode
    exclusion["description"] = _SCAN_DESCRIPTIONS[exclusion_type]
    exclusion["comment"] = _optional_str(body, "comment") or ""
    exclusion["lockedByManagingAccount"] = False
    _items(_tenant(request), "scanningExclusions")[exclusion["id"]] = exclusion
    return json_response(exclusion, 201)


async def patch_scan_exclusion(request: Request) -> Response:
    body = await json_body(request)
    exclusion = _items(_tenant(request), "scanningExclusions").get(request.path_params["item_id"])
    if exclusion is None:
        raise ApiFailure(404, "Can't find exclusion.")
    if exclusion["lockedByManagingAccount"]:
        raise ApiFailure(403, "This exclusion is managed at partner or enterprise level.")
    value = _optional_str(body, "value")
    comment = _optional_str(body, "comment")
    if value is not None and not value:
        raise BadRequest("value must not be empty.")
    mode = _scan_mode(body, exclusion["type"], exclusion.get("scanMode"))
    exclusion.update({k: v for k, v in (("value", value), ("scanMode", mode), ("comment", comment))
                      if v is not None})  # fmt: skip
    return json_response(exclusion)


async def list_web_categories(request: Request) -> Response:
    """``GET /settings/web-control/categories``: a bare JSON array, as in the collection."""
    return json_response([dict(category) for category in WEB_CATEGORIES])


def endpoint_routes() -> list[BaseRoute]:
    """The Endpoint API's routes, relative to ``/region/{region}/endpoint/v1``."""
    allowed, blocked = "/settings/allowed-items", "/settings/blocked-items"
    sites, scanning = "/settings/web-control/local-sites", "/settings/exclusions/scanning"
    one = "/{item_id}"
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
        Route("/settings/tamper-protection", get_global_tamper, methods=["GET"]),
        Route(allowed, _list_handler("allowedItems"), methods=["GET"]),
        Route(allowed, _create_file_item_handler("allowedItems", ALLOWED_TYPES), methods=["POST"]),
        Route(
            allowed + one, _get_handler("allowedItems", "Can't find allowed item."), methods=["GET"]
        ),
        Route(allowed + one, patch_allowed_item, methods=["PATCH"]),
        Route(allowed + one, _delete_handler("allowedItems"), methods=["DELETE"]),
        Route(blocked, _list_handler("blockedItems"), methods=["GET"]),
        Route(blocked, _create_file_item_handler("blockedItems", ("sha256",)), methods=["POST"]),
        Route(
            blocked + one, _get_handler("blockedItems", "Can't find blocked item."), methods=["GET"]
        ),
        Route(blocked + one, _delete_handler("blockedItems"), methods=["DELETE"]),
        Route("/settings/web-control/categories", list_web_categories, methods=["GET"]),
        Route(sites, _list_handler("localSites"), methods=["GET"]),
        Route(sites, create_local_site, methods=["POST"]),
        Route(sites + one, _get_handler("localSites", "Can't find local site."), methods=["GET"]),
        Route(sites + one, patch_local_site, methods=["PATCH"]),
        Route(sites + one, _delete_handler("localSites"), methods=["DELETE"]),
        Route(scanning, _list_handler("scanningExclusions", SCAN_EXCLUSION_TYPES), methods=["GET"]),
        Route(scanning, create_scan_exclusion, methods=["POST"]),
        Route(
            scanning + one,
            _get_handler("scanningExclusions", "Can't find exclusion."),
            methods=["GET"],
        ),
        Route(scanning + one, patch_scan_exclusion, methods=["PATCH"]),
        Route(scanning + one, _delete_handler("scanningExclusions"), methods=["DELETE"]),
    ]
