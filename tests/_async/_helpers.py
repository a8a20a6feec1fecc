"""Mock-transport helpers of the async client tests (scripts/unasync.py makes the sync twin).

A tenant credential's sign-in (token, then whoami) is answered here; the API requests after it
are recorded and answered by each test.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from pysophoscentralapi import AsyncSophosCentral

AUTH_URL = "https://id.example.test/api/v2/oauth2/token"
API_URL = "https://api.example.test"
REGION_URL = "https://api-eu01.example.test"
TENANT_ID = "11f104c5-cc4a-4a9f-bb9c-632c936dfb9f"


def answer_sign_in(
    request: httpx.Request, kind: str = "tenant", owner_id: str = TENANT_ID
) -> httpx.Response | None:
    """The answer to the token or whoami request of a credential of ``kind`` (tenant, partner,
    organization) whose whoami id is ``owner_id``; ``None`` for other requests."""
    if str(request.url) == AUTH_URL:
        return httpx.Response(
            200, json={"access_token": "tok", "token_type": "bearer", "expires_in": 3600}
        )
    if request.url.path == "/whoami/v1":
        hosts = {"global": API_URL}
        if kind == "tenant":
            hosts["dataRegion"] = REGION_URL
        return httpx.Response(200, json={"id": owner_id, "idType": kind, "apiHosts": hosts})
    return None


def mock_client(
    handler: Callable[[httpx.Request], httpx.Response], **options: Any
) -> AsyncSophosCentral:
    """A client signing in at :data:`AUTH_URL` / :data:`API_URL`, every request answered by
    ``handler`` (an ``httpx.MockTransport``)."""
    return AsyncSophosCentral(
        "client-id",
        "secret",
        auth_url=AUTH_URL,
        api_url=API_URL,
        transport=httpx.MockTransport(handler),
        **options,
    )


Answer = Callable[[httpx.Request], httpx.Response]


class Recorder:
    """A tenant-credential Sophos Central: the sign-in is answered here, every API request after
    it is recorded in ``requests`` and answered by ``answer`` (200 ``{}`` when none is given)."""

    def __init__(self, answer: Answer | None = None) -> None:
        self.answer = answer or (lambda request: httpx.Response(200, json={}))
        self.requests: list[httpx.Request] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        signed_in = answer_sign_in(request)
        if signed_in is not None:
            return signed_in
        self.requests.append(request)
        return self.answer(request)

    def client(self, **options: Any) -> AsyncSophosCentral:
        return mock_client(self.handle, **options)

    def only(self) -> httpx.Request:
        """The one API request sent."""
        assert len(self.requests) == 1, [str(r.url) for r in self.requests]
        return self.requests[0]


class ApiRecorder(Recorder):
    """A :class:`Recorder` answering from ``routes``: ``(method, path) -> (status, json)`` or a
    function of the request."""

    def __init__(self) -> None:
        super().__init__(self._route)
        self.routes: dict[tuple[str, str], tuple[int, Any] | Answer] = {}

    def on(self, method: str, path: str, answer: tuple[int, Any] | Answer) -> None:
        self.routes[(method, "/common/v1" + path)] = answer

    def _route(self, request: httpx.Request) -> httpx.Response:
        answer = self.routes.get((request.method, request.url.path))
        if answer is None:
            return httpx.Response(404, json={"error": "notFound", "message": "Resource not found."})
        if callable(answer):
            return answer(request)
        status, body = answer
        return httpx.Response(status, json=body)

    def sent(self) -> list[tuple[str, str, dict[str, str], Any]]:
        """(method, path, query, JSON body) of every API request, in order."""
        return [
            (
                r.method,
                r.url.path,
                dict(r.url.params),
                json.loads(r.content) if r.content else None,
            )
            for r in self.requests
        ]


def assert_tenant_request(request: httpx.Request, method: str, url: str) -> None:
    """``request`` is ``method url`` (its query aside) for the signed-in tenant: its header."""
    assert request.method == method
    assert request.url.copy_with(query=None) == httpx.URL(url)
    assert request.headers["X-Tenant-ID"] == TENANT_ID


def page(items: list[Any], current: int, total: int) -> dict[str, Any]:
    return {
        "items": items,
        "pages": {"current": current, "total": total, "size": 2, "maxSize": 100},
    }


def conflict(message: str) -> tuple[int, dict[str, str]]:
    """The API's 409 answer, for :meth:`ApiRecorder.on`."""
    return 409, {"error": "resourceConflict", "message": message}


def numbered_pages(item: dict[str, Any], id_prefix: str, total: int) -> Answer:
    """Answers ``page=N`` with one copy of ``item`` whose id is ``{id_prefix}{N}``, of ``total``
    pages."""

    def answer(request: httpx.Request) -> httpx.Response:
        number = int(request.url.params["page"])
        return httpx.Response(
            200, json=page([{**item, "id": f"{id_prefix}{number}"}], number, total)
        )

    return answer


async def assert_refused_before_sending(
    call: Callable[[AsyncSophosCentral], Any], message: str
) -> None:
    """``call(central)`` raises a ``ValueError`` matching ``message`` and sends nothing, not even
    the sign-in. A listing is refused when called; any other call when awaited."""

    async def attempt(central: AsyncSophosCentral) -> None:
        result = call(central)
        if inspect.isawaitable(result):
            await result

    sent: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(500)

    async with mock_client(record) as central:
        with pytest.raises(ValueError, match=message):
            await attempt(central)
    assert sent == []
