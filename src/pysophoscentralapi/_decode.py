"""Decoding listing pages fast: a guarded pause of the cyclic GC and pydantic-core's JSON parser.

A page of 500 endpoints decodes to some 8,000 dicts and lists. Python's cyclic garbage collector
runs every few hundred new containers and, while a page is being built, rescans the growing page
each time: that costs as much as the decoding itself. Nothing a decoder builds can be a reference
cycle, so the collector is paused while it runs (:func:`gc_paused`) and sees the page once after.

>>> decode_page(b'{"items": [{"id": "e1"}], "pages": {}}', what="GET /endpoint/v1/endpoints")
{'items': [{'id': 'e1'}], 'pages': {}}
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pysophoscentralapi._errors import ResponseValidationError


class _PauseState:
    """Overlapping pauses (any thread): how many are open, and whether to re-enable at the end."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.depth = 0
        self.resume = False


_PAUSE = _PauseState()


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block; safe with threads and nesting.

    The first of overlapping pauses (from any thread) remembers whether the collector was
    enabled and the last one to end restores exactly that, on every path out (errors included).
    A collector the caller had disabled stays disabled.
    """
    state = _PAUSE
    with state.lock:
        if state.depth == 0:
            state.resume = gc.isenabled()
            gc.disable()
        state.depth += 1
    try:
        yield
    finally:
        with state.lock:
            state.depth -= 1
            if state.depth == 0 and state.resume:
                gc.enable()


def decode_page(content: bytes, *, what: str) -> Any:
    """The JSON body of a listing page (``None`` when empty); ``ResponseValidationError`` if not JSON.

    pydantic-core's parser with its string cache: the many repeated values of a page (statuses,
    product codes, versions) become one string object each, which is faster than ``json.loads``
    and lighter on memory. Anything it refuses is handed to ``json.loads``, so every body the
    standard library accepts still decodes the same way.
    """
    if not content.strip():
        return None
    import json  # not at import: the CLI imports this module for gc_paused on every start

    from pydantic_core import from_json  # imported here: it costs ~40 ms and only listings use it

    with gc_paused():
        try:
            return from_json(content, cache_strings="all")
        except ValueError:
            pass
        try:
            return json.loads(content)
        except ValueError:
            raise ResponseValidationError(
                f"{what} answered with a body that is not JSON ({len(content)} bytes)"
            ) from None
