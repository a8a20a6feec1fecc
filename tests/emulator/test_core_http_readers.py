"""The emulator's shared request readers (:mod:`._http`): comma-separated query parameters (one
reading of ``a, b,,c`` for every family), enum choices and string body fields."""

from __future__ import annotations

import pytest
from starlette.requests import Request

from pysophoscentralapi.emulator._common_query import csv_param, optional_string
from pysophoscentralapi.emulator._http import (
    BadRequest,
    check_choice,
    csv_values,
    optional_str,
    parse_csv_enum,
    required_text,
)


def _request(query: bytes) -> Request:
    return Request({"type": "http", "method": "GET", "path": "/", "query_string": query})


@pytest.mark.parametrize(
    ("query", "values", "param"),
    [
        (b"", None, None),
        (b"ids=", None, None),
        (b"ids=%20", [], None),  # blank: csv_param treats it as absent, csv_values as no value
        (b"ids=,", [], []),
        (b"ids=a,%20b,,c%20", ["a", "b", "c"], ["a", "b", "c"]),
    ],
)
def test_csv_values_and_csv_param(
    query: bytes, values: list[str] | None, param: list[str] | None
) -> None:
    assert csv_values(_request(query), "ids") == values
    assert csv_param(_request(query), "ids") == param


def test_parse_csv_enum_reads_like_csv_values_and_names_the_valid_ones() -> None:
    assert parse_csv_enum(_request(b"type=b,%20a"), "type", ["a", "b"]) == ["b", "a"]
    assert parse_csv_enum(_request(b"type="), "type", ["a", "b"]) is None
    with pytest.raises(BadRequest, match=r"Invalid value for type: c\. Valid values: a, b\."):
        parse_csv_enum(_request(b"type=a,c"), "type", ["b", "a"])


def test_check_choice_gives_the_value_or_a_400_naming_the_valid_ones_in_their_order() -> None:
    assert check_choice("direction", "both", ("inbound", "outbound", "both")) == "both"
    with pytest.raises(BadRequest) as info:
        check_choice("direction", None, ("inbound", "outbound", "both"))
    assert info.value.message == (
        "Invalid value for direction: None. Valid values: inbound, outbound, both."
    )


def test_string_body_fields_name_where_they_are() -> None:
    body = {"name": "Acme", "blank": " ", "count": 3}
    assert required_text(body, "name") == "Acme"
    assert optional_str(body, "name") == "Acme"
    assert optional_str(body, "missing") is None
    with pytest.raises(BadRequest) as info:
        required_text(body, "blank", "contact.")
    assert info.value.message == "contact.blank is required and must be a non-empty string."
    with pytest.raises(BadRequest) as info:
        optional_str(body, "count")
    assert info.value.message == "count must be a string."


def test_the_common_api_words_a_non_string_field_its_own_way() -> None:
    assert optional_string({"name": "Ann"}, "name") == "Ann"
    assert optional_string({}, "name") is None
    with pytest.raises(BadRequest) as info:
        optional_string({"name": 5}, "name")
    assert info.value.message == "Invalid value for name: expected a string."
