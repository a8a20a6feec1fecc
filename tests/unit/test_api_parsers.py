"""The one timestamp type and the one API-boolean parser every model uses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from pysophoscentralapi.models import (
    ApiBool,
    SophosModel,
    Timestamp,
    parse_api_bool,
    parse_api_datetime,
)
from pysophoscentralapi.models.endpoints import Endpoint, IsolationSettings, TamperProtection
from pysophoscentralapi.models.roles import PermissionSet


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020-11-15T13:14:39.357Z", datetime(2020, 11, 15, 13, 14, 39, 357000, tzinfo=UTC)),
        ("2021-02-12T15:04:53.780", datetime(2021, 2, 12, 15, 4, 53, 780000, tzinfo=UTC)),
        ("2021-08-13 09:07:03", datetime(2021, 8, 13, 9, 7, 3, tzinfo=UTC)),
        ("2021-08-13 09.07.03 GMT", datetime(2021, 8, 13, 9, 7, 3, tzinfo=UTC)),
        ("2021-08-13 09.07.03 UTC", datetime(2021, 8, 13, 9, 7, 3, tzinfo=UTC)),
        ("2021-08-13T09:07:03 gmt", datetime(2021, 8, 13, 9, 7, 3, tzinfo=UTC)),
        ("2021-08-13 09.07.03.250Z", datetime(2021, 8, 13, 9, 7, 3, 250000, tzinfo=UTC)),
        ("2021-08-13 09.07.03", datetime(2021, 8, 13, 9, 7, 3, tzinfo=UTC)),
        (" 2021-08-13T09:07:03Z ", datetime(2021, 8, 13, 9, 7, 3, tzinfo=UTC)),
    ],
)
def test_timestamps_in_the_forms_real_answers_use_are_read_as_utc(
    text: str, expected: datetime
) -> None:
    parsed = parse_api_datetime(text)
    assert parsed == expected
    assert parsed.utcoffset() == timedelta(0)


def test_an_explicit_offset_is_kept() -> None:
    parsed = parse_api_datetime("2021-08-13T11:07:03+02:00")
    assert parsed.utcoffset() == timedelta(hours=2)
    assert parsed == datetime(2021, 8, 13, 9, 7, 3, tzinfo=UTC)


@pytest.mark.parametrize(
    "text",
    [
        "2021-08-13 09.07.03 CEST",  # zone abbreviations other than GMT/UTC are ambiguous
        "2021-08-13T09:07:03+02:00 GMT",  # names UTC but says otherwise
        "13/08/2021 09:07",
        "yesterday",
        "",
    ],
)
def test_other_forms_are_refused_with_the_expected_form(text: str) -> None:
    with pytest.raises(ValueError, match=r"expected e\.g\. 2020-11-15T13:14:39\.357Z"):
        parse_api_datetime(text)


def test_timestamp_fields_read_every_form_and_write_the_api_form() -> None:
    class Thing(SophosModel):
        at: Timestamp | None = None

    thing = Thing.model_validate({"at": "2021-08-13 09.07.03 GMT"})
    assert thing.at == datetime(2021, 8, 13, 9, 7, 3, tzinfo=UTC)
    assert thing.to_api() == {"at": "2021-08-13T09:07:03.000Z"}
    aware = Thing(at=datetime(2021, 8, 13, 11, 7, 3, tzinfo=timezone(timedelta(hours=2))))
    assert aware.to_api() == {"at": "2021-08-13T09:07:03.000Z"}
    with pytest.raises(ValidationError, match="not a timestamp in a form the API uses"):
        Thing.model_validate({"at": "13/08/2021"})


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, True),
        (False, False),
        ("true", True),
        ("True", True),
        ("TRUE", True),
        ("false", False),
        ("False", False),
        (" false ", False),
        (1, True),
        (0, False),
        ("1", True),
        ("0", False),
    ],
)
def test_api_booleans_in_every_spelling(value: object, expected: bool) -> None:
    assert parse_api_bool(value) is expected


@pytest.mark.parametrize("value", ["yes", "no", "maybe", "", 2, -1, 1.0, None, [], {}])
def test_a_value_that_is_not_a_boolean_is_refused(value: object) -> None:
    with pytest.raises(ValueError, match="expected a boolean"):
        parse_api_bool(value)


def test_model_booleans_use_the_api_parser_on_reads() -> None:
    endpoint = Endpoint.model_validate(
        {"id": "e1", "tamperProtectionEnabled": "False", "os": {"isServer": "True"}}
    )
    assert endpoint.tamper_protection_enabled is False
    assert endpoint.os is not None
    assert endpoint.os.is_server is True
    assert endpoint.to_api()["tamperProtectionEnabled"] is False
    assert TamperProtection.model_validate({"enabled": "False"}).enabled is False
    assert IsolationSettings.model_validate({"enabled": "True"}).enabled is True
    permission_set = PermissionSet.model_validate({"id": "p", "allowedInCustomRoles": 0})
    assert permission_set.allowed_in_custom_roles is False
    # pydantic's own lax parsing would take "yes"; a read of a non-boolean is an error.
    with pytest.raises(ValidationError, match="expected a boolean"):
        Endpoint.model_validate({"id": "e1", "online": "yes"})


def test_api_bool_is_an_annotation_for_any_model() -> None:
    class Flag(SophosModel):
        on: ApiBool

    assert Flag.model_validate({"on": "False"}).on is False


def _plain_bools(annotation: object) -> bool:
    """Whether ``annotation`` holds a ``bool`` that is not the API-boolean type."""
    import typing

    if annotation is bool:
        return True
    if typing.get_origin(annotation) is typing.Annotated:
        base, *metadata = typing.get_args(annotation)
        if base is bool:
            return not any(type(m).__name__ == "_ApiBoolSchema" for m in metadata)
        return _plain_bools(base)
    return any(_plain_bools(arg) for arg in typing.get_args(annotation))


def test_every_model_reads_booleans_with_the_api_boolean_parser() -> None:
    import typing

    import pydantic

    import pysophoscentralapi.models as models

    checked = 0
    offenders = []
    for name in models.__all__:
        model = getattr(models, name)
        if not (isinstance(model, type) and issubclass(model, pydantic.BaseModel)):
            continue
        hints = typing.get_type_hints(model, include_extras=True)
        for field in model.model_fields:
            checked += 1
            if _plain_bools(hints.get(field)):
                offenders.append(f"{name}.{field}")
    assert checked > 100
    assert offenders == [], f"boolean fields not typed ApiBool: {offenders}"
