"""Per-endpoint requests on ``central.endpoints``: ``adaptive_attack_protection``,
``forensic_logs`` and ``memory_dumps``; and the installers, ``central.downloads``::

    request = await central.endpoints.forensic_logs.collect(endpoint_id, mode="fast")
    while (request := await central.endpoints.forensic_logs.get(endpoint_id, request.id)).status != "finished":
        await asyncio.sleep(30)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, ClassVar, Generic, TypeVar

from pysophoscentralapi._async._resource import AsyncResource
from pysophoscentralapi._page import validate_item
from pysophoscentralapi._validation import check_text, check_uuid, split_values
from pysophoscentralapi.models.endpoint_requests import (
    INSTALLER_PLATFORMS,
    AdaptiveAttackProtectionStatus,
    ForensicLogRequest,
    InstallerDownloads,
    MemoryDumpRequest,
)

RequestT = TypeVar("RequestT", ForensicLogRequest, MemoryDumpRequest)

__all__ = [
    "AsyncAdaptiveAttackProtection",
    "AsyncDownloads",
    "AsyncForensicLogs",
    "AsyncMemoryDumps",
]

#: The endpoints' path: ``central.endpoints`` and the per-endpoint requests below it.
ENDPOINTS_PATH = "/endpoint/v1/endpoints"
#: An ISO 8601 duration such as ``PT4H`` or ``P7D``.
_DURATION = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$")


def check_duration(value: str, name: str) -> str:
    """An ISO 8601 duration (``PT4H``, ``P7D``), else :class:`ValueError`.

    >>> check_duration("PT4H", "expires")
    'PT4H'
    """
    text = str(value).strip()
    if not _DURATION.match(text):
        raise ValueError(f"{name}: {value!r} is not an ISO 8601 duration such as PT4H or P7D")
    return text


def endpoint_path(endpoint_id: str) -> str:
    """An endpoint's path (``ValueError`` naming ``endpoint_id`` for an id that is not a UUID)."""
    return f"{ENDPOINTS_PATH}/{check_uuid(endpoint_id, 'endpoint_id', noun='an endpoint id')}"


class AsyncAdaptiveAttackProtection(AsyncResource):
    """``central.endpoints.adaptive_attack_protection``: read or switch AAP on one endpoint.

    Example::

        await central.endpoints.adaptive_attack_protection.update(endpoint_id, enabled=True,
                                                                   expires_after="P7D")
    """

    async def get(self, endpoint_id: str) -> AdaptiveAttackProtectionStatus:
        """The desired and actual state."""
        path = f"{endpoint_path(endpoint_id)}/adaptive-attack-protection"
        return validate_item(AdaptiveAttackProtectionStatus, await self._request("GET", path))

    async def update(
        self, endpoint_id: str, *, enabled: bool, expires_after: str | None = None
    ) -> AdaptiveAttackProtectionStatus:
        """Turn AAP on or off, maybe for a while (``expires_after``: ``P7D``...)."""
        if not isinstance(enabled, bool):
            raise ValueError("enabled: must be True or False")
        body: dict[str, Any] = {"enabled": enabled}
        if expires_after is not None:
            body["expiresAfter"] = check_duration(expires_after, "expires_after")
        path = f"{endpoint_path(endpoint_id)}/adaptive-attack-protection"
        return self._result(
            AdaptiveAttackProtectionStatus, await self._request("POST", path, json=body)
        )


def _request_body(mode: str, expires: str | None, **extra: Any) -> dict[str, Any]:
    """The body starting a forensic-log or memory-dump request."""
    body: dict[str, Any] = {"mode": check_text(mode, "mode"), **extra}
    if expires is not None:
        body["expires"] = check_duration(expires, "expires")
    return body


class _EndpointRequests(AsyncResource, Generic[RequestT]):
    """Requests an endpoint works on (forensic logs, memory dumps): start one, read it back."""

    _kind: ClassVar[str]
    _model: type[RequestT]

    async def _start(self, endpoint_id: str, body: dict[str, Any]) -> RequestT:
        path = f"{endpoint_path(endpoint_id)}/{self._kind}"
        return self._result(self._model, await self._request("POST", path, json=body))

    async def get(self, endpoint_id: str, request_id: str) -> RequestT:
        """A request: its status, and the file once ``finished``."""
        request_id = check_uuid(request_id, "request_id", noun="a request id")
        path = f"{endpoint_path(endpoint_id)}/{self._kind}/{request_id}"
        return validate_item(self._model, await self._request("GET", path))


class AsyncForensicLogs(_EndpointRequests[ForensicLogRequest]):
    """``central.endpoints.forensic_logs``: collect a forensic log and follow the request."""

    _kind = "forensic-logs"
    _model = ForensicLogRequest

    async def collect(
        self, endpoint_id: str, *, mode: str = "fast", expires: str | None = None
    ) -> ForensicLogRequest:
        """Ask the endpoint for a forensic log (202: the request, ``pending``).

        Example::

            request = await central.endpoints.forensic_logs.collect(endpoint_id, expires="PT4H")
        """
        return await self._start(endpoint_id, _request_body(mode, expires))


class AsyncMemoryDumps(_EndpointRequests[MemoryDumpRequest]):
    """``central.endpoints.memory_dumps``: dump a process's memory and follow the request."""

    _kind = "memory-dumps"
    _model = MemoryDumpRequest

    async def generate(
        self,
        endpoint_id: str,
        *,
        mode: str = "process",
        pid: int | None = None,
        expires: str | None = None,
    ) -> MemoryDumpRequest:
        """Ask the endpoint for a memory dump (``mode="process"`` needs the ``pid``).

        Example::

            request = await central.endpoints.memory_dumps.generate(endpoint_id, pid=1234)
        """
        if pid is not None and (isinstance(pid, bool) or not isinstance(pid, int) or pid < 0):
            raise ValueError(f"pid: {pid!r} is not a process id")
        if pid is None and mode == "process":
            raise ValueError("pid: required with mode 'process'")
        extra = {} if pid is None else {"pid": pid}
        return await self._start(endpoint_id, _request_body(mode, expires, **extra))


class AsyncDownloads(AsyncResource):
    """``central.downloads``: the tenant's endpoint installers.

    Example::

        for installer in (await central.downloads.get(platforms=["windows"])).installers:
            print(installer.product_name, installer.download_url)
    """

    async def get(
        self,
        *,
        requested_products: Sequence[str] | str | None = None,
        platforms: Sequence[str] | str | None = None,
    ) -> InstallerDownloads:
        """The licensed products and installers (all unless filtered)."""
        params: dict[str, Any] = {}
        if requested_products is not None:
            params["requestedProducts"] = ",".join(
                split_values(requested_products, "requested_products", required=True)
            )
        if platforms is not None:
            chosen = split_values(platforms, "platforms", required=True)
            for platform in chosen:
                if platform not in INSTALLER_PLATFORMS:
                    raise ValueError(
                        f"platforms: {platform!r} is not one of {', '.join(INSTALLER_PLATFORMS)}"
                    )
            params["platforms"] = ",".join(chosen)
        body = await self._request("GET", "/endpoint/v1/downloads", params=params or None)
        return validate_item(InstallerDownloads, body)
