"""Emulated SIEM Integration API: ``GET /siem/v1/events`` and ``/siem/v1/alerts`` (API_NOTES §10).

Each tenant has two feeds, built from ``(seed, feed, index)`` so nothing is stored per item:

- a backlog of ``siem_events`` events (``siem_alerts`` alerts) spread over the 23 hours before the
  server started, then new ones arriving at ``siem_rate`` per second (a tenth of that for alerts)
  while it runs;
- the feed is ordered by ``created_at`` (arrival at Central). A ``siem_late_fraction`` of new
  items are *late*: their ``when`` (when it happened on the device) is minutes to an hour before
  their arrival, as for a device that was offline;
- a cursor names a position and when it was issued; one older than ``siem_cursor_ttl`` seconds
  (24 h, as the API) is not honoured and the feed restarts 24 hours back, as the API documents;
- ``from_date`` (Unix seconds) must lie within the last 24 hours, else 400; ``limit`` is 1 to
  1000 (default 200); ``exclude_types`` (events) leaves out those types.

Tests can compute what a feed holds with :func:`siem_feed` (``feed.ids(start, stop)``).
"""

from __future__ import annotations

import base64
import bisect
import math
import random
import time
import uuid
from dataclasses import dataclass
from typing import Any, NamedTuple

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from pysophoscentralapi.emulator._data import iso
from pysophoscentralapi.emulator._http import BadRequest, csv_values, json_response, parse_int

MAX_LIMIT = 1000
DEFAULT_LIMIT = 200
WINDOW_SECONDS = 24 * 3600
#: The backlog is spread over this much time before the server's start.
BACKLOG_SPAN_SECONDS = 23 * 3600
#: Slack for clock differences when checking ``from_date``.
FROM_DATE_SLACK_SECONDS = 120

# (type, group, severity, name template) of the events feed, as Central writes them.
EVENT_KINDS: tuple[tuple[str, str, str, str], ...] = (
    ("Event::Endpoint::UpdateSuccess", "UPDATING", "LOW", "Update succeeded"),
    ("Event::Endpoint::UpdateSuccess", "UPDATING", "LOW", "Update succeeded"),
    ("Event::Endpoint::Registered", "PROTECTION", "LOW", "New computer registered: {host}"),
    ("Event::Endpoint::Threat::Detected", "MALWARE", "HIGH", "Malware detected: '{threat}' at '{path}'"),
    ("Event::Endpoint::Threat::Cleaned", "MALWARE", "LOW", "Malware cleaned up: '{threat}' at '{path}'"),
    ("Event::Endpoint::WebControlViolation", "WEB", "MEDIUM", "Access was blocked to \"{site}\" because of \"Gambling\""),
    ("Event::Endpoint::Application::Blocked", "APPLICATION_CONTROL", "MEDIUM", "Controlled application blocked: {app}"),
    ("Event::Endpoint::CoreDetection", "RUNTIME_DETECTIONS", "HIGH", "Malicious behavior detected in '{path}'"),
    ("Event::Endpoint::Device::AlertedOnly", "PERIPHERALS", "MEDIUM", "Peripheral allowed: SanDisk Cruzer Blade"),
    ("Event::Endpoint::Isolation::Isolated", "PROTECTION", "CRITICAL", "Computer isolated: {host}"),
)  # fmt: skip
ALERT_KINDS: tuple[tuple[str, str, str], ...] = (
    ("Event::Endpoint::Threat::Detected", "HIGH", "Malware detected: '{threat}' at '{path}'"),
    ("Event::Endpoint::CoreDetection", "HIGH", "Malicious behavior detected in '{path}'"),
    ("Event::Endpoint::OutOfDate", "MEDIUM", "Computer out of date: {host}"),
    ("Event::Endpoint::ServiceNotRunning", "MEDIUM", "One or more Sophos services are missing or not running"),
    ("Event::Endpoint::UpdateFailure", "LOW", "Failed to protect computer: {host}"),
)  # fmt: skip
_THREATS = ("EICAR-AV-Test", "Mal/Generic-S", "Troj/Agent-BFUL", "ML/PE-A", "Mal/DrodZp-A")
_PATHS = (
    "C:\\Users\\alice\\Downloads\\invoice.exe",
    "C:\\Windows\\Temp\\upd4731.tmp",
    "C:\\Users\\bob\\AppData\\Local\\Temp\\setup.js",
)
_SITES = ("casino.example.com", "bets.example.net", "poker.example.org")
_APPS = ("uTorrent", "TeamViewer", "Tor Browser")


def _pick(rng: random.Random, values: tuple[Any, ...]) -> Any:
    return values[rng.randrange(len(values))]


class _Draw(NamedTuple):
    item_id: str
    created: float
    happened: float
    host: dict[str, Any]
    values: dict[str, str]


@dataclass
class SiemFeedState:
    """One feed of one tenant: where items are in time, and how to build item ``index``."""

    tenant_id: str
    feed: str
    seed: int
    origin: float
    backlog: int
    rate: float
    late_fraction: float
    hosts: list[dict[str, Any]]

    def created_at(self, index: int) -> float:
        if index < self.backlog:
            return self.origin - BACKLOG_SPAN_SECONDS * (self.backlog - index) / self.backlog
        return self.origin + (index - self.backlog + 1) / self.rate

    def count(self, now: float) -> int:
        """How many items have arrived by ``now``."""
        if self.rate <= 0 or now < self.origin:
            return self.backlog
        return self.backlog + math.floor((now - self.origin) * self.rate + 1e-9)

    def position_of(self, moment: float, now: float) -> int:
        """The first index created at or after ``moment``."""
        count = self.count(now)
        return bisect.bisect_left(range(count), moment, key=self.created_at)

    def item(self, index: int) -> dict[str, Any]:
        rng = random.Random(f"siem:{self.seed}:{self.feed}:{index}")
        created = self.created_at(index)
        late = index >= self.backlog and rng.random() < self.late_fraction
        happened = created - (rng.uniform(120, 3600) if late else rng.uniform(0.0, 2.0))
        host = self.hosts[rng.randrange(len(self.hosts))]
        values = {
            "host": host["hostname"],
            "threat": _pick(rng, _THREATS),
            "path": _pick(rng, _PATHS),
            "site": _pick(rng, _SITES),
            "app": _pick(rng, _APPS),
        }
        item_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        draw = _Draw(item_id, created, happened, host, values)
        return self._event(rng, draw) if self.feed == "events" else self._alert(rng, draw)

    def _event(self, rng: random.Random, draw: _Draw) -> dict[str, Any]:
        item_id, created, happened, host, values = draw
        kind, group, severity, name = _pick(rng, EVENT_KINDS)
        event: dict[str, Any] = {
            "id": item_id,
            "type": kind,
            "name": name.format(**values),
            "severity": severity,
            "group": group,
            "created_at": iso(created),
            "when": iso(happened),
            "customer_id": self.tenant_id,
            "endpoint_id": host["id"],
            "endpoint_type": host["type"],
            "location": host["hostname"],
            "source": f"{host['hostname'].split('-')[0].lower()}\\{_pick(rng, ('alice', 'bob', 'carol'))}",
            "source_info": {"ip": f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"},
            "user_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "origin": "Sophos",
        }  # fmt: skip
        if group in ("MALWARE", "RUNTIME_DETECTIONS"):
            event["threat"] = values["threat"]
            event["appSha256"] = f"{rng.getrandbits(256):064x}"
            event["core_remedy_items"] = {
                "items": [
                    {"descriptor": values["path"], "type": "file", "result": _pick(rng, ("DELETED", "WHITELISTED", "NOT_APPLICABLE"))}
                ],
                "totalItems": 1,
            }  # fmt: skip
        return event

    def _alert(self, rng: random.Random, draw: _Draw) -> dict[str, Any]:
        item_id, created, happened, host, values = draw
        kind, severity, description = _pick(rng, ALERT_KINDS)
        return {
            "id": item_id,
            "type": kind,
            "severity": severity,
            "description": description.format(**values),
            "created_at": iso(created),
            "when": iso(happened),
            "customer_id": self.tenant_id,
            "event_service_event_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "location": host["hostname"],
            "source": host["hostname"],
            "threat": values["threat"] if "Threat" in kind else "",
            "threat_cleanable": "Threat" in kind,
            "data": {
                "endpoint_id": host["id"],
                "endpoint_platform": "windows",
                "endpoint_type": host["type"],
                "created_at": int(created * 1000),
                "source_info": {"ip": f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"},
            },
        }  # fmt: skip

    def ids(self, start: int, stop: int) -> list[str]:
        """The ids of items ``start`` to ``stop - 1`` (for tests)."""
        return [self.item(index)["id"] for index in range(start, stop)]


def siem_feed(tenant: Any, feed: str) -> SiemFeedState:
    """The tenant's ``feed`` ("events" or "alerts"), made on first use."""
    key = f"siem:{feed}"
    state: SiemFeedState | None = tenant.store.get(key)
    if state is None:
        config = tenant.config
        alerts = feed == "alerts"
        hosts = tenant.endpoint_refs(20) or [
            {"id": str(uuid.UUID(int=tenant.rng_seed, version=4)), "hostname": "NEW-HOST", "type": "computer"}
        ]  # fmt: skip
        state = SiemFeedState(
            tenant_id=tenant.id,
            feed=feed,
            seed=tenant.rng_seed,
            origin=tenant.endpoints.factory.anchor,
            backlog=config.siem_alerts if alerts else config.siem_events,
            rate=config.siem_rate / 10 if alerts else config.siem_rate,
            late_fraction=config.siem_late_fraction,
            hosts=hosts,
        )
        tenant.store[key] = state
    return state


def _cursor(feed: SiemFeedState, position: int, issued: float) -> str:
    text = f"{feed.feed}:{feed.tenant_id}:{position}:{int(issued * 1000)}"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _read_cursor(feed: SiemFeedState, cursor: str) -> tuple[int, float]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        name, tenant_id, position, issued = base64.urlsafe_b64decode(padded).decode().rsplit(":", 3)
        if name != feed.feed or tenant_id != feed.tenant_id:
            raise ValueError(name)
        return int(position), int(issued) / 1000
    except ValueError:
        raise BadRequest("Invalid cursor.") from None


def _start(request: Request, feed: SiemFeedState, now: float) -> int:
    query = request.query_params
    window_start = feed.position_of(now - WINDOW_SECONDS, now)
    cursor = query.get("cursor")
    if cursor:
        position, issued = _read_cursor(feed, cursor)
        ttl = request.state.tenant.config.siem_cursor_ttl
        if now - issued > ttl:
            return window_start  # "Response will default to last 24 hours"
        return max(position, window_start)
    raw = query.get("from_date")
    if raw:
        try:
            from_date = int(raw)
        except ValueError:
            raise BadRequest(
                f"Invalid value for from_date: {raw!r}; expected Unix seconds."
            ) from None
        if (
            not now - WINDOW_SECONDS - FROM_DATE_SLACK_SECONDS
            <= from_date
            <= now + FROM_DATE_SLACK_SECONDS
        ):
            raise BadRequest("from_date must be within the last 24 hours.")
        return max(feed.position_of(from_date, now), window_start)
    return window_start


def _page(request: Request, feed_name: str) -> Response:
    feed = siem_feed(request.state.tenant, feed_name)
    now = time.time()
    limit = parse_int(request, "limit", DEFAULT_LIMIT, maximum=MAX_LIMIT)
    excluded = set()
    if feed_name == "events":
        excluded = set(csv_values(request, "exclude_types") or ())
    position = _start(request, feed, now)
    count = feed.count(now)
    items: list[dict[str, Any]] = []
    while position < count and len(items) < limit:
        item = feed.item(position)
        position += 1
        if item["type"] not in excluded:
            items.append(item)
    return json_response(
        {"has_more": position < count, "items": items, "next_cursor": _cursor(feed, position, now)}
    )


async def list_events(request: Request) -> Response:
    """``GET /siem/v1/events``."""
    return _page(request, "events")


async def list_alerts(request: Request) -> Response:
    """``GET /siem/v1/alerts``."""
    return _page(request, "alerts")


def siem_routes() -> list[BaseRoute]:
    """Routes of the SIEM API, relative to ``/region/{region}/siem/v1``."""
    return [
        Route("/events", list_events, methods=["GET"]),
        Route("/alerts", list_alerts, methods=["GET"]),
    ]
