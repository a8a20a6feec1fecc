"""Account Management API (``/accounts/v1``): a tenant's access tokens (e.g. for Linux sensors).

The token value is a secret: it is kept out of ``repr()``.

    >>> t = AccessToken.model_validate({"id": "t1", "token": "eyJ...", "type": "sophosLinuxSensor"})
    >>> "eyJ" in repr(t), t.token
    (False, 'eyJ...')
"""

from __future__ import annotations

from pydantic import Field

from pysophoscentralapi.models._base import Actor, SophosModel, Timestamp

__all__ = ["ACCESS_TOKEN_TYPES", "AccessToken", "AccessTokenCreator"]

#: ``type`` of an access token. The collection's create body sends ``sls``, its answers say
#: ``sophosLinuxSensor``: both name the Sophos Linux Sensor.
ACCESS_TOKEN_TYPES = ("sophosLinuxSensor", "sls")


class AccessTokenCreator(Actor):
    """``createdBy`` of an access token."""


class AccessToken(SophosModel):
    """An access token of the tenant (``/accounts/v1/access-tokens``)."""

    id: str
    token: str | None = Field(default=None, repr=False)
    type: str | None = None
    label: str | None = None
    created_at: Timestamp | None = None
    expires_at: Timestamp | None = None
    url: str | None = None
    created_by: AccessTokenCreator | None = None
