"""The machine-readable formats: JSON, JSON Lines and CSV writers, and the text of a cell.

Each writer streams :attr:`Plan.records` to a text stream row by row (memory stays O(one row),
except the CSV header look-ahead) and counts the rows in a :class:`RowCounter`. The table is in
:mod:`pysophoscentralapi.cli._table`; :func:`pysophoscentralapi.cli._output.write_rows` builds
the plan and picks the writer.

Ragged CSV: without ``--fields`` the header is the union of the flattened keys of the first
:data:`LOOKAHEAD` rows (first-seen order). When the export is longer than that look-ahead, later
rows could have keys the header lacks, so the header then ends with an ``_extra`` column: a row
with keys outside the header gets them there as a compact JSON object (and one warning goes to
stderr). Nothing is silently lost, and the set of columns is known before the first line; an
export that fits the look-ahead has no ``_extra`` column. With ``--fields`` the columns are
exactly those fields. An export with no rows still has its header line (the ``--fields``, else
the model's fields, else the default columns).

CSV cells: minimal quoting, lines ending with ``\n`` (``--crlf`` for RFC 4180's CR LF), UTF-8
in files. Nested objects are
flattened to dotted headers, lists of scalars joined with ``[export] list_separator``, other
lists/objects written as compact JSON, booleans as ``true``/``false``, missing/null as empty.
Text starting with ``= + - @``, tab or CR gets a leading ``'`` (OWASP CSV injection); numbers
are written as numbers and never altered.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import json
import numbers
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, islice
from typing import Any, Final, TextIO

from pysophoscentralapi.cli._fields import MISSING, flatten, lookup, project

__all__ = [
    "EXTRA_COLUMN",
    "LOOKAHEAD",
    "Flusher",
    "Plan",
    "RowCounter",
    "cell_text",
    "json_default",
    "write_csv",
    "write_json",
]

#: rows looked at (and held) to build the CSV header / to check ``--fields``: one API page
LOOKAHEAD: Final = 500
#: name of the CSV column that receives fields outside the header
EXTRA_COLUMN: Final = "_extra"
#: flush stdout after this many rows, or after FLUSH_SECONDS, whichever comes first
FLUSH_ROWS: Final = 100
FLUSH_SECONDS: Final = 0.2

_FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")


# --------------------------------------------------------------------------------------------
# plumbing shared by the writers


class RowCounter:
    """The number of rows written so far (also right after a closed pipe)."""

    def __init__(self) -> None:
        self.n = 0


class Flusher:
    """Flush a stream every FLUSH_ROWS rows or FLUSH_SECONDS, so ``| head`` sees rows early."""

    def __init__(self, stream: TextIO, *, enabled: bool) -> None:
        self._stream = stream
        self._enabled = enabled
        self._rows = 0
        self._last = time.monotonic()

    def tick(self) -> None:
        if not self._enabled:
            return
        self._rows += 1
        now = time.monotonic()
        if self._rows >= FLUSH_ROWS or now - self._last >= FLUSH_SECONDS:
            self._stream.flush()
            self._rows = 0
            self._last = now


@dataclass
class Plan:
    """What to write: records plus how to shape them for JSON and for CSV/table."""

    records: Iterator[Mapping[str, Any]]
    #: columns for csv/table; None = infer from the data
    header: tuple[str, ...] | None
    #: records are flat (literal keys, e.g. count-by rows): no path lookups
    flat: bool
    #: projection for JSON (None = the whole row)
    fields: tuple[str, ...] | None


# --------------------------------------------------------------------------------------------
# the text of a value


def json_default(value: Any) -> Any:
    isoformat = getattr(value, "isoformat", None)
    if callable(isoformat):
        return isoformat()
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    return str(value)


def _slow_compact_json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=json_default)


def _compact_json(value: Any) -> str:
    return _fast_compact_dumps(_slow_compact_json)(value)


def _scalar_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, numbers.Number):
        return str(value)
    return str(json_default(value))


def cell_text(value: Any, list_separator: str) -> str:
    """A cell's text: lists of scalars joined, other containers compact JSON."""
    if isinstance(value, list | tuple):
        if all(not isinstance(item, Mapping | list | tuple) for item in value):
            return list_separator.join(_scalar_text(item) for item in value)
        return _compact_json(value)
    if isinstance(value, Mapping):
        return _compact_json(value)
    return _scalar_text(value)


def _guard(text: str) -> str:
    """Neutralise spreadsheet formulas (OWASP): ``'`` before ``= + - @``, tab or CR."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv_cell(value: Any, list_separator: str) -> Any:
    # Exact-type fast paths first: an export is millions of cells, and the ABC checks below
    # cost more than the rest of the writer. Same results as the general path.
    kind = type(value)
    if kind is str:
        return "'" + value if value.startswith(_FORMULA_START) else value
    if kind is int or kind is float:
        return value
    if kind is bool:
        return "true" if value else "false"
    if kind is list and all(type(item) is str for item in value):
        return _guard(list_separator.join(value))
    if value is None or value is MISSING:
        return ""
    if isinstance(value, numbers.Number) and not isinstance(value, bool):
        return value  # a number is not text: never guarded
    return _guard(cell_text(value, list_separator))


def _csv_cells(values: Iterable[Any], list_separator: str) -> list[Any]:
    """:func:`_csv_cell` of each value, with the common cases inline (the export's inner loop)."""
    cells: list[Any] = []
    append = cells.append
    for value in values:
        kind = type(value)
        if kind is str:
            append("'" + value if value.startswith(_FORMULA_START) else value)
        elif kind is int or kind is float:
            append(value)
        elif value is None:
            append("")
        elif kind is bool:
            append("true" if value else "false")
        elif kind is list:
            try:  # a list of strings (addresses, ids): joined; anything else fails the join
                text = list_separator.join(value)
            except TypeError:
                append(_csv_cell(value, list_separator))
            else:
                append("'" + text if text.startswith(_FORMULA_START) else text)
        else:
            append(_csv_cell(value, list_separator))
    return cells


# --------------------------------------------------------------------------------------------
# json, jsonl


def _json_records(plan: Plan) -> Iterator[Mapping[str, Any]]:
    if plan.fields is None:
        return plan.records
    fields = plan.fields
    return (project(row, fields) for row in plan.records)


def write_json(
    stream: TextIO,
    plan: Plan,
    *,
    indent: int | None,
    counter: RowCounter,
    flusher: Flusher,
    lines: bool = False,
) -> None:
    """A JSON array written item by item (same text as ``json.dumps(list, indent=…)``), or
    JSON Lines (one compact object per line)."""
    ensure_ascii = not _is_utf(stream)
    dumps: Callable[[Any], str] = functools.partial(
        json.dumps,
        ensure_ascii=ensure_ascii,
        default=json_default,
        indent=indent,
        separators=(",", ":") if indent is None else (",", ": "),
    )
    records = _json_records(plan)
    if indent is None and not ensure_ascii:
        dumps = _fast_compact_dumps(dumps)
    if lines:
        for record in records:
            stream.write(dumps(record) + "\n")
            counter.n += 1
            flusher.tick()
        return
    pad = "" if indent is None else "\n" + " " * indent
    # "[" goes out with the first record, so a listing that fails before any row leaves no
    # half-open array on stdout.
    for record in records:
        text = dumps(record)
        if indent is not None:
            text = text.replace("\n", pad)
        stream.write(("," if counter.n else "[") + pad + text)
        counter.n += 1
        flusher.tick()
    stream.write(("\n]\n" if indent is not None else "]\n") if counter.n else "[]\n")


@functools.cache
def _fast_compact_dumps(slow: Callable[[Any], str]) -> Callable[[Any], str]:
    """Compact UTF-8 JSON by pydantic-core's encoder (about 3x ``json.dumps``).

    Rows are JSON data as the API sent it, for which the text is that of ``json.dumps`` except
    that a float exponent has no leading zero (``1.5e-7``, the same number). A value it cannot
    encode goes to ``slow`` (``json.dumps`` with :func:`json_default`).
    """
    from pydantic_core import to_json

    def dumps(record: Any) -> str:
        try:
            return to_json(record, serialize_unknown=False, fallback=_no_fallback).decode()
        except (TypeError, ValueError):
            return slow(record)

    return dumps


def _no_fallback(value: Any) -> Any:
    raise TypeError(type(value).__name__)


def _is_utf(stream: TextIO) -> bool:
    encoding = getattr(stream, "encoding", None)
    if not encoding:
        return True
    try:
        return codecs.lookup(encoding).name.startswith("utf")
    except LookupError:
        return False


# --------------------------------------------------------------------------------------------
# csv


class _CsvLines:
    """A csv writer whose lines end with ``line_end`` while any CR or LF inside a cell is still
    quoted (the csv module quotes only the characters of its own line terminator)."""

    def __init__(self, stream: TextIO, *, delimiter: str, line_end: str) -> None:
        self._stream = stream
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, delimiter=delimiter, lineterminator="\r\n")
        self._line_end = line_end

    def writerow(self, cells: Sequence[Any]) -> None:
        self._buffer.seek(0)
        self._buffer.truncate()
        self._writer.writerow(cells)
        self._stream.write(self._buffer.getvalue()[:-2] + self._line_end)


def write_csv(
    stream: TextIO,
    plan: Plan,
    *,
    delimiter: str,
    list_separator: str,
    no_headers: bool,
    counter: RowCounter,
    flusher: Flusher,
    err: TextIO,
    line_end: str = "\n",
    empty_header: Sequence[str] = (),
) -> None:
    writer = _CsvLines(stream, delimiter=delimiter, line_end=line_end)
    separator = list_separator
    if plan.flat or plan.header is not None:
        header = plan.header or ()
        if not no_headers:
            writer.writerow([_guard(name) for name in header])
        for row in plan.records:
            values = (
                [row.get(name) for name in header]
                if plan.flat
                else [lookup(row, name.split(".")) for name in header]
            )
            writer.writerow(_csv_cells(values, separator))
            counter.n += 1
            flusher.tick()
        return

    # inferred header: union of the first page's flattened keys + the _extra column
    first_page = [flatten(row) for row in islice(plan.records, LOOKAHEAD + 1)]
    if not first_page:
        if not no_headers and empty_header:
            writer.writerow([_guard(name) for name in empty_header])
        return
    longer = len(first_page) > LOOKAHEAD  # later rows may have keys the header lacks
    columns = list(dict.fromkeys(key for row in first_page[:LOOKAHEAD] for key in row))
    known = set(columns)
    if not no_headers:
        writer.writerow([_guard(name) for name in [*columns, *([EXTRA_COLUMN] if longer else [])]])
    warned = False
    for flat_row in chain(first_page, (flatten(row) for row in plan.records)):
        extra = (
            {}
            if known.issuperset(flat_row)
            else {key: value for key, value in flat_row.items() if key not in known}
        )
        cells = _csv_cells(map(flat_row.get, columns), separator)
        if longer:
            cells.append(_compact_json(extra) if extra else "")
        writer.writerow(cells)
        counter.n += 1
        flusher.tick()
        if extra and not warned:
            warned = True
            err.write(
                f"warning: some rows have fields not in the CSV header ({', '.join(extra)}); "
                f"they are written to the {EXTRA_COLUMN} column as JSON. "
                "Use --fields to choose the columns.\n"
            )
