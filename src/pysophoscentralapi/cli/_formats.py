"""The machine-readable formats: JSON, JSON Lines and CSV writers, and the text of a cell.

Each writer streams :attr:`Plan.records` to a text stream row by row (memory stays O(one row),
except the CSV header look-ahead; an inferred-header CSV is written a batch of rows at a time,
each batch before the next flush) and counts the rows in a :class:`RowCounter`. The table is in
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
import json
import numbers
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, islice, repeat
from typing import Any, Final, TextIO

from pysophoscentralapi.cli._fields import MISSING, FlatColumns, flatten, lookup, project
from pysophoscentralapi.cli._output import FORMATS

__all__ = [
    "EXTRA_COLUMN",
    "LOOKAHEAD",
    "ExportDefaults",
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


@dataclass(frozen=True)
class ExportDefaults:
    """Output defaults from the config file, passed to :func:`~._output.write_rows` by the caller.

    Here rather than in :mod:`._output`, which every command's ``--help`` imports: only writing
    needs it (and a frozen dataclass costs a millisecond to declare).

    ``format`` is ``[output] format``; the others come from ``[export]``.

    Example::

        defaults = ExportDefaults(format="csv", csv_delimiter=";", json_indent=None)
    """

    format: str | None = None
    csv_delimiter: str = ","
    json_indent: int | None = 2
    list_separator: str = ";"

    def __post_init__(self) -> None:
        if self.format is not None and self.format not in FORMATS:
            raise ValueError(f"[output] format: {self.format!r} is not one of {', '.join(FORMATS)}")
        if len(self.csv_delimiter) != 1 or self.csv_delimiter in "\r\n\"'":
            raise ValueError(f"[export] csv_delimiter: {self.csv_delimiter!r} is not one character")
        if self.json_indent is not None and not 0 <= self.json_indent <= 16:
            raise ValueError(f"[export] json_indent: {self.json_indent!r} is not in 0..16")


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
        """Count a row written; flush when due."""
        if self.due():
            self._stream.flush()

    def due(self) -> bool:
        """Count a row; whether the stream is due a flush (the caller flushes it)."""
        if not self._enabled:
            return False
        self._rows += 1
        now = time.monotonic()
        if self._rows >= FLUSH_ROWS or now - self._last >= FLUSH_SECONDS:
            self._rows = 0
            self._last = now
            return True
        return False


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
            if value and type(value[0]) is dict:  # objects (products, services): JSON text,
                append(_compact_json(value))  # which starts with "[": never guarded
                continue
            try:  # a list of strings (addresses, ids): joined; anything else fails the join
                text = list_separator.join(value)
            except TypeError:
                append(_csv_cell(value, list_separator))
            else:
                append("'" + text if text.startswith(_FORMULA_START) else text)
        else:
            append(_csv_cell(value, list_separator))
    return cells


#: a column of these kinds is converted whole (see _column_texts); None is written as ""
_TEXT_KINDS: Final = frozenset({str, type(None)})
_BOOL_KINDS: Final = frozenset({bool, type(None)})
_BOOL_TEXT: Final = {True: "true", False: "false", None: ""}


def _column_texts(
    values: Sequence[Any], kinds: set[type], list_separator: str, delimiter: str
) -> Sequence[str]:
    """The CSV text of each value of one column of a batch of rows: :func:`_csv_cells`, then
    quoted as the csv module quotes (see :func:`_csv_lines`). ``kinds``: the types of the values.

    A column is one field, so its values are mostly of one kind: that kind is converted for the
    whole column at once (C loops: the type of each value, the joins, and one search of all the
    column's text for formula starts and for characters to quote); a column of mixed kinds, or
    with text to guard, goes value by value through :func:`_csv_cells`.
    """
    texts: Sequence[str]
    guard = True  # text that could start with a formula character
    if kinds == {str}:
        texts = values
    elif kinds <= _TEXT_KINDS:
        texts = [value or "" for value in values]
    elif kinds <= _BOOL_KINDS:
        texts, guard = list(map(_BOOL_TEXT.__getitem__, values)), False
    elif kinds == {int}:
        texts, guard = list(map(str, values)), False  # a number is never guarded
    elif kinds == {list}:
        try:  # lists of strings (addresses, ids) joined
            texts = list(map(list_separator.join, values))
        except TypeError:  # lists of objects (products) as JSON, which starts with "["
            if all(value and type(value[0]) is dict for value in values):
                texts, guard = list(map(_compact_json, values)), False
            else:
                texts, guard = _cells_texts(values, list_separator), False
    else:
        texts, guard = _cells_texts(values, list_separator), False
    # Each text follows a NUL here, so "\0=" finds a text starting with "=". (A NUL inside a
    # text can only make a false alarm: that column then takes the exact way.)
    everything = "\0" + "\0".join(texts)
    if guard and _FORMULA_AFTER_NUL.search(everything):
        texts = _cells_texts(values, list_separator)
        everything = "".join(texts)
    if delimiter in everything or any(char in everything for char in _QUOTED_CHARS):
        return [_quoted(text, delimiter) for text in texts]
    return texts


_FORMULA_AFTER_NUL: Final = re.compile("\0[" + re.escape("".join(_FORMULA_START)) + "]")


def _cells_texts(values: Sequence[Any], list_separator: str) -> list[str]:
    """The text of each cell of :func:`_csv_cells`, as the csv module writes it (before
    quoting): a string as it is (a ``str`` enum too), None as "", anything else by ``str``."""
    return [
        str.__str__(cell) if isinstance(cell, str) else "" if cell is None else str(cell)
        for cell in _csv_cells(values, list_separator)
    ]


#: characters that make the csv module quote a cell (besides the delimiter)
_QUOTED_CHARS: Final = ('"', "\r", "\n")


def _quoted(text: str, delimiter: str) -> str:
    if delimiter in text or any(char in text for char in _QUOTED_CHARS):
        return '"' + text.replace('"', '""') + '"'
    return text


def _csv_lines(
    columns: Sequence[Sequence[Any]],
    kinds: Sequence[set[type]],
    rows: int,
    *,
    list_separator: str,
    delimiter: str,
    line_end: str,
) -> str:
    """The CSV lines of a batch of ``rows`` given as its ``columns`` of values (``kinds``: the
    types in each): the text the csv module writes for their :func:`_csv_cells` with minimal
    quoting (a cell is quoted when it has the delimiter, a quote, CR or LF; quotes doubled),
    built a column at a time."""
    texts = [
        _column_texts(column, kind, list_separator, delimiter)
        for column, kind in zip(columns, kinds, strict=True)
    ]
    if len(texts) == 1:  # a lone empty field is written "" (an empty line is no row)
        texts = [['""' if text == "" else text for text in texts[0]]]
    lines = map(delimiter.join, zip(*texts, strict=True)) if texts else repeat("", rows)
    return line_end.join(lines) + line_end


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
        self._stream_write = stream.write
        self._line_end = line_end
        # The csv writer hands each line to ``write`` whole; with CR LF it goes straight out.
        target: Any = stream if line_end == "\r\n" else self
        self.writerow = csv.writer(target, delimiter=delimiter, lineterminator="\r\n").writerow

    def write(self, line: str) -> None:
        self._stream_write(line[:-2] + self._line_end)


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
        # Known columns: each row is written when it comes (result rows are a record of what
        # was sent, written line by line).
        header = plan.header or ()
        if not no_headers:
            writer.writerow([_guard(name) for name in header])
        paths = [name.split(".") for name in header]
        for row in plan.records:
            values = list(map(row.get, header)) if plan.flat else [lookup(row, p) for p in paths]
            writer.writerow(_csv_cells(values, separator))
            counter.n += 1
            flusher.tick()
        return

    # inferred header: union of the first page's flattened keys + the _extra column
    first_page = list(islice(plan.records, LOOKAHEAD + 1))
    if not first_page:
        if not no_headers and empty_header:
            writer.writerow([_guard(name) for name in empty_header])
        return
    longer = len(first_page) > LOOKAHEAD  # later rows may have keys the header lacks
    columns = list(dict.fromkeys(key for row in first_page[:LOOKAHEAD] for key in flatten(row)))
    if not no_headers:
        writer.writerow([_guard(name) for name in [*columns, *([EXTRA_COLUMN] if longer else [])]])
    batch_values = _batch_values(columns, extra_column=longer, err=err)
    lines = functools.partial(
        _csv_lines, list_separator=separator, delimiter=delimiter, line_end=line_end
    )
    # Rows are read, converted and written a batch at a time, column by column; a batch is
    # written before each flush, so the output's reader sees the same rows at each flush.
    batch: list[Mapping[str, Any]] = []

    def write_batch() -> None:
        if batch:  # emptied once written: an interrupt before that leaves it to the finally
            values, kinds = batch_values(batch)
            stream.write(lines(values, kinds, len(batch)))
            counter.n += len(batch)
            batch.clear()

    try:
        for row in chain(first_page, plan.records):
            batch.append(row)
            if flusher.due():
                write_batch()
                stream.flush()
            elif len(batch) >= FLUSH_ROWS:
                write_batch()
    finally:  # the rows read before an error or an interrupt are written too
        write_batch()


def _batch_values(
    columns: Sequence[str], *, extra_column: bool, err: TextIO
) -> Callable[[Sequence[Mapping[str, Any]]], tuple[list[list[Any]], list[set[type]]]]:
    """The values of a batch of rows in the inferred ``columns`` (a list per column, and the
    types in each), then when ``extra_column`` the ``_extra`` text of the fields outside them.

    Read by :class:`FlatColumns` when the batch's shape allows (no field outside the columns),
    else from each row flattened; the first row with fields outside the columns prints one
    warning on ``err``.
    """
    reader = FlatColumns(columns)
    known = set(columns)
    warned = False

    def flat_values(row: Mapping[str, Any]) -> list[Any]:
        nonlocal warned
        flat_row = flatten(row)
        values = list(map(flat_row.get, columns))
        if extra_column:
            extra = (
                {}
                if known.issuperset(flat_row)
                else {key: value for key, value in flat_row.items() if key not in known}
            )
            values.append(_compact_json(extra) if extra else "")
            if extra and not warned:
                warned = True
                err.write(
                    f"warning: some rows have fields not in the CSV header ({', '.join(extra)}); "
                    f"they are written to the {EXTRA_COLUMN} column as JSON. "
                    "Use --fields to choose the columns.\n"
                )
        return values

    def batch_values(
        rows: Sequence[Mapping[str, Any]],
    ) -> tuple[list[list[Any]], list[set[type]]]:
        read = reader.read(rows)
        if read is None:  # a row of another shape: flatten each row
            values = [list(column) for column in zip(*map(flat_values, rows), strict=True)]
            return values, [set(map(type, column)) for column in values]
        values, kinds = read
        if extra_column:  # no field outside the columns: an empty _extra
            values.append([""] * len(rows))
            kinds.append({str})
        return values, kinds

    return batch_values
