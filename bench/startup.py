"""Start-up: ``pysophos --help`` / ``--version`` against bare ``python -c pass``."""

from __future__ import annotations

import subprocess
import sys

from bench._harness import Figure, best_of, pysophos

HELP_TARGET = 6.0


def run(quick: bool) -> list[Figure]:
    runs = 3 if quick else 15

    def bare() -> None:
        subprocess.run([sys.executable, "-c", "pass"], check=True)

    def help_() -> None:
        subprocess.run(pysophos("--help"), check=True, stdout=subprocess.DEVNULL)

    def version() -> None:
        subprocess.run(pysophos("--version"), check=True, stdout=subprocess.DEVNULL)

    base = best_of(runs, bare)
    help_time = best_of(runs, help_)
    version_time = best_of(runs, version)
    return [
        Figure(
            "startup: pysophos --help vs python -c pass",
            f"{help_time * 1000:.0f} ms vs {base * 1000:.0f} ms",
            help_time / base,
            f"<= {HELP_TARGET:g}x",
            help_time / base <= HELP_TARGET,
        ),
        Figure(
            "startup: pysophos --version vs python -c pass",
            f"{version_time * 1000:.0f} ms vs {base * 1000:.0f} ms",
            version_time / base,
            f"<= {HELP_TARGET:g}x",
            version_time / base <= HELP_TARGET,
        ),
    ]
