"""``--debug`` logging: the library's HTTP trace and warnings on stderr, redacted (imported only
when ``--debug`` is given, so no other start-up pays for :mod:`logging`)."""

from __future__ import annotations

import logging
import re
import sys
from typing import Any

__all__ = ["disable_debug_logging", "enable_debug_logging"]


class _RedactingFilter(logging.Filter):
    """Last line of defence: masks anything that looks like a bearer token or a secret."""

    _patterns = (
        re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+"),
        re.compile(
            r"(?i)((?:client_secret|access_token|password)[\"']?\s*[:=]\s*[\"']?)[^\s&\"',}]+"
        ),
    )

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        for pattern in self._patterns:
            message = pattern.sub(r"\1[REDACTED]", message)
        record.msg, record.args = message, None
        return True


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at the time of each record (it may be replaced)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        pass


class _LevelFormatter(logging.Formatter):
    """``debug: ...`` for the trace, ``warning: ...`` for warnings (e.g. an answer that did not fit)."""

    def format(self, record: logging.LogRecord) -> str:
        return f"{record.levelname.lower()}: {record.getMessage()}"


def enable_debug_logging() -> logging.Handler:
    """``--debug``: the library's HTTP trace (method, URL, status, timing) and its warnings (such
    as an accepted answer that did not fit its model) on stderr, redacted."""
    logger = logging.getLogger("pysophoscentralapi")
    handler = _StderrHandler()
    handler.setFormatter(_LevelFormatter())
    handler.addFilter(_RedactingFilter())
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    return handler


def disable_debug_logging(handler: logging.Handler) -> None:
    """Undo :func:`enable_debug_logging` when the command ends."""
    logger = logging.getLogger("pysophoscentralapi")
    logger.removeHandler(handler)
    if not logger.handlers:
        logger.setLevel(logging.NOTSET)
