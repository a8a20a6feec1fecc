"""Detections API: detections and detection groups (asynchronous runs), detection counts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any, TypedDict, Unpack

from pysophoscentralapi._async._query_runs import AsyncQueryRun, RunApi, get_run, start_run
from pysophoscentralapi._async._resource import AsyncResource
from pysophoscentralapi._page import validate_item
from pysophoscentralapi._paging import PagingStyle
from pysophoscentralapi._timeparams import TimeArg, run_window
from pysophoscentralapi._validation import check_choice, check_text, joined_values, split_values
from pysophoscentralapi.models.detections import Detection, DetectionCounts, DetectionGroup

__all__ = [
    "DETECTION_GROUP_RUNS",
    "DETECTION_RESOLUTIONS",
    "DETECTION_RUNS",
    "DETECTION_SORT_FIELDS",
    "AsyncDetections",
    "DetectionFilters",
]


#: Detections runs: numbered result pages (largest page INFERRED; the collection shows 50).
DETECTION_RUNS = RunApi(
    label="detections query",
    runs_path="/detections/v1/queries/detections",
    results_style=PagingStyle.NUMBER,
    results_page_size=1000,
    command="detections",
    results_command="runs results",
    result_model=Detection,
)
#: Detection groups runs: paged like detections runs.
DETECTION_GROUP_RUNS = replace(
    DETECTION_RUNS,
    label="detection groups query",
    runs_path="/detections/v1/queries/detection-groups",
    results_command="runs results --groups",
    result_model=DetectionGroup,
)
DETECTION_RESOLUTIONS = ("day", "hour", "minute")
DETECTION_SORT_FIELDS = ("severity", "time", "detectionRule", "type")
DETECTION_TYPES = ("threat",)


class DetectionFilters(TypedDict, total=False):
    """The filters of a detections or detection groups run (all optional)."""

    since: TimeArg
    from_: TimeArg
    to: TimeArg
    severity: int | Sequence[int]
    detection_rule: str
    sort: str | Sequence[str]


class AsyncDetections(AsyncResource):
    """Detections (``central.detections``): run a query over them, or count them.

    ::

        run = await central.detections.query(severity=range(7, 11), since=timedelta(days=7))
        await run.wait()
        async for detection in run.results():
            print(detection.severity, detection.detection_rule)
    """

    async def query(self, **filters: Unpack[DetectionFilters]) -> AsyncQueryRun:
        """Start a detections run (``POST /detections/v1/queries/detections``).

        Filters (:class:`DetectionFilters`): ``since`` or ``from_``/``to`` (default: the last day,
        as the API), ``severity`` (levels 0-10, one or several), ``detection_rule`` (one rule
        id), ``sort`` (``"severity:desc"``, ``"time"``...: severity, time, detectionRule, type).

        Example::

            run = await central.detections.query(since=timedelta(days=7), severity=range(7, 11))
            await run.wait()
        """
        return await start_run(self, DETECTION_RUNS, _run_body(**filters))

    async def group_query(self, **filters: Unpack[DetectionFilters]) -> AsyncQueryRun:
        """Start a detection groups run: detections counted per rule (filters as :meth:`query`)."""
        return await start_run(self, DETECTION_GROUP_RUNS, _run_body(**filters))

    async def get_run(self, run_id: str) -> AsyncQueryRun:
        """A detections run by id."""
        return await get_run(self, DETECTION_RUNS, run_id)

    async def get_group_run(self, run_id: str) -> AsyncQueryRun:
        """A detection groups run by id."""
        return await get_run(self, DETECTION_GROUP_RUNS, run_id)

    async def counts(
        self,
        *,
        since: TimeArg | None = None,
        from_: TimeArg | None = None,
        to: TimeArg | None = None,
        resolution: str | None = None,
        severity: int | Sequence[int] | None = None,
        detection_rule: str | None = None,
        type: str | Sequence[str] | None = None,
        category: str | Sequence[str] | None = None,
        source: str | None = None,
        device_name_contains: str | None = None,
        entity_type: str | None = None,
        mitre_attack: str | None = None,
        operating_system_name: str | None = None,
        username: str | None = None,
        show_suppressed: bool | None = None,
    ) -> DetectionCounts:
        """Detections counted per ``resolution`` (day, hour, minute) bucket (``GET .../counts``),
        over ``since`` or ``from_`` (not both) up to ``to``.

        Example::

            counts = await central.detections.counts(since=timedelta(days=7), resolution="day")
            for bucket in counts.resolution_detection_counts:
                print(bucket["startsAt"], bucket["totalCount"])
        """
        params: dict[str, Any] = {
            **run_window(since, from_, to),
            "resolution": check_choice(resolution, "resolution", DETECTION_RESOLUTIONS)
            if resolution
            else None,
            "severity": ",".join(str(s) for s in _severities(severity)) or None,
            "detectionRule": check_text(detection_rule, "detection_rule")
            if detection_rule
            else None,
            "type": joined_values(type, "type"),
            "category": joined_values(category, "category"),
            "source": source,
            "deviceNameContains": device_name_contains,
            "entityType": entity_type,
            "mitreAttack": mitre_attack,
            "operatingSystemName": operating_system_name,
            "username": username,
            "showSuppressed": None
            if show_suppressed is None
            else str(bool(show_suppressed)).lower(),
        }
        body = await self._request("GET", "/detections/v1/queries/detections/counts", params=params)
        return validate_item(DetectionCounts, body)


def _severities(severity: int | Sequence[int] | None) -> list[int]:
    if severity is None:
        return []
    values = [severity] if isinstance(severity, int) else list(severity)
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
            raise ValueError(f"severity: {value!r} is not a level from 0 to 10")
    return values


def _run_body(
    *,
    since: TimeArg | None = None,
    from_: TimeArg | None = None,
    to: TimeArg | None = None,
    severity: int | Sequence[int] | None = None,
    detection_rule: str | None = None,
    sort: str | Sequence[str] | None = None,
) -> dict[str, Any]:
    """The body of a detections or groups run."""
    window = run_window(since, from_, to)
    body: dict[str, Any] = {}
    if detection_rule is not None:
        body["detectionRule"] = check_text(detection_rule, "detection_rule").strip()
    levels = _severities(severity)
    if levels:
        body["severity"] = levels
    criteria = []
    for item in split_values(sort, "sort"):
        field, _, direction = item.partition(":")
        check_choice(field, "sort", DETECTION_SORT_FIELDS)
        criteria.append(
            {
                "field": field,
                "direction": check_choice(direction or "asc", "sort direction", ("asc", "desc")),
            }
        )
    if criteria:
        body["sort"] = criteria
    body.update(window)
    return body
