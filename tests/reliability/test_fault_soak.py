"""Fault soak: a long listing under 20 % faults and a mid-run token revocation loses nothing.

The emulator answers a fifth of the API requests with a fault (429 with Retry-After, 500, 502,
503, or a connection dropped without an answer), and every issued token is revoked part-way
through. A full listing through the sync library, the async library and the CLI must still return
every item exactly once, in the order of a fault-free listing. Each test also checks from the
emulator's request log that every fault kind and the 401 really happened, so the soak cannot pass
by accident on a quiet run.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from pysophoscentralapi._sync import _backend
from pysophoscentralapi.emulator import EmulatorConfig, run_emulator
from tests.reliability.conftest import (
    FAULT_KINDS,
    async_client,
    emulator_runner,
    sync_client,
)

ENDPOINTS = 3_000
ALERTS = 1_000
PAGE_SIZE = 100
FAULT_RATE = 0.2
RETRIES = 10
ENDPOINTS_PATH = "/endpoint/v1/endpoints"
ALERTS_PATH = "/common/v1/alerts"


@pytest.fixture(scope="module")
def soak_emulator() -> Iterator[Any]:
    with run_emulator(EmulatorConfig(seed=11, endpoints=ENDPOINTS, alerts=ALERTS)) as emu:
        yield emu


@pytest.fixture(scope="module")
def baseline(soak_emulator: Any) -> dict[str, list[str]]:
    """Ids of a fault-free listing, the reference every faulty run is compared with."""
    soak_emulator.reset()
    with sync_client(soak_emulator) as central:
        endpoints = [row["id"] for row in central.endpoints.list(page_size=500).raw_items()]
        alerts = [row["id"] for row in central.alerts.list(page_size=100).raw_items()]
    assert len(endpoints) == ENDPOINTS
    assert len(alerts) == ALERTS
    return {"endpoints": endpoints, "alerts": alerts}


@pytest.fixture
def faulty(soak_emulator: Any, baseline: dict[str, list[str]]) -> Any:
    """The soak emulator with 20 % random faults, and one of each kind scheduled for sure."""
    soak_emulator.reset()
    faults = soak_emulator.state.faults
    for kind in FAULT_KINDS:
        faults.schedule(kind, method="GET", path="/endpoints")
        faults.schedule(kind, method="GET", path="/alerts")
    faults.fault_rate = FAULT_RATE
    return soak_emulator


def assert_exactly_once(got: list[str], expected: list[str]) -> None:
    counts = Counter(got)
    duplicated = sorted(i for i, n in counts.items() if n > 1)
    lost = sorted(set(expected) - set(got))
    unexpected = sorted(set(got) - set(expected))
    assert not duplicated, f"{len(duplicated)} ids duplicated, e.g. {duplicated[:3]}"
    assert not lost, f"{len(lost)} ids lost, e.g. {lost[:3]}"
    assert not unexpected, f"{len(unexpected)} ids never listed by a clean run"
    assert got == expected  # same order too: no page was skipped and refetched out of place


def assert_soaked(emu: Any, path: str) -> None:
    """The run really met every fault kind, a revoked token (401) and a token renewal."""
    records = [r for r in emu.state.requests if r.path.endswith(path)]
    kinds = {r.fault for r in records if r.fault}
    assert set(FAULT_KINDS) <= kinds, f"fault kinds seen: {sorted(kinds)}"
    assert any(r.status == 401 for r in records), "the token revocation was never noticed"
    assert emu.state.request_count("POST", "/oauth2/token") >= 2
    faulted = sum(1 for r in records if r.fault)
    assert faulted >= len(FAULT_KINDS)


class IdRecorder:
    """Collects the listed ids and revokes every token once ``revoke_after`` ids have come."""

    def __init__(self, emu: Any, revoke_after: int) -> None:
        self.emu = emu
        self.revoke_after = revoke_after
        self.ids: list[str] = []

    def __call__(self, item_id: str) -> None:
        self.ids.append(item_id)
        if len(self.ids) == self.revoke_after:
            self.emu.state.revoke_tokens()


PATHS = {"endpoints": ENDPOINTS_PATH, "alerts": ALERTS_PATH}


@pytest.mark.parametrize(
    ("family", "page_size", "revoke_after"),
    [("endpoints", PAGE_SIZE, ENDPOINTS // 3), ("alerts", 100, ALERTS // 2)],
)
def test_sync_listing_survives_faults_and_revocation(
    faulty: Any, baseline: dict[str, list[str]], family: str, page_size: int, revoke_after: int
) -> None:
    record = IdRecorder(faulty, revoke_after)
    with sync_client(faulty, max_retries=RETRIES) as central:
        for item in getattr(central, family).list(page_size=page_size):
            record(item.id)
    assert_exactly_once(record.ids, baseline[family])
    assert_soaked(faulty, PATHS[family])


@pytest.mark.parametrize(
    ("family", "revoke_after", "raw"),
    [("endpoints", ENDPOINTS // 2, False), ("alerts", ALERTS // 3, True)],
)
async def test_async_listing_survives_faults_and_revocation(
    faulty: Any, baseline: dict[str, list[str]], family: str, revoke_after: int, raw: bool
) -> None:
    """Endpoints as models, alerts as raw rows (``raw_items()``)."""
    record = IdRecorder(faulty, revoke_after)
    async with async_client(faulty, max_retries=RETRIES) as central:
        listing = getattr(central, family).list(page_size=PAGE_SIZE)
        async for item in listing.raw_items() if raw else listing:
            record(item["id"] if raw else item.id)
    assert_exactly_once(record.ids, baseline[family])
    assert_soaked(faulty, PATHS[family])


def test_without_retries_the_same_faults_do_surface(faulty: Any) -> None:
    """Control: the soak's faults are real; with retries off, the listing fails (typed, exit-5 kind)."""
    from pysophoscentralapi import APIConnectionError, RateLimitError, ServerError

    with (
        sync_client(faulty, max_retries=0) as central,
        pytest.raises((APIConnectionError, RateLimitError, ServerError)),
    ):
        for _ in central.endpoints.list(page_size=PAGE_SIZE).raw_items():
            pass


@pytest.mark.parametrize(
    ("command", "path", "key"),
    [
        (("endpoint", "list"), ENDPOINTS_PATH, "endpoints"),
        (("alerts", "list", "--from", "all"), ALERTS_PATH, "alerts"),
    ],
)
def test_cli_listing_survives_faults_and_revocation(
    faulty: Any,
    baseline: dict[str, list[str]],
    isolated_env: dict[str, str],
    revoke_when: Any,
    monkeypatch: pytest.MonkeyPatch,
    command: tuple[str, ...],
    path: str,
    key: str,
) -> None:
    # The CLI has no sleep hook: record the waits it asks for, and shorten them to keep the
    # suite fast. Recording them also shows that the 429's Retry-After (1 s) was honoured.
    waits: list[float] = []

    def short_sleep(seconds: float) -> None:
        waits.append(seconds)
        time.sleep(min(seconds, 0.02))

    monkeypatch.setattr(_backend, "sleep", short_sleep)
    state = faulty.state
    # Revoke once a few pages have been served: the rest of the run must renew the token itself.
    revoked = revoke_when(
        faulty, lambda: sum(1 for r in list(state.requests) if r.path.endswith(path)) >= 8
    )
    run = emulator_runner(isolated_env, faulty, SOPHOS_MAX_RETRIES=str(RETRIES))
    result = run(*command, "-o", "jsonl")
    assert result.exit_code == 0, result.stderr
    assert revoked.is_set()
    ids = [json.loads(line)["id"] for line in result.stdout.splitlines() if line.strip()]
    assert_exactly_once(ids, baseline[key])
    assert_soaked(faulty, path)
    assert 1.0 in waits, f"Retry-After: 1 was not honoured (waits asked for: {waits})"
    assert "Traceback" not in result.stderr


def test_emulator_answers_without_stalls(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ten keep-alive requests to an idle emulator take well under 40 ms each."""
    with run_emulator(EmulatorConfig(tenants=1, endpoints=1)) as emu, httpx.Client() as http:
        http.get(emu.url + "/whoami/v1")
        started = time.monotonic()
        for _ in range(10):
            assert http.get(emu.url + "/whoami/v1").status_code == 401
        assert (time.monotonic() - started) / 10 < 0.02
