"""The HTTP layer every request goes through: token, routing, rate limit, retries, errors.

One transport is shared by a client and every tenant-scoped client made from it with
``for_tenant``, so they share the token, the connection pool and the rate limiter.
"""

from __future__ import annotations

import logging
import os
import ssl
import time
from collections.abc import Awaitable, Callable
from typing import Any, Required, TypedDict, Unpack

import httpx

from pysophoscentralapi._async import _backend
from pysophoscentralapi._errors import (
    APIConnectionError,
    APITimeoutError,
    ConfigError,
    NotFoundError,
    OutcomeUnknownError,
    ResponseValidationError,
    TenantRequiredError,
)
from pysophoscentralapi._ratelimit import TokenBucket
from pysophoscentralapi._responses import error_from_response, parse_json
from pysophoscentralapi._retry import Failure, RetryPolicy, is_safe, parse_retry_after
from pysophoscentralapi._routing import Identity, Scope, join_url, may_send_token_to
from pysophoscentralapi._tokens import (
    Token,
    TokenCache,
    cache_key,
    parse_token_response,
    token_request_form,
)
from pysophoscentralapi._version import __version__

logger = logging.getLogger("pysophoscentralapi.http")

#: ``dry_run_sink(method, url, json_body)``: receives state-changing requests instead of the server.
DryRunSink = Callable[[str, str, Any], None]


class RequestOptions(TypedDict, total=False):
    """Where one request goes and what it carries besides its method and path (the keywords of
    :meth:`AsyncTransport.request` and :meth:`AsyncTransport.request_content`)."""

    scope: Required[Scope]
    tenant_id: str | None
    params: dict[str, Any] | None
    json: Any
    headers: dict[str, str] | None


class AsyncTransport:
    """Sends API requests on behalf of one credential."""

    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        auth_url: str,
        api_url: str,
        region: str | None,
        timeout: float,
        max_retries: int,
        rate_limit: float | None,
        ca_bundle: str | os.PathLike[str] | None,
        transport: httpx.AsyncBaseTransport | None,
        token_cache: TokenCache | None,
        sleep: Callable[[float], Awaitable[None]] | None,
        dry_run_sink: DryRunSink | None,
    ) -> None:
        # Every keyword is given by the client, whose defaults are the only ones.
        self._client_id = client_id
        self._client_secret = client_secret
        self.auth_url = auth_url
        self.api_url = api_url
        self.region = region
        self._policy = RetryPolicy(max_retries=max_retries)
        self._limiter = TokenBucket(rate_limit, burst=max(1.0, rate_limit)) if rate_limit else None
        self._limiter_lock = _backend.Lock()
        self._token_cache = token_cache
        self._cache_key = cache_key(client_id, auth_url, client_secret)
        self._sleep = sleep or _backend.sleep
        self.dry_run_sink = dry_run_sink
        self._token: Token | None = None
        self._token_lock = _backend.Lock()
        self._identity: Identity | None = None
        #: whoami's answer as sent, once fetched.
        self.whoami_body: Any = None
        self._identity_lock = _backend.Lock()
        self._tenant_hosts: dict[str, str | None] = {}
        self._http = httpx.AsyncClient(
            transport=transport,
            timeout=timeout,
            verify=_tls_verification(ca_bundle),
            headers={
                "Accept": "application/json",
                "User-Agent": f"pysophoscentralapi/{__version__}",
            },
        )
        #: Counters a caller can read (e.g. for a benchmark or a debug summary).
        self.token_requests = 0

    def __repr__(self) -> str:
        return f"{type(self).__name__}(client_id={self._client_id!r}, api_url={self.api_url!r})"

    @property
    def client_id(self) -> str:
        """The credential's client id (not a secret: it names the credential in state files)."""
        return self._client_id

    async def aclose(self) -> None:
        await self._http.aclose()

    # --- identity and routing ---------------------------------------------------------------

    async def identity(self) -> Identity:
        """The credential's identity from whoami, fetched once."""
        if self._identity is None:
            async with self._identity_lock:
                if self._identity is None:
                    body = await self.request("GET", "/whoami/v1", scope=Scope.GLOBAL)
                    identity = Identity.from_whoami(body, self.api_url)
                    self._check_region(identity)
                    self.whoami_body = body
                    self._identity = identity
        return self._identity

    def _check_region(self, identity: Identity) -> None:
        if self.region and identity.data_region_url and self.region not in identity.data_region_url:
            raise ConfigError(
                f"region: pinned to {self.region!r} but the credential's data region host is "
                f"{identity.data_region_url}",
                hint="unset the region setting, or use a credential of that region",
            )

    def remember_tenant_host(self, tenant_id: str, api_host: str | None) -> None:
        """Record a tenant's ``apiHost`` (e.g. from a tenant listing) to save a lookup."""
        self._tenant_hosts[tenant_id.lower()] = api_host

    async def tenant_host(self, tenant_id: str) -> str:
        """The data-region host of a tenant of partner/organization credentials, looked up once."""
        key = tenant_id.lower()
        if key not in self._tenant_hosts:
            body = await self.request("GET", f"/tenants/{tenant_id}", scope=Scope.PARTNER_OR_ORG)
            host = body.get("apiHost") if isinstance(body, dict) else None
            self._tenant_hosts[key] = host if isinstance(host, str) and host else None
        host = self._tenant_hosts[key]
        if host is None:
            raise NotFoundError(
                f"tenant {tenant_id} has no apiHost in Sophos Central (it may be inactive or "
                "still being provisioned), so its data cannot be reached",
                hint="check the tenant's status with: pysophos tenants get ID",
            )
        return host

    async def _target(
        self, scope: Scope, path: str, tenant_id: str | None
    ) -> tuple[str, dict[str, str]]:
        """The full URL and tenancy headers of a request."""
        if scope is Scope.GLOBAL:
            return join_url(self.api_url, path), {}
        identity = await self.identity()
        if scope is Scope.PARTNER_OR_ORG:
            prefix, headers = identity.partner_or_org_prefix()
            return join_url(identity.global_url, prefix + path), headers
        if scope is Scope.PARTNER:
            prefix, headers = identity.partner_prefix()
            return join_url(identity.global_url, prefix + path), headers
        if scope in (Scope.TENANT_GLOBAL, Scope.TENANT_OR_PARTNER_GLOBAL):
            return self._global_tenant_target(identity, scope, path, tenant_id)
        if identity.is_tenant:
            if tenant_id is not None and tenant_id.lower() != identity.id.lower():
                raise ConfigError(
                    f"tenant_id: {tenant_id} is not this credential's tenant ({identity.id})",
                    hint="tenant credentials reach only their own tenant; unset tenant_id",
                )
            if identity.data_region_url is None:
                raise ResponseValidationError(
                    "whoami gave no apiHosts.dataRegion for a tenant credential"
                )
            return join_url(identity.data_region_url, path), {"X-Tenant-ID": identity.id}
        if tenant_id is None:
            raise TenantRequiredError(
                f"this is a {identity.id_type} credential: tenant APIs need a tenant to act on"
            )
        host = await self.tenant_host(tenant_id)
        return join_url(host, path), {"X-Tenant-ID": tenant_id}

    def _global_tenant_target(
        self, identity: Identity, scope: Scope, path: str, tenant_id: str | None
    ) -> tuple[str, dict[str, str]]:
        """Tenant APIs of the global host: the tenant in ``X-Tenant-ID``, no apiHost lookup."""
        url = join_url(identity.global_url, path)
        if identity.is_tenant:
            if tenant_id is not None and tenant_id.lower() != identity.id.lower():
                raise ConfigError(
                    f"tenant_id: {tenant_id} is not this credential's tenant ({identity.id})",
                    hint="tenant credentials reach only their own tenant; unset tenant_id",
                )
            return url, {"X-Tenant-ID": identity.id}
        if tenant_id is not None:
            return url, {"X-Tenant-ID": tenant_id}
        if scope is Scope.TENANT_OR_PARTNER_GLOBAL and identity.id_type == "partner":
            return url, {"X-Partner-ID": identity.id}
        raise TenantRequiredError(
            f"this is a {identity.id_type} credential: tenant APIs need a tenant to act on"
        )

    async def url_for(self, scope: Scope, path: str, tenant_id: str | None = None) -> str:
        """The full URL a request to ``path`` in ``scope`` goes to (looked up as sending would)."""
        url, _ = await self._target(scope, path, tenant_id)
        return url

    def known_hosts(self) -> list[str]:
        r"""The API base URLs this transport knows of: the configured one, whoami's hosts (once
        asked) and the tenants' ``apiHost``\ s seen so far."""
        hosts = [self.api_url]
        if self._identity is not None:
            hosts.append(self._identity.global_url)
            if self._identity.data_region_url:
                hosts.append(self._identity.data_region_url)
        hosts.extend(host for host in self._tenant_hosts.values() if host)
        return hosts

    # --- tokens ------------------------------------------------------------------------------

    async def _valid_token(self) -> Token:
        token = self._token
        if token is not None and token.is_fresh(time.time()):
            return token
        async with self._token_lock:  # single flight: one token request however many callers
            token = self._token
            if token is not None and token.is_fresh(time.time()):
                return token
            cached = self._token_cache.load(self._cache_key) if self._token_cache else None
            if cached is not None and cached.is_fresh(time.time()):
                self._token = cached
                return cached
            token = await self._fetch_token()
            self._token = token
            if self._token_cache is not None:
                self._token_cache.save(self._cache_key, token)
            return token

    def _discard_token(self, token: Token) -> None:
        if self._token is token:
            self._token = None
        if self._token_cache is not None:
            self._token_cache.discard(self._cache_key)

    async def _fetch_token(self) -> Token:
        if not may_send_token_to(self.auth_url):
            raise ConfigError(
                f"auth_url: refusing to send the client secret over plain http to {self.auth_url}",
                hint="use an https:// token URL (plain http is allowed only to a loopback address)",
            )
        form = token_request_form(self._client_id, self._client_secret)
        attempt = 0
        while True:
            await self._throttle()
            self.token_requests += 1
            try:
                response = await self._http.post(self.auth_url, data=form)
            except httpx.TransportError as exc:
                failure = _classify(exc)
                delay = self._policy.delay_for_failure("POST", failure, attempt, idempotent=True)
                if delay is None:
                    raise _connection_error(
                        exc, failure, "POST", self.auth_url, unsafe=False
                    ) from None
            else:
                self._log(response)
                status = response.status_code
                if status < 500 and status != 429:
                    return parse_token_response(status, response.content, time.time())
                retry_after = parse_retry_after(response.headers.get("Retry-After"), time.time())
                delay = self._policy.delay_for_status(
                    "POST", status, attempt, retry_after, idempotent=True
                )
                if delay is None:
                    raise error_from_response(
                        status, response.content, method="POST", url=self.auth_url
                    )
            await self._pause(delay)
            attempt += 1

    # --- sending -----------------------------------------------------------------------------

    async def _throttle(self) -> None:
        if self._limiter is None:
            return
        async with self._limiter_lock:
            wait = self._limiter.reserve(time.monotonic())
        if wait > 0:
            await self._pause(wait)

    async def _pause(self, seconds: float) -> None:
        await self._sleep(seconds)

    def _log(self, response: httpx.Response) -> None:
        if logger.isEnabledFor(logging.DEBUG):
            request = response.request
            try:
                timing = f" ({response.elapsed.total_seconds() * 1000:.0f} ms)"
            except RuntimeError:  # not measured (e.g. a test transport)
                timing = ""
            # Method, URL and status only: headers carry the bearer token, bodies may carry passwords.
            logger.debug("%s %s -> %s%s", request.method, request.url, response.status_code, timing)

    async def request(self, method: str, path: str, **options: Unpack[RequestOptions]) -> Any:
        """Send one API request and return its parsed JSON body (``None`` when empty).

        ``headers`` are extra headers (checked by the caller: never authentication or tenancy).
        """
        url, content = await self._exchange(method, path, **options)
        if content is None:
            return {}
        return parse_json(content, method=method, url=url)

    async def request_content(
        self, method: str, path: str, **options: Unpack[RequestOptions]
    ) -> bytes:
        """Like :meth:`request`, but the body's bytes, undecoded (``b"{}"`` in a dry run).

        Listings fetch the next page with this ahead of time, so the decoding happens in the
        caller's thread rather than competing with it for the GIL.
        """
        _, content = await self._exchange(method, path, **options)
        return b"{}" if content is None else content

    async def _exchange(
        self,
        method: str,
        path: str,
        *,
        scope: Scope,
        tenant_id: str | None = None,
        params: dict[str, Any] | None = None,
        json: Any = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[str, bytes | None]:
        """Send one request (token, retries, errors); its URL and body bytes (None: dry run)."""
        url, tenancy = await self._target(scope, path, tenant_id)
        if not may_send_token_to(url):
            raise ConfigError(
                f"api_url: refusing to send the bearer token over plain http to {url}",
                hint="use https:// (plain http is allowed only to a loopback address)",
            )
        if self.dry_run_sink is not None and not is_safe(method):
            self.dry_run_sink(method, str(httpx.URL(url, params=params)), json)
            return url, None
        attempt = 0
        replayed_after_401 = False
        while True:
            token = await self._valid_token()
            await self._throttle()
            request = self._http.build_request(
                method,
                url,
                params=params,
                json=json,
                headers={
                    **(headers or {}),
                    **tenancy,
                    "Authorization": f"Bearer {token.access_token}",
                },
            )
            try:
                response = await self._http.send(request)
            except httpx.TransportError as exc:
                failure = _classify(exc)
                delay = self._policy.delay_for_failure(method, failure, attempt)
                if delay is None:
                    raise _connection_error(
                        exc, failure, method, url, unsafe=not is_safe(method)
                    ) from None
                await self._pause(delay)
                attempt += 1
                continue
            self._log(response)
            status = response.status_code
            if 200 <= status < 300:
                return url, response.content
            if status == 401 and not replayed_after_401:
                # The token may have been revoked or expired early: renew once and replay once.
                # A 401 means the request was refused before it did anything, so replay is safe.
                replayed_after_401 = True
                self._discard_token(token)
                continue
            retry_after = parse_retry_after(response.headers.get("Retry-After"), time.time())
            delay = self._policy.delay_for_status(method, status, attempt, retry_after)
            if delay is None:
                raise error_from_response(
                    status, response.content, method=method, url=url, unsafe=not is_safe(method)
                )
            await self._pause(delay)
            attempt += 1


def _tls_verification(ca_bundle: str | os.PathLike[str] | None) -> ssl.SSLContext | bool:
    """What to trust: ``ca_bundle``'s certificates, else the default ones (``SSL_CERT_FILE``
    and ``SSL_CERT_DIR`` are honoured by httpx)."""
    if ca_bundle is None:
        return True
    try:
        return ssl.create_default_context(cafile=os.fspath(ca_bundle))
    except (OSError, ssl.SSLError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise ConfigError(
            f"ca_bundle: cannot use {os.fspath(ca_bundle)} as CA certificates: {reason}",
            hint="point ca_bundle (or SOPHOS_CA_BUNDLE) at a readable PEM file",
        ) from None


def _certificate_failure(exc: BaseException) -> ssl.SSLCertVerificationError | None:
    """The certificate verification error behind a connection failure, if that is what it was."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _classify(exc: httpx.TransportError) -> Failure:
    if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout):
        return Failure.CONNECT
    if isinstance(exc, httpx.TimeoutException):
        return Failure.TIMEOUT
    return Failure.DROPPED


def _connection_error(
    exc: httpx.TransportError, failure: Failure, method: str, url: str, *, unsafe: bool
) -> APIConnectionError:
    reason = type(exc).__name__
    certificate = _certificate_failure(exc)
    if certificate is not None:
        host = httpx.URL(url).host
        detail = certificate.verify_message or str(certificate)
        return APIConnectionError(
            f"certificate verify failed for {host}: {detail}",
            hint="behind a TLS-inspecting proxy, set ca_bundle (or SOPHOS_CA_BUNDLE) to its CA "
            "certificate file; otherwise check the system clock and the host name",
        )
    if unsafe and failure is not Failure.CONNECT:
        return OutcomeUnknownError(
            f"{method} {url} got no answer ({reason}); the change may or may not have been "
            "applied, so it was not re-sent"
        )
    if failure is Failure.TIMEOUT:
        return APITimeoutError(f"{method} {url} timed out ({reason})")
    return APIConnectionError(f"{method} {url} failed: could not reach the API ({reason})")
