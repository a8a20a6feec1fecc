"""The API's enumerations and their known values, without pydantic (so the CLI's help is fast).

Every enum is tolerant: values Sophos adds later still parse. The tuples of known values
(``HEALTH_STATUSES``, ...) are what the library and the CLI validate filter arguments against and
what ``--help`` lists; the model modules (:mod:`pysophoscentralapi.models.endpoints`, ...) export
the same names, next to the models that use them.

One module per API area (:mod:`.endpoints`, :mod:`.endpoint_settings`,
:mod:`.endpoint_collections`, :mod:`.alerts`, :mod:`.accounts`, :mod:`.hunting`): building an
enum class costs start-up time, and a command's ``--help`` imports only its own area's.
This package holds what they share.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self


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


def known_values(enum: type[TolerantEnum]) -> tuple[str, ...]:
    """The values of ``enum``'s members, in order: a known-values tuple.

    >>> class Colour(TolerantEnum):
    ...     RED = "red"
    ...     BLUE = "blue"
    >>> known_values(Colour)
    ('red', 'blue')
    """
    return tuple(member.value for member in enum)


#: The platforms Sophos endpoints run on (an endpoint's ``os.platform``), which installers and
#: software packages are made for.
ENDPOINT_PLATFORMS: tuple[str, ...] = ("windows", "linux", "macOS")

#: Fields the API sorts groups by (directory user groups and endpoint groups alike).
GROUP_SORT_FIELDS: tuple[str, ...] = ("id", "name", "createdAt", "updatedAt")
