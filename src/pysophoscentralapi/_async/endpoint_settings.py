"""Endpoint API settings: allowed/blocked items, web-control local sites, tamper protection, exclusions.

Reached as ``central.settings``; each list of settings is a sub-namespace::

    async with AsyncSophosCentral.from_config() as central:
        async for item in central.settings.allowed_items.list():
            print(item.type, item.properties.sha256, item.comment)
        await central.settings.blocked_items.add(sha256="ab" * 32, comment="ransomware")

Every argument is checked before anything is sent: an unknown type, a malformed SHA-256 or id
raises :class:`ValueError` naming the parameter (and the valid values).

Deleting answers 200 ``{"deleted": true}`` whether or not the item existed (the API's behaviour),
so ``delete()`` returning ``True`` does not prove the id was ever there.
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping, Sequence

from pysophoscentralapi._async._collection import Adds, AsyncCrud, Deletes, Gets, Lists
from pysophoscentralapi._async._resource import AsyncResource
from pysophoscentralapi._families.endpoint_settings import (
    ALLOWED_ITEMS,
    BLOCKED_ADDRESSES,
    BLOCKED_ITEMS,
    DETECTED_EXPLOITS,
    EXCLUDED_WEBSITES,
    EXPLOIT_APPLICATIONS,
    EXPLOIT_MITIGATION,
    INTRUSION_PREVENTION_EXCLUSIONS,
    ISOLATION_EXCLUSIONS,
    LOCAL_SITES,
    PERIPHERALS,
    SCANNING_EXCLUSIONS,
    SETTINGS,
    TLS_DECRYPTION,
    check_address,
    event_journal_body,
    event_journal_path,
    excluded_websites_body,
    tls_categories_body,
)
from pysophoscentralapi._page import validate_item
from pysophoscentralapi._validation import check_choice, check_uuid, check_uuids
from pysophoscentralapi.models.endpoint_settings import (
    AllowedItem,
    BlockedAddress,
    BlockedItem,
    DetectedExploit,
    EventJournalSettings,
    ExcludedWebsite,
    ExcludedWebsitesChange,
    ExploitMitigationApplication,
    ExploitMitigationCategory,
    GlobalTamperProtection,
    LocalSite,
    NetworkExclusion,
    Peripheral,
    ScanningExclusion,
    TlsDecryptionSettings,
    UnblockResult,
    WebControlCategory,
)

__all__ = [
    "AsyncAllowedItems",
    "AsyncBlockedAddresses",
    "AsyncBlockedItems",
    "AsyncEndpointSettings",
    "AsyncIntrusionPreventionExclusions",
    "AsyncIsolationExclusions",
    "AsyncLocalSites",
    "AsyncScanningExclusions",
    "AsyncTamperProtectionSettings",
    "AsyncWebControl",
    "check_choice",
    "check_id",
]


def check_id(value: str, name: str = "id") -> str:
    """``value`` as a lower-case UUID, or :class:`ValueError` naming ``name``.

    >>> check_id("3F2C1D6E-8F7A-4B7E-9A55-1C2D3E4F5A6B", "item_id")
    '3f2c1d6e-8f7a-4b7e-9a55-1c2d3e4f5a6b'
    """
    return check_uuid(value, name, noun="an id")


class AsyncAllowedItems(AsyncCrud[AllowedItem]):
    """Applications exempted from detection: ``central.settings.allowed_items``.

    ``add(type=..., sha256=|path=|certificate_signer=..., comment=..., file_name=...,
    origin_person_id=..., origin_endpoint_id=...)``: the argument named by ``type`` is required;
    an item that already exists raises :class:`~pysophoscentralapi.ConflictError`.
    ``update(id, comment=...)``: the comment is all the API lets you change.

    Example::

        item = await central.settings.allowed_items.add(
            type="sha256", sha256="ba7816bf" * 8, file_name="tool.exe", comment="In-house tool"
        )
        await central.settings.allowed_items.update(item.id, comment="Approved by CISO")
    """

    collection = ALLOWED_ITEMS


class AsyncBlockedItems(
    Lists[BlockedItem], Gets[BlockedItem], Adds[BlockedItem], Deletes[BlockedItem]
):
    """Applications blocked by SHA-256: ``central.settings.blocked_items`` (no update in the API).

    Example::

        await central.settings.blocked_items.add(sha256=digest, comment="Credential stealer")
        hashes = [item.properties.sha256 async for item in central.settings.blocked_items.list()]
    """

    collection = BLOCKED_ITEMS


class AsyncLocalSites(AsyncCrud[LocalSite]):
    """Web-control local sites: ``central.settings.web_control.local_sites``.

    ``add(url, category_id=..., tags=[...], comment=...)``; ``update(id, ...)`` sends only the
    arguments given.

    Example::

        await central.settings.web_control.local_sites.add(
            "intranet.example.com", category_id=50, tags=["intranet"], comment="Our wiki"
        )
    """

    collection = LOCAL_SITES


class AsyncExcludedWebsites(Lists[ExcludedWebsite]):
    """Websites TLS decryption leaves alone:
    ``central.settings.web_control.tls_decryption.excluded_websites``.

    Example::

        await central.settings.web_control.tls_decryption.excluded_websites.change(
            add=[("bank.example", "Banking")]
        )
    """

    collection = EXCLUDED_WEBSITES

    async def change(
        self,
        *,
        add: Sequence[str | tuple[str, str]] = (),
        remove: Sequence[str | tuple[str, str]] = (),
    ) -> ExcludedWebsitesChange:
        """Add and/or remove excluded websites (each a value, or ``(value, comment)``)."""
        body = excluded_websites_body(add=add, remove=remove)
        answer = await self._request("PATCH", EXCLUDED_WEBSITES.path, json=body)
        return self._result(ExcludedWebsitesChange, answer)

    async def clear(self) -> bool:
        """Remove every excluded website (``DELETE``); ``True`` when the API says so."""
        return self._deleted(await self._request("DELETE", EXCLUDED_WEBSITES.path))


class AsyncTlsDecryption(AsyncResource):
    """Web-control TLS decryption: ``central.settings.web_control.tls_decryption``.

    Example::

        await central.settings.web_control.tls_decryption.update({10: True, 14: False})
    """

    excluded_websites: AsyncExcludedWebsites

    async def get(self) -> TlsDecryptionSettings:
        """Which web categories are decrypted, and the first excluded websites."""
        body = await self._request("GET", TLS_DECRYPTION)
        return validate_item(TlsDecryptionSettings, body)

    async def update(self, categories: Mapping[int, bool]) -> TlsDecryptionSettings:
        """Turn TLS decryption on or off per web category id."""
        body = tls_categories_body(categories)
        return self._result(
            TlsDecryptionSettings, await self._request("PATCH", TLS_DECRYPTION, json=body)
        )


class AsyncWebControl(AsyncResource):
    """Web-control settings: ``central.settings.web_control`` (``.local_sites``,
    ``.tls_decryption``, ``categories()``)."""

    local_sites: AsyncLocalSites
    tls_decryption: AsyncTlsDecryption

    async def categories(self) -> builtins.list[WebControlCategory]:
        """The web-control categories (ids for a local site's ``category_id``).

        Example::

            names = {c.id: c.name for c in await central.settings.web_control.categories()}
        """
        body = await self._request("GET", f"{SETTINGS}/web-control/categories")
        if isinstance(body, dict) and isinstance(body.get("items"), builtins.list):
            body = body["items"]
        if not isinstance(body, builtins.list):
            body = [body]
        return [validate_item(WebControlCategory, row) for row in body]


class AsyncScanningExclusions(AsyncCrud[ScanningExclusion]):
    """Scanning exclusions: ``central.settings.scanning_exclusions``.

    Types: see :data:`~pysophoscentralapi.models.endpoint_settings.SCANNING_EXCLUSION_TYPES`;
    scan modes ``onDemand``, ``onAccess``, ``onDemandAndOnAccess`` (the API picks a default:
    both for path types, on access for the others; none for ``behavioral``/``exploitMitigation``).
    Exclusions set by a partner or enterprise admin (``locked_by_managing_account``) cannot be
    changed or deleted here (:class:`~pysophoscentralapi.PermissionDeniedError`).

    Example::

        await central.settings.scanning_exclusions.add(
            "D:\\\\Backups\\\\", type="path", scan_mode="onDemand", comment="Backup volume"
        )
        async for exclusion in central.settings.scanning_exclusions.list(type="process"):
            print(exclusion.value, exclusion.scan_mode)
    """

    collection = SCANNING_EXCLUSIONS


class AsyncIsolationExclusions(AsyncCrud[NetworkExclusion]):
    """Traffic an isolated endpoint may still exchange: ``central.settings.isolation_exclusions``.

    ``add(direction="inbound"|"outbound"|"both", local_ports=[...], remote_ports=[...],
    remote_addresses=[...], comment=...)`` (ports and/or addresses); ``update(id, ...)`` sends
    only the arguments given.

    Example::

        await central.settings.isolation_exclusions.add(
            direction="inbound", local_ports=[3389], remote_addresses=["10.50.100.100"]
        )
    """

    collection = ISOLATION_EXCLUSIONS


class AsyncIntrusionPreventionExclusions(AsyncCrud[NetworkExclusion]):
    """Traffic intrusion prevention leaves alone:
    ``central.settings.intrusion_prevention_exclusions`` (ids are 64 hexadecimal characters).

    Example::

        await central.settings.intrusion_prevention_exclusions.add(
            direction="outbound", remote_ports=[8443], comment="Backup service"
        )
    """

    collection = INTRUSION_PREVENTION_EXCLUSIONS


class AsyncBlockedAddresses(Lists[BlockedAddress]):
    """IP addresses, networks and ranges blocked from the endpoints:
    ``central.settings.blocked_addresses`` (``list``, ``block`` many, ``unblock`` many).

    Example::

        await central.settings.blocked_addresses.block(["203.0.113.7", "198.51.100.0/24"])
        async for address in central.settings.blocked_addresses.list(sort="item"):
            print(address.item)
    """

    collection = BLOCKED_ADDRESSES

    async def block(self, addresses: Sequence[str]) -> builtins.list[BlockedAddress]:
        """Block addresses, networks (``a.b.c.d/n``) or ranges (``a-b``), IPv4 or IPv6.

        Example::

            added = await central.settings.blocked_addresses.block(["1.3.2.3-1.3.2.6"])
        """
        if isinstance(addresses, str):
            addresses = [addresses]
        items = [check_address(address) for address in addresses]
        if not items:
            raise ValueError("addresses: give at least one")
        body = {"items": [{"item": items}]}
        answer = await self._request("POST", f"{BLOCKED_ADDRESSES.path}/bulk", json=body)
        rows = answer.get("items", []) if isinstance(answer, dict) else []
        return [validate_item(BlockedAddress, row) for row in rows if isinstance(row, dict)]

    async def unblock(self, ids: Sequence[str]) -> UnblockResult:
        """Unblock addresses by id; the answer lists the ids that could not be deleted.

        Example::

            result = await central.settings.blocked_addresses.unblock([address.id])
            assert not result.failed_to_delete
        """
        body = {"ids": check_uuids(ids, "ids", noun="an id")}
        answer = await self._request("POST", f"{BLOCKED_ADDRESSES.path}/bulk/delete", json=body)
        return self._result(UnblockResult, answer)


class AsyncExploitMitigationApplications(AsyncCrud[ExploitMitigationApplication]):
    """Applications exploit mitigation protects:
    ``central.settings.exploit_mitigation.applications`` (``add(paths)``; ``update(id,
    paths=..., protected=..., settings={"HeapSpray": False})``).

    Example::

        app = await central.settings.exploit_mitigation.applications.add(["$programfiles\\\\Foo\\\\foo.exe"])
    """

    collection = EXPLOIT_APPLICATIONS


class AsyncDetectedExploits(Lists[DetectedExploit], Gets[DetectedExploit]):
    """Exploits detected on the endpoints: ``central.settings.exploit_mitigation.detected_exploits``."""

    collection = DETECTED_EXPLOITS


class AsyncExploitMitigation(AsyncResource):
    """Exploit mitigation: ``central.settings.exploit_mitigation`` (``.applications``,
    ``.detected_exploits``, ``categories()``)."""

    applications: AsyncExploitMitigationApplications
    detected_exploits: AsyncDetectedExploits

    async def categories(self) -> builtins.list[ExploitMitigationCategory]:
        """The application categories and their mitigation settings.

        Example::

            names = [c.name for c in await central.settings.exploit_mitigation.categories()]
        """
        body = await self._request("GET", f"{EXPLOIT_MITIGATION}/categories")
        rows = body.get("items", []) if isinstance(body, dict) else []
        return [validate_item(ExploitMitigationCategory, row) for row in rows]


class AsyncPeripherals(Lists[Peripheral], Gets[Peripheral]):
    """Peripherals peripheral control has seen: ``central.settings.peripherals``.

    Example::

        async for device in central.settings.peripherals.list(type=["removableStorage"]):
            print(device.model, device.last_endpoint_hostname)
    """

    collection = PERIPHERALS


class AsyncEventJournal(AsyncResource):
    """Event-journal disk limits of computers and servers: ``central.settings.event_journal``.

    Example::

        await central.settings.event_journal.update("server", disk_space_limit_in_mb=15000)
    """

    async def get(self, endpoint_type: str) -> EventJournalSettings:
        """The settings for ``computer`` or ``server``."""
        path = event_journal_path(endpoint_type)
        return validate_item(EventJournalSettings, await self._request("GET", path))

    async def update(
        self,
        endpoint_type: str,
        *,
        use_recommended: bool | None = None,
        disk_space_limit_in_mb: int | None = None,
        disk_space_limit_as_percentage: int | None = None,
    ) -> EventJournalSettings:
        """Change the limits (or go back to the recommended ones with ``use_recommended``)."""
        path = event_journal_path(endpoint_type)
        body = event_journal_body(
            use_recommended=use_recommended,
            disk_space_limit_in_mb=disk_space_limit_in_mb,
            disk_space_limit_as_percentage=disk_space_limit_as_percentage,
        )
        return self._result(EventJournalSettings, await self._request("PATCH", path, json=body))


class AsyncTamperProtectionSettings(AsyncResource):
    """The tenant-wide Tamper Protection switch: ``central.settings.tamper_protection``.

    The API only reads it (``GET /endpoint/v1/settings/tamper-protection``); there is no
    operation to change it. Per-endpoint tamper protection is ``central.endpoints``' business.
    """

    async def get(self) -> GlobalTamperProtection:
        """Whether Tamper Protection is on for the tenant.

        Example::

            if not (await central.settings.tamper_protection.get()).enabled:
                print("global tamper protection is off")
        """
        body = await self._request("GET", f"{SETTINGS}/tamper-protection")
        return validate_item(GlobalTamperProtection, body)


class AsyncEndpointSettings(AsyncResource):
    """Endpoint API settings: allowed/blocked items, web-control local sites, tamper protection, exclusions.

    Example::

        async for item in central.settings.blocked_items.list():
            print(item.properties.sha256, item.comment)
        print((await central.settings.tamper_protection.get()).enabled)
    """

    allowed_items: AsyncAllowedItems
    blocked_items: AsyncBlockedItems
    web_control: AsyncWebControl
    tamper_protection: AsyncTamperProtectionSettings
    scanning_exclusions: AsyncScanningExclusions
    isolation_exclusions: AsyncIsolationExclusions
    blocked_addresses: AsyncBlockedAddresses
    exploit_mitigation: AsyncExploitMitigation
    peripherals: AsyncPeripherals
    event_journal: AsyncEventJournal
    intrusion_prevention_exclusions: AsyncIntrusionPreventionExclusions
