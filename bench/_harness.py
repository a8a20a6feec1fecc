"""Shared pieces: servers in a subprocess (the fast bench server, the emulator), timing,
child-process peak memory."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pysophoscentralapi._tokens import token_request_form
from pysophoscentralapi.emulator import DEMO_CREDENTIALS

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Figure:
    """One result row: a measured ratio and the target it is held against."""

    name: str
    measured: str
    ratio: float
    target: str
    met: bool
    #: the ratio the quick mode holds this figure to (it fails more than QUICK_SLACK times past
    #: it): the target, or for a target not met yet the level last recorded in
    #: docs/benchmarks.md, so a regression fails CI either way
    limit: float | None = None


@dataclass(frozen=True)
class Emulator:
    """A server the client can talk to (the emulator, or the fast bench server: ``label``)."""

    url: str
    label: str = "emulator"

    def env(self, kind: str = "tenant") -> dict[str, str]:
        credential = DEMO_CREDENTIALS[kind]  # type: ignore[index]
        return {
            "SOPHOS_CLIENT_ID": credential.client_id,
            "SOPHOS_CLIENT_SECRET": credential.client_secret,
            "SOPHOS_AUTH_URL": f"{self.url}/api/v2/oauth2/token",
            "SOPHOS_API_URL": self.url,
        }


@contextmanager
def emulator_process(**config: object) -> Iterator[Emulator]:
    """An emulator in a child process, stopped on exit."""
    with _server_process(["bench._serve", json.dumps(config)]) as url:
        yield Emulator(url)


@contextmanager
def fast_server_process(endpoints: int) -> Iterator[Emulator]:
    """The fast bench server (``bench/_fastserver.py``) in a child process, stopped on exit."""
    with _server_process(["bench._fastserver", str(endpoints)]) as url:
        yield Emulator(url, "fast server")


@contextmanager
def _server_process(args: list[str]) -> Iterator[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        if not url.startswith("http"):
            raise RuntimeError(f"{args[0]} did not start (said {url!r})")
        yield url
    finally:
        if process.stdin:
            process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def timings(runs: int, fn: Callable[[], object]) -> list[float]:
    """The wall-clock timings of ``runs`` calls of ``fn()``."""
    measured = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        measured.append(time.perf_counter() - start)
    return measured


def best_of(runs: int, fn: Callable[[], object]) -> float:
    """The fastest of ``runs`` wall-clock timings of ``fn()`` (least disturbed by noise)."""
    return min(timings(runs, fn))


def median_of(runs: int, fn: Callable[[], object]) -> float:
    """The median of ``runs`` wall-clock timings of ``fn()``."""
    return statistics.median(timings(runs, fn))


def run_child(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, int]:
    """Run a command; return (seconds, peak RSS in KiB) of that child alone (``wait4``)."""
    elapsed, _, peak = run_child_measured(argv, env)
    return elapsed, peak


def run_child_measured(
    argv: list[str], env: dict[str, str] | None = None
) -> tuple[float, float, int]:
    """Run a command; its wall seconds, CPU seconds (user + system) and peak RSS in KiB."""
    full_env = {**os.environ, **(env or {})}
    start = time.perf_counter()
    process = subprocess.Popen(
        argv, env=full_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        stderr = process.stderr.read().decode() if process.stderr else ""
        raise RuntimeError(f"{' '.join(argv)} failed ({process.returncode}): {stderr[-2000:]}")
    if process.stderr:
        process.stderr.close()
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def raw_sign_in(http: Any, emu: Emulator) -> tuple[dict[str, str], str]:
    """What a hand-written client does first: a token, then whoami. Returns the headers of a
    tenant request and the data-region URL."""
    env = emu.env()
    token = http.post(
        env["SOPHOS_AUTH_URL"],
        data=token_request_form(env["SOPHOS_CLIENT_ID"], env["SOPHOS_CLIENT_SECRET"]),
    ).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    who = json.loads(http.get(f"{emu.url}/whoami/v1", headers=headers).content)
    headers["X-Tenant-ID"] = who["id"]
    return headers, str(who["apiHosts"]["dataRegion"])


def pysophos(*args: str) -> list[str]:
    return [str(BIN / "pysophos"), *args]
