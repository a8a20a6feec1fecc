"""The table format: rows rendered with rich, in chunks, fitted to the terminal.

Rows are rendered in chunks of :data:`TABLE_CHUNK` rows, one rich table per chunk, the header
only above the first. Column widths are measured on the first chunk, fitted to the terminal
width (widest columns shrink first) and then fixed, so every chunk lines up; a cell that does
not fit is cut with an ellipsis (never wrapped). Off a terminal (a pipe, a file) the columns keep
their measured widths. Headers are the dotted paths, as typed for ``--fields``/``--sort``. Health
and severity values are coloured on a terminal. rich is imported only when a table is written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from itertools import islice
from typing import Any, Final, TextIO

from pysophoscentralapi.cli._fields import MISSING, flatten, lookup
from pysophoscentralapi.cli._formats import RowCounter, cell_text

__all__ = ["TABLE_CHUNK", "write_table"]

#: rows per rendered table chunk
TABLE_CHUNK: Final = 500

_CONTROL_RE: Final = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")
_VALUE_STYLES: Final = {
    "good": "green",
    "bad": "red",
    "high": "red",
    "critical": "bold red",
    "suspicious": "yellow",
    "medium": "yellow",
    "low": "cyan",
}
_COLOURED_PATH_WORDS: Final = ("health", "severity")


def _table_text(value: Any, list_separator: str) -> str:
    if value is None or value is MISSING:
        return ""
    text = cell_text(value, list_separator).replace("\t", " ")
    # never let data drive the terminal (escape sequences, carriage returns, newlines)
    return _CONTROL_RE.sub(lambda m: repr(m.group())[1:-1], text)


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


def write_table(
    stream: TextIO,
    records: Iterator[Mapping[str, Any]],
    header: Sequence[str] | None,
    *,
    flat: bool,
    is_terminal: bool,
    color: bool,
    no_headers: bool,
    title: str | None,
    list_separator: str,
    counter: RowCounter,
    err: TextIO,
) -> None:
    from rich import box
    from rich.cells import cell_len
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(
        file=stream,
        force_terminal=is_terminal,
        no_color=not color,
        color_system="auto" if color else None,
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=False,
    )
    columns: list[str] | None = list(header) if header else None
    widths: list[int] = []
    styled: list[bool] = []
    first = True
    while True:
        chunk: list[Mapping[str, Any]] = list(islice(records, TABLE_CHUNK))
        if not chunk:
            break
        if columns is None:  # no default columns: the first chunk's flattened keys
            flat_chunk: list[Mapping[str, Any]] = [flatten(row) for row in chunk]
            columns = list(dict.fromkeys(key for row in flat_chunk for key in row))
            chunk, flat = flat_chunk, True
        segments = [name.split(".") for name in columns]
        cells = [
            [
                _table_text(row.get(name) if flat else lookup(row, path), list_separator)
                for name, path in zip(columns, segments, strict=True)
            ]
            for row in chunk
        ]
        if first:
            natural = [
                max(1, 0 if no_headers else cell_len(name), *(cell_len(r[i]) for r in cells))
                for i, name in enumerate(columns)
            ]
            overhead = 2 * len(columns) - 2  # right padding + separator, none at the edge
            widths = (
                _fit_widths(natural, max(console.width - overhead, len(columns)))
                if is_terminal
                else natural
            )
            if not is_terminal:
                console.width = max(sum(widths) + overhead, 1)
            styled = [
                color and any(word in name.lower() for word in _COLOURED_PATH_WORDS)
                for name in columns
            ]
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
        for name, width in zip(columns, widths, strict=True):
            table.add_column(name, width=width, no_wrap=True, overflow="ellipsis")
        for row_cells in cells:
            table.add_row(
                *(
                    Text(text, style=_VALUE_STYLES.get(text.lower(), "") if styled[i] else "")
                    for i, text in enumerate(row_cells)
                )
            )
        console.print(table)
        stream.flush()
        counter.n += len(chunk)
        first = False
    if first and is_terminal:
        err.write("No rows.\n")
