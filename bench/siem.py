"""SIEM: catch-up of a big events backlog to a file (CLI vs a raw httpx loop writing the same
JSONL), memory flat in the backlog size, and ``--all-tenants --follow`` lag over 50 tenants."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import tempfile
import time
from datetime import datetime
from pathlib import Path

import httpx

from bench._harness import Emulator, Figure, emulator_process, pysophos, raw_sign_in, run_child

CATCH_UP_TARGET = 2.0
MEMORY_TARGET = 1.3
LAG_TARGET_INTERVALS = 2.0
PAGE = 1000


def raw_loop(emu: Emulator, out: Path) -> int:
    """Token, whoami, then every page by cursor, each item written as one compact JSON line."""
    count = 0
    with httpx.Client() as http, out.open("w", encoding="utf-8") as handle:
        headers, region = raw_sign_in(http, emu)
        url = region + "/siem/v1/events"
        params: dict[str, int | str] = {"limit": PAGE}
        while True:
            body = json.loads(http.get(url, params=params, headers=headers).content)
            for item in body["items"]:
                handle.write(json.dumps(item, separators=(",", ":"), ensure_ascii=False) + "\n")
            count += len(body["items"])
            if not body["has_more"]:
                return count
            params = {"limit": PAGE, "cursor": body["next_cursor"]}


def _cli_catch_up(emu: Emulator, tmp: Path, *extra: str) -> tuple[float, int, int]:
    out, state = tmp / "cli.jsonl", tmp / "state.json"
    out.unlink(missing_ok=True)
    state.unlink(missing_ok=True)
    argv = pysophos("siem", "events", "--state", str(state), "--output-file", str(out), *extra)
    seconds, rss = run_child(argv, emu.env())
    return seconds, rss, sum(1 for _ in out.open())


def catch_up(quick: bool) -> list[Figure]:
    total = 5_000 if quick else 200_000
    runs = 1 if quick else 3
    figures = []
    with (
        emulator_process(siem_events=total, siem_rate=0.0) as emu,
        tempfile.TemporaryDirectory() as d,
    ):
        tmp = Path(d)
        raw_times, cli_times = [], []
        for _ in range(runs):
            start = time.perf_counter()
            assert raw_loop(emu, tmp / "raw.jsonl") == total
            raw_times.append(time.perf_counter() - start)
            seconds, large_rss, lines = _cli_catch_up(emu, tmp)
            assert lines == total, lines
            cli_times.append(seconds)
        raw, cli = min(raw_times), min(cli_times)
        figures.append(
            Figure(
                f"siem: catch-up of {total:,} events to a file, CLI vs raw httpx loop (same JSONL)",
                f"{cli:.2f} s vs {raw:.2f} s",
                cli / raw,
                f"<= {CATCH_UP_TARGET:g}x",
                cli / raw <= CATCH_UP_TARGET,
            )
        )
        # A tenth of the backlog: the newest tenth of the 23 hours it is spread over.
        small = total // 10
        since = f"{int(23 * 60 * small / total)}m"
        _, small_rss, small_lines = _cli_catch_up(emu, tmp, "--since", since)
        assert abs(small_lines - small) <= small * 0.05, small_lines
        ratio = large_rss / small_rss
        figures.append(
            Figure(
                f"siem: peak RSS of the catch-up, {total:,} vs {small_lines:,} events",
                f"{large_rss / 1024:.0f} MiB vs {small_rss / 1024:.0f} MiB",
                ratio,
                f"<= {MEMORY_TARGET:g}",
                ratio <= MEMORY_TARGET,
            )
        )
    return figures


def follow_lag(quick: bool) -> list[Figure]:
    """50 reachable tenants with new events every half second. A tenant's lag is the age of its
    oldest event not yet delivered: the one after its saved watermark (the newest delivered),
    which arrived ``1 / rate`` seconds after it; 0 when it has not arrived yet."""
    interval, duration = (1.0, 4.0) if quick else (2.0, 16.0)
    tenants = 52  # the emulator's last two refuse partner access / are inactive
    rate = 2.0
    config = {"tenants": tenants, "siem_events": 20, "siem_rate": rate}
    with emulator_process(**config) as emu, tempfile.TemporaryDirectory() as d:
        state, out = Path(d) / "state.json", Path(d) / "out.jsonl"
        argv = pysophos(
            "--all-tenants", "siem", "events", "--follow", "--interval", str(interval),
            "--state", str(state), "--output-file", str(out), "--concurrency", "10",
        )  # fmt: skip
        process = subprocess.Popen(
            argv, env={**os.environ, **emu.env("partner")}, stderr=subprocess.DEVNULL
        )
        worst = 0.0
        try:
            time.sleep(2 * interval)  # the first catch-up
            deadline = time.monotonic() + duration
            while time.monotonic() < deadline:
                time.sleep(interval / 4)
                feeds = json.loads(state.read_text())["feeds"]
                now = time.time()
                lags = [
                    now - datetime.fromisoformat(cp["watermark"]).timestamp() - 1 / rate
                    for cp in feeds.values()
                    if cp.get("watermark")
                ]
                assert len(lags) == tenants - 2, len(lags)
                worst = max(worst, 0.0, *lags)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
    assert process.returncode == 0, process.returncode
    ratio = worst / interval
    return [
        Figure(
            f"siem: --all-tenants --follow over {tenants - 2} tenants, worst lag vs the "
            f"polling interval ({interval:g} s)",
            f"{worst:.2f} s",
            ratio,
            f"< {LAG_TARGET_INTERVALS:g} intervals",
            ratio < LAG_TARGET_INTERVALS,
        )
    ]


def run(quick: bool) -> list[Figure]:
    return [*catch_up(quick), *follow_lag(quick)]
