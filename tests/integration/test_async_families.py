"""The async faces of the new families against the emulator: each method once, with what it
must answer (the sync faces are tested at length in the families' own test files)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from pysophoscentralapi import ConflictError, NotFoundError
from tests.integration.conftest import async_client

PUA = "endpoint.pua.enabled"
TP = "threat-protection"


async def test_async_policies_every_method(make_emulator: Any) -> None:
    async with async_client(make_emulator()) as central:
        policies = central.policies
        developers = await policies.find("developers")
        assert (await policies.setting(developers.id, PUA)).value is False
        assert (await policies.update_settings(developers.id, {PUA: True}))[PUA].value is True
        assert (await policies.settings(developers.id))[PUA].value is True
        assert (await policies.reset_setting(developers.id, PUA)).value is True
        assert all(s.value == s.recommended_value
                   for s in (await policies.reset_settings(developers.id)).values())  # fmt: skip
        copy = await policies.clone(developers.id, "Async copy")
        assert copy.name == "Async copy"
        assert (await policies.update(copy.id, enabled=False)).enabled is False
        assert await policies.delete(copy.id) is True
        base = await policies.base(TP)
        assert (await policies.update_base(TP, settings={PUA: False})).id == base.id
        assert (await policies.base_settings(TP))[PUA].value is False
        assert (await policies.base_setting(TP, PUA)).value is False
        assert (await policies.update_base_setting(TP, PUA, True)).value is True
        assert (await policies.update_base_settings(TP, {PUA: False}))[PUA].value is False
        assert (await policies.reset_base_setting(TP, PUA)).value is True
        assert (await policies.reset_base_settings(TP))[PUA].value is True
        assert (await policies.clone_base(TP, "Async servers")).type == TP
        assert PUA in {d.name for d in (await policies.catalogue(TP)).definitions()}
        with pytest.raises(LookupError):
            await policies.find("no such policy")


async def test_async_groups_every_method(make_emulator: Any) -> None:
    async with async_client(make_emulator()) as central:
        groups = central.endpoint_groups
        computers = [
            e.id for e in (await central.endpoints.list(type=["computer"]).first_page()).items[:3]
        ]
        group = await groups.create("Async", endpoint_ids=computers[:1])
        change = await groups.add_endpoints(group.id, computers[1:])
        assert sorted(ref.id for ref in change.added_endpoints) == sorted(computers[1:])
        assert sorted(await groups.member_ids(group.id)) == sorted(computers)
        assert [e.id async for e in groups.members(group.id, page_size=1)] != []
        assert await groups.remove_endpoint(group.id, computers[0]) is True
        removed = await groups.remove_endpoints(group.id, computers[1:])
        assert len(removed.removed_endpoints) == 2
        assert [g.name async for g in groups.list_by_type("server")] == ["Servers"]
        with pytest.raises(LookupError):
            await groups.find("Nobody here")
        with pytest.raises(ConflictError):
            await groups.create("Async")


async def test_async_migrations_and_software(make_emulator: Any) -> None:
    emulator = make_emulator()
    usable = [t for t in emulator.state.tenants
              if t.api_host(emulator.url) is not None and t.partner_access]  # fmt: skip
    async with async_client(emulator, "partner") as partner:
        receiving, sending = partner.for_tenant(usable[0].id), partner.for_tenant(usable[1].id)
        endpoint_id = str((await sending.endpoints.list().first_page()).items[0].id)
        job = await receiving.migrations.receive(
            from_tenant=usable[1].id, endpoint_ids=[endpoint_id]
        )
        assert (await receiving.migrations.get(job.id)).mode == "receiving"
        sent = await sending.migrations.send(
            job.id, token=job.token or "", endpoint_ids=[endpoint_id]
        )
        assert sent.mode == "sending"
        statuses = [e.status async for e in receiving.migrations.endpoints(job.id)]
        assert statuses == ["inProgress"]
    async with async_client(emulator) as central:
        software = central.software
        packages = [p async for p in software.static_packages.list()]
        assert (await software.static_packages.get(packages[0].id)).id == packages[0].id
        assert (await software.add_special_package("special-windows-computer-4")).visible is True
        comment = await software.set_comment(packages[0].id, "async")
        assert (await software.comment(packages[0].id)).comment == comment.comment
        assert "async" in [c.comment for c in await software.comments()]
        assert await software.delete_comment(packages[0].id) is True
        with pytest.raises(NotFoundError):
            await software.comment(packages[0].id)
        installers = await central.downloads.get(requested_products=["interceptX"])
        assert installers.installers
        first = (await central.endpoints.list().first_page()).items[0].id
        aap = await central.endpoints.adaptive_attack_protection.update(first, enabled=False)
        assert aap.actual_state.enabled is False
        with pytest.raises(NotFoundError):
            await central.endpoints.adaptive_attack_protection.get(str(uuid.uuid4()))
