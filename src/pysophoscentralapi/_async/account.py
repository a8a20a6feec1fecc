"""Account Management API (``/accounts/v1``, global host): the tenant's access tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pysophoscentralapi._async._pagination import AsyncPaginator
from pysophoscentralapi._async._resource import AsyncNamespace, AsyncResource
from pysophoscentralapi._routing import Scope
from pysophoscentralapi._timeparams import format_api_datetime
from pysophoscentralapi._validation import check_choice, check_text, check_uuid
from pysophoscentralapi.models.account import ACCESS_TOKEN_TYPES, AccessToken

#: Largest page of access tokens (the collection documents none; 100 as the other listings).
MAX_PAGE_SIZE = 100
_BASE = "/accounts/v1/access-tokens"


def _expiry(value: datetime | str | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return format_api_datetime(value)


class AsyncAccessTokens(AsyncResource):
    """The tenant's access tokens, such as those Sophos Linux Sensor installs authenticate with.

    The ``token`` value is a secret: it is in the answer of :meth:`create` and of listings.

    Example::

        token = await central.account.access_tokens.create(label="LX sensors", expires_at=when)
    """

    scope = Scope.TENANT_GLOBAL

    def list(self, *, page_size: int = MAX_PAGE_SIZE) -> AsyncPaginator[AccessToken]:
        """Every access token of the tenant, page by page.

        Example::

            async for token in central.account.access_tokens.list():
                print(token.label, token.type, token.expires_at)
        """
        return self._numbered_pages(_BASE, AccessToken, page_size, MAX_PAGE_SIZE)

    async def create(
        self,
        *,
        label: str,
        expires_at: datetime | str | None = None,
        type: str = "sophosLinuxSensor",
    ) -> AccessToken:
        """Create an access token. A tenant whose licenses do not cover ``type`` gets a
        :class:`~pysophoscentralapi.PermissionDeniedError` (403).

        Example::

            token = await central.account.access_tokens.create(label="Linux fleet")
        """
        body: dict[str, Any] = {
            "label": check_text(label, "label").strip(),
            "type": check_choice(type, "type", ACCESS_TOKEN_TYPES),
        }
        if expires_at is not None:
            body["expiresAt"] = _expiry(expires_at)
        return self._result(AccessToken, await self._request("POST", _BASE, json=body))

    async def update(
        self, token_id: str, *, label: str | None = None, expires_at: datetime | str | None = None
    ) -> AccessToken:
        """Change a token's label or expiry (only the arguments given are sent).

        Example::

            await central.account.access_tokens.update(token.id, label="Linux fleet (prod)")
        """
        body: dict[str, Any] = {}
        if label is not None:
            body["label"] = check_text(label, "label").strip()
        if expires_at is not None:
            body["expiresAt"] = _expiry(expires_at)
        if not body:
            raise ValueError("nothing to update: give label or expires_at")
        path = f"{_BASE}/{check_uuid(token_id, 'token_id')}"
        return self._result(AccessToken, await self._request("PATCH", path, json=body))

    async def revoke(self, token_id: str) -> None:
        """Revoke (delete) a token.

        Example::

            await central.account.access_tokens.revoke(token.id)
        """
        await self._request("DELETE", f"{_BASE}/{check_uuid(token_id, 'token_id')}")


class AsyncAccount(AsyncNamespace):
    """Account Management API families: ``access_tokens``.

    Example::

        tokens = await central.account.access_tokens.list().to_list()
    """

    access_tokens: AsyncAccessTokens
