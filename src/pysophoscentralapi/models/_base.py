"""The base of every model: camelCase on the wire, snake_case in Python, unknown fields kept."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, PlainSerializer
from pydantic.alias_generators import to_camel

from pysophoscentralapi._timeparams import format_api_datetime


def _assume_utc(value: datetime) -> datetime:
    # Some API examples write timestamps without "Z" (e.g. "2021-02-12T15:04:53.780"); they are UTC.
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


#: A timestamp, always timezone-aware (UTC when the API omits the zone); written back in the
#: API's own form, ``2020-11-15T13:14:39.357Z``.
Timestamp = Annotated[
    datetime,
    AfterValidator(_assume_utc),
    PlainSerializer(format_api_datetime, return_type=str, when_used="json"),
]


class SophosModel(BaseModel):
    """Base model: ``ep.last_seen_at`` in Python, ``lastSeenAt`` on the wire; unknown fields kept.

    ``to_api()`` gives the JSON-ready dict in the API's own spelling.
    """

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="allow",
        frozen=False,
    )

    def to_api(self) -> dict[str, Any]:
        """The model as the API spells it (camelCase, only fields that were set)."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)


class TolerantEnum(StrEnum):
    """A string enum that accepts values it does not know (the API adds values over time).

    >>> class Colour(TolerantEnum):
    ...     RED = "red"
    >>> Colour("ultraviolet").value
    'ultraviolet'
    """

    @classmethod
    def _missing_(cls, value: object) -> Self | None:
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return member
