"""The path -> host/tenancy rule of ``central.request`` and ``pysophos api`` (pure)."""

from __future__ import annotations

import pytest

from pysophoscentralapi import ConfigError
from pysophoscentralapi._paging import PageCursor, PageInfo, PagingStyle, detect_style
from pysophoscentralapi._routing import (
    Identity,
    Scope,
    check_extra_headers,
    check_route_credential,
    fill_placeholders,
    path_under,
    placeholders,
    route_for_path,
)


@pytest.mark.parametrize(
    ("path", "scope", "sent_path", "needs"),
    [
        ("/whoami/v1", Scope.GLOBAL, "/whoami/v1", None),
        ("/partner/v1/tenants", Scope.PARTNER_OR_ORG, "/tenants", "partner"),
        ("/partner/v1", Scope.PARTNER_OR_ORG, "", "partner"),
        ("/organization/v1/tenants/t1", Scope.PARTNER_OR_ORG, "/tenants/t1", "organization"),
        ("/accounts/v1/access-tokens", Scope.TENANT_GLOBAL, "/accounts/v1/access-tokens", None),
        ("/licenses/v1/licenses", Scope.TENANT_GLOBAL, "/licenses/v1/licenses", None),
        (
            "/licenses/v1/licenses/firewalls",
            Scope.TENANT_OR_PARTNER_GLOBAL,
            "/licenses/v1/licenses/firewalls",
            None,
        ),
        ("/endpoint/v1/endpoints", Scope.TENANT, "/endpoint/v1/endpoints", None),
        ("common/v1/alerts", Scope.TENANT, "/common/v1/alerts", None),
        ("/firewall/v1/firewalls", Scope.TENANT, "/firewall/v1/firewalls", None),
        # a family is two whole segments: look-alikes are tenant APIs
        ("/partner/v10/tenants", Scope.TENANT, "/partner/v10/tenants", None),
        ("/partners/v1/tenants", Scope.TENANT, "/partners/v1/tenants", None),
        ("/whoami/v1x", Scope.TENANT, "/whoami/v1x", None),
    ],
)
def test_the_family_chooses_the_route(
    path: str, scope: Scope, sent_path: str, needs: str | None
) -> None:
    route = route_for_path(path)
    assert (route.scope, route.path, route.needs) == (scope, sent_path, needs)


def _identity(kind: str) -> Identity:
    return Identity(id="i1", id_type=kind, global_url="https://g", data_region_url=None)


def test_partner_and_organization_apis_need_their_credential() -> None:
    partner_api = route_for_path("/partner/v1/tenants")
    check_route_credential(partner_api, _identity("partner"), "/partner/v1/tenants")
    for kind in ("tenant", "organization"):
        with pytest.raises(ConfigError, match=f"this is a {kind} credential"):
            check_route_credential(partner_api, _identity(kind), "/partner/v1/tenants")
    check_route_credential(route_for_path("/endpoint/v1/x"), _identity("tenant"), "/endpoint/v1/x")


def test_placeholders_in_both_of_the_collections_forms() -> None:
    assert placeholders("/endpoint/v1/endpoints/{id}/isolation") == ["id"]
    assert placeholders("/common/v1/directory/users/:userId/groups/:groupId") == [
        "userId",
        "groupId",
    ]
    assert placeholders("/endpoint/v1/endpoints?x=a:b") == []


def test_fill_placeholders_quotes_values_and_names_what_is_missing() -> None:
    assert fill_placeholders("/a/{id}/b/:other", {"id": "x/y", "other": "z"}) == "/a/x%2Fy/b/z"
    assert fill_placeholders("{{baseUrl}}/endpoint/v1/endpoints", {}) == "/endpoint/v1/endpoints"
    assert fill_placeholders("/t/{tenantId}", {}, keep=["tenantId"]) == "/t/{tenantId}"
    with pytest.raises(ValueError, match=r"\{id\}, \{sub\} not filled in.*-f id=VALUE"):
        fill_placeholders("/a/{id}/{sub}/{id}", {})


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://127.0.0.1:8080/region/eu01/endpoint/v1/x", "/endpoint/v1/x"),
        ("http://127.0.0.1:8080/whoami/v1", "/whoami/v1"),
        ("HTTP://127.0.0.1:8080/region/eu01", "/"),
        ("https://api.central.sophos.com:443/partner/v1/tenants", "/partner/v1/tenants"),
        ("http://127.0.0.1:8081/whoami/v1", None),  # another port
        ("https://127.0.0.1:8080/whoami/v1", None),  # another scheme
        ("http://127.0.0.1:8080/region/eu01x/endpoint", "/region/eu01x/endpoint"),  # global base
        ("https://api.central.sophos.com.evil.test/whoami/v1", None),
        ("https://user@evil.test/whoami/v1", None),
        ("mailto:someone@api.central.sophos.com", None),
    ],
)
def test_path_under_an_allowed_base(url: str, expected: str | None) -> None:
    bases = [
        "http://127.0.0.1:8080",
        "http://127.0.0.1:8080/region/eu01",
        "https://api.central.sophos.com",
    ]
    assert path_under(url, bases) == expected


def test_extra_headers_may_not_set_authentication_or_tenancy() -> None:
    assert check_extra_headers({" Accept-Language ": "de"}) == {"Accept-Language": "de"}
    for name in ("authorization", "X-Tenant-Id", "x-partner-id", "X-Organization-ID", "Host"):
        with pytest.raises(ValueError, match="--tenant"):
            check_extra_headers({name: "v"})


def test_paging_style_is_detected_from_the_first_page() -> None:
    assert detect_style(PageInfo(next_key="k")) is PagingStyle.KEY
    assert detect_style(PageInfo(from_key="k")) is PagingStyle.KEY
    assert detect_style(PageInfo(current=1, size=2)) is PagingStyle.NUMBER
    assert detect_style(PageInfo(size=50, max_size=500)) is PagingStyle.NONE


def test_an_auto_cursor_follows_the_detected_style() -> None:
    keyed = PageCursor(PagingStyle.AUTO, page_size=10)
    assert keyed.next_params == {"pageSize": 10}
    keyed.advance(PageInfo(next_key="k1"), 10)
    assert keyed.next_params == {"pageFromKey": "k1", "pageSize": 10}

    numbered = PageCursor(PagingStyle.AUTO, page_size=None)
    assert numbered.next_params == {}
    numbered.advance(PageInfo(current=1, size=2, total_pages=2), 2)
    assert numbered.next_params == {"page": 2}
    numbered.advance(PageInfo(current=2, size=2), 1)
    assert numbered.next_params is None

    single = PageCursor(PagingStyle.AUTO, page_size=None)
    single.advance(PageInfo(), 3)
    assert single.next_params is None
