"""Helpers of the integration tests: library clients connected to an emulator.

The emulator fixtures (``sophos_emulator``, ``make_emulator``) come from the package's pytest plugin.
"""

from __future__ import annotations

from typing import Any

from pysophoscentralapi import AsyncSophosCentral, SophosCentral


def sync_client(emulator: Any, kind: str = "tenant", **options: Any) -> SophosCentral:
    """A client with ``emulator``'s credential of ``kind`` (tenant, partner, organization)."""
    credential = emulator.credentials(kind)
    return SophosCentral(
        credential.client_id,
        credential.client_secret,
        auth_url=emulator.auth_url,
        api_url=emulator.url,
        **options,
    )


def async_client(emulator: Any, kind: str = "tenant", **options: Any) -> AsyncSophosCentral:
    """The async twin of :func:`sync_client`."""
    credential = emulator.credentials(kind)
    return AsyncSophosCentral(
        credential.client_id,
        credential.client_secret,
        auth_url=emulator.auth_url,
        api_url=emulator.url,
        **options,
    )
