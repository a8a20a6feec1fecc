"""Endpoint software packages (``/endpoint/v1/software``): the static packages, declared once
(list/get, unpaged); recommended packages and package comments are the namespace's own."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pysophoscentralapi._collection import Cli, Collection, Filter
from pysophoscentralapi._enums.endpoint_collections import (
    PACKAGE_ENDPOINT_TYPES,
    PACKAGE_PLATFORMS,
    STATIC_PACKAGE_TYPES,
)
from pysophoscentralapi._paging_style import PagingStyle

if TYPE_CHECKING:
    from pysophoscentralapi.models.software import StaticPackage

SOFTWARE_PATH = "/endpoint/v1/software"
_CLI = "pysophos endpoint software"


def check_package_id(value: str, name: str) -> str:
    """A package id: letters, digits, ``-``/``_``/``.`` (Sophos's ids are UUIDs or slugs)."""
    text = str(value).strip()
    if not text or not all(ch.isalnum() or ch in "-_." for ch in text):
        raise ValueError(f"{name}: {value!r} is not a package id")
    return text


STATIC_PACKAGES: Collection[StaticPackage] = Collection(
    path=f"{SOFTWARE_PATH}/packages/static",
    model="pysophoscentralapi.models.software:StaticPackage",
    attribute="software.static_packages",
    paging=PagingStyle.NONE,
    deletable=False,
    id_check=check_package_id,
    filters=(
        Filter(
            "endpoint_type",
            "Only packages for this endpoint type.",
            param="endpointType",
            choices=PACKAGE_ENDPOINT_TYPES,
        ),
        Filter("platform", "Only packages of this platform.", choices=PACKAGE_PLATFORMS),
        Filter("type", "Only packages of this type.", choices=STATIC_PACKAGE_TYPES),
        Filter("expires_from", "Expiring on or after this date (YYYY-MM-DD).", param="expiresFrom"),
        Filter("expires_to", "Expiring before this date.", param="expiresTo"),
        Filter("released_from", "Released on or after this date.", param="releasedFrom"),
        Filter("released_to", "Released before this date.", param="releasedTo"),
    ),
    cli=Cli(
        group="packages",
        parent=_CLI,
        noun="static package",
        columns=("id", "name", "type", "platform", "releasedAt", "expiresAt"),
        help={
            "group": (
                "Static packages: fixed versions endpoints can stay on until they expire.",
                [f"{_CLI} packages list --platform windows", f"{_CLI} recommended"],
            ),
            "list": [f"{_CLI} packages list", f"{_CLI} packages list --expires-from 2026-01-01"],
        },
    ),
)
