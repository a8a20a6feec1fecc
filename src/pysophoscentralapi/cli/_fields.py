"""Dotted field paths into rows, as ``--fields``, ``--sort`` and ``--count-by`` take them.

A path such as ``health.overall`` walks nested objects; a number selects a list item
(``ipv4Addresses.0``); any other name applied to a list maps over its items
(``assignedProducts.code`` -> ``["endpointProtection", ...]``). :func:`get_path` and
:func:`flatten` are public through :mod:`pysophoscentralapi.cli._output`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

__all__ = ["MISSING", "flatten", "get_path", "lookup", "path_known", "project"]


class _Missing:
    """Marker for "this path does not exist" (distinct from a JSON null)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final = _Missing()


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
    value = lookup(row, dotted.split("."))
    return None if value is MISSING else value


def lookup(value: Any, segments: Sequence[str]) -> Any:
    current = value
    for index, segment in enumerate(segments):
        if isinstance(current, Mapping):
            if segment not in current:
                return MISSING
            current = current[segment]
        elif isinstance(current, list | tuple):
            if segment.isdigit():
                position = int(segment)
                if position >= len(current):
                    return MISSING
                current = current[position]
            else:
                found = (lookup(item, segments[index:]) for item in current)
                return [item for item in found if item is not MISSING]
        else:
            return MISSING
    return current


def path_known(row: Mapping[str, Any], dotted: str) -> bool:
    """Whether ``row`` has the path, or a prefix of it that is null (``health: null``)."""
    segments = dotted.split(".")
    if lookup(row, segments) is not MISSING:
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

    def walk(prefix: str, mapping: Mapping[Any, Any]) -> None:
        # One call per nested mapping, not per value: exports flatten millions of values.
        for key, value in mapping.items():
            name = prefix + (key if type(key) is str else str(key))
            kind = type(value)
            if value and (kind is dict or (kind not in _LEAF_TYPES and isinstance(value, Mapping))):
                walk(name + sep, value)
            else:
                out[name] = value

    walk("", row)
    return out


_LEAF_TYPES: Final = frozenset({str, int, float, bool, type(None), list})


def project(row: Mapping[str, Any], fields: Sequence[str]) -> dict[str, Any]:
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
