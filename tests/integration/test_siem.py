"""``central.siem`` against the emulator over real HTTP: feeds, paging, the resumable reader."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from pysophoscentralapi import BadRequestError, PermissionDeniedError
from pysophoscentralapi._siem import MemoryStateStore, SiemCheckpoint, checkpoint_key
from pysophoscentralapi.emulator._siem_api import siem_feed
from pysophoscentralapi.models.siem import SiemAlert, SiemEvent, SiemSeverity
from tests.integration.conftest import async_client, sync_client

Emulator = Any


@pytest.fixture
def emu(make_emulator: Callable[..., Emulator]) -> Emulator:
    return make_emulator(siem_events=250, siem_alerts=30, siem_rate=0.0, tenants=4)


def test_events_come_oldest_first_in_pages_with_cursors(emu: Emulator) -> None:
    with sync_client(emu) as central:
        pages = list(central.siem.events(limit=100).pages())
    assert [len(p) for p in pages] == [100, 100, 50]
    assert [p.info.has_more for p in pages] == [True, True, False]
    assert all(p.info.next_cursor for p in pages)
    events = [e for p in pages for e in p.items]
    assert all(isinstance(e, SiemEvent) for e in events)
    assert [e.created_at for e in events] == sorted(e.created_at for e in events)  # type: ignore[type-var]
    feed = siem_feed(emu.state.tenants[0], "events")
    assert [e.id for e in events] == feed.ids(0, 250)
    assert {e.severity for e in events} <= set(SiemSeverity)
    limits = [r.query for r in emu.state.requests if r.path.endswith("/siem/v1/events")]
    assert "limit=100" in limits[0]
    assert "cursor=" in limits[1]
    assert "from_date" not in limits[1]


def test_a_cursor_resumes_after_the_page_it_came_from(emu: Emulator) -> None:
    with sync_client(emu) as central:
        first = central.siem.events(limit=60).first_page()
        rest = list(central.siem.events(cursor=first.info.next_cursor).raw_items())
    assert [r["id"] for r in first.raw + rest] == siem_feed(emu.state.tenants[0], "events").ids(
        0, 250
    )


def test_since_and_exclude_types_filter_on_the_server(emu: Emulator) -> None:
    with sync_client(emu) as central:
        recent = list(central.siem.events(since=timedelta(hours=1)))
        no_updates = list(central.siem.events(exclude_types=["Event::Endpoint::UpdateSuccess"]))
        alerts = list(central.siem.alerts())
    assert 0 < len(recent) < 30
    assert all(e.type != "Event::Endpoint::UpdateSuccess" for e in no_updates)
    assert 0 < len(no_updates) < 250
    assert len(alerts) == 30
    assert all(isinstance(a, SiemAlert) for a in alerts)
    assert all(a.threat_cleanable is not None for a in alerts)


def test_bad_arguments_are_refused_before_sending(emu: Emulator) -> None:
    with sync_client(emu) as central:
        with pytest.raises(ValueError, match="within the last 24 hours"):
            central.siem.events(since=timedelta(hours=25))
        with pytest.raises(ValueError, match="1000"):
            central.siem.events(limit=1001)
        with pytest.raises(ValueError, match="exclude_types"):
            central.siem.reader("alerts", store=MemoryStateStore(), exclude_types="x")
    assert not [r for r in emu.state.requests if "/siem/" in r.path]


def test_partner_credentials_read_each_tenant_feed(emu: Emulator) -> None:
    with sync_client(emu, "partner") as central:
        tenants = emu.state.tenants
        first = list(central.for_tenant(tenants[0].id).siem.events(limit=1000).raw_items())
        second = list(central.for_tenant(tenants[1].id).siem.events(limit=1000).raw_items())
        with pytest.raises(PermissionDeniedError):
            list(central.for_tenant(tenants[2].id).siem.events())  # partner access refused
    assert {e["customer_id"] for e in first} == {tenants[0].id}
    assert {e["customer_id"] for e in second} == {tenants[1].id}
    assert not {e["id"] for e in first} & {e["id"] for e in second}


def test_the_emulator_refuses_from_date_outside_24_hours_and_bad_limits(emu: Emulator) -> None:
    with sync_client(emu) as central:
        transport = central._transport
        from pysophoscentralapi._routing import Scope

        with pytest.raises(BadRequestError, match="24 hours"):
            transport.request("GET", "/siem/v1/events", scope=Scope.TENANT,
                              params={"from_date": int(time.time()) - 25 * 3600})  # fmt: skip
        with pytest.raises(BadRequestError, match="limit"):
            transport.request("GET", "/siem/v1/alerts", scope=Scope.TENANT, params={"limit": 0})
        with pytest.raises(BadRequestError, match="cursor"):
            transport.request(
                "GET", "/siem/v1/events", scope=Scope.TENANT, params={"cursor": "nope"}
            )


def test_reader_resumes_from_the_committed_checkpoint_only(emu: Emulator) -> None:
    store = MemoryStateStore()
    with sync_client(emu) as central:
        reader = central.siem.reader("events", store=store, limit=100)
        batches = reader.batches()
        first = next(batches)
        reader.commit(first)
        next(batches)  # handled but never committed: it must come again
        batches.close()
        again = central.siem.reader("events", store=store, limit=100)
        rest = [row["id"] for batch in again.batches() for row in batch.raw]
    ids = siem_feed(emu.state.tenants[0], "events").ids(0, 250)
    assert [r["id"] for r in first.raw] + rest == ids
    key = checkpoint_key("emulator-tenant", emu.state.tenants[0].id, "events")
    assert reader.key == key
    assert key in store.checkpoints


def test_reader_drops_replays_when_an_expired_cursor_restarts_the_feed(
    make_emulator: Callable[..., Emulator],
) -> None:
    emu = make_emulator(siem_events=120, siem_rate=0.0, siem_cursor_ttl=0.3)
    store = MemoryStateStore()
    with sync_client(emu) as central:
        reader = central.siem.reader("events", store=store, limit=50)
        for batch in reader.batches():
            reader.commit(batch)
        time.sleep(0.4)
        later = central.siem.reader("events", store=store, limit=50)
        replay = list(later.batches())
    assert sum(len(b) for b in replay) == 0
    assert sum(b.replayed for b in replay) == 120
    assert replay[0].restarted


def test_follow_picks_up_new_and_late_events(make_emulator: Callable[..., Emulator]) -> None:
    emu = make_emulator(siem_events=20, siem_rate=40.0, siem_late_fraction=0.5)
    seen: list[dict[str, Any]] = []
    with sync_client(emu) as central:
        reader = central.siem.reader("events", store=MemoryStateStore(), limit=1000)
        deadline = time.monotonic() + 1.0
        for batch in reader.follow(interval=0.1):
            seen.extend(batch.raw)
            reader.commit(batch)
            if time.monotonic() > deadline:
                reader.stop()
    feed = siem_feed(emu.state.tenants[0], "events")
    assert len(seen) > 40
    assert [e["id"] for e in seen] == feed.ids(0, len(seen))
    late = [e for e in seen[20:] if _gap(e) > 60]
    assert late, "some new events happened well before they arrived"


def _gap(event: dict[str, Any]) -> float:
    from datetime import datetime

    created = datetime.fromisoformat(event["created_at"])
    happened = datetime.fromisoformat(event["when"])
    return (created - happened).total_seconds()


async def test_async_reader_reads_the_feed(emu: Emulator) -> None:
    store = MemoryStateStore()
    async with async_client(emu) as central:
        reader = central.siem.reader("alerts", store=store, limit=7)
        ids = []
        async for batch in reader.batches():
            ids.extend(item.id for item in batch.items)
            await reader.commit(batch)
    assert ids == siem_feed(emu.state.tenants[0], "alerts").ids(0, 30)
    saved = next(iter(store.checkpoints.values()))
    assert isinstance(saved, SiemCheckpoint)
    assert saved.cursor
