"""The Endpoint API library (sync and async) against the emulator over real HTTP on loopback.

Read-only tests share the session emulator; tests that change state start their own
(``make_emulator``) so they neither see nor disturb other tests' changes.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest

from pysophoscentralapi import NotFoundError, SophosCentral
from pysophoscentralapi.models import Endpoint, HealthStatus, IsolationStatus
from tests.integration.conftest import async_client, sync_client


@pytest.fixture
def central(sophos_emulator: Any) -> Iterator[SophosCentral]:
    with sync_client(sophos_emulator) as client:
        yield client


@pytest.fixture
def fresh(make_emulator: Callable[..., Any]) -> Any:
    return make_emulator(endpoints=30)


def test_key_paging_walks_every_page_without_repeats(fresh: Any) -> None:
    with sync_client(fresh) as client:
        pages = list(client.endpoints.list(page_size=7).pages())
    assert [len(page) for page in pages] == [7, 7, 7, 7, 2]
    assert all(page.info.next_key for page in pages[:-1])
    assert pages[-1].info.next_key is None
    ids = [row["id"] for page in pages for row in page.raw]
    assert len(ids) == len(set(ids)) == 30


def test_filters_match_a_local_filter_of_the_full_listing(central: SophosCentral) -> None:
    everything = central.endpoints.list().to_list()
    bad = central.endpoints.list(health_status=["bad", "suspicious"], page_size=3).to_list()
    assert bad, "the seeded world has unhealthy endpoints"
    assert {e.id for e in bad} == {
        e.id for e in everything if e.health and e.health.overall in ("bad", "suspicious")
    }
    servers = central.endpoints.list(type="server").to_list()
    assert servers
    assert all(e.type == "server" for e in servers)
    assert {e.id for e in servers} == {e.id for e in everything if e.type == "server"}


def test_last_seen_before_and_after_split_the_listing(central: SophosCentral) -> None:
    everything = {e.id for e in central.endpoints.list()}
    before = {e.id for e in central.endpoints.list(last_seen_before=timedelta(days=7))}
    after = {e.id for e in central.endpoints.list(last_seen_after=timedelta(days=7))}
    assert before
    assert after
    assert before.isdisjoint(after)
    assert before | after == everything


def test_ids_and_hostname_filters(central: SophosCentral) -> None:
    first, second = central.endpoints.list(page_size=2).first_page().items
    by_id = central.endpoints.list(ids=[first.id.upper(), second.id]).to_list()
    assert {e.id for e in by_id} == {first.id, second.id}
    assert first.hostname is not None
    named = central.endpoints.list(hostname_contains=first.hostname[:6]).to_list()
    assert first.id in {e.id for e in named}
    assert all(first.hostname[:6].lower() in (e.hostname or "").lower() for e in named)


def test_get_full_view_parses(central: SophosCentral) -> None:
    some = central.endpoints.list(page_size=1).first_page().items[0]
    ep = central.endpoints.get(some.id, view="full")
    assert isinstance(ep, Endpoint)
    assert ep.id == some.id
    assert ep.health is not None
    assert isinstance(ep.health.overall, HealthStatus)
    assert ep.last_seen_at is not None
    assert ep.last_seen_at.tzinfo is not None


async def test_isolate_read_back_and_unisolate_async(fresh: Any) -> None:
    async with async_client(fresh) as client:
        first_page = await client.endpoints.list(
            isolation_status="notIsolated", page_size=2
        ).first_page()
        ids = [e.id for e in first_page.items]
        items = await client.endpoints.isolate(ids, comment="INC-42")
        assert sorted(item.id for item in items) == sorted(ids)
        settings = await client.endpoints.isolation(ids[0])
        assert settings.enabled is True
        assert settings.comment == "INC-42"
        assert settings.last_enabled_at is not None
        endpoint = await client.endpoints.get(ids[0])
        assert endpoint.isolation is not None
        assert endpoint.isolation.status is IsolationStatus.ISOLATED
        isolated = {e.id async for e in client.endpoints.list(isolation_status="isolated")}
        assert set(ids) <= isolated

        await client.endpoints.unisolate(ids, comment="cleaned")
        settings = await client.endpoints.isolation(ids[0])
        assert settings.enabled is False
        assert settings.last_disabled_at is not None
        endpoint = await client.endpoints.get(ids[1])
        assert endpoint.isolation is not None
        assert endpoint.isolation.status is IsolationStatus.NOT_ISOLATED


def test_set_isolation_single_endpoint_sync(fresh: Any) -> None:
    with sync_client(fresh) as client:
        target = client.endpoints.list(page_size=1).first_page().items[0].id
        record = client.endpoints.set_isolation(target, True)
        assert record.enabled is True
        assert client.endpoints.isolation(target).enabled is True
        client.endpoints.set_isolation(target, False, comment="done")
        assert client.endpoints.isolation(target).enabled is False


def _tamper_capable(client: SophosCentral) -> str:
    for ep in client.endpoints.list(tamper_protection_enabled=True):
        if ep.tamper_protection_supported:
            return ep.id
    raise AssertionError("no endpoint with tamper protection on")


def test_regenerated_tamper_password_moves_the_old_one_to_previous(fresh: Any) -> None:
    with sync_client(fresh) as client:
        target = _tamper_capable(client)
        before = client.endpoints.tamper_protection(target)
        assert before.password
        after = client.endpoints.update_tamper_protection(target, regenerate_password=True)
        assert after.password
        assert after.password != before.password
        assert before.password in [p.password for p in after.previous_passwords or []]
        assert client.endpoints.tamper_protection(target).password == after.password
        assert after.password not in repr(after)


def test_turning_tamper_protection_off_and_on(fresh: Any) -> None:
    with sync_client(fresh) as client:
        target = _tamper_capable(client)
        assert client.endpoints.update_tamper_protection(target, enabled=False).enabled is False
        assert client.endpoints.get(target).tamper_protection_enabled is False
        assert client.endpoints.update_tamper_protection(target, enabled=True).enabled is True


async def test_scan_and_update_check_are_requested(sophos_emulator: Any) -> None:
    async with async_client(sophos_emulator) as client:
        target = (await client.endpoints.list(page_size=1).first_page()).items[0].id
        scan = await client.endpoints.scan(target)
        check = await client.endpoints.check_for_updates(target)
    for result in (scan, check):
        assert result.status == "requested"
        assert result.id is not None
        uuid.UUID(result.id)
        assert result.requested_at is not None


def test_actions_on_an_unknown_endpoint_raise_not_found(central: SophosCentral) -> None:
    missing = str(uuid.uuid4())
    with pytest.raises(NotFoundError):
        central.endpoints.get(missing)
    with pytest.raises(NotFoundError):
        central.endpoints.scan(missing)
    with pytest.raises(NotFoundError):
        central.endpoints.isolate([missing])


def test_delete_then_get_is_not_found(fresh: Any) -> None:
    with sync_client(fresh) as client:
        first, second, third = client.endpoints.list(page_size=3).first_page().items
        assert client.endpoints.delete(first.id) is True
        with pytest.raises(NotFoundError):
            client.endpoints.get(first.id)
        assert client.endpoints.delete_many([second.id, third.id]) == [second.id, third.id]
        remaining = {e.id for e in client.endpoints.list()}
        assert len(remaining) == 27
        assert not {first.id, second.id, third.id} & remaining
