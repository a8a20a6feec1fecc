"""The argument checks shared by ``central.admins``, ``.roles`` and ``.users`` (and the CLI)."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pysophoscentralapi._page import parse_result
from pysophoscentralapi._validation import (
    check_choice,
    check_email,
    check_page_size,
    check_sort,
    check_uuid,
    check_uuids,
    csv_value,
)
from pysophoscentralapi.models import DirectoryUser
from pysophoscentralapi.models.directory import GROUP_SORT_FIELDS, SOURCE_TYPES, USER_SORT_FIELDS


@given(st.uuids())
def test_any_uuid_is_accepted_and_normalised(value: uuid.UUID) -> None:
    assert check_uuid(str(value).upper(), "user_id") == str(value)


@pytest.mark.parametrize("value", ["", "bob", "../admins", "e1c7aa85-7863-4561-a50e", "1234"])
def test_a_malformed_id_names_the_parameter(value: str) -> None:
    with pytest.raises(ValueError, match=r"^group_id: .* is not a valid id"):
        check_uuid(value, "group_id")


def test_several_ids_are_deduplicated_and_need_at_least_one() -> None:
    a, b = str(uuid.uuid4()), str(uuid.uuid4())
    assert check_uuids([a, b, a.upper()], "ids") == [a, b]
    assert check_uuids(a, "ids") == [a]
    assert check_uuids([], "ids", allow_empty=True) == []
    with pytest.raises(ValueError, match="at least one"):
        check_uuids([], "ids")


@pytest.mark.parametrize(
    "email", ["ann.lee@example.com", "a+tag@sub.example.co.uk", " ann@example.org "]
)
def test_valid_emails(email: str) -> None:
    assert check_email(email) == email.strip()


@pytest.mark.parametrize(
    "email", ["", "ann", "ann@", "@example.com", "ann@example", "a@@example.com", "a b@x.com",
              "ann@example.com,bob@example.com", "ann@example."],
)  # fmt: skip
def test_malformed_emails(email: str) -> None:
    with pytest.raises(ValueError, match="not a valid email address"):
        check_email(email)


def test_choice_lists_the_valid_values() -> None:
    assert check_choice("custom", "source_type", SOURCE_TYPES) == "custom"
    with pytest.raises(ValueError) as caught:
        check_choice("Custom", "source_type", SOURCE_TYPES)  # values are case-sensitive
    assert str(caught.value) == (
        "source_type: 'Custom' is not valid; valid values: custom, activeDirectory, "
        "azureActiveDirectory"
    )


def test_sort_criteria() -> None:
    assert check_sort("name", USER_SORT_FIELDS) == "name"
    assert check_sort(["name:desc", "createdAt:asc"], USER_SORT_FIELDS) == "name:desc,createdAt:asc"
    assert check_sort("anything:desc", None) == "anything:desc"
    with pytest.raises(ValueError, match="valid fields: id, name, createdAt, updatedAt"):
        check_sort("email", GROUP_SORT_FIELDS)
    with pytest.raises(ValueError, match="FIELD:desc"):
        check_sort("name:down", USER_SORT_FIELDS)
    with pytest.raises(ValueError, match="at least one"):
        check_sort([], USER_SORT_FIELDS)


def test_page_size_bounds() -> None:
    assert check_page_size(100, 100) == 100
    for bad in (0, 101, -1, True):
        with pytest.raises(ValueError, match=r"within 1\.\.100"):
            check_page_size(bad, 100)


def test_csv_values() -> None:
    assert csv_value(None) is None
    assert csv_value([]) is None
    assert csv_value("a,b") == "a,b"
    assert csv_value(["a", "b"]) == "a,b"


def test_parse_result_in_a_dry_run_gives_an_empty_model() -> None:
    empty = parse_result(DirectoryUser, {}, dry_run=True)
    assert isinstance(empty, DirectoryUser)
    assert empty.model_fields_set == set()
    # A real 2xx answer never raises for its shape (issue 19): it is kept as sent.
    kept = parse_result(DirectoryUser, {}, dry_run=False)
    assert isinstance(kept, DirectoryUser)
    assert kept.to_api() == {}
