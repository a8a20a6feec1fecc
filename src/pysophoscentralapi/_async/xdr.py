"""XDR Query API: SQL over the Sophos Data Lake (runs, saved queries, categories)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from pysophoscentralapi._async._pagination import AsyncPaginator
from pysophoscentralapi._async._query_runs import AsyncQueryLibrary, AsyncQueryRun, RunApi
from pysophoscentralapi._paging import PagingStyle
from pysophoscentralapi._timeparams import TimeArg, run_window
from pysophoscentralapi._validation import check_choice, check_choices
from pysophoscentralapi.models.queries import RUN_STATUSES, RunInfo

__all__ = ["XDR_RUNS", "AsyncXdr"]


#: XDR Data Lake runs: key-paged results (page size INFERRED: the collection shows only 50).
XDR_RUNS = RunApi(
    label="XDR query",
    runs_path="/xdr-query/v1/queries/runs",
    results_style=PagingStyle.KEY,
    results_page_size=1000,
    command="xdr",
    can_cancel=True,
)

#: The default time range of a Data Lake run when neither ``since`` nor ``from_`` is given.
DEFAULT_SINCE = timedelta(hours=24)


class AsyncXdr(AsyncQueryLibrary):
    """XDR Data Lake queries (``central.xdr``).

    ::

        run = await central.xdr.query(
            "SELECT meta_hostname, name, cmdline FROM xdr_data WHERE name = 'powershell.exe'",
            since=timedelta(days=7),
        )
        await run.wait()
        async for row in run.results():
            print(row.meta_hostname, row.cmdline)
    """

    base_path = "/xdr-query/v1/queries"
    runs = XDR_RUNS

    async def query(
        self,
        sql: str | None = None,
        *,
        saved: str | None = None,
        since: TimeArg | None = None,
        from_: TimeArg | None = None,
        to: TimeArg | None = None,
        endpoints: str | Sequence[str] | None = None,
        variables: Mapping[str, Any] | None = None,
    ) -> AsyncQueryRun:
        """Start a Data Lake run of ad hoc ``sql`` or of a ``saved`` query (id or exact name).

        - ``since``: how far back (``timedelta``, ``"24h"``-style ISO duration such as
          ``"-P1D"``, or a date-time); ``from_``/``to`` give an explicit range instead.
          Default: the last 24 hours.
        - ``endpoints``: only rows of these endpoint ids.
        - ``variables``: values for the template's ``$$name$$`` placeholders.

        Returns the :class:`AsyncQueryRun` at once; ``await run.wait()`` for it to finish.

        Example::

            run = await central.xdr.query(saved="Processes listening on network ports")
            await run.wait()
            rows = [row async for row in run.results()]
        """
        window = run_window(since, from_, to, default=DEFAULT_SINCE)
        return await self._start_query(
            sql, saved, endpoints=endpoints, variables=variables, fields=window
        )

    def list_runs(
        self,
        *,
        statuses: str | Sequence[str] | None = None,
        order: str | None = None,
        page_size: int = 100,
    ) -> AsyncPaginator[RunInfo]:
        """Recent runs, optionally of some statuses (``pending``, ``started``, ``finished``);
        ``order``: ``asc`` or ``desc`` by creation time."""
        params = {
            "statuses": check_choices(statuses, "statuses", RUN_STATUSES),
            "order": check_choice(order, "order", ("asc", "desc")) if order else None,
        }
        return self._list_runs(params, page_size)
