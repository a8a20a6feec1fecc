"""Endpoint API: endpoints, scans, update checks, isolation, tamper protection."""

from __future__ import annotations

import builtins
import re
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from typing import Any

from pysophoscentralapi._async._pagination import AsyncPaginator
from pysophoscentralapi._async._resource import AsyncResource
from pysophoscentralapi._async.endpoint_requests import (
    ENDPOINTS_PATH,
    AsyncAdaptiveAttackProtection,
    AsyncForensicLogs,
    AsyncMemoryDumps,
    endpoint_path,
)
from pysophoscentralapi._errors import (
    APIConnectionError,
    APIError,
    AuthenticationError,
    NotFoundError,
)
from pysophoscentralapi._isolation_batch import IsolationBatch
from pysophoscentralapi._page import validate_item
from pysophoscentralapi._paging import PagingStyle
from pysophoscentralapi._timeparams import TimeArg, to_api_time
from pysophoscentralapi._validation import (
    check_bool,
    check_choice,
    check_page_size,
    check_text,
    check_uuids,
    is_ip_address,
    is_mac_address,
    split_values,
)
from pysophoscentralapi.models.endpoints import (
    ENDPOINT_TYPES,
    ENDPOINT_VIEWS,
    HEALTH_STATUSES,
    ISOLATION_STATUSES,
    LOCKDOWN_STATUSES,
    SEARCH_FIELDS,
    Endpoint,
    EndpointIsolation,
    IsolationSettings,
    ScanResult,
    TamperProtection,
    UpdateCheckResult,
)

__all__ = ["ISOLATION_BATCH_SIZE", "MAX_PAGE_SIZE", "AsyncEndpoints"]

#: The API's largest page for ``GET /endpoints``.
MAX_PAGE_SIZE = 500
#: Ids per bulk isolation request. The collection documents no maximum; 1000 is a safe bound.
ISOLATION_BATCH_SIZE = 1000
#: Ids per ``GET /endpoints?ids=...`` request, so that the URL stays well under server limits.
IDS_PER_LISTING = 100

_SORT = re.compile(r"[A-Za-z][\w.]*(:(asc|desc))?(,[A-Za-z][\w.]*(:(asc|desc))?)*")


# --- argument checks (all run before any request) --------------------------------------------


def _as_list(value: str | Iterable[str], name: str) -> builtins.list[str]:
    """A str means one value, or several separated by commas; other iterables give their items."""
    return split_values(value, name, split_items=False, required=True)


def _enum_csv(value: str | Iterable[str] | None, name: str, valid: Sequence[str]) -> str | None:
    if value is None:
        return None
    items = [check_choice(item, name, valid) for item in _as_list(value, name)]
    return ",".join(dict.fromkeys(items))


def _enum_one(value: str | None, name: str, valid: Sequence[str]) -> str | None:
    return None if value is None else check_choice(value, name, valid)


def _uuids(values: str | Iterable[str], name: str) -> builtins.list[str]:
    """Validated, lower-cased, de-duplicated ids (order kept)."""
    return check_uuids(_as_list(values, name), name, noun="an endpoint id")


def _bool(value: bool | None, name: str) -> str | None:
    if value is None:
        return None
    return "true" if check_bool(value, name) else "false"


_MAC_FORMS = (
    "EUI-48 or EUI-64, e.g. 01:23:45:67:89:AB, 01-23-45-67-89-ab, 0123.4567.89ab or 0123456789ab"
)


def _addresses(
    value: str | Iterable[str] | None, name: str, is_valid: Callable[[str], bool], what: str
) -> str | None:
    """Several addresses, each checked (``ValueError``: "NAME: 'x' is not WHAT"), comma-joined."""
    if value is None:
        return None
    items = _as_list(value, name)
    for item in items:
        if not is_valid(item):
            raise ValueError(f"{name}: {item!r} is not {what}")
    return ",".join(items)


def _time(value: TimeArg | None, name: str) -> str | None:
    return None if value is None else to_api_time(value, name=name)


def _text(value: str | None, name: str) -> str | None:
    return None if value is None else check_text(value, name)


def _fields(value: str | Iterable[str] | None, name: str) -> str | None:
    return None if value is None else ",".join(_as_list(value, name))


def _sort(value: str | None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _SORT.fullmatch(value.strip()):
        raise ValueError(
            f"sort: {value!r} is not valid; expected FIELD[:asc|:desc][,FIELD[:asc|:desc]...], "
            "e.g. 'lastSeenAt:desc'"
        )
    return value.strip()


def _page_size(value: int) -> int:
    return check_page_size(value, MAX_PAGE_SIZE)


def _comment(value: str | None) -> str | None:
    if value is not None and not isinstance(value, str):
        raise ValueError(f"comment: expected a string, got {type(value).__name__}")
    return value


class AsyncEndpoints(AsyncResource):
    """Endpoint API: endpoints, scans, update checks, isolation, tamper protection.

    Reached as ``central.endpoints``. Every method checks its arguments before sending anything
    and raises ``ValueError`` naming the bad argument (and the valid values, for enums).
    """

    # ``list`` is defined below: inside this class, annotate with ``builtins.list``.

    #: Adaptive attack protection of one endpoint (``get``, ``update``).
    adaptive_attack_protection: AsyncAdaptiveAttackProtection
    #: Forensic-log requests of one endpoint (``collect``, ``get``).
    forensic_logs: AsyncForensicLogs
    #: Memory-dump requests of one endpoint (``generate``, ``get``).
    memory_dumps: AsyncMemoryDumps

    def list(
        self,
        *,
        health_status: str | Sequence[str] | None = None,
        type: str | Sequence[str] | None = None,
        tamper_protection_enabled: bool | None = None,
        tamper_protection_supported: bool | None = None,
        lockdown_status: str | Sequence[str] | None = None,
        isolation_status: str | None = None,
        last_seen_before: TimeArg | None = None,
        last_seen_after: TimeArg | None = None,
        ids: str | Sequence[str] | None = None,
        hostname_contains: str | None = None,
        associated_person_contains: str | None = None,
        serial_number_contains: str | None = None,
        ip_addresses: str | Sequence[str] | None = None,
        mac_addresses: str | Sequence[str] | None = None,
        search: str | None = None,
        search_fields: str | Sequence[str] | None = None,
        online: bool | None = None,
        view: str | None = None,
        fields: str | Sequence[str] | None = None,
        sort: str | None = None,
        page_size: int = MAX_PAGE_SIZE,
    ) -> AsyncPaginator[Endpoint]:
        """The tenant's endpoints, lazily, page by page (``GET /endpoint/v1/endpoints``).

        Filters combine with AND; list-valued filters match any of their values:

        - ``health_status``: ``good``, ``bad``, ``suspicious``, ``unknown``;
        - ``type``: ``computer``, ``server``, ``securityVm``;
        - ``lockdown_status``: see :data:`~pysophoscentralapi.models.endpoints.LOCKDOWN_STATUSES`;
        - ``isolation_status``: ``isolated`` or ``notIsolated``;
        - ``last_seen_before`` (exclusive) / ``last_seen_after`` (inclusive): a ``datetime``
          (naive = UTC), a ``timedelta`` meaning "that long ago", or an ISO-8601 duration or
          datetime string (``"-P30D"``, ``"2024-05-01T00:00:00Z"``);
        - ``ids``: endpoint UUIDs; ``ip_addresses``, ``mac_addresses``: exact addresses;
        - ``hostname_contains`` etc.: substring (the API matches the first 10 characters);
        - ``search`` in ``search_fields`` (``hostname``, ``groupName``, ``associatedPersonName``,
          ``ipAddresses``, ``osName``; default all);
        - ``view``: ``basic``, ``summary`` (default) or ``full``; ``fields``: partial response;
        - ``sort``: ``"FIELD:asc"``/``"FIELD:desc"`` (passed to the API as given).

        ``page_size`` is 1-500 (the API maximum, the default).

        Example::

            from datetime import timedelta
            async for ep in central.endpoints.list(
                health_status=["bad", "suspicious"], last_seen_after=timedelta(days=7)
            ):
                print(ep.hostname, ep.health.overall)
        """
        params: dict[str, Any] = {
            "healthStatus": _enum_csv(health_status, "health_status", HEALTH_STATUSES),
            "type": _enum_csv(type, "type", ENDPOINT_TYPES),
            "tamperProtectionEnabled": _bool(
                tamper_protection_enabled, "tamper_protection_enabled"
            ),
            "tamperProtectionSupported": _bool(
                tamper_protection_supported, "tamper_protection_supported"
            ),
            "lockdownStatus": _enum_csv(lockdown_status, "lockdown_status", LOCKDOWN_STATUSES),
            "isolationStatus": _enum_one(isolation_status, "isolation_status", ISOLATION_STATUSES),
            "lastSeenBefore": _time(last_seen_before, "last_seen_before"),
            "lastSeenAfter": _time(last_seen_after, "last_seen_after"),
            "ids": None,
            "hostnameContains": _text(hostname_contains, "hostname_contains"),
            "associatedPersonContains": _text(
                associated_person_contains, "associated_person_contains"
            ),
            "serialNumberContains": _text(serial_number_contains, "serial_number_contains"),
            "ipAddresses": _addresses(
                ip_addresses, "ip_addresses", is_ip_address, "an IPv4 or IPv6 address"
            ),
            "macAddresses": _addresses(
                mac_addresses, "mac_addresses", is_mac_address, f"a MAC address ({_MAC_FORMS})"
            ),
            "search": _text(search, "search"),
            "searchFields": _enum_csv(search_fields, "search_fields", SEARCH_FIELDS),
            "online": _bool(online, "online"),
            "view": _enum_one(view, "view", ENDPOINT_VIEWS),
            "fields": _fields(fields, "fields"),
            "sort": _sort(sort),
        }
        # Many ids are asked for in several requests (one listing), not one URL too long to send.
        id_list = None if ids is None else _uuids(ids, "ids")
        variants = None
        if id_list is not None:
            variants = [
                {"ids": ",".join(id_list[start : start + IDS_PER_LISTING])}
                for start in range(0, max(len(id_list), 1), IDS_PER_LISTING)
            ]
        return self._paginate(
            ENDPOINTS_PATH,
            model=Endpoint,
            style=PagingStyle.KEY,
            page_size=_page_size(page_size),
            params=params,
            variants=variants,
        )

    async def get(
        self,
        endpoint_id: str,
        *,
        view: str | None = None,
        fields: str | Sequence[str] | None = None,
    ) -> Endpoint:
        """One endpoint by id; ``NotFoundError`` when there is none.

        Example::

            ep = await central.endpoints.get("6f1c0e1a-...", view="full")
            print(ep.hostname, ep.os.name, ep.isolation.status)
        """
        path = endpoint_path(endpoint_id)
        params = {
            "view": _enum_one(view, "view", ENDPOINT_VIEWS),
            "fields": _fields(fields, "fields"),
        }
        return validate_item(Endpoint, await self._request("GET", path, params=params))

    async def delete(self, endpoint_id: str) -> bool:
        """Delete one endpoint from Sophos Central; ``True`` when the API confirms it.

        Example::

            await central.endpoints.delete("6f1c0e1a-...")
        """
        path = endpoint_path(endpoint_id)
        return self._deleted(await self._request("DELETE", path))

    async def delete_many(self, ids: str | Sequence[str]) -> builtins.list[str]:
        """Delete several endpoints in one request (``POST /endpoints/delete``); the deleted ids.

        Example::

            deleted = await central.endpoints.delete_many(["6f1c0e1a-...", "0b9e..."])
        """
        endpoint_ids = _uuids(ids, "ids")
        body = await self._request(
            "POST", f"{ENDPOINTS_PATH}/delete", json={"endpointIds": endpoint_ids}
        )
        deleted = body.get("endpointIds") if isinstance(body, dict) else None
        return [str(item) for item in deleted] if isinstance(deleted, builtins.list) else []

    async def scan(self, endpoint_id: str) -> ScanResult:
        """Ask an endpoint to run a scan now (``POST /endpoints/{id}/scans``).

        Example::

            result = await central.endpoints.scan("6f1c0e1a-...")
            print(result.id, result.status)   # ... requested
        """
        path = f"{endpoint_path(endpoint_id)}/scans"
        return self._result(ScanResult, await self._request("POST", path, json={}))

    async def check_for_updates(self, endpoint_id: str) -> UpdateCheckResult:
        """Ask an endpoint to check for Sophos agent updates (``POST .../update-checks``).

        Example::

            result = await central.endpoints.check_for_updates("6f1c0e1a-...")
        """
        path = f"{endpoint_path(endpoint_id)}/update-checks"
        return self._result(UpdateCheckResult, await self._request("POST", path, json={}))

    async def isolate(
        self, ids: str | Sequence[str], comment: str | None = None
    ) -> builtins.list[EndpointIsolation]:
        """Isolate endpoints from the network (``POST /endpoints/isolation``, ``enabled: true``).

        Sent in batches of :data:`ISOLATION_BATCH_SIZE` ids, every batch whatever an earlier one
        answered; returns the items of the endpoints changed (unknown ids have none;
        ``NotFoundError`` when none was found). If a batch failed, the first such error is raised
        after every batch was tried; use
        :meth:`isolation_batches` to learn the outcome of each id.

        Example::

            items = await central.endpoints.isolate(["6f1c0e1a-..."], comment="ransomware, INC-42")
        """
        return await self._bulk_isolation(True, ids, comment)

    async def unisolate(
        self, ids: str | Sequence[str], comment: str | None = None
    ) -> builtins.list[EndpointIsolation]:
        """Take endpoints out of isolation (``POST /endpoints/isolation``, ``enabled: false``).

        Batched like :meth:`isolate`.

        Example::

            await central.endpoints.unisolate(["6f1c0e1a-..."], comment="cleaned")
        """
        return await self._bulk_isolation(False, ids, comment)

    async def _bulk_isolation(
        self, enabled: bool, ids: str | Sequence[str], comment: str | None
    ) -> builtins.list[EndpointIsolation]:
        results: builtins.list[EndpointIsolation] = []
        first_error: Exception | None = None
        not_found = 0
        async for batch in self.isolation_batches(ids, enabled=enabled, comment=comment):
            results.extend(batch.items)
            not_found += len(batch.not_found)
            first_error = first_error or batch.error
        if first_error is not None:
            raise first_error
        if not results and not_found:
            raise NotFoundError("No endpoints found.", status_code=404)
        return results

    async def isolation_batches(
        self, ids: str | Sequence[str], *, enabled: bool, comment: str | None = None
    ) -> AsyncIterator[IsolationBatch]:
        """Isolate (``enabled=True``) or un-isolate endpoints batch by batch, yielding what each
        batch did (:class:`~pysophoscentralapi.IsolationBatch`).

        Every batch is sent whatever an earlier one answered. A batch answered 404 ("No endpoints
        found") is not taken as "all unknown": the ids that exist are looked up
        (``GET /endpoints?ids=``) and sent again, the others reported in ``not_found``. A batch
        that fails otherwise carries the ``error``; authentication errors are raised.

        Example::

            async for batch in central.endpoints.isolation_batches(ids, enabled=True):
                print([item.id for item in batch.items], batch.not_found, batch.error)
        """
        endpoint_ids = _uuids(ids, "ids")
        comment = _comment(comment)
        for start in range(0, len(endpoint_ids), ISOLATION_BATCH_SIZE):
            chunk = endpoint_ids[start : start + ISOLATION_BATCH_SIZE]
            yield await self._isolation_batch(enabled, chunk, comment)

    async def _isolation_batch(
        self, enabled: bool, chunk: builtins.list[str], comment: str | None
    ) -> IsolationBatch:
        not_found: builtins.list[str] = []
        try:
            try:
                items = await self._post_isolation(enabled, chunk, comment)
            except NotFoundError:
                existing = await self._existing_ids(chunk)
                not_found = [i for i in chunk if i not in existing]
                if not existing:
                    return IsolationBatch(chunk, not_found=not_found)
                retry = [i for i in chunk if i in existing]
                items = await self._post_isolation(enabled, retry, comment)
        except AuthenticationError:
            raise
        except (APIError, APIConnectionError) as error:
            return IsolationBatch(chunk, not_found=not_found, error=error)
        if self._dry_run:  # nothing was sent: nothing is known
            return IsolationBatch(chunk)
        answered = {item.id.lower() for item in items}
        not_found = [i for i in chunk if i not in answered]
        return IsolationBatch(chunk, items=items, not_found=not_found)

    async def _post_isolation(
        self, enabled: bool, ids: builtins.list[str], comment: str | None
    ) -> builtins.list[EndpointIsolation]:
        body: dict[str, Any] = {"enabled": enabled}
        if comment is not None:
            body["comment"] = comment
        body["ids"] = ids
        answer = await self._request("POST", f"{ENDPOINTS_PATH}/isolation", json=body)
        items = answer.get("items") if isinstance(answer, dict) else None
        return self._results(EndpointIsolation, items)

    async def _existing_ids(self, ids: builtins.list[str]) -> set[str]:
        """Which of ``ids`` name endpoints of this tenant."""
        found: set[str] = set()
        async for row in self.list(ids=ids, view="basic", fields="id").raw_items():
            found.add(str(row.get("id", "")).lower())
        return found

    async def isolation(self, endpoint_id: str) -> IsolationSettings:
        """Isolation settings of one endpoint (``GET /endpoints/{id}/isolation``).

        Example::

            settings = await central.endpoints.isolation("6f1c0e1a-...")
            print(settings.enabled, settings.last_enabled_by.name if settings.last_enabled_by else None)
        """
        path = f"{endpoint_path(endpoint_id)}/isolation"
        return validate_item(IsolationSettings, await self._request("GET", path))

    async def set_isolation(
        self, endpoint_id: str, enabled: bool, comment: str | None = None
    ) -> IsolationSettings:
        """Turn isolation of one endpoint on or off (``PATCH /endpoints/{id}/isolation``).

        Example::

            await central.endpoints.set_isolation("6f1c0e1a-...", False, comment="false positive")
        """
        path = f"{endpoint_path(endpoint_id)}/isolation"
        check_bool(enabled, "enabled")
        body: dict[str, Any] = {"enabled": enabled}
        if _comment(comment) is not None:
            body["comment"] = comment
        return self._result(IsolationSettings, await self._request("PATCH", path, json=body))

    async def tamper_protection(self, endpoint_id: str) -> TamperProtection:
        """Tamper protection of one endpoint, with its current and previous passwords.

        The passwords are attributes (``tp.password``) but are kept out of ``repr()``.

        Example::

            tp = await central.endpoints.tamper_protection("6f1c0e1a-...")
            print(tp.enabled, len(tp.previous_passwords or []))
        """
        path = f"{endpoint_path(endpoint_id)}/tamper-protection"
        return validate_item(TamperProtection, await self._request("GET", path))

    async def update_tamper_protection(
        self,
        endpoint_id: str,
        *,
        enabled: bool | None = None,
        regenerate_password: bool = False,
    ) -> TamperProtection:
        """Turn tamper protection on/off and/or generate a new password (``POST`` → 201).

        At least one of ``enabled`` and ``regenerate_password=True`` is required. Turning it on
        works only when tamper protection is also on globally.

        Example::

            tp = await central.endpoints.update_tamper_protection("6f1c0e1a-...", regenerate_password=True)
            new_password = tp.password
        """
        path = f"{endpoint_path(endpoint_id)}/tamper-protection"
        if enabled is not None and not isinstance(enabled, bool):
            raise ValueError(f"enabled: expected True, False or None, got {enabled!r}")
        check_bool(regenerate_password, "regenerate_password")
        if enabled is None and not regenerate_password:
            raise ValueError(
                "update_tamper_protection: give enabled=True/False and/or regenerate_password=True"
            )
        body: dict[str, Any] = {}
        if enabled is not None:
            body["enabled"] = enabled
        if regenerate_password:
            body["regeneratePassword"] = True
        return self._result(TamperProtection, await self._request("POST", path, json=body))
