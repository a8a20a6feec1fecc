"""``central.request`` / ``central.paginate`` on both faces against the emulator over HTTP."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pysophoscentralapi import NotFoundError, TenantRequiredError
from tests.integration.conftest import async_client, sync_client


@pytest.fixture
def emu(make_emulator: Callable[..., Any]) -> Any:
    return make_emulator(endpoints=23)


def test_sync_request_and_paginate(emu: Any) -> None:
    with sync_client(emu) as central:
        first = central.request("GET", "/endpoint/v1/endpoints", params={"pageSize": 5})
        assert len(first["items"]) == 5
        assert "nextKey" in first["pages"]
        everything = list(central.paginate("/endpoint/v1/endpoints", page_size=10))
        assert len(everything) == 23
        assert everything[:5] == first["items"]
        scan = central.request(
            "POST", f"/endpoint/v1/endpoints/{everything[0]['id']}/scans", json={}
        )
        assert scan["status"] == "requested"
        with pytest.raises(NotFoundError):
            central.request("GET", "/email/v1/quarantine/messages")


async def test_async_request_and_paginate_with_partner_credentials(emu: Any) -> None:
    async with async_client(emu, "partner") as central:
        tenants = [t async for t in central.paginate("/partner/v1/tenants", page_size=2)]
        assert [t["id"] for t in tenants] == [t.id for t in emu.state.tenants]
        with pytest.raises(TenantRequiredError):
            await central.request("GET", "/endpoint/v1/endpoints")
        tenant = central.for_tenant(tenants[0]["id"])
        users = await tenant.paginate(
            "/common/v1/directory/users", style="number", page_size=4
        ).to_list()
        assert users
        answer = await tenant.request("GET", "/endpoint/v1/settings/tamper-protection")
        assert isinstance(answer["enabled"], bool)
