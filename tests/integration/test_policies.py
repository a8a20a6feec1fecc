"""Endpoint policies against the emulator over HTTP: a change shows in the policy's settings,
a clone carries them, resets go back to the recommended values, and the base policy of a type.

(The plain CRUD round trip of the policy list is in ``test_collections.py``.)
"""

from __future__ import annotations

from typing import Any

import pytest

from pysophoscentralapi import ConflictError, NotFoundError
from tests.integration.conftest import async_client, ok_json, sync_client

P = ("endpoint", "policies")
PUA = "endpoint.pua.enabled"
HOUR = "endpoint.scans.scheduled.hour"


def test_a_policy_change_shows_in_its_settings_and_its_clone(make_emulator: Any) -> None:
    with sync_client(make_emulator()) as central:
        policies = central.policies
        developers = policies.find("DEVELOPERS")
        assert developers.settings[PUA].value is False
        # Through the policy ...
        policies.update(developers.id, settings={PUA: True}, priority=3)
        assert policies.settings(developers.id)[PUA].value is True
        assert policies.get(developers.id).priority == 3
        # ... and through its settings.
        changed = policies.update_settings(developers.id, {HOUR: "23:30"})
        assert changed[HOUR].value == "23:30"
        assert policies.get(developers.id).settings[HOUR].value == "23:30"
        assert policies.setting(developers.id, HOUR).value == "23:30"
        # A clone carries the settings; changing it leaves the original alone.
        copy = policies.clone(developers.id, "Developers (EU)")
        assert (copy.name, copy.settings[HOUR].value) == ("Developers (EU)", "23:30")
        policies.update_settings(copy.id, {HOUR: "01:00"})
        assert policies.setting(developers.id, HOUR).value == "23:30"
        # Resets go back to the recommended values.
        assert policies.reset_setting(developers.id, HOUR).value == "21:00"
        policies.update_settings(developers.id, {PUA: False})
        reset = policies.reset_settings(developers.id)
        assert all(s.value == s.recommended_value for s in reset.values())
        assert policies.delete(copy.id) is True
        with pytest.raises(NotFoundError):
            policies.get(copy.id)


def test_the_base_policy_of_a_type(make_emulator: Any) -> None:
    with sync_client(make_emulator()) as central:
        policies = central.policies
        base = policies.base("threat-protection")
        assert (base.name, base.type) == ("Base Policy", "threat-protection")
        policies.update_base("threat-protection", settings={PUA: False})
        assert policies.base_settings("threat-protection")[PUA].value is False
        assert policies.update_base_setting("threat-protection", HOUR, "22:00").value == "22:00"
        assert policies.base_setting("threat-protection", HOUR).value == "22:00"
        policies.update_base_settings("threat-protection", {HOUR: "20:00"})
        assert policies.get(base.id).settings[HOUR].value == "20:00"
        assert policies.reset_base_setting("threat-protection", HOUR).value == "21:00"
        assert policies.reset_base_settings("threat-protection")[PUA].value is True
        # A new policy starts from the base policy's settings; a clone of the base too.
        policies.update_base_settings("threat-protection", {HOUR: "05:00"})
        created = policies.create("Night shift", type="threat-protection", enabled=False)
        assert (created.enabled, created.settings[HOUR].value) == (False, "05:00")
        servers = policies.clone_base("threat-protection", "Servers")
        assert servers.settings[HOUR].value == "05:00"
        with pytest.raises(ConflictError):
            policies.delete(base.id)
        catalogue = policies.catalogue("threat-protection")
        assert PUA in {d.name for d in catalogue.definitions()}
        assert {p.type for p in policies.list(policy_type="device-encryption")} == {
            "device-encryption"
        }


def test_documented_errors(make_emulator: Any) -> None:
    with sync_client(make_emulator()) as central:
        policies = central.policies
        developers = policies.find("developers")
        with pytest.raises(NotFoundError):
            policies.update_settings(developers.id, {"endpoint.no.such": True})
        with pytest.raises(NotFoundError):
            policies.setting(developers.id, "endpoint.no.such")
        with pytest.raises(ValueError, match="policy type"):
            policies.base("Threat Protection")
        with pytest.raises(ValueError, match="nothing to update"):
            policies.update(developers.id)
        with pytest.raises(LookupError, match="5 policies"):
            policies.find("base policy")


async def test_async_policies(make_emulator: Any) -> None:
    async with async_client(make_emulator()) as central:
        developers = await central.policies.find("Developers")
        settings = await central.policies.update_settings(developers.id, {PUA: True})
        assert settings[PUA].value is True


def test_cli_settings_update_clone_reset(cli_run: Any, make_emulator: Any) -> None:
    env = make_emulator().env("tenant")
    rows = ok_json(cli_run(*P, "settings", "developers", "-o", "json", env=env))
    assert {r["key"]: r["value"] for r in rows}[PUA] is False
    updated = cli_run(*P, "update", "Developers", "--set", f"{PUA}=true", "--set",
                      f"{HOUR}=23:00", "--yes", "-o", "json", env=env)  # fmt: skip
    assert ok_json(updated)["settings"][PUA]["value"] is True  # the record of the policy
    one = ok_json(cli_run(*P, "settings", "Developers", "--key", HOUR, "-o", "json", env=env))
    assert one["value"] == "23:00"
    sorted_one = cli_run(*P, "settings", "Developers", "--key", HOUR, "--sort", "key", env=env)
    assert sorted_one.exit_code == 2
    cloned = ok_json(cli_run(*P, "clone", "Developers", "--name", "Dev EU", "--yes", "-o", "json",
                           env=env))  # fmt: skip
    assert (cloned["name"], cloned["settings"][HOUR]["value"]) == ("Dev EU", "23:00")
    reset = ok_json(cli_run(*P, "reset", "Dev EU", "--key", HOUR, "--yes", "-o", "json", env=env))
    assert reset == [{"key": HOUR, "value": "21:00", "recommendedValue": "21:00"}]
    base = ok_json(cli_run(*P, "get", "--base", "threat-protection", "-o", "json", env=env))
    assert base["name"] == "Base Policy"
    assert cli_run(*P, "get", "Developers", "--limit", "1", env=env).exit_code == 2  # one record
    disabled = ok_json(cli_run(*P, "update", "Dev EU", "--no-enabled", "--yes", "-o", "json",
                             env=env))  # fmt: skip
    assert disabled["enabled"] is False
    base_reset = ok_json(cli_run(*P, "reset", "--base", "threat-protection", "--yes", "-o", "json",
                               env=env))  # fmt: skip
    assert all(r["value"] == r["recommendedValue"] for r in base_reset)


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (("settings",), "POLICY"),
        (("settings", "Developers", "--base", "web-control"), "not both"),
        (("update", "--base", "Web Control", "--set", "a=1", "--yes"), "policy type"),
        (("update", "--base", "web-control", "--set", "novalue", "--yes"), "KEY=VALUE"),
        (("update", "--base", "web-control", "--yes"), "nothing to change"),
        (("clone", "--base", "web-control", "--name", " ", "--yes"), "empty"),
    ],
)
def test_cli_bad_input_exits_2(cli_run: Any, args: tuple[str, ...], complaint: str) -> None:
    result = cli_run(*P, *args)
    assert result.exit_code == 2, result.stderr
    assert complaint in result.stderr


def test_cli_names_resolve_and_base_cannot_be_deleted(cli_run: Any, make_emulator: Any) -> None:
    env = make_emulator().env("tenant")
    ambiguous = cli_run(*P, "get", "base policy", env=env)
    assert ambiguous.exit_code == 2
    assert "are named 'base policy'" in ambiguous.stderr
    assert ambiguous.stderr.count("(Base Policy)") == 5
    base_id = ok_json(cli_run(*P, "get", "--base", "web-control", "-o", "json", env=env))["id"]
    refused = cli_run(*P, "delete", base_id, "--yes", env=env)
    assert refused.exit_code == 4
    assert "base policy cannot be deleted" in refused.stderr
