"""Common API: alerts (API_NOTES §8.1)."""

from __future__ import annotations

import builtins
import re
from collections.abc import Sequence
from typing import Any

from pysophoscentralapi._async._pagination import AsyncPaginator
from pysophoscentralapi._async._resource import AsyncResource, same_arguments_as
from pysophoscentralapi._page import validate_item
from pysophoscentralapi._paging import PagingStyle
from pysophoscentralapi._timeparams import TimeArg
from pysophoscentralapi._timeparams import absolute_api_time as _absolute_time
from pysophoscentralapi._validation import check_page_size, check_text, check_uuid, split_values
from pysophoscentralapi.models.alerts import (
    ALERT_ACTIONS,
    ALERT_CATEGORIES,
    ALERT_PRODUCTS,
    ALERT_SEVERITIES,
    Alert,
    AlertActionResult,
)

__all__ = ["MAX_ALERTS_PAGE_SIZE", "AsyncAlerts"]

#: The API's largest alerts page.
MAX_ALERTS_PAGE_SIZE = 100

_BASE = "/common/v1/alerts"
_SORT = re.compile(r"^[A-Za-z][\w.]*(:(asc|desc))?$")


class AsyncAlerts(AsyncResource):
    """Common API: alerts of a tenant (``central.alerts``).

    ::

        async for alert in central.alerts.list(severity=["high"], from_=timedelta(days=1)):
            print(alert.raised_at, alert.description, alert.allowed_actions)
    """

    def list(
        self,
        *,
        from_: TimeArg | None = None,
        to: TimeArg | None = None,
        severity: str | Sequence[str] | None = None,
        category: str | Sequence[str] | None = None,
        product: str | Sequence[str] | None = None,
        group_key: str | None = None,
        ids: str | Sequence[str] | None = None,
        sort: str | Sequence[str] | None = None,
        fields: str | Sequence[str] | None = None,
        page_size: int = MAX_ALERTS_PAGE_SIZE,
    ) -> AsyncPaginator[Alert]:
        """Alerts matching the filters, fetched lazily page by page (``GET /common/v1/alerts``).

        - ``from_`` / ``to``: raised on or after / before this time: a ``datetime`` (naive = UTC),
          a ``timedelta`` meaning "that long ago", or an ISO-8601 date, datetime or signed
          duration (``"-P7D"``); durations are turned into a time before sending.
        - ``severity`` (high, medium, low), ``category``, ``product``: one value or several
          (see :data:`~pysophoscentralapi.models.alerts.ALERT_CATEGORIES` and ``ALERT_PRODUCTS``).
        - ``ids``: alert ids (UUIDs); ``group_key``: an alert group key.
        - ``sort``: ``"field"`` or ``"field:desc"`` criteria, e.g. ``"raisedAt:desc"``.
        - ``fields``: only these fields in each alert (``id`` is always returned).
        - ``page_size``: 1 to 100.

        Raises ``ValueError`` naming the argument (and the valid values) before any request.

        Example::

            recent = central.alerts.list(severity="high", from_=timedelta(hours=24))
            async for alert in recent:
                print(alert.id, alert.description)
        """
        query = _build_query(
            from_=from_,
            to=to,
            severity=severity,
            category=category,
            product=product,
            group_key=group_key,
            ids=ids,
            sort=sort,
            fields=fields,
        )
        params = {k: ",".join(v) if isinstance(v, builtins.list) else v for k, v in query.items()}
        return self._listing(_BASE, page_size, params=params)

    @same_arguments_as(list)
    def search(self, *, page_size: int, **filters: Any) -> AsyncPaginator[Alert]:
        """Like :meth:`list`, sent as a JSON body (``POST /common/v1/alerts/search``).

        Useful when the filters (e.g. many ``ids``) would make a URL too long. Paging values go
        in the body too.

        Example::

            wanted = ["a5ded91c-6575-435c-a6b4-64b94f9048ff", "f9415c5f-e0e9-41d7-8126-1956223a66f1"]
            alerts = await central.alerts.search(ids=wanted).to_list()
        """
        body = _build_query(**filters)
        return self._listing(_BASE + "/search", page_size, method="POST", body=body)

    def _listing(self, path: str, page_size: int, **options: Any) -> AsyncPaginator[Alert]:
        # An alerts listing (GET /alerts, POST /alerts/search): key-paged, page_size checked
        # first (options: the query as params, or as a POST body).
        check_page_size(page_size, MAX_ALERTS_PAGE_SIZE)
        return self._paginate(
            path, model=Alert, style=PagingStyle.KEY, page_size=page_size, **options
        )

    async def get(self, alert_id: str) -> Alert:
        """One alert by id (``GET /common/v1/alerts/{id}``); ``NotFoundError`` when it is gone.

        Example::

            alert = await central.alerts.get("a5ded91c-6575-435c-a6b4-64b94f9048ff")
            print(alert.severity, alert.allowed_actions)
        """
        alert_id = check_uuid(alert_id, "alert_id", noun="an id")
        body = await self._request("GET", f"{_BASE}/{alert_id}")
        return validate_item(Alert, body)

    async def act(
        self, alert_id: str, action: str, *, message: str | None = None
    ) -> AlertActionResult:
        """Take an action on an alert (``POST /common/v1/alerts/{id}/actions``).

        The alert is read first: an ``action`` it does not allow raises ``ValueError`` naming the
        ones it allows, and nothing is sent. ``message`` is an optional note for the action.

        Example::

            result = await central.alerts.act(alert_id, "acknowledge")
            print(result.status)  # AlertActionStatus.STARTED
        """
        alert_id = check_uuid(alert_id, "alert_id", noun="an id")
        action = str(action)
        if action not in ALERT_ACTIONS:
            raise ValueError(
                f"action: unknown action {action!r}; valid actions: {', '.join(ALERT_ACTIONS)}"
            )
        if message is not None and not isinstance(message, str):
            raise ValueError("message: expected a string")
        alert = await self.get(alert_id)
        allowed = [str(a) for a in alert.allowed_actions]
        if action not in allowed:
            raise ValueError(
                f"action: {action!r} is not allowed on alert {alert_id}; "
                f"allowed actions: {', '.join(allowed) or 'none'}"
            )
        payload: dict[str, Any] = {"action": action}
        if message is not None:
            payload["message"] = message
        body = await self._request("POST", f"{_BASE}/{alert_id}/actions", json=payload)
        return self._result(AlertActionResult, body)


# --- argument checking (before any request) ---------------------------------------------------


def _build_query(
    *,
    from_: TimeArg | None,
    to: TimeArg | None,
    severity: str | Sequence[str] | None,
    category: str | Sequence[str] | None,
    product: str | Sequence[str] | None,
    group_key: str | None,
    ids: str | Sequence[str] | None,
    sort: str | Sequence[str] | None,
    fields: str | Sequence[str] | None,
) -> dict[str, Any]:
    """The filters in the API's spelling (lists stay lists), validated; ``None`` ones left out."""
    query: dict[str, Any] = {}
    if from_ is not None:
        query["from"] = _absolute_time(from_, "from_")
    if to is not None:
        query["to"] = _absolute_time(to, "to")
    for name, value, known in (
        ("severity", severity, ALERT_SEVERITIES),
        ("category", category, ALERT_CATEGORIES),
        ("product", product, ALERT_PRODUCTS),
    ):
        values = split_values(value, name)
        if values:
            unknown = [v for v in values if v not in known]
            if unknown:
                raise ValueError(
                    f"{name}: unknown value(s) {', '.join(map(repr, unknown))}; "
                    f"valid values: {', '.join(known)}"
                )
            query[name] = values
    if group_key is not None:
        query["groupKey"] = check_text(group_key, "group_key").strip()
    id_values = split_values(ids, "ids")
    if id_values:
        query["ids"] = [check_uuid(v, "ids", noun="an id") for v in id_values]
    sort_values = split_values(sort, "sort")
    if sort_values:
        bad = [v for v in sort_values if not _SORT.match(v)]
        if bad:
            raise ValueError(
                f"sort: {bad[0]!r} is not FIELD, FIELD:asc or FIELD:desc (e.g. 'raisedAt:desc')"
            )
        query["sort"] = sort_values
    field_values = split_values(fields, "fields")
    if field_values:
        query["fields"] = field_values
    return query
