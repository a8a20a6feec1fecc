"""Any API operation by path: ``central.request()`` and ``central.paginate()``.

The escape hatch for what the namespaces do not cover: the same transport as every namespace
(token, routing from the path, retries of safe methods only, rate limit, dry run, typed
errors), answers as parsed JSON. The routing rule is :func:`~pysophoscentralapi._routing.route_for_path`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from pysophoscentralapi._async._transport import AsyncTransport
from pysophoscentralapi._paging import JSONPage, PageCursor, PagingStyle, split_page
from pysophoscentralapi._routing import (
    SOPHOS_API_HOSTS,
    ApiRoute,
    check_extra_headers,
    check_route_credential,
    fill_placeholders,
    path_under,
    route_for_path,
)

__all__ = ["METHODS", "ApiCall", "AsyncJSONPaginator", "paging_style"]

#: The HTTP methods the API uses.
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def paging_style(style: str | PagingStyle | None) -> PagingStyle:
    """``style`` as a :class:`PagingStyle` (``None``: detect it from the first answer)."""
    if style is None:
        return PagingStyle.AUTO
    if isinstance(style, PagingStyle):
        return style
    try:
        return PagingStyle(str(style).lower())
    except ValueError:
        valid = ", ".join(s.value for s in PagingStyle)
        raise ValueError(f"style: {style!r} is not a paging style; valid: {valid}") from None


@dataclass(frozen=True)
class _Prepared:
    method: str
    route: ApiRoute
    params: dict[str, Any] | None
    headers: dict[str, str] | None


class ApiCall:
    """What ``request``/``paginate`` share: checks, routing and sending for one client."""

    def __init__(self, transport: AsyncTransport, tenant_id: str | None) -> None:
        self._transport = transport
        self._tenant_id = tenant_id

    @property
    def dry_run(self) -> bool:
        return self._transport.dry_run_sink is not None

    async def prepare(
        self,
        method: str,
        target: str,
        params: Mapping[str, Any] | None,
        headers: Mapping[str, str] | None,
    ) -> _Prepared:
        """Check everything and choose the route; ``ValueError`` before anything is sent."""
        verb = str(method).upper()
        if verb not in METHODS:
            raise ValueError(f"method: {method!r} is not one of {', '.join(METHODS)}")
        if not isinstance(target, str) or not target.strip():
            raise ValueError("path: give an API path such as /endpoint/v1/endpoints")
        extra = check_extra_headers(headers) if headers else None
        parts = urlsplit(target.strip())
        full_url = bool(parts.scheme or parts.netloc)
        path = await self._path_of_url(target.strip()) if full_url else parts.path
        path = fill_placeholders(path, {})
        query: dict[str, Any] = dict(parse_qsl(parts.query, keep_blank_values=True))
        query.update({k: v for k, v in (params or {}).items() if v is not None})
        route = route_for_path(path)
        if route.needs is not None:
            check_route_credential(route, await self._transport.identity(), path)
        if full_url:
            await self._check_destination(route, target.strip())
        return _Prepared(verb, route, query or None, extra)

    async def _path_of_url(self, url: str) -> str:
        """The API path of a full URL on an allowed host; ``ValueError`` else, and nothing is
        ever sent to that host. Allowed: Sophos Central's API hosts, the configured API host,
        and the hosts whoami (asked of the configured host) and the tenant's ``apiHost`` name.
        """
        # Learn the credential's hosts: the longest base the URL lies under tells the path.
        await self._transport.identity()
        if self._tenant_id is not None and not (await self._transport.identity()).is_tenant:
            await self._transport.tenant_host(self._tenant_id)
        path = path_under(url, [*SOPHOS_API_HOSTS, *self._transport.known_hosts()])
        if path is None:
            host = urlsplit(url).netloc or url
            raise ValueError(
                f"path: refusing to send the API token to {host}: a full URL must be on the "
                "configured API host or a data-region host of this credential; give the path "
                "alone (e.g. /endpoint/v1/endpoints) to have it routed"
            )
        return path

    async def _check_destination(self, route: ApiRoute, url: str) -> None:
        routed = await self._transport.url_for(route.scope, route.path, self._tenant_id)
        given = url.split("?", 1)[0].rstrip("/")
        if routed.rstrip("/") != given:
            raise ValueError(
                f"path: {url} is not where this path goes for this credential and tenant "
                f"({routed}); give the path alone to have it routed"
            )

    async def send(self, prepared: _Prepared, *, params: Any = None, json: Any = None) -> Any:
        return await self._transport.request(
            prepared.method,
            prepared.route.path,
            scope=prepared.route.scope,
            tenant_id=self._tenant_id,
            params=params,
            json=json,
            headers=prepared.headers,
        )


class AsyncJSONPaginator:
    """Every item of a listing fetched by path, page by page: ``async for item in paginator``
    gives the items as dicts; ``pages()`` the pages (:class:`JSONPage`); ``to_list()`` all items.

    Made by :meth:`AsyncSophosCentral.paginate`.
    """

    def __init__(
        self,
        transport: AsyncTransport,
        tenant_id: str | None,
        path: str,
        *,
        method: str = "GET",
        params: Mapping[str, Any] | None = None,
        json: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        style: str | PagingStyle | None = None,
        page_size: int | None = None,
    ) -> None:
        self.style = paging_style(style)
        if page_size is not None and (
            not isinstance(page_size, int) or isinstance(page_size, bool) or page_size < 1
        ):
            raise ValueError(f"page_size: expected a whole number of at least 1, not {page_size!r}")
        if json is not None and not isinstance(json, Mapping):
            raise ValueError("json: a paged request's body must be a JSON object")
        self.page_size = page_size
        self._call = ApiCall(transport, tenant_id)
        self._request = (method, path, params, headers)
        self._body = dict(json) if json is not None else None

    def __repr__(self) -> str:
        method, path, _, _ = self._request
        return f"{type(self).__name__}({method} {path}, style={self.style.value})"

    def __aiter__(self) -> AsyncIterator[dict[str, Any]]:
        return self.raw_items()

    async def pages(self) -> AsyncIterator[JSONPage]:
        """Every page in turn (paging parameters in the query of a GET, else in the body)."""
        method, path, params, headers = self._request
        prepared = await self._call.prepare(method, path, params, headers)
        cursor = PageCursor(self.style, self.page_size)
        what = f"{prepared.method} {path}"
        while cursor.next_params is not None:
            paging = cursor.next_params
            if prepared.method == "GET":
                body = await self._call.send(prepared, params={**(prepared.params or {}), **paging})
            else:
                body = await self._call.send(
                    prepared, params=prepared.params, json={**(self._body or {}), **paging}
                )
                if self._call.dry_run:
                    return  # shown, not sent: there is no answer to page through
            raw, info = split_page(body, what=what)
            cursor.advance(info, len(raw))
            yield JSONPage(raw, info, body)

    async def raw_items(self) -> AsyncIterator[dict[str, Any]]:
        """Every item, as the API sent it."""
        async for page in self.pages():
            for item in page.raw:
                yield item

    async def to_list(self) -> list[dict[str, Any]]:
        """Every item in a list (holds them all in memory)."""
        return [item async for item in self]
