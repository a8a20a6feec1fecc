"""Throughput: paging endpoints through the library and the CLI vs a minimal raw httpx loop."""

from __future__ import annotations

import asyncio
import json

import httpx

from bench._harness import (
    Emulator,
    Figure,
    best_of,
    emulator_process,
    pysophos,
    raw_sign_in,
    run_child,
)
from pysophoscentralapi import AsyncSophosCentral, SophosCentral

PAGE_SIZE = 500
LIBRARY_TARGET = 1.5
CLI_TARGET = 2.5


def raw_loop(emu: Emulator) -> int:
    """The least a hand-written client must do: token, whoami, then every page with json.loads."""
    with httpx.Client() as http:
        headers, region = raw_sign_in(http, emu)
        url = region + "/endpoint/v1/endpoints"
        params: dict[str, object] = {"pageSize": PAGE_SIZE}
        count = 0
        while True:
            body = json.loads(http.get(url, params=params, headers=headers).content)
            count += len(body["items"])
            next_key = body["pages"].get("nextKey")
            if not next_key:
                return count
            params = {"pageSize": PAGE_SIZE, "pageFromKey": next_key}


def _client_options(emu: Emulator) -> dict[str, str]:
    env = emu.env()
    return {
        "client_id": env["SOPHOS_CLIENT_ID"],
        "client_secret": env["SOPHOS_CLIENT_SECRET"],
        "auth_url": env["SOPHOS_AUTH_URL"],
        "api_url": env["SOPHOS_API_URL"],
    }


def library_sync(emu: Emulator) -> int:
    with SophosCentral(**_client_options(emu)) as central:
        return sum(1 for _ in central.endpoints.list(page_size=PAGE_SIZE))


def library_sync_raw(emu: Emulator) -> int:
    """The library's dict rows (``raw_items()``): paging and retries without model validation."""
    with SophosCentral(**_client_options(emu)) as central:
        return sum(1 for _ in central.endpoints.list(page_size=PAGE_SIZE).raw_items())


def library_async(emu: Emulator) -> int:
    async def main() -> int:
        async with AsyncSophosCentral(**_client_options(emu)) as central:
            return sum([1 async for _ in central.endpoints.list(page_size=PAGE_SIZE)])

    return asyncio.run(main())


def run(quick: bool) -> list[Figure]:
    total = 2_000 if quick else 50_000
    runs = 1 if quick else 3
    with emulator_process(endpoints=total) as emu:
        for fn in (raw_loop, library_sync, library_sync_raw, library_async):
            assert fn(emu) == total, f"{fn.__name__} did not see every endpoint"
        raw = best_of(runs, lambda: raw_loop(emu))
        sync = best_of(runs, lambda: library_sync(emu))
        sync_raw = best_of(runs, lambda: library_sync_raw(emu))
        async_ = best_of(runs, lambda: library_async(emu))
        cli = min(
            run_child(pysophos("endpoint", "list", "-o", "jsonl"), emu.env())[0]
            for _ in range(runs)
        )
    figures = []
    for label, seconds, target in (
        ("library sync iterator (models)", sync, LIBRARY_TARGET),
        ("library sync raw_items() (dicts)", sync_raw, LIBRARY_TARGET),
        ("library async iterator (models)", async_, LIBRARY_TARGET),
        ("CLI -o jsonl export", cli, CLI_TARGET),
    ):
        ratio = seconds / raw
        figures.append(
            Figure(
                f"throughput: {total:,} endpoints, {label} vs raw httpx loop",
                f"{seconds:.2f} s vs {raw:.2f} s",
                ratio,
                f"<= {target:g}x",
                ratio <= target,
            )
        )
    return figures
