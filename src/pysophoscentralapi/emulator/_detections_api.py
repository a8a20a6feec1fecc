"""Emulated Detections API: detections and detection-group runs, detection counts.

Detections are seeded per tenant from its endpoints and alerts (each detection's ``device`` is
one of the tenant's endpoints; those raised from an alert carry its id in ``rawData.alertId``),
spread over the 30 days before the emulator started. Runs filter them and follow the clock like
the other query APIs (:mod:`._runs`); their results are numbered pages.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from pysophoscentralapi.emulator._common_query import parse_moment
from pysophoscentralapi.emulator._common_state import common_state
from pysophoscentralapi.emulator._data import iso, seeded_uuid
from pysophoscentralapi.emulator._http import (
    BadRequest,
    check_choice,
    json_response,
    number_page,
    optional_str,
)
from pysophoscentralapi.emulator._runs import RunRecord, clock, new_run_id, run_routes

DETECTION_COUNT = 48
SORT_FIELDS = ("severity", "time", "detectionRule", "type")
RESOLUTIONS = {"day": 86400, "hour": 3600, "minute": 60}


@dataclass(frozen=True)
class Rule:
    id: str
    severity: int
    attack: str
    tactic: tuple[str, str]
    technique: tuple[str, str]
    description: str


RULES = (
    Rule("WIN-EXE-PRC-POWERSHELL-ENCODED-1", 8, "Execution", ("TA0002", "Execution"), ("T1059.001", "PowerShell"), "PowerShell ran an encoded command."),
    Rule("WIN-DEF-EVA-RUNDLL32-PUBLIC-1", 7, "Defense Evasion", ("TA0005", "Defense Evasion"), ("T1218.011", "Rundll32"), "Rundll32 loaded a DLL from a public folder."),
    Rule("WIN-CMD-CTL-CERTUTIL-DOWNLOAD-1", 9, "Command and Control", ("TA0011", "Command and Control"), ("T1105", "Ingress Tool Transfer"), "Certutil downloaded a file."),
    Rule("WIN-PER-PSH-ADD-SERVICE-REG-1", 5, "Persistence", ("TA0003", "Persistence"), ("T1543.003", "Windows Service"), "A service was added from PowerShell."),
    Rule("LNX-DIS-SCN-PORT-SCAN-1", 3, "Discovery", ("TA0007", "Discovery"), ("T1046", "Network Service Discovery"), "A host scanned network ports."),
    Rule("WIN-PROT-SAV-PUA-PSEXEC-1", 2, "Lateral Movement", ("TA0008", "Lateral Movement"), ("T1569.002", "Service Execution"), "PsExec (a PUA) was detected."),
)  # fmt: skip


def detections_of(tenant: Any) -> list[dict[str, Any]]:
    """The tenant's seeded detections, newest first (``tenant.store["detections"]``)."""
    found: list[dict[str, Any]] | None = tenant.store.get("detections")
    if found is not None:
        return found
    rng = random.Random(tenant.rng_seed ^ 0xDE7EC7)
    endpoints = tenant.endpoint_refs(60) or [
        {"id": seeded_uuid(rng), "hostname": "HOST-001", "type": "computer"}
    ]
    alerts = common_state(tenant).alerts
    anchor = tenant.endpoints.factory.anchor
    detections = []
    for n in range(DETECTION_COUNT):
        endpoint = rng.choice(endpoints)
        linux = str(endpoint["hostname"]).startswith("LX-")
        rule = rng.choice([r for r in RULES if r.id.startswith("LNX-") == linux] or RULES)
        when = anchor - rng.uniform(300, 30 * 86400)
        alert = alerts[n % len(alerts)] if alerts and n % 3 == 0 else None
        raw: dict[str, Any] = {
            "meta_hostname": endpoint["hostname"],
            "meta_endpoint_type": endpoint["type"],
        }
        if alert is not None:
            raw["alertId"] = alert["id"]
        detections.append({
            "id": f"{rng.getrandbits(64):016x}_{rng.getrandbits(40):010x}",
            "detectionRule": rule.id,
            "sensor": {"id": "SophosSensorID", "type": "endpoint", "source": "Sophos", "version": "1.18.1"},
            "device": {"id": endpoint["id"], "type": endpoint["type"], "entity": endpoint["hostname"]},
            "detectionAttack": rule.attack,
            "attackType": "Endpoint Detections",
            "mitreAttacks": [{"tactic": {"id": rule.tactic[0], "name": rule.tactic[1],
                                         "techniques": [{"id": rule.technique[0], "name": rule.technique[1]}]}}],
            "rawData": raw,
            "ruleDescription": rule.description,
            "severity": rule.severity,
            "time": iso(when),
            "type": "Threat",
        })  # fmt: skip
    detections.sort(key=lambda d: str(d["time"]), reverse=True)
    tenant.store["detections"] = detections
    return detections


def detection_summary(detection: dict[str, Any]) -> dict[str, Any]:
    """A detection as listed in run results and case detections."""
    keep = (
        "id",
        "detectionRule",
        "sensor",
        "device",
        "detectionAttack",
        "mitreAttacks",
        "rawData",
        "severity",
        "time",
        "type",
    )
    return {k: detection[k] for k in keep}


def _filters(body: dict[str, Any], now: float) -> tuple[float, float, list[int] | None, str | None]:
    start = parse_moment("from", body["from"]).timestamp() if body.get("from") else now - 86400
    end = parse_moment("to", body["to"]).timestamp() if body.get("to") else now
    severity = body.get("severity")
    if severity is not None and (
        not isinstance(severity, list)
        or not all(isinstance(s, int) and 0 <= s <= 10 for s in severity)
    ):
        raise BadRequest("severity must be a list of levels from 0 to 10.")
    rule = optional_str(body, "detectionRule")
    return start, end, severity, rule


def _matching(tenant: Any, body: dict[str, Any], now: float) -> list[dict[str, Any]]:
    start, end, severity, rule = _filters(body, now)
    items = [
        d for d in detections_of(tenant)
        if start <= parse_moment("time", d["time"]).timestamp() < end
        and (severity is None or d["severity"] in severity)
        and (rule is None or d["detectionRule"] == rule)
    ]  # fmt: skip
    for criterion in reversed(body.get("sort") or []):
        if not isinstance(criterion, dict) or criterion.get("field") not in SORT_FIELDS:
            raise BadRequest(f"sort: field must be one of {', '.join(SORT_FIELDS)}.")
        reverse = criterion.get("direction") == "desc"
        field = str(criterion["field"])
        items.sort(key=lambda d: d[field], reverse=reverse)
    return items


def _groups(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    groups: dict[str, dict[str, Any]] = {}
    for d in items:
        group = groups.setdefault(d["detectionRule"], {
            "severity": d["severity"], "count": 0, "detectionRule": d["detectionRule"],
            "detectionRuleDescription": d["ruleDescription"], "sensor": d["sensor"], "time": d["time"],
            "mitreAttacks": d["mitreAttacks"], "type": d["type"], "device": d["device"],
        })  # fmt: skip
        group["count"] += 1
        group["time"] = max(group["time"], d["time"])
    return sorted(groups.values(), key=lambda g: (-g["count"], g["detectionRule"]))


def _run_routes(kind: str) -> list[BaseRoute]:
    def start(
        tenant: Any, store: dict[str, RunRecord], body: dict[str, Any], now: float, duration: float
    ) -> RunRecord:
        items = _matching(tenant, body, now)
        rows = [detection_summary(d) for d in items] if kind == "detections" else _groups(items)
        run_id = new_run_id(store, f"detection-run:{tenant.id}:{kind}")
        record = RunRecord(run_id, now, duration, rows)
        store[run_id] = record
        return record

    def runs(request: Request) -> dict[str, RunRecord]:
        tenant = request.state.tenant
        key = f"detection-runs:{kind}"
        if key not in tenant.store:
            # One finished run over the last 30 days, from an hour before the emulator started.
            anchor = tenant.endpoints.factory.anchor
            tenant.store[key] = {}
            body = {"from": iso(anchor - 30 * 86400), "to": iso(anchor)}
            start(tenant, tenant.store[key], body, anchor - 3600, 2.0)
        found: dict[str, RunRecord] = tenant.store[key]
        return found

    def start_run(request: Request, body: dict[str, Any], now: float, duration: float) -> RunRecord:
        return start(request.state.tenant, runs(request), body, now, duration)

    def results_page(
        request: Request, record: RunRecord, rows: list[dict[str, Any]]
    ) -> dict[str, Any]:
        return number_page(request, rows, max_size=1000, totals=True)

    return run_routes(f"/queries/{kind}", runs, start_run, _view, results_page)


def _view(record: RunRecord, now: float) -> dict[str, Any]:
    body = record.base(now)
    if body["status"] == "finished":
        body["resultCount"] = len(record.rows)
    return body


async def counts(request: Request) -> Response:
    query = request.query_params
    now = clock(request)
    resolution = query.get("resolution") or "day"
    check_choice("resolution", resolution, RESOLUTIONS)
    step = RESOLUTIONS[resolution]
    default_span = {"day": 30 * 86400, "hour": 86400, "minute": 3600}[resolution]
    end = parse_moment("to", query["to"]).timestamp() if query.get("to") else now
    start = (
        parse_moment("from", query["from"]).timestamp() if query.get("from") else end - default_span
    )
    if end <= start:
        raise BadRequest("'to' must be later than 'from'.")
    if (end - start) / step > 2000:
        raise BadRequest("Too many buckets: use a coarser resolution or a shorter range.")
    severities = {int(s) for s in query.get("severity", "").split(",") if s.strip().isdigit()}
    rule = query.get("detectionRule")
    device = (query.get("deviceNameContains") or "").lower()
    first = datetime.fromtimestamp(start, UTC).replace(microsecond=0)
    buckets: dict[int, int] = {}
    for d in detections_of(request.state.tenant):
        moment = parse_moment("time", d["time"]).timestamp()
        if not start <= moment < end:
            continue
        if (severities and d["severity"] not in severities) or (
            rule and d["detectionRule"] != rule
        ):
            continue
        if device and device not in d["device"]["entity"].lower():
            continue
        index = int((moment - start) // step)
        buckets[index] = buckets.get(index, 0) + 1
    total_buckets = int(-(-(end - start) // step))
    rows = [
        {
            "startsAt": iso((first + timedelta(seconds=i * step)).timestamp()),
            "totalCount": buckets.get(i, 0),
        }
        for i in range(total_buckets)
    ]
    return json_response({
        "from": iso(start), "to": iso(end), "tenant": {"id": request.state.tenant.id},
        "resolution": resolution, "resolutionDetectionCounts": rows,
    })  # fmt: skip


def detections_routes() -> list[BaseRoute]:
    """Routes relative to ``/region/{region}/detections/v1``."""
    return [
        Route("/queries/detections/counts", counts, methods=["GET"]),
        *_run_routes("detections"),
        *_run_routes("detection-groups"),
    ]
