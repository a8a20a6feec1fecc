"""Emulated Cases API: cases with their detections, impacted entities and MITRE summary.

Seeded cases are built from the tenant's seeded detections (:mod:`._detections_api`), so a case's
devices are the tenant's endpoints. Self-managed cases take the statuses ``new``,
``investigating``, ``onHold`` and ``resolved``; Sophos-managed ones (MDR) may also be
``actionRequired`` and cannot be deleted (400).
"""

from __future__ import annotations

import random
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from pysophoscentralapi.emulator._collections import crud_routes
from pysophoscentralapi.emulator._common_query import parse_moment
from pysophoscentralapi.emulator._common_state import check_email
from pysophoscentralapi.emulator._data import iso, seeded_uuid
from pysophoscentralapi.emulator._detections_api import detection_summary, detections_of
from pysophoscentralapi.emulator._http import (
    ApiFailure,
    BadRequest,
    check_choice,
    csv_values,
    found,
    json_body,
    json_response,
    number_page,
    required_text,
)
from pysophoscentralapi.emulator._runs import clock

TYPES = ("hunt", "incident", "exposure", "customerRequest", "generalRequest")
SEVERITIES = ("notSet", "informational", "low", "medium", "high", "critical")
SELF_STATUSES = ("new", "investigating", "onHold", "resolved")
STATUSES = (*SELF_STATUSES, "actionRequired")
MANAGERS = ("self", "sophos")
VERDICTS = ("falsePositive", "truePositive")
_SEEDS = (
    (
        "Encoded PowerShell on {host}",
        "hunt",
        "high",
        "investigating",
        "self",
        3,
        "WIN-EXE-PRC-POWERSHELL-ENCODED-1",
    ),
    (
        "Certutil download on {host}",
        "incident",
        "critical",
        "actionRequired",
        "sophos",
        2,
        "WIN-CMD-CTL-CERTUTIL-DOWNLOAD-1",
    ),
    (
        "PUA PsExec seen on {host}",
        "generalRequest",
        "low",
        "resolved",
        "self",
        1,
        "WIN-PROT-SAV-PUA-PSEXEC-1",
    ),
    ("Port scan from {host}", "exposure", "medium", "new", "self", 2, "LNX-DIS-SCN-PORT-SCAN-1"),
    (
        "Rundll32 from a public folder on {host}",
        "incident",
        "high",
        "onHold",
        "sophos",
        2,
        "WIN-DEF-EVA-RUNDLL32-PUBLIC-1",
    ),
)


def _actor(tenant_id: str, email: str, rng: random.Random) -> dict[str, Any]:
    return {
        "id": seeded_uuid(random.Random(email)),
        "type": "user",
        "name": email,
        "accountType": "tenant",
        "accountId": tenant_id,
    }


def cases_of(tenant: Any) -> dict[str, dict[str, Any]]:
    """The tenant's cases (``tenant.store["cases"]``), seeded on first use."""
    found: dict[str, dict[str, Any]] | None = tenant.store.get("cases")
    if found is not None:
        return found
    rng = random.Random(tenant.rng_seed ^ 0xCA5E)
    detections = detections_of(tenant)
    anchor = tenant.endpoints.factory.anchor
    cases: dict[str, dict[str, Any]] = {}
    for n, (name, kind, severity, status, manager, count, rule) in enumerate(_SEEDS):
        linked = [d for d in detections if d["detectionRule"] == rule][:count] or detections[
            n : n + 1
        ]
        first = min(parse_moment("time", d["time"]).timestamp() for d in linked)
        created = min(anchor - 3600, first + rng.uniform(300, 3600))
        case = _new_case(tenant, rng, created, name=name.format(host=linked[0]["device"]["entity"]), type=kind,
                         severity=severity, status=status, managedBy=manager,
                         detection_ids=[d["id"] for d in linked])  # fmt: skip
        case["escalated"] = manager == "sophos"
        if manager == "sophos" or n == 0 or status == "resolved":
            email = (
                "mdr-ops@sophos.example"
                if manager == "sophos"
                else f"analyst{n}@{tenant.short_name.lower()}.example"
            )
            case["assignee"] = _actor(tenant.id, email, rng)
            case["assignedAt"] = iso(created + 600)
        if status == "resolved":
            case["resolvedAt"] = iso(created + 7200)
            case["verdict"] = "falsePositive"
        cases[case["id"]] = case
    tenant.store["cases"] = cases
    return cases


def _new_case(
    tenant: Any, rng: random.Random, created: float, *, detection_ids: list[str], **fields: Any
) -> dict[str, Any]:
    case_id = f"{('SC' if fields['managedBy'] == 'self' else 'MDR')}-{rng.getrandbits(32):08X}"
    by_id = {d["id"]: d for d in detections_of(tenant)}
    initial = by_id.get(detection_ids[0]) if detection_ids else None
    case: dict[str, Any] = {
        "id": case_id, "type": fields["type"], "name": fields["name"], "tenant": {"id": tenant.id},
        "managedBy": fields["managedBy"], "createdAt": iso(created),
        "createdBy": {"id": seeded_uuid(rng), "type": "user", "name": "Security Admin",
                      "accountType": "tenant", "accountId": tenant.id},
        "updatedAt": iso(created), "severity": fields.get("severity") or "notSet",
        "status": fields.get("status") or "new", "overview": fields.get("overview") or "",
        "detectionCount": len(detection_ids), "escalated": False, "_detections": list(detection_ids),
    }  # fmt: skip
    if initial is not None:
        keep = ("id", "severity", "type", "detectionRule", "mitreAttacks", "time", "sensor")
        case["initialDetection"] = {k: initial[k] for k in keep}
    return case


def _view(case: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in case.items() if not k.startswith("_")}


def _case(request: Request) -> dict[str, Any]:
    return found(
        cases_of(request.state.tenant), str(request.path_params["case_id"]), "Case not found."
    )


def _check(body: dict[str, Any], key: str, valid: tuple[str, ...]) -> None:
    if key in body:
        check_choice(key, body[key], valid)


def _apply(case: dict[str, Any], body: dict[str, Any], request: Request) -> None:
    for key, valid in (("type", TYPES), ("severity", SEVERITIES), ("status", STATUSES)):
        _check(body, key, valid)
    if case["managedBy"] == "self" and body.get("status") == "actionRequired":
        raise BadRequest("Self-managed cases take status new, investigating, onHold or resolved.")
    for key in ("name", "overview"):
        if key in body:
            if not isinstance(body[key], str) or (key == "name" and not body[key].strip()):
                raise BadRequest(f"{key} must be a {'non-empty ' if key == 'name' else ''}string.")
            case[key] = body[key]
    for key in ("type", "severity", "status"):
        if key in body:
            case[key] = body[key]
    now = iso(clock(request))
    if "assignee" in body:
        assignee = body["assignee"]
        if assignee in (None, "", "Unassigned"):
            case.pop("assignee", None)
            case.pop("assignedAt", None)
        else:
            email = check_email(assignee, "assignee")
            case["assignee"] = _actor(case["tenant"]["id"], email, random.Random())
            case["assignedAt"] = now
    if case["status"] == "resolved":
        case.setdefault("resolvedAt", now)
    else:
        case.pop("resolvedAt", None)
    case["updatedAt"] = now


async def list_cases(request: Request) -> Response:
    query = request.query_params
    items = list(cases_of(request.state.tenant).values())

    def csv(name: str, valid: tuple[str, ...]) -> list[str] | None:
        values = csv_values(request, name)
        unknown = next((v for v in values or () if v not in valid), None)
        if unknown is not None:
            check_choice(name, unknown, valid)
        return values

    for name, valid in (
        ("type", TYPES),
        ("severity", SEVERITIES),
        ("status", STATUSES),
        ("managedBy", MANAGERS),
        ("verdict", VERDICTS),
    ):
        wanted = csv(name, valid)
        if wanted:
            items = [c for c in items if c.get(name) in wanted]
    assignee = query.get("assignee")
    if assignee:
        items = [
            c for c in items if (c.get("assignee") or {}).get("name", "Unassigned") == assignee
        ]
    if query.get("name"):
        items = [c for c in items if c["name"] == query["name"]]
    if query.get("overviewContains"):
        items = [c for c in items if query["overviewContains"].lower() in c["overview"].lower()]
    for param, later in (("createdAfter", True), ("createdBefore", False)):
        if query.get(param):
            moment = parse_moment(param, query[param]).timestamp()
            items = [
                c
                for c in items
                if (parse_moment("createdAt", c["createdAt"]).timestamp() >= moment) == later
            ]
    if query.get("escalated") in ("true", "false"):
        items = [c for c in items if c["escalated"] == (query["escalated"] == "true")]
    field, _, direction = (query.get("sort") or "createdAt:desc").partition(":")
    items.sort(key=lambda c: str(c.get(field, "")), reverse=direction == "desc")
    return json_response(number_page(request, [_view(c) for c in items], max_size=100, totals=True))


async def create_case(request: Request) -> Response:
    body = await json_body(request)
    required_text(body, "name")
    check_choice("type", body.get("type"), TYPES)
    _check(body, "managedBy", MANAGERS)
    tenant = request.state.tenant
    known = {d["id"] for d in detections_of(tenant)}
    ids = [body["initialDetectionId"]] if body.get("initialDetectionId") else []
    ids += [i for i in body.get("otherDetectionIds") or [] if i not in ids]
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise BadRequest(f"Unknown detection id(s): {', '.join(map(str, unknown))}.")
    cases = cases_of(tenant)
    rng = random.Random(f"case:{tenant.id}:{len(cases)}:{clock(request)}")
    case = _new_case(tenant, rng, clock(request), detection_ids=ids, name=body["name"], type=body["type"],
                     managedBy=body.get("managedBy", "self"), severity="notSet", status="new")  # fmt: skip
    case["createdBy"] = request.state.principal.actor()
    _apply(
        case,
        {k: v for k, v in body.items() if k in ("severity", "status", "assignee", "overview")},
        request,
    )
    cases[case["id"]] = case
    return json_response(_view(case), 201)


async def get_case(request: Request) -> Response:
    return json_response(_view(_case(request)))


async def update_case(request: Request) -> Response:
    case = _case(request)
    body = await json_body(request)
    allowed = {"name", "type", "severity", "status", "assignee", "overview"}
    extra = sorted(set(body) - allowed)
    if extra:
        raise BadRequest(f"Unknown field(s): {', '.join(extra)}.")
    _apply(case, body, request)
    return json_response(_view(case))


async def delete_case(request: Request) -> Response:
    case = _case(request)
    if case["managedBy"] != "self":
        raise BadRequest("Only self-managed cases can be deleted.")
    del cases_of(request.state.tenant)[case["id"]]
    return json_response({"deleted": True})


def _case_detections(request: Request) -> list[dict[str, Any]]:
    case = _case(request)
    by_id = {d["id"]: d for d in detections_of(request.state.tenant)}
    return [by_id[i] for i in case["_detections"] if i in by_id]


async def case_detections(request: Request) -> Response:
    rows = [detection_summary(d) for d in _case_detections(request)]
    return json_response(number_page(request, rows, max_size=100, totals=True))


async def case_detection(request: Request) -> Response:
    wanted = str(request.path_params["detection_id"])
    for detection in _case_detections(request):
        if detection["id"] == wanted:
            device = detection["device"]
            return json_response({
                **detection, "sensorGeneratedAt": detection["time"],
                "sensor": {**detection["sensor"], "name": "Sophos Endpoint"},
                "detectionSigma": {}, "detectionEql": "", "detectionLicenses": "xdr",
                "geolocation": [], "intelixFileReputation": [], "schema": "endpoint",
                "device": {"id": device["id"], "type": device["type"], "entity": device["entity"]},
            })  # fmt: skip
    raise ApiFailure(404, "Detection not found in this case.")


async def impacted_entities(request: Request) -> Response:
    entities: dict[tuple[str, str], dict[str, Any]] = {}
    for d in _case_detections(request):
        device = d["device"]
        entities.setdefault(
            ("device", device["id"]),
            {"id": device["id"], "name": device["entity"], "type": "device"},
        )
        host = d["rawData"].get("meta_hostname")
        if host:
            user_id = seeded_uuid(random.Random(f"user:{host}"))
            entities.setdefault(
                ("user", user_id), {"id": user_id, "name": f"{host.lower()}\\user", "type": "user"}
            )
    items = list(entities.values())
    for key in ("id", "name", "type"):
        if request.query_params.get(key):
            items = [e for e in items if e[key] == request.query_params[key]]
    return json_response(number_page(request, items, max_size=100, totals=True))


async def mitre_summary(request: Request) -> Response:
    tactics: dict[str, dict[str, Any]] = {}
    for d in _case_detections(request):
        for attack in d["mitreAttacks"]:
            tactic = attack["tactic"]
            entry = tactics.setdefault(
                tactic["id"], {"id": tactic["id"], "name": tactic["name"], "techniques": {}}
            )
            for technique in tactic["techniques"]:
                seen = entry["techniques"].setdefault(technique["id"], {**technique, "count": 0})
                seen["count"] += 1
    return json_response(
        {"tactics": [{**t, "techniques": list(t["techniques"].values())} for t in tactics.values()]}
    )


def cases_routes() -> list[BaseRoute]:
    """Routes relative to ``/region/{region}/cases/v1``."""
    one = "/cases/{case_id}"
    return [
        *crud_routes(
            "/cases",
            "case_id",
            list=list_cases,
            add=create_case,
            get=get_case,
            update=update_case,
            delete=delete_case,
        ),
        Route(one + "/impacted-entities", impacted_entities, methods=["GET"]),
        Route(one + "/detections", case_detections, methods=["GET"]),
        Route(one + "/detections/{detection_id}", case_detection, methods=["GET"]),
        Route(one + "/mitre-attack-summary", mitre_summary, methods=["GET"]),
    ]
