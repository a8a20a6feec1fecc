"""``pysophos tenants`` against the emulator over real HTTP, through the real entry point."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import Cli
from tests.integration.conftest import ok_json

Emulator = Any


def cli_for(emu: Emulator, kind: str, env: dict[str, str]) -> Cli:
    return Cli(env={**env, **emu.env(kind)})


@pytest.mark.parametrize("kind", ["partner", "organization"])
def test_list_pages_through_every_tenant(
    kind: str, make_emulator: Callable[..., Emulator], isolated_env: dict[str, str]
) -> None:
    emu = make_emulator(tenants=103)
    result = cli_for(emu, kind, isolated_env)("tenants", "list", "-o", "json")
    rows = ok_json(result)
    assert [r["id"] for r in rows] == [t.id for t in emu.state.tenants]
    assert len([r for r in emu.state.requests if r.path == f"/{kind}/v1/tenants"]) == 2


def test_list_table_columns(partner_cli: Cli, sophos_emulator: Emulator) -> None:
    result = partner_cli("tenants", "list", "-o", "table")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1].split() == ["name", "id", "dataRegion", "apiHost", "status", "billingType"]
    assert any(sophos_emulator.state.tenants[0].name in line for line in lines)


def test_get_by_id_and_by_exact_name(partner_cli: Cli, sophos_emulator: Emulator) -> None:
    wanted = sophos_emulator.state.tenants[2]
    by_id = partner_cli("tenants", "get", wanted.id, "-o", "json")
    by_name = partner_cli("tenants", "get", wanted.name, "-o", "json")
    assert by_id.exit_code == 0, by_id.stderr
    assert by_name.exit_code == 0, by_name.stderr
    assert json.loads(by_id.stdout) == json.loads(by_name.stdout)
    assert json.loads(by_id.stdout)["name"] == wanted.name
    assert json.loads(by_id.stdout)["apiHost"].endswith(f"/region/{wanted.region}")


def test_get_with_organization_credentials(
    sophos_emulator: Emulator, isolated_env: dict[str, str]
) -> None:
    wanted = sophos_emulator.state.tenants[1]
    result = cli_for(sophos_emulator, "organization", isolated_env)(
        "tenants", "get", wanted.name, "-o", "json"
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["id"] == wanted.id


def test_unknown_and_ambiguous_names_are_usage_errors(
    make_emulator: Callable[..., Emulator], isolated_env: dict[str, str]
) -> None:
    emu = make_emulator(duplicate_tenant_name=True)
    partner = cli_for(emu, "partner", isolated_env)
    unknown = partner("tenants", "get", "No Such Corp")
    assert unknown.exit_code == 2
    assert "no tenant is named" in unknown.stderr
    duplicate = emu.state.tenants[2].name
    ambiguous = partner("tenants", "get", duplicate)
    assert ambiguous.exit_code == 2
    assert "tenants are named" in ambiguous.stderr
    unknown_id = partner("tenants", "get", "00000000-0000-4000-8000-000000000000")
    assert unknown_id.exit_code == 4


def test_tenant_credentials_exit_3_with_a_hint(emulator_cli: Cli) -> None:
    for args in (["tenants", "list", "-o", "json"], ["tenants", "get", "Acme"]):
        result = emulator_cli(*args)
        assert result.exit_code == 3, args
        assert "partner or organization" in result.stderr
        assert result.stdout == ""


def test_all_tenants_is_refused(partner_cli: Cli) -> None:
    result = partner_cli("--all-tenants", "tenants", "list")
    assert result.exit_code == 2


def test_create_prints_the_new_tenant_as_one_record(
    make_emulator: Callable[..., Emulator], isolated_env: dict[str, str]
) -> None:
    cli = cli_for(make_emulator(), "partner", isolated_env)
    result = cli(
        "tenants", "create", "--name", "Contoso", "--geography", "DE", "--first-name", "Ada",
        "--last-name", "Lee", "--email", "ada@contoso.example", "--phone", "+49 30 1234",
        "--address", "1 Main St", "--city", "Berlin", "--country", "DE", "--postal-code",
        "10115", "--yes", "-o", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    created = json.loads(result.stdout)
    assert isinstance(created, dict)
    assert (created["name"], created["dataGeography"]) == ("Contoso", "DE")
    shown = cli("tenants", "get", "contoso", "-o", "json")
    assert json.loads(shown.stdout)["id"] == created["id"]
    assert cli("tenants", "create", "--name", "X", "--limit", "1").exit_code == 2
