"""Fixtures of the core emulator tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pysophoscentralapi.emulator import RunningEmulator
from tests.emulator.core_helpers import Api, fresh_api


@pytest.fixture
def api(running: RunningEmulator) -> Iterator[Api]:
    """A client signed in to the module's ``running`` emulator, reset to its seeded state first
    (modules with other needs define their own ``api``)."""
    yield from fresh_api(running)
