"""Throughput: paging endpoints through the library and the CLI vs a minimal raw httpx loop.

Measured as CPU time (wall time beside it) on the fast bench server (``bench/_fastserver.py``:
pre-rendered pages, so the figures are the client's cost), and once more on the emulator for
comparison (labelled as such; the emulator's own cost hides part of the client's there). Every
contender runs in a process of its own, the raw loop included: in one shared process the raw
loop's garbage collector would also scan the library's objects, which flatters the library.
Every contender runs once per round, the rounds interleaved, and each figure is the median over
the rounds: load on a shared machine then falls on all of them alike.

    python -m bench.throughput CONTENDER URL LABEL

runs one library contender (``raw_loop``, ``library_sync``...) in this way: once to warm up
(connections, validators), then once measured, printing its CPU and wall seconds.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import NamedTuple, TypedDict

import httpx

from bench._harness import (
    ROOT,
    Emulator,
    Figure,
    emulator_process,
    fast_server_process,
    pysophos,
    raw_sign_in,
    run_child_measured,
)

PAGE_SIZE = 500
MODELS_TARGET = 1.5
RAW_ITEMS_TARGET = 1.0
CLI_TARGET = 2.0


def raw_loop(emu: Emulator) -> int:
    """The least a hand-written client must do: token, whoami, then every page with json.loads."""
    with httpx.Client() as http:
        headers, region = raw_sign_in(http, emu)
        url = region + "/endpoint/v1/endpoints"
        params: dict[str, int | str] = {"pageSize": PAGE_SIZE}
        count = 0
        while True:
            body = json.loads(http.get(url, params=params, headers=headers).content)
            count += len(body["items"])
            next_key = body["pages"].get("nextKey")
            if not next_key:
                return count
            params = {"pageSize": PAGE_SIZE, "pageFromKey": next_key}


class _ClientOptions(TypedDict):
    client_id: str
    client_secret: str
    auth_url: str
    api_url: str


def _client_options(emu: Emulator) -> _ClientOptions:
    env = emu.env()
    return {
        "client_id": env["SOPHOS_CLIENT_ID"],
        "client_secret": env["SOPHOS_CLIENT_SECRET"],
        "auth_url": env["SOPHOS_AUTH_URL"],
        "api_url": env["SOPHOS_API_URL"],
    }


def library_sync(emu: Emulator) -> int:
    from pysophoscentralapi import SophosCentral

    with SophosCentral(**_client_options(emu)) as central:
        return sum(1 for _ in central.endpoints.list(page_size=PAGE_SIZE))


def library_sync_raw(emu: Emulator) -> int:
    """The library's dict rows (``raw_items()``): paging and retries without model validation."""
    from pysophoscentralapi import SophosCentral

    with SophosCentral(**_client_options(emu)) as central:
        return sum(1 for _ in central.endpoints.list(page_size=PAGE_SIZE).raw_items())


def library_async(emu: Emulator) -> int:
    from pysophoscentralapi import AsyncSophosCentral

    async def main() -> int:
        async with AsyncSophosCentral(**_client_options(emu)) as central:
            return sum([1 async for _ in central.endpoints.list(page_size=PAGE_SIZE)])

    return asyncio.run(main())


class ChildRun(NamedTuple):
    """A contender's CPU and wall seconds, measured in a child process of its own."""

    cpu: float
    wall: float


LIBRARY_CONTENDERS: dict[str, Callable[[Emulator], int]] = {
    fn.__name__: fn for fn in (raw_loop, library_sync, library_sync_raw, library_async)
}


def in_own_process(fn: Callable[[Emulator], int]) -> Callable[[Emulator], ChildRun]:
    """``fn`` run by ``python -m bench.throughput`` in a fresh interpreter (see the docstring)."""

    def run(emu: Emulator) -> ChildRun:
        argv = [sys.executable, "-m", "bench.throughput", fn.__name__, emu.url, emu.label]
        answer = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, check=True)
        cpu, wall = (float(word) for word in answer.stdout.split())
        return ChildRun(cpu, wall)

    run.__name__ = fn.__name__
    return run


def cli_export(fmt: str) -> Callable[[Emulator], ChildRun]:
    def export(emu: Emulator) -> ChildRun:
        wall, cpu, _ = run_child_measured(pysophos("endpoint", "list", "-o", fmt), emu.env())
        return ChildRun(cpu, wall)

    export.__name__ = f"cli_{fmt}"
    return export


#: (label, contender, target as a ratio to the raw loop)
CONTENDERS: list[tuple[str, Callable[[Emulator], ChildRun], float]] = [
    ("library sync iterator (models)", in_own_process(library_sync), MODELS_TARGET),
    ("library async iterator (models)", in_own_process(library_async), MODELS_TARGET),
    ("library sync raw_items() (dicts)", in_own_process(library_sync_raw), RAW_ITEMS_TARGET),
    ("CLI -o jsonl export", cli_export("jsonl"), CLI_TARGET),
    ("CLI -o csv export", cli_export("csv"), CLI_TARGET),
]


def measure(
    emu: Emulator, rounds: int, contenders: list[tuple[str, Callable[[Emulator], ChildRun], float]]
) -> tuple[dict[str, float], dict[str, float]]:
    """Median wall and CPU seconds of the raw loop and each contender, rounds interleaved."""
    fns: dict[str, Callable[[Emulator], ChildRun]] = {"raw": in_own_process(raw_loop)}
    fns.update({label: fn for label, fn, _ in contenders})
    walls: dict[str, list[float]] = {name: [] for name in fns}
    cpus: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            result = fn(emu)
            walls[name].append(result.wall)
            cpus[name].append(result.cpu)
    return (
        {name: statistics.median(values) for name, values in walls.items()},
        {name: statistics.median(values) for name, values in cpus.items()},
    )


def figures_for(
    server: str,
    total: int,
    walls: dict[str, float],
    cpus: dict[str, float],
    contenders: list[tuple[str, Callable[[Emulator], ChildRun], float]],
) -> list[Figure]:
    figures = []
    for label, _, target in contenders:
        # Judged on CPU time: the client's own cost, which a busy machine does not inflate the
        # way it does wall time. Wall time is shown beside it.
        ratio = cpus[label] / cpus["raw"]
        figures.append(
            Figure(
                f"throughput ({server}): {total:,} endpoints, {label} vs raw httpx loop",
                f"CPU {cpus[label]:.2f} s vs {cpus['raw']:.2f} s "
                f"(wall {walls[label]:.2f} s vs {walls['raw']:.2f} s, x{walls[label] / walls['raw']:.2f})",
                ratio,
                f"<= {target:g}x",
                ratio <= target,
                target,
            )
        )
    return figures


def run(quick: bool) -> list[Figure]:
    total = (
        20_000 if quick else 50_000
    )  # quick: enough rows that the CLI start-up is not most of it
    rounds = 3 if quick else 5
    with fast_server_process(total) as fast:
        for fn in LIBRARY_CONTENDERS.values():
            assert fn(fast) == total, f"{fn.__name__} did not see every endpoint"
        walls, cpus = measure(fast, rounds, CONTENDERS)
    figures = figures_for("fast server", total, walls, cpus, CONTENDERS)
    if not quick:
        # The emulator for comparison: its own cost (building each row) is in every figure.
        compared = [c for c in CONTENDERS if c[1].__name__ == "library_sync"]
        with emulator_process(endpoints=total) as emu:
            walls, cpus = measure(emu, 3, compared)
        figures += [
            Figure(f.name, f.measured, f.ratio, f"for comparison ({f.target})", True)
            for f in figures_for("emulator", total, walls, cpus, compared)
        ]
    return figures


def _measure_here(name: str, url: str, label: str) -> None:
    fn, emu = LIBRARY_CONTENDERS[name], Emulator(url, label)
    total = fn(emu)  # warm-up: connection, token, validators
    cpu, wall = time.process_time(), time.perf_counter()
    if fn(emu) != total:
        raise SystemExit(f"{name} saw a different number of endpoints the second time")
    print(time.process_time() - cpu, time.perf_counter() - wall)


if __name__ == "__main__":
    _measure_here(*sys.argv[1:])
