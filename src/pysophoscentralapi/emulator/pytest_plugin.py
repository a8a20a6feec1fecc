"""pytest fixtures for testing against the Sophos Central emulator (registered via ``pytest11``).

- ``sophos_emulator``: one emulator for the whole session, default config. State changes persist
  between tests; call ``sophos_emulator.reset()`` to get the seeded data back.
- ``make_emulator``: a factory, ``make_emulator(**config_overrides)`` -> a started emulator,
  stopped when the test ends.

Example::

    def test_lists_endpoints(make_emulator):
        emu = make_emulator(endpoints=10, fault_rate=0.2)
        ...

This module is loaded in every pytest run of projects that install the package, so it imports
nothing heavy at module level.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from pysophoscentralapi.emulator._runner import RunningEmulator


@pytest.fixture(scope="session")
def sophos_emulator() -> Iterator[RunningEmulator]:
    """A session-wide emulator with the default configuration."""
    from pysophoscentralapi.emulator._runner import run_emulator

    with run_emulator() as emulator:
        yield emulator


@pytest.fixture
def make_emulator() -> Iterator[Callable[..., RunningEmulator]]:
    """Start emulators with ``EmulatorConfig`` overrides; all stop at the end of the test."""
    from pysophoscentralapi.emulator._runner import run_emulator
    from pysophoscentralapi.emulator._state import EmulatorConfig

    with ExitStack() as stack:

        def make(**config_overrides: Any) -> RunningEmulator:
            return stack.enter_context(run_emulator(EmulatorConfig(**config_overrides)))

        yield make
