"""Isolate, unisolate, scan and delete against an emulator answering in real-world shapes
(``EmulatorConfig.answer_shapes``): the change is reported as done, exit 0, whatever the shape;
values no parser reads are kept as sent, with a warning under ``--debug``."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from pysophoscentralapi.emulator._answer_shapes import ANSWER_SHAPES, reshape
from tests.conftest import Cli
from tests.integration.conftest import sync_client

WARNING = "warning: the API accepted the request, but its answer did not fit"


def _cli(isolated_env: dict[str, str], emulator: Any) -> Cli:
    return Cli(env={**isolated_env, **emulator.env("tenant")})


def _ids(cli: Cli, count: int) -> list[str]:
    result = cli("endpoint", "list", "--isolation-status", "notIsolated", "-o", "json")
    assert result.exit_code == 0, result.stderr
    return [row["id"] for row in json.loads(result.stdout)][:count]


def _run(cli: Cli, *args: str, debug: bool = True) -> tuple[list[dict[str, Any]], str]:
    result = cli(*(["--debug"] if debug else []), "endpoint", *args, "--yes", "-o", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout), result.stderr


@pytest.fixture
def real_world(isolated_env: dict[str, str], make_emulator: Callable[..., Any]) -> Cli:
    return _cli(isolated_env, make_emulator(endpoints=20, answer_shapes="real-world"))


@pytest.fixture
def unreadable(isolated_env: dict[str, str], make_emulator: Callable[..., Any]) -> Cli:
    return _cli(isolated_env, make_emulator(endpoints=20, answer_shapes="unreadable"))


def test_real_world_shapes_are_read_as_typed_values(real_world: Cli) -> None:
    first, second = _ids(real_world, 2)
    isolated, stderr = _run(real_world, "isolate", first, second, "--comment", "INC-7")
    assert {row["id"] for row in isolated} == {first, second}
    for row in isolated:
        assert row["status"] == "ok"
        assert row["isolation"]["enabled"] is True  # sent as "True"
        assert row["isolation"]["lastEnabledAt"].endswith(".000Z")  # sent as "... GMT"
    assert WARNING not in stderr
    unisolated, stderr = _run(real_world, "unisolate", first)
    assert unisolated[0]["isolation"]["enabled"] is False  # sent as "False"
    scanned, stderr = _run(real_world, "scan", first)
    assert (scanned[0]["status"], scanned[0]["scanStatus"]) == ("ok", "requested")
    assert scanned[0]["requestedAt"].endswith(".000Z")  # sent as "... GMT"
    deleted, stderr = _run(real_world, "delete", second)
    assert [(row["id"], row["status"]) for row in deleted] == [(second, "ok")]
    assert WARNING not in stderr


@pytest.mark.parametrize("command", ["isolate", "unisolate", "scan", "delete"])
def test_unreadable_answers_still_report_the_change_and_warn_under_debug(
    unreadable: Cli, command: str
) -> None:
    (target,) = _ids(unreadable, 1)
    if command == "unisolate":
        _run(unreadable, "isolate", target)
    result_rows, stderr = _run(unreadable, command, target)
    assert "warning: the API accepted the" in stderr
    row = result_rows[0]
    assert (row["id"], row["status"], row["error"]) == (target, "ok", None)
    if command in ("isolate", "unisolate"):
        assert row["isolation"]["enabled"] in ("yes", "no")  # kept as sent
        assert "isolation.enabled" in stderr
    elif command == "scan":
        assert row["scanStatus"] == "requested"
        assert row["requestedAt"].endswith("CEST")
        assert "requestedAt" in stderr
    else:
        assert "taken as deleted" in stderr
        assert "warning: the API accepted the delete" in stderr


def test_without_debug_the_warning_is_not_shown(unreadable: Cli) -> None:
    (target,) = _ids(unreadable, 1)
    result_rows, stderr = _run(unreadable, "scan", target, debug=False)
    assert (result_rows[0]["id"], result_rows[0]["status"]) == (target, "ok")
    assert "warning" not in stderr


def test_the_library_reports_ok_for_unreadable_answers(
    make_emulator: Callable[..., Any], caplog: pytest.LogCaptureFixture
) -> None:
    emulator = make_emulator(endpoints=5, answer_shapes="unreadable")
    with sync_client(emulator) as central:
        target = next(iter(central.endpoints.list())).id
        (item,) = central.endpoints.isolate([target], comment="INC-9")
        assert item.id == target
        assert item.isolation is not None
        assert item.isolation.comment == "INC-9"
        assert item.isolation.enabled is None
        assert item.isolation.model_extra == {
            "enabled": "yes",
            "lastEnabledAt": item.isolation.model_extra["lastEnabledAt"],
        }
        assert central.endpoints.delete(target) is True
    assert any("did not fit EndpointIsolation" in r.getMessage() for r in caplog.records)
    # The endpoint really is gone: the delete was not mistaken for a failure.
    with sync_client(emulator) as central:
        assert target not in {ep.id for ep in central.endpoints.list()}


def test_the_shapes_the_emulator_knows() -> None:
    assert ANSWER_SHAPES == ("standard", "real-world", "unreadable")
    answer = {"enabled": True, "at": "2021-08-13T09:07:03.000Z", "n": 1}
    assert reshape(answer, "standard") is answer
    assert reshape(answer, "real-world") == {
        "enabled": "True",
        "at": "2021-08-13 09.07.03 GMT",
        "n": 1,
    }
    assert reshape(answer, "unreadable") == {
        "enabled": "yes",
        "at": "13.08.2021 11:07:03 CEST",
        "n": 1,
    }


def test_serve_offers_every_shape(cli_run: Cli) -> None:
    result = cli_run("emulator", "serve", "--help")
    assert result.exit_code == 0
    for shape in ANSWER_SHAPES:
        assert shape in result.stdout
