"""``central.tenants`` against the emulator over real HTTP (partner, organization, tenant)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pysophoscentralapi import ConfigError, NotFoundError
from pysophoscentralapi.models import Tenant
from tests.integration.conftest import async_client, sync_client

Emulator = Any
PREFIX = {"partner": "/partner/v1/tenants", "organization": "/organization/v1/tenants"}


def calls(emu: Emulator, path: str) -> list[Any]:
    return [r for r in emu.state.requests if r.path == path]


@pytest.mark.parametrize("kind", ["partner", "organization"])
def test_list_pages_through_every_tenant(kind: str, make_emulator: Callable[..., Emulator]) -> None:
    emu = make_emulator(tenants=11)
    with sync_client(emu, kind) as central:
        tenants = list(central.tenants.list(page_size=4))
    assert all(isinstance(t, Tenant) for t in tenants)
    assert [t.id for t in tenants] == [t.id for t in emu.state.tenants]
    assert [t.name for t in tenants] == [t.name for t in emu.state.tenants]
    assert len(calls(emu, PREFIX[kind])) == 3
    inactive = tenants[-1]
    assert inactive.status == "inactive"
    assert inactive.api_host is None
    assert all(t.api_host and t.api_host.startswith(emu.url + "/region/") for t in tenants[:-1])


@pytest.mark.parametrize("kind", ["partner", "organization"])
def test_more_tenants_than_the_largest_page(
    kind: str, make_emulator: Callable[..., Emulator]
) -> None:
    emu = make_emulator(tenants=104)
    with sync_client(emu, kind) as central:
        assert len(central.tenants.list().to_list()) == 104
    assert len(calls(emu, PREFIX[kind])) == 2


def test_listed_tenants_are_reached_without_a_lookup(
    make_emulator: Callable[..., Emulator],
) -> None:
    emu = make_emulator(tenants=4, alerts=3)
    with sync_client(emu, "partner") as central:
        tenants = central.tenants.list(page_size=2).to_list()
        for tenant in tenants[:2]:
            assert len(central.for_tenant(tenant.id).alerts.list().to_list()) == 3
        with pytest.raises(NotFoundError, match="has no apiHost"):
            central.for_tenant(tenants[-1].id).alerts.list().first_page()
    assert [r.path for r in emu.state.requests if r.path.startswith("/partner/v1/tenants/")] == []


@pytest.mark.parametrize("kind", ["partner", "organization"])
def test_get_by_id(kind: str, sophos_emulator: Emulator) -> None:
    wanted = sophos_emulator.state.tenants[2]
    with sync_client(sophos_emulator, kind) as central:
        tenant = central.tenants.get(wanted.id.upper())
        assert (tenant.id, tenant.name, tenant.data_region) == (
            wanted.id,
            wanted.name,
            wanted.region,
        )
        with pytest.raises(NotFoundError):
            central.tenants.get("00000000-0000-4000-8000-000000000000")


def test_tenant_credentials_get_a_clear_configuration_error(sophos_emulator: Emulator) -> None:
    with (
        sync_client(sophos_emulator, "tenant") as central,
        pytest.raises(ConfigError, match="no tenant list") as raised,
    ):
        central.tenants.list().to_list()
    assert "partner or organization" in (raised.value.hint or "")


async def test_the_async_client_lists_tenants(make_emulator: Callable[..., Emulator]) -> None:
    emu = make_emulator(tenants=7)
    async with async_client(emu, "organization") as central:
        pages = [page async for page in central.tenants.list(page_size=3).pages()]
        tenant = await central.tenants.get(emu.state.tenants[0].id)
    assert [len(p) for p in pages] == [3, 3, 1]
    assert pages[0].info.total_pages == 3
    assert tenant.name == emu.state.tenants[0].name
