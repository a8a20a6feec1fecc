"""A table column's declaration (:class:`Column`), apart from the table writer: command modules
declare their columns at import, and their ``--help`` needs nothing of the writer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, NamedTuple

__all__ = ["KEY_NAMES", "Column", "columns_of"]

#: the last segment of a plain-string column that makes it a key column (never cut, never dropped)
KEY_NAMES: Final = frozenset({"id", "name", "hostname"})


class Column(NamedTuple):
    """A table column: a dotted path, its priority and whether it is a key column (a named
    tuple: cheaper to declare than a dataclass, and every command's --help declares some).

    Higher ``priority`` columns are kept longer when the terminal is narrow; ``key`` columns
    (the id, the name a person recognises) are never dropped and never cut; ``whole`` columns
    (another id, a timestamp: useless when cut) are shown whole or hidden.

    Example::

        @output_options(columns=[
            Column("id", key=True),
            Column("hostname", key=True),
            Column("health.overall", priority=9),
            Column("os.name", priority=5),
            Column("group.name", priority=1),
        ])
    """

    path: str
    priority: int = 0
    key: bool = False
    whole: bool = False


def columns_of(declared: Sequence[str | Column]) -> tuple[Column, ...]:
    """``@output_options(columns=...)`` as :class:`Column` objects.

    Plain strings keep working: their order is their priority (the first kept longest), and a
    top-level ``id``, ``name`` or ``hostname`` is a key column.

    Example::

        >>> [(c.path, c.priority, c.key) for c in columns_of(["hostname", "os.name", "id"])]
        [('hostname', 3, True), ('os.name', 2, False), ('id', 1, True)]
    """
    count = len(declared)
    return tuple(
        item
        if isinstance(item, Column)
        else Column(item, priority=count - index, key=item in KEY_NAMES)
        for index, item in enumerate(declared)
    )
