"""``pysophos siem`` against the emulator over HTTP: catch-up, follow, crashes, faults, sinks.

The crash tests run the CLI in processes forked from a warm harness (tests/integration/
siem_harness.py) and ``kill -9`` them at random moments; the union of what they wrote must be
every event exactly once, in feed order.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pysophoscentralapi.emulator._siem_api import siem_feed

Emulator = Any
HARNESS = Path(__file__).with_name("siem_harness.py")


class Harness:
    def __init__(self, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(HARNESS)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            text=True,
        )

    def _ask(self, request: dict[str, Any]) -> dict[str, Any]:
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())  # type: ignore[no-any-return]

    def start(self, args: list[str], **io: Any) -> int:
        return int(self._ask({"run": args, **{k: str(v) for k, v in io.items()}})["pid"])

    def wait(self, pid: int) -> int:
        return int(self._ask({"wait": pid})["status"])

    def run(self, args: list[str], **io: Any) -> int:
        return self.wait(self.start(args, **io))

    def close(self) -> None:
        self.process.stdin.close()  # type: ignore[union-attr]
        self.process.wait(timeout=10)


SiemHarness = Callable[..., tuple[Emulator, Harness]]


@pytest.fixture
def siem_harness(
    make_emulator: Callable[..., Emulator], isolated_env: dict[str, str]
) -> Iterator[SiemHarness]:
    """``siem_harness(**config)``: an emulator made with ``config``, and a :class:`Harness`
    running ``pysophos`` with its tenant credential."""
    made: list[Harness] = []

    def make(**config: Any) -> tuple[Emulator, Harness]:
        emu = make_emulator(**config)
        made.append(Harness({**os.environ, **isolated_env, **emu.env("tenant")}))
        return emu, made[-1]

    yield make
    for harness in made:
        harness.close()


def ids_in(path: Path) -> list[str]:
    """The ids of a JSONL output; a torn or partial line fails the test here."""
    return [json.loads(line)["id"] for line in path.read_text().splitlines()]


def wait_for(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


# --- catch-up and follow ------------------------------------------------------------------------


def test_full_catch_up_writes_every_event_once(siem_harness: SiemHarness, tmp_path: Path) -> None:
    emu, harness = siem_harness(siem_events=700, siem_rate=0.0)
    out, state = tmp_path / "events.jsonl", tmp_path / "s.json"
    args = ["siem", "events", "--state", state, "--output-file", out, "--page-size", 200]
    assert harness.run([str(a) for a in args]) == 0
    feed = siem_feed(emu.state.tenants[0], "events")
    assert ids_in(out) == feed.ids(0, 700)
    assert harness.run([str(a) for a in args]) == 0  # nothing new: nothing written
    assert ids_in(out) == feed.ids(0, 700)
    assert state.stat().st_mode & 0o777 == 0o600
    saved = json.loads(state.read_text())
    assert saved["extra"]["output"]["offset"] == out.stat().st_size


def test_follow_picks_up_new_and_late_events_and_sigterm_saves_state(
    siem_harness: SiemHarness, tmp_path: Path
) -> None:
    emu, harness = siem_harness(siem_events=30, siem_rate=50.0, siem_late_fraction=0.3)
    out, state = tmp_path / "events.jsonl", tmp_path / "s.json"
    args = ["siem", "events", "--follow", "--interval", "0.1", "--state", str(state)]
    pid = harness.start(args, stdout=out)  # stdout redirected to a file: exactly once too
    wait_for(lambda: out.exists() and len(out.read_text().splitlines()) > 60)
    os.kill(pid, signal.SIGTERM)
    assert harness.wait(pid) == 0
    ids = ids_in(out)
    assert ids == siem_feed(emu.state.tenants[0], "events").ids(0, len(ids))
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert any(_late(row) for row in rows[30:]), "late events are delivered"
    assert json.loads(state.read_text())["extra"]["output"]["offset"] == out.stat().st_size


def _late(row: dict[str, Any]) -> bool:
    from datetime import datetime

    gap = datetime.fromisoformat(row["created_at"]) - datetime.fromisoformat(row["when"])
    return gap.total_seconds() > 60


def test_sigint_finishes_the_page_and_exits_130(siem_harness: SiemHarness, tmp_path: Path) -> None:
    _, harness = siem_harness(siem_events=10, siem_rate=20.0)
    out, state = tmp_path / "e.jsonl", tmp_path / "s.json"
    pid = harness.start(
        ["siem", "alerts", "--follow", "--interval", "0.1", "--state", str(state),
         "--output-file", str(out)]
    )  # fmt: skip
    wait_for(state.exists)
    os.kill(pid, signal.SIGINT)
    assert harness.wait(pid) == 130
    assert json.loads(state.read_text())["extra"]["output"]["offset"] == out.stat().st_size


# --- crashes --------------------------------------------------------------------------------------


@pytest.mark.parametrize("destination", ["--output-file", "stdout"])
def test_kill_9_at_random_moments_loses_and_duplicates_nothing(
    siem_harness: SiemHarness,
    tmp_path: Path,
    destination: str,
) -> None:
    emu, harness = siem_harness(siem_events=1200, siem_rate=300.0, siem_late_fraction=0.2)
    out, state = tmp_path / "events.jsonl", tmp_path / "s.json"
    common = ["siem", "events", "--page-size", "25", "--state", str(state)]
    sink: dict[str, Any] = {"stdout": out} if destination == "stdout" else {}
    if destination == "--output-file":
        common += ["--output-file", str(out)]
    err = tmp_path / "stderr.txt"
    rng = random.Random(14)
    kills = 0
    for _ in range(22):
        pid = harness.start([*common, "--follow", "--interval", "0.05"], stderr=err, **sink)
        time.sleep(rng.uniform(0.01, 0.2))
        os.kill(pid, signal.SIGKILL)
        assert harness.wait(pid) == -signal.SIGKILL
        kills += 1
    feed = siem_feed(emu.state.tenants[0], "events")
    arrived = feed.count(time.time())
    assert harness.run(common, **sink) == 0  # a last run catches up to now
    ids = ids_in(out)
    assert kills >= 20
    assert len(ids) >= arrived > 1200
    assert ids == feed.ids(0, len(ids))


def test_a_restart_undoes_what_a_crashed_run_wrote_after_its_saved_state(
    siem_harness: SiemHarness, tmp_path: Path
) -> None:
    emu, harness = siem_harness(siem_events=90, siem_rate=0.0)
    out, state, err = tmp_path / "e.jsonl", tmp_path / "s.json", tmp_path / "err.txt"
    args = ["siem", "events", "--page-size", "30", "--state", str(state), "--output-file", str(out)]
    assert harness.run(args) == 0
    lines = out.read_text().splitlines()
    # What a run killed between writing a page and saving its state leaves behind: records
    # the state does not cover (here, a copy of the last page), the last one torn.
    with out.open("a") as handle:
        handle.write("\n".join(lines[-30:]) + "\n" + lines[0][:25])
    assert harness.run(args, stderr=err) == 0
    assert "got after the last saved state" in err.read_text()
    assert ids_in(out) == siem_feed(emu.state.tenants[0], "events").ids(0, 90)


# --- faults and cursor expiry ---------------------------------------------------------------------


def test_faults_under_follow_lose_nothing(siem_harness: SiemHarness, tmp_path: Path) -> None:
    emu, harness = siem_harness(siem_events=300, siem_rate=100.0)
    emu.state.faults.fault_rate = 0.35  # 429, 500, 502, 503 and dropped connections
    out, state, err = tmp_path / "e.jsonl", tmp_path / "s.json", tmp_path / "err.txt"
    common = [
        "siem",
        "events",
        "--page-size",
        "40",
        "--state",
        str(state),
        "--output-file",
        str(out),
    ]
    pid = harness.start([*common, "--follow", "--interval", "0.05"], stderr=err)
    wait_for(lambda: out.exists() and len(out.read_text().splitlines()) > 450, timeout=20)
    os.kill(pid, signal.SIGTERM)
    assert harness.wait(pid) == 0
    faults = {r.fault for r in emu.state.requests if r.fault}
    assert {"drop", "429"} & faults
    emu.state.faults.fault_rate = 0.0
    assert harness.run(common) == 0
    ids = ids_in(out)
    assert ids == siem_feed(emu.state.tenants[0], "events").ids(0, len(ids))


def test_an_expired_cursor_restarts_the_feed_without_duplicates(
    siem_harness: SiemHarness, tmp_path: Path
) -> None:
    emu, harness = siem_harness(siem_events=150, siem_rate=0.0, siem_cursor_ttl=0.3)
    out, state, err = tmp_path / "e.jsonl", tmp_path / "s.json", tmp_path / "err.txt"
    args = ["siem", "events", "--state", str(state), "--output-file", str(out)]
    assert harness.run(args) == 0
    time.sleep(0.4)
    assert harness.run(args, stderr=err) == 0
    assert ids_in(out) == siem_feed(emu.state.tenants[0], "events").ids(0, 150)
    assert "cursor had expired" in err.read_text()


# --- usage --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--output-file", "a", "--syslog", "udp://h:1"], "choose one destination"),
        (["-o", "json", "--follow"], "-o jsonl"),
        (["--syslog-ca", __file__], "--syslog-ca goes with"),
        (["--since", "3d"], "within the last 24 hours"),
        (["--syslog", "http://h:1"], "udp://HOST:PORT"),
        (["--splunk-hec", "ftp://x"], "collector's URL"),
    ],
)
def test_bad_options_are_usage_errors(
    cli_run: Any, sophos_emulator: Emulator, args: list[str], message: str
) -> None:
    env = {**sophos_emulator.env("tenant"), "SOPHOS_SPLUNK_HEC_TOKEN": "t"}
    result = cli_run("siem", "events", *args, env=env)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_one_off_json_array_and_cef_to_stdout(cli_run: Any, sophos_emulator: Emulator) -> None:
    env = sophos_emulator.env("tenant")
    as_json = cli_run("siem", "events", "-o", "json", "--since", "24h", env=env)
    assert as_json.exit_code == 0, as_json.output
    rows = json.loads(as_json.stdout)
    feed = siem_feed(sophos_emulator.state.tenants[0], "events")
    # the oldest backlog items leave the 24-hour window as the session's emulator ages
    first = next(i for i in range(feed.backlog) if feed.item(i)["id"] == rows[0]["id"])
    assert [r["id"] for r in rows] == feed.ids(first, first + len(rows))
    alerts = cli_run("siem", "alerts", "-o", "cef", env=env)
    assert alerts.exit_code == 0, alerts.output
    assert all(line.startswith("CEF:0|sophos|") for line in alerts.stdout.splitlines())
    assert len(alerts.stdout.splitlines()) >= 40
