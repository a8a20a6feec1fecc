"""The async client over the issue-17 families, end to end against the emulator."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from pysophoscentralapi import NotFoundError
from pysophoscentralapi._async.health import snooze_body
from tests.integration.conftest import async_client

CONTACT = {
    "firstName": "Ada",
    "lastName": "Lee",
    "email": "ada@contoso.example",
    "phone": "+49 30 1234",
    "mobile": None,
    "address": {"address1": "1 Main St", "city": "Berlin", "countryCode": "DE", "postalCode": "1"},
}


@pytest.fixture
def emu(make_emulator: Any) -> Any:
    return make_emulator(tenants=3, endpoints=15, endpoints_per_tenant=6, alerts=4)


async def test_partner_flow(emu: Any) -> None:
    async with async_client(emu, "partner") as central:
        new = await central.tenants.create(
            name="Contoso", show_as="Contoso GmbH", data_geography="DE", contact=CONTACT
        )
        assert new.show_as == "Contoso GmbH"
        tenant = central.for_tenant(new.id)
        check = await tenant.health_check(products=["endpoint"])
        assert check.network_device is None
        assert (await tenant.health.regional_scores()).bands
        week = datetime.now(UTC).date() - timedelta(days=6)
        history = await tenant.health.historical_scores(start_date=week)
        assert len(history.datapoints) == 7
        answer = await tenant.health.snooze(
            snooze_body(["tamperProtection.global", "exclusions.computer"], comment="new")
        )
        assert answer["endpoint"]["tamperProtection"]["global"]["snoozed"] is True
        with pytest.raises(ValueError, match="body"):
            await tenant.health.snooze({})

        roles = await central.partner.roles.list().to_list()
        read_only = next(r.id for r in roles if r.name == "Read-only")
        admin = await central.partner.admins.create(
            username="ann@msp.example",
            name="Ann A.",
            role_id=read_only,
            profile={"phone": "+1 555"},
            scope_type="allManagedTenants",
        )
        assert admin.profile.name == "Ann A."
        assert admin.profile.phone == "+1 555"
        assert (await central.partner.admins.get(admin.id)).username == "ann@msp.example"
        assignments = await central.partner.admins.role_assignments(admin.id).to_list()
        assert assignments[0].scope.type == "allManagedTenants"
        one = await central.partner.admins.get_role_assignment(admin.id, assignments[0].id)
        assert one.role_id == read_only
        searched = await central.partner.admins.list(search="ann", sort="username").to_list()
        assert [a.id for a in searched] == [admin.id]

        now = datetime.now(UTC)
        lines = await central.partner.billing.usage(now.year, now.month).to_list()
        assert all(line.billing_start_date.day == 1 for line in lines)


async def test_tenant_flow(emu: Any) -> None:
    async with async_client(emu) as central:
        licenses = await central.licenses.get()
        assert licenses.licenses
        assert await central.licenses.firewalls(sort="serialNumber").to_list() is not None
        tokens = central.account.access_tokens
        made = await tokens.create(label="X", expires_at=datetime(2031, 1, 1, tzinfo=UTC))
        assert made.expires_at.year == 2031
        changed = await tokens.update(made.id, expires_at="2032-01-01T00:00:00.000Z")
        assert changed.expires_at.year == 2032
        await tokens.revoke(made.id)
        with pytest.raises(NotFoundError):
            await tokens.revoke(made.id)
        assert [t.label for t in await tokens.list().to_list()] == ["Linux servers"]
