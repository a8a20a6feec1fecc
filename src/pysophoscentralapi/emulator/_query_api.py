"""Emulated XDR Query API and Live Discover API: categories, saved queries, runs, results.

Both APIs are served from one declaration (:class:`QueryFamily`); they differ in where a
statement runs (the Data Lake's ``xdr_data`` over a time range, or each endpoint's osquery
tables, rows tagged with ``endpointId``/``hostname``), in cancel (XDR) and per-endpoint statuses
(Live Discover). Runs execute on SQLite (:mod:`._hunting_sql`) and follow the clock (:mod:`._runs`).
Live Discover also has enrichments (``/live-discover/v1/enrichment-pivots``).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from pysophoscentralapi.emulator._collections import crud_routes
from pysophoscentralapi.emulator._common_query import parse_moment
from pysophoscentralapi.emulator._data import iso, seeded_uuid
from pysophoscentralapi.emulator._http import (
    BadRequest,
    check_choice,
    found,
    json_body,
    json_response,
    key_page,
    number_page,
    parse_csv_enum,
)
from pysophoscentralapi.emulator._hunting_sql import QueryOutcome, hunting_db, substitute_variables
from pysophoscentralapi.emulator._runs import RunRecord, clock, new_run_id, run_of, run_routes

RUN_STATUSES = ("pending", "started", "finished")
RUN_RESULTS = ("notAvailable", "succeeded", "failed", "timedOut", "canceled")


@dataclass(frozen=True)
class SavedQuerySeed:
    name: str
    category: str
    template: str
    description: str
    variables: tuple[tuple[str, str], ...] = ()
    supported: tuple[str, ...] = (
        "windowsComputer",
        "windowsServer",
        "linuxServer",
        "macOSComputer",
    )


@dataclass(frozen=True)
class QueryFamily:
    """What differs between the XDR and Live Discover query APIs."""

    key: str
    categories: tuple[tuple[str, str], ...]  # (name, type)
    queries: tuple[SavedQuerySeed, ...]
    per_endpoint: bool
    can_cancel: bool
    results_max: int
    results_default: int


XDR = QueryFamily(
    key="xdr",
    categories=(("Threat hunting", "canned"), ("Network", "canned"), ("IT operations", "canned"), ("My queries", "custom")),
    queries=(
        SavedQuerySeed("PowerShell with encoded commands", "Threat hunting",
                       "SELECT meta_hostname, username, cmdline, calendar_time FROM xdr_data "
                       "WHERE query_name = 'running_processes' AND name = 'powershell.exe' AND cmdline LIKE '%-enc%'",
                       "PowerShell started with -enc/-EncodedCommand, a common way to hide a script."),
        SavedQuerySeed("Connections to uncommon ports", "Network",
                       "SELECT meta_hostname, name, remote_address, remote_port, calendar_time FROM xdr_data "
                       "WHERE query_name = 'open_sockets' AND remote_port NOT IN (53, 80, 443) ORDER BY calendar_time DESC",
                       "Outbound connections to ports other than DNS, HTTP and HTTPS."),
        SavedQuerySeed("Logons per device", "IT operations",
                       "SELECT meta_hostname, username, COUNT(*) AS logons FROM xdr_data "
                       "WHERE query_name = 'logged_in_users' GROUP BY meta_hostname, username ORDER BY logons DESC",
                       "Who logged on where, and how often."),
        SavedQuerySeed("Processes by SHA-256", "Threat hunting",
                       "SELECT meta_hostname, name, path, calendar_time FROM xdr_data "
                       "WHERE query_name = 'running_processes' AND sha256 = '$$sha256$$'",
                       "Where a file with this SHA-256 ran.", (("sha256", "text"),)),
        SavedQuerySeed("Downloaded executables", "Threat hunting",
                       "SELECT meta_hostname, path, file_size, calendar_time FROM xdr_data "
                       "WHERE query_name = 'file_events' AND (path LIKE '%.exe' OR path LIKE '%.dll')",
                       "Executables and libraries written to download folders."),
    ),
    per_endpoint=False,
    can_cancel=True,
    results_max=1000,
    results_default=50,
)  # fmt: skip

LIVE_DISCOVER = QueryFamily(
    key="live_discover",
    categories=(("Threat hunting", "canned"), ("Network", "canned"), ("Device info", "canned"), ("My queries", "custom")),
    queries=(
        SavedQuerySeed("Listening ports", "Network",
                       "SELECT p.name, p.path, s.local_port, s.protocol FROM process_open_sockets s "
                       "JOIN processes p USING (pid) WHERE s.state = 'LISTEN'",
                       "Processes accepting network connections."),
        SavedQuerySeed("Logged-in users", "Device info",
                       "SELECT username, description, directory FROM users WHERE uid >= 1000",
                       "Local user accounts of people."),
        SavedQuerySeed("Running PowerShell", "Threat hunting",
                       "SELECT pid, name, cmdline, username FROM processes WHERE name LIKE 'powershell%'",
                       "PowerShell processes and their command lines.", supported=("windowsComputer", "windowsServer")),
        SavedQuerySeed("Processes by name", "Threat hunting",
                       "SELECT pid, name, path, cmdline FROM processes WHERE name = '$$process_name$$'",
                       "Processes with this name.", (("process_name", "text"),)),
        SavedQuerySeed("System information", "Device info",
                       "SELECT s.hostname, s.cpu_brand, s.physical_memory, o.name AS os_name, o.version "
                       "FROM system_info s, os_version o",
                       "Hardware and operating system."),
    ),
    per_endpoint=True,
    can_cancel=False,
    results_max=1000,
    results_default=1000,
)  # fmt: skip


def _library(family: QueryFamily, tenant_id: str) -> dict[str, Any]:
    """Seeded categories and saved queries: canned ones have the same ids in every tenant."""
    rng = random.Random(f"query-library:{family.key}")
    categories: dict[str, dict[str, Any]] = {}
    for name, kind in family.categories:
        category_id = seeded_uuid(rng)
        categories[category_id] = {
            "id": category_id, "name": name, "code": name.lower().replace(" ", "_"),
            "description": f"{name} queries", "icon": "search", "tenant": {"id": tenant_id},
            "type": kind, "queryCount": 0, "createdAt": "2024-01-15T10:30:00.000Z",
            "createdBy": {"id": seeded_uuid(rng)}, "updatedAt": "2024-06-01T08:00:00.000Z",
            "updatedBy": {"id": seeded_uuid(rng)},
        }  # fmt: skip
    by_name = {c["name"]: c for c in categories.values()}
    author = {
        "id": seeded_uuid(rng),
        "type": "service",
        "name": "Sophos",
        "accountId": tenant_id,
        "accountType": "tenant",
    }
    queries: dict[str, dict[str, Any]] = {}
    for seed in family.queries:
        query_id = seeded_uuid(rng)
        category = by_name[seed.category]
        category["queryCount"] += 1
        query: dict[str, Any] = {
            "id": query_id, "name": seed.name, "code": seed.name.lower().replace(" ", "_"),
            "description": seed.description, "template": seed.template,
            "variables": [{"name": n, "dataType": t} for n, t in seed.variables],
            "categories": [{"id": category["id"]}], "type": "canned", "tenant": {"id": tenant_id},
            "createdAt": "2024-01-15T10:30:00.000Z", "createdBy": author,
            "updatedAt": "2024-06-01T08:00:00.000Z", "updatedBy": author,
        }  # fmt: skip
        if family.per_endpoint:
            query["supportedOSes"] = list(seed.supported)
            query["performance"] = {
                "score": "good",
                "averageExecutionTimeInMillis": 120,
                "averageDataTransferredInBytes": 2048,
            }
        queries[query_id] = query
    return {
        "categories": categories,
        "queries": queries,
        "runs": {},
        "enrichments": _enrichments(tenant_id),
    }


def _enrichments(tenant_id: str) -> dict[str, dict[str, Any]]:
    rng = random.Random("enrichments")
    items = {}
    for name, kind, url in (
        ("VirusTotal file lookup", "sha256", "https://www.virustotal.com/gui/file/$$sha256$$"),
        ("IP reputation", "ipAddress", "https://www.abuseipdb.com/check/$$ipAddress$$"),
    ):
        enrichment_id = seeded_uuid(rng)
        items[enrichment_id] = {
            "id": enrichment_id, "tenant": {"id": tenant_id, "name": ""}, "sourceType": "canned",
            "name": name, "description": f"Look the {kind} up.", "type": kind, "url": url,
            "createdAt": "2024-01-15T10:30:00.000Z",
            "createdBy": {"id": seeded_uuid(rng), "type": "service", "name": "Sophos", "accountType": "tenant"},
            "updatedAt": "2024-01-15T10:30:00.000Z",
            "updatedBy": {"id": seeded_uuid(rng), "type": "service", "name": "Sophos", "accountType": "tenant"},
        }  # fmt: skip
    return items


def state_of(request: Request, family: QueryFamily) -> dict[str, Any]:
    tenant = request.state.tenant
    key = f"queries:{family.key}"
    if key not in tenant.store:
        tenant.store[key] = _library(family, tenant.id)
        _seed_runs(request, family, tenant.store[key])
    state: dict[str, Any] = tenant.store[key]
    return state


def _seed_runs(request: Request, family: QueryFamily, state: dict[str, Any]) -> None:
    """Two finished runs of saved queries from an hour before the emulator started."""
    anchor = request.state.tenant.endpoints.factory.anchor
    for n, query in enumerate(list(state["queries"].values())[:3]):
        if query["variables"]:
            continue
        body = {
            "savedQuery": {"queryId": query["id"]},
            "from": iso(anchor - 7 * 86400),
            "to": iso(anchor),
        }
        _start(request, family, body, anchor - 3600 + n * 60, 2.0)


# --- categories and saved queries ----------------------------------------------------------------


def _partial(item: dict[str, Any], request: Request) -> dict[str, Any]:
    fields = [f for f in request.query_params.get("fields", "").split(",") if f.strip()]
    if not fields:
        return item
    return {k: v for k, v in item.items() if k in fields or k == "id"}


def _library_routes(family: QueryFamily) -> list[BaseRoute]:
    summary = ("id", "name", "template", "variables", "supportedOSes", "categories", "type")

    def get_one(request: Request, table: str, param: str, not_found: str) -> Response:
        """A category or saved query by the path's id (any case), ``fields`` applied."""
        item_id = str(request.path_params[param]).lower()
        return json_response(
            _partial(found(state_of(request, family)[table], item_id, not_found), request)
        )

    async def list_categories(request: Request) -> Response:
        items = state_of(request, family)["categories"].values()
        keep = ("id", "name", "type", "queryCount")
        return json_response({"items": [_partial({k: c[k] for k in keep}, request) for c in items]})

    async def get_category(request: Request) -> Response:
        return get_one(request, "categories", "category_id", "Category not found.")

    async def list_queries(request: Request) -> Response:
        items = list(state_of(request, family)["queries"].values())
        category_id = request.query_params.get("categoryId")
        if category_id:
            items = [
                q for q in items if any(c["id"] == category_id.lower() for c in q["categories"])
            ]
        search = (request.query_params.get("search") or "").strip().lower()
        if search:
            fields = [
                f
                for f in (request.query_params.get("searchFields") or "name,description").split(",")
                if f
            ]
            items = [q for q in items if any(search in str(q.get(f, "")).lower() for f in fields)]
        rows = [_partial({k: q[k] for k in summary if k in q}, request) for q in items]
        return json_response(number_page(request, rows, max_size=100))

    async def get_query(request: Request) -> Response:
        return get_one(request, "queries", "query_id", "Query not found.")

    return [
        Route("/queries/categories", list_categories, methods=["GET"]),
        Route("/queries/categories/{category_id}", get_category, methods=["GET"]),
        Route("/queries", list_queries, methods=["GET"]),
        Route("/queries/{query_id}", get_query, methods=["GET"]),
    ]


# --- runs ------------------------------------------------------------------------------------------


def _source(body: dict[str, Any], state: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The template to run and the fields that name it (name, template, query, category)."""
    ad_hoc, saved = body.get("adHocQuery"), body.get("savedQuery")
    if ad_hoc is not None:
        if (
            not isinstance(ad_hoc, dict)
            or not isinstance(ad_hoc.get("template"), str)
            or not ad_hoc["template"].strip()
        ):
            raise BadRequest("adHocQuery.template is required and must be a non-empty string.")
        name = ad_hoc.get("name") if isinstance(ad_hoc.get("name"), str) else "Ad hoc query"
        return ad_hoc["template"], {"name": name, "template": ad_hoc["template"]}
    if not isinstance(saved, dict) or not isinstance(saved.get("queryId"), str):
        raise BadRequest("Give adHocQuery.template or savedQuery.queryId.")
    query = state["queries"].get(saved["queryId"].lower())
    if query is None:
        raise BadRequest(f"Unknown savedQuery.queryId {saved['queryId']!r}.")
    category = state["categories"][query["categories"][0]["id"]]
    shown = {
        "name": query["name"],
        "template": query["template"],
        "query": {"id": query["id"], "name": query["name"], "code": query["code"]},
        "category": {"id": category["id"], "name": category["name"], "code": category["code"]},
    }
    return query["template"], shown


def _variables(
    body: dict[str, Any], needed: list[dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    variables = body.get("variables") or []
    if not isinstance(variables, list) or not all(
        isinstance(v, dict) and isinstance(v.get("name"), str) for v in variables
    ):
        raise BadRequest("variables must be a list of {name, dataType, value} objects.")
    return variables


def _endpoint_ids(body: dict[str, Any]) -> list[str] | None:
    match = body.get("matchEndpoints")
    if match is None:
        return None
    if not isinstance(match, dict):
        raise BadRequest("matchEndpoints must be an object.")
    if match.get("all") is True:
        return None
    ids: list[str] = []
    for item in match.get("filters") or []:
        if not isinstance(item, dict):
            raise BadRequest("matchEndpoints.filters must be a list of objects.")
        ids.extend(str(i).lower() for i in item.get("ids") or [])
    return ids or None


def _run_data_lake(
    request: Request, sql: str, body: dict[str, Any], ids: list[str] | None, now: float
) -> tuple[QueryOutcome, dict[str, Any]]:
    start = parse_moment("from", body["from"]).timestamp() if body.get("from") else now - 86400
    end = parse_moment("to", body["to"]).timestamp() if body.get("to") else now
    if end <= start:
        raise BadRequest("'to' must be later than 'from'.")
    outcome = hunting_db(request.state.tenant).data_lake(sql, start, end, ids)
    return outcome, {"from": iso(start), "to": iso(end)}


def _run_live(
    request: Request, sql: str, ids: list[str] | None
) -> tuple[QueryOutcome, list[dict[str, Any]]]:
    db = hunting_db(request.state.tenant)
    endpoints = [e for e in db.endpoints if ids is None or e["id"] in ids]
    rows: list[dict[str, Any]] = []
    columns: list[dict[str, str]] = [
        {"name": "endpointId", "type": "text"},
        {"name": "hostname", "type": "text"},
    ]
    statuses = []
    for endpoint in endpoints:
        outcome = db.live_discover(sql, endpoint)
        if outcome.error is not None:
            return outcome, []
        if len(columns) == 2:
            columns += [c for c in outcome.columns if c["name"] not in ("endpointId", "hostname")]
        rows.extend(
            {"endpointId": endpoint["id"], "hostname": endpoint["hostname"], **row}
            for row in outcome.rows
        )
        statuses.append({"id": endpoint["id"], "type": endpoint["type"], "hostname": endpoint["hostname"],
                         "os": {"platform": endpoint["os"]["platform"]}, "rows": len(outcome.rows)})  # fmt: skip
    return QueryOutcome(columns, rows), statuses


def _live_view(record: RunRecord, now: float) -> dict[str, Any]:
    body = record.base(now)
    status = body["status"]
    endpoints = record.shown.get("_endpoints", [])
    total = len(endpoints)
    counts: dict[str, Any] = {"total": total, "types": {}, "platforms": {}, "statuses": {}}
    for e in endpoints:
        counts["types"][e["type"]] = counts["types"].get(e["type"], 0) + 1
        platform = e["os"]["platform"]
        counts["platforms"][platform] = counts["platforms"].get(platform, 0) + 1
    counts["statuses"] = {status: total}
    remaining = max(0, int(record.created + record.duration - now)) if status != "finished" else 0
    body.update({k: v for k, v in record.shown.items() if not k.startswith("_")})
    body.update(
        createdBy=record.shown.get("_by"),
        maxDurationInSeconds=300,
        timeRemainingInSeconds=remaining,
        performance={"score": "excellent" if status == "finished" else "notEvaluated",
                     "dataTransferredInBytes": {"total": 512 * len(record.rows)},
                     "executionTimeInMillis": {"total": int(record.duration * 1000)}},
        resultCount=len(record.rows) if status == "finished" else 0,
        endpointCounts=counts,
    )  # fmt: skip
    return body


def _xdr_view(record: RunRecord, now: float) -> dict[str, Any]:
    body = record.base(now)
    body["createdBy"] = record.shown.get("_by")
    body.update({k: v for k, v in record.shown.items() if not k.startswith("_")})
    return body


def _start(
    request: Request, family: QueryFamily, body: dict[str, Any], now: float, duration: float
) -> RunRecord:
    """Run the statement of a ``POST .../queries/runs`` body now and keep the run."""
    state = state_of(request, family)
    template, shown = _source(body, state)
    variables = _variables(body)
    sql = substitute_variables(template, variables)
    ids = _endpoint_ids(body)
    if family.per_endpoint:
        outcome, endpoints = _run_live(request, sql, ids)
        shown["_endpoints"] = endpoints
        given = body.get("matchEndpoints") or {}
        shown["matchEndpoints"] = {"all": ids is None, "filters": given.get("filters") or []}
    else:
        outcome, window = _run_data_lake(request, sql, body, ids, now)
        shown.update(window)
        shown["matchEndpoints"] = {"filters": [{"ids": ids}] if ids else []}
    shown["variables"] = [
        {"name": v["name"], "dataType": v.get("dataType", "text")} for v in variables
    ]
    shown["_by"] = request.state.principal.actor()
    run_id = new_run_id(state["runs"], f"run:{request.state.tenant.id}:{family.key}")
    record = RunRecord(
        run_id, now, duration, outcome.rows, outcome.columns, outcome.error, shown=shown
    )
    state["runs"][run_id] = record
    return record


def _run_routes(family: QueryFamily) -> list[BaseRoute]:
    view: Callable[[RunRecord, float], dict[str, Any]] = (
        _live_view if family.per_endpoint else _xdr_view
    )

    def runs(request: Request) -> dict[str, RunRecord]:
        found: dict[str, RunRecord] = state_of(request, family)["runs"]
        return found

    def start(request: Request, body: dict[str, Any], now: float, duration: float) -> RunRecord:
        return _start(request, family, body, now, duration)

    def results_page(
        request: Request, record: RunRecord, rows: list[dict[str, Any]]
    ) -> dict[str, Any]:
        page = key_page(
            request, lambda start: ((i, rows[i]) for i in range(start, len(rows))),
            salt=record.id[:8], max_size=family.results_max, default_size=family.results_default,
            count=lambda: len(rows),
        )  # fmt: skip
        return {"items": page.items, "metadata": {"columns": record.columns}, "pages": page.pages}

    async def list_runs(request: Request) -> Response:
        now = clock(request)
        items = [view(r, now) for r in runs(request).values()]
        status_param = "status" if family.per_endpoint else "statuses"
        statuses = parse_csv_enum(request, status_param, RUN_STATUSES)
        if statuses:
            items = [i for i in items if i["status"] in statuses]
        results = parse_csv_enum(request, "result", RUN_RESULTS) if family.per_endpoint else None
        if results:
            items = [i for i in items if i["result"] in results]
        for param, key in (("queryId", "query"), ("categoryId", "category")):
            wanted = request.query_params.get(param)
            if wanted:
                items = [i for i in items if (i.get(key) or {}).get("id") == wanted.lower()]
        descending = request.query_params.get("order") == "desc" or request.query_params.get(
            "sort", ""
        ).endswith(":desc")
        items.sort(key=lambda i: i["createdAt"], reverse=descending)
        if not family.per_endpoint:
            keep = (
                "id",
                "createdAt",
                "result",
                "status",
                "name",
                "query",
                "category",
                "from",
                "to",
            )
            items = [{k: i[k] for k in keep if k in i} for i in items]
        return json_response(number_page(request, items, max_size=100))

    routes: list[BaseRoute] = [
        Route("/queries/runs", list_runs, methods=["GET"]),
        *run_routes("/queries/runs", runs, start, view, results_page),
    ]
    if family.can_cancel:

        async def cancel(request: Request) -> Response:
            run_of(runs(request), request).cancel(clock(request))
            return json_response({"canceled": True})

        routes.append(Route("/queries/runs/{run_id}/cancel", cancel, methods=["POST"]))
    if family.per_endpoint:

        async def endpoints(request: Request) -> Response:
            record = run_of(runs(request), request)
            now = clock(request)
            status, result = record.status(now), record.result(now)
            items = [
                {"id": e["id"], "type": e["type"], "hostname": e["hostname"], "status": status,
                 "result": result, "os": e["os"], "_rows": e["rows"]}
                for e in record.shown.get("_endpoints", [])
            ]  # fmt: skip
            match = request.query_params.get("match")
            if match:
                parts = match.split(":")
                if parts[0] and parts[0] != status:
                    items = []
                if len(parts) > 1 and parts[1] and parts[1] != result:
                    items = []
                if len(parts) > 2 and parts[2] in ("withData", "withoutData"):
                    items = [i for i in items if (i["_rows"] > 0) == (parts[2] == "withData")]
            rows = [{k: v for k, v in i.items() if k != "_rows"} for i in items]
            return json_response(number_page(request, rows, max_size=100))

        routes.append(Route("/queries/runs/{run_id}/endpoints", endpoints, methods=["GET"]))
    return routes


# --- enrichments -------------------------------------------------------------------------------------

ENRICHMENT_TYPES = ("ipAddress", "sha256", "domain", "url", "filePath", "deviceName")


def _enrichment_fields(body: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for key in ("name", "description", "url", "type"):
        value = body.get(key)
        if value is None:
            if not partial and key != "description":
                raise BadRequest(f"{key} is required.")
            continue
        if not isinstance(value, str) or not value.strip():
            raise BadRequest(f"{key} must be a non-empty string.")
        fields[key] = value
    if "type" in fields:
        check_choice("type", fields["type"], ENRICHMENT_TYPES)
    if "url" in fields and not fields["url"].startswith(("https://", "http://")):
        raise BadRequest("url must be an http(s) URL.")
    return fields


def _enrichment_routes() -> list[BaseRoute]:
    def items(request: Request) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = state_of(request, LIVE_DISCOVER)["enrichments"]
        return found

    def one(request: Request) -> dict[str, Any]:
        enrichment_id = str(request.path_params["enrichment_id"]).lower()
        return found(items(request), enrichment_id, "Enrichment not found.")

    async def list_enrichments(request: Request) -> Response:
        keep = ("id", "sourceType", "name", "description", "type", "url")
        return json_response({"items": [{k: e[k] for k in keep} for e in items(request).values()]})

    async def create(request: Request) -> Response:
        fields = _enrichment_fields(await json_body(request), partial=False)
        now = iso(clock(request))
        tenant = request.state.tenant
        enrichment_id = seeded_uuid(
            random.Random(f"enrichment:{tenant.id}:{len(items(request))}:{now}")
        )
        by = {k: v for k, v in request.state.principal.actor().items() if k != "accountId"}
        item = {"id": enrichment_id, "tenant": {"id": tenant.id, "name": tenant.name}, "sourceType": "custom",
                "description": "", **fields, "createdAt": now, "createdBy": by, "updatedAt": now, "updatedBy": by}  # fmt: skip
        items(request)[enrichment_id] = item
        return json_response(item, 201)

    async def update(request: Request) -> Response:
        item = one(request)
        if item["sourceType"] == "canned":
            raise BadRequest("Canned enrichments cannot be changed.")
        item.update(
            _enrichment_fields(await json_body(request), partial=True),
            updatedAt=iso(clock(request)),
        )
        return json_response(item)

    async def delete(request: Request) -> Response:
        item = one(request)
        if item["sourceType"] == "canned":
            raise BadRequest("Canned enrichments cannot be deleted.")
        del items(request)[item["id"]]
        return json_response({"deleted": True})

    return crud_routes(
        "/enrichment-pivots",
        "enrichment_id",
        list=list_enrichments,
        add=create,
        update=update,
        delete=delete,
    )


def xdr_routes() -> list[BaseRoute]:
    """Routes relative to ``/region/{region}/xdr-query/v1``."""
    return [*_run_routes(XDR), *_library_routes(XDR)]


def live_discover_routes() -> list[BaseRoute]:
    """Routes relative to ``/region/{region}/live-discover/v1``."""
    return [*_run_routes(LIVE_DISCOVER), *_library_routes(LIVE_DISCOVER), *_enrichment_routes()]
