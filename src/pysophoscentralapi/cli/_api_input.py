"""What ``pysophos api`` sends: ``-f``/``-F`` fields, ``--input`` bodies and ``-H`` headers,
parsed as ``gh api`` does (pure; file and stdin reading injected).

- ``-f key=value``: the value as a string.
- ``-F key=value``: typed: ``true``, ``false``, ``null`` and integers become JSON values;
  ``@FILE`` is the file's text, ``@-`` (or ``-``) standard input's; anything else a string.
- ``key[]=v`` appends to the list ``key``; ``key[sub]=v`` sets ``sub`` in the object ``key``
  (nestable: ``a[b][]=1``).

>>> build_fields([parse_field("ids[]=e1", typed=False), parse_field("ids[]=e2", typed=False),
...               parse_field("enabled=true", typed=True)])
{'ids': ['e1', 'e2'], 'enabled': True}
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

#: One field: its key path (``None`` = append to a list) and its value.
Field = tuple[tuple[str | None, ...], Any]

_KEY = re.compile(r"([^\[\]=]+)((?:\[[^\[\]]*\])*)")
_PART = re.compile(r"\[([^\[\]]*)\]")
_INTEGER = re.compile(r"-?(0|[1-9]\d*)")
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


class InputError(ValueError):
    """A ``-f``/``-F``/``-H``/``--input`` value that cannot be used (the CLI exits 2)."""


def _no_reading(_: str = "") -> str:
    raise InputError("-F KEY=@FILE / KEY=@-: reading files is not available here")


def parse_field(
    text: str,
    *,
    typed: bool,
    read_file: Callable[[str], str] = _no_reading,
    read_stdin: Callable[[], str] = _no_reading,
) -> Field:
    """One ``-f`` (``typed=False``) or ``-F`` (``typed=True``) argument; ``read_file(path)`` and
    ``read_stdin()`` give the text of ``@FILE`` and ``@-``."""
    option = "-F" if typed else "-f"
    key, equals, raw = text.partition("=")
    if not equals:
        raise InputError(f"{option} {text!r}: expected KEY=VALUE (e.g. {option} pageSize=10)")
    match = _KEY.fullmatch(key)
    if match is None or not match.group(1).strip():
        raise InputError(
            f"{option} {text!r}: {key!r} is not a field name (NAME, NAME[] or NAME[KEY])"
        )
    path: tuple[str | None, ...] = (
        match.group(1),
        *(part or None for part in _PART.findall(match.group(2))),
    )
    if None in path[1:-1]:
        raise InputError(f"{option} {text!r}: [] may only end a field name (NAME[] or A[B][])")
    value = _typed_value(raw, read_file, read_stdin) if typed else raw
    return path, value


def _typed_value(raw: str, read_file: Callable[[str], str], read_stdin: Callable[[], str]) -> Any:
    if raw in ("-", "@-"):
        return read_stdin()
    if raw.startswith("@"):
        if not raw[1:]:
            raise InputError("-F KEY=@FILE: give a file name after @ (or @- for stdin)")
        return read_file(raw[1:])
    if raw in ("true", "false"):
        return raw == "true"
    if raw == "null":
        return None
    if _INTEGER.fullmatch(raw):
        return int(raw)
    return raw


def build_fields(fields: Iterable[Field]) -> dict[str, Any]:
    """The JSON object the fields make (later values of the same key win)."""
    result: dict[str, Any] = {}
    for path, value in fields:
        node: Any = result
        for depth, part in enumerate(path):
            last = depth == len(path) - 1
            following = None if last else path[depth + 1]
            if part is None:  # only last (checked by parse_field)
                node.append(value)
                break
            if not isinstance(node, dict):
                raise InputError(f"field {_name(path)}: {_name(path[:depth])} is not an object")
            if last:
                node[part] = value
                break
            empty: Any = [] if following is None else {}
            child = node.setdefault(part, empty)
            if isinstance(child, list) != isinstance(empty, list):
                kind = "a list" if isinstance(child, list) else "not a list"
                raise InputError(f"field {_name(path)}: {_name(path[: depth + 1])} is {kind}")
            node = child
    return result


def _name(path: tuple[str | None, ...]) -> str:
    return str(path[0]) + "".join(f"[{part or ''}]" for part in path[1:])


def query_params(fields: Mapping[str, Any]) -> dict[str, str]:
    """Fields as query parameters of a GET: lists joined with commas (the API's list form),
    booleans as ``true``/``false``, ``null`` left out; an object is refused."""
    params: dict[str, str] = {}
    for key, value in fields.items():
        if isinstance(value, dict):
            raise InputError(f"field {key}: an object cannot go in a query string (use -X POST)")
        if value is None:
            continue
        items = value if isinstance(value, list) else [value]
        params[key] = ",".join(_query_text(item, key) for item in items)
    return params


def _query_text(value: Any, key: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        raise InputError(f"field {key}: nested values cannot go in a query string")
    return str(value)


def parse_header(text: str) -> tuple[str, str]:
    """One ``-H 'Name: value'`` argument."""
    name, colon, value = text.partition(":")
    name = name.strip()
    if not colon or not _HEADER_NAME.fullmatch(name):
        raise InputError(f"-H {text!r}: expected 'Name: value' (e.g. -H 'Accept-Language: de')")
    return name, value.strip()


def parse_body(text: str, source: str) -> Any:
    """The ``--input`` body: JSON text (empty means no body)."""
    if not text.strip():
        return None
    try:
        return json.loads(text)
    except ValueError as error:
        raise InputError(f"--input {source}: not JSON ({error})") from None
