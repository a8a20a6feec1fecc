"""Run the benchmarks: ``python -m bench [--quick] [--only NAME ...]``."""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

from bench import fanout, memory, siem, startup, throughput
from bench._harness import ROOT, Figure

BENCHMARKS = {
    "startup": startup,
    "throughput": throughput,
    "memory": memory,
    "fanout": fanout,
    "siem": siem,
}


def table(figures: list[Figure], *, judged: bool = True) -> str:
    """A markdown table; quick runs are too small to hold against the targets, so not judged."""
    lines = ["| benchmark | measured | ratio | target | met |", "| --- | --- | --- | --- | --- |"]
    for f in figures:
        met = ("yes" if f.met else "NO") if judged else "n/a (quick)"
        lines.append(f"| {f.name} | {f.measured} | {f.ratio:.2f} | {f.target} | {met} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="tiny sizes: check the benchmarks run (CI)"
    )
    parser.add_argument("--only", nargs="*", choices=sorted(BENCHMARKS), help="run only these")
    args = parser.parse_args(argv)
    figures: list[Figure] = []
    for name in args.only or BENCHMARKS:
        start = time.perf_counter()
        figures += BENCHMARKS[name].run(args.quick)
        print(f"bench {name}: done in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    report = table(figures, judged=not args.quick)
    print(report)
    if not args.quick:
        results = ROOT / "bench" / "results"
        results.mkdir(exist_ok=True)
        header = (
            f"{time.strftime('%Y-%m-%d')} on {platform.machine()}, {platform.python_version()}\n\n"
        )
        Path(results / "latest.md").write_text(header + report + "\n")
    # Quick mode only proves the benchmarks run; the targets are judged on full runs.
    return 0


if __name__ == "__main__":
    sys.exit(main())
