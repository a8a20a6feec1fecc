"""Run the benchmarks: ``python -m bench [--quick] [--only NAME ...]``."""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import sys
import time
from pathlib import Path

from bench import fanout, memory, siem, startup, throughput
from bench._harness import ROOT, Figure

#: quick mode fails when a ratio is more than this many times past its target
QUICK_SLACK = 1.5

BENCHMARKS = {
    "startup": startup,
    "throughput": throughput,
    "memory": memory,
    "fanout": fanout,
    "siem": siem,
}


def machine() -> str:
    """The machine the figures are from: CPU model, cores, Python, load when the run started."""
    model = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return (
        f"{model}, {os.cpu_count()} cores (nproc), Python {platform.python_version()}, "
        f"load average {load}"
    )


def table(figures: list[Figure], *, judged: bool = True) -> str:
    """A markdown table; quick runs are too small to hold against the targets, so not judged."""
    lines = ["| benchmark | measured | ratio | target | met |", "| --- | --- | --- | --- | --- |"]
    for f in figures:
        if judged:
            met = "yes" if f.met else "NO"
        elif f.limit is None:
            met = "n/a (quick)"
        else:
            within = f.ratio <= QUICK_SLACK * f.limit
            # Over the target but within the guard: a quick run's sizes are small (the CLI's
            # start-up is a larger share of 20,000 rows than of 50,000), so say just that.
            met = (
                ("ok" if f.met else "over target at quick size, within guard")
                if within
                else "REGRESSION"
            )
        lines.append(f"| {f.name} | {f.measured} | {f.ratio:.2f} | {f.target} | {met} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="small sizes, a few seconds each: fail only on a regression (CI)",
    )
    parser.add_argument("--only", nargs="*", choices=sorted(BENCHMARKS), help="run only these")
    args = parser.parse_args(argv)
    figures: list[Figure] = []
    print(f"bench: {machine()}", file=sys.stderr)
    for name in args.only or BENCHMARKS:
        start = time.perf_counter()
        figures += BENCHMARKS[name].run(args.quick)
        print(f"bench {name}: done in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    report = table(figures, judged=not args.quick)
    print(report)
    if args.quick:
        # Quick sizes are small and the machine may be busy: only a figure far past its target
        # (a regression, not noise) fails the run.
        failed = [f for f in figures if f.limit is not None and f.ratio > QUICK_SLACK * f.limit]
        for f in failed:
            print(
                f"bench: REGRESSION {f.name}: {f.ratio:.2f} is more than {QUICK_SLACK:g}x "
                f"its target ({f.target})",
                file=sys.stderr,
            )
        return 1 if failed else 0
    if not args.quick:
        results = ROOT / "bench" / "results"
        results.mkdir(exist_ok=True)
        header = f"{time.strftime('%Y-%m-%d %H:%M')}, {machine()}\n\n"
        Path(results / "latest.md").write_text(header + report + "\n")
    return 0 if all(f.met for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
