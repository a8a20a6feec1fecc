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
  (all rows are held to sort them), ``--count-by`` (O(distinct values)), a bounded look-ahead of
  at most :data:`._formats.LOOKAHEAD` rows (one API page) for the CSV header and for checking
  ``--fields``.
  ``--limit N`` stops pulling from the row iterator after N rows, so no further page is fetched.
  Commands must hand the whole iterator over and not apply ``output.limit`` themselves
  (:meth:`OutputOptions.fetch_limit` tells how many rows they may ask the API for).
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

Where things are
----------------
This module: the options, the orchestration (limit, local sort, ``--count-by``, the ``--fields``
check, the choice of format and stream, closed pipes). :mod:`._fields`: dotted paths
(:func:`get_path`, :func:`flatten`, the JSON projection). :mod:`._formats`: the JSON, JSON
Lines and CSV writers, their config-file defaults (:class:`ExportDefaults`) and the text of a
cell (CSV formula guard, ``_extra`` column).
:mod:`._table`: the rich table (width fitting, chunks, colour). :mod:`._atomic_file`: the
atomic ``--output-file``.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from itertools import chain, islice
from typing import TYPE_CHECKING, Any, Final, NamedTuple, TextIO, TypeVar

import click

from pysophoscentralapi.cli._columns import Column, columns_of
from pysophoscentralapi.cli._params import value_callback

# The writers, the schema and the record view are imported when a command writes its output:
# declaring the options (and so every ``--help``) needs none of them.
if TYPE_CHECKING:
    from pathlib import Path

    from pysophoscentralapi._page import ModelRef
    from pysophoscentralapi.cli._formats import ExportDefaults, Plan, RowCounter
    from pysophoscentralapi.cli._schema import Schema

__all__ = [
    "FORMATS",
    "Column",
    "OutputOptions",
    "SortSpec",
    "output_options",
    "record_options",
    "write_rows",
]

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")

#: the output formats, in the order shown by ``--help``
FORMATS: Final = ("table", "json", "jsonl", "csv")
#: file suffix -> format, for ``--output-file`` without ``-o``
SUFFIX_FORMATS: Final = {".csv": "csv", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl"}

_PATH_RE: Final = re.compile(r"[\w-]+(\.[\w-]+)*")
#: the fields ``--all-tenants`` adds to every row (accepted by ``--fields`` whatever the model)
TENANT_TAGS: Final = ("tenant_id", "tenant_name")


# --------------------------------------------------------------------------------------------
# options


# SortSpec and OutputOptions are named tuples (immutable records, compared by value, shown as
# ``SortSpec(field=..., ...)``; ``output._replace(limit=None)`` makes a changed copy): several
# times cheaper to declare than frozen dataclasses, and every command's --help declares them.
class SortSpec(NamedTuple):
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


class OutputOptions(NamedTuple):
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
    #: the default table columns, as declared (plain dotted paths or :class:`Column`)
    columns: tuple[str | Column, ...] = ()
    #: fields the command can ask the API to sort by (from the decorator)
    sortable_by_api: frozenset[str] = frozenset()
    #: ``-w/--wide``: every column at full width
    wide: bool = False
    #: ``--crlf``: CSV lines end with CR LF (RFC 4180) instead of LF
    crlf: bool = False
    #: the fields the rows can have (from the command's model), for ``--fields`` and CSV headers
    schema: Schema | None = None

    @property
    def column_paths(self) -> tuple[str, ...]:
        """The default columns' dotted paths."""
        return tuple(column.path for column in columns_of(self.columns))

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
        self, *, defaults: ExportDefaults | None = None, stdout_is_terminal: bool = False
    ) -> str:
        """The format to write: ``-o``, else the file suffix, else ``[output] format``, else
        table on a terminal and json otherwise (json for a file with an unknown suffix).
        """
        configured = defaults.format if defaults is not None else None
        if self.format is not None:
            return self.format
        if self.output_file is not None:
            by_suffix = SUFFIX_FORMATS.get(self.output_file.suffix.lower())
            if by_suffix is not None:
                return by_suffix
            return configured if configured not in (None, "table") else "json"
        if configured is not None:
            return configured
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


def _fields_of(value: str) -> tuple[str, ...]:
    parts = [part.strip() for part in value.split(",") if part.strip()]
    if not parts:
        raise ValueError("give at least one field, e.g. id,hostname,health.overall")
    return tuple(dict.fromkeys(_check_path(part, what="field") for part in parts))


_parse_fields = value_callback(_fields_of)
_parse_sort = value_callback(SortSpec.parse)
_parse_count_by = value_callback(lambda value: _check_path(value.strip(), what="field"))


def _parse_output_file(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> Path | None:
    if value is None or value == "-":
        return None
    from pathlib import Path

    path = Path(value)
    if path.is_dir():
        raise click.BadParameter(f"{value!r} is a directory.", ctx, param)
    parent = path.parent
    if not parent.is_dir():
        raise click.BadParameter(f"the directory {str(parent)!r} does not exist.", ctx, param)
    return path


_LISTING_ONLY: Final = ("output_limit", "output_sort", "output_count_by", "output_wide")


def _options(sort_help: str, *, listing: bool) -> list[Callable[[Any], Any]]:
    """The click options of :func:`output_options` (``listing``) or :func:`record_options`."""
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
    ]
    if listing:
        options.append(
            click.option(
                "--limit",
                "output_limit",
                type=click.IntRange(min=1),
                metavar="N",
                help="Stop after N rows (and stop fetching).",
            )
        )
    options += [
        click.option(
            "--no-headers",
            "output_no_headers",
            is_flag=True,
            help="No header line (table, csv).",
        ),
        click.option(
            "--crlf",
            "output_crlf",
            is_flag=True,
            help="CSV lines end with CR LF (RFC 4180, for some spreadsheet imports) instead of LF.",
        ),
    ]
    if listing:
        options += [
            click.option(
                "-w",
                "--wide",
                "output_wide",
                is_flag=True,
                help="Table: every column at full width (by default the least important columns "
                "are hidden and long cells cut to fit the terminal).",
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
    return options


_OPTION_NAMES: Final = (
    "output_format",
    "output_fields",
    "output_file",
    "output_no_headers",
    "output_crlf",
    *_LISTING_ONLY,
)


#: Which views return which top-level fields, or a function giving that (computed on first use).
Views = Mapping[str, Sequence[str]] | Callable[[], Mapping[str, Sequence[str]]]


def output_options(
    *,
    columns: Sequence[str | Column],
    sortable_by_api: Collection[str] = (),
    model: ModelRef | None = None,
    views: Views | None = None,
    default_view: str | None = None,
    extra_fields: Sequence[str] = (),
) -> Callable[[F], F]:
    """Add the output options of a listing to a click command and pass it ``output: OutputOptions``.

    ``columns`` are the default table columns: dotted paths, or :class:`Column` declarations
    with a priority (see :func:`._table.columns_of` for how plain paths are ranked).
    ``sortable_by_api``: the fields the command can have the API sort by (see
    :attr:`OutputOptions.api_sort`). ``model``: the pydantic model of a row; ``--fields``,
    ``--sort`` and ``--count-by`` are then checked against its fields before anything is sent
    (``views``: top-level fields only some ``--view`` values return, ``default_view`` the view
    when the command's ``--view`` is not given; ``extra_fields``: paths the command adds to the
    rows, such as ``roleAssignments.roleName``).

    Example::

        @click.command("list")
        @output_options(columns=["id", "name", "dataRegion"], model=Tenant)
        def list_tenants(output: OutputOptions) -> None:
            write_rows(output, fetch_tenants())
    """
    api_fields = frozenset(sortable_by_api)
    sort_help = (
        "Sort by FIELD (dotted path), ascending unless ':desc'. Sorting locally holds all rows in "
        "memory unless the API can sort by that field"
        + (f" (here: {', '.join(sorted(api_fields))})." if api_fields else "; here it cannot.")
    )
    return _decorator(
        _options(sort_help, listing=True),
        columns=tuple(columns),
        api_fields=api_fields,
        model=model,
        views=views,
        default_view=default_view,
        extra_fields=extra_fields,
    )


def record_options(
    *,
    model: ModelRef | None = None,
    views: Views | None = None,
    default_view: str | None = None,
    extra_fields: Sequence[str] = (),
) -> Callable[[F], F]:
    """The output options of a command that shows one record (``get``, ``create``, ``update``).

    ``-o``, ``--fields``, ``--output-file``, ``--no-headers``, ``--crlf`` (no ``--limit``,
    ``--sort``, ``--count-by``, ``--wide``: they make no sense for one object). Write the record
    with :func:`write_record` (``CliContext.write_object``): a vertical field/value view on a
    terminal, one JSON object (never a list) with ``-o json``.

    Example::

        @click.command("get")
        @record_options(model=Endpoint, views=ENDPOINT_VIEW_FIELDS, default_view="full")
        def get_endpoint(output: OutputOptions, endpoint_id: str) -> None:
            write_record(output, client.endpoints.get(endpoint_id).to_api())
    """
    return _decorator(
        _options("", listing=False),
        columns=(),
        api_fields=frozenset(),
        model=model,
        views=views,
        default_view=default_view,
        extra_fields=extra_fields,
    )


def _decorator(
    options: Sequence[Callable[[Any], Any]],
    *,
    columns: tuple[str | Column, ...],
    api_fields: frozenset[str],
    model: ModelRef | None,
    views: Views | None,
    default_view: str | None,
    extra_fields: Sequence[str],
) -> Callable[[F], F]:
    schema_cache: list[Schema] = []

    def schema() -> Schema | None:
        if model is None:
            return None
        if not schema_cache:
            from pysophoscentralapi._page import resolve_model
            from pysophoscentralapi.cli._schema import Schema

            shown = views() if callable(views) else views
            schema_cache.append(
                Schema.of(resolve_model(model), views=shown, extra_fields=extra_fields)
            )
        return schema_cache[0]

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
                columns=columns,
                sortable_by_api=api_fields,
                wide=bool(values["output_wide"]),
                crlf=bool(values["output_crlf"]),
                schema=schema(),
            )
            _check_combination(output)
            view = kwargs.get("view") or default_view
            _check_against_schema(output, view=view.lower() if isinstance(view, str) else None)
            return function(*args, output=output, **kwargs)

        decorated: Callable[..., Any] = wrapper
        for option in reversed(options):
            decorated = option(decorated)
        return decorated  # type: ignore[return-value]

    return decorator


def _check_against_schema(output: OutputOptions, *, view: str | None) -> None:
    """``--fields``/``--sort``/``--count-by`` paths the model cannot have: exit 2, before any
    request, with the close matches (or the ``--view`` that has the field)."""
    if output.schema is None:
        return
    named = [("--fields", path) for path in output.fields or ()]
    if output.sort is not None and output.sort.field != "count":
        named.append(("--sort", output.sort.field))
    if output.count_by is not None:
        named.append(("--count-by", output.count_by))
    for option, path in named:
        if path in TENANT_TAGS:  # added to every row by --all-tenants
            continue
        problem = output.schema.problem(path, view=view)
        if problem is None:
            continue
        if not output.schema.knows(path):  # an unknown path: list what there is
            problem += (
                f". Fields: {', '.join(output.schema.top_level())} "
                "(nested fields with dots, e.g. health.overall)"
            )
        raise click.BadParameter(f"{problem}.", param_hint=f"'{option}'")


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
# sorting and counting


def _sort_rows(
    rows: Iterable[Mapping[str, Any]],
    value_of: Callable[[Mapping[str, Any]], Any],
    *,
    descending: bool,
) -> list[Mapping[str, Any]]:
    """Stable sort; null/missing values last in both directions; mixed types compared as text."""
    from pysophoscentralapi.cli._fields import MISSING

    present: list[tuple[Any, Mapping[str, Any]]] = []
    missing: list[Mapping[str, Any]] = []
    for row in rows:
        value = value_of(row)
        if value is None or value is MISSING:
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
    from pysophoscentralapi.cli._formats import cell_text

    return _text_key(cell_text(value, ";"))


def _hashable(value: Any) -> Any:
    if isinstance(value, Mapping | list | tuple | set):
        import json

        from pysophoscentralapi.cli._formats import json_default

        return ("json", json.dumps(value, sort_keys=True, default=json_default))
    return (type(value).__name__, value)


def _count_rows(
    rows: Iterable[Mapping[str, Any]], field: str
) -> tuple[list[dict[str, Any]], bool, Mapping[str, Any] | None]:
    """Rows ``{field: value, "count": n}``, most frequent first (ties: by value)."""
    from pysophoscentralapi.cli._fields import MISSING, lookup, path_known

    segments = field.split(".")
    counts: dict[Any, int] = {}
    originals: dict[Any, Any] = {}
    known = False
    first: Mapping[str, Any] | None = None
    for row in rows:
        if first is None:
            first = row
        known = known or path_known(row, field)
        value = lookup(row, segments)
        value = None if value is MISSING else value
        key = _hashable(value)
        counts[key] = counts.get(key, 0) + 1
        originals.setdefault(key, value)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], _mixed_key(originals[item[0]])))
    return [{field: originals[key], "count": n} for key, n in ordered], known, first


# --------------------------------------------------------------------------------------------
# writing


def write_rows(
    output: OutputOptions,
    rows: Iterable[Mapping[str, Any]],
    *,
    defaults: ExportDefaults | None = None,
    sorted_by_api: bool = False,
    stdout: TextIO | None = None,
    stdout_is_terminal: bool | None = None,
    color: bool = True,
    title: str | None = None,
    progress_total: int | None = None,
    progress: bool | None = None,
    stderr: TextIO | None = None,
    width: int | None = None,
) -> int:
    """Write ``rows`` as ``output`` says; return the number of rows (or count rows) written.

    ``rows`` is consumed lazily and at most ``output.limit`` rows are pulled from it (unless a
    local sort or ``--count-by`` needs all of them). ``stdout``/``stderr`` default to
    ``sys.stdout``/``sys.stderr``; ``stdout_is_terminal`` defaults to ``stdout.isatty()``.
    ``color=False`` for ``--no-color``/``NO_COLOR``. ``progress`` forces the stderr progress
    indicator on or off (default: on when stderr is a terminal and the output is not a table on
    the terminal). ``width``: the terminal's width for a table (default: detected). A closed
    pipe (``| head -1``) ends the output quietly.

    Example::

        n = write_rows(output, (ep for page in pages for ep in page), title="Endpoints")
    """
    from pysophoscentralapi.cli._atomic_file import atomic_text_file
    from pysophoscentralapi.cli._formats import ExportDefaults, RowCounter

    defaults = defaults if defaults is not None else ExportDefaults()
    err = stderr if stderr is not None else sys.stderr
    stderr_tty = _isatty(err)
    iterator = iter(rows)
    try:
        if output.output_file is not None:
            fmt = output.resolved_format(defaults=defaults, stdout_is_terminal=False)
            show = progress if progress is not None else stderr_tty
            counter = RowCounter()
            with atomic_text_file(output.output_file) as handle:
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
        counter = RowCounter()
        try:
            _write(
                fmt, output, iterator, stream, err,
                defaults=defaults, sorted_by_api=sorted_by_api, is_terminal=is_terminal,
                color=color and is_terminal, title=title, progress_total=progress_total,
                show_progress=show, flush=True, counter=counter, progress_color=color,
                width=width,
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


def _as_mapping(row: Any) -> Mapping[str, Any]:
    if isinstance(row, Mapping):
        return row
    dump = getattr(row, "model_dump", None)
    if callable(dump):  # a pydantic model: its wire form
        dumped = dump(mode="json", by_alias=True)
        if isinstance(dumped, Mapping):
            return dumped
    raise TypeError(f"rows must be mappings, got {type(row).__name__}")


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
    counter: RowCounter,
    progress_color: bool = True,
    width: int | None = None,
) -> None:
    from pysophoscentralapi.cli._formats import Flusher, write_csv, write_json
    from pysophoscentralapi.cli._progress import row_progress
    from pysophoscentralapi.cli._table import write_table

    with row_progress(
        err, enabled=show_progress, total=progress_total, color=progress_color
    ) as tick:

        def fetched() -> Iterator[Mapping[str, Any]]:
            for row in rows:
                tick()
                yield _as_mapping(row)

        plan = _plan(output, fetched(), sorted_by_api=sorted_by_api)
        flusher = Flusher(stream, enabled=flush)
        if fmt == "json":
            write_json(stream, plan, indent=defaults.json_indent, counter=counter, flusher=flusher)
        elif fmt == "jsonl":
            write_json(stream, plan, indent=None, lines=True, counter=counter, flusher=flusher)
        elif fmt == "csv":
            write_csv(
                stream, plan, delimiter=defaults.csv_delimiter,
                list_separator=defaults.list_separator, no_headers=output.no_headers,
                counter=counter, flusher=flusher, err=err,
                line_end="\r\n" if output.crlf else "\n",
                empty_header=_empty_csv_header(output),
            )  # fmt: skip
        else:
            header: Sequence[str | Column] | None = plan.header
            if header is None and not plan.fields:
                header = output.columns or None
            write_table(
                stream, plan.records, header, flat=plan.flat, is_terminal=is_terminal,
                color=color, no_headers=output.no_headers, title=title,
                list_separator=defaults.list_separator, counter=counter, err=err,
                wide=output.wide, chosen=plan.fields is not None, width=width,
            )  # fmt: skip


def _empty_csv_header(output: OutputOptions) -> tuple[str, ...]:
    """The CSV header of an export without rows: the model's fields, else the table columns."""
    if output.schema is not None and output.schema.leaves:
        return output.schema.leaves
    return output.column_paths


def _unknown_error(field: str, row: Mapping[str, Any] | None, *, option: str) -> click.UsageError:
    available = ", ".join(str(key) for key in row) if row else "(none)"
    return click.UsageError(
        f"{option}: no field {field!r} in the data. Available top-level fields: {available} "
        "(nested fields are addressed with dots, e.g. health.overall)."
    )


def _plan(output: OutputOptions, rows: Iterator[Mapping[str, Any]], *, sorted_by_api: bool) -> Plan:
    from pysophoscentralapi.cli._fields import MISSING, lookup, path_known
    from pysophoscentralapi.cli._formats import Plan

    if output.count_by is not None:
        counted, known, first = _count_rows(rows, output.count_by)
        if (
            first is not None
            and not known
            and output.schema is None
            and output.count_by not in output.column_paths
        ):
            raise _unknown_error(output.count_by, first, option="--count-by")
        records: list[Mapping[str, Any]] = list(counted)
        if output.sort is not None:
            key = output.sort.field if output.sort.field == "count" else output.count_by
            records = _sort_rows(
                records, lambda r: r.get(key, MISSING), descending=output.sort.descending
            )
        if output.limit is not None:
            records = records[: output.limit]
        return Plan(iter(records), (output.count_by, "count"), flat=True, fields=None)

    if output.sort is not None and not sorted_by_api:
        buffered = list(rows)
        field = output.sort.field
        if (
            buffered
            and output.schema is None
            and field not in output.column_paths
            and not any(path_known(row, field) for row in buffered)
        ):
            raise _unknown_error(field, buffered[0], option="--sort")
        segments = field.split(".")
        ordered = _sort_rows(
            buffered, lambda r: lookup(r, segments), descending=output.sort.descending
        )
        del buffered
        rows = iter(ordered[: output.limit] if output.limit is not None else ordered)
    elif output.limit is not None:
        rows = islice(rows, output.limit)

    if output.fields is not None and output.schema is None:
        rows = _check_fields(rows, output.fields, output.column_paths)
    return Plan(rows, output.fields, flat=False, fields=output.fields)


def _check_fields(
    rows: Iterator[Mapping[str, Any]], fields: Sequence[str], columns: Sequence[str]
) -> Iterator[Mapping[str, Any]]:
    """Fail (exit 2) before writing when a field is in no row of the first page."""
    from pysophoscentralapi.cli._fields import path_known
    from pysophoscentralapi.cli._formats import LOOKAHEAD

    unknown = [field for field in fields if field not in columns]
    if not unknown:
        return rows
    seen: list[Mapping[str, Any]] = []
    for row in rows:
        seen.append(row)
        unknown = [field for field in unknown if not path_known(row, field)]
        if not unknown or len(seen) >= LOOKAHEAD:
            break
    if unknown and seen:
        raise _unknown_error(unknown[0], seen[0], option="--fields")
    return chain(seen, rows)


def __getattr__(name: str) -> Any:
    # Re-exported, imported on first use (see the imports above).
    if name == "write_record":
        from pysophoscentralapi.cli._record import write_record

        return write_record
    if name in ("flatten", "get_path"):
        from pysophoscentralapi.cli import _fields

        return getattr(_fields, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
