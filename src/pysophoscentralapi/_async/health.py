"""Account Health Check API (``/account-health-check/v1``): scores, history, snoozing reminders."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from pysophoscentralapi._async._resource import AsyncResource
from pysophoscentralapi._page import validate_item
from pysophoscentralapi._validation import check_choice, csv_value
from pysophoscentralapi.models.health import (
    HEALTH_CHECKS,
    HEALTH_PRODUCTS,
    HealthCheck,
    HistoricalScores,
    RegionalScores,
)

_BASE = "/account-health-check/v1"


def _choices(values: Sequence[str] | None, name: str, valid: Sequence[str]) -> str | None:
    if values is None:
        return None
    if isinstance(values, str):
        values = [values]
    return csv_value([check_choice(v, name, valid) for v in values])


def _day(value: date | str | None, name: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise ValueError(f"{name}: not a date (YYYY-MM-DD): {value!r}") from None


class AsyncHealth(AsyncResource):
    """The tenant's account health: how well it is set up, area by area (0-100, 100 = best).

    Partner and organization credentials reach a tenant through ``for_tenant``::

        check = await central.for_tenant(tenant.id).health.check()
        for area in check.scores():
            print(area.area, area.score, area.finding)
    """

    async def check(
        self,
        *,
        checks: Sequence[str] | None = None,
        products: Sequence[str] | None = None,
    ) -> HealthCheck:
        """Run the health check (``GET /health-check``).

        ``checks`` limits it to some of ``protection``, ``policy``, ``exclusions``,
        ``tamperProtection``; ``products`` to ``endpoint`` and/or ``networkDevice``.

        Example::

            check = await central.health.check(checks=["tamperProtection"])
            print(check.overall_score)
        """
        params = {
            "checks": _choices(checks, "checks", HEALTH_CHECKS),
            "products": _choices(products, "products", HEALTH_PRODUCTS),
        }
        body = await self._request("GET", f"{_BASE}/health-check", params=params)
        return validate_item(HealthCheck, body)

    async def regional_scores(self) -> RegionalScores:
        """How organizations of the tenant's region score, by size band (``GET /scores/regional``).

        Example::

            for band in (await central.health.regional_scores()).bands:
                print(band.lower_bound, band.upper_bound, band.endpoint.protection_computer_score)
        """
        return validate_item(RegionalScores, await self._request("GET", f"{_BASE}/scores/regional"))

    async def historical_scores(
        self, *, start_date: date | str | None = None, end_date: date | str | None = None
    ) -> HistoricalScores:
        """The tenant's scores day by day, ``start_date`` to ``end_date`` inclusive.

        Example::

            history = await central.health.historical_scores(start_date="2026-11-01")
            for point in history.datapoints:
                print(point.date, point.endpoint.tamper_protection_computer_score)
        """
        start, end = _day(start_date, "start_date"), _day(end_date, "end_date")
        if start and end and start > end:
            raise ValueError(f"start_date ({start}) is after end_date ({end})")
        params = {"startDate": start, "endDate": end}
        body = await self._request("GET", f"{_BASE}/scores/historical", params=params)
        return validate_item(HistoricalScores, body)

    async def snooze(self, body: dict[str, Any]) -> dict[str, Any]:
        """Snooze (or un-snooze) reminders about some areas (``POST /snooze``).

        ``body`` has the API's shape, e.g. ``{"endpoint": {"tamperProtection": {"server":
        {"snoozed": True, "snoozeDetail": {"comment": "legacy servers, replaced in Q1"}}}}}``;
        :func:`snooze_body` builds it from area paths. Returns the snoozed areas as now set.

        Example::

            await central.health.snooze(snooze_body(["tamperProtection.server"], comment="Q1"))
        """
        if not isinstance(body, dict) or not body:
            raise ValueError("body: give the areas to snooze, e.g. snooze_body([...])")
        answer = await self._request("POST", f"{_BASE}/snooze", json=body)
        return answer if isinstance(answer, dict) else {}


#: Area paths :func:`snooze_body` accepts, as :meth:`HealthCheck.scores` names them.
SNOOZE_AREAS = (
    "protection.computer",
    "protection.server",
    "tamperProtection.computer",
    "tamperProtection.server",
    "tamperProtection.global",
    "exclusions.global",
    "policy.computer.threat-protection",
    "policy.server.server-threat-protection",
    "exclusions.computer",
    "exclusions.server",
)


def snooze_body(areas: Sequence[str], *, comment: str, snoozed: bool = True) -> dict[str, Any]:
    """The ``POST /snooze`` body that snoozes (or, ``snoozed=False``, wakes) these areas.

    >>> snooze_body(["tamperProtection.server"], comment="legacy")
    {'endpoint': {'tamperProtection': {'server': {'snoozed': True, 'snoozeDetail': {'comment': 'legacy'}}}}}
    """
    if isinstance(areas, str):
        areas = [areas]
    if not areas:
        raise ValueError("areas: give at least one area to snooze")
    endpoint: dict[str, Any] = {}
    for area in areas:
        check_choice(area, "area", SNOOZE_AREAS)
        entry = {"snoozed": snoozed, "snoozeDetail": {"comment": comment}}
        parts = area.split(".")
        if parts[0] == "policy":
            listed = {"policyType": parts[2], **entry}
            endpoint.setdefault("policy", {}).setdefault(parts[1], []).append(listed)
        elif parts[0] == "exclusions" and parts[1] != "global":
            policy = endpoint.setdefault("exclusions", {}).setdefault("policy", {})
            policy_type = (
                "threat-protection" if parts[1] == "computer" else "server-threat-protection"
            )
            policy.setdefault(parts[1], []).append({"policyType": policy_type, **entry})
        else:
            endpoint.setdefault(parts[0], {})[parts[1]] = entry
    return {"endpoint": endpoint}
