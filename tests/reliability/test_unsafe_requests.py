"""State-changing requests are never re-sent when their outcome is unknown.

The emulator applies the change and then loses the answer (a dropped connection, or a 5xx sent
after the change was made). The client must not send the request again, however many retries it
is allowed, and must tell the user that the outcome is unknown and how to check it. The emulator's
request log counts what really reached the server, and its state shows the change was applied
exactly once. Contrast: a GET under the same fault is retried and succeeds, and a 429 on a POST
(refused before anything happened) is retried.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from pysophoscentralapi import OutcomeUnknownError, ServerError
from pysophoscentralapi.emulator import EmulatorConfig, run_emulator
from tests.reliability.conftest import async_client, emulator_runner, sync_client

RETRIES = 5  # plenty: none of them may be used for an unsafe request lost in flight
AFTER_APPLY_FAULTS = ("drop", "500", "502", "503")


@pytest.fixture(scope="module")
def module_emulator() -> Iterator[Any]:
    with run_emulator(EmulatorConfig(seed=5, endpoints=40, tenants=1)) as emu:
        yield emu


@pytest.fixture
def emu(module_emulator: Any) -> Any:
    module_emulator.reset()
    return module_emulator


def a_free_endpoint(emu: Any) -> tuple[int, str]:
    """An endpoint that is not isolated yet (so that isolating it is an observable change)."""
    store = emu.state.demo_tenant.endpoints
    for index in range(len(store)):
        if not store.isolation_record(index)["enabled"]:
            return index, store.factory.endpoint_id(index)
    raise AssertionError("every seeded endpoint is isolated")


def _actions(emu: Any) -> list[dict[str, Any]]:
    actions: list[dict[str, Any]] = emu.state.demo_tenant.store.get("endpoint.actions", [])
    return actions


def _password(emu: Any, index: int) -> str:
    password: str = emu.state.demo_tenant.endpoints.tamper_record(index)["password"]
    return password


#: One state-changing library call each: the request it sends ("METHOD /path", {id} standing for
#: the endpoint's id), the call, and how the emulator's state shows the change was applied.
OPERATIONS = [
    pytest.param(
        "POST /endpoints/{id}/scans",
        lambda endpoints, i: endpoints.scan(i),
        lambda emu, index, i: [a["endpointId"] for a in _actions(emu)] == [i],
        id="scan",
    ),
    pytest.param(
        "POST /endpoints/isolation",
        lambda endpoints, i: endpoints.isolate([i], comment="INC-1"),
        lambda emu, index, i: emu.state.demo_tenant.endpoints.isolation_record(index)["enabled"],
        id="isolate",
    ),
    pytest.param(
        "PATCH /endpoints/{id}/isolation",
        lambda endpoints, i: endpoints.set_isolation(i, True),
        lambda emu, index, i: emu.state.demo_tenant.endpoints.isolation_record(index)["enabled"],
        id="set_isolation",
    ),
    pytest.param(
        "DELETE /endpoints/{id}",
        lambda endpoints, i: endpoints.delete(i),
        lambda emu, index, i: emu.state.demo_tenant.endpoints.index_of(i) is None,
        id="delete",
    ),
    pytest.param(
        "POST /endpoints/{id}/tamper-protection",
        lambda endpoints, i: endpoints.update_tamper_protection(i, regenerate_password=True),
        lambda emu, index, i: emu.state.demo_tenant.endpoints.tamper_record(index)[
            "previousPasswords"
        ],
        id="regenerate_tamper_password",
    ),
]


def sent(emu: Any, method: str, path: str) -> int:
    return sum(1 for r in emu.state.requests if r.method == method and r.path.endswith(path))


def assert_outcome_unknown(error: BaseException, kind: str) -> None:
    text = str(error)
    assert "may or may not have been applied" in text
    if kind == "drop":
        assert type(error) is OutcomeUnknownError
        assert "not re-sent" in text
        assert error.hint is not None
        assert "read the resource back" in error.hint
    else:
        assert type(error) is ServerError
        assert error.status_code == int(kind)
        assert "read the resource back" in text


@pytest.mark.parametrize("kind", AFTER_APPLY_FAULTS)
@pytest.mark.parametrize(("route", "call", "applied"), OPERATIONS)
def test_unsafe_request_lost_after_apply_is_sent_once(
    emu: Any,
    route: str,
    call: Callable[[Any, str], Any],
    applied: Callable[[Any, int, str], bool],
    kind: str,
) -> None:
    index, endpoint_id = a_free_endpoint(emu)
    method, path = route.format(id=endpoint_id).split(" ", 1)
    with sync_client(emu, max_retries=RETRIES) as central:
        central.whoami()
        emu.state.faults.schedule(kind, method=method, path=path, after_apply=True, times=10)
        with pytest.raises((OutcomeUnknownError, ServerError)) as caught:
            call(central.endpoints, endpoint_id)
    assert_outcome_unknown(caught.value, kind)
    assert sent(emu, method, path) == 1, "an unsafe request was re-sent"
    assert applied(emu, index, endpoint_id), "the emulator did not apply the change"


@pytest.mark.parametrize("kind", ["drop", "503"])
async def test_async_unsafe_request_lost_after_apply_is_sent_once(emu: Any, kind: str) -> None:
    index, endpoint_id = a_free_endpoint(emu)
    async with async_client(emu, max_retries=RETRIES) as central:
        await central.whoami()
        emu.state.faults.schedule(kind, method="POST", path="/isolation", after_apply=True, times=9)
        with pytest.raises((OutcomeUnknownError, ServerError)) as caught:
            await central.endpoints.isolate([endpoint_id])
    assert_outcome_unknown(caught.value, kind)
    assert sent(emu, "POST", "/endpoints/isolation") == 1
    assert emu.state.demo_tenant.endpoints.isolation_record(index)["enabled"]


def test_unsafe_request_that_times_out_is_not_resent(emu: Any) -> None:
    """No answer in time: the server may still act on it, so it must not be sent again."""
    _, endpoint_id = a_free_endpoint(emu)
    with sync_client(emu, max_retries=RETRIES, timeout=0.2) as central:
        central.whoami()
        emu.state.faults.latency_ms = 400
        started = time.monotonic()
        with pytest.raises(OutcomeUnknownError) as caught:
            central.endpoints.isolate([endpoint_id])
        elapsed = time.monotonic() - started
    assert "may or may not have been applied" in str(caught.value)
    assert elapsed < 1.0, "the client waited for more than one attempt"
    assert sent(emu, "POST", "/endpoints/isolation") == 1


@pytest.mark.parametrize("kind", AFTER_APPLY_FAULTS)
def test_safe_request_under_the_same_fault_is_retried(emu: Any, kind: str) -> None:
    _, endpoint_id = a_free_endpoint(emu)
    with sync_client(emu, max_retries=RETRIES) as central:
        central.whoami()
        emu.state.faults.schedule(kind, method="GET", path=endpoint_id, after_apply=True, times=2)
        endpoint = central.endpoints.get(endpoint_id)
    assert endpoint.id == endpoint_id
    assert sent(emu, "GET", f"/endpoints/{endpoint_id}") == 3


def test_unsafe_request_refused_with_429_is_retried(emu: Any) -> None:
    """A 429 means "not done": retrying a POST then is safe, and the change is made once."""
    index, endpoint_id = a_free_endpoint(emu)
    with sync_client(emu, max_retries=RETRIES) as central:
        central.whoami()
        emu.state.faults.schedule("429", method="POST", path="/isolation", times=2)
        items = central.endpoints.isolate([endpoint_id])
    assert [item.id for item in items] == [endpoint_id]
    assert sent(emu, "POST", "/endpoints/isolation") == 3
    assert emu.state.demo_tenant.endpoints.isolation_record(index)["enabled"]


@pytest.mark.parametrize(
    ("args", "method", "path", "kind"),
    [
        (("endpoint", "isolate", "{id}", "--yes"), "POST", "/endpoints/isolation", "drop"),
        (("endpoint", "isolate", "{id}", "--yes"), "POST", "/endpoints/isolation", "502"),
        (("endpoint", "scan", "{id}", "--yes"), "POST", "/scans", "drop"),
        (("endpoint", "scan", "{id}", "--yes"), "POST", "/scans", "503"),
        (
            ("endpoint", "tamper", "update", "{id}", "--regenerate-password", "--yes"),
            "POST",
            "/tamper-protection",
            "500",
        ),
    ],
)
def test_cli_reports_unknown_outcome_and_exits_5(
    emu: Any,
    isolated_env: dict[str, str],
    args: tuple[str, ...],
    method: str,
    path: str,
    kind: str,
) -> None:
    _, endpoint_id = a_free_endpoint(emu)
    run = emulator_runner(isolated_env, emu, SOPHOS_MAX_RETRIES=str(RETRIES))
    emu.state.faults.schedule(kind, method=method, path=path, after_apply=True, times=10)
    result = run(*(a.replace("{id}", endpoint_id) for a in args))
    assert result.exit_code == 5, result.output
    assert "may or may not have been applied" in result.stderr
    assert "read the resource back" in result.stderr  # how to check
    assert "Traceback" not in result.stderr
    assert sum(1 for r in emu.state.requests if r.method == method and path in r.path) == 1
