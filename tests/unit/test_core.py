"""The sans-I/O core: pure functions and small state machines, tested without mocks."""

from __future__ import annotations

import email.utils
from datetime import UTC, datetime

import pytest

from pysophoscentralapi import (
    AuthenticationError,
    ConfigError,
    PaginationError,
    ResponseValidationError,
    ServerError,
)
from pysophoscentralapi._page import Page, validate_item
from pysophoscentralapi._paging import PageCursor, PageInfo, PagingStyle, split_page
from pysophoscentralapi._ratelimit import TokenBucket
from pysophoscentralapi._responses import error_from_response
from pysophoscentralapi._retry import (
    MAX_RETRY_AFTER_SECONDS,
    Failure,
    RetryPolicy,
    parse_retry_after,
)
from pysophoscentralapi._routing import (
    Identity,
    check_region,
    is_loopback_host,
    join_url,
    may_send_token_to,
    normalise_tenant_id,
)
from pysophoscentralapi._tokens import Token, cache_key, parse_token_response
from pysophoscentralapi.models import SophosModel, Timestamp, TolerantEnum

NOW = 1_700_000_000.0


# --- retry -------------------------------------------------------------------------------------


def test_retry_after_seconds_date_garbage_and_cap() -> None:
    assert parse_retry_after("5", NOW) == 5.0
    assert parse_retry_after(" 0 ", NOW) == 0.0
    assert parse_retry_after("-3", NOW) == 0.0
    assert parse_retry_after("100000", NOW) == MAX_RETRY_AFTER_SECONDS
    date = email.utils.formatdate(NOW + 30, usegmt=True)
    assert parse_retry_after(date, NOW) == pytest.approx(30, abs=1)
    assert parse_retry_after("soon", NOW) is None
    assert parse_retry_after("nan", NOW) is None
    assert parse_retry_after(None, NOW) is None


def test_policy_retries_429_for_every_method_and_5xx_only_for_safe_ones() -> None:
    policy = RetryPolicy(max_retries=3, jitter=lambda: 1.0)
    assert policy.delay_for_status("POST", 429, 0, 2.0) == 2.0
    assert policy.delay_for_status("DELETE", 429, 0, None) == 0.5
    assert policy.delay_for_status("GET", 503, 0, None) == 0.5
    assert policy.delay_for_status("POST", 503, 0, None) is None
    assert policy.delay_for_status("POST", 503, 0, None, idempotent=True) == 0.5
    assert policy.delay_for_status("GET", 404, 0, None) is None
    assert policy.delay_for_status("GET", 503, 3, None) is None


def test_policy_on_failures_without_answer() -> None:
    policy = RetryPolicy(max_retries=2, jitter=lambda: 1.0)
    assert policy.delay_for_failure("POST", Failure.CONNECT, 0) == 0.5
    assert policy.delay_for_failure("POST", Failure.TIMEOUT, 0) is None
    assert policy.delay_for_failure("PATCH", Failure.DROPPED, 0) is None
    assert policy.delay_for_failure("GET", Failure.DROPPED, 1) == 1.0
    assert policy.delay_for_failure("GET", Failure.DROPPED, 2) is None


def test_backoff_grows_exponentially_with_full_jitter_and_a_cap() -> None:
    top = RetryPolicy(jitter=lambda: 1.0)
    assert [top.backoff(n) for n in range(6)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    assert RetryPolicy(jitter=lambda: 0.0).backoff(4) == 0.0


# --- tokens ------------------------------------------------------------------------------------


def test_token_freshness_uses_a_margin() -> None:
    token = Token("abc", expires_at=NOW + 100)
    assert token.is_fresh(NOW)
    assert not token.is_fresh(NOW + 50)
    assert "abc" not in repr(token)


def test_token_response_parsing() -> None:
    token = parse_token_response(200, b'{"access_token":"t","expires_in":3600}', NOW)
    assert token == Token("t", NOW + 3600)
    with pytest.raises(ResponseValidationError):
        parse_token_response(200, b'{"expires_in":3600}', NOW)
    with pytest.raises(AuthenticationError) as caught:
        parse_token_response(
            401,
            b'{"errorCode":"oauth.invalid_client_id","message":"Unauthorized","trackingId":"tr"}',
            NOW,
        )
    assert caught.value.error_code == "oauth.invalid_client_id"
    assert caught.value.tracking_id == "tr"
    with pytest.raises(AuthenticationError, match="HTTP 400"):
        parse_token_response(400, b"not json", NOW)


def test_cache_key_is_stable_and_reveals_nothing() -> None:
    key = cache_key("my-client", "https://id.sophos.com/api/v2/oauth2/token")
    assert key == cache_key("my-client", "https://id.sophos.com/api/v2/oauth2/token")
    assert key != cache_key("other", "https://id.sophos.com/api/v2/oauth2/token")
    assert "my-client" not in key


# --- routing -----------------------------------------------------------------------------------


def test_join_url_keeps_path_prefixes() -> None:
    assert (
        join_url("http://h:1/region/eu01", "/endpoint/v1/x")
        == "http://h:1/region/eu01/endpoint/v1/x"
    )
    assert (
        join_url("http://h:1/region/eu01/", "endpoint/v1/x")
        == "http://h:1/region/eu01/endpoint/v1/x"
    )
    assert (
        join_url("https://api.central.sophos.com", "/whoami/v1")
        == "https://api.central.sophos.com/whoami/v1"
    )


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://api.central.sophos.com/x", True),
        ("http://127.0.0.1:8080/x", True),
        ("http://127.9.9.9/x", True),
        ("http://localhost:1/x", True),
        ("http://[::1]:8080/x", True),
        ("http://api.central.sophos.com/x", False),
        ("http://10.0.0.1/x", False),
        ("ftp://127.0.0.1/x", False),
    ],
)
def test_bearer_token_only_over_https_or_to_loopback(url: str, allowed: bool) -> None:
    assert may_send_token_to(url) is allowed


def test_loopback_names() -> None:
    assert is_loopback_host("LOCALHOST")
    assert not is_loopback_host("example.com")


def test_identity_from_whoami() -> None:
    body = {"id": "p1", "idType": "partner", "apiHosts": {"global": "https://g"}}
    identity = Identity.from_whoami(body, "https://fallback")
    assert identity.partner_or_org_prefix() == ("/partner/v1", {"X-Partner-ID": "p1"})
    assert identity.data_region_url is None
    org = Identity.from_whoami({"id": "o1", "idType": "organization"}, "https://fallback")
    assert org.global_url == "https://fallback"
    assert org.partner_or_org_prefix()[0] == "/organization/v1"
    tenant = Identity.from_whoami({"id": "t1", "idType": "tenant", "apiHosts": []}, "https://f")
    with pytest.raises(ConfigError, match="tenant credential"):
        tenant.partner_or_org_prefix()
    for bad in (None, [], {"id": "x", "idType": "robot"}, {"idType": "tenant"}):
        with pytest.raises(ResponseValidationError):
            Identity.from_whoami(bad, "https://f")


def test_tenant_id_and_region_validation_name_the_setting_and_fix() -> None:
    assert (
        normalise_tenant_id(" 11F104C5-CC4A-4A9F-BB9C-632C936DFB9F ")
        == "11f104c5-cc4a-4a9f-bb9c-632c936dfb9f"
    )
    with pytest.raises(ConfigError, match="SOPHOS_TENANT_ID") as caught:
        normalise_tenant_id("acme", source="SOPHOS_TENANT_ID")
    assert caught.value.hint is not None
    assert check_region("us03") == "us03"
    with pytest.raises(ConfigError, match="valid regions: eu01"):
        check_region("eu99")


# --- paging ------------------------------------------------------------------------------------


def test_key_cursor_follows_next_keys_and_refuses_a_repeat() -> None:
    cursor = PageCursor(PagingStyle.KEY, 500)
    assert cursor.next_params == {"pageSize": 500}
    cursor.advance(PageInfo(next_key="a b+/="), 500)
    assert cursor.next_params == {"pageFromKey": "a b+/=", "pageSize": 500}
    cursor.advance(PageInfo(next_key="k2"), 500)
    with pytest.raises(PaginationError):
        cursor.advance(PageInfo(next_key="a b+/="), 500)
    done = PageCursor(PagingStyle.KEY, None)
    done.advance(PageInfo(), 3)
    assert done.next_params is None


def test_number_cursor_uses_the_total_then_falls_back_to_short_pages() -> None:
    cursor = PageCursor(PagingStyle.NUMBER, 100)
    assert cursor.next_params == {"pageSize": 100, "page": 1, "pageTotal": True}
    cursor.advance(PageInfo(current=1, total_pages=2), 100)
    assert cursor.next_params == {"page": 2, "pageSize": 100}
    cursor.advance(PageInfo(current=2), 100)  # later pages may omit the total
    assert cursor.next_params is None

    no_total = PageCursor(PagingStyle.NUMBER, 10)
    no_total.advance(PageInfo(current=1), 10)
    assert no_total.next_params == {"page": 2, "pageSize": 10}
    no_total.advance(PageInfo(current=2), 4)
    assert no_total.next_params is None


def test_number_cursor_refuses_a_repeated_page() -> None:
    cursor = PageCursor(PagingStyle.NUMBER, 10)
    cursor.advance(PageInfo(current=1), 10)
    with pytest.raises(PaginationError, match="page 2"):
        cursor.advance(PageInfo(current=1), 10)


def test_unpaged_listing_is_one_request() -> None:
    cursor = PageCursor(PagingStyle.NONE, None)
    assert cursor.next_params == {}
    cursor.advance(PageInfo(), 7)
    assert cursor.next_params is None
    with pytest.raises(ValueError):
        PageCursor(PagingStyle.KEY, 0)


def test_split_page_checks_shape() -> None:
    items, info = split_page(
        {"items": [{"id": 1}], "pages": {"nextKey": "n", "total": 4, "items": 9}}, what="t"
    )
    assert items == [{"id": 1}]
    assert (info.next_key, info.total_pages, info.total_items) == ("n", 4, 9)
    assert split_page({"items": []}, what="t")[1] == PageInfo()
    for bad in (None, {"items": None}, {"items": [1]}, []):
        with pytest.raises(ResponseValidationError):
            split_page(bad, what="t")


# --- errors, models, rate limit ------------------------------------------------------------------


def test_error_mapping_of_statuses_and_bodies() -> None:
    error = error_from_response(
        500,
        b'{"error":"internalServerError","correlationId":"c"}',
        method="POST",
        url="u",
        unsafe=True,
    )
    assert isinstance(error, ServerError)
    assert error.correlation_id == "c"
    assert "may or may not" in str(error)
    odd = error_from_response(418, b"[1,2]", method="GET", url="u")
    assert odd.status_code == 418
    assert odd.error_code is None


class Health(TolerantEnum):
    GOOD = "good"


class Probe(SophosModel):
    overall: Health | None = None
    seen_at: Timestamp | None = None


def test_models_tolerate_unknown_enums_and_fields_and_naive_timestamps() -> None:
    probe = validate_item(
        Probe, {"overall": "glowing", "seenAt": "2021-02-12T15:04:53.780", "extraThing": 1}
    )
    assert probe.overall == "glowing"
    assert Health("good") is Health.GOOD
    assert probe.seen_at == datetime(2021, 2, 12, 15, 4, 53, 780000, tzinfo=UTC)
    assert probe.to_api()["extraThing"] == 1
    zulu = validate_item(Probe, {"seenAt": "2020-11-15T13:14:39.357Z"})
    assert zulu.seen_at is not None
    assert zulu.seen_at.tzinfo is not None
    with pytest.raises(ResponseValidationError):
        validate_item(Probe, {"seenAt": "yesterday-ish"})
    with pytest.raises(ResponseValidationError):
        validate_item(Probe, ["not", "an", "object"])


def test_page_keeps_raw_rows_and_builds_models_lazily() -> None:
    page = Page([{"overall": "good"}], PageInfo(next_key="n"), Probe)
    assert page.raw == [{"overall": "good"}]
    assert [p.overall for p in page] == [Health.GOOD]
    assert "1 items" in repr(page)


def test_token_bucket_spaces_requests_at_the_rate() -> None:
    bucket = TokenBucket(rate=10.0, burst=2.0)
    waits = [bucket.reserve(NOW) for _ in range(4)]
    assert waits == [0.0, 0.0, pytest.approx(0.1), pytest.approx(0.2)]
    assert bucket.reserve(NOW + 10) == 0.0  # refilled, but never above the burst
    with pytest.raises(ValueError):
        TokenBucket(rate=0)


def test_lazy_exports_import_on_first_use_and_refuse_other_names() -> None:
    from pysophoscentralapi._exports import lazy_exports

    namespace: dict[str, object] = {}
    getattr_ = lazy_exports("pkg", {"PagingStyle": "pysophoscentralapi._paging"}, namespace)
    assert getattr_("PagingStyle") is PagingStyle
    assert namespace == {"PagingStyle": PagingStyle}
    with pytest.raises(AttributeError, match="module 'pkg' has no attribute 'Nope'"):
        getattr_("Nope")
    import pysophoscentralapi
    import pysophoscentralapi.models

    with pytest.raises(AttributeError, match="module 'pysophoscentralapi' has no attribute"):
        pysophoscentralapi.Nope  # type: ignore[attr-defined]  # noqa: B018
    with pytest.raises(AttributeError, match=r"module 'pysophoscentralapi\.models' has no"):
        pysophoscentralapi.models.Nope  # type: ignore[attr-defined]  # noqa: B018
