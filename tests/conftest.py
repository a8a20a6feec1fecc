"""Shared test helpers: running the CLI exactly as the console script does, in a clean environment.

The emulator fixtures (``sophos_emulator``, ``make_emulator``) come from the package's pytest plugin.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import keyring
import pytest
from click.testing import CliRunner, Result
from keyring.backend import KeyringBackend

from pysophoscentralapi.cli import cli
from pysophoscentralapi.cli._errors import run_main

# The emulator fixtures, loaded here rather than through the package's pytest11 entry point
# (disabled in pyproject's addopts) so that coverage is already measuring when the package is
# first imported.
pytest_plugins = ["pysophoscentralapi.emulator.pytest_plugin"]

ENV_PREFIXES = ("SOPHOS_", "PYSOPHOS_")


def home_env(tmp_path: Path) -> dict[str, str]:
    """A home and XDG folders under ``tmp_path`` and no OS keyring: a run's config, token cache and
    data stay in the test's folder."""
    return {
        "HOME": str(tmp_path / "home"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
    }


class _ConsoleScript:
    """Runs the root group through ``run_main`` so exit codes and error rendering are the real ones."""

    name = "pysophos"

    def main(self, args: Any = None, prog_name: str | None = None, **_: Any) -> None:
        run_main(cli, list(args or ()))


@dataclass
class Cli:
    """``cli_run(args)`` in tests: the installed ``pysophos`` minus the subprocess."""

    env: dict[str, str]

    def __call__(
        self, *args: str, input: str | None = None, env: Mapping[str, str] | None = None
    ) -> Result:
        runner = CliRunner()
        return runner.invoke(
            _ConsoleScript(),  # type: ignore[arg-type]
            list(args),
            input=input,
            env={**self.env, **(env or {})},
            catch_exceptions=False,
        )


@pytest.fixture
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """No SOPHOS_* variables from the developer's shell; config, cache and keyring dirs in tmp."""
    import os

    for name in list(os.environ):
        if name.startswith(ENV_PREFIXES) or name == "NO_COLOR":
            monkeypatch.delenv(name)
    env = home_env(tmp_path)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


@pytest.fixture
def cli_run(isolated_env: dict[str, str]) -> Cli:
    """Run ``pysophos`` with no credentials configured (see ``emulator_cli`` for a working one)."""
    return Cli(env=dict(isolated_env))


@pytest.fixture
def emulator_cli(isolated_env: dict[str, str], sophos_emulator: Any) -> Cli:
    """Run ``pysophos`` with the shared emulator's tenant credentials in the environment."""
    return Cli(env={**isolated_env, **sophos_emulator.env("tenant")})


@pytest.fixture
def partner_cli(isolated_env: dict[str, str], sophos_emulator: Any) -> Cli:
    """Run ``pysophos`` with the shared emulator's partner credentials in the environment."""
    return Cli(env={**isolated_env, **sophos_emulator.env("partner")})


class MemoryKeyring(KeyringBackend):
    """An in-memory keyring backend (keyring's documented extension point, via set_keyring)."""

    priority = 1

    def __init__(self) -> None:
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture
def memory_keyring(isolated_env: dict[str, str]) -> Iterator[MemoryKeyring]:
    """A fresh in-memory keyring for the test (the previous backend put back afterwards)."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)
