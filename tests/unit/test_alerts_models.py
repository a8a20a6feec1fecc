"""Alert models: the collection's examples parse, unknown values are kept, enums list known values."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pysophoscentralapi.models import Alert, AlertAction, AlertActionResult, AlertCategory
from pysophoscentralapi.models.alerts import (
    ALERT_ACTIONS,
    ALERT_CATEGORIES,
    ALERT_PRODUCTS,
    ALERT_SEVERITIES,
)

OPERATIONS = Path("/work/shared/sophos-api/operations.json")


def collection_example(name: str) -> object:
    if not OPERATIONS.exists():
        pytest.skip("the Postman extraction is not available here")
    operations = json.loads(OPERATIONS.read_text())["operations"]
    (op,) = [o for o in operations if o["folder"] == "Common API / Alerts" and o["name"] == name]
    return next(r["body"] for r in op["responses"] if r["code"] in (200, 201))


def test_the_collections_alert_page_parses_into_models() -> None:
    body = collection_example("Query alerts")
    assert isinstance(body, dict)
    alerts = [Alert.model_validate(item) for item in body["items"]]
    assert alerts[1].allowed_actions == [AlertAction.ACKNOWLEDGE, AlertAction.CLEAN_PUA]
    assert alerts[0].managed_agent is not None
    assert alerts[0].managed_agent.type == "computer"
    assert alerts[0].person is not None
    assert alerts[0].person.id
    # "2021-02-12T15:04:53.780" has no zone in the collection: it is UTC
    assert alerts[0].raised_at == datetime(2021, 2, 12, 15, 4, 53, 780000, tzinfo=UTC)


def test_the_collections_action_reply_parses() -> None:
    result = AlertActionResult.model_validate(collection_example("Act on alert"))
    assert result.action is AlertAction.CLEAN_PUA
    assert result.status == "started"
    assert result.completed_at is None
    assert result.requested_at == datetime(2021, 2, 12, 14, 35, 20, 248000, tzinfo=UTC)


def test_unknown_enum_values_and_fields_are_kept() -> None:
    alert = Alert.model_validate(
        {
            "id": "x",
            "category": "brandNewCategory",
            "allowedActions": ["futureAction"],
            "threatCases": [1],
        }
    )
    assert alert.category == "brandNewCategory"
    assert isinstance(alert.category, AlertCategory)
    assert alert.allowed_actions == ["futureAction"]
    assert alert.to_api()["threatCases"] == [1]
    assert alert.to_api()["allowedActions"] == ["futureAction"]


def test_known_values_match_the_api_notes() -> None:
    assert ALERT_SEVERITIES == ("high", "medium", "low")
    assert set(ALERT_ACTIONS) == {
        "acknowledge", "cleanPua", "cleanVirus", "authPua", "clearThreat", "clearHmpa",
        "sendMsgPua", "sendMsgThreat",
    }  # fmt: skip
    assert {"applicationControl", "runtimeDetections", "ztnaResource"} <= set(ALERT_CATEGORIES)
    assert {"endpoint", "server", "emailGateway", "ztna"} <= set(ALERT_PRODUCTS)
