"""Exploit mitigation, peripherals, TLS decryption and the event journal against the emulator:
their own rules (the plain listing and CRUD are in ``test_collections.py``)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pysophoscentralapi import ConflictError
from tests.integration.conftest import async_client, ok_json, sync_client

S = ("endpoint", "settings")


def test_exploit_mitigation_applications_and_categories(make_emulator: Any) -> None:
    with sync_client(make_emulator()) as central:
        mitigation = central.settings.exploit_mitigation
        detected = mitigation.applications.list(type="detected").to_list()
        assert detected
        assert all(a.type == "detected" for a in detected)
        with pytest.raises(ConflictError):
            mitigation.applications.delete(detected[0].id)
        with pytest.raises(ConflictError):
            mitigation.applications.add(detected[0].paths)
        app = mitigation.applications.add(["$programfiles\\Foo\\foo.exe"])
        changed = mitigation.applications.update(
            app.id, protected=False, settings={"HeapSpray": False}
        )
        assert changed.modifications is not None
        assert (changed.modifications.protected, changed.modifications.settings["HeapSpray"]) == (
            False,
            False,
        )
        assert {a.id for a in mitigation.applications.list(modified=True)} == {app.id}
        assert app.id not in {a.id for a in mitigation.applications.list(modified=False)}
        assert "browsers" in {c.id for c in mitigation.categories()}


def test_detected_exploits_and_peripherals_filters(make_emulator: Any) -> None:
    with sync_client(make_emulator()) as central:
        exploits = central.settings.exploit_mitigation.detected_exploits
        every = exploits.list().to_list()
        left = exploits.list(thumbprint_not_in=[every[0].thumbprint]).to_list()
        assert [e.id for e in left] == [e.id for e in every[1:]]
        assert exploits.get(every[0].id).last_endpoint is not None
        peripherals = central.settings.peripherals
        assert {p.type for p in peripherals.list(type=["wireless", "bluetooth"])} == {
            "wireless",
            "bluetooth",
        }
        newest = max(p.last_seen_at for p in peripherals.list() if p.last_seen_at)
        stamp = newest.strftime("%Y-%m-%dT%H:%M:%S.000Z")
        assert all(p.last_seen_at < newest for p in peripherals.list(last_seen_before=stamp))


def test_tls_decryption_and_excluded_websites(make_emulator: Any) -> None:
    with sync_client(make_emulator()) as central:
        tls = central.settings.web_control.tls_decryption
        updated = tls.update({14: True, 10: False})
        state = {c.id: c.decryption_enabled for c in updated.categories}
        assert (state[14], state[10]) == (True, False)
        assert {c.id: c.decryption_enabled for c in tls.get().categories} == state
        change = tls.excluded_websites.change(
            add=[("shop.example", "PCI")], remove=["bank.example"]
        )
        assert [w.value for w in change.added] == ["shop.example"]
        assert [w.value for w in change.removed] == ["bank.example"]
        values = [w.value for w in tls.excluded_websites.list()]
        assert "shop.example" in values
        assert "bank.example" not in values
        settings = tls.get()
        assert settings.excluded_websites is not None
        assert settings.excluded_websites.total == len(values)
        assert tls.excluded_websites.clear() is True
        assert tls.excluded_websites.list().to_list() == []
        with pytest.raises(ValueError, match="add or to remove"):
            tls.excluded_websites.change()


async def test_event_journal(make_emulator: Any) -> None:
    async with async_client(make_emulator()) as central:
        journal = central.settings.event_journal
        before = await journal.get("server")
        assert before.use_recommended is True
        changed = await journal.update("server", disk_space_limit_in_mb=15000)
        assert changed.disk_space_limit_in_mb is not None
        assert (changed.use_recommended, changed.disk_space_limit_in_mb.value) == (False, 15000)
        back = await journal.update("server", use_recommended=True)
        assert back.disk_space_limit_in_mb is not None
        assert back.disk_space_limit_in_mb.value == back.disk_space_limit_in_mb.recommended_value
        with pytest.raises(ValueError, match="endpoint_type"):
            await journal.get("phone")
        with pytest.raises(ValueError, match=r"within 0\.\.100"):
            await journal.update("computer", disk_space_limit_as_percentage=120)


def test_cli_commands(cli_run: Any, make_emulator: Any) -> None:
    env = make_emulator().env("tenant")
    cats = ok_json(cli_run(*S, "exploit-mitigation", "categories", "-o", "json", env=env))
    assert "browsers" in {c["id"] for c in cats}
    added = ok_json(cli_run(*S, "tls-excluded-websites", "add", "a.example", "b.example",
                          "--comment", "x", "--yes", "-o", "json", env=env))  # fmt: skip
    assert [w["value"] for w in added] == ["a.example", "b.example"]
    removed = ok_json(cli_run(*S, "tls-excluded-websites", "remove", "a.example", "--yes", "-o",
                            "json", env=env))  # fmt: skip
    assert [w["value"] for w in removed] == ["a.example"]
    assert cli_run(*S, "tls-excluded-websites", "remove", "--all", "--yes", env=env).exit_code == 0
    assert ok_json(cli_run(*S, "tls-excluded-websites", "list", "-o", "json", env=env)) == []
    tls = ok_json(cli_run(*S, "tls-decryption", "update", "--enable", "14", "--yes", "-o", "json",
                        env=env))  # fmt: skip
    assert {c["id"]: c["decryptionEnabled"] for c in tls}[14] is True
    journal = ok_json(cli_run(*S, "event-journal", "update", "computer", "--disk-percent", "20",
                            "--yes", "-o", "json", env=env))  # fmt: skip
    assert journal[0]["diskSpaceLimitAsPercentage"]["value"] == 20
    got = ok_json(cli_run(*S, "event-journal", "get", "computer", "-o", "json", env=env))
    assert got["diskSpaceLimitAsPercentage"]["value"] == 20
    apps = ok_json(cli_run(*S, "exploit-mitigation", "list", "--type", "detected", "-o", "json",
                         env=env))  # fmt: skip
    refused = cli_run(*S, "exploit-mitigation", "delete", apps[0]["id"], "--yes", "-o", "json",
                      env=env)  # fmt: skip
    assert refused.exit_code == 4
    assert json.loads(refused.stdout)[0]["status"] == "refused"
    changed = ok_json(cli_run(*S, "exploit-mitigation", "update", apps[0]["id"], "--setting",
                            "HeapSpray=false", "--yes", "-o", "json", env=env))  # fmt: skip
    assert changed["modifications"]["settings"]["HeapSpray"] is False


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (("tls-decryption", "update", "--enable", "3", "--disable", "3", "--yes"), "both"),
        (("tls-decryption", "update", "--yes"), "at least one"),
        (("tls-excluded-websites", "remove", "--yes"), "--all"),
        (("event-journal", "update", "server", "--yes"), "nothing to change"),
        (("event-journal", "get", "phone"), "phone"),
        (
            (
                "exploit-mitigation",
                "update",
                "3f2c1d6e-8f7a-4b7e-9a55-1c2d3e4f5a6b",
                "--setting",
                "HeapSpray=maybe",
                "--yes",
            ),
            "NAME=true",
        ),
        (("exploit-mitigation", "add", "--yes"), "--path"),
    ],
)
def test_cli_bad_input_exits_2(cli_run: Any, args: tuple[str, ...], complaint: str) -> None:
    result = cli_run(*S, *args)
    assert result.exit_code == 2, result.stderr
    assert complaint in result.stderr
