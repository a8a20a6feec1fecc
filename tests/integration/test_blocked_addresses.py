"""Blocked addresses against the emulator: blocked and unblocked in bulk, listed by pages."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from tests.integration.conftest import async_client, ok_json, sync_client

B = ("endpoint", "settings", "blocked-addresses")


def test_block_list_every_page_and_unblock(make_emulator: Any) -> None:
    with sync_client(make_emulator()) as central:
        blocked = central.settings.blocked_addresses
        seeded = [a.item for a in blocked.list()]
        added = blocked.block(["1.1.2.3", "1.2.2.3/17", "2001:db8::1-2001:db8::ff"])
        assert [a.item for a in added] == ["1.1.2.3", "1.2.2.3/17", "2001:db8::1-2001:db8::ff"]
        listed = [a.item for a in blocked.list(page_size=1)]
        assert sorted(listed) == sorted([*seeded, *(a.item for a in added)])
        assert [a.item for a in blocked.list(sort="item")] == sorted(listed)
        unknown = str(uuid.uuid4())
        result = blocked.unblock([added[0].id, unknown])
        assert result.failed_to_delete == [unknown]
        assert added[0].item not in {a.item for a in blocked.list()}


@pytest.mark.parametrize("address", ["1.2.3", "10.0.0.9-10.0.0.1", "::1-1.2.3.4", "x/8", ""])
def test_bad_addresses_are_refused_before_sending(address: str) -> None:
    from pysophoscentralapi import SophosCentral

    with (
        SophosCentral("id", "secret", api_url="http://127.0.0.1:9") as central,
        pytest.raises(ValueError, match="address"),
    ):
        central.settings.blocked_addresses.block([address])


async def test_async_block(make_emulator: Any) -> None:
    async with async_client(make_emulator()) as central:
        (added,) = await central.settings.blocked_addresses.block("198.51.100.0/24")
        result = await central.settings.blocked_addresses.unblock([added.id])
        assert result.failed_to_delete == []


def test_cli_add_list_and_delete(cli_run: Any, make_emulator: Any) -> None:
    env = make_emulator().env("tenant")
    added = cli_run(*B, "add", "203.0.113.7", "10.0.0.0/8", "--yes", "-o", "json", env=env)
    rows = ok_json(added)
    assert [(r["status"], r["item"]) for r in rows] == [
        ("created", "203.0.113.7"),
        ("created", "10.0.0.0/8"),
    ]
    listed = json.loads(cli_run(*B, "list", "-o", "json", env=env).stdout)
    assert {"203.0.113.7", "10.0.0.0/8"} <= {r["item"] for r in listed}
    unknown = str(uuid.uuid4())
    deleted = cli_run(*B, "delete", rows[0]["id"], unknown, "--yes", "-o", "json", env=env)
    assert deleted.exit_code == 4
    assert [(r["id"], r["status"], r["error"]) for r in json.loads(deleted.stdout)] == [
        (rows[0]["id"], "ok", None),
        (unknown, "not-found", "not deleted"),
    ]
    bad = cli_run(*B, "add", "300.1.1.1", "--yes", env=env)
    assert bad.exit_code == 2
    assert "300.1.1.1" in bad.stderr
