"""Helpers of the integration tests: library clients connected to an emulator.

The emulator fixtures (``sophos_emulator``, ``make_emulator``) come from the package's pytest plugin.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

import pytest

from pysophoscentralapi import AsyncSophosCentral, SophosCentral
from tests.conftest import Cli


@pytest.fixture
def fresh(make_emulator: Callable[..., Any], isolated_env: dict[str, str]) -> tuple[Any, Cli]:
    """A pristine emulator and a CLI pointed at it (its tenant credential)."""
    emu = make_emulator()
    return emu, Cli(env={**isolated_env, **emu.env("tenant")})


ClientT = TypeVar("ClientT", SophosCentral, AsyncSophosCentral)


def sync_client(emulator: Any, kind: str = "tenant", **options: Any) -> SophosCentral:
    """A client with ``emulator``'s credential of ``kind`` (tenant, partner, organization)."""
    return _client(SophosCentral, emulator, kind, options)


def async_client(emulator: Any, kind: str = "tenant", **options: Any) -> AsyncSophosCentral:
    """The async twin of :func:`sync_client`."""
    return _client(AsyncSophosCentral, emulator, kind, options)


def _client(face: type[ClientT], emulator: Any, kind: str, options: dict[str, Any]) -> ClientT:
    credential = emulator.credentials(kind)
    return face(
        credential.client_id,
        credential.client_secret,
        auth_url=emulator.auth_url,
        api_url=emulator.url,
        **options,
    )


def seeded_alerts(emulator: Any, tenant_index: int = 0) -> list[dict[str, Any]]:
    """The emulator's open alerts of a tenant (after making sure they are seeded)."""
    from pysophoscentralapi.emulator._common_state import common_state

    return list(common_state(emulator.state.tenants[tenant_index]).alerts)


def stamp(text: str) -> datetime:
    """An API timestamp (``...Z``) as an aware datetime."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def ok_json(result: Any) -> Any:
    """The JSON a successful ``cli_run`` printed (the exit code must be 0)."""
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def assert_usage_error_before_any_request(
    fresh: tuple[Any, Cli], args: tuple[str, ...], message: str, path: str = "/common/v1"
) -> None:
    """``pysophos args`` exits 2 naming ``message`` and sends no request below ``path``."""
    emu, run = fresh
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert emu.state.request_count(path=path) == 0
