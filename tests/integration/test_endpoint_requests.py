"""Per-endpoint requests (adaptive attack protection, forensic logs, memory dumps) and the
installer downloads, against the emulator over HTTP."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from pysophoscentralapi import NotFoundError
from tests.integration.conftest import async_client, sync_client

E = ("endpoint",)


def _first_endpoint(central: Any) -> str:
    return str(central.endpoints.list().first_page().items[0].id)


def test_adaptive_attack_protection(make_emulator: Any) -> None:
    with sync_client(make_emulator()) as central:
        endpoint_id = _first_endpoint(central)
        aap = central.endpoints.adaptive_attack_protection
        assert aap.get(endpoint_id).actual_state.enabled is False
        state = aap.update(endpoint_id, enabled=True, expires_after="P7D")
        assert state.desired_state.expires_after == "P7D"
        assert state.actual_state.enabled is True
        assert state.actual_state.expires_at is not None
        assert aap.get(endpoint_id).desired_state.source == "user"
        with pytest.raises(NotFoundError):
            aap.get(str(uuid.uuid4()))
        with pytest.raises(ValueError, match="ISO 8601"):
            aap.update(endpoint_id, enabled=True, expires_after="7 days")


async def test_forensic_log_and_memory_dump_requests(make_emulator: Any) -> None:
    async with async_client(make_emulator()) as central:
        endpoint_id = str((await central.endpoints.list().first_page()).items[0].id)
        log = await central.endpoints.forensic_logs.collect(endpoint_id, expires="PT4H")
        assert log.status == "pending"
        done = await central.endpoints.forensic_logs.get(endpoint_id, log.id)
        assert done.status == "finished"
        assert done.forensic_log_file is not None
        assert endpoint_id in (done.forensic_log_file.file_name or "")
        dump = await central.endpoints.memory_dumps.generate(endpoint_id, pid=1234)
        finished = await central.endpoints.memory_dumps.get(endpoint_id, dump.id)
        assert finished.memory_dump_file is not None
        with pytest.raises(NotFoundError):
            await central.endpoints.memory_dumps.get(endpoint_id, log.id)
        with pytest.raises(ValueError, match="pid"):
            await central.endpoints.memory_dumps.generate(endpoint_id)


def test_downloads(make_emulator: Any) -> None:
    with sync_client(make_emulator()) as central:
        every = central.downloads.get()
        assert {i.platform for i in every.installers} == {"windows", "linux", "macOS"}
        windows = central.downloads.get(platforms=["windows"])
        assert {i.platform for i in windows.installers} == {"windows"}
        assert "coreAgent" in every.licensed_products
        with pytest.raises(ValueError, match="platforms"):
            central.downloads.get(platforms="windows95")


def test_cli_requests(cli_run: Any, make_emulator: Any) -> None:
    env = make_emulator().env("tenant")
    listed = json.loads(cli_run(*E, "list", "-o", "json", "--limit", "1", env=env).stdout)
    endpoint_id = listed[0]["id"]
    unknown = str(uuid.uuid4())
    started = cli_run(*E, "forensic-log", "collect", endpoint_id, unknown, "--yes", "-o", "json",
                      env=env)  # fmt: skip
    rows = {row["id"]: row for row in json.loads(started.stdout)}
    assert (rows[endpoint_id]["status"], rows[endpoint_id]["name"]) == (
        "ok", listed[0]["hostname"],
    )  # fmt: skip
    assert rows[unknown]["status"] == "not-found"
    assert started.exit_code == 4
    request_id = rows[endpoint_id]["requestId"]
    status = cli_run(*E, "forensic-log", "status", endpoint_id, request_id, "-o", "json", env=env)
    assert json.loads(status.stdout)["status"] == "finished"  # one record
    dump = cli_run(*E, "memory-dump", "generate", endpoint_id, "--pid", "4", "--yes", "-o", "json",
                   env=env)  # fmt: skip
    assert json.loads(dump.stdout)["status"] == "pending"
    on = cli_run(*E, "aap", "update", endpoint_id, "--enable", "--expires-after", "P1D", "--yes",
                 "-o", "json", env=env)  # fmt: skip
    assert on.exit_code == 0, on.stderr
    (row,) = json.loads(on.stdout)
    assert (row["status"], row["actualEnabled"]) == ("ok", True)
    got = json.loads(cli_run(*E, "aap", "get", endpoint_id, "-o", "json", env=env).stdout)
    assert got["desiredState"]["expiresAfter"] == "P1D"
    installers = json.loads(cli_run(*E, "downloads", "--platform", "linux", "-o", "json",
                                    env=env).stdout)  # fmt: skip
    assert {i["platform"] for i in installers} == {"linux"}


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (("aap", "update", "3f2c1d6e-8f7a-4b7e-9a55-1c2d3e4f5a6b", "--yes"), "--enable"),
        (
            (
                "forensic-log",
                "collect",
                "3f2c1d6e-8f7a-4b7e-9a55-1c2d3e4f5a6b",
                "--expires",
                "4h",
                "--yes",
            ),
            "ISO 8601",
        ),
        (("memory-dump", "generate", "3f2c1d6e-8f7a-4b7e-9a55-1c2d3e4f5a6b", "--yes"), "--pid"),
        (("forensic-log", "status", "nope", "x"), "not an endpoint id"),
    ],
)
def test_cli_bad_input_exits_2(cli_run: Any, args: tuple[str, ...], complaint: str) -> None:
    result = cli_run(*E, *args)
    assert result.exit_code == 2, result.stderr
    assert complaint in result.stderr
