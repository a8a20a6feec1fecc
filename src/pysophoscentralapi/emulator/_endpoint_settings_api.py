"""Endpoint API v1 settings (``/region/{region}/endpoint/v1/settings``): allowed and blocked items,
web-control local sites and categories, scanning exclusions and global tamper protection
(API_NOTES §7).

Each settings list lives in the tenant's ``store`` (seeded on first use). Handlers get the
authenticated tenant as ``request.state.tenant`` (bound by the app's guard) and raise
:class:`~._http.BadRequest` / :class:`~._http.ApiFailure`, which the app turns into error bodies.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from pysophoscentralapi.emulator._common_state import common_state
from pysophoscentralapi.emulator._data import iso, person_name
from pysophoscentralapi.emulator._endpoint_api import _optional_str, _principal, _tenant
from pysophoscentralapi.emulator._http import (
    ApiFailure,
    BadRequest,
    json_body,
    json_response,
    now_iso,
    number_page,
    parse_csv_enum,
)
from pysophoscentralapi.emulator._state import TenantState

MAX_SETTINGS_PAGE = 100

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


# --- global tamper protection --------------------------------------------------------------------


async def get_global_tamper(request: Request) -> Response:
    return json_response({"enabled": _tenant(request).global_tamper_protection})


def endpoint_settings_routes() -> list[BaseRoute]:
    """The Endpoint API's settings routes, relative to ``/region/{region}/endpoint/v1``."""
    allowed, blocked = "/settings/allowed-items", "/settings/blocked-items"
    sites, scanning = "/settings/web-control/local-sites", "/settings/exclusions/scanning"
    one = "/{item_id}"
    return [
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
