"""A scriptable stand-in for Sophos Central behind ``httpx.MockTransport``, for HTTP-behaviour tests.

It answers the token endpoint, whoami, a key-paged and a number-paged listing, and lets a test
queue failures ("answer the next GET with 503", "drop the next POST") and inspect every request.
"""

from __future__ import annotations

import json
from collections import deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

import httpx

AUTH_URL = "https://id.example.test/api/v2/oauth2/token"
API_URL = "https://api.example.test"
REGION_URL = "https://api-eu01.example.test"
TENANT_ID = "11f104c5-cc4a-4a9f-bb9c-632c936dfb9f"
PARTNER_ID = "5a8b9c1d-0000-4000-8000-000000000001"
OTHER_TENANT_ID = "22222222-2222-4222-8222-222222222222"


@dataclass
class FakeSophos:
    """The fake service. ``kind`` is the credential type whoami reports."""

    kind: str = "tenant"
    expires_in: int = 3600
    api_url: str = API_URL
    region_url: str = REGION_URL
    page_keys: list[str] = field(default_factory=lambda: ["k+1/a=", "k 2+/b==", "k3"])
    items_per_page: int = 2
    number_pages: int = 3
    failures: deque[Any] = field(default_factory=deque)
    requests: list[httpx.Request] = field(default_factory=list)
    tokens_issued: int = 0
    revoked: set[str] = field(default_factory=set)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def fail_next(self, *answers: Any) -> None:
        """Queue answers for the next API (non-token) requests: an int status, a
        ``(status, headers)`` pair, a ``(status, headers, body_bytes)`` triple, or an exception."""
        self.failures.extend(answers)

    def api_requests(self) -> list[httpx.Request]:
        return [r for r in self.requests if str(r.url) != AUTH_URL]

    def token_requests(self) -> list[httpx.Request]:
        return [r for r in self.requests if str(r.url) == AUTH_URL]

    # --- the service --------------------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if str(request.url) == AUTH_URL:
            return self._token(request)
        if self.failures:
            answer = self.failures.popleft()
            if isinstance(answer, Exception):
                raise answer
            if isinstance(answer, int):
                return httpx.Response(answer, json={"error": "x", "message": f"status {answer}"})
            status, headers, *body = answer
            return httpx.Response(status, headers=headers, content=body[0] if body else b"")
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if not token.startswith("tok-") or token in self.revoked:
            return httpx.Response(
                401, json={"error": "notAuthorized", "message": "Not authorized."}
            )
        path = request.url.path
        if path.endswith("/whoami/v1"):
            hosts = {"global": self.api_url}
            if self.kind == "tenant":
                hosts["dataRegion"] = self.region_url
            ident = TENANT_ID if self.kind == "tenant" else PARTNER_ID
            return httpx.Response(200, json={"id": ident, "idType": self.kind, "apiHosts": hosts})
        if path.endswith("/tenants/" + OTHER_TENANT_ID):
            return httpx.Response(200, json={"id": OTHER_TENANT_ID, "apiHost": self.region_url})
        if path.endswith("/things"):
            return self._key_page(request)
        if path.endswith("/numbered"):
            return self._number_page(request)
        if request.method == "POST":
            return httpx.Response(201, json={"id": "r1", "status": "requested"})
        return httpx.Response(200, json={"ok": True, "path": path})

    def _token(self, request: httpx.Request) -> httpx.Response:
        form = parse_qs(request.content.decode())
        if form.get("client_secret") != ["s3cret"]:
            return httpx.Response(
                401,
                json={
                    "errorCode": "oauth.invalid_client_secret",
                    "message": "Unauthorized",
                    "trackingId": "t-1",
                },
            )
        self.tokens_issued += 1
        return httpx.Response(
            200,
            json={
                "access_token": f"tok-{self.tokens_issued}",
                "token_type": "bearer",
                "expires_in": self.expires_in,
                "errorCode": "success",
                "message": "OK",
                "trackingId": "t-2",
            },
        )

    def _key_page(self, request: httpx.Request) -> httpx.Response:
        key = request.url.params.get("pageFromKey")
        index = 0 if key is None else self.page_keys.index(key) + 1
        items = [
            {"id": f"{index}-{n}", "name": f"item {index}-{n}"} for n in range(self.items_per_page)
        ]
        pages: dict[str, Any] = {"size": self.items_per_page, "maxSize": 500}
        if index < len(self.page_keys):
            pages["nextKey"] = self.page_keys[index]
        return httpx.Response(200, content=json.dumps({"items": items, "pages": pages}).encode())

    def _number_page(self, request: httpx.Request) -> httpx.Response:
        page = int(request.url.params.get("page", "1"))
        items = (
            [{"id": f"p{page}-{n}"} for n in range(self.items_per_page)]
            if page <= self.number_pages
            else []
        )
        pages: dict[str, Any] = {"current": page, "size": self.items_per_page, "maxSize": 100}
        if request.url.params.get("pageTotal") == "true":
            pages["total"] = self.number_pages
        return httpx.Response(200, json={"items": items, "pages": pages})
