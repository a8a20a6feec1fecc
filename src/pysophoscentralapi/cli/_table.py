"""The table format: rows rendered with rich, in chunks, fitted to the terminal like gh/kubectl.

Columns are declared by the command (:class:`Column`: a dotted path, a priority and whether it
is a *key* column such as the id or the name). On a terminal, when the natural widths do not
fit, the lowest-priority columns are dropped first (a footer on stderr says how many and names
``-w/--wide``), then the remaining non-key columns shrink (widest first) down to a readable
minimum; key columns are never cut. ``wide`` keeps every column at its natural width.

Rows are rendered in chunks of :data:`TABLE_CHUNK` rows, one rich table per chunk, the header
only above the first. Column choice and widths are decided on the first chunk and then fixed,
so every chunk lines up; a cell that does not fit is cut with an ellipsis (never wrapped). Off a
terminal (a pipe, a file) every column is kept at its measured width. Headers are the dotted
paths, as typed for ``--fields``/``--sort``. API timestamps are shown to the minute
(``2024-05-01 10:00Z``; JSON and CSV keep them whole). Health and severity values are coloured on
a terminal. rich is imported only when a table is written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any, Final, TextIO

from pysophoscentralapi.cli._columns import Column, columns_of
from pysophoscentralapi.cli._fields import MISSING, flatten, lookup
from pysophoscentralapi.cli._formats import RowCounter, cell_text

__all__ = [
    "TABLE_CHUNK",
    "VALUE_STYLES",
    "Column",
    "columns_of",
    "escape_control",
    "fit_columns",
    "table_text",
    "write_table",
]

#: rows per rendered table chunk
TABLE_CHUNK: Final = 500
#: a shrunk non-key column keeps at least this many cells (or its natural width if smaller)
MIN_SHRUNK_WIDTH: Final = 10
#: the cells between two columns (right padding + separator)
COLUMN_GAP: Final = 2

_CONTROL_RE: Final = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")
#: an API timestamp (UTC), shown in tables to the minute: 2024-05-01T10:00:00.000Z -> 2024-05-01 10:00Z
_TIMESTAMP_RE: Final = re.compile(r"(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?Z")
VALUE_STYLES: Final = {
    "good": "green",
    "bad": "red",
    "high": "red",
    "critical": "bold red",
    "suspicious": "yellow",
    "medium": "yellow",
    "low": "cyan",
}
_COLOURED_PATH_WORDS: Final = ("health", "severity")


@dataclass(frozen=True)
class Fitted:
    """The outcome of :func:`fit_columns`: kept column indexes, their widths, the hidden ones."""

    kept: tuple[int, ...]
    widths: tuple[int, ...]
    hidden: tuple[int, ...]


def fit_columns(
    natural: Sequence[int],
    columns: Sequence[Column],
    available: int,
    *,
    gap: int = COLUMN_GAP,
    drop: bool = True,
) -> Fitted:
    """Which columns to show, and how wide, in ``available`` cells.

    Key columns are always shown whole (even if they alone overflow). The other columns are
    taken by priority, highest first, each at its natural width while it fits; one that does
    not fit takes the room left if that is at least :data:`MIN_SHRUNK_WIDTH` (cut with an
    ellipsis), else it is hidden and smaller ones may still fit. ``drop=False`` (columns the
    user chose with ``--fields``) keeps every column and shrinks the widest ones instead.

    Example::

        >>> cols = columns_of(["id", "description", "os"])
        >>> fit_columns([36, 60, 20], cols, 80)
        Fitted(kept=(0, 1), widths=(36, 42), hidden=(2,))
        >>> fit_columns([36, 60, 8], cols, 120)
        Fitted(kept=(0, 1, 2), widths=(36, 60, 8), hidden=())
    """
    indexes = range(len(columns))
    keys = [i for i in indexes if columns[i].key]
    others = sorted(
        (i for i in indexes if not columns[i].key), key=lambda i: (-columns[i].priority, i)
    )
    sized = {i: natural[i] for i in keys}
    if not drop:
        room = available - gap * max(len(columns) - 1, 0) - sum(sized.values())
        widths = _fit_widths([natural[i] for i in others], max(room, len(others)))
        sized.update(zip(others, widths, strict=True))
    else:
        room = available - sum(sized.values()) - gap * max(len(keys) - 1, 0)
        for i in others:
            cost = gap if sized else 0
            if natural[i] + cost <= room:
                sized[i] = natural[i]
            elif not columns[i].whole and room - cost >= min(natural[i], MIN_SHRUNK_WIDTH):
                sized[i] = room - cost
            else:
                continue
            room -= sized[i] + cost
    kept = tuple(i for i in indexes if i in sized)
    hidden = tuple(i for i in indexes if i not in sized)
    return Fitted(kept, tuple(sized[i] for i in kept), hidden)


def table_text(value: Any, list_separator: str) -> str:
    """A cell's text for the terminal: control characters shown escaped, never sent."""
    if value is None or value is MISSING:
        return ""
    if isinstance(value, str) and (stamp := _TIMESTAMP_RE.fullmatch(value)):
        return f"{stamp.group(1)} {stamp.group(2)}Z"
    return escape_control(cell_text(value, list_separator))


def escape_control(text: str) -> str:
    """``text`` safe for a terminal: tabs as spaces, other control characters shown escaped."""
    # never let data drive the terminal (escape sequences, carriage returns, newlines)
    return _CONTROL_RE.sub(lambda m: repr(m.group())[1:-1], text.replace("\t", " "))


def _fit_widths(natural: Sequence[int], available: int) -> list[int]:
    """Cap the widest columns at one level so the total fits ``available`` (min 1 each)."""
    if sum(natural) <= available or not natural:
        return list(natural)
    low, high = 1, max(natural)
    while low < high:  # the largest cap that fits
        middle = (low + high + 1) // 2
        if sum(min(width, middle) for width in natural) <= available:
            low = middle
        else:
            high = middle - 1
    widths = [min(width, low) for width in natural]
    spare = available - sum(widths)
    for index, width in enumerate(natural):  # hand out what is left to the capped columns
        if spare <= 0:
            break
        if width > widths[index]:
            widths[index] += 1
            spare -= 1
    return widths


def data_console(
    stream: TextIO,
    *,
    is_terminal: bool,
    color: bool,
    width: int | None = None,
    soft_wrap: bool = False,
) -> Any:
    """A rich console that prints data as it is: no markup, emoji or highlighting."""
    from rich.console import Console

    return Console(
        file=stream,
        force_terminal=is_terminal,
        no_color=not color,
        color_system="auto" if color else None,
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=soft_wrap,
        width=width,
    )


def write_table(
    stream: TextIO,
    records: Iterator[Mapping[str, Any]],
    header: Sequence[str | Column] | None,
    *,
    flat: bool,
    is_terminal: bool,
    color: bool,
    no_headers: bool,
    title: str | None,
    list_separator: str,
    counter: RowCounter,
    err: TextIO,
    wide: bool = False,
    chosen: bool = False,
    width: int | None = None,
) -> None:
    """Write ``records`` as a table (see the module's docstring).

    ``header``: the declared columns (``None``: the first chunk's flattened keys); ``chosen``:
    they come from ``--fields`` (shrunk, never dropped); ``width``: the terminal's width
    (default: what rich detects).
    """
    from rich import box
    from rich.cells import cell_len
    from rich.table import Table
    from rich.text import Text

    console = data_console(stream, is_terminal=is_terminal, color=color, width=width)
    declared: list[Column] | None = list(columns_of(header)) if header else None
    hidden: list[str] = []
    if declared is not None and chosen:
        declared = [Column(c.path, c.priority, key=False) for c in declared]
    names: list[str] = []
    widths: list[int] = []
    kept: tuple[int, ...] = ()
    styled: list[bool] = []
    first = True
    while True:
        chunk: list[Mapping[str, Any]] = list(islice(records, TABLE_CHUNK))
        if not chunk:
            break
        if declared is None:  # no default columns: the first chunk's flattened keys
            flat_chunk: list[Mapping[str, Any]] = [flatten(row) for row in chunk]
            keys = list(dict.fromkeys(key for row in flat_chunk for key in row))
            declared = list(columns_of(keys))
            chunk, flat = flat_chunk, True
        if first:
            all_names = [column.path for column in declared]
            all_cells = _cells(chunk, all_names, flat=flat, list_separator=list_separator)
            natural = [
                max(1, 0 if no_headers else cell_len(name), *(cell_len(r[i]) for r in all_cells))
                for i, name in enumerate(all_names)
            ]
            if is_terminal and not wide:
                fitted = fit_columns(natural, declared, console.width, drop=not chosen)
                kept, widths = fitted.kept, list(fitted.widths)
                hidden = [all_names[i] for i in fitted.hidden]
            else:
                kept, widths = tuple(range(len(declared))), natural
            names = [all_names[i] for i in kept]
            console.width = max(sum(widths) + COLUMN_GAP * (len(widths) - 1), 1)
            cells = [[row[i] for i in kept] for row in all_cells]
            styled = [
                color and any(word in name.lower() for word in _COLOURED_PATH_WORDS)
                for name in names
            ]
        else:
            cells = _cells(chunk, names, flat=flat, list_separator=list_separator)
        table = Table(
            box=box.SIMPLE_HEAD,
            show_header=first and not no_headers,
            show_edge=False,
            pad_edge=False,
            padding=(0, 1, 0, 0),
            title=title if first else None,
            header_style="bold" if color else "",
            title_style="bold" if color else "",
            expand=False,
        )
        for name, column_width in zip(names, widths, strict=True):
            table.add_column(name, width=column_width, no_wrap=True, overflow="ellipsis")
        for row_cells in cells:
            table.add_row(
                *(
                    Text(text, style=VALUE_STYLES.get(text.lower(), "") if styled[i] else "")
                    for i, text in enumerate(row_cells)
                )
            )
        console.print(table)
        stream.flush()
        counter.n += len(chunk)
        first = False
    if first:
        err.write("No rows.\n")
    elif hidden:  # after the rows, so it is the last thing a person reads
        err.write(
            f"{len(hidden)} column{'s' if len(hidden) > 1 else ''} hidden: {', '.join(hidden)} "
            "(-w/--wide shows all)\n"
        )


def _cells(
    chunk: Sequence[Mapping[str, Any]], names: Sequence[str], *, flat: bool, list_separator: str
) -> list[list[str]]:
    segments = [name.split(".") for name in names]
    return [
        [
            table_text(row.get(name) if flat else lookup(row, path), list_separator)
            for name, path in zip(names, segments, strict=True)
        ]
        for row in chunk
    ]
