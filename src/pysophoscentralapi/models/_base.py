"""The base of every model: camelCase on the wire, snake_case in Python, unknown fields kept."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, PlainSerializer
from pydantic.alias_generators import to_camel

from pysophoscentralapi._timeparams import format_api_datetime
from pysophoscentralapi.models._enums import TolerantEnum

__all__ = ["SophosModel", "Timestamp", "TolerantEnum"]


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
        # Validators are built on first use, not at import: importing the client stays cheap.
        defer_build=True,
    )

    def to_api(self) -> dict[str, Any]:
        """The model as the API spells it (camelCase, only fields that were set)."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)
