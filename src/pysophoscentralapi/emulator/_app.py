"""The emulator's ASGI app: URL layout, the OAuth2 token endpoint, security and the global APIs.

One port serves everything::

    POST /api/v2/oauth2/token                     Sophos ID token endpoint
    GET  /whoami/v1                                global host = the server root
    GET  /partner/v1/tenants[/{id}]                partner credentials + X-Partner-ID
    POST /partner/v1/tenants                       (create a tenant: 201)
    GET  /organization/v1/tenants[/{id}]           organization credentials + X-Organization-ID
    *    /region/{region}/endpoint/v1/...          data regions: bearer token + X-Tenant-ID
    *    /region/{region}/common/v1/...
    *    /region/{region}/account-health-check/v1/...
    *    /partner/v1/admins|roles|billing/...       partner credentials + X-Partner-ID
    *    /licenses/v1/..., /accounts/v1/...        global host, tenant in X-Tenant-ID
    GET  /region/{region}/siem/v1/events|alerts   SIEM feeds (see ._siem_api)
    *    /region/{region}/xdr-query/v1/...      (and live-discover/v1, detections/v1, cases/v1)
    *    anything else                             404 in the API's error shape (after the checks
                                                   of its host: a token, and X-Tenant-ID in regions)

Security as the real service: a missing, unknown or expired token is 401 ``notAuthorized``; a
data-region call without ``X-Tenant-ID`` is 400 (a client bug, not an auth problem); a tenant the
caller may not reach, or the right tenant at another region's prefix, is 403.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route, Router
from starlette.types import ASGIApp, Receive, Scope, Send

from pysophoscentralapi._regions import KNOWN_REGIONS
from pysophoscentralapi.emulator._cases_api import cases_routes
from pysophoscentralapi.emulator._common import common_routes
from pysophoscentralapi.emulator._common_state import check_email
from pysophoscentralapi.emulator._data import GEOGRAPHY_REGIONS
from pysophoscentralapi.emulator._detections_api import detections_routes
from pysophoscentralapi.emulator._endpoint_api import endpoint_routes
from pysophoscentralapi.emulator._endpoint_groups_api import endpoint_groups_routes
from pysophoscentralapi.emulator._endpoint_protection_api import endpoint_protection_routes
from pysophoscentralapi.emulator._endpoint_requests_api import endpoint_requests_routes
from pysophoscentralapi.emulator._endpoint_settings_api import endpoint_settings_routes
from pysophoscentralapi.emulator._faults import send_fault
from pysophoscentralapi.emulator._health_api import health_routes
from pysophoscentralapi.emulator._http import (
    ApiFailure,
    BadRequest,
    api_error,
    check_choice,
    json_body,
    json_response,
    number_page,
    optional_str,
    required_text,
)
from pysophoscentralapi.emulator._licensing_api import account_routes, licensing_routes
from pysophoscentralapi.emulator._migrations_api import migrations_routes
from pysophoscentralapi.emulator._partner_api import partner_routes
from pysophoscentralapi.emulator._policies_api import policies_routes
from pysophoscentralapi.emulator._query_api import live_discover_routes, xdr_routes
from pysophoscentralapi.emulator._siem_api import siem_routes
from pysophoscentralapi.emulator._software_api import software_routes
from pysophoscentralapi.emulator._state import (
    DEMO_CREDENTIALS,
    EmulatorConfig,
    EmulatorState,
    Principal,
    RequestRecord,
    TenantState,
    emulator_of,
)

TOKEN_PATH = "/api/v2/oauth2/token"  # noqa: S105 - a URL path, not a secret


def _base_url(request: Request) -> str:
    """This server's root as the caller reached it, e.g. ``http://127.0.0.1:8080``."""
    return str(request.url.replace(path="", query="", fragment="")).rstrip("/")


def _bearer(authorization: str | None) -> str | None:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None


def authenticate(request: Request) -> Principal:
    """The caller behind the request's bearer token; 401 when missing, unknown or expired."""
    token = _bearer(request.headers.get("authorization"))
    principal = emulator_of(request).principal_for_token(token) if token else None
    if principal is None:
        raise ApiFailure(401)
    return principal


# --- OAuth2 token endpoint -----------------------------------------------------------------------


def _token_error(status: int, code: str) -> Response:
    message = "Unauthorized" if status == 401 else "Bad Request"
    return json_response(
        {"errorCode": code, "message": message, "trackingId": str(uuid.uuid4())}, status
    )


async def token(request: Request) -> Response:
    """``client_credentials`` (form-encoded, as documented) and ``refresh_token`` grants."""
    raw = await request.body()
    fields: dict[str, Any]
    if "json" in request.headers.get("content-type", ""):
        try:
            fields = json.loads(raw or b"{}")
        except ValueError:
            return _token_error(400, "oauth.invalid_request")
        if not isinstance(fields, dict):
            return _token_error(400, "oauth.invalid_request")
    else:
        fields = dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))
    grant = fields.get("grant_type")
    client_id, client_secret = fields.get("client_id"), fields.get("client_secret")
    if grant not in ("client_credentials", "refresh_token"):
        return _token_error(400, "oauth.unsupported_grant_type")
    if not isinstance(client_id, str) or not isinstance(client_secret, str):
        return _token_error(400, "oauth.invalid_request")
    if not client_id or not client_secret:
        return _token_error(400, "oauth.invalid_request")
    state = emulator_of(request)
    kind = state.credential_kind(client_id)
    if kind is None:
        return _token_error(401, "oauth.invalid_client_id")
    if not secrets.compare_digest(client_secret, DEMO_CREDENTIALS[kind].client_secret):
        return _token_error(401, "oauth.invalid_client_secret")
    if (
        grant == "refresh_token"
        and state.refresh_kind(str(fields.get("refresh_token", ""))) != kind
    ):
        return _token_error(401, "oauth.invalid_refresh_token")
    record, refresh = state.issue_token(kind)
    return json_response(
        {
            "access_token": record.token,
            "errorCode": "success",
            "expires_in": int(state.token_ttl),
            "message": "OK",
            "refresh_token": refresh,
            "token_type": "bearer",
            "trackingId": str(uuid.uuid4()),
        }
    )


# --- global APIs ---------------------------------------------------------------------------------


async def whoami(request: Request) -> Response:
    principal = authenticate(request)
    base = _base_url(request)
    hosts = {"global": base}
    if principal.kind == "tenant":
        tenant = emulator_of(request).tenant(principal.id)
        host = tenant.api_host(base) if tenant else None
        if host:
            hosts["dataRegion"] = host
    return json_response({"id": principal.id, "idType": principal.kind, "apiHosts": hosts})


def _visible_tenants(request: Request) -> list[TenantState]:
    principal: Principal = request.state.principal
    owner = "partner_id" if principal.kind == "partner" else "organization_id"
    return [t for t in emulator_of(request).tenants if getattr(t, owner) == principal.id]


async def list_tenants(request: Request) -> Response:
    base = _base_url(request)
    items = [tenant.as_api(base) for tenant in _visible_tenants(request)]
    return json_response(number_page(request, items, max_size=100))


async def get_tenant(request: Request) -> Response:
    wanted = str(request.path_params["tenant_id"]).lower()
    for tenant in _visible_tenants(request):
        if tenant.id == wanted:
            return json_response(tenant.as_api(_base_url(request)))
    raise ApiFailure(404, "Tenant not found.")


#: ``billingType`` of a new tenant: the collection's create examples (latest and 2025, whose
#: samples are drawn from the enum) only ever send ``trial``, while tenant responses show
#: ``term``/``trial``/``usage``: partners create trial tenants (API_NOTES §9).
CREATE_BILLING_TYPES = ("trial",)


def _tenant_contact(body: dict[str, Any]) -> dict[str, Any]:
    """The ``contact`` of a create-tenant body, validated (API_NOTES §9)."""
    contact = body.get("contact")
    if not isinstance(contact, dict):
        raise BadRequest("contact is required and must be an object.")
    result: dict[str, Any] = {
        key: required_text(contact, key, "contact.")
        for key in ("firstName", "lastName", "email", "phone")
    }
    check_email(result["email"], "contact.email")
    for key in ("mobile", "fax"):
        value = optional_str(contact, key, "contact.")
        if value is not None:
            result[key] = value
    address = contact.get("address")
    if not isinstance(address, dict):
        raise BadRequest("contact.address is required and must be an object.")
    where = "contact.address."
    result["address"] = {
        key: required_text(address, key, where)
        for key in ("address1", "city", "countryCode", "postalCode")
    }
    for key in ("address2", "address3", "state"):
        value = optional_str(address, key, where)
        if value is not None:
            result["address"][key] = value
    return result


async def create_tenant(request: Request) -> Response:
    """``POST /partner/v1/tenants``: 201 with the new tenant, which then shows in the lists."""
    body = await json_body(request)
    name = required_text(body, "name")
    show_as = optional_str(body, "showAs")
    geography = check_choice("dataGeography", body.get("dataGeography"), GEOGRAPHY_REGIONS)
    billing = check_choice("billingType", body.get("billingType"), CREATE_BILLING_TYPES)
    contact = _tenant_contact(body)
    tenant = emulator_of(request).create_tenant(
        name=name,
        data_geography=geography,
        billing_type=billing,
        show_as=show_as or None,
        contact=contact,
    )
    return json_response(tenant.as_api(_base_url(request)), 201)


def _tenant_routes(*, partner: bool = False) -> list[BaseRoute]:
    routes: list[BaseRoute] = [
        Route("/tenants", list_tenants, methods=["GET"]),
        Route("/tenants/{tenant_id}", get_tenant, methods=["GET"]),
    ]
    if partner:
        routes.insert(1, Route("/tenants", create_tenant, methods=["POST"]))
    return routes


# --- access checks -------------------------------------------------------------------------------

AccessCheck = Callable[[Request], tuple[Principal, TenantState | None]]


class Guard:
    """Runs ``check`` before the wrapped routes; puts caller (and tenant) in ``request.state``."""

    def __init__(self, app: ASGIApp, check: AccessCheck) -> None:
        self.app = app
        self.check = check

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        try:
            principal, tenant = self.check(request)
        except BadRequest as exc:
            await api_error(400, exc.message)(scope, receive, send)
            return
        except ApiFailure as exc:
            await api_error(exc.status, exc.message)(scope, receive, send)
            return
        request.state.principal = principal
        if tenant is not None:
            request.state.tenant = tenant
        await self.app(scope, receive, send)


def _reachable_tenant(request: Request, principal: Principal, tenant_id: str) -> TenantState:
    """The tenant in ``X-Tenant-ID`` if the caller may reach its data; 403 otherwise."""
    tenant = emulator_of(request).tenant(tenant_id)
    if principal.kind == "tenant":
        if tenant is None or tenant.id != principal.id:
            raise ApiFailure(403, "X-Tenant-ID does not match the credential's tenant.")
    else:
        owner = tenant.partner_id if principal.kind == "partner" and tenant else None
        if principal.kind == "organization" and tenant:
            owner = tenant.organization_id
        if tenant is None or owner != principal.id:
            raise ApiFailure(403, "The credential has no access to this tenant.")
        if not tenant.partner_access:
            raise ApiFailure(
                403, f"{principal.kind.capitalize()} access to this tenant is not allowed."
            )
    if tenant.region is None or tenant.status != "active":
        raise ApiFailure(403, "The tenant is not active.")
    return tenant


def data_region_access(request: Request) -> tuple[Principal, TenantState | None]:
    """Who may call ``/region/{region}/...`` for the tenant in ``X-Tenant-ID``."""
    principal = authenticate(request)
    region = request.path_params["region"]
    if region not in KNOWN_REGIONS:
        raise ApiFailure(404, f"Unknown data region {region!r}.")
    tenant_id = request.headers.get("x-tenant-id", "").strip()
    if not tenant_id:
        raise BadRequest("Missing X-Tenant-ID header.")
    tenant = _reachable_tenant(request, principal, tenant_id)
    if tenant.region != region:
        raise ApiFailure(403, "The tenant is not in this data region; use its apiHost.")
    return principal, tenant


def global_tenant_access(*, partner_allowed: bool = False) -> AccessCheck:
    """Tenant APIs of the global host (licensing, accounts): the tenant in ``X-Tenant-ID``.

    With ``partner_allowed`` a partner credential may instead send ``X-Partner-ID`` (its own id)
    to act on all its tenants (``GET /licenses/v1/licenses/firewalls``).
    """

    def check(request: Request) -> tuple[Principal, TenantState | None]:
        principal = authenticate(request)
        tenant_id = request.headers.get("x-tenant-id", "").strip()
        if tenant_id:
            return principal, _reachable_tenant(request, principal, tenant_id)
        partner = request.headers.get("x-partner-id", "").strip()
        if partner_allowed and partner and principal.kind == "partner":
            if partner.lower() != principal.id:
                raise ApiFailure(403, "X-Partner-ID does not match the credential.")
            return principal, None
        raise BadRequest("Missing X-Tenant-ID header.")

    return check


def _global_tenant_guard(routes: list[BaseRoute]) -> ASGIApp:
    """Each route behind :func:`global_tenant_access` (firewalls also take ``X-Partner-ID``)."""
    guarded: list[BaseRoute] = []
    for route in routes:
        assert isinstance(route, Route)
        check = global_tenant_access(partner_allowed=route.path.endswith("/firewalls"))
        guarded.append(
            Route(route.path, Guard(route.app, check), methods=sorted(route.methods or ()))
        )
    return Router(guarded)


def global_access(kind: str, header: str) -> AccessCheck:
    """``/partner/v1``, ``/organization/v1``: ``kind`` credentials, named in ``header``."""

    def check(request: Request) -> tuple[Principal, TenantState | None]:
        principal = authenticate(request)
        if principal.kind != kind:
            raise ApiFailure(403, f"This API needs {kind} credentials.")
        value = request.headers.get(header, "").strip()
        if not value:
            raise BadRequest(f"Missing {header} header.")
        if value.lower() != principal.id:
            raise ApiFailure(403, f"{header} does not match the credential.")
        return principal, None

    return check


# --- the app -------------------------------------------------------------------------------------


async def _api_failure(request: Request, exc: Exception) -> Response:
    if isinstance(exc, BadRequest):
        return api_error(400, exc.message)
    if isinstance(exc, ApiFailure):
        return api_error(exc.status, exc.message)
    if isinstance(exc, HTTPException):
        return api_error(exc.status_code)
    return api_error(500)  # a bug in the emulator; uvicorn still logs the traceback


class EmulatorApp(Starlette):
    """The Starlette app, wrapped by the fault layer: request log, latency, rate limit, faults.

    The fault layer sits outside Starlette's own middleware so it gets the server's ``send``
    (needed to drop a connection, see :func:`~._faults.drop_connection`).
    """

    def __init__(self, emulator: EmulatorState, routes: list[BaseRoute]) -> None:
        super().__init__(
            routes=routes,
            exception_handlers={
                BadRequest: _api_failure,
                ApiFailure: _api_failure,
                HTTPException: _api_failure,
                Exception: _api_failure,
            },
        )
        self.emulator = emulator
        self.state.emulator = emulator

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        emulator = self.emulator
        faults = emulator.faults
        method, path = scope["method"], scope["path"]
        headers = dict(scope["headers"])
        token = _bearer(headers.get(b"authorization", b"").decode("latin-1"))
        principal = emulator.principal_for_token(token) if token else None
        record = RequestRecord(
            method,
            path,
            scope.get("query_string", b"").decode("latin-1"),
            client_id=principal.client_id if principal else None,
        )
        emulator.requests.append(record)

        async def send_logged(message: Any) -> None:
            if message["type"] == "http.response.start":
                record.status = message["status"]
            await send(message)

        if faults.latency_ms > 0:
            await asyncio.sleep(faults.latency_ms / 1000)
        token_request = path == TOKEN_PATH
        if not token_request:
            wait = faults.retry_after(record.client_id or "anonymous")
            if wait is not None:
                record.fault = "rate_limit"
                await api_error(429, headers={"Retry-After": str(wait)})(
                    scope, receive, send_logged
                )
                return
        fault = faults.pick(method, path, token_request=token_request, query=record.query)
        if fault is None:
            await super().__call__(scope, receive, send_logged)
            return
        record.fault = fault.kind
        if fault.after_apply:

            async def discard(message: Any) -> None:
                return None

            await super().__call__(scope, receive, discard)
        record.status = await send_fault(fault.kind, scope, receive, send)


def create_app(config: EmulatorConfig | None = None) -> EmulatorApp:
    """The emulator as an ASGI app (a :class:`starlette.applications.Starlette`).

    Its state is ``app.emulator`` (an :class:`~._state.EmulatorState`). Example::

        import uvicorn
        uvicorn.run(create_app(EmulatorConfig(endpoints=1000)), port=8080)
    """
    emulator = EmulatorState(config)
    region = "/region/{region}"
    routes: list[BaseRoute] = [
        Route(TOKEN_PATH, token, methods=["POST"]),
        Route("/whoami/v1", whoami, methods=["GET"]),
        Mount(
            "/partner/v1",
            app=Guard(
                Router([*_tenant_routes(partner=True), *partner_routes()]),
                global_access("partner", "X-Partner-ID"),
            ),
        ),
        Mount(
            "/organization/v1",
            app=Guard(Router(_tenant_routes()), global_access("organization", "X-Organization-ID")),
        ),
        Mount(
            f"{region}/endpoint/v1",
            app=Guard(
                Router(
                    [
                        *endpoint_routes(),
                        *endpoint_settings_routes(),
                        *endpoint_groups_routes(),
                        *policies_routes(),
                        *endpoint_protection_routes(),
                        *endpoint_requests_routes(),
                        *migrations_routes(),
                        *software_routes(),
                    ]
                ),
                data_region_access,
            ),
        ),
        Mount(f"{region}/common/v1", app=Guard(Router(common_routes()), data_region_access)),
        Mount(
            f"{region}/account-health-check/v1",
            app=Guard(Router(health_routes()), data_region_access),
        ),
        Mount("/licenses/v1", app=_global_tenant_guard(licensing_routes())),
        Mount("/accounts/v1", app=_global_tenant_guard(account_routes())),
        Mount(f"{region}/siem/v1", app=Guard(Router(siem_routes()), data_region_access)),
        Mount(f"{region}/xdr-query/v1", app=Guard(Router(xdr_routes()), data_region_access)),
        Mount(
            f"{region}/live-discover/v1",
            app=Guard(Router(live_discover_routes()), data_region_access),
        ),
        Mount(
            f"{region}/detections/v1", app=Guard(Router(detections_routes()), data_region_access)
        ),
        Mount(f"{region}/cases/v1", app=Guard(Router(cases_routes()), data_region_access)),
        # Every other data-region API (firewall, email, ...): checked like the others, then the
        # API's own 404 body, so that `pysophos --emulator api ...` answers as Sophos would.
        Mount(region, app=Guard(Router([]), data_region_access)),
    ]
    return EmulatorApp(emulator, routes)
