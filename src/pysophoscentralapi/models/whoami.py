"""Who-am-I API: the credential's identity and API hosts."""

from __future__ import annotations

from pydantic import Field

from pysophoscentralapi._enums.accounts import IdType
from pysophoscentralapi.models._base import SophosModel

__all__ = ["ApiHosts", "IdType", "Whoami"]


class ApiHosts(SophosModel):
    global_: str | None = Field(default=None, alias="global")
    data_region: str | None = None


class Whoami(SophosModel):
    """``GET /whoami/v1``: ``id``, ``id_type`` (tenant/partner/organization) and ``api_hosts``."""

    id: str
    id_type: IdType
    api_hosts: ApiHosts = Field(default_factory=ApiHosts)
