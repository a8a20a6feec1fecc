"""Software packages and package comments against the emulator over HTTP."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pysophoscentralapi import ConflictError, NotFoundError
from tests.integration.conftest import async_client, sync_client

SW = ("endpoint", "software")


def test_packages_filters_special_and_comments(make_emulator: Any) -> None:
    with sync_client(make_emulator()) as central:
        software = central.software
        assert {p.platform for p in software.recommended()} >= {"windows", "linux"}
        every = software.static_packages.list().to_list()
        assert "special-windows-computer-4" not in {p.id for p in every}
        windows = software.static_packages.list(platform="windows").to_list()
        assert windows
        assert all(p.platform == "windows" for p in windows)
        later = max(p.released_at or "" for p in every)
        assert all((p.released_at or "") >= later for p in
                   software.static_packages.list(released_from=later))  # fmt: skip
        added = software.add_special_package("special-windows-computer-4")
        assert added.visible is True
        with pytest.raises(ConflictError):
            software.add_special_package("special-windows-computer-4")
        package = software.static_packages.get("fixed-windows-computer-0")
        assert package.package_notes_url
        with pytest.raises(NotFoundError):
            software.comment(package.id)
        first = software.set_comment(package.id, "ERP servers")
        again = software.set_comment(package.id, "ERP and CRM servers")
        assert (again.id, again.comment) == (first.id, "ERP and CRM servers")
        seeded = [
            c.comment for c in software.comments() if c.package and c.package.id != package.id
        ]
        assert seeded == ["Kept for the lab machines."]
        assert "ERP and CRM servers" in [c.comment for c in software.comments()]
        assert software.comment(package.id).package.id == package.id
        assert software.delete_comment(package.id) is True
        assert [c.comment for c in software.comments()] == seeded
        with pytest.raises(ValueError, match="package id"):
            software.comment("../etc")


async def test_async_software(make_emulator: Any) -> None:
    async with async_client(make_emulator()) as central:
        assert await central.software.recommended()


def test_cli_software(cli_run: Any, make_emulator: Any) -> None:
    env = make_emulator().env("tenant")
    listed = json.loads(cli_run(*SW, "packages", "list", "--platform", "linux", "-o", "json",
                                env=env).stdout)  # fmt: skip
    assert {p["platform"] for p in listed} == {"linux"}
    set_ = cli_run(*SW, "comments", "set", listed[0]["id"], "--comment", "Linux fleet", "--yes",
                   "-o", "json", env=env)  # fmt: skip
    assert set_.exit_code == 0, set_.stderr
    got = json.loads(cli_run(*SW, "comments", "get", listed[0]["id"], "-o", "json", env=env).stdout)
    assert got["comment"] == "Linux fleet"
    shown = cli_run(*SW, "comments", "get", listed[0]["id"], "-o", "table", env=env).stdout
    assert any(line.split(None, 1) == ["comment", "Linux fleet"] for line in shown.splitlines())
    deleted = cli_run(*SW, "comments", "delete", listed[0]["id"], "no-such-package", "--yes",
                      "-o", "json", env=env)  # fmt: skip
    statuses = {row["id"]: row["status"] for row in json.loads(deleted.stdout)}
    assert statuses == {listed[0]["id"]: "ok", "no-such-package": "not-found"}
    assert deleted.exit_code == 4
    assert cli_run(*SW, "comments", "delete", "a b", "--yes", env=env).exit_code == 2
    missing = cli_run(*SW, "comments", "get", listed[0]["id"], env=env)
    assert missing.exit_code == 4
    special = cli_run(*SW, "add-special", "special-windows-computer-4", "--yes", "-o", "json",
                      env=env)  # fmt: skip
    assert special.exit_code == 0, special.stderr
    assert json.loads(special.stdout)["id"] == "special-windows-computer-4"  # one record
    assert (
        cli_run(*SW, "add-special", "special-windows-computer-4", "--yes", env=env).exit_code == 4
    )
    assert cli_run(*SW, "comments", "get", "a/b").exit_code == 2
