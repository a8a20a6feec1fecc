"""Lazy listings: ``async for item in paginator`` fetches one page at a time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, Generic

from pysophoscentralapi._async import _backend
from pysophoscentralapi._async._transport import AsyncTransport
from pysophoscentralapi._decode import decode_page
from pysophoscentralapi._page import ModelT, Page, validate_row
from pysophoscentralapi._paging import PageCursor, PageInfo, PagingStyle, split_page
from pysophoscentralapi._routing import Scope


class AsyncPaginator(Generic[ModelT]):
    """A listing, fetched lazily page by page: memory stays at one page whatever the total.

    Iterate it for models, or walk ``pages()`` for pages (each with ``.raw`` rows and ``.info``
    paging facts), or take ``first_page()`` alone::

        async for endpoint in central.endpoints.list(health_status=["bad"]):
            print(endpoint.hostname)

        page = await central.alerts.list(page_size=10).first_page()
        print(len(page), page.info.next_key)
    """

    def __init__(
        self,
        transport: AsyncTransport,
        path: str,
        *,
        model: type[ModelT],
        style: PagingStyle,
        scope: Scope = Scope.TENANT,
        tenant_id: str | None = None,
        page_size: int | None = None,
        params: dict[str, Any] | None = None,
        method: str = "GET",
        body: dict[str, Any] | None = None,
        variants: list[dict[str, Any]] | None = None,
        start_cursor: str | None = None,
    ) -> None:
        self._transport = transport
        self._path = path
        self.model = model
        self.style = style
        self._scope = scope
        self._tenant_id = tenant_id
        self.page_size = page_size
        self._params = {k: v for k, v in (params or {}).items() if v is not None}
        self._method = method
        self._body = body
        #: parameter sets listed one after the other as one listing (e.g. a long ``ids`` filter
        #: split into several requests); ``[{}]``: the parameters alone
        self._variants = variants or [{}]
        #: cursor style: where the first page starts (else the ``from_date`` parameter)
        self.start_cursor = start_cursor

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._method} {self._path}, page_size={self.page_size})"

    def __aiter__(self) -> AsyncIterator[ModelT]:
        return self._iter_items()

    async def _iter_items(self) -> AsyncIterator[ModelT]:
        # A row at a time: only the model being handed out is alive (not a page of them), which
        # keeps the garbage collector from rescanning thousands of fresh models per page.
        model = self.model
        async for page in self.pages():
            for row in page.raw:
                yield validate_row(model, row)

    async def pages(self) -> AsyncIterator[Page[ModelT]]:
        """Every page in turn; stops after the last (or raises PaginationError on a loop).

        The next page is requested as soon as the current one has arrived, so fetching it
        overlaps with whatever the caller does with this one (at most one page ahead). Only the
        bytes are fetched ahead; each page is decoded here, when the caller asks for it.
        """
        for variant in self._variants:
            async for page in self._pages_of(variant):
                yield page

    async def _pages_of(self, variant: dict[str, Any]) -> AsyncIterator[Page[ModelT]]:
        cursor = self._page_cursor()

        async def fetch(paging: dict[str, Any]) -> bytes:
            return await self._fetch({**variant, **paging})

        pending = (
            await _backend.start(fetch, cursor.next_params)
            if cursor.next_params is not None
            else None
        )
        try:
            while pending is not None:
                content = await _backend.result(pending)
                pending = None
                raw, info = self._split(content)
                cursor.advance(info, len(raw))
                if cursor.next_params is not None:
                    pending = await _backend.start(fetch, cursor.next_params)
                yield Page(raw, info, self.model)
        finally:
            if pending is not None:
                _backend.cancel(pending)

    async def raw_items(self) -> AsyncIterator[dict[str, Any]]:
        """Every item as the API sent it (a dict), without building models: the fastest way."""
        async for page in self.pages():
            for row in page.raw:
                yield row

    async def first_page(self) -> Page[ModelT]:
        """Only the first page, with its paging info."""
        cursor = self._page_cursor()
        assert cursor.next_params is not None
        content = await self._fetch({**self._variants[0], **cursor.next_params})
        raw, info = self._split(content)
        return Page(raw, info, self.model)

    async def to_list(self) -> list[ModelT]:
        """Every item in a list (holds them all in memory: prefer iterating for big listings)."""
        return [item async for item in self]

    def _split(self, content: bytes) -> tuple[list[dict[str, Any]], PageInfo]:
        """A fetched page's rows and paging info (decoded, then seen by :meth:`_seen`)."""
        what = f"{self._method} {self._path}"
        return split_page(self._seen(decode_page(content, what=what)), what=what)

    def _seen(self, body: Any) -> Any:
        """Each page's decoded body, as it is reached (a subclass may read more from it)."""
        return body

    def _page_cursor(self) -> PageCursor:
        return PageCursor(self.style, self.page_size, start_cursor=self.start_cursor)

    async def _fetch(self, paging: dict[str, Any]) -> bytes:
        if self._method == "GET":
            params = {k: v for k, v in {**self._params, **paging}.items() if v is not None}
            return await self._transport.request_content(
                "GET", self._path, scope=self._scope, tenant_id=self._tenant_id, params=params
            )
        return await self._transport.request_content(
            self._method,
            self._path,
            scope=self._scope,
            tenant_id=self._tenant_id,
            params=self._params or None,
            json={**(self._body or {}), **paging},
        )
