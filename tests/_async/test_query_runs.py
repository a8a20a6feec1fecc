"""Request building of the hunting namespaces against a scripted service (httpx.MockTransport):
bodies and parameters as the collection documents them, checks before anything is sent, and a
429 on a status poll waited out as ``Retry-After`` says.

Written once for the async client; scripts/unasync.py generates the sync twin in tests/_sync.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from pysophoscentralapi import AsyncSophosCentral
from tests._async._helpers import answer_sign_in, assert_refused_before_sending, mock_client

RUN_ID = "4a9bb69a-c7f1-4a59-b912-7fe4ba70b751"
ENDPOINT = "0569f2b7-756c-4d16-8804-798a6d0030cf"
ENRICHMENT = "848d5e01-95a9-429c-8c3a-a9cca3340ede"


class Service:
    """Answers every API request from ``answers`` (path suffix -> list of responses, in turn)."""

    def __init__(self, answers: dict[str, list[tuple[int, Any]]] | None = None) -> None:
        self.answers = answers or {}
        self.sent: list[httpx.Request] = []
        self.slept: list[float] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        signed_in = answer_sign_in(request)
        if signed_in is not None:
            return signed_in
        self.sent.append(request)
        for suffix, queue in self.answers.items():
            if request.url.path.endswith(suffix) and queue:
                status, body = queue.pop(0) if len(queue) > 1 else queue[0]
                headers = {"Retry-After": "7"} if status == 429 else None
                return httpx.Response(status, json=body, headers=headers)
        return httpx.Response(
            201, json={"id": RUN_ID, "status": "pending", "result": "notAvailable"}
        )

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)

    def client(self) -> AsyncSophosCentral:
        return mock_client(self.handle, sleep=self.sleep)

    def body(self, index: int = -1) -> Any:
        return json.loads(self.sent[index].content)


async def test_xdr_body_has_the_time_range_endpoints_and_variables() -> None:
    service = Service()
    async with service.client() as central:
        await central.xdr.query(
            "SELECT * FROM xdr_data WHERE sha256 = '$$h$$'",
            from_=datetime(2024, 5, 1, tzinfo=UTC), to="2024-05-02",
            endpoints=[ENDPOINT], variables={"h": "abc", "n": 3},
        )  # fmt: skip
    assert service.sent[-1].url.path.endswith("/xdr-query/v1/queries/runs")
    assert service.body() == {
        "adHocQuery": {"template": "SELECT * FROM xdr_data WHERE sha256 = '$$h$$'"},
        "from": "2024-05-01T00:00:00.000Z",
        "to": "2024-05-02T00:00:00.000Z",
        "matchEndpoints": {"filters": [{"ids": [ENDPOINT]}]},
        "variables": [
            {"name": "h", "dataType": "text", "value": "abc"},
            {"name": "n", "dataType": "double", "value": 3},
        ],
    }


async def test_xdr_since_defaults_to_the_last_day() -> None:
    service = Service()
    async with service.client() as central:
        await central.xdr.query("SELECT 1")
    start = datetime.fromisoformat(service.body()["from"].replace("Z", "+00:00"))
    assert abs(datetime.now(UTC) - timedelta(hours=24) - start) < timedelta(minutes=1)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.xdr.query(), "either sql"),
        (lambda c: c.xdr.query("SELECT 1", saved="x"), "either sql"),
        (lambda c: c.xdr.query("  "), "empty"),
        (lambda c: c.xdr.query("SELECT 1", since="1d", from_="2024-01-01"), "not both"),
        (lambda c: c.detections.counts(since="-P1D", from_="2024-01-01"), "not both"),
        (lambda c: c.detections.counts(since="soon"), "since: invalid time"),
        (lambda c: c.xdr.query("SELECT 1", endpoints=["not-an-id"]), "endpoint id"),
        (
            lambda c: c.live_discover.create_enrichment(name="x", url="ftp://x", type="sha256"),
            "https",
        ),
        (
            lambda c: c.live_discover.create_enrichment(name="x", url="https://x", type="md5"),
            "type",
        ),
        (lambda c: c.live_discover.update_enrichment(ENRICHMENT), "at least one"),
        (lambda c: c.detections.query(severity=[11]), "0 to 10"),
        (lambda c: c.detections.query(sort="colour"), "sort"),
        (lambda c: c.cases.update("SC-1", status="closed"), "status"),
        (lambda c: c.cases.get("not a case"), "case id"),
    ],
)
async def test_bad_arguments_are_refused_before_sending(call: Any, message: str) -> None:
    await assert_refused_before_sending(call, message)


async def test_live_discover_runs_on_every_endpoint_unless_told() -> None:
    service = Service()
    async with service.client() as central:
        await central.live_discover.query("SELECT * FROM processes", name="procs")
        everywhere = service.body()
        await central.live_discover.query("SELECT * FROM users", endpoints=ENDPOINT)
        some = service.body()
    assert everywhere == {
        "adHocQuery": {"template": "SELECT * FROM processes", "name": "procs"},
        "matchEndpoints": {"all": True},
    }
    assert some["matchEndpoints"] == {"filters": [{"ids": [ENDPOINT]}]}


async def test_run_lists_send_the_documented_filters() -> None:
    service = Service({"/runs": [(200, {"items": [], "pages": {"current": 1, "total": 1}})]})
    async with service.client() as central:
        await central.xdr.list_runs(statuses=["finished", "pending"], order="desc").to_list()
        await central.live_discover.list_runs(
            status="finished", result=["failed"], created_by_principal_type="user"
        ).to_list()
        with pytest.raises(ValueError, match="statuses"):
            central.xdr.list_runs(statuses="done")
    xdr, live = (dict(r.url.params) for r in service.sent)
    assert (xdr["statuses"], xdr["order"]) == ("finished,pending", "desc")
    assert (live["status"], live["result"], live["createdByPrincipalType"]) == (
        "finished",
        "failed",
        "user",
    )


async def test_a_429_on_a_status_poll_is_waited_out() -> None:
    run = {"id": RUN_ID, "status": "started", "result": "notAvailable"}
    done = {**run, "status": "finished", "result": "succeeded"}
    service = Service({f"/runs/{RUN_ID}": [(429, {"error": "tooManyRequests"}), (200, done)]})
    async with service.client() as central:
        started = await central.xdr.get_run(RUN_ID)  # answered 429, then retried
        assert started.finished
        service.answers[f"/runs/{RUN_ID}"] = [(200, run), (429, {}), (200, done)]
        again = await central.xdr.get_run(RUN_ID)
        await again.wait(clock=lambda: 0.0)
    assert 7.0 in service.slept  # Retry-After honoured
    assert again.result == "succeeded"


async def test_detections_bodies_and_counts_parameters() -> None:
    counts = {"resolution": "hour", "resolutionDetectionCounts": [{"startsAt": "2024-05-01T00:00:00.000Z", "totalCount": 2}]}  # fmt: skip
    service = Service({"/counts": [(200, counts)]})
    async with service.client() as central:
        await central.detections.query(
            since="2024-05-01", to="2024-05-02", severity=range(8, 11),
            detection_rule="WIN-1", sort=["severity:desc", "time"],
        )  # fmt: skip
        query = service.body()
        await central.detections.group_query(severity=5)
        found = await central.detections.counts(
            resolution="hour", severity=[9, 10], show_suppressed=False
        )
    assert service.sent[0].url.path.endswith("/detections/v1/queries/detections")
    assert query == {
        "detectionRule": "WIN-1",
        "severity": [8, 9, 10],
        "sort": [{"field": "severity", "direction": "desc"}, {"field": "time", "direction": "asc"}],
        "from": "2024-05-01T00:00:00.000Z",
        "to": "2024-05-02T00:00:00.000Z",
    }
    assert service.sent[1].url.path.endswith("/detections/v1/queries/detection-groups")
    assert dict(service.sent[2].url.params) == {
        "resolution": "hour",
        "severity": "9,10",
        "showSuppressed": "false",
    }
    assert found.resolution_detection_counts[0]["totalCount"] == 2


async def test_enrichments_are_created_changed_and_deleted() -> None:
    made = {
        "id": ENRICHMENT,
        "name": "VT",
        "type": "sha256",
        "url": "https://vt.example/$$sha256$$",
    }
    service = Service({"/enrichment-pivots": [(201, made)], ENRICHMENT: [(200, made)]})
    async with service.client() as central:
        created = await central.live_discover.create_enrichment(
            name="VT", type="sha256", url=made["url"]
        )
        await central.live_discover.update_enrichment(ENRICHMENT, description="lookup")
        service.answers[ENRICHMENT] = [(200, {"deleted": True})]
        deleted = await central.live_discover.delete_enrichment(ENRICHMENT)
    assert created.id == ENRICHMENT
    assert [r.method for r in service.sent] == ["POST", "PATCH", "DELETE"]
    assert json.loads(service.sent[1].content) == {"description": "lookup"}
    assert deleted is True


@pytest.mark.parametrize(("answer", "deleted"), [({"deleted": "False"}, False), ({}, True)])
async def test_enrichment_delete_reads_its_answer_as_every_delete_does(
    answer: dict[str, Any], deleted: bool
) -> None:
    # "False" is an API boolean, not a truthy string; a 2xx without the key was accepted.
    service = Service({ENRICHMENT: [(200, answer)]})
    async with service.client() as central:
        assert await central.live_discover.delete_enrichment(ENRICHMENT) is deleted


async def test_a_dry_run_enrichment_delete_says_nothing_was_deleted() -> None:
    service = Service()
    sent: list[tuple[str, str, Any]] = []
    async with mock_client(service.handle, dry_run_sink=lambda *r: sent.append(r)) as dry:
        assert await dry.live_discover.delete_enrichment(ENRICHMENT) is False
    assert [method for method, _, _ in sent] == ["DELETE"]
    assert service.sent == []


@pytest.mark.parametrize(("answer", "canceled"), [({"canceled": "false"}, False), ({}, True)])
async def test_cancel_reads_its_answer_as_every_removal_does(
    answer: dict[str, Any], canceled: bool
) -> None:
    service = Service({f"/runs/{RUN_ID}/cancel": [(200, answer)]})
    async with service.client() as central:
        run = await central.xdr.query("SELECT 1")
        assert await run.cancel() is canceled
    assert service.sent[-1].url.path.endswith(f"/runs/{RUN_ID}/cancel")


async def test_cases_list_parameters() -> None:
    service = Service({"/cases": [(200, {"items": [], "pages": {"current": 1, "total": 1}})]})
    async with service.client() as central:
        await central.cases.list(
            managed_by="self", type=["hunt", "incident"], status="new", escalated=False,
            created_after=timedelta(days=7), verdict="truePositive", sort="createdAt:desc",
        ).to_list()  # fmt: skip
    params = dict(service.sent[0].url.params)
    assert params["managedBy"] == "self"
    assert params["type"] == "hunt,incident"
    assert (params["escalated"], params["createdAfter"], params["verdict"]) == (
        "false",
        "-P7D",
        "truePositive",
    )
    assert params["sort"] == "createdAt:desc"
