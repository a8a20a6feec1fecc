"""Endpoint software packages (``/endpoint/v1/software``): Sophos-recommended and static
(fixed-version) packages, and the tenant's comments on static packages.

    >>> StaticPackage.model_validate({"id": "p1", "type": "fixed", "releasedAt": "2022-10-12"}).type
    'fixed'
"""

from __future__ import annotations

from pydantic import Field

from pysophoscentralapi._enums.endpoint_collections import (
    PACKAGE_ENDPOINT_TYPES,
    PACKAGE_PLATFORMS,
    STATIC_PACKAGE_TYPES,
)
from pysophoscentralapi.models._base import ApiBool, SophosModel


class PackageModule(SophosModel):
    """A module of a package and its version."""

    name: str | None = None
    version: str | None = None


class RecommendedPackage(SophosModel):
    """A Sophos Recommended package of a platform."""

    id: str
    platform: str | None = None
    modules: list[PackageModule] = Field(default_factory=list)


class StaticPackage(SophosModel):
    """A static package: a fixed version endpoints can stay on until it expires."""

    id: str
    name: str | None = None
    released_at: str | None = None
    expires_at: str | None = None
    type: str | None = None
    platform: str | None = None
    endpoint_type: str | None = None
    modules: list[PackageModule] = Field(default_factory=list)
    package_notes_url: str | None = None
    visible: ApiBool | None = None


class PackageComment(SophosModel):
    """The tenant's comment on a static package."""

    id: str | None = None
    comment: str | None = None
    package: StaticPackage | None = None


__all__ = [
    "PACKAGE_ENDPOINT_TYPES",
    "PACKAGE_PLATFORMS",
    "STATIC_PACKAGE_TYPES",
    "PackageComment",
    "PackageModule",
    "RecommendedPackage",
    "StaticPackage",
]
