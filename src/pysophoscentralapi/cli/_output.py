"""The CLI's one output layer: ``@output_options`` for every data command and ``write_rows``.

A data command only produces rows (an iterable of JSON-like dicts, fetched lazily page by page)
and hands them to :func:`write_rows`, which writes them as a table, JSON, JSON Lines or CSV::

    @click.command("list")
    @output_options(columns=["id", "hostname", "health.overall"], sortable_by_api=["hostname"])
    @click.pass_obj
    def list_endpoints(obj: CliContext, output: OutputOptions) -> None:
        rows = client.endpoints.list_raw(sort=output.api_sort)
        write_rows(output, rows, sorted_by_api=output.api_sort is not None)

Rules (httpie-style): data goes to stdout (or ``--output-file``), warnings and progress to stderr;
pretty tables and colour only on a terminal.

Design choices
--------------
* **Streaming.** json, jsonl and csv are written row by row as rows arrive, so memory stays
  O(one row) whatever the export size. Exceptions: ``--sort`` on a field the API cannot sort by
  (all rows are held to sort them), ``--count-by`` (O(distinct values)), a bounded look-ahead of at
  most :data:`LOOKAHEAD` rows (one API page) for the CSV header and for checking ``--fields``.
  ``--limit N`` stops pulling from the row iterator after N rows, so no further page is fetched.
  Commands must hand the whole iterator over and not apply ``output.limit`` themselves
  (:meth:`OutputOptions.fetch_limit` tells how many rows they may ask the API for).
* **Ragged CSV.** Without ``--fields`` the header is the union of the flattened keys of the first
  :data:`LOOKAHEAD` rows (first-seen order), followed by an always-present ``_extra`` column: a row
  with keys outside the header gets them there as a compact JSON object (and one warning goes to
  stderr). Nothing is silently lost, and the set of columns is known before the first line. With
  ``--fields`` the columns are exactly those fields and there is no ``_extra`` column.
* **``--fields`` in JSON.** JSON/JSONL keep the nested structure, restricted to the selected
  paths: ``--fields id,health.overall`` gives ``{"id": …, "health": {"overall": …}}``; a path
  missing from a row gives ``null``, so every object has the same shape. CSV and table use the
  dotted paths as headers. A path through a list maps over its items
  (``assignedProducts.code`` → ``["endpointProtection", …]``); a number selects an item
  (``ipv4Addresses.0``).
* **Unknown fields.** A ``--fields`` path (not among the command's default ``columns``) that no
  row of the first page has is a usage error (exit 2) naming the available top-level fields,
  raised before anything is written. ``--sort`` and ``--count-by`` fields, which need all rows
  anyway, are an error only when no row at all has them.
* **Table.** Rows are rendered in chunks of :data:`TABLE_CHUNK` rows, one rich table per chunk,
  the header only above the first. Column widths are measured on the first chunk, fitted to the
  terminal width (widest columns shrink first) and then fixed, so every chunk lines up; a cell
  that does not fit is cut with an ellipsis (never wrapped). Off a terminal (a pipe, a file) the
  columns keep their measured widths. Headers are the dotted paths, as typed for
  ``--fields``/``--sort``. Health and severity values are coloured on a terminal.
* **CSV cells.** RFC 4180 (CRLF line ends, minimal quoting), UTF-8 in files. Nested objects are
  flattened to dotted headers, lists of scalars joined with ``[export] list_separator``, other
  lists/objects written as compact JSON, booleans as ``true``/``false``, missing/null as empty.
  Text starting with ``= + - @``, tab or CR gets a leading ``'`` (OWASP CSV injection); numbers
  are written as numbers and never altered.
* **``--output-file``** is written atomically (a temporary file in the same directory, renamed
  over the target on success, removed on any failure or Ctrl-C). A new file gets the umask's
  mode; a replaced file keeps its mode.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import functools
import json
import numbers
import os
import re
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path
from typing import Any, Final, TextIO, TypeVar

import click

__all__ = [
    "FORMATS",
    "ExportDefaults",
    "OutputOptions",
    "SortSpec",
    "flatten",
    "get_path",
    "output_options",
    "write_rows",
]

F = TypeVar("F", bound=Callable[..., Any])

#: the output formats, in the order shown by ``--help``
FORMATS: Final = ("table", "json", "jsonl", "csv")
#: file suffix -> format, for ``--output-file`` without ``-o``
SUFFIX_FORMATS: Final = {".csv": "csv", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl"}
#: rows per rendered table chunk
TABLE_CHUNK: Final = 500
#: rows looked at (and held) to build the CSV header / to check ``--fields``: one API page
LOOKAHEAD: Final = 500
#: name of the CSV column that receives fields outside the header
EXTRA_COLUMN: Final = "_extra"
#: flush stdout after this many rows, or after FLUSH_SECONDS, whichever comes first
FLUSH_ROWS: Final = 100
FLUSH_SECONDS: Final = 0.2

_FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")
_PATH_RE: Final = re.compile(r"[\w-]+(\.[\w-]+)*")
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


class _Missing:
    """Marker for "this path does not exist" (distinct from a JSON null)."""

    def __repr__(self) -> str:
        return "MISSING"


_MISSING: Final = _Missing()


# --------------------------------------------------------------------------------------------
# options


@dataclass(frozen=True)
class SortSpec:
    """A ``--sort FIELD[:asc|:desc]`` value.

    Example::

        >>> SortSpec.parse("lastSeenAt:desc")
        SortSpec(field='lastSeenAt', descending=True)
        >>> SortSpec("hostname").api_value
        'hostname:asc'
    """

    field: str
    descending: bool = False

    @property
    def api_value(self) -> str:
        """The value for the API's ``sort`` parameter: ``"field:asc"`` or ``"field:desc"``."""
        return f"{self.field}:{'desc' if self.descending else 'asc'}"

    @classmethod
    def parse(cls, text: str) -> SortSpec:
        """Parse ``FIELD``, ``FIELD:asc`` or ``FIELD:desc``; raise ``ValueError`` otherwise."""
        field, sep, direction = text.strip().partition(":")
        direction = direction.strip().lower()
        if sep and direction not in ("asc", "desc"):
            raise ValueError(f"{text!r}: the direction must be 'asc' or 'desc' (FIELD[:asc|:desc])")
        field = _check_path(field.strip(), what="sort field")
        return cls(field, descending=direction == "desc")


@dataclass(frozen=True)
class ExportDefaults:
    """Output defaults from the config file, passed to :func:`write_rows` by the caller.

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


@dataclass(frozen=True)
class OutputOptions:
    """The parsed output options of one data command (made by :func:`output_options`).

    Example::

        OutputOptions(format="csv", fields=("id", "health.overall"), limit=10)
    """

    format: str | None = None
    fields: tuple[str, ...] | None = None
    output_file: Path | None = None
    limit: int | None = None
    no_headers: bool = False
    sort: SortSpec | None = None
    count_by: str | None = None
    columns: tuple[str, ...] = ()
    #: fields the command can ask the API to sort by (from the decorator)
    sortable_by_api: frozenset[str] = frozenset()

    @property
    def api_sort(self) -> str | None:
        """``sort`` as the API parameter when the API can sort by that field, else ``None``.

        A command passes it to the API and, when it is not ``None``, calls ``write_rows`` with
        ``sorted_by_api=True``.
        """
        if self.sort is None or self.count_by is not None:
            return None
        return self.sort.api_value if self.sort.field in self.sortable_by_api else None

    def fetch_limit(self, *, sorted_by_api: bool = False) -> int | None:
        """How many rows the command may fetch at most (``None``: all are needed).

        Useful to ask the API for a smaller page. ``write_rows`` applies ``limit`` itself.
        """
        if self.count_by is not None or (self.sort is not None and not sorted_by_api):
            return None
        return self.limit

    def resolved_format(
        self, *, defaults: ExportDefaults = ExportDefaults(), stdout_is_terminal: bool = False
    ) -> str:
        """The format to write: ``-o``, else the file suffix, else ``[output] format``, else
        table on a terminal and json otherwise (json for a file with an unknown suffix).
        """
        if self.format is not None:
            return self.format
        if self.output_file is not None:
            by_suffix = SUFFIX_FORMATS.get(self.output_file.suffix.lower())
            if by_suffix is not None:
                return by_suffix
            return defaults.format if defaults.format not in (None, "table") else "json"
        if defaults.format is not None:
            return defaults.format
        return "table" if stdout_is_terminal else "json"


def _check_path(path: str, *, what: str) -> str:
    if not _PATH_RE.fullmatch(path):
        raise ValueError(f"{path!r} is not a valid {what} (a dotted path such as health.overall)")
    return path


def _parse_format(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    lowered = value.strip().lower()
    if lowered not in FORMATS:
        raise click.BadParameter(f"{value!r} is not one of {', '.join(FORMATS)}.", ctx, param)
    return lowered


def _parse_fields(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> tuple[str, ...] | None:
    if value is None:
        return None
    parts = [part.strip() for part in value.split(",") if part.strip()]
    if not parts:
        raise click.BadParameter(
            "give at least one field, e.g. id,hostname,health.overall", ctx, param
        )
    try:
        return tuple(dict.fromkeys(_check_path(part, what="field") for part in parts))
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx, param) from None


def _parse_sort(ctx: click.Context, param: click.Parameter, value: str | None) -> SortSpec | None:
    if value is None:
        return None
    try:
        return SortSpec.parse(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx, param) from None


def _parse_count_by(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return _check_path(value.strip(), what="field")
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx, param) from None


def _parse_output_file(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> Path | None:
    if value is None or value == "-":
        return None
    path = Path(value)
    if path.is_dir():
        raise click.BadParameter(f"{value!r} is a directory.", ctx, param)
    parent = path.parent
    if not parent.is_dir():
        raise click.BadParameter(f"the directory {str(parent)!r} does not exist.", ctx, param)
    return path


_OPTION_NAMES: Final = (
    "output_format",
    "output_fields",
    "output_file",
    "output_limit",
    "output_no_headers",
    "output_sort",
    "output_count_by",
)


def output_options(
    *, columns: Sequence[str], sortable_by_api: Collection[str] = ()
) -> Callable[[F], F]:
    """Add the output options to a click command and pass it ``output: OutputOptions``.

    ``columns`` are the default table columns (dotted paths); ``sortable_by_api`` the fields the
    command can have the API sort by (see :attr:`OutputOptions.api_sort`).

    Example::

        @click.command("list")
        @output_options(columns=["id", "name", "dataRegion"])
        def list_tenants(output: OutputOptions) -> None:
            write_rows(output, fetch_tenants())
    """
    default_columns = tuple(columns)
    api_fields = frozenset(sortable_by_api)
    sort_help = (
        "Sort by FIELD (dotted path), ascending unless ':desc'. Sorting locally holds all rows in "
        "memory unless the API can sort by that field"
        + (f" (here: {', '.join(sorted(api_fields))})." if api_fields else "; here it cannot.")
    )
    options = [
        click.option(
            "-o",
            "--output",
            "output_format",
            metavar="[" + "|".join(FORMATS) + "]",
            callback=_parse_format,
            help="Output format [default: table on a terminal, json otherwise, or the config "
            "file's [output] format; with --output-file, from its suffix].",
        ),
        click.option(
            "--fields",
            "output_fields",
            metavar="A,B.C",
            callback=_parse_fields,
            help="Only these fields (dotted paths into nested data, e.g. id,health.overall); "
            "also the table columns.",
        ),
        click.option(
            "--output-file",
            "output_file",
            metavar="PATH",
            callback=_parse_output_file,
            help="Write to PATH instead of stdout (atomically: a failed export leaves no file).",
        ),
        click.option(
            "--limit",
            "output_limit",
            type=click.IntRange(min=1),
            metavar="N",
            help="Stop after N rows (and stop fetching).",
        ),
        click.option(
            "--no-headers",
            "output_no_headers",
            is_flag=True,
            help="No header line (table, csv).",
        ),
        click.option(
            "--sort",
            "output_sort",
            metavar="FIELD[:desc]",
            callback=_parse_sort,
            help=sort_help,
        ),
        click.option(
            "--count-by",
            "output_count_by",
            metavar="FIELD",
            callback=_parse_count_by,
            help="Print the number of rows per value of FIELD instead of the rows "
            "(most frequent first).",
        ),
    ]

    def decorator(function: F) -> F:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            values = {name: kwargs.pop(name, None) for name in _OPTION_NAMES}
            output = OutputOptions(
                format=values["output_format"],
                fields=values["output_fields"],
                output_file=values["output_file"],
                limit=values["output_limit"],
                no_headers=bool(values["output_no_headers"]),
                sort=values["output_sort"],
                count_by=values["output_count_by"],
                columns=default_columns,
                sortable_by_api=api_fields,
            )
            _check_combination(output)
            return function(*args, output=output, **kwargs)

        decorated: Callable[..., Any] = wrapper
        for option in reversed(options):
            decorated = option(decorated)
        return decorated  # type: ignore[return-value]

    return decorator


def _check_combination(output: OutputOptions) -> None:
    if output.count_by is None:
        return
    if output.fields is not None:
        raise click.BadParameter(
            "--fields cannot be combined with --count-by (its columns are FIELD and count).",
            param_hint="'--fields'",
        )
    if output.sort is not None and output.sort.field not in (output.count_by, "count"):
        raise click.BadParameter(
            f"with --count-by, sort by {output.count_by!r} or 'count'.", param_hint="'--sort'"
        )


# --------------------------------------------------------------------------------------------
# pure helpers


def get_path(row: Mapping[str, Any], dotted: str) -> Any:
    """The value at a dotted path, or ``None`` when the path does not exist.

    A number selects a list item; any other name applied to a list maps over its items.

    Example::

        >>> row = {"health": {"overall": "good"}, "ips": ["10.0.0.1"], "products": [{"code": "a"}]}
        >>> get_path(row, "health.overall"), get_path(row, "ips.0"), get_path(row, "products.code")
        ('good', '10.0.0.1', ['a'])
        >>> get_path(row, "health.nope") is None
        True
    """
    value = _lookup(row, dotted.split("."))
    return None if value is _MISSING else value


def _lookup(value: Any, segments: Sequence[str]) -> Any:
    current = value
    for index, segment in enumerate(segments):
        if isinstance(current, Mapping):
            if segment not in current:
                return _MISSING
            current = current[segment]
        elif isinstance(current, list | tuple):
            if segment.isdigit():
                position = int(segment)
                if position >= len(current):
                    return _MISSING
                current = current[position]
            else:
                found = (_lookup(item, segments[index:]) for item in current)
                return [item for item in found if item is not _MISSING]
        else:
            return _MISSING
    return current


def _path_known(row: Mapping[str, Any], dotted: str) -> bool:
    """Whether ``row`` has the path, or a prefix of it that is null (``health: null``)."""
    segments = dotted.split(".")
    if _lookup(row, segments) is not _MISSING:
        return True
    current: Any = row
    for segment in segments[:-1]:
        if not isinstance(current, Mapping) or segment not in current:
            return False
        current = current[segment]
        if current is None:
            return True
    return False


def flatten(row: Mapping[str, Any], sep: str = ".") -> dict[str, Any]:
    """Nested mappings flattened into one level with joined keys; other values kept as they are.

    An empty nested mapping stays as ``{}`` under its own key, so no key disappears.

    Example::

        >>> flatten({"id": 1, "health": {"overall": "good", "threats": {"status": "bad"}}})
        {'id': 1, 'health.overall': 'good', 'health.threats.status': 'bad'}
    """
    out: dict[str, Any] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, Mapping) and value:
            for key, item in value.items():
                walk(f"{prefix}{sep}{key}", item)
        else:
            out[prefix] = value

    for key, value in row.items():
        walk(str(key), value)
    return out


def _project(row: Mapping[str, Any], fields: Sequence[str]) -> dict[str, Any]:
    """The nested structure of ``row`` restricted to ``fields`` (missing paths → ``None``)."""
    out: dict[str, Any] = {}
    built = {id(out)}
    for path in fields:
        segments = path.split(".")
        value = get_path(row, path)
        node = out
        for segment in segments[:-1]:
            child = node.get(segment)
            if child is None:
                child = node[segment] = {}
                built.add(id(child))
            elif id(child) not in built:  # an ancestor path already took the whole object
                break
            node = child
        else:
            last = segments[-1]
            if last not in node or id(node[last]) in built:
                node[last] = value
    return out


def _json_default(value: Any) -> Any:
    isoformat = getattr(value, "isoformat", None)
    if callable(isoformat):
        return isoformat()
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    return str(value)


def _compact_json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=_json_default)


def _scalar_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, numbers.Number):
        return str(value)
    return str(_json_default(value))


def _cell_text(value: Any, list_separator: str) -> str:
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
    if value is None or value is _MISSING:
        return ""
    if isinstance(value, numbers.Number) and not isinstance(value, bool):
        return value  # a number is not text: never guarded
    return _guard(_cell_text(value, list_separator))


def _as_mapping(row: Any) -> Mapping[str, Any]:
    if isinstance(row, Mapping):
        return row
    dump = getattr(row, "model_dump", None)
    if callable(dump):  # a pydantic model: its wire form
        dumped = dump(mode="json", by_alias=True)
        if isinstance(dumped, Mapping):
            return dumped
    raise TypeError(f"rows must be mappings, got {type(row).__name__}")


# --------------------------------------------------------------------------------------------
# sorting and counting


def _sort_rows(
    rows: Iterable[Mapping[str, Any]],
    value_of: Callable[[Mapping[str, Any]], Any],
    *,
    descending: bool,
) -> list[Mapping[str, Any]]:
    """Stable sort; null/missing values last in both directions; mixed types compared as text."""
    present: list[tuple[Any, Mapping[str, Any]]] = []
    missing: list[Mapping[str, Any]] = []
    for row in rows:
        value = value_of(row)
        if value is None or value is _MISSING:
            missing.append(row)
        else:
            present.append((value, row))
    values = [value for value, _ in present]
    key: Callable[[Any], Any]
    if all(isinstance(v, bool) for v in values) or all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in values
    ):
        key = _identity
    elif all(isinstance(v, str) for v in values):
        key = _text_key
    else:
        key = _mixed_key
    present.sort(key=lambda pair: key(pair[0]), reverse=descending)
    return [row for _, row in present] + missing


def _identity(value: Any) -> Any:
    return value


def _text_key(value: str) -> tuple[str, str]:
    return value.casefold(), value


def _mixed_key(value: Any) -> tuple[str, str]:
    return _text_key(_cell_text(value, ";"))


def _hashable(value: Any) -> Any:
    if isinstance(value, Mapping | list | tuple | set):
        return ("json", json.dumps(value, sort_keys=True, default=_json_default))
    return (type(value).__name__, value)


def _count_rows(
    rows: Iterable[Mapping[str, Any]], field: str
) -> tuple[list[dict[str, Any]], bool, Mapping[str, Any] | None]:
    """Rows ``{field: value, "count": n}``, most frequent first (ties: by value)."""
    segments = field.split(".")
    counts: dict[Any, int] = {}
    originals: dict[Any, Any] = {}
    known = False
    first: Mapping[str, Any] | None = None
    for row in rows:
        if first is None:
            first = row
        known = known or _path_known(row, field)
        value = _lookup(row, segments)
        value = None if value is _MISSING else value
        key = _hashable(value)
        counts[key] = counts.get(key, 0) + 1
        originals.setdefault(key, value)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], _mixed_key(originals[item[0]])))
    return [{field: originals[key], "count": n} for key, n in ordered], known, first


# --------------------------------------------------------------------------------------------
# writing


class _Counter:
    def __init__(self) -> None:
        self.n = 0


class _Flusher:
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
class _Plan:
    """What to write: records plus how to shape them for JSON and for CSV/table."""

    records: Iterator[Mapping[str, Any]]
    #: columns for csv/table; None = infer from the data
    header: tuple[str, ...] | None
    #: records are flat (literal keys, e.g. count-by rows): no path lookups
    flat: bool
    #: projection for JSON (None = the whole row)
    fields: tuple[str, ...] | None


def write_rows(
    output: OutputOptions,
    rows: Iterable[Mapping[str, Any]],
    *,
    defaults: ExportDefaults = ExportDefaults(),
    sorted_by_api: bool = False,
    stdout: TextIO | None = None,
    stdout_is_terminal: bool | None = None,
    color: bool = True,
    title: str | None = None,
    progress_total: int | None = None,
    progress: bool | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Write ``rows`` as ``output`` says; return the number of rows (or count rows) written.

    ``rows`` is consumed lazily and at most ``output.limit`` rows are pulled from it (unless a
    local sort or ``--count-by`` needs all of them). ``stdout``/``stderr`` default to
    ``sys.stdout``/``sys.stderr``; ``stdout_is_terminal`` defaults to ``stdout.isatty()``.
    ``color=False`` for ``--no-color``/``NO_COLOR``. ``progress`` forces the stderr progress
    indicator on or off (default: on when stderr is a terminal and the output is not a table on
    the terminal). A closed pipe (``| head -1``) ends the output quietly.

    Example::

        n = write_rows(output, (ep for page in pages for ep in page), title="Endpoints")
    """
    err = stderr if stderr is not None else sys.stderr
    stderr_tty = _isatty(err)
    iterator = iter(rows)
    try:
        if output.output_file is not None:
            fmt = output.resolved_format(defaults=defaults, stdout_is_terminal=False)
            show = progress if progress is not None else stderr_tty
            counter = _Counter()
            with _atomic_text_file(output.output_file) as handle:
                _write(
                    fmt, output, iterator, handle, err,
                    defaults=defaults, sorted_by_api=sorted_by_api, is_terminal=False,
                    color=False, title=title, progress_total=progress_total,
                    show_progress=show, flush=False, counter=counter, progress_color=color,
                )  # fmt: skip
            if show:
                err.write(f"Wrote {counter.n:,} rows to {output.output_file}\n")
            return counter.n

        stream = stdout if stdout is not None else sys.stdout
        is_terminal = _isatty(stream) if stdout_is_terminal is None else stdout_is_terminal
        fmt = output.resolved_format(defaults=defaults, stdout_is_terminal=is_terminal)
        show = (
            progress
            if progress is not None
            else stderr_tty and not (fmt == "table" and is_terminal)
        )
        counter = _Counter()
        try:
            _write(
                fmt, output, iterator, stream, err,
                defaults=defaults, sorted_by_api=sorted_by_api, is_terminal=is_terminal,
                color=color and is_terminal, title=title, progress_total=progress_total,
                show_progress=show, flush=True, counter=counter, progress_color=color,
            )  # fmt: skip
            stream.flush()
        except BrokenPipeError:
            _silence(stream)
        return counter.n
    finally:
        close = getattr(iterator, "close", None)
        if callable(close):  # a generator: release its resources (e.g. an open HTTP client)
            close()


def _isatty(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def _silence(stream: TextIO) -> None:
    """After a closed pipe: point the stream's descriptor at /dev/null so that the final flush
    at exit does not print "Exception ignored ... BrokenPipeError"."""
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
    finally:
        os.close(devnull)


def _write(
    fmt: str,
    output: OutputOptions,
    rows: Iterator[Mapping[str, Any]],
    stream: TextIO,
    err: TextIO,
    *,
    defaults: ExportDefaults,
    sorted_by_api: bool,
    is_terminal: bool,
    color: bool,
    title: str | None,
    progress_total: int | None,
    show_progress: bool,
    flush: bool,
    counter: _Counter,
    progress_color: bool = True,
) -> None:
    from pysophoscentralapi.cli._progress import row_progress

    with row_progress(
        err, enabled=show_progress, total=progress_total, color=progress_color
    ) as tick:

        def fetched() -> Iterator[Mapping[str, Any]]:
            for row in rows:
                tick()
                yield _as_mapping(row)

        plan = _plan(output, fetched(), sorted_by_api=sorted_by_api)
        flusher = _Flusher(stream, enabled=flush)
        if fmt == "json":
            _write_json(stream, plan, indent=defaults.json_indent, counter=counter, flusher=flusher)
        elif fmt == "jsonl":
            _write_json(stream, plan, indent=None, lines=True, counter=counter, flusher=flusher)
        elif fmt == "csv":
            _write_csv(
                stream, plan, defaults=defaults, no_headers=output.no_headers,
                counter=counter, flusher=flusher, err=err,
            )  # fmt: skip
        else:
            header = plan.header
            if header is None and not plan.fields:
                header = output.columns or None
            _write_table(
                stream, plan.records, header, flat=plan.flat, is_terminal=is_terminal,
                color=color, no_headers=output.no_headers, title=title,
                list_separator=defaults.list_separator, counter=counter, err=err,
            )  # fmt: skip


def _unknown_error(field: str, row: Mapping[str, Any] | None, *, option: str) -> click.UsageError:
    available = ", ".join(str(key) for key in row) if row else "(none)"
    return click.UsageError(
        f"{option}: no field {field!r} in the data. Available top-level fields: {available} "
        "(nested fields are addressed with dots, e.g. health.overall)."
    )


def _plan(
    output: OutputOptions, rows: Iterator[Mapping[str, Any]], *, sorted_by_api: bool
) -> _Plan:
    if output.count_by is not None:
        counted, known, first = _count_rows(rows, output.count_by)
        if first is not None and not known and output.count_by not in output.columns:
            raise _unknown_error(output.count_by, first, option="--count-by")
        records: list[Mapping[str, Any]] = list(counted)
        if output.sort is not None:
            key = output.sort.field if output.sort.field == "count" else output.count_by
            records = _sort_rows(
                records, lambda r: r.get(key, _MISSING), descending=output.sort.descending
            )
        if output.limit is not None:
            records = records[: output.limit]
        return _Plan(iter(records), (output.count_by, "count"), flat=True, fields=None)

    if output.sort is not None and not sorted_by_api:
        buffered = list(rows)
        field = output.sort.field
        if (
            buffered
            and field not in output.columns
            and not any(_path_known(row, field) for row in buffered)
        ):
            raise _unknown_error(field, buffered[0], option="--sort")
        segments = field.split(".")
        ordered = _sort_rows(
            buffered, lambda r: _lookup(r, segments), descending=output.sort.descending
        )
        del buffered
        rows = iter(ordered[: output.limit] if output.limit is not None else ordered)
    elif output.limit is not None:
        rows = islice(rows, output.limit)

    if output.fields is not None:
        rows = _check_fields(rows, output.fields, output.columns)
    return _Plan(rows, output.fields, flat=False, fields=output.fields)


def _check_fields(
    rows: Iterator[Mapping[str, Any]], fields: Sequence[str], columns: Sequence[str]
) -> Iterator[Mapping[str, Any]]:
    """Fail (exit 2) before writing when a field is in no row of the first page."""
    unknown = [field for field in fields if field not in columns]
    if not unknown:
        return rows
    seen: list[Mapping[str, Any]] = []
    for row in rows:
        seen.append(row)
        unknown = [field for field in unknown if not _path_known(row, field)]
        if not unknown or len(seen) >= LOOKAHEAD:
            break
    if unknown and seen:
        raise _unknown_error(unknown[0], seen[0], option="--fields")
    return chain(seen, rows)


def _json_records(plan: _Plan) -> Iterator[Mapping[str, Any]]:
    if plan.fields is None:
        return plan.records
    fields = plan.fields
    return (_project(row, fields) for row in plan.records)


def _write_json(
    stream: TextIO,
    plan: _Plan,
    *,
    indent: int | None,
    counter: _Counter,
    flusher: _Flusher,
    lines: bool = False,
) -> None:
    """A JSON array written item by item (same text as ``json.dumps(list, indent=…)``), or
    JSON Lines (one compact object per line)."""
    ensure_ascii = not _is_utf(stream)
    dumps = functools.partial(
        json.dumps,
        ensure_ascii=ensure_ascii,
        default=_json_default,
        indent=indent,
        separators=(",", ":") if indent is None else (",", ": "),
    )
    records = _json_records(plan)
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


def _is_utf(stream: TextIO) -> bool:
    encoding = getattr(stream, "encoding", None)
    if not encoding:
        return True
    try:
        return codecs.lookup(encoding).name.startswith("utf")
    except LookupError:
        return False


def _write_csv(
    stream: TextIO,
    plan: _Plan,
    *,
    defaults: ExportDefaults,
    no_headers: bool,
    counter: _Counter,
    flusher: _Flusher,
    err: TextIO,
) -> None:
    writer = csv.writer(stream, delimiter=defaults.csv_delimiter, lineterminator="\r\n")
    separator = defaults.list_separator
    if plan.flat or plan.header is not None:
        header = plan.header or ()
        if not no_headers:
            writer.writerow([_guard(name) for name in header])
        for row in plan.records:
            values = (
                [row.get(name) for name in header]
                if plan.flat
                else [_lookup(row, name.split(".")) for name in header]
            )
            writer.writerow([_csv_cell(value, separator) for value in values])
            counter.n += 1
            flusher.tick()
        return

    # inferred header: union of the first page's flattened keys + the _extra column
    first_page = [flatten(row) for row in islice(plan.records, LOOKAHEAD)]
    if not first_page:
        return
    columns = list(dict.fromkeys(key for row in first_page for key in row))
    known = set(columns)
    if not no_headers:
        writer.writerow([_guard(name) for name in [*columns, EXTRA_COLUMN]])
    warned = False
    for flat_row in chain(first_page, (flatten(row) for row in plan.records)):
        extra = {key: value for key, value in flat_row.items() if key not in known}
        cells = [_csv_cell(flat_row.get(name), separator) for name in columns]
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


# --------------------------------------------------------------------------------------------
# table


def _table_text(value: Any, list_separator: str) -> str:
    if value is None or value is _MISSING:
        return ""
    text = _cell_text(value, list_separator).replace("\t", " ")
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


def _write_table(
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
    counter: _Counter,
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
                _table_text(row.get(name) if flat else _lookup(row, path), list_separator)
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


# --------------------------------------------------------------------------------------------
# atomic output file


def _umask() -> int:
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    current = os.umask(0o022)
    os.umask(current)
    return current


@contextlib.contextmanager
def _atomic_text_file(path: Path) -> Iterator[TextIO]:
    """Yield a temporary file next to ``path``; on success it replaces ``path``, on any
    exception (KeyboardInterrupt included) it is removed and ``path`` is left untouched."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, renamed or removed
        "w",
        encoding="utf-8",
        newline="",
        dir=path.parent,
        prefix=f".{path.name}.",
        suffix=".part",
        delete=False,
    )
    try:
        with handle:
            yield handle  # type: ignore[misc]
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(handle.name, mode)
        os.replace(handle.name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(handle.name)
        raise
