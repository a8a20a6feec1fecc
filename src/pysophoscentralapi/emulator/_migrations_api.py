"""Endpoint API v1 migrations: endpoints moved between two tenants of the emulator's partner.

1. The receiving tenant ``POST /migrations {fromTenant, endpoints}``: a job (``receiving``)
   with a token, valid 7 days.
2. The sending tenant ``PUT /migrations/{id} {token, endpoints}``: the same job as it sees it
   (``sending``); the endpoints named by both sides take part, each ``pending``.
3. Every read of ``GET /migrations/{id}/endpoints`` (from either side) moves each endpoint one
   state on: ``pending`` -> ``inProgress`` -> ``succeeded``, at which point it leaves the sending
   tenant and appears in the receiving one (same id, no group); an endpoint the sending tenant
   does not have ends ``failed``. (The collection shows only ``pending``; the rest is INFERRED.)
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import timedelta

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from pysophoscentralapi._families.migrations import MAX_MIGRATION_PAGE_SIZE, MIGRATIONS
from pysophoscentralapi.emulator import _collections as shared
from pysophoscentralapi.emulator import _http as http
from pysophoscentralapi.emulator._data import iso
from pysophoscentralapi.emulator._endpoint_requests_api import _later
from pysophoscentralapi.emulator._state import EmulatorState, TenantState, emulator_of

_NEXT = {"pending": "inProgress", "inProgress": "succeeded"}


def _seed(tenant: TenantState) -> list[shared.Item]:
    """One job waiting for its sender (from the next tenant), so a listing shows something."""
    anchor = tenant.endpoints.factory.anchor
    job_id = str(uuid.uuid5(uuid.UUID(int=tenant.rng_seed), "migration:1"))
    return [{
        "id": job_id, "token": hashlib.sha256(job_id.encode()).hexdigest(), "mode": "receiving",
        "createdAt": iso(anchor - 86400), "expiresAt": iso(anchor + 6 * 86400),
        "fromTenant": None, "toTenant": tenant.id, "requested": [], "endpoints": None,
    }]  # fmt: skip


_RULES = shared.Rules(
    store="migrations",
    not_found="Migration job not found.",
    seed=_seed,
    present=lambda job, request: {k: job[k] for k in ("id", "token", "mode", "createdAt",
                                                      "expiresAt")},
)  # fmt: skip


def _jobs(tenant: TenantState) -> dict[str, shared.Item]:
    return shared.items_of(tenant, _RULES)


def _ids(body: shared.Item, key: str) -> list[str]:
    value = body.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise http.BadRequest(f"{key} must be a non-empty list of endpoint ids.")
    return [v.lower() for v in dict.fromkeys(value)]


async def start_receiving(request: Request) -> Response:
    receiving = shared.tenant_of(request)
    body = await http.json_body(request)
    sender_id = str(body.get("fromTenant") or "").lower()
    sending = emulator_of(request).tenant(sender_id)
    if sending is None or sending.id == receiving.id:
        raise http.BadRequest("fromTenant must be another tenant of the same partner.")
    job_id = shared.new_id()
    job: shared.Item = {
        "id": job_id, "token": secrets.token_urlsafe(48), "mode": "receiving",
        "createdAt": http.now_iso(), "expiresAt": _later(timedelta(days=7)),
        "fromTenant": sending.id, "toTenant": receiving.id,
        "requested": _ids(body, "endpoints"), "endpoints": None,
    }  # fmt: skip
    _jobs(receiving)[job_id] = job
    return http.json_response(_RULES.shown(job, request), 201)


async def start_sending(request: Request) -> Response:
    sending = shared.tenant_of(request)
    body = await http.json_body(request)
    job_id = request.path_params["item_id"]
    receiving = next(
        (t for t in emulator_of(request).tenants if job_id in _jobs(t)
         and _jobs(t)[job_id]["mode"] == "receiving"),
        None,
    )  # fmt: skip
    if receiving is None:
        raise http.BadRequest("No migration job with this id is waiting to be sent.")
    job = _jobs(receiving)[job_id]
    if job["fromTenant"] != sending.id or body.get("token") != job["token"]:
        raise http.BadRequest("The token does not match a migration job to this tenant.")
    offered = set(_ids(body, "endpoints"))
    job["endpoints"] = {i: "pending" for i in job["requested"] if i in offered}
    created = job_id not in _jobs(sending)
    _jobs(sending)[job_id] = {**job, "mode": "sending"}
    return http.json_response(
        _RULES.shown(_jobs(sending)[job_id], request), 201 if created else 200
    )


def _advance(state: EmulatorState, job: shared.Item) -> None:
    """Move every endpoint of an accepted job one state on (see the module docs)."""
    sending = state.tenant(job["fromTenant"])
    receiving = state.tenant(job["toTenant"])
    assert sending is not None
    assert receiving is not None
    for endpoint_id, status in job["endpoints"].items():
        if status not in _NEXT:
            continue
        index = sending.endpoints.index_of(endpoint_id)
        if index is None:
            job["endpoints"][endpoint_id] = "failed"
            continue
        job["endpoints"][endpoint_id] = _NEXT[status]
        if _NEXT[status] == "succeeded":
            receiving.endpoints.import_endpoint(sending.endpoints.get(index), receiving.id)
            sending.endpoints.delete(index)


async def job_endpoints(request: Request) -> Response:
    tenant = shared.tenant_of(request)
    job = _jobs(tenant).get(request.path_params["item_id"])
    if job is None:
        raise http.ApiFailure(404, _RULES.not_found)
    receiving = emulator_of(request).tenant(job["toTenant"])
    assert receiving is not None
    progress = _jobs(receiving)[job["id"]]  # the receiving side holds the job's progress
    if progress["endpoints"] is None:
        rows = [{"id": i, "status": "pending"} for i in progress["requested"]]
    else:
        _advance(emulator_of(request), progress)
        rows = [{"id": i, "status": s} for i, s in progress["endpoints"].items()]
    return http.json_response(http.number_page(request, rows, max_size=MAX_MIGRATION_PAGE_SIZE))


def migrations_routes() -> list[BaseRoute]:
    """The migration routes, relative to ``/region/{region}/endpoint/v1``."""
    return [
        Route("/migrations", start_receiving, methods=["POST"]),
        Route("/migrations/{item_id}", start_sending, methods=["PUT"]),
        Route("/migrations/{item_id}/endpoints", job_endpoints, methods=["GET"]),
        *shared.collection_routes(MIGRATIONS, _RULES),
    ]


__all__ = ["migrations_routes"]
