"""The emulated XDR, Live Discover, detections and cases APIs refuse what the service refuses,
and run timing follows the emulator's clock."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.emulator.core_helpers import Api

XQ, LD, DQ, CS = (
    "/xdr-query/v1/queries",
    "/live-discover/v1",
    "/detections/v1/queries",
    "/cases/v1/cases",
)


@pytest.fixture(scope="module")
def emu() -> Iterator[Any]:
    from pysophoscentralapi.emulator import EmulatorConfig, run_emulator

    with run_emulator(EmulatorConfig(endpoints=20, tenants=1, query_run_seconds=8)) as emulator:
        yield emulator


@pytest.fixture(scope="module")
def api(emu: Any) -> Iterator[Api]:
    with Api(emu) as client:
        yield client


def message(response: Any) -> str:
    return str(response.json()["message"])


@pytest.mark.parametrize(
    ("path", "body", "words"),
    [
        (f"{XQ}/runs", {}, "Give adHocQuery.template or savedQuery.queryId"),
        (f"{XQ}/runs", {"adHocQuery": {"template": " "}}, "non-empty"),
        (f"{XQ}/runs", {"savedQuery": {"queryId": "nope"}}, "Unknown savedQuery.queryId"),
        (
            f"{XQ}/runs",
            {"adHocQuery": {"template": "SELECT 1"}, "from": "2024-02-01", "to": "2024-01-01"},
            "later",
        ),
        (f"{XQ}/runs", {"adHocQuery": {"template": "SELECT 1"}, "variables": "x"}, "variables"),
        (
            f"{XQ}/runs",
            {"adHocQuery": {"template": "SELECT 1"}, "matchEndpoints": []},
            "matchEndpoints",
        ),
        (f"{LD}/enrichment-pivots", {"name": "x", "type": "ipAddress"}, "url is required"),
        (
            f"{LD}/enrichment-pivots",
            {"name": "x", "type": "md5", "url": "https://x"},
            "Invalid value for type",
        ),
        (f"{DQ}/detections", {"severity": [12]}, "severity"),
        (f"{DQ}/detections", {"sort": [{"field": "colour"}]}, "sort"),
        (CS, {"name": "x", "type": "holiday"}, "Invalid value for type"),
        (CS, {"name": "x", "type": "hunt", "initialDetectionId": "nope"}, "Unknown detection"),
        (CS, {"name": "x", "type": "hunt", "assignee": "not-an-email"}, "assignee"),
    ],
)
def test_bad_requests_are_400_naming_the_problem(
    api: Api, path: str, body: dict[str, Any], words: str
) -> None:
    response = api.post(path, json=body)
    assert response.status_code == 400
    assert words in message(response)


def test_a_run_follows_the_clock_and_its_results_wait_for_the_end(emu: Any, api: Api) -> None:
    now = time.time()
    emu.state.clock = lambda: now
    try:
        run = api.post(f"{XQ}/runs", json={"adHocQuery": {"template": "SELECT 1 AS one"}}).json()
        assert run["status"] == "pending"
        early = api.get(f"{XQ}/runs/{run['id']}/results")
        assert early.status_code == 400
        assert "not finished" in message(early)
        emu.state.clock = lambda: now + 3
        assert api.get(f"{XQ}/runs/{run['id']}").json()["status"] == "started"
        emu.state.clock = lambda: now + 8
        done = api.get(f"{XQ}/runs/{run['id']}").json()
        assert (done["status"], done["result"]) == ("finished", "succeeded")
        again = api.post(f"{XQ}/runs/{run['id']}/cancel", json={})
        assert again.status_code == 400
        assert "already finished" in message(again)
    finally:
        emu.state.clock = time.time


def test_unknown_things_are_404(api: Api) -> None:
    for path in (f"{XQ}/runs/nope", f"{LD}/queries/runs/nope/endpoints", f"{XQ}/categories/nope",
                 f"{LD}/queries/nope", f"{DQ}/detections/nope", f"{CS}/NO-SUCH", f"{CS}/NO-SUCH/detections"):  # fmt: skip
        assert api.get(path).status_code == 404, path


def test_a_failed_run_says_why_and_has_no_results(emu: Any, api: Api) -> None:
    run = api.post(
        f"{LD}/queries/runs", json={"adHocQuery": {"template": "SELECT * FROM nowhere"}}
    ).json()
    assert "error" not in run  # not until it has finished
    emu.state.clock = lambda: time.time() + 60
    try:
        shown = api.get(f"{LD}/queries/runs/{run['id']}").json()
        assert shown["result"] == "failed"
        assert shown["error"]["message"] == "no such table: nowhere"
        results = api.get(f"{LD}/queries/runs/{run['id']}/results")
        assert results.status_code == 400
        assert "failed: no such table" in message(results)
    finally:
        emu.state.clock = time.time


def test_cases_keep_self_managed_statuses_and_filters(api: Api) -> None:
    case = api.post(CS, json={"name": "Mine", "type": "hunt"}).json()
    wrong = api.tenant_call("PATCH", f"{CS}/{case['id']}", json={"status": "actionRequired"})
    assert wrong.status_code == 400
    unknown = api.tenant_call("PATCH", f"{CS}/{case['id']}", json={"colour": "red"})
    assert unknown.status_code == 400
    assigned = api.tenant_call(
        "PATCH", f"{CS}/{case['id']}", json={"assignee": "a@example.com", "status": "resolved"}
    ).json()
    assert assigned["resolvedAt"]
    unassigned = api.tenant_call(
        "PATCH", f"{CS}/{case['id']}", json={"assignee": "Unassigned", "status": "new"}
    ).json()
    assert "assignee" not in unassigned
    assert "resolvedAt" not in unassigned
    mine = api.get(
        CS,
        params={"name": "Mine", "escalated": "false", "createdAfter": "-P1D", "sort": "name:asc"},
    ).json()
    assert [c["id"] for c in mine["items"]] == [case["id"]]
    assert api.get(CS, params={"status": "closed"}).status_code == 400


@pytest.mark.parametrize("blank", [" ", ",", " , "])
def test_a_blank_case_filter_filters_nothing(api: Api, blank: str) -> None:
    # As every other comma-separated filter of the emulator: no value, no filter (was a 500).
    every = api.get(CS).json()["pages"]["items"]
    for name in ("type", "severity", "status", "managedBy", "verdict"):
        answer = api.get(CS, params={name: blank})
        assert answer.status_code == 200, name
        assert answer.json()["pages"]["items"] == every
    assert api.get(CS, params={"type": "hunt, holiday"}).status_code == 400


def test_detection_counts_refuse_a_bad_resolution_and_too_many_buckets(api: Api) -> None:
    assert api.get(f"{DQ}/detections/counts", params={"resolution": "week"}).status_code == 400
    many = api.get(f"{DQ}/detections/counts", params={"resolution": "minute", "from": "-P30D"})
    assert many.status_code == 400
    ranged = api.get(
        f"{DQ}/detections/counts", params={"from": "-P2D", "to": "-P1D", "resolution": "hour"}
    ).json()
    assert len(ranged["resolutionDetectionCounts"]) == 24
