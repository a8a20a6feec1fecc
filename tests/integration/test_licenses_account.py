"""Licensing and Account Management against the emulator (global host, tenant in X-Tenant-ID)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pysophoscentralapi import NotFoundError, PermissionDeniedError, TenantRequiredError
from tests.conftest import Cli
from tests.integration.conftest import sync_client


@pytest.fixture
def emu(make_emulator: Any) -> Any:
    return make_emulator(tenants=4, endpoints=30, endpoints_per_tenant=10, alerts=5)


def test_licenses_count_the_tenants_endpoints(emu: Any) -> None:
    central = sync_client(emu)
    found = central.licenses.get()
    assert found.tenant.id == emu.state.demo_tenant.id
    used = sum(
        lic.usage.current.count for lic in found.licenses if lic.product.code in ("CIXA", "CIXAS")
    )
    assert used == len(emu.state.demo_tenant.endpoints)
    assert all(lic.quantity >= lic.usage.current.count for lic in found.licenses)


def test_firewalls_of_a_tenant_and_of_the_partner(emu: Any) -> None:
    partner = sync_client(emu, "partner")
    everything = partner.licenses.firewalls(page_size=1).to_list()
    tenants = [t for t in partner.tenants.list() if t.api_host]
    per_tenant: list[Any] = []
    for tenant in tenants:
        try:
            per_tenant += partner.for_tenant(tenant.id).licenses.firewalls().to_list()
        except PermissionDeniedError:
            per_tenant += [f for f in everything if f.tenant.id == tenant.id]
    assert sorted(f.serial_number for f in per_tenant) == sorted(
        f.serial_number for f in everything if f.tenant.id in {t.id for t in tenants}
    )
    assert all(f.owner.type == "partner" for f in everything)
    with pytest.raises(TenantRequiredError):
        sync_client(emu, "organization").licenses.get()


def test_access_tokens_lifecycle(emu: Any) -> None:
    tokens = sync_client(emu).account.access_tokens
    seeded = tokens.list().to_list()
    made = tokens.create(label="Linux fleet", type="sls", expires_at="2030-01-01T00:00:00Z")
    assert made.type == "sophosLinuxSensor"
    assert made.token
    assert made.token not in repr(made)
    assert made.expires_at.year == 2030
    assert [t.id for t in tokens.list()] == [*(t.id for t in seeded), made.id]
    renamed = tokens.update(made.id, label="Linux fleet (prod)")
    assert renamed.label == "Linux fleet (prod)"
    tokens.revoke(made.id)
    assert made.id not in [t.id for t in tokens.list()]
    with pytest.raises(NotFoundError):
        tokens.update(made.id, label="gone")
    with pytest.raises(ValueError, match="nothing to update"):
        tokens.update(made.id)


def test_a_tenant_without_a_server_license_cannot_create_tokens(emu: Any) -> None:
    partner = sync_client(emu, "partner")
    trial = next(t for t in partner.tenants.list() if t.billing_type == "trial" and t.api_host)
    with pytest.raises(PermissionDeniedError, match="licenses"):
        partner.for_tenant(trial.id).account.access_tokens.create(label="x")


def test_cli_licenses_and_tokens(emu: Any, isolated_env: dict[str, str]) -> None:
    cli = Cli(env={**isolated_env, **emu.env("tenant")})
    listed = cli("licenses", "-o", "json")
    assert listed.exit_code == 0, listed.output
    assert {row["product"]["code"] for row in json.loads(listed.stdout)} >= {"CIXA"}
    created = cli(
        "account",
        "tokens",
        "create",
        "--label",
        "LX",
        "--expires",
        "2030-06-30",
        "--yes",
        "-o",
        "json",
    )
    assert created.exit_code == 0, created.output
    token = json.loads(created.stdout)
    assert token["token"]  # shown once, when asked to create it
    assert token["expiresAt"].startswith("2030-06-30T00:00:00")
    hidden = cli("account", "tokens", "list", "-o", "json")
    assert token["token"] not in hidden.stdout
    assert "token" not in json.loads(hidden.stdout)[0]
    shown = cli("account", "tokens", "list", "--show-token", "-o", "json")
    assert token["token"] in shown.stdout
    assert (
        cli("account", "tokens", "create", "--label", "x", "--expires", "soon", "--yes").exit_code
        == 2
    )
    assert cli("account", "tokens", "update", token["id"], "--label", "LX2", "--yes").exit_code == 0
    unknown = "00000000-0000-4000-8000-000000000000"
    revoked = cli("account", "tokens", "revoke", token["id"], unknown, "--yes", "-o", "json")
    statuses = {row["id"]: (row["status"], row["name"]) for row in json.loads(revoked.stdout)}
    assert statuses == {token["id"]: ("ok", "LX2"), unknown: ("not-found", None)}
    assert revoked.exit_code == 4
    assert "revoked 1 of 2; 1 not found" in revoked.stderr
    assert token["id"] not in cli("account", "tokens", "list", "-o", "json").stdout
    partner = Cli(env={**isolated_env, **emu.env("partner")})
    fleet = partner("--all-tenants", "licenses", "-o", "json")
    assert fleet.exit_code == 6  # the refused and the inactive tenant
    assert {row["tenant_name"] for row in json.loads(fleet.stdout)}
    firewalls = partner("licenses", "firewalls", "-o", "json")
    assert firewalls.exit_code == 0, firewalls.output
