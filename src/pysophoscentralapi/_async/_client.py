"""The client: credentials in, API-family namespaces out."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, TypeVar

import httpx

from pysophoscentralapi._async._api import ApiCall, AsyncJSONPaginator
from pysophoscentralapi._async._fanout import each_tenant
from pysophoscentralapi._async._resource import build_namespaces
from pysophoscentralapi._async._transport import AsyncTransport, DryRunSink
from pysophoscentralapi._async.account import AsyncAccount
from pysophoscentralapi._async.admins import AsyncAdmins
from pysophoscentralapi._async.alerts import AsyncAlerts
from pysophoscentralapi._async.cases import AsyncCases
from pysophoscentralapi._async.detections import AsyncDetections
from pysophoscentralapi._async.endpoint_groups import AsyncEndpointGroups
from pysophoscentralapi._async.endpoint_requests import AsyncDownloads
from pysophoscentralapi._async.endpoint_settings import AsyncEndpointSettings
from pysophoscentralapi._async.endpoints import AsyncEndpoints
from pysophoscentralapi._async.health import AsyncHealth
from pysophoscentralapi._async.licenses import AsyncLicenses
from pysophoscentralapi._async.live_discover import AsyncLiveDiscover
from pysophoscentralapi._async.migrations import AsyncMigrations
from pysophoscentralapi._async.partner import AsyncPartner
from pysophoscentralapi._async.policies import AsyncPolicies
from pysophoscentralapi._async.roles import AsyncRoles
from pysophoscentralapi._async.siem import AsyncSiem
from pysophoscentralapi._async.software import AsyncSoftware
from pysophoscentralapi._async.tenants import AsyncTenants
from pysophoscentralapi._async.users import AsyncUsers
from pysophoscentralapi._async.xdr import AsyncXdr
from pysophoscentralapi._errors import ConfigError
from pysophoscentralapi._fanout_result import DEFAULT_CONCURRENCY, TenantResult
from pysophoscentralapi._page import validate_item
from pysophoscentralapi._paging import PagingStyle
from pysophoscentralapi._retry import DEFAULT_MAX_RETRIES
from pysophoscentralapi._routing import check_region, normalise_tenant_id
from pysophoscentralapi._settings import DEFAULT_API_URL, DEFAULT_AUTH_URL
from pysophoscentralapi._tokens import TokenCache
from pysophoscentralapi.models.whoami import Whoami

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pysophoscentralapi.models.health import HealthCheck

if TYPE_CHECKING:
    from pysophoscentralapi._settings import Settings

T = TypeVar("T")

DEFAULT_TIMEOUT_SECONDS = 30.0

#: Constructor keywords that are settings (also settable by config file and environment).
SETTING_KEYWORDS = (
    "client_id",
    "client_secret",
    "auth_url",
    "api_url",
    "tenant_id",
    "region",
    "timeout",
    "max_retries",
    "rate_limit",
    "ca_bundle",
)


class AsyncSophosCentral:
    """Sophos Central, asynchronously. :class:`SophosCentral` is its synchronous twin.

    Tenant credentials work at once; partner and organization credentials reach a tenant's data
    through :meth:`for_tenant`::

        async with AsyncSophosCentral(client_id="...", client_secret="...") as central:
            async for endpoint in central.endpoints.list(health_status=["bad"]):
                print(endpoint.hostname, endpoint.health.overall)

    The credential type and data region come from ``whoami``, asked once on first use. Tokens
    are fetched once, shared by concurrent calls and renewed before they expire.
    """

    # The namespaces, made from these annotations by _bind (build_namespaces): their classes are
    # imported at run time, not only for type checking.
    endpoints: AsyncEndpoints
    settings: AsyncEndpointSettings
    alerts: AsyncAlerts
    tenants: AsyncTenants
    admins: AsyncAdmins
    roles: AsyncRoles
    users: AsyncUsers
    endpoint_groups: AsyncEndpointGroups
    policies: AsyncPolicies
    downloads: AsyncDownloads
    migrations: AsyncMigrations
    software: AsyncSoftware
    health: AsyncHealth
    partner: AsyncPartner
    licenses: AsyncLicenses
    account: AsyncAccount
    siem: AsyncSiem
    xdr: AsyncXdr
    live_discover: AsyncLiveDiscover
    detections: AsyncDetections
    cases: AsyncCases

    def __init__(
        self,
        client_id: str | None = None,
        client_secret: str | None = None,
        *,
        auth_url: str = DEFAULT_AUTH_URL,
        api_url: str = DEFAULT_API_URL,
        tenant_id: str | None = None,
        region: str | None = None,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        max_retries: int = DEFAULT_MAX_RETRIES,
        rate_limit: float | None = None,
        ca_bundle: str | os.PathLike[str] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        token_cache: TokenCache | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        dry_run_sink: DryRunSink | None = None,
    ) -> None:
        if not client_id or not client_secret:
            missing = "client_id" if not client_id else "client_secret"
            raise ConfigError(
                f"{missing} is required",
                hint="pass client_id= and client_secret=, set SOPHOS_CLIENT_ID and "
                "SOPHOS_CLIENT_SECRET, or run: pysophos config init",
            )
        if max_retries < 0:
            raise ConfigError("max_retries must be 0 or more")
        if timeout <= 0:
            raise ConfigError("timeout must be more than 0 seconds")
        self._transport = AsyncTransport(
            client_id=client_id,
            client_secret=client_secret,
            auth_url=auth_url,
            api_url=api_url,
            region=check_region(region) if region else None,
            timeout=timeout,
            max_retries=max_retries,
            rate_limit=rate_limit,
            ca_bundle=ca_bundle,
            transport=transport,
            token_cache=token_cache,
            sleep=sleep,
            dry_run_sink=dry_run_sink,
        )
        self._owns_transport = True
        self._bind(normalise_tenant_id(tenant_id) if tenant_id else None)

    def _bind(self, tenant_id: str | None) -> None:
        self.tenant_id = tenant_id
        build_namespaces(self, self._transport, tenant_id)

    @classmethod
    def from_settings(cls, settings: Settings, **options: Any) -> Self:
        """A client from a :class:`~pysophoscentralapi.Settings` (plus non-setting keywords)."""
        secret = settings.client_secret.get_secret_value() if settings.client_secret else None
        return cls(
            settings.client_id,
            secret,
            auth_url=settings.auth_url,
            api_url=settings.api_url,
            tenant_id=settings.tenant_id,
            region=settings.region,
            timeout=settings.timeout,
            max_retries=settings.max_retries,
            rate_limit=settings.rate_limit,
            ca_bundle=settings.ca_bundle,
            **options,
        )

    @classmethod
    def from_config(
        cls, profile: str | None = None, config_file: str | Path | None = None, **options: Any
    ) -> Self:
        """A client from the config file, environment and keywords, in that order of priority.

        >>> central = SophosCentral.from_config(profile="acme")  # doctest: +SKIP
        """
        from pysophoscentralapi._settings import load_settings

        overrides = {k: v for k, v in options.items() if k in SETTING_KEYWORDS and v is not None}
        others = {k: v for k, v in options.items() if k not in SETTING_KEYWORDS}
        loaded = load_settings(profile=profile, config_file=config_file, overrides=overrides)
        return cls.from_settings(loaded.settings, **others)

    def for_tenant(self, tenant_id: str) -> Self:
        """A client acting on one tenant of partner/organization credentials.

        It shares this client's token, connection pool and rate limiter; closing it does not
        close them.
        """
        child = object.__new__(type(self))
        child._transport = self._transport
        child._owns_transport = False
        child._bind(normalise_tenant_id(tenant_id))
        return child

    def each_tenant(
        self,
        fn: Callable[[AsyncSophosCentral, Any], Awaitable[T]],
        *,
        tenants: Iterable[Any] | None = None,
        concurrency: int = DEFAULT_CONCURRENCY,
    ) -> AsyncIterator[TenantResult[T]]:
        """Run ``fn(tenant_client, tenant)`` for every tenant, ``concurrency`` at a time.

        Results arrive as tenants finish; a tenant that fails carries its ``error`` instead of
        stopping the run (partner/organization credentials)::

            async def count_bad(client, tenant):
                return len([e async for e in client.endpoints.list(health_status=["bad"])])

            async for outcome in central.each_tenant(count_bad, concurrency=16):
                print(outcome.tenant_name, outcome.result if outcome.ok else outcome.error)
        """
        return each_tenant(self, fn, tenants=tenants, concurrency=concurrency)

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        """Send any API request and return its parsed JSON answer (``None`` when empty).

        The escape hatch for operations the namespaces do not cover, through the same transport:
        token, retries (of safe methods only), rate limit, ``dry_run_sink`` and typed errors.
        The host and tenancy header follow from the path (``/partner/v1/...`` and
        ``/organization/v1/...`` on the global host with ``X-Partner-ID`` /
        ``X-Organization-ID``; ``/whoami/v1`` global; other APIs on the tenant's data-region
        host with ``X-Tenant-ID``). ``path`` may carry a query (``?pageSize=10``) and may be a
        full URL on the configured API host or one of the credential's data-region hosts;
        any other host is refused (``ValueError``) before anything is sent. ``headers`` are
        extra headers; authentication and tenancy headers are refused.

        Example::

            firewalls = await central.request("GET", "/firewall/v1/firewalls")
            await central.request("POST", "/endpoint/v1/endpoints/{id}/scans".format(id=ep.id), json={})
        """
        call = ApiCall(self._transport, self.tenant_id)
        prepared = await call.prepare(method, path, params, headers)
        return await call.send(prepared, params=prepared.params, json=json)

    def paginate(
        self,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        style: str | PagingStyle | None = None,
        page_size: int | None = None,
        method: str = "GET",
        json: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> AsyncJSONPaginator:
        """Every item of any listing, page by page, as dicts (routed like :meth:`request`).

        ``style`` is ``"key"`` (``pageFromKey``/``nextKey``), ``"number"`` (``page``), or
        ``None`` to detect it from the first answer's ``pages``. A ``method`` other than GET
        sends the paging parameters in the JSON body (``POST /common/v1/alerts/search``).

        Example::

            async for rule in central.paginate("/endpoint/v1/settings/allowed-items"):
                print(rule["id"], rule["type"])
        """
        return AsyncJSONPaginator(
            self._transport,
            self.tenant_id,
            path,
            method=method,
            params=params,
            json=json,
            headers=headers,
            style=style,
            page_size=page_size,
        )

    async def health_check(
        self, *, checks: Sequence[str] | None = None, products: Sequence[str] | None = None
    ) -> HealthCheck:
        """The tenant's account health check (short for ``central.health.check()``).

        Partner and organization credentials ask for one tenant's::

            check = await central.for_tenant(tenant.id).health_check()
            print(check.overall_score, [s.area for s in check.scores()[:3]])
        """
        return await self.health.check(checks=checks, products=products)

    async def whoami(self) -> Whoami:
        """The credential's identity: ``id``, ``id_type`` and ``api_hosts`` (asked once)."""
        await self._transport.identity()
        return validate_item(Whoami, self._transport.whoami_body)

    async def aclose(self) -> None:
        """Close the connection pool (a no-op on clients made by :meth:`for_tenant`)."""
        if self._owns_transport:
            await self._transport.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._transport!r}, tenant_id={self.tenant_id!r})"
