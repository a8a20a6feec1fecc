"""Request building of ``central.alerts`` against a scripted service (httpx.MockTransport).

Written once for the async client; scripts/unasync.py generates the sync twin in tests/_sync.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from pysophoscentralapi import AsyncSophosCentral
from pysophoscentralapi.models import Alert, AlertAction, AlertActionResult, AlertSeverity
from tests._async._helpers import REGION_URL, TENANT_ID, Answer, Recorder, assert_tenant_request

ALERT_ID = "f9415c5f-e0e9-41d7-8126-1956223a66f1"
OTHER_ID = "a5ded91c-6575-435c-a6b4-64b94f9048ff"

ALERT = {
    "id": ALERT_ID,
    "allowedActions": ["acknowledge", "cleanPua"],
    "category": "pua",
    "description": "Generic reputation PUA detected C:\\Temp\\WinExeSvc.exe",
    "groupKey": "MSxFdmVudDo6RW5kcG9pbnQ6Ok91dE9mRGF0ZSw1MTMs",
    "managedAgent": {"id": "bb90527d-73a8-4e6e-85c6-20c2e0c5bc6f", "type": "computer"},
    "person": {"id": "17dd896f-ee9f-4f7d-a2a2-6a8c0b48ff15"},
    "product": "endpoint",
    "raisedAt": "2021-02-12T15:04:53.780",
    "severity": "medium",
    "tenant": {"id": TENANT_ID, "name": "Acme Corp"},
    "type": "Event::Endpoint::PUADetected",
}


def no_request(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"no request expected, got {request.method} {request.url}")


def key_pages(pages: list[list[dict[str, Any]]]) -> Answer:
    """A key-paged listing: page N's nextKey is "kN+1" (query or JSON body)."""

    def route(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            key = json.loads(request.content).get("pageFromKey")
        else:
            key = request.url.params.get("pageFromKey")
        index = 0 if key is None else int(key[1:])
        meta: dict[str, Any] = {"size": len(pages[index]), "maxSize": 100}
        if index + 1 < len(pages):
            meta["nextKey"] = f"k{index + 1}"
        return httpx.Response(200, json={"items": pages[index], "pages": meta})

    return route


def query(request: httpx.Request) -> dict[str, str]:
    return dict(request.url.params)


async def test_list_sends_filters_as_comma_lists_on_the_data_region() -> None:
    service = Recorder(key_pages([[ALERT]]))
    async with service.client() as central:
        alerts = await central.alerts.list(
            from_="2024-05-01T12:00:00Z",
            to=datetime(2024, 5, 2, tzinfo=UTC),
            severity=["high", "medium"],
            category="malware,pua",
            product=["endpoint"],
            group_key="MSxFdmVudA==",
            ids=[ALERT_ID.upper(), OTHER_ID],
            sort="raisedAt:desc",
            fields=["id", "severity"],
        ).to_list()
    (request,) = service.requests
    assert_tenant_request(request, "GET", REGION_URL + "/common/v1/alerts")
    assert query(request) == {
        "from": "2024-05-01T12:00:00.000Z",
        "to": "2024-05-02T00:00:00.000Z",
        "severity": "high,medium",
        "category": "malware,pua",
        "product": "endpoint",
        "groupKey": "MSxFdmVudA==",
        "ids": f"{ALERT_ID},{OTHER_ID}",
        "sort": "raisedAt:desc",
        "fields": "id,severity",
        "pageSize": "100",
    }
    assert [a.id for a in alerts] == [ALERT_ID]


async def test_list_without_filters_asks_only_for_the_largest_page() -> None:
    service = Recorder(key_pages([[ALERT]]))
    async with service.client() as central:
        await central.alerts.list().to_list()
    assert query(service.requests[0]) == {"pageSize": "100"}


async def test_list_follows_next_keys_across_pages() -> None:
    pages = [[{**ALERT, "id": f"00000000-0000-4000-8000-00000000000{n}"}] for n in range(3)]
    service = Recorder(key_pages(pages))
    async with service.client() as central:
        ids = [alert.id async for alert in central.alerts.list(page_size=1)]
    assert len(ids) == 3
    assert [query(r).get("pageFromKey") for r in service.requests] == [None, "k1", "k2"]
    assert all(query(r)["pageSize"] == "1" for r in service.requests)


async def test_durations_are_sent_as_times_relative_to_now() -> None:
    service = Recorder(key_pages([[]]))
    before = datetime.now(UTC)
    async with service.client() as central:
        await central.alerts.list(from_=timedelta(days=7), to="-PT1H").to_list()
    after = datetime.now(UTC)
    sent = query(service.requests[0])

    def parsed(text: str) -> datetime:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))

    slack = timedelta(milliseconds=2)
    frm, to = parsed(sent["from"]), parsed(sent["to"])
    assert before - timedelta(days=7) - slack <= frm <= after - timedelta(days=7)
    assert before - timedelta(hours=1) - slack <= to <= after - timedelta(hours=1)


async def test_search_posts_the_filters_and_paging_in_the_body() -> None:
    pages = [[ALERT], [{**ALERT, "id": OTHER_ID}]]
    service = Recorder(key_pages(pages))
    async with service.client() as central:
        alerts = await central.alerts.search(
            severity="high", ids=[OTHER_ID], sort=["raisedAt:desc", "severity"], page_size=1
        ).to_list()
    assert [a.id for a in alerts] == [ALERT_ID, OTHER_ID]
    assert [(r.method, r.url.path) for r in service.requests] == [
        ("POST", "/common/v1/alerts/search"),
        ("POST", "/common/v1/alerts/search"),
    ]
    assert [json.loads(r.content) for r in service.requests] == [
        {
            "severity": ["high"],
            "ids": [OTHER_ID],
            "sort": ["raisedAt:desc", "severity"],
            "pageSize": 1,
        },
        {
            "severity": ["high"],
            "ids": [OTHER_ID],
            "sort": ["raisedAt:desc", "severity"],
            "pageSize": 1,
            "pageFromKey": "k1",
        },
    ]
    assert all(not r.url.params for r in service.requests)


async def test_get_returns_the_alert_model() -> None:
    service = Recorder(lambda request: httpx.Response(200, json=ALERT))
    async with service.client() as central:
        alert = await central.alerts.get(ALERT_ID)
    assert service.requests[0].url.path == f"/common/v1/alerts/{ALERT_ID}"
    assert isinstance(alert, Alert)
    assert alert.severity is AlertSeverity.MEDIUM
    assert alert.allowed_actions == [AlertAction.ACKNOWLEDGE, AlertAction.CLEAN_PUA]
    assert alert.raised_at == datetime(2021, 2, 12, 15, 4, 53, 780000, tzinfo=UTC)
    assert alert.tenant is not None
    assert alert.tenant.name == "Acme Corp"


def alert_then_action(request: httpx.Request) -> httpx.Response:
    if request.method == "GET":
        return httpx.Response(200, json=ALERT)
    return httpx.Response(
        201,
        json={
            "id": "2f2d0c43-5687-4cf6-ba15-dd1c1173e673",
            "alertId": ALERT_ID,
            "action": "cleanPua",
            "status": "started",
            "requestedAt": "2021-02-12T14:35:20.248",
            "startedAt": "2021-02-12T14:37:01.922",
            "completedAt": None,
            "result": "",
        },
    )


async def test_act_checks_the_allowed_actions_then_posts_the_action() -> None:
    service = Recorder(alert_then_action)
    async with service.client() as central:
        result = await central.alerts.act(ALERT_ID, "cleanPua", message="Remove WinExeSvc")
    assert [(r.method, r.url.path) for r in service.requests] == [
        ("GET", f"/common/v1/alerts/{ALERT_ID}"),
        ("POST", f"/common/v1/alerts/{ALERT_ID}/actions"),
    ]
    assert json.loads(service.requests[1].content) == {
        "action": "cleanPua",
        "message": "Remove WinExeSvc",
    }
    assert isinstance(result, AlertActionResult)
    assert result.alert_id == ALERT_ID
    assert result.status == "started"
    assert result.completed_at is None


async def test_act_without_message_sends_only_the_action() -> None:
    service = Recorder(alert_then_action)
    async with service.client() as central:
        await central.alerts.act(ALERT_ID, AlertAction.ACKNOWLEDGE)
    assert json.loads(service.requests[1].content) == {"action": "acknowledge"}


async def test_act_refuses_an_action_the_alert_does_not_allow_without_posting() -> None:
    service = Recorder(alert_then_action)
    async with service.client() as central:
        with pytest.raises(ValueError, match="allowed actions: acknowledge, cleanPua"):
            await central.alerts.act(ALERT_ID, "clearThreat")
    assert [r.method for r in service.requests] == ["GET"]


async def test_act_in_a_dry_run_reads_the_alert_but_sends_no_action() -> None:
    sent: list[tuple[str, str, Any]] = []
    service = Recorder(alert_then_action)
    async with service.client(dry_run_sink=lambda *call: sent.append(call)) as central:
        result = await central.alerts.act(ALERT_ID, "acknowledge")
    assert [r.method for r in service.requests] == ["GET"]
    assert sent == [
        ("POST", f"{REGION_URL}/common/v1/alerts/{ALERT_ID}/actions", {"action": "acknowledge"})
    ]
    assert result.id is None


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.alerts.list(severity=["critical"]), "severity: unknown value(s) 'critical'"),
        (lambda c: c.alerts.list(category="virus"), "valid values: azure, adSync"),
        (lambda c: c.alerts.list(product=["ztna", "xdr"]), "product: unknown value(s) 'xdr'"),
        (lambda c: c.alerts.search(ids=["not-a-uuid"]), "ids: 'not-a-uuid' is not an id"),
        (lambda c: c.alerts.list(sort="raisedAt:down"), "sort: 'raisedAt:down'"),
        (lambda c: c.alerts.list(from_="yesterday"), "from_: invalid time 'yesterday'"),
        (lambda c: c.alerts.list(to="P1M"), "to: 'P1M': use weeks, days"),
        (
            lambda c: c.alerts.list(page_size=101),
            "page_size: 101 is not a whole number within 1..100",
        ),
        (
            lambda c: c.alerts.search(page_size=0),
            "page_size: 0 is not a whole number within 1..100",
        ),
    ],
)
async def test_bad_list_arguments_raise_before_any_request(
    call: Callable[[AsyncSophosCentral], Any], message: str
) -> None:
    service = Recorder(no_request)
    async with service.client() as central:
        with pytest.raises(ValueError) as raised:
            call(central)
    assert message in str(raised.value)


async def test_bad_get_and_act_arguments_raise_before_any_request() -> None:
    service = Recorder(no_request)
    async with service.client() as central:
        with pytest.raises(ValueError, match="alert_id: 'nope' is not an id"):
            await central.alerts.get("nope")
        with pytest.raises(ValueError, match="valid actions: acknowledge, cleanPua"):
            await central.alerts.act(ALERT_ID, "delete")
        with pytest.raises(ValueError, match="alert_id"):
            await central.alerts.act("nope", "acknowledge")


async def test_search_takes_exactly_the_arguments_of_list() -> None:
    service = Recorder(no_request)
    async with service.client() as central:
        assert inspect.signature(central.alerts.search) == inspect.signature(central.alerts.list)
        assert central.alerts.search.__name__ == "search"
        assert "JSON body" in (central.alerts.search.__doc__ or "")
        with pytest.raises(TypeError, match="unexpected keyword argument 'severities'"):
            central.alerts.search(severities=["high"])
        with pytest.raises(TypeError):
            central.alerts.search("high")  # type: ignore[misc]
    assert service.requests == []
