"""Cases API: cases (list, get, create, update, delete), their detections, impacted entities and
MITRE ATT&CK summary."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import partial
from typing import Any

from pysophoscentralapi._async._pagination import AsyncPaginator
from pysophoscentralapi._async._resource import AsyncResource
from pysophoscentralapi._page import validate_item
from pysophoscentralapi._timeparams import TimeArg, to_api_time
from pysophoscentralapi._validation import (
    check_choice,
    check_choices,
    check_text,
    is_uuid_text,
    sort_param,
    split_values,
    text_fields,
)
from pysophoscentralapi.models.cases import (
    CASE_MANAGERS,
    CASE_SEVERITIES,
    CASE_STATUSES,
    CASE_TYPES,
    CASE_VERDICTS,
    Case,
    ImpactedEntity,
    MitreAttackSummary,
)
from pysophoscentralapi.models.detections import Detection

__all__ = ["MAX_CASES_PAGE_SIZE", "AsyncCases"]

_BASE = "/cases/v1/cases"
#: The largest page (INFERRED: the collection shows only the default of 50).
MAX_CASES_PAGE_SIZE = 100
#: A case id as documented (``^[A-Za-z0-9]+-[A-Za-z0-9]+$``); UUIDs are accepted too.
_CASE_ID = re.compile(r"^[A-Za-z0-9]+-[A-Za-z0-9]+$")


def check_case_id(case_id: str) -> str:
    text = check_text(case_id, "case_id").strip()
    if not (_CASE_ID.match(text) or is_uuid_text(text)):
        raise ValueError(f"case_id: {case_id!r} is not a case id (like INC-1A2B3C)")
    return text


def _case_path(case_id: str, below: str = "") -> str:
    """A case's path, or one ``below`` it (``ValueError`` for a ``case_id`` that is no case id)."""
    return f"{_BASE}/{check_case_id(case_id)}{below}"


class AsyncCases(AsyncResource):
    """Cases (``central.cases``).

    ::

        async for case in central.cases.list(status=["new", "investigating"]):
            print(case.id, case.severity, case.name)
        case = await central.cases.create(name="Suspicious PowerShell", type="hunt", severity="high")
    """

    def list(
        self,
        *,
        managed_by: str | None = None,
        type: str | Sequence[str] | None = None,
        severity: str | Sequence[str] | None = None,
        status: str | Sequence[str] | None = None,
        assignee: str | None = None,
        name: str | None = None,
        overview_contains: str | None = None,
        created_after: TimeArg | None = None,
        created_before: TimeArg | None = None,
        escalated: bool | None = None,
        verdict: str | None = None,
        sort: str | Sequence[str] | None = None,
        page_size: int = MAX_CASES_PAGE_SIZE,
    ) -> AsyncPaginator[Case]:
        """Cases matching the filters (``GET /cases/v1/cases``), page by page.

        ``assignee``: an email, or ``Unassigned``; times: as ``alerts.list``.
        """
        params = {
            "managedBy": check_choice(managed_by, "managed_by", CASE_MANAGERS)
            if managed_by
            else None,
            "type": check_choices(type, "type", CASE_TYPES),
            "severity": check_choices(severity, "severity", CASE_SEVERITIES),
            "status": check_choices(status, "status", CASE_STATUSES),
            "assignee": check_text(assignee, "assignee") if assignee else None,
            "name": check_text(name, "name") if name else None,
            "overviewContains": check_text(overview_contains, "overview_contains")
            if overview_contains
            else None,
            "createdAfter": to_api_time(created_after, name="created_after")
            if created_after
            else None,
            "createdBefore": to_api_time(created_before, name="created_before")
            if created_before
            else None,
            "escalated": None if escalated is None else str(bool(escalated)).lower(),
            "verdict": check_choice(verdict, "verdict", CASE_VERDICTS) if verdict else None,
            "sort": sort_param(sort or None, None),
        }
        return self._numbered_pages(_BASE, Case, page_size, MAX_CASES_PAGE_SIZE, params=params)

    async def get(self, case_id: str) -> Case:
        """One case by id."""
        return validate_item(Case, await self._request("GET", _case_path(case_id)))

    async def create(
        self,
        *,
        name: str,
        type: str,
        severity: str | None = None,
        status: str | None = None,
        assignee: str | None = None,
        overview: str | None = None,
        initial_detection_id: str | None = None,
        other_detection_ids: Sequence[str] | None = None,
        managed_by: str = "self",
    ) -> Case:
        """A new case (``POST /cases/v1/cases``), self-managed unless ``managed_by="sophos"``.

        Example::

            case = await central.cases.create(
                name="Suspicious PowerShell on WS-ACME-0004", type="hunt", severity="high",
                assignee="analyst@example.com", initial_detection_id=detection.id,
            )
        """
        body = _case_body(
            name=name, type=type, severity=severity, status=status, assignee=assignee,
            overview=overview,
        )  # fmt: skip
        body["managedBy"] = check_choice(managed_by, "managed_by", CASE_MANAGERS)
        if initial_detection_id is not None:
            body["initialDetectionId"] = check_text(initial_detection_id, "initial_detection_id")
        others = split_values(other_detection_ids, "other_detection_ids")
        if others:
            body["otherDetectionIds"] = others
        answer = await self._request("POST", _BASE, json=body)
        return self._result(Case, answer)

    async def update(
        self,
        case_id: str,
        *,
        name: str | None = None,
        type: str | None = None,
        severity: str | None = None,
        status: str | None = None,
        assignee: str | None = None,
        overview: str | None = None,
    ) -> Case:
        """Change a case (``PATCH``): only the fields given are sent."""
        path = _case_path(case_id)
        body = _case_body(
            name=name, type=type, severity=severity, status=status, assignee=assignee,
            overview=overview,
        )  # fmt: skip
        if not body:
            raise ValueError(
                "give at least one of name, type, severity, status, assignee, overview"
            )
        answer = await self._request("PATCH", path, json=body)
        return self._result(Case, answer)

    async def delete(self, case_id: str) -> bool:
        """Delete a self-managed case; ``True`` when the API says it was deleted."""
        answer = await self._request("DELETE", _case_path(case_id))
        return self._deleted(answer)

    def detections(
        self,
        case_id: str,
        *,
        sort: str | Sequence[str] | None = None,
        page_size: int = MAX_CASES_PAGE_SIZE,
    ) -> AsyncPaginator[Detection]:
        """The detections of a case."""
        return self._numbered_pages(
            _case_path(case_id, "/detections"),
            Detection,
            page_size,
            MAX_CASES_PAGE_SIZE,
            params={"sort": sort_param(sort or None, None)},
        )

    async def get_detection(self, case_id: str, detection_id: str) -> Detection:
        """One detection of a case."""
        detection_id = check_text(detection_id, "detection_id").strip()
        body = await self._request("GET", _case_path(case_id, f"/detections/{detection_id}"))
        return validate_item(Detection, body)

    def impacted_entities(
        self,
        case_id: str,
        *,
        id: str | None = None,
        name: str | None = None,
        type: str | None = None,
        sort: str | Sequence[str] | None = None,
        page_size: int = MAX_CASES_PAGE_SIZE,
    ) -> AsyncPaginator[ImpactedEntity]:
        """The devices, users, addresses... a case touches (exact-match filters)."""
        return self._numbered_pages(
            _case_path(case_id, "/impacted-entities"),
            ImpactedEntity,
            page_size,
            MAX_CASES_PAGE_SIZE,
            params={
                "id": id,
                "name": name,
                "type": type,
                "sort": sort_param(sort or None, None),
            },
        )

    async def mitre_attack_summary(self, case_id: str) -> MitreAttackSummary:
        """The MITRE ATT&CK tactics and techniques of a case's detections."""
        body = await self._request("GET", _case_path(case_id, "/mitre-attack-summary"))
        return validate_item(MitreAttackSummary, body)


#: The case fields that take one of the API's values.
_CASE_CHOICES = {
    "type": partial(check_choice, valid=CASE_TYPES),
    "severity": partial(check_choice, valid=CASE_SEVERITIES),
    "status": partial(check_choice, valid=CASE_STATUSES),
}


def _case_body(**fields: str | None) -> dict[str, Any]:
    return text_fields(fields, _CASE_CHOICES)
