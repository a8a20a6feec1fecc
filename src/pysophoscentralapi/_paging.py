"""The API's paging styles (sans-I/O): what to ask for next, and when to stop.

* **key**: ask with ``pageSize`` (and ``pageFromKey`` after the first page); the answer's
  ``pages.nextKey`` is the next key, absent on the last page. Keys are opaque.
* **number**: ask with ``page`` (from 1), ``pageSize`` and ``pageTotal=true``; the answer's
  ``pages.total`` is the number of pages.
* **cursor** (SIEM feeds): ask with ``limit`` (and ``cursor`` after the first page); the answer's
  top-level ``next_cursor`` is where the next page starts and ``has_more`` says whether there is
  one now. The last page's cursor is where a later poll resumes.
* **none**: one answer holds every item (``{"items": [...]}``, e.g. roles).
* **auto**: not known in advance (``central.paginate``): the first answer tells, from its
  ``pages`` (``nextKey``/``fromKey``: key; ``current``: number; neither: one page only).

A server that hands out a key, cursor or page number twice would make a naive loop endless;
:class:`PageCursor` raises :class:`~pysophoscentralapi.PaginationError` instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from pysophoscentralapi._errors import PaginationError, ResponseValidationError
from pysophoscentralapi._paging_style import PagingStyle

__all__ = ["JSONPage", "PageCursor", "PageInfo", "PagingStyle", "detect_style", "split_page"]


def detect_style(info: PageInfo) -> PagingStyle:
    """The paging style of a listing, from the paging facts of its first page."""
    if info.next_key is not None or info.from_key is not None:
        return PagingStyle.KEY
    if info.current is not None:
        return PagingStyle.NUMBER
    return PagingStyle.NONE


@dataclass(frozen=True)
class PageInfo:
    """The paging facts of one page, as far as the API gave them."""

    next_key: str | None = None
    from_key: str | None = None
    current: int | None = None
    total_pages: int | None = None
    total_items: int | None = None
    size: int | None = None
    max_size: int | None = None
    next_cursor: str | None = None
    has_more: bool | None = None

    @classmethod
    def from_body(cls, pages: Any) -> PageInfo:
        if not isinstance(pages, dict):
            return cls()

        def text(name: str) -> str | None:
            value = pages.get(name)
            return value if isinstance(value, str) and value else None

        def number(name: str) -> int | None:
            value = pages.get(name)
            return value if isinstance(value, int) and not isinstance(value, bool) else None

        return cls(
            next_key=text("nextKey"),
            from_key=text("fromKey"),
            current=number("current"),
            total_pages=number("total"),
            total_items=number("items"),
            size=number("size"),
            max_size=number("maxSize"),
        )


@dataclass(frozen=True)
class JSONPage:
    """One page of a listing fetched by path (``central.paginate``): ``raw`` the items as the
    API sent them, ``info`` the paging facts, ``body`` the whole answer."""

    raw: list[dict[str, Any]]
    info: PageInfo
    body: dict[str, Any]


def split_page(body: Any, *, what: str) -> tuple[list[dict[str, Any]], PageInfo]:
    """The items and paging info of a list answer, checking its shape."""
    if not isinstance(body, dict) or not isinstance(body.get("items"), list):
        raise ResponseValidationError(f"{what} answered with a body that has no 'items' list")
    items = body["items"]
    if not all(isinstance(item, dict) for item in items):
        raise ResponseValidationError(f"{what} answered with items that are not JSON objects")
    info = PageInfo.from_body(body.get("pages"))
    if "next_cursor" in body or "has_more" in body:
        cursor, more = body.get("next_cursor"), body.get("has_more")
        info = replace(
            info,
            next_cursor=cursor if isinstance(cursor, str) and cursor else None,
            has_more=more if isinstance(more, bool) else None,
        )
    return items, info


@dataclass
class PageCursor:
    """Walks the pages of one listing. ``next_params`` is None once the listing is done."""

    style: PagingStyle
    page_size: int | None
    #: Cursor style: where the first page starts (``None``: the request's ``from_date``).
    start_cursor: str | None = None
    next_params: dict[str, Any] | None = field(init=False)
    _seen_keys: set[str] = field(default_factory=set, init=False, repr=False)
    _page: int = field(default=1, init=False, repr=False)
    _total_pages: int | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.page_size is not None and self.page_size < 1:
            raise ValueError("page_size must be at least 1")
        params: dict[str, Any] = {}
        if self.style is PagingStyle.CURSOR:
            if self.page_size is not None:
                params["limit"] = self.page_size
            if self.start_cursor is not None:
                params.update(cursor=self.start_cursor, from_date=None)
        elif self.style is not PagingStyle.NONE and self.page_size is not None:
            params["pageSize"] = self.page_size
        if self.style is PagingStyle.NUMBER:
            params.update(page=1, pageTotal=True)
        self.next_params = params

    def advance(self, info: PageInfo, item_count: int) -> None:
        """Record the page just received and work out the next request."""
        if self.style is PagingStyle.AUTO:
            self.style = detect_style(info)
            if info.current is not None:
                self._page = info.current
        if self.style is PagingStyle.NONE:
            self.next_params = None
        elif self.style is PagingStyle.KEY:
            self._advance_by_key(info)
        elif self.style is PagingStyle.CURSOR:
            self._advance_by_cursor(info)
        else:
            self._advance_by_number(info, item_count)

    def _fresh(self, token: str | None, what: str) -> str | None:
        """``token`` (a next key or cursor) unless the listing is done; a repeat is an error."""
        if token is None:
            return None
        if token in self._seen_keys:
            raise PaginationError(
                f"the API repeated the {what} {token!r}; stopping to avoid an endless loop"
            )
        self._seen_keys.add(token)
        return token

    def _advance_by_key(self, info: PageInfo) -> None:
        key = self._fresh(info.next_key, "page key")
        if key is None:
            self.next_params = None
            return
        params: dict[str, Any] = {"pageFromKey": key}
        if self.page_size is not None:
            params["pageSize"] = self.page_size
        self.next_params = params

    def _advance_by_cursor(self, info: PageInfo) -> None:
        cursor = self._fresh(info.next_cursor, "cursor") if info.has_more else None
        if cursor is None:
            self.next_params = None
            return
        # A cursor replaces from_date (the API ignores it then; sent stale it could be refused).
        params: dict[str, Any] = {"cursor": cursor, "from_date": None}
        if self.page_size is not None:
            params["limit"] = self.page_size
        self.next_params = params

    def _advance_by_number(self, info: PageInfo, item_count: int) -> None:
        if info.current is not None and info.current != self._page:
            raise PaginationError(
                f"asked for page {self._page} but the API answered page {info.current}; "
                "stopping to avoid an endless loop"
            )
        if info.total_pages is not None:
            self._total_pages = info.total_pages
        if self._total_pages is not None:
            done = self._page >= self._total_pages
        else:
            size = info.size or self.page_size
            done = item_count == 0 or (size is not None and item_count < size)
        if done:
            self.next_params = None
            return
        self._page += 1
        params: dict[str, Any] = {"page": self._page}
        if self.page_size is not None:
            params["pageSize"] = self.page_size
        self.next_params = params
