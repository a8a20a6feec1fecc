"""A row-count progress indicator for long exports, drawn on stderr only.

Used by :func:`pysophoscentralapi.cli._output.write_rows`; rich is imported only when a progress
indicator is actually shown, so importing this module costs nothing at CLI start-up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

__all__ = ["row_progress"]

#: how many rows are counted between two updates of the indicator (updates take a lock)
UPDATE_EVERY = 64


@contextmanager
def row_progress(
    stream: TextIO,
    *,
    enabled: bool,
    total: int | None = None,
    description: str = "Fetching",
    color: bool = True,
) -> Iterator[Callable[[], None]]:
    """Show "N rows" (and a bar when ``total`` is known) on ``stream`` while the block runs.

    Yields a function to call once per row fetched. The indicator is transient: it is erased when
    the block ends, so only data and messages remain. When ``enabled`` is false nothing is drawn
    and rich is not imported.

    Example::

        with row_progress(sys.stderr, enabled=sys.stderr.isatty(), total=None) as tick:
            for row in rows:
                tick()
    """
    if not enabled:
        yield _noop
        return

    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    columns: list[ProgressColumn] = [SpinnerColumn(), TextColumn("{task.description}")]
    if total is not None:
        columns += [BarColumn(), MofNCompleteColumn(), TextColumn("rows")]
    else:
        columns.append(TextColumn("{task.completed:,.0f} rows"))
    columns.append(TimeElapsedColumn())
    console = Console(file=stream, highlight=False, markup=False, emoji=False, no_color=not color)
    pending = 0
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task(description, total=total)

        def tick() -> None:
            nonlocal pending
            pending += 1
            if pending >= UPDATE_EVERY:
                progress.advance(task, pending)
                pending = 0

        yield tick


def _noop() -> None:
    return None
