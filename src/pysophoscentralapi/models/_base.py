"""The base of every model: camelCase on the wire, snake_case in Python, unknown fields kept; and
the reference shapes many families share (another object by ``id``, by ``id`` and ``name``, the
actor who did something)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    GetCoreSchemaHandler,
    PlainSerializer,
)
from pydantic.alias_generators import to_camel
from pydantic_core import core_schema

from pysophoscentralapi._enums import TolerantEnum
from pysophoscentralapi._timeparams import format_api_datetime
from pysophoscentralapi.models._lazy import materialize

__all__ = [
    "ApiBool",
    "SophosModel",
    "Timestamp",
    "TolerantEnum",
    "parse_api_bool",
    "parse_api_datetime",
]

#: ``2021-08-13 09.07.03``: a time written with dots, as some answers do.
_DOTTED_TIME = re.compile(r"(\d{4}-\d{2}-\d{2})[T ](\d{2})\.(\d{2})\.(\d{2})(?=[.,]\d|[\sZz+-]|$)")
#: A trailing ``GMT`` / ``UTC`` zone name (both mean UTC; other zone names are ambiguous).
_UTC_NAME = re.compile(r"\s*(?:GMT|UTC)$", re.IGNORECASE)


def parse_api_datetime(text: str) -> datetime:
    """A timestamp as Sophos Central writes it, always timezone-aware (UTC when no zone is given).

    Besides ISO 8601 (``2020-11-15T13:14:39.357Z``, an offset, or no zone) real answers carry a
    space instead of ``T``, times written ``HH.MM.SS`` and ``GMT``/``UTC`` suffixes; anything else
    is a ``ValueError``.

    >>> parse_api_datetime("2021-08-13 09.07.03 GMT").isoformat()
    '2021-08-13T09:07:03+00:00'
    >>> parse_api_datetime("2021-02-12T15:04:53.780").isoformat()
    '2021-02-12T15:04:53.780000+00:00'
    """
    stripped = text.strip()
    try:
        value = datetime.fromisoformat(stripped)  # the usual case, in C
    except ValueError:
        value = _parse_unusual_datetime(stripped)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _parse_unusual_datetime(text: str) -> datetime:
    without_zone = _UTC_NAME.sub("", text)
    normalised = _DOTTED_TIME.sub(r"\1T\2:\3:\4", without_zone, count=1)
    try:
        value = datetime.fromisoformat(normalised)
    except ValueError:
        value = None
    if value is None or (without_zone != text and value.tzinfo is not None):
        raise ValueError(
            f"not a timestamp in a form the API uses: {text[:40]!r} "
            "(expected e.g. 2020-11-15T13:14:39.357Z)"
        )
    return value if without_zone == text else value.replace(tzinfo=UTC)


def _timestamp_input(value: Any) -> Any:
    # One Python call per value (this runs for every timestamp of every listing's models).
    if isinstance(value, str):
        return parse_api_datetime(value)
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)  # a naive datetime given in Python means UTC
    return value


#: A timestamp, always timezone-aware (UTC when the API omits the zone), read in every form
#: :func:`parse_api_datetime` knows; written back in the API's own form, ``2020-11-15T13:14:39.357Z``.
Timestamp = Annotated[
    datetime,
    BeforeValidator(_timestamp_input),
    PlainSerializer(format_api_datetime, return_type=str, when_used="json"),
]

_TRUE_TEXT = frozenset({"true", "1"})
_FALSE_TEXT = frozenset({"false", "0"})


def parse_api_bool(value: object) -> bool:
    """A boolean as the API sends it: ``true``/``false``, or as text (``"true"``, ``"True"``,
    ``"FALSE"``) or ``1``/``0``; anything else is a ``ValueError``.

    >>> parse_api_bool("False"), parse_api_bool(1)
    (False, True)
    """
    if value is True or value is False:
        return value
    if isinstance(value, int) and not isinstance(value, bool) and value in (0, 1):
        return value == 1
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in _TRUE_TEXT:
            return True
        if lowered in _FALSE_TEXT:
            return False
    raise ValueError(f"expected a boolean (true or false), got {str(value)[:40]!r}")


class _ApiBoolSchema:
    """A JSON boolean is taken as is, in pydantic-core (listings carry several per row, so no
    Python call for them); anything else goes through :func:`parse_api_bool`."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.union_schema(
            [
                core_schema.bool_schema(strict=True),
                core_schema.no_info_before_validator_function(
                    parse_api_bool, core_schema.bool_schema()
                ),
            ],
            mode="left_to_right",
            custom_error_type="api_bool",
            custom_error_message="expected a boolean (true or false)",
        )


#: A boolean field: read with :func:`parse_api_bool`, written back as JSON ``true``/``false``.
ApiBool = Annotated[bool, _ApiBoolSchema()]


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

    # A listing's models may keep nested objects raw until read (models/_lazy.py): whatever
    # looks at the whole model validates them first, so it sees what full validation gives.

    def model_dump(self, **kwargs: Any) -> dict[str, Any]:
        materialize(self)  # here, not in the serializer hook: a misfit raises unwrapped
        return super().model_dump(**kwargs)

    def model_dump_json(self, **kwargs: Any) -> str:
        materialize(self)
        return super().model_dump_json(**kwargs)

    def __getstate__(self) -> dict[Any, Any]:
        materialize(self)  # an unpickled copy has no lazy validator to finish it with
        return super().__getstate__()

    def __eq__(self, other: object) -> bool:
        materialize(self)
        if isinstance(other, BaseModel):
            materialize(other)
        return super().__eq__(other)

    __hash__ = BaseModel.__hash__

    def __repr_args__(self) -> Any:
        materialize(self)
        return super().__repr_args__()

    def __iter__(self) -> Any:
        materialize(self)
        return super().__iter__()


class ListedModel(SophosModel):
    """The model of a big listing (endpoints, alerts...): iterating a listing builds it with its
    nested objects kept raw until first read (see ``models/_lazy.py``), three times faster.

    Handed to another pydantic type (a model of yours with an ``Endpoint`` field, FastAPI's
    ``response_model``), it is validated again, whole, so that type holds finished models.
    """

    model_config = ConfigDict(revalidate_instances="always")


# --- shared shapes: each family's model subclasses one, keeping its own name and docstring ---


class IdRef(SophosModel):
    """Another object (a tenant, an endpoint...) by its ``id``, which answers may leave out."""

    id: str | None = None


class IdNameRef(IdRef):
    """Another object by ``id`` and ``name`` (both may be left out)."""

    name: str | None = None


class RequiredIdNameRef(SophosModel):
    """Another object by ``id`` (always sent) and ``name``."""

    id: str
    name: str | None = None


class Actor(IdRef):
    """Who did something: ``type`` (``user``, ``service``...), ``name`` and the account they act
    in (``account_type`` tenant / partner / organization, ``account_id``)."""

    type: str | None = None
    name: str | None = None
    account_type: str | None = None
    account_id: str | None = None
