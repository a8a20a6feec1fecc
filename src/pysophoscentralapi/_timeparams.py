"""Time arguments for API filters (``lastSeenBefore``, ``from``, ...), shared by library and CLI.

The Sophos Central API takes "a date and time (UTC) or a duration relative to the current date and
time" for its time filters: ``2019-09-23T12:02:01.700Z`` or ISO-8601 durations with an optional
sign (``-P3DT4H5M0S``, ``PT4H500S``). This module turns Python values and human CLI input into
those strings, validating before anything is sent.

>>> to_api_time(timedelta(days=30), name="last_seen_before")
'-P30D'
>>> parse_cli_time("12h", name="--last-seen-after")
'-PT12H'
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

__all__ = [
    "API_TIME_FORMS",
    "CLI_TIME_FORMS",
    "DEFAULT_WAIT_SECONDS",
    "MAX_DURATION",
    "TimeArg",
    "absolute_api_time",
    "check_time_range",
    "format_api_datetime",
    "instant_of",
    "parse_cli_time",
    "parse_iso_duration",
    "to_api_time",
]

#: A time argument of the library: a ``datetime`` (naive = UTC), a ``timedelta`` meaning "that
#: long ago", or text (:data:`API_TIME_FORMS`).
TimeArg = datetime | timedelta | str

#: The longest duration accepted (100 years): anything longer is a typo, and overflows dates.
MAX_DURATION = timedelta(days=36_525)
#: How long a query run is waited for by default (Live Discover runs may take minutes): a run's
#: ``wait()`` and the hunting commands' ``--timeout`` (here rather than in :mod:`._polling`,
#: whose dataclass those commands' ``--help`` would otherwise build).
DEFAULT_WAIT_SECONDS = 600.0

#: What ``to_api_time`` accepts as a string, for error messages.
API_TIME_FORMS = (
    "an ISO-8601 duration such as P30D, -PT4H or -P1DT12H, "
    "or an ISO date/datetime such as 2024-05-01 or 2024-05-01T12:00:00Z"
)
#: What ``parse_cli_time`` accepts, for error messages and ``--help``.
CLI_TIME_FORMS = "a duration ago such as 30d, 12h, 2w, 90m or 45s, or " + API_TIME_FORMS

# Patterns, not compiled ones: ``re`` compiles (and caches) each on first use, so importing this
# module (every CLI command's --help does, for the time options) compiles none.
_ISO_DURATION = r"""(?x)
    [+-]?P(?=\d|T\d)                  # at least one component after P (or after T)
    (?:\d+Y)?(?:\d+M)?(?:\d+W)?(?:\d+D)?
    (?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?
    """
_FIXED_DURATION = (
    r"^(?P<sign>[+-])?P(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?"
    r"(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)
_HUMAN_DURATION = r"(?i)(\d+)\s*([smhdw])"
_ISO_PARTS = r"(\d+(?:\.\d+)?)([YMWDHS])"
#: Seconds per ISO duration unit (years and months at their longest, to bound, not to compute).
_ISO_UNIT_SECONDS = {"Y": 366 * 86400, "W": 7 * 86400, "D": 86400, "H": 3600, "S": 1}
_HUMAN_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def format_api_datetime(value: datetime) -> str:
    """A datetime in the API's spelling: UTC, milliseconds, ``Z`` (naive values are taken as UTC).

    >>> format_api_datetime(datetime(2024, 5, 1, 12, 0))
    '2024-05-01T12:00:00.000Z'
    """
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    utc = aware.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def _iso_duration(delta: timedelta) -> str:
    """``timedelta`` → ISO-8601 duration (``P1DT2H3M4.5S``) without the sign."""
    total_us = abs(delta) // timedelta(microseconds=1)
    days, rest_us = divmod(total_us, 86_400_000_000)
    seconds, micro = divmod(rest_us, 1_000_000)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    out = "P" + (f"{days}D" if days else "")
    time_part = (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    if seconds or micro:
        time_part += f"{seconds}.{micro:06d}".rstrip("0").rstrip(".") + "S"
    if time_part:
        out += "T" + time_part
    return out if out != "P" else "PT0S"


def _parse_iso_datetime(text: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        try:
            return datetime.combine(date.fromisoformat(text), datetime.min.time())
        except ValueError:
            return None
    return parsed


def _iso_duration_length(text: str) -> timedelta:
    """How long an ISO duration is at most (sign ignored): ``P1Y`` is 366 days, ``P1M`` 31."""
    days_part, _, time_part = text.lstrip("+-").removeprefix("P").partition("T")
    seconds = 0.0
    for part, in_time in ((days_part, False), (time_part, True)):
        for amount, unit in re.findall(_ISO_PARTS, part):
            if unit == "M":
                seconds += float(amount) * (60 if in_time else 31 * 86400)
            else:
                seconds += float(amount) * _ISO_UNIT_SECONDS[unit]
            if seconds > MAX_DURATION.total_seconds():
                return MAX_DURATION + timedelta(seconds=1)
    return timedelta(seconds=seconds)


def _too_large(name: str, value: object) -> ValueError:
    return ValueError(f"{name}: {value!r} is too large (at most {MAX_DURATION.days} days)")


def instant_of(api_time: str, *, now: datetime | None = None) -> datetime:
    """The instant an API time stands for: a datetime itself, a duration relative to ``now``
    (negative: in the past). For comparing two times before sending them.

    >>> instant_of("-P1D", now=datetime(2024, 5, 2, tzinfo=UTC)).isoformat()
    '2024-05-01T00:00:00+00:00'
    """
    now = now or datetime.now(UTC)
    text = api_time.strip().upper()
    if re.fullmatch(_ISO_DURATION, text):
        length = _iso_duration_length(text)
        return now - length if text.startswith("-") else now + length
    parsed = _parse_iso_datetime(api_time.strip())
    if parsed is None:
        raise ValueError(f"invalid time {api_time!r}; expected {API_TIME_FORMS}")
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def check_time_range(start: str | None, end: str | None, *, start_name: str, end_name: str) -> None:
    """Refuse (``ValueError``) a range whose start is not before its end: it matches nothing.

    >>> check_time_range("-P7D", "-P30D", start_name="--from", end_name="--to")
    Traceback (most recent call last):
    ...
    ValueError: --from (-P7D) is after --to (-P30D): the range is empty; swap them
    """
    if not start or not end:
        return
    now = datetime.now(UTC)
    if instant_of(start, now=now) >= instant_of(end, now=now):
        raise ValueError(
            f"{start_name} ({start}) is after {end_name} ({end}): the range is empty; swap them"
        )


def to_api_time(value: TimeArg, *, name: str) -> str:
    """Turn a time argument into the API's form, or raise ``ValueError`` naming ``name``.

    - ``datetime``: that instant (naive means UTC) → ``2024-05-01T12:00:00.000Z``;
    - ``timedelta``: "that long ago" → a negative ISO duration (``timedelta(days=30)`` → ``-P30D``),
      relative to the server's clock, so a skewed local clock does not matter;
    - ``str``: an ISO-8601 duration (kept as given, e.g. ``P30D`` or ``-PT4H``) or an ISO
      date/datetime (normalised to UTC with milliseconds).

    >>> to_api_time("2024-05-01T14:00:00+02:00", name="from_date")
    '2024-05-01T12:00:00.000Z'
    >>> to_api_time("-P3DT4H", name="last_seen_after")
    '-P3DT4H'
    """
    if isinstance(value, datetime):
        return format_api_datetime(value)
    if isinstance(value, timedelta):
        if abs(value) > MAX_DURATION:
            raise _too_large(name, value)
        # Positive means "ago"; a negative timedelta is a point in the future.
        return ("-" if value > timedelta(0) else "") + _iso_duration(value)
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(_ISO_DURATION, text.upper()):
            if _iso_duration_length(text.upper()) > MAX_DURATION:
                raise _too_large(name, value)
            return text.upper()
        parsed = _parse_iso_datetime(text)
        if parsed is not None:
            return format_api_datetime(parsed)
        raise ValueError(f"{name}: invalid time {value!r}; expected {API_TIME_FORMS}")
    raise ValueError(
        f"{name}: expected a datetime, a timedelta or a string, got {type(value).__name__}"
    )


def parse_cli_time(text: str, *, name: str) -> str:
    """Parse a CLI time option (``30d``, ``12h``, ``2w``, ``90m``, ``45s``, ISO) into the API's form.

    Human durations mean "that long ago". Raises ``ValueError`` naming the option and the accepted
    forms.

    >>> parse_cli_time("2w", name="--last-seen-before")
    '-P14D'
    >>> parse_cli_time("2024-05-01", name="--from")
    '2024-05-01T00:00:00.000Z'
    """
    stripped = text.strip()
    human = re.fullmatch(_HUMAN_DURATION, stripped)
    if human:
        amount, unit = int(human.group(1)), human.group(2).lower()
        unit_seconds = timedelta(**{_HUMAN_UNITS[unit]: 1}).total_seconds()
        if amount * unit_seconds > MAX_DURATION.total_seconds():
            raise _too_large(name, text)
        delta = timedelta(**{_HUMAN_UNITS[unit]: amount})
        return to_api_time(delta, name=name) if amount else "PT0S"
    try:
        return to_api_time(stripped, name=name)
    except ValueError as error:
        if "too large" in str(error):
            raise
        raise ValueError(f"{name}: invalid time {text!r}; expected {CLI_TIME_FORMS}") from None


def parse_iso_duration(text: str) -> timedelta | None:
    """A signed ISO-8601 duration as a ``timedelta`` (``-PT2H`` is minus two hours); ``None`` when
    ``text`` is not a duration. Years and months have no fixed length: ``ValueError``.

    >>> parse_iso_duration("-P1DT2H")
    datetime.timedelta(days=-2, seconds=79200)
    """
    text = text.strip().upper()
    if not re.fullmatch(_ISO_DURATION, text):
        return None
    match = re.match(_FIXED_DURATION, text)
    if match is None:
        raise ValueError(f"{text!r}: use weeks, days, hours, minutes or seconds")
    parts = {k: float(v) for k, v in match.groupdict().items() if k != "sign" and v}
    delta = timedelta(
        weeks=parts.get("w", 0),
        days=parts.get("d", 0),
        hours=parts.get("h", 0),
        minutes=parts.get("m", 0),
        seconds=parts.get("s", 0),
    )
    return -delta if match.group("sign") == "-" else delta


def absolute_api_time(value: TimeArg, name: str) -> str:
    """A date-time for filters that take no durations (alerts, Data Lake runs): durations and
    ``timedelta`` values ("that long ago") are resolved against the local clock.

    >>> absolute_api_time("2024-05-01", "from_")
    '2024-05-01T00:00:00.000Z'
    """
    if isinstance(value, timedelta):
        return format_api_datetime(datetime.now(UTC) - value)
    text = to_api_time(value, name=name)
    if not text.lstrip("+-").startswith("P"):
        return text
    try:
        delta = parse_iso_duration(text)
    except ValueError:
        # Years and months have no fixed length: refuse rather than guess.
        raise ValueError(f"{name}: {text!r}: use weeks, days, hours, minutes or seconds") from None
    assert delta is not None  # to_api_time gave a duration
    return format_api_datetime(datetime.now(UTC) + delta)


def run_window(
    since: TimeArg | None,
    from_: TimeArg | None,
    to: TimeArg | None,
    *,
    default: TimeArg | None = None,
) -> dict[str, str]:
    """The ``from`` / ``to`` of a query run (Data Lake, detections): ``since`` or ``from_`` (not
    both; neither: ``default``, when there is one), resolved as :func:`absolute_api_time`; an
    error names the argument that was given.

    >>> run_window(None, "2024-05-01", None)
    {'from': '2024-05-01T00:00:00.000Z'}
    >>> run_window(None, "soon", None)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ValueError: from_: invalid time 'soon'; ...
    """
    if since is not None and from_ is not None:
        raise ValueError("give since or from_, not both")
    start, name = (since, "since") if since is not None else (from_, "from_")
    if start is None:
        start, name = default, "since"
    window = {} if start is None else {"from": absolute_api_time(start, name)}
    if to is not None:
        window["to"] = absolute_api_time(to, "to")
    return window
