"""Where the new families' requests go (host, path, tenancy header), against a mock transport.

Written once for the async client; scripts/unasync.py generates the sync twin in tests/_sync.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from pysophoscentralapi import AsyncSophosCentral, ConfigError, TenantRequiredError
from tests._async._helpers import (
    API_URL,
    TENANT_ID,
    answer_sign_in,
    mock_client,
)

PARTNER_ID = "5d4f1c36-2c5f-4b0e-9d7a-2f1b8e6c9a10"
CHILD = "79067fa3-e4d0-4769-a5f7-8d6550b3b68b"
CHILD_HOST = "https://api-us01.example.test"


class Recorder:
    """A Sophos Central for one credential kind that records requests and answers ``{}``/lists."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.requests: list[httpx.Request] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        owner = TENANT_ID if self.kind == "tenant" else PARTNER_ID
        signed_in = answer_sign_in(request, self.kind, owner)
        if signed_in is not None:
            return signed_in
        if request.url.path.endswith(f"/tenants/{CHILD}"):
            return httpx.Response(200, json={"id": CHILD, "apiHost": CHILD_HOST})
        self.requests.append(request)
        if request.method == "GET" and request.url.path.endswith(
            ("/firewalls", "/access-tokens", "/admins", "/roles", "/11")
        ):
            return httpx.Response(200, json={"items": [], "pages": {"current": 1, "total": 1}})
        return httpx.Response(200, json={"id": "x", "licenses": []})

    def client(self) -> AsyncSophosCentral:
        return mock_client(self.handle)

    def last(self) -> tuple[str, str, dict[str, str], Any]:
        r = self.requests[-1]
        headers = {k: v for k, v in r.headers.items() if k.startswith("x-")}
        body = json.loads(r.content) if r.content else None
        return r.method, str(r.url.copy_with(query=None)), headers, body


async def test_health_check_goes_to_the_data_region_of_the_tenant() -> None:
    api = Recorder("partner")
    async with api.client() as central:
        await central.for_tenant(CHILD).health_check(checks=["tamperProtection"])
    method, url, headers, _ = api.last()
    assert (method, url) == ("GET", f"{CHILD_HOST}/account-health-check/v1/health-check")
    assert headers == {"x-tenant-id": CHILD}
    assert api.requests[-1].url.params["checks"] == "tamperProtection"


async def test_licenses_and_tokens_go_to_the_global_host_with_the_tenant_header() -> None:
    api = Recorder("tenant")
    async with api.client() as central:
        await central.licenses.get()
        assert api.last()[1:3] == (f"{API_URL}/licenses/v1/licenses", {"x-tenant-id": TENANT_ID})
        await central.account.access_tokens.list().to_list()
        assert api.last()[1] == f"{API_URL}/accounts/v1/access-tokens"
    partner = Recorder("partner")
    async with partner.client() as central:
        await central.for_tenant(CHILD).licenses.get()
        assert partner.last()[1:3] == (f"{API_URL}/licenses/v1/licenses", {"x-tenant-id": CHILD})
        await central.licenses.firewalls().to_list()
        assert partner.last()[2] == {"x-partner-id": PARTNER_ID}
        with pytest.raises(TenantRequiredError):
            await central.licenses.get()


async def test_partner_families_use_the_partner_prefix_and_header() -> None:
    api = Recorder("partner")
    async with api.client() as central:
        await central.partner.admins.list(email="a@b.example").to_list()
        _, url, headers, _ = api.last()
        assert (url, headers) == (f"{API_URL}/partner/v1/admins", {"x-partner-id": PARTNER_ID})
        await central.partner.admins.assign_role(CHILD, CHILD, scope_type="tenant", tenant_id=CHILD)
        assert api.last()[3] == {"roleId": CHILD, "scope": {"type": "tenant", "id": CHILD}}
        await central.partner.billing.usage(2026, 11).to_list()
        assert api.last()[1] == f"{API_URL}/partner/v1/billing/usage/2026/11"
    tenant = Recorder("tenant")
    async with tenant.client() as central:
        with pytest.raises(ConfigError, match="Partner API needs partner credentials"):
            await central.partner.roles.list().to_list()
    assert tenant.requests == []


async def test_arguments_are_checked_before_anything_is_sent() -> None:
    api = Recorder("partner")
    async with api.client() as central:
        with pytest.raises(ValueError, match="scope_type"):
            await central.partner.admins.create(
                username="a@b.example", role_id=CHILD, scope_type="x"
            )
        with pytest.raises(ValueError, match="checks"):
            await central.for_tenant(CHILD).health.check(checks=["nope"])
        with pytest.raises(ValueError, match="start_date"):
            await central.for_tenant(CHILD).health.historical_scores(start_date="yesterday")
        with pytest.raises(ValueError, match="year"):
            central.partner.billing.usage(26, 1)
        with pytest.raises(ValueError, match="label"):
            await central.for_tenant(CHILD).account.access_tokens.create(label=" ")
    assert api.requests == []
