"""The shared time-argument helper: what the API gets for datetimes, timedeltas and strings."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pysophoscentralapi._timeparams import check_time_range, instant_of, parse_cli_time, to_api_time


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2024, 5, 1, 12, 0, 1, 700_000, tzinfo=UTC), "2024-05-01T12:00:01.700Z"),
        (datetime(2024, 5, 1, 12, 0), "2024-05-01T12:00:00.000Z"),  # naive means UTC
        (
            datetime(2024, 5, 1, 14, 0, tzinfo=timezone(timedelta(hours=2))),
            "2024-05-01T12:00:00.000Z",
        ),
        (timedelta(days=30), "-P30D"),
        (timedelta(hours=4, minutes=5), "-PT4H5M"),
        (timedelta(days=1, seconds=1.5), "-P1DT1.5S"),
        (timedelta(0), "PT0S"),
        (timedelta(hours=-2), "PT2H"),  # a negative "ago" is in the future
        ("P30D", "P30D"),
        ("-pt4h", "-PT4H"),
        ("-P3DT4H5M0S", "-P3DT4H5M0S"),
        ("PT4H500S", "PT4H500S"),
        ("2024-05-01", "2024-05-01T00:00:00.000Z"),
        ("2024-05-01T12:00:00Z", "2024-05-01T12:00:00.000Z"),
        ("2019-09-23T12:02:01.700Z", "2019-09-23T12:02:01.700Z"),
        ("2024-05-01T14:00:00+02:00", "2024-05-01T12:00:00.000Z"),
    ],
)
def test_to_api_time(value: datetime | timedelta | str, expected: str) -> None:
    assert to_api_time(value, name="last_seen_before") == expected


@pytest.mark.parametrize("bad", ["30 days", "P", "PT", "P1H", "yesterday", "2024-13-01", "", "-"])
def test_to_api_time_rejects_malformed_strings_naming_the_parameter(bad: str) -> None:
    with pytest.raises(ValueError, match=r"^last_seen_after: invalid time .*ISO-8601 duration"):
        to_api_time(bad, name="last_seen_after")


def test_to_api_time_rejects_other_types() -> None:
    with pytest.raises(ValueError, match="from_date: expected a datetime, a timedelta or a string"):
        to_api_time(1714564800, name="from_date")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30d", "-P30D"),
        ("12h", "-PT12H"),
        ("2w", "-P14D"),
        ("90m", "-PT1H30M"),
        ("45s", "-PT45S"),
        ("7D", "-P7D"),
        ("P30D", "P30D"),
        ("-P30D", "-P30D"),
        ("2024-05-01", "2024-05-01T00:00:00.000Z"),
        ("2024-05-01T12:00:00Z", "2024-05-01T12:00:00.000Z"),
    ],
)
def test_parse_cli_time(text: str, expected: str) -> None:
    assert parse_cli_time(text, name="--last-seen-before") == expected


@pytest.mark.parametrize("bad", ["30x", "d30", "thirty days", "30dd", "1.5h"])
def test_parse_cli_time_names_the_option_and_the_accepted_forms(bad: str) -> None:
    with pytest.raises(ValueError, match=r"^--last-seen-before: invalid time") as caught:
        parse_cli_time(bad, name="--last-seen-before")
    assert "30d, 12h, 2w, 90m or 45s" in str(caught.value)
    assert "P30D" in str(caught.value)


@given(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=10_000)))
def test_timedelta_round_trips_through_the_iso_duration(delta: timedelta) -> None:
    text = to_api_time(delta, name="x")
    # Parse it back: -PnDTnHnMn.nS
    match = re.fullmatch(r"-?P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?)?", text)
    assert match is not None, text
    days, hours, minutes, seconds = (float(g) if g else 0.0 for g in match.groups())
    back = timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
    assert abs(back - delta) < timedelta(microseconds=2)
    assert text.startswith("-") == (delta > timedelta(0))


@pytest.mark.parametrize(
    "text",
    ["P1000Y", "99999999d", "9" * 40 + "d", "PT99999999999999S", "P36526D", "5300000w", "P1201M"],
)
def test_durations_longer_than_a_century_are_too_large(text: str) -> None:
    with pytest.raises(ValueError, match="too large"):
        parse_cli_time(text, name="--from")


def test_a_century_is_still_accepted() -> None:
    assert parse_cli_time("36525d", name="--from") == "-P36525D"
    with pytest.raises(ValueError, match="too large"):
        to_api_time(timedelta(days=36_526), name="from_")


def test_instant_of_durations_and_datetimes() -> None:
    now = datetime(2024, 5, 10, tzinfo=UTC)
    assert instant_of("-P7D", now=now) == datetime(2024, 5, 3, tzinfo=UTC)
    assert instant_of("PT1H", now=now) == datetime(2024, 5, 10, 1, tzinfo=UTC)
    assert instant_of("2024-05-01T00:00:00.000Z", now=now) == datetime(2024, 5, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("start", "end", "empty"),
    [
        ("-P7D", "-P30D", True),  # --from 7d --to 30d: from after to
        ("-P30D", "-P7D", False),
        ("2024-05-02T00:00:00.000Z", "2024-05-01T00:00:00.000Z", True),
        ("2024-05-01T00:00:00.000Z", "-P1D", False),
        ("-P1D", "-P1D", True),
        (None, "-P1D", False),
    ],
)
def test_check_time_range(start: str | None, end: str, empty: bool) -> None:
    if empty:
        with pytest.raises(ValueError, match="range is empty"):
            check_time_range(start, end, start_name="--from", end_name="--to")
    else:
        check_time_range(start, end, start_name="--from", end_name="--to")
