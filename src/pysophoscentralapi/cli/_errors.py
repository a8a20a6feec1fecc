"""Top-level error handling (placeholder, filled in by the CLI platform work)."""

from __future__ import annotations

import click


def run_main(group: click.Group, argv: list[str] | None) -> None:
    group.main(args=argv, prog_name="pysophos")
