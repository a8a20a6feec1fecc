"""Endpoint software packages: ``central.software``.

``static_packages`` is the declared list (``list(platform=...)``, ``get``); ``recommended()``,
``add_special_package()`` and the package comments are here::

    async for package in central.software.static_packages.list(platform="windows"):
        print(package.name, package.expires_at)
    await central.software.set_comment(package.id, "Use for the ERP servers")
"""

from __future__ import annotations

import builtins

from pysophoscentralapi._async._collection import Gets, Lists
from pysophoscentralapi._async._resource import AsyncResource
from pysophoscentralapi._families.software import SOFTWARE_PATH, STATIC_PACKAGES, check_package_id
from pysophoscentralapi._page import validate_item
from pysophoscentralapi._validation import check_text
from pysophoscentralapi.models.software import PackageComment, RecommendedPackage, StaticPackage

__all__ = ["AsyncSoftware", "AsyncStaticPackages"]


class AsyncStaticPackages(Lists[StaticPackage], Gets[StaticPackage]):
    """Static packages: ``central.software.static_packages`` (one unpaged list)."""

    collection = STATIC_PACKAGES


def _rows(body: object) -> builtins.list[dict[str, object]]:
    items = body.get("items") if isinstance(body, dict) else None
    return [row for row in items or [] if isinstance(row, dict)]


class AsyncSoftware(AsyncResource):
    """Software packages and their comments: ``central.software``."""

    static_packages: AsyncStaticPackages

    async def recommended(self) -> builtins.list[RecommendedPackage]:
        """The Sophos Recommended package of each platform.

        Example::

            for package in await central.software.recommended():
                print(package.platform, [m.version for m in package.modules])
        """
        body = await self._request("GET", f"{SOFTWARE_PATH}/packages/recommended")
        return [validate_item(RecommendedPackage, row) for row in _rows(body)]

    async def add_special_package(self, package_id: str) -> StaticPackage:
        """Add a special package Sophos support gave you (one way; 409 when already added).

        Example::

            await central.software.add_special_package("special-2024-07")
        """
        path = f"{SOFTWARE_PATH}/packages/static/{check_package_id(package_id, 'package_id')}/add"
        return self._result(StaticPackage, await self._request("POST", path))

    async def comments(self) -> builtins.list[PackageComment]:
        """Every static package comment of the tenant."""
        body = await self._request("GET", f"{SOFTWARE_PATH}/comments")
        return [validate_item(PackageComment, row) for row in _rows(body)]

    def _comment_path(self, package_id: str) -> str:
        return f"{SOFTWARE_PATH}/comments/{check_package_id(package_id, 'package_id')}"

    async def comment(self, package_id: str) -> PackageComment:
        """The comment on a static package (:class:`~pysophoscentralapi.NotFoundError` if none)."""
        body = await self._request("GET", self._comment_path(package_id))
        return validate_item(PackageComment, body)

    async def set_comment(self, package_id: str, comment: str) -> PackageComment:
        """Add or replace the comment on a static package.

        Example::

            await central.software.set_comment(package.id, "Use for the ERP servers")
        """
        body = {"comment": check_text(comment, "comment")}
        answer = await self._request("PUT", self._comment_path(package_id), json=body)
        return self._result(PackageComment, answer)

    async def delete_comment(self, package_id: str) -> bool:
        """Remove the comment on a static package."""
        return self._deleted(await self._request("DELETE", self._comment_path(package_id)))
