"""The Partner API against the emulator: tenant creation then use, admins and roles, billing."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from pysophoscentralapi import ConfigError, ConflictError, NotFoundError
from tests.conftest import Cli
from tests.integration.conftest import sync_client

CONTACT = {
    "firstName": "Ada",
    "lastName": "Lee",
    "email": "ada@contoso.example",
    "phone": "+49 30 1234",
    "address": {
        "address1": "1 Main St",
        "city": "Berlin",
        "countryCode": "DE",
        "postalCode": "10115",
    },
}


@pytest.fixture
def emu(make_emulator: Any) -> Any:
    return make_emulator(tenants=4, endpoints=20, endpoints_per_tenant=8, alerts=5)


def _last_month() -> tuple[int, int]:
    now = datetime.now(UTC)
    return (now.year - 1, 12) if now.month == 1 else (now.year, now.month - 1)


def test_created_tenant_is_listed_and_usable_at_once(emu: Any) -> None:
    central = sync_client(emu, "partner")
    new = central.tenants.create(name="Contoso", data_geography="DE", contact=CONTACT)
    assert new.data_region == "eu02"
    assert new.api_host.endswith("/region/eu02")
    assert new.billing_type == "trial"
    assert new.id in [t.id for t in central.tenants.list()]
    assert central.tenants.get(new.id).name == "Contoso"
    tenant = central.for_tenant(new.id)
    assert tenant.endpoints.list().to_list() == []
    check = tenant.health_check()
    assert check.tenant.id == new.id
    assert next(s for s in check.scores() if s.area == "protection.computer").score == 100
    assert [lic.type for lic in tenant.licenses.get().licenses] == ["trial"] * len(
        tenant.licenses.get().licenses
    )


def test_tenant_creation_is_checked_before_sending(emu: Any) -> None:
    central = sync_client(emu, "partner")
    with pytest.raises(ValueError, match="data_geography"):
        central.tenants.create(name="X", data_geography="XX", contact=CONTACT)
    with pytest.raises(ValueError, match=r"address\.city"):
        central.tenants.create(
            name="X", data_geography="US", contact={**CONTACT, "address": {"address1": "a"}}
        )
    with pytest.raises(ConfigError, match="partner credentials"):
        sync_client(emu, "organization").tenants.create(
            name="X", data_geography="US", contact=CONTACT
        )


def test_cli_tenants_create_then_use_by_name(emu: Any, isolated_env: dict[str, str]) -> None:
    cli = Cli(env={**isolated_env, **emu.env("partner")})
    args = [
        "tenants", "create", "--name", "Contoso", "--geography", "DE", "--first-name", "Ada",
        "--last-name", "Lee", "--email", "ada@contoso.example", "--phone", "+49 30 1234",
        "--address", "1 Main St", "--city", "Berlin", "--country", "DE", "--postal-code", "10115",
    ]  # fmt: skip
    assert cli(*args).exit_code == 2  # no terminal, no --yes
    created = cli(*args, "--yes", "-o", "json")
    assert created.exit_code == 0, created.output
    assert json.loads(created.stdout)["dataRegion"] == "eu02"
    health = cli("--tenant", "Contoso", "health", "-o", "json")
    assert health.exit_code == 0, health.output
    assert len(json.loads(health.stdout)) == 10


def test_partner_roles_crud(emu: Any) -> None:
    roles = sync_client(emu, "partner").partner.roles
    predefined = roles.list(type="predefined").to_list()
    assert "Super Admin" in [r.name for r in predefined]
    made = roles.create(name="Tenant operators", permission_sets=["partner_tenant_admin"])
    assert made.type == "custom"
    assert roles.get(made.id).permission_sets == ["partner_tenant_admin"]
    changed = roles.update(made.id, description="Run customer tenants")
    assert changed.description == "Run customer tenants"
    with pytest.raises(ValueError, match="partner_super_admin"):
        roles.create(name="Sneaky", permission_sets=["partner_super_admin"])
    with pytest.raises(ConflictError):
        roles.delete(predefined[0].id)
    roles.delete(made.id)
    with pytest.raises(NotFoundError):
        roles.get(made.id)
    assert {p.id for p in roles.permission_sets()} >= {"partner_admin", "partner_billing"}


def test_partner_admins_and_role_assignments(emu: Any) -> None:
    central = sync_client(emu, "partner")
    admins = central.partner.admins
    by_name = {r.name: r.id for r in central.partner.roles.list()}
    tenant = next(iter(central.tenants.list()))
    admin = admins.create(
        username="olga.ops@msp.example",
        first_name="Olga",
        last_name="Ops",
        role_id=by_name["Read-only"],
        scope_type="tenant",
        tenant_id=tenant.id,
    )
    assert admin.profile.name == "Olga Ops"
    assert admin.role_assignments[0].scope.type == "tenant"
    assert admins.get(admin.id).username == "olga.ops@msp.example"
    assert [a.id for a in admins.list(email="olga.ops@msp.example")] == [admin.id]
    assert admin.id in [a.id for a in admins.list(with_access_to_tenant=tenant.id)]
    added = admins.assign_role(admin.id, by_name["Billing"])
    assert added.scope.type == "self"
    assert len(admins.role_assignments(admin.id).to_list()) == 2
    assert admins.get_role_assignment(admin.id, added.id).role_id == by_name["Billing"]
    admins.remove_role_assignment(admin.id, added.id)
    assert [ra.id for ra in admins.role_assignments(admin.id)] == [admin.role_assignments[0].id]
    assert [a.id for a in admins.list(role_id=by_name["Billing"])] != [admin.id]
    with pytest.raises(ConflictError):
        admins.create(username="olga.ops@msp.example", role_id=by_name["Admin"])
    with pytest.raises(ValueError, match="tenant_id"):
        admins.create(username="x@msp.example", role_id=by_name["Admin"], scope_type="tenant")
    # The last Super Admin keeps the role.
    supers = admins.list(role_id=by_name["Super Admin"]).to_list()
    assert len(supers) == 2
    admins.remove_role_assignment(supers[0].id, supers[0].role_assignments[0].id)
    with pytest.raises(ConflictError):
        admins.remove_role_assignment(supers[1].id, supers[1].role_assignments[0].id)


def test_partner_api_needs_partner_credentials(emu: Any) -> None:
    with pytest.raises(ConfigError, match="Partner API needs partner credentials"):
        sync_client(emu, "tenant").partner.admins.list().to_list()


def test_billing_usage_for_a_month(emu: Any) -> None:
    central = sync_client(emu, "partner")
    year, month = _last_month()
    lines = central.partner.billing.usage(year, month, page_size=2).to_list()
    tenants = {t.id: t for t in central.tenants.list()}
    billed = {i for i, t in tenants.items() if t.billing_type != "trial" and t.status == "active"}
    assert {line.account_id for line in lines} == billed
    assert all(line.billing_start_date.month == month for line in lines)
    assert all(line.billable_quantity >= line.actual_quantity for line in lines)
    one = next(iter(billed))
    assert {
        line.account_id for line in central.partner.billing.usage(year, month, account_id=one)
    } == {one}
    now = datetime.now(UTC)
    with pytest.raises(NotFoundError):
        central.partner.billing.usage(now.year + 1, 1).to_list()
    with pytest.raises(ValueError, match="month"):
        central.partner.billing.usage(2026, 13)


def test_cli_partner_commands(emu: Any, isolated_env: dict[str, str]) -> None:
    cli = Cli(env={**isolated_env, **emu.env("partner")})
    year, month = _last_month()
    usage = cli("partner", "billing", "usage", f"{year}-{month:02d}", "-o", "json")
    assert usage.exit_code == 0, usage.output
    assert json.loads(usage.stdout)
    assert cli("partner", "billing", "usage", "2026-13").exit_code == 2
    created = cli(
        "partner", "admins", "create", "--username", "hal@msp.example", "--first-name", "Hal",
        "--last-name", "Help", "--role", "read-only", "--scope", "tenant", "--scope-tenant",
        "Acme Corp", "--yes", "-o", "json",
    )  # fmt: skip
    assert created.exit_code == 0, created.output
    admin = json.loads(created.stdout)
    listed = json.loads(
        cli("partner", "admins", "list", "--role", "Read-only", "-o", "json").stdout
    )
    assert admin["id"] in [a["id"] for a in listed]
    got = cli("partner", "admins", "get", "HAL@msp.example", "-o", "json")  # by username
    assert json.loads(got.stdout)["username"] == "hal@msp.example"  # one record, not a list
    assert cli("partner", "admins", "get", admin["id"], "--limit", "1").exit_code == 2
    nobody = cli("partner", "admins", "get", "hal@msp.exampl")
    assert (nobody.exit_code, "did you mean: 'hal@msp.example'" in nobody.stderr) == (2, True)
    assign = cli(
        "partner", "admins", "assign", "hal@msp.example", "--role", "Billing", "--yes", "-o", "json"
    )
    assert assign.exit_code == 0, assign.output
    assignment = json.loads(assign.stdout)
    unknown = "00000000-0000-4000-8000-000000000000"
    removed = cli(
        "partner", "admins", "unassign", admin["id"], assignment["id"], unknown, "--yes",
        "-o", "json",
    )  # fmt: skip
    statuses = {row["id"]: row["status"] for row in json.loads(removed.stdout)}
    assert statuses == {assignment["id"]: "ok", unknown: "not-found"}
    assert removed.exit_code == 4
    rows = json.loads(
        cli("partner", "admins", "role-assignments", admin["id"], "-o", "json").stdout
    )
    assert [r["scope"]["type"] for r in rows] == ["tenant"]
    role = cli(
        "partner", "roles", "create", "--name", "Ops", "-p", "partner_tenant_admin", "--yes",
        "-o", "json",
    )  # fmt: skip
    assert role.exit_code == 0, role.output
    assert (
        json.loads(
            cli("partner", "roles", "get", json.loads(role.stdout)["id"], "-o", "json").stdout
        )["name"]
        == "Ops"
    )
    assert cli("--all-tenants", "partner", "roles", "list").exit_code == 2
    unknown = cli("partner", "admins", "create", "--username", "z@msp.example", "--first-name",
                  "Z", "--last-name", "Z", "--role", "Nope", "--yes")  # fmt: skip
    assert unknown.exit_code == 2
    assert "Super Admin" in unknown.stderr
