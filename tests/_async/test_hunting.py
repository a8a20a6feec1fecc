"""``central.xdr``, ``central.live_discover``, ``central.detections`` and ``central.cases``
against the emulator over real HTTP; runs are timed by a fake clock shared with the emulator, so a
"5 s" run finishes without waiting and its status requests can be counted.

Written once for the async client; scripts/unasync.py generates the sync twin in tests/_sync.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from typing import Any

import pytest

from pysophoscentralapi import (
    AsyncSophosCentral,
    NotFoundError,
    QueryFailedError,
    QueryTimeoutError,
)
from tests.integration.conftest import async_client

RUN_SECONDS = 5.0


class FakeClock:
    """The time of the emulator's runs and of the client's waits: ``sleep`` only moves it on."""

    def __init__(self) -> None:
        self.now = time.time()
        self.slept: list[float] = []

    def time(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture(scope="module")
def emu() -> Iterator[Any]:
    from pysophoscentralapi.emulator import EmulatorConfig, run_emulator

    with run_emulator(EmulatorConfig(endpoints=40, query_run_seconds=RUN_SECONDS)) as emulator:
        yield emulator


@pytest.fixture
def clock(emu: Any) -> Iterator[FakeClock]:
    fake = FakeClock()
    emu.state.clock = fake.time
    yield fake
    emu.state.clock = time.time


def client(emu: Any, clock: FakeClock) -> AsyncSophosCentral:
    """The emulator's tenant credential, the client's waits on the fake clock."""
    return async_client(emu, sleep=clock.sleep)


def status_requests(emu: Any, run_id: str) -> int:
    return sum(
        1 for r in emu.state.requests if r.method == "GET" and r.path.endswith(f"/runs/{run_id}")
    )


async def test_a_five_second_run_is_polled_a_few_times_with_growing_pauses(
    emu: Any, clock: FakeClock
) -> None:
    async with client(emu, clock) as central:
        run = await central.xdr.query("SELECT meta_hostname FROM xdr_data", since="-P7D")
        assert run.status == "pending"
        info = await run.wait(clock=clock.time)
    assert str(info.result) == "succeeded"
    polls = status_requests(emu, run.id)
    assert 3 <= polls <= 5  # 1 + 1.5 + 2.25 + 3.375 s: not a busy loop
    assert clock.slept == sorted(clock.slept)
    assert sum(clock.slept) < 2 * RUN_SECONDS


async def test_results_come_from_every_page(emu: Any, clock: FakeClock) -> None:
    sql = "SELECT meta_hostname, name, remote_port FROM xdr_data WHERE query_name = 'open_sockets'"
    async with client(emu, clock) as central:
        run = await central.xdr.query(sql, since="-P7D")
        await run.wait(clock=clock.time)
        results = run.results(page_size=7)
        rows = [row async for row in results]
        count = await central.xdr.query(f"SELECT COUNT(*) AS n FROM ({sql})", since="-P7D")
        await count.wait(clock=clock.time)
        expected = (await count.results().first_page()).raw[0]["n"]
    assert len(rows) == expected > 14
    assert results.columns == [
        {"name": "meta_hostname", "type": "text"},
        {"name": "name", "type": "text"},
        {"name": "remote_port", "type": "integer"},
    ]
    pages = sum(1 for r in emu.state.requests if r.path.endswith(f"/runs/{run.id}/results"))
    assert pages == math.ceil(expected / 7)


async def test_bad_sql_fails_with_the_engine_message(emu: Any, clock: FakeClock) -> None:
    async with client(emu, clock) as central:
        run = await central.xdr.query("SELEC name FROM xdr_data")
        with pytest.raises(QueryFailedError) as failed:
            await run.wait(clock=clock.time)
    assert failed.value.run_id == run.id
    assert failed.value.result == "failed"
    assert 'near "SELEC": syntax error' in failed.value.message


async def test_the_engine_refuses_writes(emu: Any, clock: FakeClock) -> None:
    async with client(emu, clock) as central:
        run = await central.live_discover.query("DELETE FROM main._ld_processes")
        with pytest.raises(QueryFailedError, match="not authorized"):
            await run.wait(clock=clock.time)
        check = await central.live_discover.query("SELECT COUNT(*) AS n FROM processes")
        await check.wait(clock=clock.time)
        counts = [row async for row in check.results()]
    assert all(row.n > 0 for row in counts)


async def test_a_timeout_names_the_run_whose_results_can_be_read_later(
    emu: Any, clock: FakeClock
) -> None:
    async with client(emu, clock) as central:
        run = await central.xdr.query(saved="Logons per device", since="-P7D")
        with pytest.raises(QueryTimeoutError) as timed_out:
            await run.wait(2.0, clock=clock.time)
        assert timed_out.value.run_id == run.id
        assert f"pysophos xdr runs results {run.id}" in (timed_out.value.hint or "")
        clock.now += RUN_SECONDS
        later = await central.xdr.get_run(run.id)
        await later.wait(clock=clock.time)
        rows = [row async for row in later.results()]
    assert rows
    assert later.info.query is not None
    assert later.info.query.name == "Logons per device"


async def test_cancel_stops_a_run(emu: Any, clock: FakeClock) -> None:
    async with client(emu, clock) as central:
        run = await central.xdr.query("SELECT 1 AS one")
        assert await run.cancel() is True
        with pytest.raises(QueryFailedError, match="canceled"):
            await run.wait(clock=clock.time)
        with pytest.raises(ValueError, match="cannot be canceled"):
            await (await central.live_discover.query("SELECT 1 AS one")).cancel()


async def test_saved_queries_by_name_with_variables(emu: Any, clock: FakeClock) -> None:
    async with client(emu, clock) as central:
        saved = await central.live_discover.find_query("processes by name")
        assert saved.variables[0].name == "process_name"
        run = await central.live_discover.query(
            saved="Processes by name", variables={"process_name": "svchost.exe"}
        )
        await run.wait(clock=clock.time)
        rows = [row async for row in run.results()]
        endpoints = [e async for e in run.endpoints(match="finished:succeeded:withData")]
        with pytest.raises(NotFoundError):
            await central.xdr.find_query("No such query")
    assert rows
    assert {row.name for row in rows} == {"svchost.exe"}
    assert {row.endpointId for row in rows} == {e.id for e in endpoints}


async def test_live_discover_tables_join_and_match_the_endpoints(
    emu: Any, clock: FakeClock
) -> None:
    sql = (
        "SELECT p.name, s.local_port FROM process_open_sockets s "
        "JOIN processes p USING (pid) WHERE s.state = 'LISTEN'"
    )
    async with client(emu, clock) as central:
        hosts = {e.id: e.hostname async for e in central.endpoints.list()}
        target = sorted(hosts)[:2]
        run = await central.live_discover.query(sql, endpoints=target)
        await run.wait(clock=clock.time)
        rows = [row.model_dump() async for row in run.results()]
    assert rows
    assert {r["endpointId"] for r in rows} == set(target)
    assert all(r["hostname"] == hosts[r["endpointId"]] for r in rows)


async def test_detections_runs_and_counts(emu: Any, clock: FakeClock) -> None:
    async with client(emu, clock) as central:
        run = await central.detections.query(
            since="-P30D", severity=[7, 8, 9], sort="severity:desc"
        )
        await run.wait(clock=clock.time)
        found = [d async for d in run.results(page_size=3)]
        groups = await central.detections.group_query(since="-P30D")
        await groups.wait(clock=clock.time)
        grouped = [g.model_dump() async for g in groups.results()]
        counts = await central.detections.counts(since="-P30D", resolution="day")
    severities = [d.severity for d in found]
    assert severities
    assert set(severities) <= {7, 8, 9}
    assert severities == sorted(severities, reverse=True)
    assert sum(g["count"] for g in grouped) >= len(found)
    assert sum(b["totalCount"] for b in counts.resolution_detection_counts) == sum(
        g["count"] for g in grouped
    )


async def test_cases_create_update_delete(emu: Any, clock: FakeClock) -> None:
    async with client(emu, clock) as central:
        resolved = [c async for c in central.cases.list(status="resolved")]
        detections = [d async for d in central.cases.detections(resolved[0].id)]
        case = await central.cases.create(
            name="Encoded PowerShell", type="hunt", severity="high",
            assignee="analyst@example.com", initial_detection_id=detections[0].id,
        )  # fmt: skip
        assert case.initial_detection is not None
        assert case.initial_detection["id"] == detections[0].id
        updated = await central.cases.update(case.id, status="investigating", overview="Looking")
        assert (str(updated.status), updated.overview) == ("investigating", "Looking")
        entities = [e async for e in central.cases.impacted_entities(case.id)]
        assert {e.type for e in entities} >= {"device"}
        summary = await central.cases.mitre_attack_summary(case.id)
        assert summary.tactics
        assert await central.cases.delete(case.id) is True
        with pytest.raises(NotFoundError):
            await central.cases.get(case.id)
        with pytest.raises(ValueError, match="status"):
            await central.cases.update(case.id, status="closed")


async def test_a_dry_run_case_delete_deletes_nothing_and_says_so(emu: Any) -> None:
    async with async_client(emu) as central:
        case = (await central.cases.list(status="resolved").first_page()).items[0]
    sent: list[tuple[str, str, Any]] = []
    async with async_client(emu, dry_run_sink=lambda *request: sent.append(request)) as dry:
        assert await dry.cases.delete(case.id) is False  # was True: nothing was deleted
    assert [method for method, _, _ in sent] == ["DELETE"]
    async with async_client(emu) as central:
        assert (await central.cases.get(case.id)).id == case.id
