"""Endpoint API v1 policies (``/endpoint/v1/policies``), stateful.

Each tenant starts with the base policy of every known type plus one custom threat-protection
policy ("Developers"). A policy's settings live in the policy itself, so a change through
``PATCH /policies/{id}`` shows in ``GET .../settings`` and the other way round. Resetting puts
a setting back to its recommended value. The setting keys and values per type are INFERRED from
the collection's samples (``endpoint.malware.enabled``, scheduled scans, disk encryption...).
"""

from __future__ import annotations

import copy
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from pysophoscentralapi._families.policies import APPLIES_TO_KEYS, POLICIES
from pysophoscentralapi.emulator import _collections as shared
from pysophoscentralapi.emulator import _http as http
from pysophoscentralapi.emulator._data import iso
from pysophoscentralapi.emulator._endpoint_api import _principal
from pysophoscentralapi.emulator._state import TenantState
from pysophoscentralapi.models.policies import KNOWN_POLICY_TYPES

# type -> {key: (kind, recommended value, extra fields)}
_CATALOGUE: dict[str, dict[str, tuple[str, Any, dict[str, Any]]]] = {
    "threat-protection": {
        "endpoint.malware.enabled": ("boolean", True, {}),
        "endpoint.pua.enabled": ("boolean", True, {}),
        "endpoint.scans.scheduled.enabled": ("boolean", False, {}),
        "endpoint.scans.scheduled.days": ("array", ["monday", "wednesday", "friday"],
                                          {"format": "string"}),
        "endpoint.scans.scheduled.hour": ("string", "21:00", {}),
    },
    "peripheral-control": {
        "endpoint.peripheral-control.enabled": ("boolean", False, {}),
        "endpoint.peripheral-control.removable-storage": ("string", "allow", {}),
    },
    "application-control": {
        "endpoint.application-control.enabled": ("boolean", False, {}),
        "endpoint.application-control.detect-controlled-apps": ("boolean", True, {}),
    },
    "web-control": {
        "endpoint.web-control.enabled": ("boolean", True, {}),
        "endpoint.web-control.log-visits": ("boolean", False, {}),
    },
    "device-encryption": {
        "endpoint.device-encryption.encrypt-non-boot-volumes": ("boolean", True, {}),
        "endpoint.device-encryption.require-startup-authentication": ("boolean", False, {}),
        "endpoint.disk-encryption.key-expiration": ("integer", 48, {"unit": "hours"}),
    },
}  # fmt: skip
_KINDS = {"boolean": bool, "string": str, "integer": int, "array": list}


def _defaults(policy_type: str) -> dict[str, dict[str, Any]]:
    return {
        key: {"value": copy.deepcopy(value), "recommendedValue": copy.deepcopy(value), **extra}
        for key, (_, value, extra) in _CATALOGUE.get(policy_type, {}).items()
    }


def _policy(tenant: TenantState, policy_type: str, name: str, **fields: Any) -> shared.Item:
    created = iso(tenant.endpoints.factory.anchor - 90 * 86400)
    admin = {"id": str(uuid.uuid5(uuid.UUID(int=tenant.rng_seed), "admin")), "type": "user",
             "name": "Security Admin", "accountType": "tenant", "accountId": tenant.id}  # fmt: skip
    return {
        "id": fields.pop("id", None) or shared.new_id(),
        "name": name,
        "type": policy_type,
        "lockedByManagingAccount": False,
        "priority": 0,
        "tenant": {"id": tenant.id, "name": tenant.name},
        "enabled": True,
        "settings": _defaults(policy_type),
        "appliesTo": {},
        "disableAt": None,
        "createdAt": created,
        "createdBy": admin,
        "updatedAt": created,
        "updatedBy": admin,
        **fields,
    }


def _base_id(tenant: TenantState, policy_type: str) -> str:
    return str(uuid.uuid5(uuid.UUID(int=tenant.rng_seed), f"base-policy:{policy_type}"))


def _seed(tenant: TenantState) -> list[shared.Item]:
    bases = [
        _policy(tenant, t, "Base Policy", id=_base_id(tenant, t), base=True)
        for t in KNOWN_POLICY_TYPES
    ]
    developers = _policy(
        tenant, "threat-protection", "Developers", priority=1,
        id=str(uuid.uuid5(uuid.UUID(int=tenant.rng_seed), "policy:developers")),
    )  # fmt: skip
    developers["settings"]["endpoint.pua.enabled"]["value"] = False
    return [*bases, developers]


def _present(policy: shared.Item, request: Request) -> shared.Item:
    return {k: v for k, v in policy.items() if k != "base"}


def _check_settings(policy: shared.Item, body: Any) -> dict[str, Any]:
    """The ``{key: {"value": ...}}`` changes of ``body``, checked (404 for unknown keys)."""
    if not isinstance(body, dict) or not body:
        raise http.BadRequest("Give the settings to change: {key: {value: ...}}.")
    catalogue = _CATALOGUE.get(policy["type"], {})
    for key, change in body.items():
        if key not in catalogue:
            raise http.ApiFailure(404, f"Unknown setting {key!r} for policy type {policy['type']}.")
        if not isinstance(change, dict) or "value" not in change:
            raise http.BadRequest(f"{key}: give {{'value': ...}}.")
        kind = _KINDS[catalogue[key][0]]
        value = change["value"]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise http.BadRequest(f"{key}: the value must be of type {catalogue[key][0]}.")
    return body


def _apply_settings(policy: shared.Item, body: Any) -> None:
    for key, change in _check_settings(policy, body).items():
        policy["settings"][key]["value"] = copy.deepcopy(change["value"])


def _writable(policy: shared.Item) -> shared.Item:
    if policy.get("lockedByManagingAccount"):
        raise http.ApiFailure(409, "This policy is managed at partner or enterprise level.")
    return policy


def _fields(policy: shared.Item, body: shared.Item) -> None:
    name = http.optional_str(body, "name")
    if name is not None:
        if not name.strip():
            raise http.BadRequest("name must not be empty.")
        policy["name"] = name
    if "enabled" in body:
        if not isinstance(body["enabled"], bool):
            raise http.BadRequest("enabled must be a boolean.")
        policy["enabled"] = body["enabled"]
    if "priority" in body:
        priority = body["priority"]
        if not isinstance(priority, int) or isinstance(priority, bool) or priority < 1:
            raise http.BadRequest("priority must be a positive integer.")
        if policy.get("base"):
            raise http.ApiFailure(409, "The base policy's priority cannot be changed.")
        policy["priority"] = priority
    if "disableAt" in body:
        policy["disableAt"] = body["disableAt"]
    if "appliesTo" in body:
        applies = body["appliesTo"]
        if not isinstance(applies, dict) or set(applies) - set(APPLIES_TO_KEYS):
            raise http.BadRequest(f"appliesTo takes {', '.join(APPLIES_TO_KEYS)}.")
        policy["appliesTo"] = applies
    if "settings" in body:
        _apply_settings(policy, body["settings"])


def _create(body: shared.Item, request: Request) -> shared.Item:
    tenant = shared.tenant_of(request)
    name = http.optional_str(body, "name")
    if not name or not name.strip():
        raise http.BadRequest("name is required.")
    policy_type = http.check_choice("type", body.get("type"), _CATALOGUE)
    base = _policies(tenant)[_base_id(tenant, policy_type)]
    others = [p for p in _policies(tenant).values() if p["type"] == policy_type]
    policy = _policy(tenant, policy_type, name, priority=len(others), createdAt=http.now_iso(),
                     createdBy=_principal(request).actor())  # fmt: skip
    policy["settings"] = copy.deepcopy(base["settings"])
    _fields(policy, {k: v for k, v in body.items() if k not in ("name", "type")})
    return policy


def _stamp(policy: shared.Item, request: Request) -> None:
    policy["updatedAt"] = http.now_iso()
    policy["updatedBy"] = _principal(request).actor()


def _change(policy: shared.Item, body: shared.Item, request: Request) -> None:
    _fields(_writable(policy), body)
    _stamp(policy, request)


_RULES = shared.Rules(
    store="policies",
    not_found="Policy not found.",
    seed=_seed,
    create=_create,
    change=_change,
    present=_present,
)


def _policies(tenant: TenantState) -> dict[str, shared.Item]:
    return shared.items_of(tenant, _RULES)


def _find(request: Request) -> shared.Item:
    tenant = shared.tenant_of(request)
    params = request.path_params
    if "policy_type" in params:
        policy_type = params["policy_type"]
        if policy_type not in _CATALOGUE:
            raise http.ApiFailure(404, f"Unknown policy type {policy_type!r}.")
        return _policies(tenant)[_base_id(tenant, policy_type)]
    return shared.find_item(request, _RULES)


def _setting(policy: shared.Item, key: str) -> dict[str, Any]:
    setting: dict[str, Any] | None = policy["settings"].get(key)
    if setting is None:
        raise http.ApiFailure(404, f"Unknown setting {key!r}.")
    return setting


async def get_policy(request: Request) -> Response:
    return http.json_response(_present(_find(request), request))


async def patch_policy(request: Request) -> Response:
    policy = _writable(_find(request))
    _fields(policy, await http.json_body(request))
    _stamp(policy, request)
    return http.json_response(_present(policy, request))


async def delete_policy(request: Request) -> Response:
    policies = _policies(shared.tenant_of(request))
    policy = policies.get(request.path_params["item_id"])
    if policy is not None:
        if policy.get("base"):
            raise http.ApiFailure(409, "The base policy cannot be deleted.")
        _writable(policy)
        del policies[policy["id"]]
    return http.json_response({"deleted": True})


async def get_settings(request: Request) -> Response:
    return http.json_response(_find(request)["settings"])


async def patch_settings(request: Request) -> Response:
    policy = _writable(_find(request))
    _apply_settings(policy, await http.json_body(request))
    return http.json_response(policy["settings"])


async def reset_settings(request: Request) -> Response:
    policy = _writable(_find(request))
    for setting in policy["settings"].values():
        setting["value"] = copy.deepcopy(setting["recommendedValue"])
    return http.json_response(policy["settings"])


async def get_setting(request: Request) -> Response:
    return http.json_response(_setting(_find(request), request.path_params["key"]))


async def patch_setting(request: Request) -> Response:
    policy = _writable(_find(request))
    key = request.path_params["key"]
    _setting(policy, key)
    body = await http.json_body(request)
    change = body.get(key, body) if isinstance(body, dict) else body
    _apply_settings(policy, {key: change})
    return http.json_response(policy["settings"][key])


async def reset_setting(request: Request) -> Response:
    policy = _writable(_find(request))
    setting = _setting(policy, request.path_params["key"])
    setting["value"] = copy.deepcopy(setting["recommendedValue"])
    return http.json_response(setting)


async def clone_policy(request: Request) -> Response:
    source = _find(request)
    body = await http.json_body(request)
    name = http.optional_str(body, "name")
    if not name or not name.strip():
        raise http.BadRequest("name is required.")
    tenant = shared.tenant_of(request)
    others = [p for p in _policies(tenant).values() if p["type"] == source["type"]]
    clone = {**copy.deepcopy(source), "id": shared.new_id(), "name": name, "priority": len(others),
             "lockedByManagingAccount": False}  # fmt: skip
    clone.pop("base", None)
    _policies(tenant)[clone["id"]] = clone
    return http.json_response(_present(clone, request), 201)


async def get_catalogue(request: Request) -> Response:
    policy_type = request.query_params.get("policyType", "threat-protection")
    if policy_type not in _CATALOGUE:
        raise http.BadRequest(f"Invalid value for policyType: {policy_type!r}.")
    definitions = [
        {"name": key, "description": key.rsplit(".", 1)[-1].replace("-", " "), "type": kind,
         "defaultValue": value}
        for key, (kind, value, _) in _CATALOGUE[policy_type].items()
    ]  # fmt: skip
    return http.json_response(
        {"version": "1.0.0", "schemas": {}, "items": [{"items": definitions}]}
    )


def policies_routes() -> list[BaseRoute]:
    """The policy routes, relative to ``/region/{region}/endpoint/v1``."""
    one, base = "/policies/{item_id}", "/policies/{policy_type}/base"
    routes: list[BaseRoute] = [Route("/policies/settings", get_catalogue, methods=["GET"])]
    for prefix in (base, one):
        routes += [
            Route(prefix + "/settings", get_settings, methods=["GET"]),
            Route(prefix + "/settings", patch_settings, methods=["PATCH"]),
            Route(prefix + "/settings/reset", reset_settings, methods=["POST"]),
            Route(prefix + "/settings/{key}", get_setting, methods=["GET"]),
            Route(prefix + "/settings/{key}/reset", reset_setting, methods=["POST"]),
            Route(prefix + "/clone", clone_policy, methods=["POST"]),
        ]
    return [
        *routes,
        Route(base + "/settings/{key}", patch_setting, methods=["PATCH"]),
        Route(base, get_policy, methods=["GET"]),
        Route(base, patch_policy, methods=["PATCH"]),
        Route(one, delete_policy, methods=["DELETE"]),
        *shared.collection_routes(POLICIES, _RULES),
    ]
