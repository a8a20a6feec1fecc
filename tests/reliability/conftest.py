"""Helpers shared by the reliability suite: emulator-backed clients, CLI runners, log hygiene."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from pysophoscentralapi import AsyncSophosCentral, SophosCentral
from tests.conftest import Cli
from tests.integration import conftest as integration

#: Faults injected on purpose by the soak tests, by kind; each must really have happened.
FAULT_KINDS = ("429", "500", "502", "503", "drop")


def no_sleep(seconds: float) -> None:
    """Replaces the client's retry waits: the tests run at full speed."""


async def no_sleep_async(seconds: float) -> None:
    """Replaces the async client's retry waits."""


def sync_client(emu: Any, kind: str = "tenant", **options: Any) -> SophosCentral:
    """:func:`tests.integration.conftest.sync_client` with the retry waits skipped."""
    return integration.sync_client(emu, kind, **{"sleep": no_sleep, **options})


def async_client(emu: Any, kind: str = "tenant", **options: Any) -> AsyncSophosCentral:
    """:func:`tests.integration.conftest.async_client` with the retry waits skipped."""
    return integration.async_client(emu, kind, **{"sleep": no_sleep_async, **options})


def emulator_runner(isolated_env: dict[str, str], emu: Any, **extra: str) -> Cli:
    """A ``pysophos`` runner pointed at ``emu`` with its tenant credential."""
    return Cli(env={**isolated_env, **emu.env("tenant"), **extra})


class TokenRecorder:
    """Remembers every access and refresh token an emulator issues (revoked ones included)."""

    def __init__(self, emu: Any) -> None:
        self.tokens: list[str] = []
        original = emu.state.issue_token

        def issue(kind: Any) -> Any:
            record, refresh = original(kind)
            self.tokens += [record.token, refresh]
            return record, refresh

        emu.state.issue_token = issue


@pytest.fixture
def revoke_when() -> Iterator[Callable[[Any, Callable[[], bool]], threading.Event]]:
    """``revoke_when(emu, condition)``: revoke every token once ``condition()`` holds (polled)."""
    threads: list[tuple[threading.Thread, threading.Event]] = []

    def start(emu: Any, condition: Callable[[], bool]) -> threading.Event:
        done = threading.Event()
        stop = threading.Event()

        def watch() -> None:
            while not stop.is_set():
                if condition():
                    emu.state.revoke_tokens()
                    done.set()
                    return
                stop.wait(0.001)

        thread = threading.Thread(target=watch, daemon=True)
        thread.start()
        threads.append((thread, stop))
        return done

    yield start
    for thread, stop in threads:
        stop.set()
        thread.join(timeout=5)


@pytest.fixture(autouse=True)
def _restore_library_logging() -> Iterator[None]:
    """``--debug`` adds a stderr handler to the library's logger; don't let it leak across tests."""
    logger = logging.getLogger("pysophoscentralapi")
    handlers, level = list(logger.handlers), logger.level
    yield
    logger.handlers[:] = handlers
    logger.setLevel(level)
