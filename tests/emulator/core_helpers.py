"""Helpers for the core emulator tests: an httpx client logged in as one demo credential."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx

from pysophoscentralapi._tokens import token_request_form
from pysophoscentralapi.emulator import RunningEmulator, TenantState

ERROR_KEYS = {"error", "message", "correlationId", "requestId", "createdAt"}


def token_request(emu: RunningEmulator, kind: str = "tenant", **fields: str) -> httpx.Response:
    credential = emu.credentials(kind)  # type: ignore[arg-type]
    data = token_request_form(credential.client_id, credential.client_secret) | fields
    return httpx.post(emu.auth_url, data={k: v for k, v in data.items() if v is not None})


def key_pages(
    send: Callable[[dict[str, Any]], httpx.Response], values: dict[str, Any]
) -> Iterator[dict[str, Any]]:
    """Every page of a key-paged listing: ``send(values)``, each a 200, then again with
    ``pageFromKey`` set to the page's ``nextKey`` (query parameters or a search body alike)."""
    values = dict(values)
    while True:
        response = send(values)
        assert response.status_code == 200, response.text
        page: dict[str, Any] = response.json()
        yield page
        if "nextKey" not in page["pages"]:
            return
        values["pageFromKey"] = page["pages"]["nextKey"]


class Api:
    """Calls the emulator as the real client would: token, whoami, then the data-region host."""

    def __init__(self, emu: RunningEmulator, kind: str = "tenant") -> None:
        self.emu = emu
        self.client = httpx.Client(timeout=30)
        response = token_request(emu, kind)
        assert response.status_code == 200, response.text
        self.token = response.json()["access_token"]
        self.auth = {"Authorization": f"Bearer {self.token}"}
        self.whoami = self.client.get(f"{emu.url}/whoami/v1", headers=self.auth).json()

    def tenant_call(
        self, method: str, path: str, tenant: TenantState | None = None, **kwargs: Any
    ) -> httpx.Response:
        """``path`` under the tenant's data-region host (the caller's own tenant by default)."""
        if tenant is None:
            host, tenant_id = self.whoami["apiHosts"]["dataRegion"], self.whoami["id"]
        else:
            host, tenant_id = f"{self.emu.url}/region/{tenant.region}", tenant.id
        headers = {**self.auth, "X-Tenant-ID": tenant_id, **kwargs.pop("headers", {})}
        return self.client.request(method, host + path, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.tenant_call("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.tenant_call("POST", path, **kwargs)

    def all_endpoints(self, **params: Any) -> list[dict[str, Any]]:
        """Every endpoint matching ``params``, following ``nextKey``."""
        pages = key_pages(
            lambda values: self.get("/endpoint/v1/endpoints", params=values),
            {"pageSize": 500, **params},
        )
        return [item for page in pages for item in page["items"]]

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Api:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def fresh_api(emu: RunningEmulator, kind: str = "tenant") -> Iterator[Api]:
    """The body of a per-test ``api`` fixture (``yield from fresh_api(running)``): the module's
    emulator reset to its seeded state, then an :class:`Api` signed in as ``kind``, closed after
    the test."""
    emu.reset()
    with Api(emu, kind) as client:
        yield client


def assert_api_error(
    response: httpx.Response, status: int, code: str | None = None
) -> dict[str, Any]:
    """The response is an error in the API's documented shape; returns its body."""
    assert response.status_code == status, response.text[:500]
    body: dict[str, Any] = response.json()
    assert body.keys() >= ERROR_KEYS
    if code is not None:
        assert body["error"] == code
    return body
