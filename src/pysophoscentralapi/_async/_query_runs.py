"""The one run helper of the three query APIs: XDR Data Lake, Live Discover and detections.

Each API declares what differs (a :class:`RunApi`: paths, how results are paged, whether a run
can be canceled or lists its endpoints) and gets the rest from here: starting a run, the
:class:`AsyncQueryRun` object (``wait``, ``results``, ``cancel``), getting a run by id, and for the
two SQL APIs (:class:`AsyncQueryLibrary`) saved queries by id or name, categories and run lists.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from pysophoscentralapi._async._pagination import AsyncPaginator
from pysophoscentralapi._async._resource import AsyncResource
from pysophoscentralapi._errors import NotFoundError
from pysophoscentralapi._page import ModelT, validate_item
from pysophoscentralapi._paging import PagingStyle
from pysophoscentralapi._polling import (
    DEFAULT_WAIT_SECONDS,
    PollSchedule,
    check_finished_run,
    timeout_error,
)
from pysophoscentralapi._validation import (
    check_page_size,
    check_text,
    check_uuid,
    joined_values,
    split_values,
)
from pysophoscentralapi.models.queries import (
    QueryCategory,
    ResultRow,
    RunEndpoint,
    RunInfo,
    SavedQuery,
)

DEFAULT_SCHEDULE = PollSchedule()

__all__ = ["AsyncQueryLibrary", "AsyncQueryRun", "AsyncResultPaginator", "RunApi"]


@dataclass(frozen=True)
class RunApi:
    """What one query API's runs look like; everything else is shared.

    - ``runs_path``: ``POST`` starts a run there, ``{runs_path}/{id}`` is the run,
      ``{runs_path}/{id}/results`` its rows.
    - ``results_style`` / ``results_page_size``: how result pages are asked for, and the largest.
    - ``can_cancel``: ``POST {run}/cancel`` exists; ``has_endpoints``: ``GET {run}/endpoints``.
    - ``label`` names the API in messages; ``command`` is the CLI group, for hints;
      ``result_model`` the model of a row.
    """

    label: str
    runs_path: str
    results_style: PagingStyle
    results_page_size: int
    command: str
    can_cancel: bool = False
    has_endpoints: bool = False
    results_command: str = "runs results"
    #: The model of a result row (SQL rows have the query's own columns).
    result_model: type[BaseModel] = ResultRow

    def run_path(self, run_id: str) -> str:
        return f"{self.runs_path}/{run_id}"

    def later_hint(self, run_id: str) -> str:
        return (
            f"fetch the results later with: pysophos {self.command} {self.results_command} {run_id}"
        )


class AsyncResultPaginator(AsyncPaginator[ModelT]):
    """A run's result rows, page by page; ``columns`` is the result's schema once a page arrived.

    ``columns`` is a list of ``{"name", "type"}`` (the API's ``metadata.columns``), ``None``
    before the first page or when the API sends no schema.
    """

    columns: list[dict[str, Any]] | None = None

    def _seen(self, body: Any) -> Any:
        metadata = body.get("metadata") if isinstance(body, dict) else None
        if self.columns is None and isinstance(metadata, dict):
            columns = metadata.get("columns")
            if isinstance(columns, list):
                self.columns = [c for c in columns if isinstance(c, dict)]
        return body


class AsyncQueryRun:
    """One run of a query; made by ``query()``/``get_run()``, never directly.

    ::

        run = await central.xdr.query("SELECT meta_hostname, name FROM xdr_data", since="24h")
        await run.wait()                       # polls with backoff; raises on failure or timeout
        async for row in run.results():        # every page
            print(row.meta_hostname, row.name)
    """

    def __init__(self, resource: AsyncResource, api: RunApi, body: Any) -> None:
        self._resource = resource
        self.api = api
        self.info = validate_item(RunInfo, body)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.api.label}, id={self.id!r}, status={self.status!r})"

    @property
    def id(self) -> str:
        return self.info.id

    @property
    def status(self) -> str | None:
        """``pending``, ``started`` or ``finished`` (as of the last refresh)."""
        return str(self.info.status) if self.info.status is not None else None

    @property
    def result(self) -> str | None:
        """``notAvailable`` until finished, then ``succeeded``, ``failed``, ``timedOut``..."""
        return str(self.info.result) if self.info.result is not None else None

    @property
    def finished(self) -> bool:
        return self.status == "finished"

    async def refresh(self) -> RunInfo:
        """Ask for the run's status once (``GET {run}``)."""
        body = await self._resource._request("GET", self.api.run_path(self.id))
        self.info = validate_item(RunInfo, body)
        return self.info

    async def wait(
        self,
        timeout: float | None = DEFAULT_WAIT_SECONDS,
        *,
        on_status: Callable[[AsyncQueryRun], None] | None = None,
        schedule: PollSchedule = DEFAULT_SCHEDULE,
        clock: Callable[[], float] = time.monotonic,
    ) -> RunInfo:
        """Wait until the run has finished, asking for its status with a growing interval.

        Raises :class:`~pysophoscentralapi.QueryFailedError` when it failed (bad SQL), timed out
        or was canceled, and :class:`~pysophoscentralapi.QueryTimeoutError` (with ``run_id``)
        when it is still going after ``timeout`` seconds (``None``: no limit); the run goes on
        and :meth:`results` can be read later. ``on_status(run)`` is called after each poll.
        The pauses use the client's ``sleep`` (tests pass a fake one, with a fake ``clock``).
        """
        started = clock()
        delays = schedule.delays()
        while not self.finished:
            delay = next(delays)
            if timeout is not None:
                remaining = timeout - (clock() - started)
                if remaining <= 0:
                    raise timeout_error(
                        self.id, self.status, timeout, label=self.api.label,
                        hint=self.api.later_hint(self.id),
                    )  # fmt: skip
                delay = min(delay, remaining)
            await self._resource._transport._pause(delay)
            await self.refresh()
            if on_status is not None:
                on_status(self)
        check_finished_run(self.info, label=self.api.label)
        return self.info

    def results(self, *, page_size: int | None = None) -> AsyncResultPaginator[Any]:
        """The result rows, every page, lazily (``GET {run}/results``); read after :meth:`wait`."""
        size = check_page_size(page_size or self.api.results_page_size, self.api.results_page_size)
        return AsyncResultPaginator(
            self._resource._transport,
            self.api.run_path(self.id) + "/results",
            model=self.api.result_model,
            style=self.api.results_style,
            scope=self._resource.scope,
            tenant_id=self._resource._tenant_id,
            page_size=size,
        )

    async def cancel(self) -> bool:
        """Stop the run (``POST {run}/cancel``); ``True`` when the API says it was canceled
        (``{"canceled": true}``, read as every removal's answer is; ``False`` in a dry run)."""
        if not self.api.can_cancel:
            raise ValueError(f"{self.api.label} runs cannot be canceled (the API has no cancel)")
        body = await self._resource._request(
            "POST", self.api.run_path(self.id) + "/cancel", json={}
        )
        return self._resource._deleted(body, "canceled")

    def endpoints(
        self, *, match: str | None = None, page_size: int = 100
    ) -> AsyncPaginator[RunEndpoint]:
        """The endpoints of the run and their status (``GET {run}/endpoints``, Live Discover).

        ``match``: e.g. ``finished:succeeded:withData`` (status, result and "with data", ``:``-separated).
        """
        if not self.api.has_endpoints:
            raise ValueError(f"{self.api.label} runs do not list endpoints")
        return self._resource._numbered_pages(
            self.api.run_path(self.id) + "/endpoints",
            RunEndpoint,
            page_size,
            100,
            params={"match": match},
        )


async def start_run(resource: AsyncResource, api: RunApi, body: Mapping[str, Any]) -> AsyncQueryRun:
    """``POST {runs_path}`` and the run it made."""
    answer = await resource._request("POST", api.runs_path, json=dict(body))
    return AsyncQueryRun(resource, api, answer)


async def get_run(resource: AsyncResource, api: RunApi, run_id: str) -> AsyncQueryRun:
    """A run by id (``GET {run}``), to wait for it, read its results or cancel it."""
    run_id = check_text(run_id, "run_id").strip()
    body = await resource._request("GET", api.run_path(run_id))
    return AsyncQueryRun(resource, api, body)


#: The largest page of saved queries and runs (INFERRED: the collection shows only defaults).
MAX_LIST_PAGE_SIZE = 100


class AsyncQueryLibrary(AsyncResource):
    """Saved queries, categories and runs of a SQL query API (XDR Data Lake, Live Discover).

    Subclasses set ``base_path`` and ``runs`` and add ``query()`` with their body shape.
    """

    base_path: str
    runs: RunApi

    def list_categories(
        self, *, fields: str | Sequence[str] | None = None
    ) -> AsyncPaginator[QueryCategory]:
        """Every category, canned and custom (``GET .../queries/categories``)."""
        return self._paginate(
            f"{self.base_path}/categories",
            model=QueryCategory,
            style=PagingStyle.NONE,
            page_size=None,
            params={"fields": joined_values(fields, "fields")},
        )

    async def get_category(self, category_id: str) -> QueryCategory:
        """One category by id."""
        category_id = check_uuid(category_id, "category_id", noun="a category id")
        body = await self._request("GET", f"{self.base_path}/categories/{category_id}")
        return validate_item(QueryCategory, body)

    def list_queries(
        self,
        *,
        category_id: str | None = None,
        search: str | None = None,
        search_fields: str | Sequence[str] | None = None,
        fields: str | Sequence[str] | None = None,
        page_size: int = MAX_LIST_PAGE_SIZE,
    ) -> AsyncPaginator[SavedQuery]:
        """Saved queries, optionally of one category or matching ``search`` (``GET .../queries``)."""
        params = {
            "categoryId": check_uuid(category_id, "category_id") if category_id else None,
            "search": check_text(search, "search") if search is not None else None,
            "searchFields": joined_values(search_fields, "search_fields"),
            "fields": joined_values(fields, "fields"),
        }
        return self._numbered_pages(
            self.base_path, SavedQuery, page_size, MAX_LIST_PAGE_SIZE, params=params
        )

    async def get_query(self, query_id: str) -> SavedQuery:
        """One saved query by id."""
        query_id = check_uuid(query_id, "query_id", noun="a query id")
        body = await self._request("GET", f"{self.base_path}/{query_id}")
        return validate_item(SavedQuery, body)

    async def find_query(self, id_or_name: str) -> SavedQuery:
        """A saved query by id, or by its exact name (case-insensitive when only one matches).

        Raises ``NotFoundError`` when no query has that name and ``ValueError`` when several do.
        """
        text = check_text(id_or_name, "saved query").strip()
        try:
            return await self.get_query(check_uuid(text, "saved query"))
        except ValueError:
            pass
        found = [
            q
            async for q in self.list_queries(search=text)
            if (q.name or "").lower() == text.lower()
        ]
        exact = [q for q in found if q.name == text] or found
        if not exact:
            raise NotFoundError(
                f"no saved {self.runs.label} is named {text!r}",
                hint=f"list them with: pysophos {self.runs.command} queries list",
            )
        if len(exact) > 1:
            ids = ", ".join(q.id for q in exact)
            raise ValueError(f"{len(exact)} saved queries are named {text!r}; use an id: {ids}")
        return exact[0]

    async def get_run(self, run_id: str) -> AsyncQueryRun:
        """A run by id, to ``wait()`` for, read ``results()`` of or ``cancel()``."""
        return await get_run(self, self.runs, run_id)

    def _list_runs(self, params: dict[str, Any], page_size: int) -> AsyncPaginator[RunInfo]:
        return self._numbered_pages(
            self.runs.runs_path, RunInfo, page_size, MAX_LIST_PAGE_SIZE, params=params
        )

    async def _start_query(
        self,
        sql: str | None,
        saved: str | None,
        *,
        endpoints: str | Sequence[str] | None,
        variables: Mapping[str, Any] | None,
        ad_hoc: Mapping[str, Any] | None = None,
        fields: Mapping[str, Any] | None = None,
        all_endpoints: bool = False,
    ) -> AsyncQueryRun:
        """Start a run of ad hoc ``sql`` or of a ``saved`` query (the body both APIs share).

        ``ad_hoc``: more fields of ``adHocQuery``; ``fields``: more top-level fields (a time
        range); ``all_endpoints``: say ``matchEndpoints.all`` when no endpoint is named.
        """
        query_source(sql, saved)
        body: dict[str, Any] = {}
        if sql is not None:
            body["adHocQuery"] = {"template": sql, **(ad_hoc or {})}
        else:
            body["savedQuery"] = await self._saved_ref(str(saved))
        body.update(fields or {})
        filters = endpoint_filter(endpoints)
        if filters:
            body["matchEndpoints"] = {"filters": filters}
        elif all_endpoints:
            body["matchEndpoints"] = {"all": True}
        values = variables_body(variables)
        if values:
            body["variables"] = values
        return await start_run(self, self.runs, body)

    async def _saved_ref(self, saved: str) -> dict[str, Any]:
        query = await self.find_query(saved)
        ref: dict[str, Any] = {"queryId": query.id}
        if query.categories and query.categories[0].id:
            ref["categoryId"] = query.categories[0].id
        return ref


def query_source(sql: str | None, saved: str | None) -> str | None:
    """The ad hoc SQL, checked: exactly one of ``sql`` and ``saved`` must be given."""
    if (sql is None) == (saved is None):
        raise ValueError("give either sql (an ad hoc query) or saved= (a saved query id or name)")
    if sql is not None and not check_text(sql, "sql").strip():
        raise ValueError("sql: the query is empty")
    return sql


def endpoint_filter(endpoints: str | Sequence[str] | None) -> list[dict[str, Any]] | None:
    """``matchEndpoints.filters`` for a list of endpoint ids (``None`` when none were given)."""
    ids = split_values(endpoints, "endpoints")
    if not ids:
        return None
    return [{"ids": [check_uuid(i, "endpoints", noun="an endpoint id") for i in ids]}]


def variables_body(variables: Mapping[str, Any] | None) -> list[dict[str, Any]] | None:
    """``variables`` for a template's ``$$name$$`` placeholders (text unless a number or bool)."""
    if not variables:
        return None
    body = []
    for name, value in variables.items():
        kind = (
            "boolean"
            if isinstance(value, bool)
            else "double"
            if isinstance(value, int | float)
            else "text"
        )
        body.append({"name": str(name), "dataType": kind, "value": value})
    return body
