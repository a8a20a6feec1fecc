"""Ctrl-C during an export: exit 130, no partial file, an existing file at the path untouched.
Ctrl-C during a bulk action: exit 130 after the result rows of the targets done were written.

Runs the installed ``pysophos`` script for real in a subprocess against an emulator slow enough
(20,000 endpoints, pages of 500, 50 ms per request) that the export is still running when SIGINT
arrives, right after the first pages were served (seen in the emulator's request log).

The child gets the default SIGINT disposition back before it starts: a suite run in the
background (``pytest &``) inherits an ignored SIGINT, and Python would then never raise
KeyboardInterrupt.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from pysophoscentralapi.emulator import EmulatorConfig, run_emulator

SCRIPT = Path(sys.executable).parent / "pysophos"
PAGES_BEFORE_INTERRUPT = 2
ENDPOINTS = 20_000


@pytest.fixture(scope="module")
def slow_emulator() -> Iterator[Any]:
    config = EmulatorConfig(seed=3, endpoints=ENDPOINTS, tenants=1, latency_ms=50)
    with run_emulator(config) as emu:
        yield emu


#: Runs argv[1:] with SIGINT's default disposition (what an interactive shell gives a command).
_WITH_DEFAULT_SIGINT = (
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
    "os.execv(sys.argv[1], sys.argv[1:])"
)


def start(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    """Start ``args`` with SIGINT delivered as in a foreground shell."""
    return subprocess.Popen(
        [sys.executable, "-c", _WITH_DEFAULT_SIGINT, *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_until(process: subprocess.Popen[str], done: Callable[[], bool], what: str) -> None:
    """Poll ``done()`` while the process runs (20 s at most)."""
    deadline = time.monotonic() + 20
    while not done():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, f"{what} never started"
        time.sleep(0.005)


def list_requests(emu: Any) -> int:
    return emu.state.request_count("GET", "/endpoint/v1/endpoints")


@contextmanager
def running(args: list[str], env: dict[str, str]) -> Iterator[subprocess.Popen[str]]:
    """``start(args, env)``, the process killed on the way out if it still runs (a failed test)."""
    process = start(args, env)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def interrupt(process: subprocess.Popen[str]) -> subprocess.CompletedProcess[str]:
    """Ctrl-C: the process must end with exit 130 and no traceback."""
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=20)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def interrupt_export(
    emu: Any, env: dict[str, str], target: Path
) -> subprocess.CompletedProcess[str]:
    emu.reset()
    args = [str(SCRIPT), "endpoint", "list", "-o", "jsonl", "--output-file", str(target)]
    with running(args, env) as process:
        wait_until(process, lambda: list_requests(emu) >= PAGES_BEFORE_INTERRUPT, "the export")
        # Writing has begun: the temporary file exists next to the target.
        assert any(p.name.endswith(".part") for p in target.parent.iterdir())
        result = interrupt(process)
    assert list_requests(emu) < ENDPOINTS // 500, "the export finished before the interrupt"
    return result


@pytest.fixture
def script_env(isolated_env: dict[str, str], slow_emulator: Any) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SOPHOS_", "PYSOPHOS_"))}
    return {**base, **isolated_env, **slow_emulator.env("tenant")}


@pytest.fixture
def target(tmp_path: Path) -> Path:
    """The export's output file, in a directory of its own (to see what else is left there)."""
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    return out_dir / "endpoints.jsonl"


@pytest.mark.e2e
def test_ctrl_c_keeps_the_existing_file(
    slow_emulator: Any, script_env: dict[str, str], target: Path
) -> None:
    target.write_text('{"id": "previous export"}\n', encoding="utf-8")
    target.chmod(0o640)
    before = target.stat()

    result = interrupt_export(slow_emulator, script_env, target)

    assert "interrupted" in result.stderr
    assert result.stdout == ""
    # no temp file left
    assert sorted(p.name for p in target.parent.iterdir()) == ["endpoints.jsonl"]
    assert target.read_text(encoding="utf-8") == '{"id": "previous export"}\n'
    after = target.stat()
    assert (after.st_ino, after.st_mode, after.st_mtime_ns) == (
        before.st_ino,
        before.st_mode,
        before.st_mtime_ns,
    )


@pytest.mark.e2e
def test_ctrl_c_leaves_no_new_file(
    slow_emulator: Any, script_env: dict[str, str], target: Path
) -> None:
    interrupt_export(slow_emulator, script_env, target)  # exit 130, no traceback

    assert list(target.parent.iterdir()) == []


SCANS_BEFORE_INTERRUPT = 5


@pytest.mark.e2e
@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_ctrl_c_mid_scan_keeps_the_rows_of_the_scans_sent(
    slow_emulator: Any, script_env: dict[str, str], tmp_path: Path, fmt: str
) -> None:
    slow_emulator.reset()
    endpoints = slow_emulator.state.tenants[0].endpoints.rows()
    ids = [next(endpoints)[1]["id"] for _ in range(200)]
    id_file = tmp_path / "ids.txt"
    id_file.write_text("\n".join(ids))
    args = [str(SCRIPT), "endpoint", "scan", f"@{id_file}", "--yes", "-o", fmt]
    with running(args, script_env) as process:
        scans = slow_emulator.state.request_count
        wait_until(process, lambda: scans("POST", "/scans") >= SCANS_BEFORE_INTERRUPT, "the scans")
        result = interrupt(process)
    sent = slow_emulator.state.request_count("POST", "/scans")
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(result.stdout)))
    else:
        rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) >= SCANS_BEFORE_INTERRUPT - 1
    assert len(rows) <= sent < len(ids)
    assert [row["id"] for row in rows] == ids[: len(rows)]
    assert {row["status"] for row in rows} == {"ok"}
    assert f"interrupted: scan started on {len(rows)} of {len(rows)}" in result.stderr
