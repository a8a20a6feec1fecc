"""Endpoint API v1 software packages: recommended and static packages (unpaged lists, as in
the collection), special packages added by id, and the tenant's comments on static packages.
Package names, versions and dates are generated relative to the emulator's start (INFERRED).
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from pysophoscentralapi._families.software import STATIC_PACKAGES
from pysophoscentralapi.emulator import _collections as shared
from pysophoscentralapi.emulator import _http as http
from pysophoscentralapi.emulator._state import TenantState

_DAY = 86400


def _date(seconds: float) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(seconds))


def _package(
    tenant: TenantState, n: int, kind: str, platform: str, endpoint_type: str
) -> shared.Item:
    anchor = tenant.endpoints.factory.anchor
    version = f"2026.{n + 1}.0.{40 + n}"
    return {
        "id": f"{kind}-{platform}-{endpoint_type}-{n}", "name": f"Sophos {kind} {version}",
        "releasedAt": _date(anchor - (200 - 30 * n) * _DAY),
        "expiresAt": _date(anchor + (160 + 30 * n) * _DAY), "type": kind, "platform": platform,
        "endpointType": endpoint_type,
        "modules": [{"name": "coreAgent", "version": version},
                    {"name": "interceptX", "version": version}],
        "packageNotesUrl": f"https://docs.sophos.com/releasenotes/{version}.html",
        "visible": kind != "special",
    }  # fmt: skip


def _seed_packages(tenant: TenantState) -> list[shared.Item]:
    return [
        _package(tenant, n, kind, platform, endpoint_type)
        for n, (kind, platform, endpoint_type) in enumerate((
            ("fixed", "windows", "computer"), ("fixed", "windows", "server"),
            ("longTermSupport", "windows", "computer"), ("fixed", "linux", "server"),
            ("special", "windows", "computer"),
        ))
    ]  # fmt: skip


def _select(request: Request, packages: list[shared.Item]) -> list[shared.Item]:
    query = request.query_params
    shown = [p for p in packages if p["visible"]]
    bounds = (("expiresFrom", "expiresAt", True), ("expiresTo", "expiresAt", False),
              ("releasedFrom", "releasedAt", True), ("releasedTo", "releasedAt", False))  # fmt: skip
    for param, field, inclusive in bounds:
        if query.get(param):
            limit = query[param][:10]
            shown = [p for p in shown if (p[field] >= limit if inclusive else p[field] < limit)]
    return shown


_RULES = shared.Rules(store="staticPackages", not_found="Static package not found.",
               seed=_seed_packages, select=_select)  # fmt: skip


def _packages(tenant: TenantState) -> dict[str, shared.Item]:
    return shared.items_of(tenant, _RULES)


async def recommended(request: Request) -> Response:
    tenant = shared.tenant_of(request)
    version = f"2026.{int(tenant.endpoints.factory.anchor) % 5 + 2}.1.12"
    items = [{"id": f"recommended-{p}", "platform": p,
              "modules": [{"name": "coreAgent", "version": version}]}
             for p in ("windows", "winserv", "linux", "macOS")]  # fmt: skip
    return http.json_response({"items": items})


async def add_special(request: Request) -> Response:
    package = _packages(shared.tenant_of(request)).get(request.path_params["package_id"])
    if package is None:
        raise http.ApiFailure(404, "Special package not found.")
    if package["visible"]:
        raise http.ApiFailure(409, "The package is already available to the tenant.")
    package["visible"] = True
    return http.json_response(package, 201)


def _comments(tenant: TenantState) -> dict[str, shared.Item]:
    """The tenant's comments by package id (seeded with one on the long-term-support package)."""
    key = "endpoint.packageComments"
    if key not in tenant.store:
        seeded = str(_seed_packages(tenant)[2]["id"])
        comment_id = str(uuid.uuid5(uuid.UUID(int=tenant.rng_seed), seeded))
        tenant.store[key] = {seeded: {"id": comment_id, "comment": "Kept for the lab machines."}}
    store: dict[str, shared.Item] = tenant.store[key]
    return store


def _comment_answer(tenant: TenantState, package_id: str) -> dict[str, Any]:
    comment = _comments(tenant)[package_id]
    return {"package": _packages(tenant)[package_id], "id": comment["id"],
            "comment": comment["comment"]}  # fmt: skip


async def list_comments(request: Request) -> Response:
    tenant = shared.tenant_of(request)
    return http.json_response({"items": [_comment_answer(tenant, p) for p in _comments(tenant)]})


def _known_package(request: Request) -> str:
    package_id = request.path_params["package_id"]
    if package_id not in _packages(shared.tenant_of(request)):
        raise http.ApiFailure(404, "Static package not found.")
    return str(package_id)


async def get_comment(request: Request) -> Response:
    tenant = shared.tenant_of(request)
    package_id = _known_package(request)
    if package_id not in _comments(tenant):
        raise http.ApiFailure(404, "The package has no comment.")
    return http.json_response(_comment_answer(tenant, package_id))


async def put_comment(request: Request) -> Response:
    tenant = shared.tenant_of(request)
    package_id = _known_package(request)
    body = await http.json_body(request)
    text = body.get("comment")
    if not isinstance(text, str) or not text.strip():
        raise http.BadRequest("comment is required.")
    existing = _comments(tenant).get(package_id)
    _comments(tenant)[package_id] = {"id": existing["id"] if existing else shared.new_id(),
                                     "comment": text}  # fmt: skip
    return http.json_response(_comment_answer(tenant, package_id))


async def delete_comment(request: Request) -> Response:
    package_id = _known_package(request)
    _comments(shared.tenant_of(request)).pop(package_id, None)
    return http.json_response({"deleted": True})


def software_routes() -> list[BaseRoute]:
    """The software routes, relative to ``/region/{region}/endpoint/v1``."""
    comments = "/software/comments"
    return [
        Route("/software/packages/recommended", recommended, methods=["GET"]),
        Route("/software/packages/static/{package_id}/add", add_special, methods=["POST"]),
        *shared.collection_routes(STATIC_PACKAGES, _RULES),
        Route(comments, list_comments, methods=["GET"]),
        Route(comments + "/{package_id}", get_comment, methods=["GET"]),
        Route(comments + "/{package_id}", put_comment, methods=["PUT"]),
        Route(comments + "/{package_id}", delete_comment, methods=["DELETE"]),
    ]
