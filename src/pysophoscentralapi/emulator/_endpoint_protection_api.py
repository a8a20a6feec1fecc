"""Endpoint API v1 protection settings: exploit mitigation (applications, categories, detected
exploits), peripheral control's peripherals, web-control TLS decryption (and its excluded
websites) and the event journal's disk limits. Stateful per tenant; seeded relative to the
emulator's start. Values and names follow the collection's examples; which peripherals and
exploits a tenant has is generated (INFERRED).
"""

from __future__ import annotations

import copy
import hashlib
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from pysophoscentralapi._families.endpoint_settings import (
    DETECTED_EXPLOITS,
    EXCLUDED_WEBSITES,
    EXPLOIT_APPLICATIONS,
    PERIPHERALS,
)
from pysophoscentralapi.emulator import _collections as shared
from pysophoscentralapi.emulator import _http as http
from pysophoscentralapi.emulator._data import iso
from pysophoscentralapi.emulator._state import TenantState

#: The mitigation switches of a category, as in the collection's example.
_MITIGATIONS = {
    "ASLR": True, "BannedAPI": True, "BottomUpASLR": True, "Caller": True, "DEP": True,
    "DeviceAndIoControl": True, "HeapSpray": True, "IAF": True, "Intruder": True,
    "KbdGuard": False, "LoadLib": True, "LockdownAutorun": True, "LockdownLoadImage": False,
    "LockdownNewFile": False, "NullPage": True, "SEHOP": True, "StackExec": True,
    "StackPivot": True,
}  # fmt: skip
_CATEGORIES = (
    ("browsers", "Browsers"),
    ("office", "Office"),
    ("mediaPlayers", "Media players"),
    ("javaApplications", "Java applications"),
    ("custom", "Custom"),
)
_DETECTED_APPS = (
    ("Google Chrome", "browsers", "$programfiles\\Google\\Chrome\\Application\\chrome.exe"),
    ("Microsoft Word", "office", "$programfiles\\Microsoft Office\\root\\Office16\\WINWORD.EXE"),
    ("VLC media player", "mediaPlayers", "$programfiles\\VideoLAN\\VLC\\vlc.exe"),
)


def _ns(tenant: TenantState, label: str) -> str:
    return str(uuid.uuid5(uuid.UUID(int=tenant.rng_seed), label))


def _app(app_id: str, name: str, category: str, path: str, app_type: str) -> shared.Item:
    return {"id": app_id, "name": name, "paths": [path], "category": category, "type": app_type,
            "modifications": {"protected": True, "settings": dict(_MITIGATIONS)}}  # fmt: skip


def _seed_apps(tenant: TenantState) -> list[shared.Item]:
    return [
        _app(_ns(tenant, f"em-app:{name}"), name, category, path, "detected")
        for name, category, path in _DETECTED_APPS
    ]


def _paths(body: shared.Item) -> list[str]:
    paths = body.get("paths")
    if not isinstance(paths, list) or not paths or not all(isinstance(p, str) and p for p in paths):
        raise http.BadRequest("paths must be a non-empty list of paths.")
    return paths


def _create_app(body: shared.Item, request: Request) -> shared.Item:
    paths = _paths(body)
    name = paths[0].replace("/", "\\").rsplit("\\", 1)[-1]
    return _app(shared.new_id(), name, "custom", paths[0], "custom") | {"paths": paths}


def _change_app(app: shared.Item, body: shared.Item, request: Request) -> None:
    if "paths" in body:
        app["paths"] = _paths(body)
    if "modifications" in body:
        changes = body["modifications"]
        if not isinstance(changes, dict):
            raise http.BadRequest("modifications must be an object.")
        if "protected" in changes:
            if not isinstance(changes["protected"], bool):
                raise http.BadRequest("modifications.protected must be a boolean.")
            app["modifications"]["protected"] = changes["protected"]
        settings = changes.get("settings", {})
        if not isinstance(settings, dict) or not all(
            isinstance(v, bool) for v in settings.values()
        ):
            raise http.BadRequest("modifications.settings must map names to booleans.")
        app["modifications"]["settings"].update(settings)
        app["modified"] = True


def _refuse_detected(app: shared.Item) -> None:
    if app["type"] == "detected":
        raise http.ApiFailure(409, "A system-detected application cannot be deleted.")


def _select_apps(request: Request, apps: list[shared.Item]) -> list[shared.Item]:
    modified = request.query_params.get("modified")
    if modified is None:
        return apps
    if modified not in ("true", "false"):
        raise http.BadRequest("modified must be true or false.")
    return [
        a for a in apps if bool(a.get("modified") or a["type"] == "custom") == (modified == "true")
    ]


def _present_app(app: shared.Item, request: Request) -> shared.Item:
    return {k: v for k, v in app.items() if k != "modified"}


_APP_RULES = shared.Rules(
    store="exploitApplications",
    not_found="Exploit mitigation application not found.",
    seed=_seed_apps,
    create=_create_app,
    change=_change_app,
    identity=lambda app: tuple(p.lower() for p in app["paths"]),
    select=_select_apps,
    present=_present_app,
    before_delete=_refuse_detected,
)


def _seed_exploits(tenant: TenantState) -> list[shared.Item]:
    anchor = tenant.endpoints.factory.anchor
    rows = []
    for n in range(3):
        endpoint = tenant.endpoints.get(n)
        thumbprint = hashlib.sha256(f"{tenant.id}:exploit:{n}".encode()).hexdigest()
        rows.append({
            "id": _ns(tenant, f"exploit:{n}"), "thumbprint": thumbprint, "count": 3 - n,
            "description": ("HeapSpray", "StackPivot", "Lockdown")[n] + " exploit blocked",
            "firstSeenAt": iso(anchor - (10 + n) * 86400), "lastSeenAt": iso(anchor - n * 3600),
            "lastUser": {"id": _ns(tenant, f"exploit-user:{n}"),
                         "name": (endpoint.get("associatedPerson") or {}).get("name", "SYSTEM")},
            "lastEndpoint": {"id": endpoint["id"], "hostname": endpoint["hostname"]},
        })  # fmt: skip
    return rows


def _select_exploits(request: Request, rows: list[shared.Item]) -> list[shared.Item]:
    excluded = http.csv_values(request, "thumbprintNotIn")
    if excluded is None:
        return rows
    left_out = {t.lower() for t in excluded}
    return [r for r in rows if r["thumbprint"].lower() not in left_out]


_EXPLOIT_RULES = shared.Rules(
    store="detectedExploits",
    not_found="Detected exploit not found.",
    seed=_seed_exploits,
    select=_select_exploits,
)

_PERIPHERAL_KINDS = (
    ("removableStorage", "storage", "SanDisk Ultra USB 3.0"),
    ("wireless", "network", "Intel Wi-Fi 6 AX201"),
    ("bluetooth", "network", "Logitech MX Master 3"),
    ("opticalDrive", "storage", "HL-DT-ST DVDRAM GP57EB40"),
)


def _seed_peripherals(tenant: TenantState) -> list[shared.Item]:
    anchor = tenant.endpoints.factory.anchor
    rows = []
    for n, (kind, category, model) in enumerate(_PERIPHERAL_KINDS):
        endpoint = tenant.endpoints.get(n)
        model_id = hashlib.sha1(model.encode()).hexdigest()[:12].upper()  # noqa: S324 - an id
        rows.append({
            "id": _ns(tenant, f"peripheral:{n}"), "type": kind, "category": category,
            "model": model, "modelId": model_id, "instanceId": f"INS:{model_id}-{n}",
            "lastEndpointHostname": endpoint["hostname"],
            "lastUsedBy": (endpoint.get("associatedPerson") or {}).get("name", "SYSTEM"),
            "lastActionTaken": "blocked" if kind == "removableStorage" else "allowed",
            "firstSeenAt": iso(anchor - (40 + n) * 86400),
            "lastSeenAt": iso(anchor - n * 7 * 86400),
        })  # fmt: skip
    return rows


def _select_peripherals(request: Request, rows: list[shared.Item]) -> list[shared.Item]:
    query = request.query_params
    kinds = http.csv_values(request, "type")
    if kinds is not None:
        rows = [r for r in rows if r["type"] in kinds]
    # ISO 8601 UTC timestamps of one format compare as text.
    if query.get("lastSeenAfter"):
        rows = [r for r in rows if r["lastSeenAt"] >= query["lastSeenAfter"]]
    if query.get("lastSeenBefore"):
        rows = [r for r in rows if r["lastSeenAt"] < query["lastSeenBefore"]]
    return rows


_PERIPHERAL_RULES = shared.Rules(
    store="peripherals",
    not_found="Peripheral not found.",
    seed=_seed_peripherals,
    select=_select_peripherals,
)

_WEBSITE_RULES = shared.Rules(
    store="tlsExcludedWebsites",
    not_found="Excluded website not found.",
    key="value",
    seed=lambda tenant: [
        {"value": "bank.example", "comment": "Banking: never decrypted."},
        {"value": "10.50.100.100", "comment": "Appliance with a pinned certificate."},
    ],
)


def _websites(tenant: TenantState) -> dict[str, shared.Item]:
    return shared.items_of(tenant, _WEBSITE_RULES)


def _tls(tenant: TenantState) -> dict[str, Any]:
    key = "endpoint.tlsDecryption"
    if key not in tenant.store:
        tenant.store[key] = {"categories": [{"id": n, "decryptionEnabled": n not in (14, 20)}
                                            for n in (6, 10, 14, 20, 44)]}  # fmt: skip
    settings: dict[str, Any] = tenant.store[key]
    return settings


def _tls_answer(tenant: TenantState) -> dict[str, Any]:
    sites = list(_websites(tenant).values())
    shown = sites[:50]
    return {
        "categories": copy.deepcopy(_tls(tenant)["categories"]),
        "excludedWebsites": {"itemsCount": len(shown), "total": len(sites), "items": shown},
    }


async def get_tls(request: Request) -> Response:
    return http.json_response(_tls_answer(shared.tenant_of(request)))


async def patch_tls(request: Request) -> Response:
    tenant = shared.tenant_of(request)
    body = await http.json_body(request)
    changes = body.get("categories")
    if not isinstance(changes, list) or not all(
        isinstance(c, dict) and isinstance(c.get("id"), int) and isinstance(
            c.get("decryptionEnabled"), bool) for c in changes
    ):  # fmt: skip
        raise http.BadRequest("categories must be a list of {id, decryptionEnabled}.")
    current = {c["id"]: c for c in _tls(tenant)["categories"]}
    for change in changes:
        current.setdefault(change["id"], {"id": change["id"]})["decryptionEnabled"] = change[
            "decryptionEnabled"
        ]
    _tls(tenant)["categories"] = sorted(current.values(), key=lambda c: int(c["id"]))
    return http.json_response(_tls_answer(tenant))


def _site_list(value: Any, name: str) -> list[shared.Item]:
    if not isinstance(value, list) or not all(
        isinstance(s, dict) and isinstance(s.get("value"), str) and s["value"] for s in value
    ):
        raise http.BadRequest(f"{name} must be a list of {{value, comment}}.")
    return value


async def patch_websites(request: Request) -> Response:
    body = await http.json_body(request)
    adding = _site_list(body.get("add", []), "add")
    removing = _site_list(body.get("remove", []), "remove")
    if not adding and not removing:
        raise http.ApiFailure(422, "Give websites to add or to remove.")
    sites = _websites(shared.tenant_of(request))
    added = []
    for site in adding:
        entry = {"value": site["value"], "comment": str(site.get("comment") or "")}
        sites[entry["value"]] = entry
        added.append(entry)
    removed = [sites.pop(site["value"]) for site in removing if site["value"] in sites]
    return http.json_response({"added": added, "removed": removed})


async def delete_websites(request: Request) -> Response:
    _websites(shared.tenant_of(request)).clear()
    return http.json_response({"deleted": True})


async def exploit_categories(request: Request) -> Response:
    items = [{"id": cid, "name": name, "settings": dict(_MITIGATIONS)} for cid, name in _CATEGORIES]
    return http.json_response({"items": items})


_JOURNAL_DEFAULTS = {"computer": (5250, 0), "server": (10500, 0)}


def _journal(tenant: TenantState, endpoint_type: str) -> dict[str, Any]:
    if endpoint_type not in _JOURNAL_DEFAULTS:
        raise http.ApiFailure(404, f"Unknown endpoint type {endpoint_type!r}.")
    key = f"endpoint.eventJournal.{endpoint_type}"
    mb, pct = _JOURNAL_DEFAULTS[endpoint_type]
    if key not in tenant.store:
        tenant.store[key] = {
            "useRecommended": True,
            "diskSpaceLimitInMB": {"recommendedValue": mb, "value": mb},
            "diskSpaceLimitAsPercentage": {"recommendedValue": pct, "value": pct},
        }
    journal: dict[str, Any] = tenant.store[key]
    return journal


async def get_journal(request: Request) -> Response:
    return http.json_response(
        _journal(shared.tenant_of(request), request.path_params["endpoint_type"])
    )


async def patch_journal(request: Request) -> Response:
    journal = _journal(shared.tenant_of(request), request.path_params["endpoint_type"])
    body = await http.json_body(request)
    if "useRecommended" in body:
        if not isinstance(body["useRecommended"], bool):
            raise http.BadRequest("useRecommended must be a boolean.")
        journal["useRecommended"] = body["useRecommended"]
    for key, top in (("diskSpaceLimitInMB", None), ("diskSpaceLimitAsPercentage", 100)):
        if key in body:
            value = body[key]
            if isinstance(value, bool) or not isinstance(value, int) or value < 0 or (
                top is not None and value > top
            ):  # fmt: skip
                raise http.BadRequest(f"{key} must be a whole number within range.")
            journal[key]["value"] = value
            journal["useRecommended"] = body.get("useRecommended", False)
    if journal["useRecommended"]:
        for key in ("diskSpaceLimitInMB", "diskSpaceLimitAsPercentage"):
            journal[key]["value"] = journal[key]["recommendedValue"]
    return http.json_response(journal)


def endpoint_protection_routes() -> list[BaseRoute]:
    """These routes, relative to ``/region/{region}/endpoint/v1``."""
    tls = "/settings/web-control/tls-decryption"
    return [
        Route("/settings/exploit-mitigation/categories", exploit_categories, methods=["GET"]),
        *shared.collection_routes(EXPLOIT_APPLICATIONS, _APP_RULES),
        *shared.collection_routes(DETECTED_EXPLOITS, _EXPLOIT_RULES),
        *shared.collection_routes(PERIPHERALS, _PERIPHERAL_RULES),
        Route(tls, get_tls, methods=["GET"]),
        Route(tls, patch_tls, methods=["PATCH"]),
        Route(tls + "/excluded-websites", patch_websites, methods=["PATCH"]),
        Route(tls + "/excluded-websites", delete_websites, methods=["DELETE"]),
        *shared.collection_routes(EXCLUDED_WEBSITES, _WEBSITE_RULES),
        Route("/settings/event-journal/{endpoint_type}", get_journal, methods=["GET"]),
        Route("/settings/event-journal/{endpoint_type}", patch_journal, methods=["PATCH"]),
    ]
