"""Emulated Account Health Check API (``/region/{region}/account-health-check/v1``).

Scores are computed from the tenant's own data every time they are asked for, so they differ per
tenant and follow changes made through the other APIs:

- ``protection``: endpoints whose health is not ``good`` are "not fully protected";
- ``tamperProtection``: endpoints that support tamper protection but have it off (turning it on
  through the Endpoint API raises the score), and the tenant's global setting;
- ``exclusions.global``: the tenant's scanning exclusions judged by the rules below (adding
  ``C:\\`` through the settings API lowers the score); ``exclusions.policy``: seeded per tenant;
- ``policy``: threat-protection policies, seeded per tenant, some not on recommended settings.

A score is ``round(100 * good / total)`` (100 for an empty tenant). ``POST /snooze`` marks areas
snoozed for 30 days; the health check then shows them snoozed with the detail.
"""

from __future__ import annotations

import random
import re
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from pysophoscentralapi.emulator._data import iso
from pysophoscentralapi.emulator._endpoint_settings_api import _items
from pysophoscentralapi.emulator._http import BadRequest, json_body, json_response, parse_csv_enum
from pysophoscentralapi.emulator._state import TenantState, tenant_of

CHECKS = ("protection", "policy", "exclusions", "tamperProtection")
PRODUCTS = ("endpoint", "networkDevice")
SNOOZE_DAYS = 30
#: Longest ``scores/historical`` range served (the collection gives none; a year is plenty).
MAX_HISTORY_DAYS = 366
KINDS = ("computer", "server")
POLICY_TYPES = {"computer": "threat-protection", "server": "server-threat-protection"}

_DRIVE = re.compile(r"^([A-Za-z]:)?[\\/]?$")
_SYSTEM_TOOLS = ("powershell.exe", "cmd.exe", "wscript.exe", "cscript.exe", "mshta.exe")


def exclusion_risk(value: str, exclusion_type: str) -> str | None:
    """The health check's ``reasonCode`` for a risky scanning exclusion, ``None`` if it is fine."""
    text = value.strip().lower()
    if exclusion_type in ("path", "posixPath") and _DRIVE.match(text):
        return "entireDrive"
    if "%" in text:
        return "usesWindowsPathVariables"
    if text.endswith("*.exe") or text in ("*.exe", ".exe"):
        return "allFilesWithExecutableExtension"
    if "\\sysnative\\" in text or "\\syswow64\\" in text:
        return "usesWindowsSystemDirectoriesViaSyspath"
    if exclusion_type == "process" and text.rsplit("\\", 1)[-1] in _SYSTEM_TOOLS:
        return "windowsSystemTools"
    if text.startswith("c:\\windows\\system32"):
        return "windowsSystemDirectories"
    if text.startswith("c:\\windows"):
        return "windowsDirectories"
    return None


def _score(good: int, total: int) -> int:
    return 100 if total <= 0 else round(100 * good / total)


def _seeded(tenant: TenantState) -> dict[str, Any]:
    """Per-tenant policies and policy exclusions (seeded on first use, then kept)."""
    seeded: dict[str, Any] | None = tenant.store.get("health.seed")
    if seeded is not None:
        return seeded
    rng = random.Random(f"health:{tenant.rng_seed}")
    ns = uuid.UUID(int=tenant.rng_seed)
    # How well the tenant is looked after: decides how many policies drift and exclusions sprawl.
    drift, sprawl = rng.choice(((0.1, (0, 0)), (0.45, (0, 2)), (0.85, (2, 5))))
    policies: dict[str, list[dict[str, Any]]] = {}
    exclusions: dict[str, list[dict[str, Any]]] = {}
    risky_values = [
        ("C:\\", "path"),
        ("%TEMP%\\tools\\", "path"),
        ("*.exe", "path"),
        ("C:\\Windows\\System32\\", "path"),
        ("C:\\Windows\\Temp\\", "path"),
        ("C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", "process"),
    ]
    for kind in KINDS:
        names = ["Base policy", *rng.sample(["Finance", "Developers", "Kiosks", "Legacy"], 2)]
        if kind == "server":
            names = ["Base policy", rng.choice(["SQL servers", "File servers", "Web servers"])]
        rows = []
        for n, name in enumerate(names):
            rows.append(
                {
                    "id": str(uuid.uuid5(ns, f"policy:{kind}:{n}")),
                    "name": f"{name} ({kind})" if n == 0 else name,
                    "notOnRecommended": rng.randint(1, 4) if rng.random() < drift else 0,
                    "lockedByManagingAccount": n == 0 and rng.random() < 0.3,
                }
            )
        policies[kind] = rows
        risky = rng.sample(risky_values, rng.randint(*sprawl))
        exclusions[kind] = [
            {
                "policyId": rows[0]["id"],
                "policyName": rows[0]["name"],
                "lockedByManagingAccount": rows[0]["lockedByManagingAccount"],
                "scanningExclusions": [
                    {
                        "value": value,
                        "type": kind_of,
                        "scanMode": "onAccess" if kind_of == "process" else "onDemandAndOnAccess",
                        "reasonCode": exclusion_risk(value, kind_of),
                    }
                    for value, kind_of in risky
                ],
            }
        ]
    seeded = {"policies": policies, "exclusions": exclusions}
    tenant.store["health.seed"] = seeded
    return seeded


def _snoozes(tenant: TenantState) -> dict[str, dict[str, Any]]:
    snoozes: dict[str, dict[str, Any]] = tenant.store.setdefault("health.snooze", {})
    return snoozes


def _with_snooze(tenant: TenantState, area: str, body: dict[str, Any]) -> dict[str, Any]:
    detail = _snoozes(tenant).get(area)
    expired = detail is not None and detail["_expiresAt"] <= time.time()
    body["snoozed"] = detail is not None and not expired
    if detail is not None:
        body["snoozeDetail"] = {k: v for k, v in detail.items() if not k.startswith("_")}
        body["snoozeDetail"]["expired"] = expired
    return body


def _counts(tenant: TenantState) -> dict[str, dict[str, int]]:
    counts = {kind: {"total": 0, "unhealthy": 0, "tamperOff": 0} for kind in KINDS}
    for _, endpoint in tenant.endpoints.rows():
        row = counts[endpoint["type"]] if endpoint["type"] in counts else counts["computer"]
        row["total"] += 1
        if endpoint["health"]["overall"] != "good":
            row["unhealthy"] += 1
        # Only where it can be on: an endpoint that does not support it is not held against you.
        if endpoint.get("tamperProtectionSupported") and not endpoint.get(
            "tamperProtectionEnabled"
        ):
            row["tamperOff"] += 1
    return counts


def health_check(tenant: TenantState, checks: list[str] | None = None) -> dict[str, Any]:
    """The ``endpoint`` part of a health check of ``tenant`` (all areas unless ``checks``)."""
    wanted = set(checks or CHECKS)
    counts = _counts(tenant)
    seeded = _seeded(tenant)
    endpoint: dict[str, Any] = {}

    def counted(area: str, kind: str, field: str, count_key: str) -> dict[str, Any]:
        c = counts[kind]
        body = {"total": c["total"], field: c[count_key]}
        body["score"] = _score(c["total"] - c[count_key], c["total"])
        return _with_snooze(tenant, f"{area}.{kind}", body)

    if "protection" in wanted:
        endpoint["protection"] = {
            kind: counted("protection", kind, "notFullyProtected", "unhealthy") for kind in KINDS
        }
    if "policy" in wanted:
        endpoint["policy"] = {}
        for kind in KINDS:
            rows = seeded["policies"][kind]
            off = sum(1 for p in rows if p["notOnRecommended"])
            policy_type = POLICY_TYPES[kind]
            endpoint["policy"][kind] = {
                policy_type: _with_snooze(
                    tenant,
                    f"policy.{kind}.{policy_type}",
                    {
                        "total": len(rows),
                        "notOnRecommended": off,
                        "score": _score(len(rows) - off, len(rows)),
                        "policies": [dict(p) for p in rows],
                    },
                )
            }
    if "exclusions" in wanted:
        endpoint["exclusions"] = _exclusions(tenant, seeded)
    if "tamperProtection" in wanted:
        on = tenant.global_tamper_protection
        endpoint["tamperProtection"] = {
            **{kind: counted("tamperProtection", kind, "disabled", "tamperOff") for kind in KINDS},
            "globalDetail": _with_snooze(
                tenant, "tamperProtection.global", {"enabled": on, "score": 100 if on else 0}
            ),
            "global": on,
        }
    return endpoint


def _exclusions(tenant: TenantState, seeded: dict[str, Any]) -> dict[str, Any]:
    policy: dict[str, Any] = {}
    for kind in KINDS:
        groups = [
            {**g, "scanningExclusions": [dict(e) for e in g["scanningExclusions"]]}
            for g in seeded["exclusions"][kind]
        ]
        risks = sum(len(g["scanningExclusions"]) for g in groups)
        total = risks + 4  # every policy also holds a few harmless exclusions
        body = {
            "total": total,
            "numberOfSecurityRisks": risks,
            "score": _score(total - risks, total),
            "exclusions": groups,
        }
        policy[kind] = _with_snooze(tenant, f"exclusions.{kind}", body)
    risky = []
    own = list(_items(tenant, "scanningExclusions").values())
    for item in own:
        reason = exclusion_risk(str(item.get("value", "")), str(item.get("type", "")))
        if reason:
            risky.append(
                {
                    "id": item["id"],
                    "value": item["value"],
                    "type": item["type"],
                    "scanMode": item.get("scanMode") or "onDemandAndOnAccess",
                    "reasonCode": reason,
                }
            )
    global_body = {
        "numberOfSecurityRisks": len(risky),
        "lockedByManagingAccount": False,
        "score": _score(len(own) - len(risky), len(own)),
        "scanningExclusions": risky,
    }
    return {"policy": policy, "global": _with_snooze(tenant, "exclusions.global", global_body)}


async def get_health_check(request: Request) -> Response:
    """``GET /health-check`` with the ``checks`` and ``products`` filters."""
    tenant = tenant_of(request)
    checks = parse_csv_enum(request, "checks", CHECKS)
    products = parse_csv_enum(request, "products", PRODUCTS) or list(PRODUCTS)
    body: dict[str, Any] = {"tenant": {"id": tenant.id, "name": tenant.name}}
    if "endpoint" in products:
        body["endpoint"] = health_check(tenant, checks)
    if "networkDevice" in products:
        body["networkDevice"] = {"firewall": {}}
    return json_response(body)


def _flat_scores(endpoint: dict[str, Any]) -> dict[str, int]:
    """The ``EndpointScores`` form (``protectionComputerScore``...) of a health check."""
    return {
        "protectionComputerScore": endpoint["protection"]["computer"]["score"],
        "protectionServerScore": endpoint["protection"]["server"]["score"],
        "policyThreatProtectionComputerScore": endpoint["policy"]["computer"]["threat-protection"][
            "score"
        ],
        "policyThreatProtectionServerScore": endpoint["policy"]["server"][
            "server-threat-protection"
        ]["score"],
        "exclusionsGlobalScore": endpoint["exclusions"]["global"]["score"],
        "exclusionsComputerScore": endpoint["exclusions"]["policy"]["computer"]["score"],
        "exclusionsServerScore": endpoint["exclusions"]["policy"]["server"]["score"],
        "tamperProtectionGlobalScore": endpoint["tamperProtection"]["globalDetail"]["score"],
        "tamperProtectionComputerScore": endpoint["tamperProtection"]["computer"]["score"],
        "tamperProtectionServerScore": endpoint["tamperProtection"]["server"]["score"],
    }


async def regional_scores(request: Request) -> Response:
    """``GET /scores/regional``: average scores of organizations by size band (seeded by region)."""
    region = request.path_params["region"]
    bands = []
    for n, (low, high) in enumerate(((1, 50), (51, 500), (501, 5000), (5001, 100000))):
        rng = random.Random(f"regional:{region}:{n}")
        names = list(_flat_scores(health_check(request.state.tenant)))
        bands.append(
            {
                "lowerBound": low,
                "upperBound": high,
                "endpoint": {name: rng.randint(62, 97) for name in names},
            }
        )
    return json_response({"bands": bands})


def _day(request: Request, name: str, default: date) -> date:
    raw = request.query_params.get(name)
    if not raw:
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise BadRequest(f"Invalid {name}: {raw!r}; expected YYYY-MM-DD.") from None


async def historical_scores(request: Request) -> Response:
    """``GET /scores/historical``: one datapoint a day; older days drift from today's scores."""
    tenant = tenant_of(request)
    today = datetime.now(UTC).date()
    end = _day(request, "endDate", today)
    start = _day(request, "startDate", end - timedelta(days=29))
    if start > end:
        raise BadRequest("startDate must not be after endDate.")
    if (end - start).days >= MAX_HISTORY_DAYS:
        raise BadRequest(f"The range may cover at most {MAX_HISTORY_DAYS} days.")
    endpoint = health_check(tenant)
    current = _flat_scores(endpoint)
    totals = {k: endpoint["protection"][k]["total"] for k in KINDS}
    points = []
    day = start
    while day <= min(end, today):
        age = (today - day).days
        rng = random.Random(f"history:{tenant.rng_seed}:{day.isoformat()}")
        scores = {
            name: max(0, min(100, value - rng.randint(0, min(30, age)) + rng.randint(0, 3)))
            for name, value in current.items()
        }
        points.append(
            {
                "date": day.isoformat(),
                "computerTotal": max(0, totals["computer"] - age // 7),
                "serverTotal": totals["server"],
                "endpoint": scores,
            }
        )
        day += timedelta(days=1)
    return json_response({"tenant": {"id": tenant.id, "name": tenant.name}, "datapoints": points})


def _snooze_entry(value: Any, where: str) -> tuple[bool, str]:
    if not isinstance(value, dict) or not isinstance(value.get("snoozed"), bool):
        raise BadRequest(f"{where} must be an object with a boolean snoozed.")
    detail = value.get("snoozeDetail") or {}
    comment = detail.get("comment", "") if isinstance(detail, dict) else None
    if not isinstance(comment, str):
        raise BadRequest(f"{where}.snoozeDetail.comment must be a string.")
    return value["snoozed"], comment


def _apply_snooze(tenant: TenantState, area: str, snoozed: bool, comment: str) -> None:
    snoozes = _snoozes(tenant)
    now = time.time()
    if snoozed:
        snoozes[area] = {
            "start": iso(now),
            "expiry": iso(now + SNOOZE_DAYS * 86400),
            "comment": comment,
            "_expiresAt": now + SNOOZE_DAYS * 86400,
        }
    else:
        snoozes.pop(area, None)


async def snooze(request: Request) -> Response:
    """``POST /snooze``: snooze or wake areas; 200 with the areas as now set; 400 for a bad body."""
    tenant = tenant_of(request)
    body = await json_body(request)
    endpoint = body.get("endpoint")
    if not isinstance(endpoint, dict) or not endpoint:
        raise BadRequest("endpoint is required: the areas to snooze.")
    unknown = [k for k in endpoint if k not in CHECKS]
    if unknown:
        raise BadRequest(f"Unknown areas: {', '.join(unknown)}. Valid: {', '.join(CHECKS)}.")
    for area in ("protection", "tamperProtection"):
        for kind, value in (endpoint.get(area) or {}).items():
            if kind not in (*KINDS, "global") or (area == "protection" and kind == "global"):
                raise BadRequest(f"Unknown part endpoint.{area}.{kind}.")
            flag, comment = _snooze_entry(value, f"endpoint.{area}.{kind}")
            _apply_snooze(tenant, f"{area}.{kind}", flag, comment)
    for kind, entries in (endpoint.get("policy") or {}).items():
        _snooze_policies(tenant, "policy", kind, entries)
    exclusions = endpoint.get("exclusions") or {}
    for kind, entries in (exclusions.get("policy") or {}).items():
        _snooze_policies(tenant, "exclusions", kind, entries)
    if "global" in exclusions:
        flag, comment = _snooze_entry(exclusions["global"], "endpoint.exclusions.global")
        _apply_snooze(tenant, "exclusions.global", flag, comment)
    return json_response(snooze_view(tenant))


def snooze_view(tenant: TenantState) -> dict[str, Any]:
    """Every snoozable area and whether it is snoozed now (the answer of ``POST /snooze``)."""

    def one(area: str) -> dict[str, Any]:
        return _with_snooze(tenant, area, {})

    def listed(area: str, kind: str) -> list[dict[str, Any]]:
        key = f"policy.{kind}.{POLICY_TYPES[kind]}" if area == "policy" else f"exclusions.{kind}"
        return [{"policyType": POLICY_TYPES[kind], **one(key)}]

    return {
        "endpoint": {
            "policy": {kind: listed("policy", kind) for kind in KINDS},
            "exclusions": {
                "policy": {kind: listed("exclusions", kind) for kind in KINDS},
                "global": one("exclusions.global"),
            },
            "tamperProtection": {k: one(f"tamperProtection.{k}") for k in (*KINDS, "global")},
            "protection": {kind: one(f"protection.{kind}") for kind in KINDS},
        },
        "networkDevice": {"firewall": {}},
    }


def _snooze_policies(tenant: TenantState, area: str, kind: str, entries: Any) -> None:
    if kind not in KINDS or not isinstance(entries, list):
        raise BadRequest(f"endpoint.{area}...{kind} must be a list of policy snoozes.")
    for n, entry in enumerate(entries):
        where = f"endpoint.{area}.{kind}[{n}]"
        flag, comment = _snooze_entry(entry, where)
        policy_type = entry.get("policyType")
        if policy_type != POLICY_TYPES[kind]:
            raise BadRequest(f"{where}.policyType must be {POLICY_TYPES[kind]!r}.")
        key = f"{area}.{kind}.{policy_type}" if area == "policy" else f"{area}.{kind}"
        _apply_snooze(tenant, key, flag, comment)


def health_routes() -> list[BaseRoute]:
    """Routes relative to ``/region/{region}/account-health-check/v1``."""
    return [
        Route("/health-check", get_health_check, methods=["GET"]),
        Route("/scores/regional", regional_scores, methods=["GET"]),
        Route("/scores/historical", historical_scores, methods=["GET"]),
        Route("/snooze", snooze, methods=["POST"]),
    ]
