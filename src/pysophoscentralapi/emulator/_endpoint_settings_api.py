"""Endpoint API v1 settings (``/region/{region}/endpoint/v1/settings``): allowed and blocked items,
web-control local sites and categories, scanning exclusions and global tamper protection
(API_NOTES §7).

Each settings list lives in the tenant's ``store`` (seeded on first use). Handlers get the
authenticated tenant as ``request.state.tenant`` (bound by the app's guard) and raise
:class:`~._http.BadRequest` / :class:`~._http.ApiFailure`, which the app turns into error bodies.
"""

from __future__ import annotations

import ipaddress
import re
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from pysophoscentralapi._families.endpoint_settings import (
    ALLOWED_ITEMS,
    BLOCKED_ADDRESSES,
    BLOCKED_ITEMS,
    INTRUSION_PREVENTION_EXCLUSIONS,
    ISOLATION_EXCLUSIONS,
    LOCAL_SITES,
    SCANNING_EXCLUSIONS,
)
from pysophoscentralapi.emulator._collections import Rules, collection_routes, items_of, new_id
from pysophoscentralapi.emulator._common_state import common_state
from pysophoscentralapi.emulator._data import iso, person_name
from pysophoscentralapi.emulator._endpoint_api import _principal
from pysophoscentralapi.emulator._http import (
    BadRequest,
    check_choice,
    json_body,
    json_response,
    now_iso,
    optional_str,
)
from pysophoscentralapi.emulator._state import TenantState, tenant_of

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
        {"id": item_id(4), "value": "C:\\Program Files\\Backup Agent\\agent.exe",
         "type": "process", "scanMode": "onAccess", "description": _SCAN_DESCRIPTIONS["process"],
         "comment": "Backup agent reads every file.", "lockedByManagingAccount": False},
    ]  # fmt: skip


def _file_item(body: dict[str, Any], request: Request, types: tuple[str, ...]) -> dict[str, Any]:
    """Validate an allowed/blocked item body and build the stored item."""
    item_type = check_choice("type", body.get("type"), types)
    properties = body.get("properties")
    if not isinstance(properties, dict) or not all(isinstance(v, str) for v in properties.values()):
        raise BadRequest("properties is required and must be an object of strings.")
    value = properties.get(item_type)
    if not value:
        raise BadRequest(f"properties.{item_type} is required for type {item_type}.")
    sha256 = properties.get("sha256")
    if sha256 is not None and not _SHA256.match(sha256):
        raise BadRequest("properties.sha256 must be 64 hexadecimal characters.")
    comment = optional_str(body, "comment")
    now = now_iso()
    principal = _principal(request)
    item: dict[str, Any] = {
        "id": new_id(),
        "createdAt": now,
        "updatedAt": now,
        "properties": {k: properties[k] for k in ("fileName", "path", "sha256", "certificateSigner")
                       if k in properties},
        "comment": comment or "",
        "type": item_type,
        "createdBy": {"id": principal.id, "name": principal.name},
    }  # fmt: skip
    person_id = optional_str(body, "originPersonId")
    endpoint_id = optional_str(body, "originEndpointId")
    if person_id:
        item["originPerson"] = {
            "id": person_id,
            "name": _person_name(tenant_of(request), person_id, endpoint_id),
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


def _allowed_comment(item: dict[str, Any], body: dict[str, Any], request: Request) -> None:
    comment = optional_str(body, "comment")
    if comment is None:
        raise BadRequest("comment is required.")
    item["comment"] = comment
    item["updatedAt"] = now_iso()


def _local_site_fields(body: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    url = optional_str(body, "url")
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
    comment = optional_str(body, "comment")
    if comment is not None:
        fields["comment"] = comment
    return fields


def _create_local_site(body: dict[str, Any], request: Request) -> dict[str, Any]:
    return {"id": new_id(), "tags": [], "comment": "", **_local_site_fields(body, creating=True)}


def _change_local_site(site: dict[str, Any], body: dict[str, Any], request: Request) -> None:
    site.update(_local_site_fields(body, creating=False))


def _scan_mode(body: dict[str, Any], exclusion_type: str, current: str | None) -> str | None:
    mode = body.get("scanMode")
    if mode is None:
        if exclusion_type in _NO_SCAN_MODE:
            return None
        default = "onDemandAndOnAccess" if exclusion_type in _PATH_TYPES else "onAccess"
        return current or default
    if exclusion_type in _NO_SCAN_MODE:
        raise BadRequest(f"scanMode is not used with type {exclusion_type}.")
    return check_choice("scanMode", mode, SCAN_MODES)


def _create_scan_exclusion(body: dict[str, Any], request: Request) -> dict[str, Any]:
    exclusion_type = check_choice("type", body.get("type"), SCAN_EXCLUSION_TYPES)
    value = optional_str(body, "value")
    if not value:
        raise BadRequest("value is required.")
    exclusion: dict[str, Any] = {"id": new_id(), "value": value, "type": exclusion_type}
    mode = _scan_mode(body, exclusion_type, None)
    if mode is not None:
        exclusion["scanMode"] = mode
    exclusion["description"] = _SCAN_DESCRIPTIONS[exclusion_type]
    exclusion["comment"] = optional_str(body, "comment") or ""
    exclusion["lockedByManagingAccount"] = False
    return exclusion


def _change_scan_exclusion(
    exclusion: dict[str, Any], body: dict[str, Any], request: Request
) -> None:
    value = optional_str(body, "value")
    comment = optional_str(body, "comment")
    if value is not None and not value:
        raise BadRequest("value must not be empty.")
    mode = _scan_mode(body, exclusion["type"], exclusion.get("scanMode"))
    exclusion.update({k: v for k, v in (("value", value), ("scanMode", mode), ("comment", comment))
                      if v is not None})  # fmt: skip


async def list_web_categories(request: Request) -> Response:
    """``GET /settings/web-control/categories``: a bare JSON array, as in the collection."""
    return json_response([dict(category) for category in WEB_CATEGORIES])


# --- global tamper protection --------------------------------------------------------------------


async def get_global_tamper(request: Request) -> Response:
    return json_response({"enabled": tenant_of(request).global_tamper_protection})


# --- isolation and intrusion-prevention exclusions ------------------------------------------------

DIRECTIONS = ("inbound", "outbound", "both")


def _network_fields(body: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if "direction" in body or creating:
        fields["direction"] = check_choice("direction", body.get("direction"), DIRECTIONS)
    for key in ("localPorts", "remotePorts"):
        if key in body:
            ports = body[key]
            if not isinstance(ports, list) or not all(
                isinstance(p, int) and not isinstance(p, bool) and 0 < p < 65536 for p in ports
            ):
                raise BadRequest(f"{key} must be a list of port numbers (1-65535).")
            fields[key] = ports
    if "remoteAddresses" in body:
        addresses = body["remoteAddresses"]
        if not isinstance(addresses, list) or not all(isinstance(a, str) and a for a in addresses):
            raise BadRequest("remoteAddresses must be a list of addresses.")
        fields["remoteAddresses"] = addresses
    comment = optional_str(body, "comment")
    if comment is not None:
        fields["comment"] = comment
    if creating and not any(
        fields.get(k) for k in ("localPorts", "remotePorts", "remoteAddresses")
    ):
        raise BadRequest("Give localPorts, remotePorts or remoteAddresses.")
    return fields


def _network_rules(kind: str, exclusion_type: str, make_id: Any) -> Rules:
    def create(body: dict[str, Any], request: Request) -> dict[str, Any]:
        fields = _network_fields(body, creating=True)
        return {"id": make_id(), "type": exclusion_type, "comment": "", "localPorts": [],
                "remotePorts": [], "remoteAddresses": [], **fields}  # fmt: skip

    def change(item: dict[str, Any], body: dict[str, Any], request: Request) -> None:
        item.update(_network_fields(body, creating=False))

    def seed(tenant: TenantState) -> list[dict[str, Any]]:
        ns = uuid.UUID(int=tenant.rng_seed)
        first = uuid.uuid5(ns, f"{kind}:1")
        item_id = first.hex * 2 if exclusion_type == "intrusionPrevention" else str(first)
        second = uuid.uuid5(ns, f"{kind}:2")
        other_id = second.hex * 2 if exclusion_type == "intrusionPrevention" else str(second)
        return [
            {"id": item_id, "type": exclusion_type, "direction": "inbound",
             "comment": "Remote support desk.", "localPorts": [3389], "remotePorts": [],
             "remoteAddresses": ["10.50.100.100"]},
            {"id": other_id, "type": exclusion_type, "direction": "outbound",
             "comment": "Patch server.", "localPorts": [], "remotePorts": [443],
             "remoteAddresses": ["192.0.2.10"]},
        ]  # fmt: skip

    return Rules(
        store=kind, not_found="Can't find exclusion.", seed=seed, create=create, change=change
    )


# --- blocked addresses ------------------------------------------------------------------------------

_BLOCKED_ADDRESSES = Rules(
    store="blockedAddresses",
    not_found="Can't find blocked address.",
    seed=lambda tenant: [
        {
            "id": str(uuid.uuid5(uuid.UUID(int=tenant.rng_seed), f"blockedAddresses:{n}")),
            "item": item,
            "createdAt": iso(tenant.endpoints.factory.anchor - days * 86400),
            "blockedUntil": None,
        }
        for n, (item, days) in enumerate((("203.0.113.66", 3), ("198.51.100.0/24", 9)))
    ],
    sortable=("item", "createdAt", "blockedUntil"),
)


def _valid_address(text: Any) -> bool:
    if not isinstance(text, str):
        return False
    try:
        if "-" in text:
            first, last = (ipaddress.ip_address(p.strip()) for p in text.split("-", 1))
            return first.version == last.version and int(first) <= int(last)
        if "/" in text:
            ipaddress.ip_network(text, strict=False)
        else:
            ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


async def block_addresses(request: Request) -> Response:
    body = await json_body(request)
    entries = body.get("items")
    if not isinstance(entries, list) or not entries:
        raise BadRequest("items is required.")
    addresses: list[str] = []
    for entry in entries:
        values = entry.get("item") if isinstance(entry, dict) else None
        values = [values] if isinstance(values, str) else values
        if not isinstance(values, list) or not all(_valid_address(v) for v in values):
            raise BadRequest("Each item must be an IP address, network or range.")
        addresses.extend(values)
    store = items_of(tenant_of(request), _BLOCKED_ADDRESSES)
    now = now_iso()
    added = []
    for address in addresses:
        item_id = new_id()
        item = {"id": item_id, "item": address, "createdAt": now, "blockedUntil": None}
        store[item_id] = item
        added.append(item)
    return json_response({"items": added}, 201)


async def unblock_addresses(request: Request) -> Response:
    body = await json_body(request)
    ids = body.get("ids")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise BadRequest("ids must be a list of ids.")
    store = items_of(tenant_of(request), _BLOCKED_ADDRESSES)
    failed = [i for i in ids if store.pop(i, None) is None]
    return json_response({"failedToDelete": failed})


def _seeded(kind: str) -> Any:
    return lambda tenant: _seed_items(tenant, kind)


def _rules(kind: str, not_found: str, create: Any, change: Any, **extra: Any) -> Rules:
    """The rules of a settings list seeded by :func:`_seed_items`."""
    return Rules(
        store=kind, not_found=not_found, seed=_seeded(kind), create=create, change=change, **extra
    )


def _file_item_rules(kind: str, not_found: str, types: tuple[str, ...]) -> Rules:
    def create(body: dict[str, Any], request: Request) -> dict[str, Any]:
        return _file_item(body, request, types)

    return _rules(kind, not_found, create, _allowed_comment, identity=_identity)


#: The server rules of the settings lists, by store name.
_RULES = {
    "allowedItems": _file_item_rules("allowedItems", "Can't find allowed item.", ALLOWED_TYPES),
    "blockedItems": _file_item_rules("blockedItems", "Can't find blocked item.", ("sha256",)),
    "localSites": _rules(
        "localSites", "Can't find local site.", _create_local_site, _change_local_site
    ),
    "scanningExclusions": _rules(
        "scanningExclusions",
        "Can't find exclusion.",
        _create_scan_exclusion,
        _change_scan_exclusion,
        locked_message="This exclusion is managed at partner or enterprise level.",
    ),
}


def _items(tenant: TenantState, kind: str) -> dict[str, dict[str, Any]]:
    """A settings list of the tenant by item id (``kind``: its store name), seeded on first use."""
    return items_of(tenant, _RULES[kind])


def endpoint_settings_routes() -> list[BaseRoute]:
    """The Endpoint API's settings routes, relative to ``/region/{region}/endpoint/v1``."""
    return [
        Route("/settings/tamper-protection", get_global_tamper, methods=["GET"]),
        Route("/settings/web-control/categories", list_web_categories, methods=["GET"]),
        *collection_routes(ALLOWED_ITEMS, _RULES["allowedItems"]),
        *collection_routes(BLOCKED_ITEMS, _RULES["blockedItems"]),
        *collection_routes(LOCAL_SITES, _RULES["localSites"]),
        *collection_routes(SCANNING_EXCLUSIONS, _RULES["scanningExclusions"]),
        Route("/settings/blocked-addresses/bulk", block_addresses, methods=["POST"]),
        Route("/settings/blocked-addresses/bulk/delete", unblock_addresses, methods=["POST"]),
        *collection_routes(BLOCKED_ADDRESSES, _BLOCKED_ADDRESSES),
        *collection_routes(
            ISOLATION_EXCLUSIONS, _network_rules("isolationExclusions", "isolation", new_id)
        ),
        *collection_routes(
            INTRUSION_PREVENTION_EXCLUSIONS,
            _network_rules(
                "intrusionPreventionExclusions", "intrusionPrevention", lambda: uuid.uuid4().hex * 2
            ),
        ),
    ]
