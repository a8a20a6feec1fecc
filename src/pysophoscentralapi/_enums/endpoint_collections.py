"""The other declared collections of the endpoint area: groups, policies, software, migrations."""

from __future__ import annotations

from pysophoscentralapi._enums import ENDPOINT_PLATFORMS, TolerantEnum, known_values

# --- endpoint groups, policies, software, migrations ----------------------------------------


class EndpointGroupType(TolerantEnum):
    """What a group holds: computers or servers (an endpoint of the other kind is refused)."""

    COMPUTER = "computer"
    SERVER = "server"


#: The group types, as the API spells them.
GROUP_TYPES = known_values(EndpointGroupType)
#: Fields ``search`` can look in (the API's default: the name only).
GROUP_SEARCH_FIELDS: tuple[str, ...] = ("name", "description")
#: Policy types seen in Sophos's collections (the API has more, e.g. server variants: the
#: library checks a type's form, not its membership in this list).
KNOWN_POLICY_TYPES: tuple[str, ...] = (
    "threat-protection",
    "peripheral-control",
    "application-control",
    "web-control",
    "device-encryption",
)
#: Static package types, platforms and endpoint types (the collection's examples show
#: ``fixed``, ``windows``, ``computer``; the others are INFERRED).
STATIC_PACKAGE_TYPES: tuple[str, ...] = ("fixed", "longTermSupport", "special")
PACKAGE_PLATFORMS = ENDPOINT_PLATFORMS
PACKAGE_ENDPOINT_TYPES: tuple[str, ...] = ("computer", "server")
#: A migration job's side.
MIGRATION_MODES: tuple[str, ...] = ("sending", "receiving")
