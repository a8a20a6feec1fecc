"""Emulated Licensing API and Account Management API (global host, tenant in ``X-Tenant-ID``).

- ``GET /licenses/v1/licenses``: the tenant's licenses, seeded from its billing type (trial
  tenants hold trial licenses ending within a month, and no server license); usage counts are the
  tenant's live endpoints.
- ``GET /licenses/v1/licenses/firewalls``: the tenant's firewalls, or, for a partner credential
  without ``X-Tenant-ID``, those of every tenant of the partner.
- ``/accounts/v1/access-tokens``: the tenant's access tokens (seeded one), created, relabelled and
  revoked through the API. Creating one needs a server license (Sophos Linux Sensor): a tenant
  without one gets 403 "Request is incompatible with tenant's current licenses".
"""

from __future__ import annotations

import random
import secrets
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from pysophoscentralapi.emulator._collections import crud_routes
from pysophoscentralapi.emulator._common_query import csv_param, sort_items
from pysophoscentralapi.emulator._data import iso
from pysophoscentralapi.emulator._http import (
    ApiFailure,
    BadRequest,
    found,
    json_body,
    json_response,
    number_page,
)
from pysophoscentralapi.emulator._state import (
    Principal,
    TenantState,
    emulator_of,
    tenant_of,
)

MAX_PAGE_SIZE = 100
TOKEN_TYPES = {"sls": "sophosLinuxSensor", "sophosLinuxSensor": "sophosLinuxSensor"}
#: (code, name, genericCode, for servers)
_PRODUCTS = (
    ("CIXA", "Central Intercept X Advanced", "interceptXAdvanced", False),
    ("CIXAS", "Central Intercept X Advanced for Server", "interceptXAdvancedServer", True),
    ("MDRC", "Managed Detection and Response Complete", "mdrComplete", False),
)
_FIREWALL_MODELS = (("XGS 2100", "hardware"), ("XGS 116", "hardware"), ("SFVUNL", "virtual"))


def _license(
    rng: random.Random, tenant: TenantState, n: int, product: tuple[Any, ...]
) -> dict[str, Any]:
    code, name, generic, _ = product
    anchor = tenant.endpoints.factory.anchor
    trial = tenant.billing_type == "trial"
    start = anchor - (20 if trial else rng.randint(90, 700)) * 86400
    kind = "trial" if trial else ("term" if tenant.billing_type == "term" else "enterprise")
    ns = uuid.UUID(int=tenant.rng_seed)
    return {
        "id": str(uuid.uuid5(ns, f"license:{n}")),
        "licenseIdentifier": f"LIC-{tenant.short_name}-{n + 1:03d}",
        "product": {"code": code, "name": name, "genericCode": generic},
        "startDate": iso(start)[:10],
        "endDate": iso(anchor + (10 if trial else rng.randint(30, 400)) * 86400)[:10],
        "perpetual": False,
        "type": kind,
        "unlimited": False,
        "quantity": 0,
    }


def tenant_licenses(tenant: TenantState) -> list[dict[str, Any]]:
    """The tenant's licenses with current usage (seeded once; counts are live)."""
    seeded: list[dict[str, Any]] | None = tenant.store.get("licenses")
    if seeded is None:
        rng = random.Random(f"licenses:{tenant.rng_seed}")
        products = [p for p in _PRODUCTS if not (p[3] and tenant.billing_type == "trial")]
        if rng.random() < 0.5:
            products = [p for p in products if p[0] != "MDRC"]
        seeded = [_license(rng, tenant, n, p) for n, p in enumerate(products)]
        tenant.store["licenses"] = seeded
    servers = sum(1 for _, e in tenant.endpoints.rows() if e["type"] == "server")
    computers = len(tenant.endpoints) - servers
    now = time.time()
    result = []
    for lic in seeded:
        for_servers = lic["product"]["code"] == "CIXAS"
        used = servers if for_servers else computers
        result.append(
            {
                **lic,
                "quantity": max(5, -(-used * 11 // 10)),
                "usage": {
                    "current": {"count": used, "date": iso(now)[:10], "collectedAt": iso(now)}
                },
            }
        )
    return result


async def get_licenses(request: Request) -> Response:
    tenant = tenant_of(request)
    return json_response(
        {
            "organization": {"id": tenant.organization_id},
            "tenant": {"id": tenant.id},
            "licenses": tenant_licenses(tenant),
        }
    )


def _firewalls(tenant: TenantState) -> list[dict[str, Any]]:
    rng = random.Random(f"firewalls:{tenant.rng_seed}")
    ns = uuid.UUID(int=tenant.rng_seed)
    rows = []
    for n in range(rng.randint(0, 3)):
        model, model_type = rng.choice(_FIREWALL_MODELS)
        start = iso(tenant.endpoints.factory.anchor - rng.randint(30, 500) * 86400)[:10]
        rows.append(
            {
                "serialNumber": f"X{rng.getrandbits(48):012X}",
                "owner": {"id": tenant.partner_id, "type": "partner"},  # managed by the partner
                "model": model,
                "modelType": model_type,
                "licenses": [
                    {
                        "id": str(uuid.uuid5(ns, f"firewall:{n}:license")),
                        "licenseIdentifier": f"FW-{tenant.short_name}-{n + 1:02d}",
                        "product": {"code": "XSTREAM", "name": "Xstream Protection",
                                    "genericCode": "xstreamProtection"},
                        "startDate": start,
                        "perpetual": False,
                        "type": "term",
                        "unlimited": True,
                    }
                ],
                "tenant": {"id": tenant.id},
                "partner": {"id": tenant.partner_id},
                "organization": {"id": tenant.organization_id},
            }
        )  # fmt: skip
    return rows


_FIREWALL_SORT = {
    "serialNumber": lambda f: f["serialNumber"],
    "model": lambda f: f["model"],
    "modelType": lambda f: f["modelType"],
}


async def list_firewalls(request: Request) -> Response:
    tenant: TenantState | None = getattr(request.state, "tenant", None)
    if tenant is not None:
        rows = _firewalls(tenant)
    else:
        principal: Principal = request.state.principal
        emulator = emulator_of(request)
        rows = [
            fw for t in emulator.tenants if t.partner_id == principal.id for fw in _firewalls(t)
        ]
    rows = sort_items(rows, csv_param(request, "sort"), _FIREWALL_SORT, ["serialNumber:asc"])
    return json_response(number_page(request, rows, max_size=MAX_PAGE_SIZE))


# --- access tokens --------------------------------------------------------------------------------


def _tokens(request: Request) -> dict[str, dict[str, Any]]:
    tenant = tenant_of(request)
    tokens: dict[str, dict[str, Any]] | None = tenant.store.get("accounts.tokens")
    if tokens is None:
        ns = uuid.UUID(int=tenant.rng_seed)
        created = tenant.endpoints.factory.anchor - 45 * 86400
        token_id = str(uuid.uuid5(ns, "access-token:1"))
        tokens = {
            token_id: {
                "id": token_id,
                "token": "eyJ" + secrets.token_urlsafe(48),
                "type": "sophosLinuxSensor",
                "label": "Linux servers",
                "createdAt": iso(created),
                "expiresAt": iso(created + 365 * 86400),
                "url": _sensor_url(tenant),
                "createdBy": {
                    "id": str(uuid.uuid5(ns, "admin")),
                    "type": "user",
                    "name": "Security Admin",
                    "accountType": "tenant",
                    "accountId": tenant.id,
                },
            }
        }
        tenant.store["accounts.tokens"] = tokens
    return tokens


def _sensor_url(tenant: TenantState) -> str:
    return f"https://linux-sensor.{tenant.region or 'us01'}.central.sophos.example"


def _expiry(value: Any, default: float | None) -> str | None:
    if value is None:
        return iso(default) if default is not None else None
    if not isinstance(value, str):
        raise BadRequest("expiresAt must be a date-time string.")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise BadRequest(f"Invalid expiresAt: {value!r}.") from None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    if moment <= datetime.now(UTC):
        raise BadRequest("expiresAt must be in the future.")
    return iso(moment.timestamp())


def _label(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise BadRequest("label is required and must be a non-empty string.")
    return value.strip()


async def list_tokens(request: Request) -> Response:
    return json_response(
        number_page(request, list(_tokens(request).values()), max_size=MAX_PAGE_SIZE)
    )


async def create_token(request: Request) -> Response:
    """``POST /access-tokens``: 201; 400 for a bad body; 403 without a server license."""
    body = await json_body(request)
    label = _label(body.get("label"))
    token_type = TOKEN_TYPES.get(str(body.get("type")))
    if token_type is None:
        raise BadRequest(
            f"Invalid value for type: {body.get('type')!r}. Valid values: sls, sophosLinuxSensor."
        )
    expires = _expiry(body.get("expiresAt"), time.time() + 365 * 86400)
    tenant = tenant_of(request)
    if not any(lic["product"]["code"] == "CIXAS" for lic in tenant_licenses(tenant)):
        raise ApiFailure(403, "Request is incompatible with tenant's current licenses.")
    principal: Principal = request.state.principal
    token_id = str(uuid.uuid4())
    record = {
        "id": token_id,
        "token": "eyJ" + secrets.token_urlsafe(48),
        "type": token_type,
        "label": label,
        "createdAt": iso(time.time()),
        "expiresAt": expires,
        "url": _sensor_url(tenant),
        "createdBy": principal.actor(),
    }
    _tokens(request)[token_id] = record
    return json_response(record, 201)


def _token(request: Request) -> dict[str, Any]:
    token_id = str(request.path_params["tokenId"]).lower()
    return found(_tokens(request), token_id, "Access token not found.")


async def update_token(request: Request) -> Response:
    """``PATCH /access-tokens/{tokenId}``: label and/or expiresAt; 404 when unknown."""
    body = await json_body(request)
    record = _token(request)
    if "label" not in body and "expiresAt" not in body:
        raise BadRequest("Give label and/or expiresAt.")
    if "label" in body:
        record["label"] = _label(body["label"])
    if "expiresAt" in body:
        record["expiresAt"] = _expiry(body["expiresAt"], None)
    return json_response(record)


async def revoke_token(request: Request) -> Response:
    record = _token(request)
    del _tokens(request)[record["id"]]
    return json_response({"deleted": True})


def licensing_routes() -> list[BaseRoute]:
    """Routes relative to ``/licenses/v1``."""
    return [
        Route("/licenses", get_licenses, methods=["GET"]),
        Route("/licenses/firewalls", list_firewalls, methods=["GET"]),
    ]


def account_routes() -> list[BaseRoute]:
    """Routes relative to ``/accounts/v1``."""
    return crud_routes(
        "/access-tokens",
        "tokenId",
        list=list_tokens,
        add=create_token,
        update=update_token,
        delete=revoke_token,
    )
