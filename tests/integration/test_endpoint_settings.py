"""``central.settings`` against the emulator over real HTTP on loopback, sync and async.

Tests that need exact counts use their own emulator (``make_emulator``); tests on the shared one
create and delete their own items and only assert about those.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

import pytest

from pysophoscentralapi import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
)
from pysophoscentralapi.models import (
    AllowedItemType,
    ScanMode,
    ScanningExclusionType,
)
from tests.integration.conftest import async_client, sync_client


def digest(label: str) -> str:
    """A distinct, valid SHA-256 per label (and per test run, so reruns do not collide)."""
    return hashlib.sha256(f"{label}-{uuid.uuid4()}".encode()).hexdigest()


# --- allowed items ------------------------------------------------------------------------------


def test_allowed_items_added_across_several_pages_and_deleted(make_emulator: Any) -> None:
    emulator = make_emulator()
    with sync_client(emulator) as central:
        allowed = central.settings.allowed_items
        seeded = {item.id for item in allowed.list()}
        added = [
            allowed.add(type="sha256", sha256=digest(f"a{n}"), comment=f"tool {n}")
            for n in range(7)
        ]
        pages = list(allowed.list(page_size=3).pages())
        listed = [item.id for page in pages for item in page.items]

        assert len(pages) == -(-(len(seeded) + 7) // 3)
        assert all(len(page) <= 3 for page in pages)
        assert len(listed) == len(set(listed)) == len(seeded) + 7
        assert {item.id for item in added} <= set(listed)
        assert pages[0].info.total_items == len(seeded) + 7

        for item in added:
            assert allowed.delete(item.id) is True
        assert {item.id for item in allowed.list(page_size=2)} == seeded


def test_allowed_item_round_trip_and_comment_update(sophos_emulator: Any) -> None:
    sha = digest("roundtrip").upper()
    with sync_client(sophos_emulator) as central:
        allowed = central.settings.allowed_items
        created = allowed.add(
            type="sha256",
            sha256=sha,
            file_name="tool.exe",
            comment="first",
            origin_endpoint_id=str(uuid.uuid4()),
        )
        try:
            assert created.type is AllowedItemType.SHA256
            assert created.properties.sha256 == sha
            assert created.properties.file_name == "tool.exe"
            assert created.origin_endpoint is not None
            assert created.created_at is not None

            updated = allowed.update(created.id, comment="approved by CISO")
            assert updated.comment == "approved by CISO"
            assert allowed.get(created.id).comment == "approved by CISO"
        finally:
            allowed.delete(created.id)
        with pytest.raises(NotFoundError):
            allowed.get(created.id)


def test_allowed_item_path_and_certificate_signer(sophos_emulator: Any) -> None:
    with sync_client(sophos_emulator) as central:
        allowed = central.settings.allowed_items
        by_path = allowed.add(type="path", path=f"C:\\Tools\\{uuid.uuid4()}.exe", comment="p")
        by_signer = allowed.add(
            type="certificateSigner", certificate_signer=f"Signer {uuid.uuid4()}", comment="s"
        )
        try:
            assert by_path.type is AllowedItemType.PATH
            assert by_signer.type is AllowedItemType.CERTIFICATE_SIGNER
            ids = {item.id for item in allowed.list()}
            assert {by_path.id, by_signer.id} <= ids
        finally:
            allowed.delete(by_path.id)
            allowed.delete(by_signer.id)


def test_adding_the_same_sha256_twice_is_a_conflict(sophos_emulator: Any) -> None:
    sha = digest("twice")
    with sync_client(sophos_emulator) as central:
        first = central.settings.allowed_items.add(type="sha256", sha256=sha, comment="one")
        try:
            with pytest.raises(ConflictError) as caught:
                central.settings.allowed_items.add(type="sha256", sha256=sha, comment="two")
            assert caught.value.status_code == 409
        finally:
            central.settings.allowed_items.delete(first.id)


def test_deleting_an_absent_item_still_answers_deleted(sophos_emulator: Any) -> None:
    with sync_client(sophos_emulator) as central:
        assert central.settings.allowed_items.delete(str(uuid.uuid4())) is True
        assert central.settings.blocked_items.delete(str(uuid.uuid4())) is True


# --- blocked items ------------------------------------------------------------------------------


def test_blocked_items_across_pages_conflict_and_delete(make_emulator: Any) -> None:
    emulator = make_emulator()
    with sync_client(emulator) as central:
        blocked = central.settings.blocked_items
        seeded = {item.id for item in blocked.list()}
        hashes = [digest(f"b{n}") for n in range(5)]
        added = [blocked.add(sha256=sha, comment="malware", file_name="evil.exe") for sha in hashes]
        with pytest.raises(ConflictError):
            blocked.add(sha256=hashes[0].upper(), comment="again")

        pages = list(blocked.list(page_size=2).pages())
        assert len(pages) == -(-(len(seeded) + 5) // 2)
        listed = {item.properties.sha256 for page in pages for item in page.items}
        assert set(hashes) <= listed
        assert blocked.get(added[0].id).properties.file_name == "evil.exe"

        for item in added:
            blocked.delete(item.id)
        assert {item.id for item in blocked.list()} == seeded


# --- web control local sites --------------------------------------------------------------------


def test_local_sites_crud(sophos_emulator: Any) -> None:
    url = f"{uuid.uuid4().hex[:8]}.intranet.example"
    with sync_client(sophos_emulator) as central:
        sites = central.settings.web_control.local_sites
        site = sites.add(url, category_id=50, tags=["intranet"], comment="wiki")
        try:
            assert (site.url, site.category_id, site.tags, site.comment) == (
                url,
                50,
                ["intranet"],
                "wiki",
            )
            assert site.id in {s.id for s in sites.list(page_size=1)}
            changed = sites.update(site.id, comment="moved", tags=["intranet", "docs"])
            assert (changed.url, changed.comment, changed.tags) == (
                url,
                "moved",
                ["intranet", "docs"],
            )
            assert sites.get(site.id).comment == "moved"
        finally:
            assert sites.delete(site.id) is True
        with pytest.raises(NotFoundError):
            sites.get(site.id)


# --- tamper protection --------------------------------------------------------------------------


def test_global_tamper_protection_reflects_the_tenant_setting(make_emulator: Any) -> None:
    with sync_client(make_emulator(global_tamper_protection=False)) as central:
        assert central.settings.tamper_protection.get().enabled is False
    with sync_client(make_emulator()) as central:
        assert central.settings.tamper_protection.get().enabled is True


def test_partner_credentials_reach_a_tenants_settings(make_emulator: Any) -> None:
    emulator = make_emulator()
    with sync_client(emulator, "partner") as central:
        tenant = next(iter(central.tenants.list()))
        blocked = central.for_tenant(tenant.id).settings.blocked_items.list().to_list()
    assert "mimikatz.exe" in {item.properties.file_name for item in blocked}


# --- scanning exclusions ------------------------------------------------------------------------


def test_scanning_exclusions_crud_with_type_filter(sophos_emulator: Any) -> None:
    marker = uuid.uuid4().hex[:8]
    with sync_client(sophos_emulator) as central:
        exclusions = central.settings.scanning_exclusions
        by_path = exclusions.add(f"D:\\{marker}\\", type="path", comment="backup")
        by_process = exclusions.add(
            f"C:\\{marker}.exe", type="process", scan_mode="onAccess", comment="tool"
        )
        try:
            # The API picks the default scan mode for a path.
            assert by_path.scan_mode is ScanMode.ON_DEMAND_AND_ON_ACCESS
            assert by_process.type is ScanningExclusionType.PROCESS

            processes = exclusions.list(type="process", page_size=1).to_list()
            assert by_process.id in {e.id for e in processes}
            assert all(e.type is ScanningExclusionType.PROCESS for e in processes)
            assert by_path.id not in {e.id for e in processes}

            changed = exclusions.update(by_path.id, scan_mode="onDemand", comment="nightly")
            assert (changed.scan_mode, changed.comment) == (ScanMode.ON_DEMAND, "nightly")
            assert exclusions.get(by_path.id).value == f"D:\\{marker}\\"
        finally:
            exclusions.delete(by_path.id)
            exclusions.delete(by_process.id)
        remaining = {e.id for e in exclusions.list()}
        assert by_path.id not in remaining
        assert by_process.id not in remaining


def test_locked_exclusions_cannot_be_changed_or_deleted(make_emulator: Any) -> None:
    with sync_client(make_emulator()) as central:
        exclusions = central.settings.scanning_exclusions
        locked = [e for e in exclusions.list() if e.locked_by_managing_account]
        assert locked, "the emulator seeds one exclusion locked by the managing account"
        with pytest.raises(PermissionDeniedError):
            exclusions.update(locked[0].id, comment="mine now")
        with pytest.raises(PermissionDeniedError):
            exclusions.delete(locked[0].id)
        assert exclusions.get(locked[0].id).id == locked[0].id


# --- the async face -----------------------------------------------------------------------------


async def test_async_allowed_and_blocked_items_across_pages(make_emulator: Any) -> None:
    emulator = make_emulator()
    async with async_client(emulator) as central:
        blocked = central.settings.blocked_items
        before = len(await blocked.list().to_list())
        added = [await blocked.add(sha256=digest(f"x{n}"), comment="async") for n in range(4)]
        seen = []
        async for item in blocked.list(page_size=2):
            seen.append(item.id)
        assert len(seen) == len(set(seen)) == before + 4
        assert {item.id for item in added} <= set(seen)

        allowed = await central.settings.allowed_items.add(
            type="path", path="/opt/async/tool", comment="async"
        )
        assert (await central.settings.allowed_items.update(allowed.id, comment="x")).comment == "x"
        with pytest.raises(ConflictError):
            await central.settings.allowed_items.add(
                type="path", path="/opt/async/tool", comment="again"
            )
        for item in added:
            await blocked.delete(item.id)
        assert await central.settings.allowed_items.delete(allowed.id) is True
        assert len(await blocked.list().to_list()) == before


async def test_async_sites_exclusions_and_tamper_protection(sophos_emulator: Any) -> None:
    async with async_client(sophos_emulator) as central:
        site = await central.settings.web_control.local_sites.add(
            f"{uuid.uuid4().hex[:8]}.example", tags=["a"]
        )
        exclusion = await central.settings.scanning_exclusions.add(
            f"{uuid.uuid4().hex[:8]}.example", type="web"
        )
        try:
            assert exclusion.scan_mode is ScanMode.ON_ACCESS
            webs = await central.settings.scanning_exclusions.list(type="web").to_list()
            assert exclusion.id in {e.id for e in webs}
            assert (await central.settings.web_control.local_sites.get(site.id)).tags == ["a"]
            assert isinstance((await central.settings.tamper_protection.get()).enabled, bool)
        finally:
            await central.settings.web_control.local_sites.delete(site.id)
            await central.settings.scanning_exclusions.delete(exclusion.id)
