"""Memory: peak RSS of a CLI ``-o csv`` export, small vs ten times larger."""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench._harness import Figure, fast_server_process, pysophos, run_child

RATIO_TARGET = 1.3


def run(quick: bool) -> list[Figure]:
    small, large = (2_000, 20_000) if quick else (20_000, 200_000)
    with fast_server_process(large) as emu, tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "endpoints.csv"
        _, small_rss = run_child(
            pysophos(
                "endpoint", "list", "-o", "csv", "--limit", str(small), "--output-file", str(out)
            ),
            emu.env(),
        )
        small_rows = sum(1 for _ in out.open()) - 1
        _, large_rss = run_child(
            pysophos("endpoint", "list", "-o", "csv", "--output-file", str(out)), emu.env()
        )
        large_rows = sum(1 for _ in out.open()) - 1
    assert (small_rows, large_rows) == (small, large), (small_rows, large_rows)
    ratio = large_rss / small_rss
    return [
        Figure(
            f"memory (fast server): peak RSS of CLI csv export, {large:,} vs {small:,} endpoints",
            f"{large_rss / 1024:.0f} MiB vs {small_rss / 1024:.0f} MiB",
            ratio,
            f"<= {RATIO_TARGET:g}",
            ratio <= RATIO_TARGET,
            RATIO_TARGET,
        )
    ]
