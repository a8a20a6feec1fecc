"""A 2xx answer to a state-changing request never becomes an error for its shape."""

from __future__ import annotations

import logging

import pytest

from pysophoscentralapi import ResponseValidationError
from pysophoscentralapi._lenient import answer_confirms, validate_leniently
from pysophoscentralapi._page import parse_result, parse_results, validate_item
from pysophoscentralapi.models.directory import UserGroup
from pysophoscentralapi.models.endpoints import EndpointIsolation, ScanResult

ISOLATED = {
    "id": "6f1c0e1a-2b3c-4d5e-8f90-112233445566",
    "isolation": {
        "enabled": "True",
        "lastEnabledAt": "2021-08-13 09.07.03 CEST",
        "lastEnabledBy": {"id": 42, "name": "SOC automation"},
        "comment": "INC-42",
    },
    "unknownField": 1,
}


def test_what_fits_is_typed_and_the_rest_kept_as_sent() -> None:
    item, problems = validate_leniently(EndpointIsolation, ISOLATED)
    assert item.id == ISOLATED["id"]
    assert item.isolation is not None
    assert item.isolation.enabled is True
    assert item.isolation.comment == "INC-42"
    assert item.isolation.last_enabled_at is None
    assert item.isolation.model_extra == {"lastEnabledAt": "2021-08-13 09.07.03 CEST"}
    assert item.isolation.last_enabled_by is not None
    assert item.isolation.last_enabled_by.name == "SOC automation"
    assert [p.split(" (")[0] for p in problems] == [
        "isolation.lastEnabledAt",
        "isolation.lastEnabledBy.id",
    ]
    # Written back, the answer is what the API sent (booleans in the API's own type).
    expected = {**ISOLATED, "isolation": {**ISOLATED["isolation"], "enabled": True}}
    assert item.to_api() == expected


def test_an_error_inside_a_list_keeps_the_whole_list_raw() -> None:
    body = {"id": "g1", "name": "Finance", "users": {"total": 2, "items": [{"id": "u1"}, {}]}}
    group, problems = validate_leniently(UserGroup, body)
    assert group.name == "Finance"
    assert group.users is not None
    assert group.users.total == 2
    assert group.users.model_extra == {"items": [{"id": "u1"}, {}]}
    assert problems == ["users.items (Field required)"]
    assert group.to_api() == body


def test_an_answer_missing_a_required_field_is_kept_whole() -> None:
    body = {"isolation": {"enabled": True}}
    item, problems = validate_leniently(EndpointIsolation, body)
    assert item.to_api() == body
    assert problems == ["(answer) (does not fit EndpointIsolation)"]


def test_an_answer_that_is_not_an_object_gives_an_empty_model() -> None:
    result, problems = validate_leniently(ScanResult, ["not", "an", "object"])
    assert result.to_api() == {}
    assert problems == ["(answer) (not a JSON object: list)"]


def test_parse_result_warns_naming_what_did_not_fit(caplog: pytest.LogCaptureFixture) -> None:
    body = {"id": "s1", "status": "requested", "requestedAt": "13/08/2021 09:07"}
    with caplog.at_level(logging.WARNING, logger="pysophoscentralapi.responses"):
        result = parse_result(ScanResult, body, dry_run=False)
    assert (result.id, result.status, result.requested_at) == ("s1", "requested", None)
    assert result.to_api() == body
    (record,) = caplog.records
    assert record.levelno == logging.WARNING
    assert "did not fit ScanResult" in record.getMessage()
    assert "requestedAt" in record.getMessage()
    # Reads stay strict: nothing changed, so a bad shape is an error there.
    with pytest.raises(ResponseValidationError, match="ScanResult"):
        validate_item(ScanResult, body)


def test_parse_result_is_silent_for_an_answer_that_fits(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="pysophoscentralapi.responses"):
        result = parse_result(ScanResult, {"requestedAt": "2021-08-13 09.07.03 GMT"}, dry_run=False)
    assert result.requested_at is not None
    assert result.requested_at.hour == 9
    assert caplog.records == []


def test_parse_results_warns_once_for_all_items(caplog: pytest.LogCaptureFixture) -> None:
    bodies = [ISOLATED, {"id": "e2", "isolation": {"enabled": False}}, ISOLATED]
    with caplog.at_level(logging.WARNING, logger="pysophoscentralapi.responses"):
        items = parse_results(EndpointIsolation, bodies)
    assert [item.id for item in items] == [ISOLATED["id"], "e2", ISOLATED["id"]]
    (record,) = caplog.records
    assert "item 0: isolation.lastEnabledAt" in record.getMessage()
    assert "item 2: isolation.lastEnabledAt" in record.getMessage()
    assert "item 1" not in record.getMessage()


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"deleted": True}, True),
        ({"deleted": "True"}, True),
        ({"deleted": "False"}, False),  # the old bool(...) read this as deleted
        ({"deleted": False}, False),
    ],
)
def test_delete_answers_are_read_with_the_api_boolean_parser(body: object, expected: bool) -> None:
    assert answer_confirms(body, dry_run=False) is expected


@pytest.mark.parametrize("body", [{"deleted": "yes"}, {}, None, {"other": 1}])
def test_a_delete_answer_without_a_readable_flag_is_taken_as_done(
    body: object, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="pysophoscentralapi.responses"):
        assert answer_confirms(body, dry_run=False) is True
    assert "taken as deleted" in caplog.records[0].getMessage()


def test_a_dry_run_deletes_nothing() -> None:
    assert answer_confirms({}, dry_run=True) is False


def test_values_in_lists_of_models_and_unions_are_kept_where_they_were() -> None:
    from pysophoscentralapi.models.endpoints import Endpoint

    body = {
        "id": "e1",
        "os": {"platform": "windows", "build": {"not": "a build"}},  # int | str: two errors
        "assignedProducts": [{"code": "a"}, {"code": 7, "version": "1.0"}],
    }
    endpoint, problems = validate_leniently(Endpoint, body)
    assert endpoint.os is not None
    assert endpoint.os.platform == "windows"
    assert endpoint.os.model_extra == {"build": {"not": "a build"}}
    assert endpoint.assigned_products is not None
    second = endpoint.assigned_products[1]
    assert (second.code, second.version, second.model_extra) == (None, "1.0", {"code": 7})
    assert [p.split(" (")[0] for p in problems] == ["os.build", "assignedProducts[1].code"]
    assert endpoint.to_api() == body
