"""The names of the API's paging styles (described in :mod:`pysophoscentralapi._paging`).

Apart from the paging machinery so that the collection declarations, which name a style, do not
build it (their import is on every ``--help`` path of the CLI).
"""

from __future__ import annotations

from enum import Enum

__all__ = ["PagingStyle"]


class PagingStyle(Enum):
    KEY = "key"
    NUMBER = "number"
    CURSOR = "cursor"
    NONE = "none"
    AUTO = "auto"
