"""Live Discover API: osquery SQL on live endpoints (runs, saved queries, categories, enrichments)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any

from pysophoscentralapi._async._pagination import AsyncPaginator
from pysophoscentralapi._async._query_runs import AsyncQueryLibrary, AsyncQueryRun, RunApi
from pysophoscentralapi._enums.hunting import ENRICHMENT_TYPES
from pysophoscentralapi._paging import PagingStyle
from pysophoscentralapi._validation import (
    check_choice,
    check_choices,
    check_text,
    check_uuid,
    sort_param,
    text_fields,
)
from pysophoscentralapi.models.queries import RUN_RESULTS, RUN_STATUSES, Enrichment, RunInfo

__all__ = ["ENRICHMENT_TYPES", "LIVE_DISCOVER_RUNS", "AsyncLiveDiscover"]

#: Live Discover runs: key-paged results, at most 1000 rows a page (documented), per endpoint.
LIVE_DISCOVER_RUNS = RunApi(
    label="Live Discover query",
    runs_path="/live-discover/v1/queries/runs",
    results_style=PagingStyle.KEY,
    results_page_size=1000,
    command="live-discover",
    has_endpoints=True,
)

#: What an enrichment looks up (the collection's examples).
_PRINCIPAL_TYPES = ("user", "service")
_ENRICHMENTS = "/live-discover/v1/enrichment-pivots"


class AsyncLiveDiscover(AsyncQueryLibrary):
    """Live Discover queries on endpoints that are online (``central.live_discover``).

    ::

        run = await central.live_discover.query(
            "SELECT name, path, cmdline FROM processes WHERE name LIKE '%powershell%'"
        )
        await run.wait()
        async for row in run.results():
            print(row.hostname, row.name)      # every row names its endpoint
    """

    base_path = "/live-discover/v1/queries"
    runs = LIVE_DISCOVER_RUNS

    async def query(
        self,
        sql: str | None = None,
        *,
        saved: str | None = None,
        endpoints: str | Sequence[str] | None = None,
        name: str | None = None,
        variables: Mapping[str, Any] | None = None,
    ) -> AsyncQueryRun:
        """Run ad hoc ``sql`` (osquery tables) or a ``saved`` query on endpoints.

        ``endpoints``: endpoint ids (default: every endpoint); ``name``: a name for an ad hoc
        run; ``variables``: values for the template's ``$$name$$`` placeholders.

        Example::

            run = await central.live_discover.query(saved="Logged-in users", endpoints=[endpoint_id])
            await run.wait()
        """
        ad_hoc = {"name": check_text(name, "name")} if name is not None else None
        return await self._start_query(
            sql, saved, endpoints=endpoints, variables=variables, ad_hoc=ad_hoc, all_endpoints=True
        )

    def list_runs(
        self,
        *,
        status: str | Sequence[str] | None = None,
        result: str | Sequence[str] | None = None,
        query_id: str | None = None,
        category_id: str | None = None,
        created_by_principal_type: str | Sequence[str] | None = None,
        sort: str | Sequence[str] | None = None,
        page_size: int = 100,
    ) -> AsyncPaginator[RunInfo]:
        """Recent runs, filtered by ``status``, ``result``, saved query, category or who ran them."""
        params = {
            "status": check_choices(status, "status", RUN_STATUSES),
            "result": check_choices(result, "result", RUN_RESULTS),
            "createdByPrincipalType": check_choices(
                created_by_principal_type, "created_by_principal_type", _PRINCIPAL_TYPES
            ),
            "queryId": check_uuid(query_id, "query_id") if query_id else None,
            "categoryId": check_uuid(category_id, "category_id") if category_id else None,
            "sort": sort_param(sort or None, None),
        }
        return self._list_runs(params, page_size)

    # --- enrichments ---------------------------------------------------------------------------

    def list_enrichments(self) -> AsyncPaginator[Enrichment]:
        """Every enrichment, canned and custom (``GET /live-discover/v1/enrichment-pivots``)."""
        return self._paginate(
            _ENRICHMENTS, model=Enrichment, style=PagingStyle.NONE, page_size=None
        )

    async def create_enrichment(
        self, *, name: str, url: str, type: str, description: str | None = None
    ) -> Enrichment:
        """A new enrichment: ``url`` with ``$$placeholders$$`` for the value looked up.

        Example::

            await central.live_discover.create_enrichment(
                name="VirusTotal", type="sha256", url="https://www.virustotal.com/gui/file/$$sha256$$"
            )
        """
        body = _enrichment_body(name=name, url=url, type=type, description=description)
        answer = await self._request("POST", _ENRICHMENTS, json=body)
        return self._result(Enrichment, answer)

    async def update_enrichment(
        self,
        enrichment_id: str,
        *,
        name: str | None = None,
        url: str | None = None,
        type: str | None = None,
        description: str | None = None,
    ) -> Enrichment:
        """Change an enrichment's name, URL, type or description (``PATCH``)."""
        enrichment_id = check_uuid(enrichment_id, "enrichment_id", noun="an enrichment id")
        body = _enrichment_body(name=name, url=url, type=type, description=description)
        if not body:
            raise ValueError("give at least one of name, url, type, description")
        answer = await self._request("PATCH", f"{_ENRICHMENTS}/{enrichment_id}", json=body)
        return self._result(Enrichment, answer)

    async def delete_enrichment(self, enrichment_id: str) -> bool:
        """Delete an enrichment; ``True`` when the API says it was deleted (``False`` in a dry
        run: nothing was sent)."""
        enrichment_id = check_uuid(enrichment_id, "enrichment_id", noun="an enrichment id")
        return self._deleted(await self._request("DELETE", f"{_ENRICHMENTS}/{enrichment_id}"))


def _check_url(url: str, name: str) -> str:
    if not url.lower().startswith(("https://", "http://")):
        raise ValueError(f"{name}: must start with https:// (or http://)")
    return url


#: The enrichment fields checked further than for text.
_ENRICHMENT_CHECKS: dict[str, Callable[[str, str], str]] = {
    "type": partial(check_choice, valid=ENRICHMENT_TYPES),
    "url": _check_url,
}


def _enrichment_body(**fields: str | None) -> dict[str, Any]:
    return text_fields(fields, _ENRICHMENT_CHECKS)
