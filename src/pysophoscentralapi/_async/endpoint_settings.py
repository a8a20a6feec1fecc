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
from collections.abc import Sequence
from typing import Any, Generic

from pysophoscentralapi._async._pagination import AsyncPaginator
from pysophoscentralapi._async._resource import AsyncResource
from pysophoscentralapi._async._transport import AsyncTransport
from pysophoscentralapi._page import ModelT, validate_item
from pysophoscentralapi._paging import PagingStyle
from pysophoscentralapi._validation import check_sha256, check_text, check_uuid, is_page_size
from pysophoscentralapi.models.endpoint_settings import (
    ALLOWED_ITEM_TYPES,
    BLOCKED_ITEM_TYPES,
    MAX_SETTINGS_PAGE_SIZE,
    SCAN_MODES,
    SCANNING_EXCLUSION_TYPES,
    TYPES_WITHOUT_SCAN_MODE,
    AllowedItem,
    BlockedItem,
    GlobalTamperProtection,
    LocalSite,
    ScanningExclusion,
    WebControlCategory,
)

_SETTINGS = "/endpoint/v1/settings"


# --- argument checks -----------------------------------------------------------------------------
# Built on pysophoscentralapi._validation; the wording of these is the settings API's own (callers
# match on it).


def check_id(value: str, name: str = "id") -> str:
    """``value`` as a lower-case UUID, or :class:`ValueError` naming ``name``.

    >>> check_id("3F2C1D6E-8F7A-4B7E-9A55-1C2D3E4F5A6B", "item_id")
    '3f2c1d6e-8f7a-4b7e-9a55-1c2d3e4f5a6b'
    """
    return check_uuid(value, name, noun="an id")


def check_choice(value: str, name: str, choices: Sequence[str]) -> str:
    """``value`` if it is one of ``choices`` (case-sensitive, as the API), else :class:`ValueError`.

    >>> check_choice("onAccess", "scan_mode", ("onDemand", "onAccess"))
    'onAccess'
    """
    text = str(value)
    if text not in choices:
        raise ValueError(f"{name}: {value!r} is not one of {', '.join(choices)}")
    return text


def check_page_size(page_size: int) -> int:
    """``page_size`` if within 1..100 (the API's largest settings page), else :class:`ValueError`."""
    if isinstance(page_size, bool) or not isinstance(page_size, int):
        raise ValueError(f"page_size: {page_size!r} is not a whole number")
    if not is_page_size(page_size, MAX_SETTINGS_PAGE_SIZE):
        raise ValueError(f"page_size: {page_size} is not within 1..{MAX_SETTINGS_PAGE_SIZE}")
    return page_size


class _SettingsList(AsyncResource, Generic[ModelT]):
    """One settings list under ``/endpoint/v1/settings``: what every list does the same way
    (page-number listing, get, add, change, delete by id); the bodies are each family's own."""

    _path = ""
    _model: type[ModelT]

    def _list(self, page_size: int, params: dict[str, Any] | None = None) -> AsyncPaginator[ModelT]:
        return self._paginate(
            self._path,
            model=self._model,
            style=PagingStyle.NUMBER,
            page_size=check_page_size(page_size),
            params=params,
        )

    async def _get(self, item_id: str) -> ModelT:
        item_id = check_id(item_id, "id")
        body = await self._request("GET", f"{self._path}/{item_id}")
        return validate_item(self._model, body)

    async def _add(self, body: dict[str, Any]) -> ModelT:
        return self._result(self._model, await self._request("POST", self._path, json=body))

    async def _update(self, item_id: str, body: dict[str, Any]) -> ModelT:
        # ``item_id`` is checked by the caller, before the body it sends.
        answer = await self._request("PATCH", f"{self._path}/{item_id}", json=body)
        return self._result(self._model, answer)

    async def _delete(self, item_id: str) -> bool:
        item_id = check_id(item_id, "id")
        body = await self._request("DELETE", f"{self._path}/{item_id}")
        return bool(isinstance(body, dict) and body.get("deleted"))


def _file_item_body(
    *,
    item_type: str,
    types: Sequence[str],
    sha256: str | None,
    path: str | None,
    certificate_signer: str | None,
    file_name: str | None,
    comment: str,
    origin_person_id: str | None = None,
    origin_endpoint_id: str | None = None,
) -> dict[str, Any]:
    item_type = check_choice(item_type, "type", types)
    check_text(comment, "comment")
    properties: dict[str, str] = {}
    if file_name is not None:
        properties["fileName"] = check_text(file_name, "file_name")
    if path is not None:
        properties["path"] = check_text(path, "path")
    if sha256 is not None:
        properties["sha256"] = check_sha256(sha256)
    if certificate_signer is not None:
        properties["certificateSigner"] = check_text(certificate_signer, "certificate_signer")
    if item_type not in properties:
        argument = {"certificateSigner": "certificate_signer"}.get(item_type, item_type)
        raise ValueError(f"{argument}: required for type {item_type!r}")
    body: dict[str, Any] = {"type": item_type, "properties": properties, "comment": comment}
    if origin_person_id is not None:
        body["originPersonId"] = check_id(origin_person_id, "origin_person_id")
    if origin_endpoint_id is not None:
        body["originEndpointId"] = check_id(origin_endpoint_id, "origin_endpoint_id")
    return body


class AsyncAllowedItems(_SettingsList[AllowedItem]):
    """Applications exempted from detection: ``central.settings.allowed_items``."""

    _path = f"{_SETTINGS}/allowed-items"
    _model = AllowedItem

    def list(self, *, page_size: int = MAX_SETTINGS_PAGE_SIZE) -> AsyncPaginator[AllowedItem]:
        """Every allowed item, fetched lazily page by page (page numbers, at most 100 a page).

        Example::

            async for item in central.settings.allowed_items.list():
                print(item.id, item.type, item.comment)
        """
        return self._list(page_size)

    async def get(self, id: str) -> AllowedItem:
        """One allowed item by id (:class:`~pysophoscentralapi.NotFoundError` if absent).

        Example::

            item = await central.settings.allowed_items.get("3f2c1d6e-8f7a-4b7e-9a55-1c2d3e4f5a6b")
        """
        return await self._get(id)

    async def add(
        self,
        *,
        type: str,
        sha256: str | None = None,
        path: str | None = None,
        certificate_signer: str | None = None,
        file_name: str | None = None,
        comment: str,
        origin_person_id: str | None = None,
        origin_endpoint_id: str | None = None,
    ) -> AllowedItem:
        """Allow an application. ``type`` is ``path``, ``sha256`` or ``certificateSigner``
        and the argument of that name is required; the others are extra details.

        Adding an item that already exists raises :class:`~pysophoscentralapi.ConflictError`.

        Example::

            item = await central.settings.allowed_items.add(
                type="sha256", sha256="ba7816bf" * 8, file_name="tool.exe", comment="In-house tool"
            )
        """
        body = _file_item_body(
            item_type=type,
            types=ALLOWED_ITEM_TYPES,
            sha256=sha256,
            path=path,
            certificate_signer=certificate_signer,
            file_name=file_name,
            comment=comment,
            origin_person_id=origin_person_id,
            origin_endpoint_id=origin_endpoint_id,
        )
        return await self._add(body)

    async def update(self, id: str, *, comment: str) -> AllowedItem:
        """Change an allowed item's comment (the only thing the API lets you change).

        Example::

            await central.settings.allowed_items.update(item.id, comment="Approved by CISO")
        """
        item_id = check_id(id, "id")
        check_text(comment, "comment")
        return await self._update(item_id, {"comment": comment})

    async def delete(self, id: str) -> bool:
        """Delete an allowed item. ``True`` also when no such item existed (the API answers
        200 ``{"deleted": true}`` either way).

        Example::

            await central.settings.allowed_items.delete(item.id)
        """
        return await self._delete(id)


class AsyncBlockedItems(_SettingsList[BlockedItem]):
    """Applications blocked by SHA-256: ``central.settings.blocked_items`` (no update in the API)."""

    _path = f"{_SETTINGS}/blocked-items"
    _model = BlockedItem

    def list(self, *, page_size: int = MAX_SETTINGS_PAGE_SIZE) -> AsyncPaginator[BlockedItem]:
        """Every blocked item, fetched lazily page by page (at most 100 a page).

        Example::

            hashes = [item.properties.sha256 async for item in central.settings.blocked_items.list()]
        """
        return self._list(page_size)

    async def get(self, id: str) -> BlockedItem:
        """One blocked item by id.

        Example::

            item = await central.settings.blocked_items.get(item_id)
        """
        return await self._get(id)

    async def add(
        self,
        *,
        sha256: str,
        comment: str,
        file_name: str | None = None,
        path: str | None = None,
        type: str = "sha256",
    ) -> BlockedItem:
        """Block an application by its SHA-256 (the only type the API blocks by).

        ``file_name`` and ``path`` are recorded as details. A hash already blocked raises
        :class:`~pysophoscentralapi.ConflictError`.

        Example::

            await central.settings.blocked_items.add(sha256=digest, comment="Credential stealer")
        """
        body = _file_item_body(
            item_type=type,
            types=BLOCKED_ITEM_TYPES,
            sha256=sha256,
            path=path,
            certificate_signer=None,
            file_name=file_name,
            comment=comment,
        )
        return await self._add(body)

    async def delete(self, id: str) -> bool:
        """Unblock: delete a blocked item (``True`` also when it did not exist).

        Example::

            await central.settings.blocked_items.delete(item.id)
        """
        return await self._delete(id)


def _category_id(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(
            f"category_id: {value!r} is not a web-control category id (a positive integer)"
        )
    return value


def _tags(tags: Sequence[str]) -> builtins.list[str]:
    if isinstance(tags, str) or not all(isinstance(tag, str) and tag.strip() for tag in tags):
        raise ValueError("tags: must be a list of non-empty strings")
    return [str(tag) for tag in tags]


def _site_fields(
    body: dict[str, Any],
    category_id: int | None,
    tags: Sequence[str] | None,
    comment: str | None,
) -> dict[str, Any]:
    # A local site's optional fields, added to its add/update body.
    if category_id is not None:
        body["categoryId"] = _category_id(category_id)
    if tags is not None:
        body["tags"] = _tags(tags)
    if comment is not None:
        body["comment"] = comment
    return body


class AsyncLocalSites(_SettingsList[LocalSite]):
    """Web-control local sites: ``central.settings.web_control.local_sites``."""

    _path = f"{_SETTINGS}/web-control/local-sites"
    _model = LocalSite

    def list(self, *, page_size: int = MAX_SETTINGS_PAGE_SIZE) -> AsyncPaginator[LocalSite]:
        """Every local site, fetched lazily page by page (at most 100 a page).

        Example::

            async for site in central.settings.web_control.local_sites.list():
                print(site.url, site.category_id, site.tags)
        """
        return self._list(page_size)

    async def get(self, id: str) -> LocalSite:
        """One local site by id.

        Example::

            site = await central.settings.web_control.local_sites.get(site_id)
        """
        return await self._get(id)

    async def add(
        self,
        url: str,
        *,
        category_id: int | None = None,
        tags: Sequence[str] | None = None,
        comment: str | None = None,
    ) -> LocalSite:
        """Add a local site: a URL (domain, IP or range) with its own category and/or tags.

        Example::

            await central.settings.web_control.local_sites.add(
                "intranet.example.com", category_id=50, tags=["intranet"], comment="Our wiki"
            )
        """
        body = {"url": check_text(url, "url")}
        return await self._add(_site_fields(body, category_id, tags, comment))

    async def update(
        self,
        id: str,
        *,
        url: str | None = None,
        category_id: int | None = None,
        tags: Sequence[str] | None = None,
        comment: str | None = None,
    ) -> LocalSite:
        """Change a local site; only the arguments given are sent (at least one is needed).

        Example::

            await central.settings.web_control.local_sites.update(site.id, comment="Moved to SaaS")
        """
        site_id = check_id(id, "id")
        body = {} if url is None else {"url": check_text(url, "url")}
        _site_fields(body, category_id, tags, comment)
        if not body:
            raise ValueError("nothing to update: give url, category_id, tags or comment")
        return await self._update(site_id, body)

    async def delete(self, id: str) -> bool:
        """Delete a local site (``True`` also when it did not exist).

        Example::

            await central.settings.web_control.local_sites.delete(site.id)
        """
        return await self._delete(id)


class AsyncWebControl(AsyncResource):
    """Web-control settings: ``central.settings.web_control`` (``.local_sites``, ``categories()``)."""

    def __init__(self, transport: AsyncTransport, tenant_id: str | None = None) -> None:
        super().__init__(transport, tenant_id)
        self.local_sites = AsyncLocalSites(transport, tenant_id)

    async def categories(self) -> builtins.list[WebControlCategory]:
        """The web-control categories (ids for a local site's ``category_id``).

        Example::

            names = {c.id: c.name for c in await central.settings.web_control.categories()}
        """
        body = await self._request("GET", f"{_SETTINGS}/web-control/categories")
        if isinstance(body, dict) and isinstance(body.get("items"), builtins.list):
            body = body["items"]
        if not isinstance(body, builtins.list):
            body = [body]
        return [validate_item(WebControlCategory, row) for row in body]


def _exclusion_fields(
    body: dict[str, Any], exclusion_type: str | None, scan_mode: str | None, comment: str | None
) -> dict[str, Any]:
    # An exclusion's optional fields, added to its add/update body (``exclusion_type``: None in
    # an update, whose type is fixed).
    if scan_mode is not None:
        scan_mode = check_choice(scan_mode, "scan_mode", SCAN_MODES)
        if exclusion_type in TYPES_WITHOUT_SCAN_MODE:
            raise ValueError(f"scan_mode: exclusions of type {exclusion_type!r} take no scan mode")
        body["scanMode"] = scan_mode
    if comment is not None:
        body["comment"] = comment
    return body


class AsyncScanningExclusions(_SettingsList[ScanningExclusion]):
    """Scanning exclusions: ``central.settings.scanning_exclusions``.

    Types: see :data:`~pysophoscentralapi.models.endpoint_settings.SCANNING_EXCLUSION_TYPES`;
    scan modes ``onDemand``, ``onAccess``, ``onDemandAndOnAccess`` (the API picks a default:
    both for path types, on access for the others; none for ``behavioral``/``exploitMitigation``).
    Exclusions set by a partner or enterprise admin (``locked_by_managing_account``) cannot be
    changed or deleted here (:class:`~pysophoscentralapi.PermissionDeniedError`).
    """

    _path = f"{_SETTINGS}/exclusions/scanning"
    _model = ScanningExclusion

    def list(
        self, *, type: str | None = None, page_size: int = MAX_SETTINGS_PAGE_SIZE
    ) -> AsyncPaginator[ScanningExclusion]:
        """Every scanning exclusion, or those of one ``type``, fetched lazily page by page.

        Example::

            async for exclusion in central.settings.scanning_exclusions.list(type="process"):
                print(exclusion.value, exclusion.scan_mode)
        """
        params = {}
        if type is not None:
            params["type"] = check_choice(type, "type", SCANNING_EXCLUSION_TYPES)
        return self._list(page_size, params)

    async def get(self, id: str) -> ScanningExclusion:
        """One scanning exclusion by id.

        Example::

            exclusion = await central.settings.scanning_exclusions.get(exclusion_id)
        """
        return await self._get(id)

    async def add(
        self,
        value: str,
        *,
        type: str,
        scan_mode: str | None = None,
        comment: str | None = None,
    ) -> ScanningExclusion:
        """Add a scanning exclusion.

        Example::

            await central.settings.scanning_exclusions.add(
                "D:\\\\Backups\\\\", type="path", scan_mode="onDemand", comment="Backup volume"
            )
        """
        exclusion_type = check_choice(type, "type", SCANNING_EXCLUSION_TYPES)
        body = {"value": check_text(value, "value"), "type": exclusion_type}
        return await self._add(_exclusion_fields(body, exclusion_type, scan_mode, comment))

    async def update(
        self,
        id: str,
        *,
        value: str | None = None,
        scan_mode: str | None = None,
        comment: str | None = None,
    ) -> ScanningExclusion:
        """Change a scanning exclusion's value, scan mode or comment (its type is fixed).

        Example::

            await central.settings.scanning_exclusions.update(exclusion.id, scan_mode="onAccess")
        """
        exclusion_id = check_id(id, "id")
        body = {} if value is None else {"value": check_text(value, "value")}
        _exclusion_fields(body, None, scan_mode, comment)
        if not body:
            raise ValueError("nothing to update: give value, scan_mode or comment")
        return await self._update(exclusion_id, body)

    async def delete(self, id: str) -> bool:
        """Delete a scanning exclusion (``True`` also when it did not exist).

        Example::

            await central.settings.scanning_exclusions.delete(exclusion.id)
        """
        return await self._delete(id)


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
        body = await self._request("GET", f"{_SETTINGS}/tamper-protection")
        return validate_item(GlobalTamperProtection, body)


class AsyncEndpointSettings(AsyncResource):
    """Endpoint API settings: allowed/blocked items, web-control local sites, tamper protection, exclusions.

    Example::

        async for item in central.settings.blocked_items.list():
            print(item.properties.sha256, item.comment)
        print((await central.settings.tamper_protection.get()).enabled)
    """

    def __init__(self, transport: AsyncTransport, tenant_id: str | None = None) -> None:
        super().__init__(transport, tenant_id)
        self.allowed_items = AsyncAllowedItems(transport, tenant_id)
        self.blocked_items = AsyncBlockedItems(transport, tenant_id)
        self.web_control = AsyncWebControl(transport, tenant_id)
        self.tamper_protection = AsyncTamperProtectionSettings(transport, tenant_id)
        self.scanning_exclusions = AsyncScanningExclusions(transport, tenant_id)
