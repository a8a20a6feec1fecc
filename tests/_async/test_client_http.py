"""HTTP behaviour of the client against a scripted fake service (httpx.MockTransport).

Written once for the async client; scripts/unasync.py generates the sync twin in tests/_sync.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from pysophoscentralapi import (
    APIConnectionError,
    APITimeoutError,
    AsyncSophosCentral,
    AuthenticationError,
    BadRequestError,
    ConfigError,
    NotFoundError,
    OutcomeUnknownError,
    PaginationError,
    PermissionDeniedError,
    RateLimitError,
    ResponseValidationError,
    ServerError,
    TenantRequiredError,
)
from pysophoscentralapi._async._pagination import AsyncPaginator
from pysophoscentralapi._paging import PagingStyle
from pysophoscentralapi._routing import Scope
from pysophoscentralapi.models import SophosModel
from tests.fake_api import (
    API_URL,
    AUTH_URL,
    OTHER_TENANT_ID,
    PARTNER_ID,
    TENANT_ID,
    FakeSophos,
)


class Thing(SophosModel):
    id: str
    name: str | None = None


class Sleeps:
    """Records the waits the client asks for instead of waiting."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    async def sleep(self, seconds: float) -> None:
        self.calls.append(seconds)


def make_client(
    fake: FakeSophos, sleeps: Sleeps | None = None, **options: object
) -> AsyncSophosCentral:
    settings: dict[str, object] = {
        "auth_url": AUTH_URL,
        "api_url": fake.api_url,
        "transport": fake.transport(),
        "sleep": (sleeps or Sleeps()).sleep,
    }
    settings.update(options)
    return AsyncSophosCentral("client-id", "s3cret", **settings)  # type: ignore[arg-type]


def things(central: AsyncSophosCentral, page_size: int = 2) -> AsyncPaginator[Thing]:
    return AsyncPaginator(
        central._transport, "/things", model=Thing, style=PagingStyle.KEY, page_size=page_size
    )


async def test_whoami_and_tenant_routing_use_the_data_region_and_tenant_header() -> None:
    fake = FakeSophos()
    async with make_client(fake) as central:
        who = await central.whoami()
        assert (who.id, who.id_type, who.api_hosts.data_region) == (
            TENANT_ID,
            "tenant",
            fake.region_url,
        )
        await central._transport.request("GET", "/endpoint/v1/endpoints/x", scope=Scope.TENANT)
    last = fake.api_requests()[-1]
    assert str(last.url) == fake.region_url + "/endpoint/v1/endpoints/x"
    assert last.headers["X-Tenant-ID"] == TENANT_ID
    assert last.headers["Authorization"] == "Bearer tok-1"
    # whoami asked once, however many calls
    assert sum(r.url.path == "/whoami/v1" for r in fake.requests) == 1


async def test_token_is_reused_until_near_expiry() -> None:
    fake = FakeSophos(expires_in=3600)
    async with make_client(fake) as central:
        for _ in range(3):
            await central._transport.request("GET", "/x", scope=Scope.GLOBAL)
    assert len(fake.token_requests()) == 1

    short_lived = FakeSophos(expires_in=30)  # inside the refresh margin: renewed before each use
    async with make_client(short_lived) as central:
        for _ in range(3):
            await central._transport.request("GET", "/x", scope=Scope.GLOBAL)
    assert len(short_lived.token_requests()) == 3


async def test_token_request_is_form_encoded_with_scope_token() -> None:
    fake = FakeSophos()
    async with AsyncSophosCentral(
        "id with space&=", "s3cret", auth_url=AUTH_URL, api_url=API_URL, transport=fake.transport()
    ) as central:
        await central._transport.request("GET", "/x", scope=Scope.GLOBAL)
    token_request = fake.token_requests()[0]
    assert token_request.method == "POST"
    assert token_request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    body = token_request.content.decode()
    assert "grant_type=client_credentials" in body
    assert "scope=token" in body
    assert "client_id=id+with+space%26%3D" in body


async def test_refused_credentials_raise_authentication_error_without_the_secret() -> None:
    fake = FakeSophos()
    central = AsyncSophosCentral(
        "client-id", "wrong-secret", auth_url=AUTH_URL, transport=fake.transport()
    )
    with pytest.raises(AuthenticationError) as caught:
        await central.whoami()
    error = caught.value
    assert error.error_code == "oauth.invalid_client_secret"
    assert error.tracking_id == "t-1"
    assert "wrong-secret" not in str(error) + repr(error)
    await central.aclose()


async def test_401_renews_the_token_once_and_replays() -> None:
    fake = FakeSophos()
    async with make_client(fake) as central:
        await central._transport.request("GET", "/x", scope=Scope.GLOBAL)
        fake.revoked.add("tok-1")
        body = await central._transport.request("POST", "/y", scope=Scope.GLOBAL, json={})
    assert body == {"id": "r1", "status": "requested"}
    assert len(fake.token_requests()) == 2
    assert fake.api_requests()[-1].headers["Authorization"] == "Bearer tok-2"


@pytest.mark.parametrize(
    ("failures", "retries", "error_class", "requests"),
    [
        # a 401 after a fresh token is not renewed again
        ([401, 401], 3, AuthenticationError, 2),
        # a 429 that never clears
        ([(429, {"Retry-After": "1"})] * 4, 3, RateLimitError, 4),
        # timeouts are retried for GET, then raised
        ([httpx.ReadTimeout("slow")] * 3, 2, APITimeoutError, 3),
        # connection errors after the retries
        ([httpx.ConnectError("refused")] * 2, 1, APIConnectionError, 2),
    ],
    ids=["401-after-fresh-token", "429-never-clears", "timeouts", "connect-errors"],
)
async def test_failures_that_outlast_the_retries_raise_typed_errors(
    failures: list[Any], retries: int, error_class: type[Exception], requests: int
) -> None:
    fake = FakeSophos()
    fake.fail_next(*failures)
    async with make_client(fake, max_retries=retries) as central:
        with pytest.raises(error_class):
            await central._transport.request("GET", "/x", scope=Scope.GLOBAL)
    assert len(fake.api_requests()) == requests


async def test_429_waits_retry_after_in_seconds_for_any_method() -> None:
    fake = FakeSophos()
    sleeps = Sleeps()
    fake.fail_next((429, {"Retry-After": "7"}))
    async with make_client(fake, sleeps) as central:
        body = await central._transport.request("POST", "/y", scope=Scope.GLOBAL, json={})
    assert body["status"] == "requested"
    assert sleeps.calls == [7.0]


async def test_429_retry_after_as_http_date() -> None:
    fake = FakeSophos()
    sleeps = Sleeps()
    when = email.utils.formatdate(time.time() + 20, usegmt=True)
    fake.fail_next((429, {"Retry-After": when}))
    async with make_client(fake, sleeps) as central:
        await central._transport.request("GET", "/x", scope=Scope.GLOBAL)
    assert len(sleeps.calls) == 1
    assert 17 <= sleeps.calls[0] <= 20


async def test_5xx_is_retried_for_get() -> None:
    fake = FakeSophos()
    sleeps = Sleeps()
    fake.fail_next(500, 502, 503)
    async with make_client(fake, sleeps) as central:
        body = await central._transport.request("GET", "/x", scope=Scope.GLOBAL)
    assert body["ok"] is True
    assert len(sleeps.calls) == 3
    assert all(0 <= s <= 8 for s in sleeps.calls)


@pytest.mark.parametrize(
    ("failure", "error_class", "says"),
    [
        (503, ServerError, "may or may not have been applied"),
        (httpx.RemoteProtocolError("peer closed"), OutcomeUnknownError, "not re-sent"),
    ],
    ids=["5xx", "dropped"],
)
async def test_a_post_whose_outcome_is_unknown_is_sent_once(
    failure: int | Exception, error_class: type[Exception], says: str
) -> None:
    fake = FakeSophos()
    fake.fail_next(failure)
    async with make_client(fake) as central:
        with pytest.raises(error_class) as caught:
            await central._transport.request("POST", "/y", scope=Scope.GLOBAL, json={"a": 1})
    assert len([r for r in fake.api_requests() if r.method == "POST"]) == 1
    assert says in str(caught.value)


async def test_connect_errors_are_retried_even_for_post() -> None:
    fake = FakeSophos()
    fake.fail_next(httpx.ConnectError("refused"))
    async with make_client(fake) as central:
        body = await central._transport.request("POST", "/y", scope=Scope.GLOBAL, json={})
    assert body["status"] == "requested"


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, BadRequestError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (422, BadRequestError),
    ],
)
async def test_error_statuses_map_to_typed_errors(
    status: int, error_class: type[Exception]
) -> None:
    fake = FakeSophos()
    body = b'{"error":"e","message":"m","correlationId":"c-1","requestId":"r-1"}'
    fake.fail_next((status, {}, body))
    async with make_client(fake) as central:
        with pytest.raises(error_class) as caught:
            await central._transport.request("GET", "/x", scope=Scope.GLOBAL)
    error = caught.value
    assert (error.status_code, error.error_code, error.correlation_id, error.request_id) == (  # type: ignore[attr-defined]
        status,
        "e",
        "c-1",
        "r-1",
    )


async def test_empty_and_non_json_error_bodies_are_handled() -> None:
    fake = FakeSophos()
    fake.fail_next((404, {}, b""), (400, {"Content-Type": "text/plain"}, b"Bad things"))
    async with make_client(fake) as central:
        with pytest.raises(NotFoundError) as empty:
            await central._transport.request("GET", "/x", scope=Scope.GLOBAL)
        with pytest.raises(BadRequestError):
            await central._transport.request("GET", "/x", scope=Scope.GLOBAL)
    assert empty.value.correlation_id is None


async def test_non_json_success_body_is_a_validation_error() -> None:
    fake = FakeSophos()
    fake.fail_next((200, {}, b"<html>proxy login</html>"))
    async with make_client(fake) as central:
        with pytest.raises(ResponseValidationError):
            await central._transport.request("GET", "/x", scope=Scope.GLOBAL)


async def test_key_paging_walks_every_page_and_url_encodes_keys() -> None:
    fake = FakeSophos(page_keys=["a+b/c=", "with space", "x==+/"], items_per_page=3)
    async with make_client(fake) as central:
        ids = [thing.id async for thing in things(central, page_size=3)]
    assert len(ids) == 12
    assert len(set(ids)) == 12
    sent_keys = [
        r.url.params.get("pageFromKey")
        for r in fake.api_requests()
        if r.url.path.endswith("/things")
    ]
    assert sent_keys == [None, "a+b/c=", "with space", "x==+/"]
    raw_query = [r.url.query for r in fake.api_requests() if r.url.path.endswith("/things")][1]
    assert b"a%2Bb%2Fc%3D" in raw_query


async def test_first_page_gives_paging_info() -> None:
    fake = FakeSophos()
    async with make_client(fake) as central:
        page = await things(central).first_page()
    assert len(page) == 2
    assert page.info.next_key == fake.page_keys[0]
    assert page.raw[0] == {"id": "0-0", "name": "item 0-0"}
    assert page.items[0].name == "item 0-0"


def _wait_until(condition: Callable[[], bool]) -> bool:
    deadline = time.monotonic() + 2
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.005)
    return condition()


async def test_the_next_page_is_fetched_while_the_caller_works_on_this_one() -> None:
    fake = FakeSophos(page_keys=["k1", "k2", "k3"])

    def listing_requests() -> int:
        return sum(r.url.path.endswith("/things") for r in fake.requests)

    async with make_client(fake) as central:
        pages = things(central).pages()
        first = await pages.__anext__()
        assert first.info.next_key == "k1"
        # page 2 is on its way before anyone asked for it; page 3 only once page 2 is taken
        assert _wait_until(lambda: listing_requests() == 2)
        second = await pages.__anext__()
        assert second.raw[0]["id"] == "1-0"
        assert _wait_until(lambda: listing_requests() == 3)
        await pages.aclose()  # stopping early abandons the page in flight, and asks for no more
    assert listing_requests() == 3


async def test_a_repeated_key_stops_with_pagination_error() -> None:
    fake = FakeSophos(page_keys=["same", "same"])
    async with make_client(fake) as central:
        with pytest.raises(PaginationError):
            async for _ in things(central):
                pass


async def test_number_paging_walks_to_the_total() -> None:
    fake = FakeSophos(number_pages=4, items_per_page=2)
    async with make_client(fake) as central:
        paginator = AsyncPaginator(
            central._transport, "/numbered", model=Thing, style=PagingStyle.NUMBER, page_size=2
        )
        ids = [thing.id async for thing in paginator]
    assert ids == [f"p{p}-{n}" for p in range(1, 5) for n in range(2)]
    pages_asked = [
        r.url.params["page"] for r in fake.api_requests() if r.url.path.endswith("/numbered")
    ]
    assert pages_asked == ["1", "2", "3", "4"]


async def test_partner_credentials_route_to_partner_api_and_tenant_api_host() -> None:
    fake = FakeSophos(kind="partner")
    async with make_client(fake) as central:
        with pytest.raises(TenantRequiredError):
            await central._transport.request("GET", "/endpoint/v1/endpoints", scope=Scope.TENANT)
        await central._transport.request("GET", "/tenants", scope=Scope.PARTNER_OR_ORG)
        tenant = central.for_tenant(OTHER_TENANT_ID.upper())
        await tenant._transport.request(
            "GET", "/endpoint/v1/endpoints", scope=Scope.TENANT, tenant_id=tenant.tenant_id
        )
        await tenant._transport.request(
            "GET", "/endpoint/v1/endpoints", scope=Scope.TENANT, tenant_id=tenant.tenant_id
        )
    requests = fake.api_requests()
    partner_list = next(r for r in requests if r.url.path == "/partner/v1/tenants")
    assert partner_list.headers["X-Partner-ID"] == PARTNER_ID
    data = [r for r in requests if r.url.path == "/endpoint/v1/endpoints"]
    assert all(r.headers["X-Tenant-ID"] == OTHER_TENANT_ID for r in data)
    assert all(str(r.url).startswith(fake.region_url) for r in data)
    # the tenant's apiHost was looked up once, and the token was shared
    assert sum(r.url.path == f"/partner/v1/tenants/{OTHER_TENANT_ID}" for r in requests) == 1
    assert len(fake.token_requests()) == 1


async def test_organization_credentials_use_the_organization_api() -> None:
    fake = FakeSophos(kind="organization")
    async with make_client(fake) as central:
        await central._transport.request("GET", "/tenants", scope=Scope.PARTNER_OR_ORG)
    listing = fake.api_requests()[-1]
    assert listing.url.path == "/organization/v1/tenants"
    assert listing.headers["X-Organization-ID"] == PARTNER_ID


async def test_base_urls_with_a_path_prefix_are_joined_not_replaced() -> None:
    fake = FakeSophos(
        api_url="http://127.0.0.1:8080/global", region_url="http://127.0.0.1:8080/region/eu01/"
    )
    async with make_client(fake) as central:
        await central._transport.request("GET", "/endpoint/v1/endpoints", scope=Scope.TENANT)
    urls = [str(r.url) for r in fake.api_requests()]
    assert urls == [
        "http://127.0.0.1:8080/global/whoami/v1",
        "http://127.0.0.1:8080/region/eu01/endpoint/v1/endpoints",
    ]


async def test_the_token_never_goes_over_plain_http_to_a_remote_host() -> None:
    fake = FakeSophos(api_url="http://api.example.test")
    async with make_client(fake) as central:
        with pytest.raises(ConfigError, match="plain http"):
            await central.whoami()
    assert fake.api_requests() == []


async def test_dry_run_sends_reads_but_not_changes() -> None:
    fake = FakeSophos()
    seen: list[tuple[str, str, object]] = []
    async with make_client(fake, dry_run_sink=lambda m, u, b: seen.append((m, u, b))) as central:
        await central._transport.request("GET", "/endpoint/v1/endpoints", scope=Scope.TENANT)
        result = await central._transport.request(
            "POST", "/endpoint/v1/endpoints/e1/scans", scope=Scope.TENANT, json={}
        )
    assert result == {}
    assert seen == [("POST", fake.region_url + "/endpoint/v1/endpoints/e1/scans", {})]
    assert all(r.method == "GET" for r in fake.api_requests())


async def test_rate_limit_spaces_requests() -> None:
    fake = FakeSophos()
    sleeps = Sleeps()
    async with make_client(fake, sleeps, rate_limit=2.0) as central:
        for _ in range(6):
            await central._transport.request("GET", "/x", scope=Scope.GLOBAL)
    # burst of 2, then waits: the limiter asked for pauses adding up to about 2 seconds
    assert sum(sleeps.calls) >= 1.5


async def test_missing_credentials_and_bad_settings_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="client_secret"):
        AsyncSophosCentral("id", None)
    with pytest.raises(ConfigError, match="tenant_id"):
        AsyncSophosCentral("id", "s", tenant_id="not-a-uuid")
    with pytest.raises(ConfigError, match="eu01"):
        AsyncSophosCentral("id", "s", region="mars01")


async def test_repr_hides_the_secret_and_token() -> None:
    fake = FakeSophos()
    async with make_client(fake) as central:
        await central.whoami()
        text = repr(central) + repr(central._transport) + repr(central._transport._token)
    assert "s3cret" not in text
    assert "tok-1" not in text


async def test_declared_namespaces_are_built_for_the_client_and_each_tenant() -> None:
    fake = FakeSophos(kind="partner")
    async with make_client(fake) as central:
        tenant = central.for_tenant(OTHER_TENANT_ID)
        declared = type(central).__annotations__
        assert len(declared) > 20
        assert all(hasattr(central, name) and hasattr(tenant, name) for name in declared)
        for client, tenant_id in ((central, None), (tenant, OTHER_TENANT_ID)):
            nested = [
                client.endpoints.memory_dumps,
                client.settings.web_control.local_sites,
                client.settings.web_control.tls_decryption.excluded_websites,
                client.settings.exploit_mitigation.detected_exploits,
                client.users.groups,
                client.software.static_packages,
                client.account.access_tokens,
                client.partner.roles,
            ]
            for namespace in nested:
                assert namespace._transport is central._transport
                assert namespace._tenant_id == tenant_id
        assert repr(central.partner) == "AsyncPartner()"
        assert (
            repr(tenant.settings.peripherals) == f"AsyncPeripherals(tenant_id='{OTHER_TENANT_ID}')"
        )
