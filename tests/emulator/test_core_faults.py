"""Core emulator: faults on demand (random, scheduled, after-apply), rate limiting, latency, log."""

from __future__ import annotations

import time

import httpx
import pytest

from pysophoscentralapi.emulator import EmulatorConfig, run_emulator
from tests.emulator.core_helpers import Api, token_request

#: How a dropped connection reaches the client: a clean close or a reset, depending on timing.
DROPPED = (httpx.RemoteProtocolError, httpx.ReadError)

SHA = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
ALLOWED = "/endpoint/v1/settings/allowed-items"


def _outcome(call) -> int:
    """The status of a request, 0 for a dropped connection."""
    try:
        return call().status_code
    except httpx.TransportError:
        return 0


def test_fault_rate_one_gives_only_faults_of_every_kind():
    with run_emulator(EmulatorConfig(endpoints=5, seed=4)) as emu:
        api = Api(emu)
        emu.state.faults.fault_rate = 1.0
        outcomes = [_outcome(lambda: api.get("/endpoint/v1/endpoints")) for _ in range(60)]
        # The token endpoint is spared unless fault_token_requests is set.
        assert token_request(emu).status_code == 200
        log = [r for r in emu.state.requests if "/endpoint/" in r.path]
    assert set(outcomes) == {0, 429, 500, 502, 503}
    assert [r.status for r in log] == outcomes
    assert all(r.fault for r in log)


def test_fault_responses_have_the_api_error_shape_and_retry_after():
    with run_emulator(EmulatorConfig(endpoints=5)) as emu:
        api = Api(emu)
        emu.state.faults.schedule("429")
        emu.state.faults.schedule("503")
        limited = api.get("/endpoint/v1/endpoints")
        unavailable = api.get("/endpoint/v1/endpoints")
        after = api.get("/endpoint/v1/endpoints")
    assert limited.status_code == 429
    assert limited.headers["Retry-After"] == "1"
    assert limited.json()["error"] == "tooManyRequests"
    assert unavailable.status_code == 503
    assert unavailable.json()["error"] == "serviceUnavailable"
    assert after.status_code == 200


def test_faults_are_reproducible_from_the_seed():
    def run() -> list[int]:
        with run_emulator(EmulatorConfig(endpoints=5, seed=11)) as emu:
            api = Api(emu)
            emu.state.faults.fault_rate = 0.5
            return [_outcome(lambda: api.get("/endpoint/v1/endpoints")) for _ in range(30)]

    first, second = run(), run()
    assert first == second
    assert 200 in first
    assert set(first) - {200}


def test_token_requests_can_be_faulted_on_request():
    with run_emulator(
        EmulatorConfig(endpoints=1, fault_rate=1.0, fault_token_requests=True)
    ) as emu:
        outcomes = {_outcome(lambda: token_request(emu)) for _ in range(10)}
    assert 200 not in outcomes


def test_rate_limit_per_credential_answers_429_with_retry_after():
    with run_emulator(EmulatorConfig(endpoints=5, rate_limit=5)) as emu:
        tenant, partner = Api(emu), Api(emu, "partner")
        responses = [
            tenant.get("/endpoint/v1/endpoints", params={"view": "basic"}) for _ in range(12)
        ]
        statuses = [r.status_code for r in responses]
        other = partner.get("/endpoint/v1/endpoints", tenant=emu.state.tenants[1])
        time.sleep(1.0)
        recovered = tenant.get("/endpoint/v1/endpoints")
    assert statuses[:4] == [200] * 4  # the burst of 5 included the whoami call
    assert 429 in statuses
    limited = next(r for r in responses if r.status_code == 429)
    assert int(limited.headers["Retry-After"]) >= 1
    assert other.status_code == 200
    assert recovered.status_code == 200


def test_latency_is_added_and_changeable_at_run_time():
    with run_emulator(EmulatorConfig(endpoints=1, latency_ms=200)) as emu:
        api = Api(emu)
        start = time.perf_counter()
        api.get("/endpoint/v1/endpoints")
        slow = time.perf_counter() - start
        emu.state.faults.latency_ms = 0
        start = time.perf_counter()
        api.get("/endpoint/v1/endpoints")
        fast = time.perf_counter() - start
    assert slow >= 0.2
    assert fast < 0.2


def test_scheduled_drop_after_apply_changes_state_but_loses_the_answer():
    with run_emulator(EmulatorConfig(endpoints=20)) as emu:
        api = Api(emu)
        target = next(e for e in api.all_endpoints() if e["isolation"]["status"] == "notIsolated")
        emu.state.faults.schedule("drop", method="POST", path="/isolation", after_apply=True)
        with pytest.raises(DROPPED):
            api.post(
                "/endpoint/v1/endpoints/isolation", json={"enabled": True, "ids": [target["id"]]}
            )
        endpoint = api.get(f"/endpoint/v1/endpoints/{target['id']}").json()
        record = emu.state.requests[-2]
    assert endpoint["isolation"]["adminIsolated"] is True
    assert (record.method, record.status, record.fault) == ("POST", 0, "drop")


def test_fault_after_apply_config_applies_posts_before_failing_them():
    with run_emulator(EmulatorConfig(endpoints=5, fault_after_apply=True)) as emu:
        api = Api(emu)
        emu.state.faults.fault_rate = 1.0
        body = {"type": "sha256", "properties": {"sha256": SHA}}
        outcome = _outcome(lambda: api.post(ALLOWED, json=body))
        emu.state.faults.fault_rate = 0
        listed = api.get(ALLOWED).json()["items"]
        resent = api.post(ALLOWED, json=body)
    assert outcome in (0, 500, 502, 503)  # never 429: that would say "not done"
    assert SHA in [i["properties"].get("sha256") for i in listed]
    assert resent.status_code == 409  # why a client must not blindly re-send


def test_request_log_counts_token_requests_and_reset_clears_it():
    with run_emulator(EmulatorConfig(endpoints=5)) as emu:
        api = Api(emu)
        for _ in range(3):
            api.get("/endpoint/v1/endpoints")
        assert emu.state.request_count("POST", "/oauth2/token") == 1
        assert emu.state.request_count("GET", "/endpoint/v1/endpoints") == 3
        assert emu.state.requests[-1].client_id == "emulator-tenant"
        assert emu.state.requests[-1].status == 200
        emu.reset()
        assert emu.state.requests == []
        assert api.get("/endpoint/v1/endpoints").status_code == 200  # tokens survive reset
        emu.reset(tokens=True)
        assert api.get("/endpoint/v1/endpoints").status_code == 401


def test_scheduled_drop_before_apply_leaves_state_unchanged():
    with run_emulator(EmulatorConfig(endpoints=5)) as emu:
        api = Api(emu)
        emu.state.faults.schedule("drop", method="POST", path="/allowed-items")
        body = {"type": "sha256", "properties": {"sha256": SHA}}
        with pytest.raises(DROPPED):
            api.post(ALLOWED, json=body)
        listed = api.get(ALLOWED).json()["items"]
        retried = api.post(ALLOWED, json=body)
    assert SHA not in [i["properties"].get("sha256") for i in listed]
    assert retried.status_code == 201


def test_a_scheduled_fault_can_skip_requests_and_match_the_query() -> None:
    from pysophoscentralapi.emulator._faults import FaultControls

    faults = FaultControls()
    faults.schedule("500", method="POST", path="/scans", skip=2)
    picks = [faults.pick("POST", "/e/1/scans", token_request=False) for _ in range(4)]
    assert [p.kind if p else None for p in picks] == [None, None, "500", None]
    faults.schedule("503", path="/endpoints", query="pageFromKey")
    assert faults.pick("GET", "/endpoints", token_request=False, query="pageSize=500") is None
    second_page = faults.pick("GET", "/endpoints", token_request=False, query="pageFromKey=x")
    assert second_page is not None
    assert second_page.kind == "503"


def test_clear_zeroes_the_fault_settings_or_restores_the_configured_ones() -> None:
    from pysophoscentralapi.emulator._faults import FAULT_SETTINGS, FaultControls

    configured = EmulatorConfig(
        latency_ms=5.0,
        fault_rate=0.5,
        rate_limit=3.0,
        fault_after_apply=True,
        fault_token_requests=True,
    )
    faults = FaultControls()
    faults.schedule("500")
    faults.clear(initial=configured)
    assert {name: getattr(faults, name) for name in FAULT_SETTINGS} == {
        name: getattr(configured, name) for name in FAULT_SETTINGS
    }
    assert faults.scheduled == []
    faults.clear()
    assert {name: getattr(faults, name) for name in FAULT_SETTINGS} == {
        "latency_ms": 0.0,
        "fault_rate": 0.0,
        "rate_limit": None,
        "fault_after_apply": False,
        "fault_token_requests": False,
    }
