"""Emulated Partner API beyond tenants (``/partner/v1``): admins, roles, billing usage.

Partner roles behave exactly as tenant roles (same handlers as :mod:`._common_admins`, over the
partner's own :class:`~._common_state.CommonState`): custom roles can be created, changed and
deleted, predefined ones cannot, a role still assigned cannot be deleted (409). Partner admins are
created directly (``username`` = email, no directory user); a role assignment has a ``scope``
(``self``, ``allManagedTenants``, or ``tenant`` with the id of one of the partner's tenants). Unlike tenant admins,
assigning a role adds an assignment. Removing the last Super Admin assignment is a 409.

The billing usage report of a month lists, for each active ``usage``-billed or ``term`` tenant,
one line per licensed product; months after the current one are 404 (no report yet).
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from pysophoscentralapi.emulator import _common_admins as roles_api
from pysophoscentralapi.emulator._collections import Endpoint, crud_routes
from pysophoscentralapi.emulator._common_query import (
    csv_param,
    search_items,
    select_fields,
    sorted_page,
)
from pysophoscentralapi.emulator._common_state import (
    SUPER_ADMIN_ROLE,
    CommonState,
    check_email,
)
from pysophoscentralapi.emulator._http import (
    ApiFailure,
    BadRequest,
    json_body,
    json_response,
    key_page,
)
from pysophoscentralapi.emulator._state import EmulatorState, emulator_of

MAX_PAGE_SIZE = 100
#: ``scope.type`` of an assignment ([PM25] samples).
SCOPE_TYPES = ("self", "allManagedTenants", "tenant")

#: Partner permission sets: (id, name, type, access, allowed in custom roles).
_PERMISSION_SETS = (
    ("partner_super_admin", "Partner super admin", "base", "admin", False),
    ("partner_admin", "Partner administration", "base", "admin", True),
    ("partner_read_only", "Partner read-only", "base", "readOnly", True),
    ("partner_billing", "Billing", "setting", "admin", True),
    ("partner_tenant_admin", "Tenant administration", "product", "admin", True),
    ("partner_tenant_read_only", "Tenant read-only", "product", "readOnly", True),
)  # fmt: skip
_PREDEFINED_ROLES = (
    (SUPER_ADMIN_ROLE, ("partner_super_admin",), "Full access to the partner account."),
    ("Admin", ("partner_admin", "partner_tenant_admin"), "Manages tenants and admins."),
    ("Read-only", ("partner_read_only", "partner_tenant_read_only"), "Views everything."),
    ("Billing", ("partner_billing",), "Usage reports and billing."),
)
#: A custom role the partner made (so ``partner roles list --type custom`` shows one).
_SEED_CUSTOM_ROLES = (
    ("Tenant auditors", ("partner_tenant_read_only",), "Reviews the tenants' settings."),
)
_SEED_ADMINS = (
    ("Morgan", "Reyes", (SUPER_ADMIN_ROLE,), True),
    ("Priya", "Nair", (SUPER_ADMIN_ROLE,), False),
    ("Tom", "Becker", ("Admin",), False),
    ("Lena", "Kowalski", ("Billing",), False),
)
#: Products on the usage report: (code, sku, description, group, units per endpoint).
_BILLED_PRODUCTS = (
    ("CIXA-MSP", "CIXAMSP", "Central Intercept X Advanced - MSP Monthly", "User", 1.0),
    ("CIXAS-MSP", "CIXASMSP", "Central Intercept X Advanced for Server - MSP Monthly", "Server", 1.0),
    ("MDR-MSP", "MDRCMSP", "Managed Detection and Response Complete - MSP Monthly", "User", 0.6),
)  # fmt: skip


def partner_state(emulator: EmulatorState) -> CommonState:
    """The partner's roles, permission sets and admins (seeded on first use)."""
    state: CommonState | None = emulator.store.get("partner")
    if state is None:
        state = CommonState(tenant_id=emulator.partner_id, tenant_name="Emulator Partner")
        state.rng = random.Random(f"partner:{emulator.config.seed}")
        created = "2024-03-01T09:00:00.000Z"
        for ps_id, name, ps_type, access, custom in _PERMISSION_SETS:
            state.permission_sets.append(
                {"id": ps_id, "name": name, "description": f"{name} permissions.",
                 "type": ps_type, "access": access, "principalTypes": ["user"],
                 "allowedInCustomRoles": custom, "products": ["partner"]}
            )  # fmt: skip
        seeded_roles = [(*role, "predefined") for role in _PREDEFINED_ROLES]
        seeded_roles += [(*role, "custom") for role in _SEED_CUSTOM_ROLES]
        for name, sets, description, role_type in seeded_roles:
            role_id = state.new_id()
            state.roles[role_id] = {
                "id": role_id, "name": name, "description": description, "type": role_type,
                "principalType": "user", "permissionSets": list(sets),
                "createdAt": created, "updatedAt": created,
            }  # fmt: skip
        by_name = {r["name"]: r["id"] for r in state.roles.values()}
        for first, last, role_names, primary in _SEED_ADMINS:
            admin_id = state.new_id()
            state.admins[admin_id] = {
                "id": admin_id,
                "username": f"{first.lower()}.{last.lower()}@msp.example.com",
                "profile": {"name": f"{first} {last}", "firstName": first, "lastName": last},
                "active": True,
                "primary": primary,
                "roleAssignments": [
                    {
                        "id": state.new_id(),
                        "roleId": by_name[n],
                        "scope": {"type": "self", "id": emulator.partner_id},
                    }
                    for n in role_names
                ],
            }
        emulator.store["partner"] = state
    return state


def _over_partner_state(handler: Endpoint) -> Endpoint:
    """A shared role handler of :mod:`._common_admins`, run over the partner's state."""

    async def endpoint(request: Request) -> Response:
        request.state.role_state = partner_state(emulator_of(request))
        return await handler(request)

    return endpoint


def _check_scope(request: Request, value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict) or value.get("type") not in SCOPE_TYPES:
        raise BadRequest(f"{where}.type must be one of: {', '.join(SCOPE_TYPES)}.")
    scope: dict[str, Any] = {"type": value["type"], "id": emulator_of(request).partner_id}
    if value["type"] == "tenant":
        tenant_id = value.get("id")
        tenant = emulator_of(request).tenant(tenant_id) if isinstance(tenant_id, str) else None
        if tenant is None or tenant.partner_id != emulator_of(request).partner_id:
            raise BadRequest(f"{where}.id must be the id of one of the partner's tenants.")
        scope["id"] = tenant.id
    return scope


def _check_role(state: CommonState, role_id: Any) -> str:
    if not isinstance(role_id, str) or role_id not in state.roles:
        raise ApiFailure(404, "Can't find role.")
    return role_id


_ADMIN_SORT = {
    "username": lambda a: a["username"],
    "name": lambda a: a["profile"].get("name", ""),
    "id": lambda a: a["id"],
}
_ADMIN_SEARCH = {
    "username": lambda a: a["username"],
    "name": lambda a: a["profile"].get("name", ""),
}


async def list_admins(request: Request) -> Response:
    """``GET /admins``: ``search``, ``email``, ``roleId``, ``withAccessToTenant``, ``sort``."""
    state = partner_state(emulator_of(request))
    items = [dict(a) for a in state.admins.values()]
    query = request.query_params
    if query.get("email"):
        items = [a for a in items if a["username"].lower() == query["email"].lower()]
    if query.get("roleId"):
        items = [
            a for a in items if any(r["roleId"] == query["roleId"] for r in a["roleAssignments"])
        ]
    if query.get("withAccessToTenant"):
        wanted = query["withAccessToTenant"].lower()
        items = [
            a for a in items
            if any(r["scope"]["type"] != "tenant" or r["scope"].get("id") == wanted
                   for r in a["roleAssignments"])
        ]  # fmt: skip
    items = search_items(items, query.get("search"), None, _ADMIN_SEARCH, ["username", "name"])
    return sorted_page(request, items, _ADMIN_SORT, ["username:asc"], max_size=MAX_PAGE_SIZE)


async def create_admin(request: Request) -> Response:
    """``POST /admins``: 201; 400 for a bad body; 409 when the username is taken."""
    state = partner_state(emulator_of(request))
    body = await json_body(request)
    username = check_email(body.get("username"), "username")
    profile = body.get("profile") or {}
    if not isinstance(profile, dict) or not all(isinstance(v, str) for v in profile.values()):
        raise BadRequest("profile must be an object of strings.")
    assignments = body.get("roleAssignments")
    if not isinstance(assignments, list) or not assignments:
        raise BadRequest("roleAssignments must be a non-empty list.")
    made = []
    for n, item in enumerate(assignments):
        if not isinstance(item, dict):
            raise BadRequest(f"roleAssignments[{n}] must be an object.")
        made.append(
            {
                "id": state.new_id(),
                "roleId": _check_role(state, item.get("roleId")),
                "scope": _check_scope(
                    request, item.get("scope", {"type": "self"}), f"roleAssignments[{n}].scope"
                ),
            }
        )
    if any(a["username"].lower() == username.lower() for a in state.admins.values()):
        raise ApiFailure(409, "An admin with this username already exists.")
    admin_id = state.new_id()
    name = profile.get("name") or " ".join(
        p for p in (profile.get("firstName"), profile.get("lastName")) if p
    )
    state.admins[admin_id] = {
        "id": admin_id,
        "username": username,
        "profile": {**profile, **({"name": name} if name else {})},
        "active": True,
        "primary": False,
        "roleAssignments": made,
    }
    return json_response(state.admins[admin_id], 201)


async def get_admin(request: Request) -> Response:
    state = partner_state(emulator_of(request))
    return json_response(state.admin(request.path_params["adminId"]))


async def assign_role(request: Request) -> Response:
    """``POST /admins/{adminId}/role-assignments``: adds an assignment; 201."""
    state = partner_state(emulator_of(request))
    admin = state.admin(request.path_params["adminId"])
    body = await json_body(request)
    role_id = _check_role(state, body.get("roleId"))
    scope = _check_scope(request, body.get("scope", {"type": "self"}), "scope")
    for existing in admin["roleAssignments"]:
        if existing["roleId"] == role_id and existing["scope"] == scope:
            raise BadRequest("The admin already holds this role in this scope.")
    assignment = {"id": state.new_id(), "roleId": role_id, "scope": scope}
    admin["roleAssignments"].append(assignment)
    return json_response(dict(assignment), 201)


def _month(request: Request) -> tuple[int, int]:
    try:
        year, month = int(request.path_params["year"]), int(request.path_params["month"])
    except ValueError:
        raise BadRequest("year and month must be numbers.") from None
    if not 2000 <= year <= 9999 or not 1 <= month <= 12:
        raise BadRequest("year must have four digits and month be 1 to 12.")
    now = datetime.now(UTC)
    if (year, month) > (now.year, now.month):
        raise ApiFailure(404, "No usage report for this month yet.")
    return year, month


def usage_lines(emulator: EmulatorState, year: int, month: int) -> list[dict[str, Any]]:
    """Every line of the partner's usage report for a month (deterministic)."""
    start = date(year, month, 1)
    end = date(year + (month == 12), month % 12 + 1, 1)
    last = date.fromordinal(end.toordinal() - 1)
    lines = []
    for tenant in emulator.tenants:
        if tenant.partner_id != emulator.partner_id or tenant.billing_type == "trial":
            continue
        if tenant.status != "active":
            continue
        rng = random.Random(f"usage:{tenant.rng_seed}:{year}-{month}")
        endpoints = len(tenant.endpoints)
        for n, (code, sku, description, group, ratio) in enumerate(_BILLED_PRODUCTS):
            if n == 2 and rng.random() < 0.5:
                continue
            actual = max(1, round(endpoints * ratio * rng.uniform(0.85, 1.0)))
            lines.append(
                {
                    "partnerAccountId": emulator.partner_id,
                    "partnerEdiAccountNumber": "1231231",
                    "partnerAccountName": "Emulator Partner",
                    "billingStartDate": start.isoformat(),
                    "billingEndDate": last.isoformat(),
                    "orderNumber": f"ORD-{year}{month:02d}-{tenant.short_name}",
                    "orderLineItemNumber": f"ORD-{year}{month:02d}-{tenant.short_name}-{n + 1}",
                    "accountNumberOrSerialNumber": f"C{rng.getrandbits(40):010X}",
                    "productDescription": description,
                    "productGroup": group,
                    "sku": sku,
                    "billableQuantity": max(actual, 5),
                    "externalId": str(
                        uuid.uuid5(uuid.UUID(int=tenant.rng_seed), f"{year}-{month}-{n}")
                    ),
                    "accountId": tenant.id,
                    "accountStatus": tenant.status,
                    "actualQuantity": actual,
                    "productCode": code,
                }
            )
    return lines


async def billing_usage(request: Request) -> Response:
    """``GET /billing/usage/{year}/{month}``: key paging, ``accountId``/``contactEmail`` filters."""
    emulator = emulator_of(request)
    year, month = _month(request)
    lines = usage_lines(emulator, year, month)
    account = request.query_params.get("accountId")
    if account:
        lines = [line for line in lines if line["accountId"] == account.lower()]
    email = request.query_params.get("contactEmail")
    if email:
        tenants = {
            t.id for t in emulator.tenants
            if t.contact and str(t.contact.get("email", "")).lower() == email.lower()
        }  # fmt: skip
        lines = [line for line in lines if line["accountId"] in tenants]
    fields = csv_param(request, "fields")
    page = key_page(
        request,
        lambda start: (
            (i, select_fields(line, fields)) for i, line in enumerate(lines) if i >= start
        ),
        salt=f"usage:{year}-{month}",
        max_size=MAX_PAGE_SIZE,
        count=lambda: len(lines),
    )
    return json_response({"items": page.items, "pages": page.pages})


def partner_routes() -> list[BaseRoute]:
    """Routes relative to ``/partner/v1`` (besides the tenants routes of the core app)."""
    return [
        *crud_routes("/admins", "adminId", list=list_admins, add=create_admin, get=get_admin),
        *roles_api.assignment_routes(assign_role, over=_over_partner_state),
        *roles_api.role_routes(over=_over_partner_state),
        Route("/billing/usage/{year}/{month}", billing_usage, methods=["GET"]),
    ]
