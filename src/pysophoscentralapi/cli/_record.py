"""One record (what ``get``, ``create`` and ``update`` show): a vertical view, or one object.

On a terminal (and with ``-o table``) a record is a field/value list: nested objects indented
under their key, lists of plain values joined with ``, ``, lists of objects one item a line
(``- name: x, status: y``). With ``-o json`` it is one JSON object, never a one-element list,
``--fields`` included; ``-o jsonl`` one line; ``-o csv`` a header and one row.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final, TextIO

from pysophoscentralapi.cli._atomic_file import atomic_text_file
from pysophoscentralapi.cli._fields import project
from pysophoscentralapi.cli._formats import ExportDefaults, cell_text, json_default
from pysophoscentralapi.cli._table import VALUE_STYLES, data_console, escape_control

if TYPE_CHECKING:
    from pysophoscentralapi.cli._output import OutputOptions

__all__ = ["record_lines", "write_record"]

#: indentation of a nested object's fields
INDENT: Final = 2
#: how the items of a list of plain values are joined in the vertical view
LIST_JOIN: Final = ", "


def record_lines(record: Mapping[str, Any]) -> list[tuple[int, str, str | None]]:
    """The vertical view's lines: ``(depth, key, text)``; ``text`` is None above nested fields.

    Example::

        >>> record_lines({"id": "e1", "health": {"overall": "good"}, "ips": ["a", "b"]})
        [(0, 'id', 'e1'), (0, 'health', None), (1, 'overall', 'good'), (0, 'ips', 'a, b')]
        >>> record_lines({"products": [{"code": "ep", "status": "installed"}]})
        [(0, 'products', None), (1, '-', 'code: ep, status: installed')]
    """
    lines: list[tuple[int, str, str | None]] = []

    def walk(mapping: Mapping[str, Any], depth: int) -> None:
        for key, value in mapping.items():
            if isinstance(value, Mapping) and value:
                lines.append((depth, str(key), None))
                walk(value, depth + 1)
            elif isinstance(value, list | tuple) and any(isinstance(v, Mapping) for v in value):
                lines.append((depth, str(key), None))
                for item in value:
                    lines.append((depth + 1, "-", _item_text(item)))
            else:
                lines.append((depth, str(key), _value_text(value)))

    walk(record, 0)
    return lines


def _value_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple) and not value:
        return ""
    return cell_text(value, LIST_JOIN)


def _item_text(item: Any) -> str:
    if isinstance(item, Mapping):
        return ", ".join(f"{key}: {_value_text(value)}" for key, value in item.items())
    return _value_text(item)


def _render(record: Mapping[str, Any], stream: TextIO, *, color: bool) -> None:
    from rich.text import Text

    console = data_console(stream, is_terminal=color, color=color, soft_wrap=True)
    lines = record_lines(record)
    width = max(
        (INDENT * depth + len(key) for depth, key, text in lines if text and key != "-"),
        default=0,
    )
    for depth, key, text in lines:
        label = " " * (INDENT * depth) + key
        if key == "-":  # an item of a list of objects: on its own line, not in the value column
            console.print(Text(f"{label} {escape_control(text or '')}"))
            continue
        line = Text(label, style="bold" if color else "")
        if text:
            shown = escape_control(text)
            line.append(" " * (width - len(label) + 2))
            line.append(shown, style=VALUE_STYLES.get(shown.lower(), "") if color else "")
        console.print(line)


def _json_text(record: Mapping[str, Any], indent: int | None, *, stream: TextIO) -> str:
    encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("-", "")
    return json.dumps(
        record,
        indent=indent,
        ensure_ascii=not encoding.startswith("utf"),
        default=json_default,
        separators=(",", ":") if indent is None else (",", ": "),
    )


def write_record(
    output: OutputOptions,
    record: Mapping[str, Any],
    *,
    defaults: ExportDefaults | None = None,
    stdout: TextIO | None = None,
    stdout_is_terminal: bool | None = None,
    color: bool = True,
    stderr: TextIO | None = None,
) -> None:
    """Write one record as ``output`` says (see the module's docstring).

    Example::

        write_record(output, client.endpoints.get(endpoint_id).to_api())
    """
    from pysophoscentralapi.cli._output import _isatty, write_rows

    defaults = defaults or ExportDefaults()
    stream = stdout if stdout is not None else sys.stdout
    to_file = output.output_file is not None
    is_terminal = (
        False if to_file else _isatty(stream) if stdout_is_terminal is None else stdout_is_terminal
    )
    fmt = output.resolved_format(defaults=defaults, stdout_is_terminal=is_terminal)
    if fmt == "csv":
        write_rows(output, [record], defaults=defaults, stdout=stream, stderr=stderr, color=False)
        return
    shown = project(record, output.fields) if output.fields else dict(record)

    def write(handle: TextIO) -> None:
        if fmt == "json":
            handle.write(_json_text(shown, defaults.json_indent, stream=handle) + "\n")
        elif fmt == "jsonl":
            handle.write(_json_text(shown, None, stream=handle) + "\n")
        else:
            _render(shown, handle, color=color and is_terminal)

    if output.output_file is not None:
        with atomic_text_file(output.output_file) as handle:
            write(handle)
        return
    try:
        write(stream)
        stream.flush()
    except BrokenPipeError:
        from pysophoscentralapi.cli._output import _silence

        _silence(stream)
