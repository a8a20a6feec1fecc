"""Dotted field paths into rows, as ``--fields``, ``--sort`` and ``--count-by`` take them.

A path such as ``health.overall`` walks nested objects; a number selects a list item
(``ipv4Addresses.0``); any other name applied to a list maps over its items
(``assignedProducts.code`` -> ``["endpointProtection", ...]``). :func:`get_path` and
:func:`flatten` are public through :mod:`pysophoscentralapi.cli._output`. :class:`FlatColumns`
reads the flattened columns of a CSV export from a batch of rows without flattening each one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import repeat
from typing import Any, Final

__all__ = ["MISSING", "FlatColumns", "flatten", "get_path", "lookup", "path_known", "project"]


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
            if kind is dict:
                if value:
                    walk(name + sep, value)
                else:
                    out[name] = value
            elif kind in _LEAF_TYPES or not value or not isinstance(value, Mapping):
                out[name] = value
            else:
                walk(name + sep, value)

    walk("", row)
    return out


_LEAF_TYPES: Final = frozenset({str, int, float, bool, type(None), list})


class _Absent(dict[str, Any]):
    """What :class:`FlatColumns` reads a missing object as: empty, yet true, so that
    ``all(objects)`` finds the present empty ones (which flatten keeps as values)."""

    def __bool__(self) -> bool:
        return True


_ABSENT: Final = _Absent()  # never written to
_OBJECT_KINDS: Final = frozenset[type]((dict, _Absent))


class FlatColumns:
    """Known flattened columns read from a batch of rows a column at a time, without
    flattening: ``values, kinds = read(rows)`` gives
    ``values[i][j] == flatten(rows[j]).get(columns[i])``.

    The columns are dotted paths as :func:`flatten` names them; they are turned once into the
    objects to walk (``health``, ``health.threats``, ...) and the key of each column in its
    object. :meth:`read` then takes each object, then each value, for the whole batch with one
    C loop (``map(dict.get, ...)``). It answers only for a batch whose shape makes that the
    same as flattening each row: every row and every object on a column's path a ``dict``
    (absent is fine, empty is not), no key outside the columns' paths, every value a JSON
    scalar or list. For any other batch it answers ``None``: flatten its rows.
    """

    def __init__(self, columns: Sequence[str]) -> None:
        #: the objects to walk: (index of the parent object, key, the keys it may have);
        #: index 0 is the row itself
        self._objects: list[tuple[int, str, frozenset[str]]] = []
        #: each column: (index of its object, key)
        self._leaves: list[tuple[int, str]] = []
        self._root_keys: frozenset[str] = frozenset()
        #: False when a column names an object that another column goes into (a and a.b):
        #: :meth:`read` then always answers ``None``
        self.usable = True
        tree: dict[str, Any] = {}  # the columns' paths as nested dicts, None at a value
        for column in columns:
            *path, last = column.split(".")
            node = tree
            for name in path:
                child = node.setdefault(name, {})
                if child is None:
                    self.usable = False
                    return
                node = child
            if last in node:
                self.usable = False
                return
            node[last] = None
        self._root_keys = frozenset(tree)
        where: dict[str, tuple[int, str]] = {}

        def index(node: dict[str, Any], at: int, prefix: str) -> None:
            for key, child in node.items():
                if child is None:
                    where[prefix + key] = (at, key)
                else:
                    self._objects.append((at, key, frozenset(child)))
                    index(child, len(self._objects), f"{prefix}{key}.")

        index(tree, 0, "")
        self._leaves = [where[column] for column in columns]

    def read(self, rows: Sequence[Any]) -> tuple[list[list[Any]], list[set[type]]] | None:
        """The columns' values in ``rows`` (a list per column) and the types in each column (the
        check needs them, the caller may use them), or ``None`` (see the class)."""
        if (
            not self.usable
            or not {dict}.issuperset(map(type, rows))
            or not all(map(self._root_keys.issuperset, rows))
        ):
            return None
        objects: list[Sequence[Any]] = [rows]
        for parent, key, keys in self._objects:
            found = list(map(dict.get, objects[parent], repeat(key), repeat(_ABSENT)))
            if (
                not _OBJECT_KINDS.issuperset(map(type, found))
                or not all(found)
                or not all(map(keys.issuperset, found))
            ):
                return None
            objects.append(found)
        columns = [list(map(dict.get, objects[at], repeat(key))) for at, key in self._leaves]
        kinds = [set(map(type, column)) for column in columns]
        if not all(kind <= _LEAF_TYPES for kind in kinds):
            return None
        return columns, kinds


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
