"""Endpoint API v1 per-endpoint requests (adaptive attack protection, forensic logs, memory
dumps) and the installer downloads.

A forensic-log or memory-dump request starts ``pending`` (202) and is ``finished``, with its
file, from the first time it is read back (INFERRED: the collection shows both states, not
what moves one to the other). Adaptive attack protection switched on with ``expiresAfter``
reports when it expires.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from pysophoscentralapi.emulator import _http as http
from pysophoscentralapi.emulator._collections import new_id, tenant_of
from pysophoscentralapi.emulator._data import iso
from pysophoscentralapi.emulator._endpoint_api import _endpoint_index
from pysophoscentralapi.emulator._state import TenantState

_DURATION = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")
_FILE_PREFIX = {"forensicLogs": "forensic_sdu", "memoryDumps": "memory_dump"}
_FILE_KEY = {"forensicLogs": "forensicLogFile", "memoryDumps": "memoryDumpFile"}


def _duration(text: Any, name: str) -> timedelta:
    match = _DURATION.match(text) if isinstance(text, str) else None
    if not match or text in ("P", "PT"):
        raise http.BadRequest(f"{name} must be an ISO 8601 duration such as PT4H.")
    days, hours, minutes, seconds = (int(g or 0) for g in match.groups())
    return timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)


def _later(delta: timedelta) -> str:
    return (datetime.now(UTC) + delta).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _aap(tenant: TenantState, endpoint_id: str) -> dict[str, Any]:
    records: dict[str, Any] = tenant.store.setdefault("endpoint.aap", {})
    if endpoint_id not in records:
        records[endpoint_id] = {
            "desiredState": {"enabled": False, "expiresAfter": None, "source": "policy"},
            "actualState": {"enabled": False,
                            "lastUpdatedAt": iso(tenant.endpoints.factory.anchor - 86400),
                            "expiresAt": None},
        }  # fmt: skip
    record: dict[str, Any] = records[endpoint_id]
    return record


def _endpoint_id(request: Request) -> str:
    _endpoint_index(request)  # 404 for an unknown endpoint
    return str(request.path_params["endpoint_id"]).lower()


async def get_aap(request: Request) -> Response:
    return http.json_response(_aap(tenant_of(request), _endpoint_id(request)))


async def post_aap(request: Request) -> Response:
    endpoint_id = _endpoint_id(request)
    body = await http.json_body(request)
    enabled = body.get("enabled")
    if not isinstance(enabled, bool):
        raise http.BadRequest("enabled is required and must be a boolean.")
    expires_after = body.get("expiresAfter")
    expires_at = None
    if expires_after is not None:
        expires_at = _later(_duration(expires_after, "expiresAfter"))
    record = _aap(tenant_of(request), endpoint_id)
    record["desiredState"] = {"enabled": enabled, "expiresAfter": expires_after, "source": "user"}
    record["actualState"] = {"enabled": enabled, "lastUpdatedAt": http.now_iso(),
                             "expiresAt": expires_at if enabled else None}  # fmt: skip
    return http.json_response(record)


def _requests(tenant: TenantState, kind: str) -> dict[str, dict[str, Any]]:
    store: dict[str, dict[str, Any]] = tenant.store.setdefault(f"endpoint.{kind}", {})
    return store


def _start(kind: str) -> Any:
    async def handler(request: Request) -> Response:
        endpoint_id = _endpoint_id(request)
        body = await http.json_body(request)
        mode = body.get("mode")
        if not isinstance(mode, str) or not mode:
            raise http.BadRequest("mode is required.")
        if kind == "memoryDumps" and mode == "process":
            pid = body.get("pid")
            if not isinstance(pid, int) or isinstance(pid, bool) or pid < 0:
                raise http.BadRequest("pid is required with mode process.")
        expires = _duration(body.get("expires", "PT4H"), "expires")
        record = {"id": new_id(), "status": "pending", "receivedAt": http.now_iso(),
                  "expiresAt": _later(expires), "endpointId": endpoint_id}  # fmt: skip
        _requests(tenant_of(request), kind)[record["id"]] = record
        return http.json_response(_shown(record), 202)

    return handler


def _shown(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k != "endpointId"}


def _status(kind: str) -> Any:
    async def handler(request: Request) -> Response:
        endpoint_id = _endpoint_id(request)
        record = _requests(tenant_of(request), kind).get(request.path_params["request_id"])
        if record is None or record["endpointId"] != endpoint_id:
            raise http.ApiFailure(404, "Request not found.")
        if record["status"] == "pending":
            name = f"{_FILE_PREFIX[kind]}_{endpoint_id}_{record['id']}.zip"
            record["status"] = "finished"
            record[_FILE_KEY[kind]] = {"fileName": name,
                                       "sha256": hashlib.sha256(name.encode()).hexdigest(),
                                       "size": 12345}  # fmt: skip
        return http.json_response(_shown(record))

    return handler


_INSTALLERS = (
    ("Sophos Endpoint Protection", "windows", "computer",
     ["coreAgent", "interceptX", "endpointProtection"], "SophosSetup.exe"),
    ("Sophos Server Protection", "windows", "server",
     ["coreAgent", "interceptX", "endpointProtection"], "SophosSetup.exe"),
    ("Sophos Protection for Linux", "linux", "server", ["coreAgent", "interceptX"],
     "SophosSetup.sh"),
    ("Sophos Endpoint Protection", "macOS", "computer", ["coreAgent", "interceptX"],
     "SophosInstall.zip"),
)  # fmt: skip


async def get_downloads(request: Request) -> Response:
    tenant = tenant_of(request)
    query = request.query_params
    platforms = set(query["platforms"].split(",")) if query.get("platforms") else None
    products = (
        set(query["requestedProducts"].split(",")) if query.get("requestedProducts") else None
    )
    known = {"windows", "linux", "macOS"}
    if platforms is not None and not platforms <= known:
        raise http.BadRequest(f"Invalid platforms: {', '.join(sorted(platforms - known))}.")
    token = hashlib.sha256(tenant.id.encode()).hexdigest()[:32]
    installers = [
        {"productName": name, "platform": platform, "type": kind,
         "supportedProducts": supported,
         "downloadUrl": f"https://api.sophos.com/api/download/{token}/{platform}/{file}"}
        for name, platform, kind, supported, file in _INSTALLERS
        if (platforms is None or platform in platforms)
        and (products is None or products & set(supported))
    ]  # fmt: skip
    return http.json_response({"tenant": {"id": tenant.id},
                          "licensedProducts": ["coreAgent", "interceptX", "endpointProtection"],
                          "installers": installers})  # fmt: skip


def endpoint_requests_routes() -> list[BaseRoute]:
    """These routes, relative to ``/region/{region}/endpoint/v1``."""
    one = "/endpoints/{endpoint_id}"
    return [
        Route("/downloads", get_downloads, methods=["GET"]),
        Route(one + "/adaptive-attack-protection", get_aap, methods=["GET"]),
        Route(one + "/adaptive-attack-protection", post_aap, methods=["POST"]),
        Route(one + "/forensic-logs", _start("forensicLogs"), methods=["POST"]),
        Route(one + "/forensic-logs/{request_id}", _status("forensicLogs"), methods=["GET"]),
        Route(one + "/memory-dumps", _start("memoryDumps"), methods=["POST"]),
        Route(one + "/memory-dumps/{request_id}", _status("memoryDumps"), methods=["GET"]),
    ]
