"""Exit codes of ``pysophos``: part of the public contract, so scripts can branch on them."""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    """Process exit codes (CONTRACT.md "Exit codes")."""

    SUCCESS = 0
    ERROR = 1
    USAGE = 2
    CONFIG_OR_AUTH = 3
    API_REFUSED = 4
    UNAVAILABLE = 5
    PARTIAL_FAILURE = 6
    INTERRUPTED = 130
