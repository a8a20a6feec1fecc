"""Which host and tenancy header a request goes to (sans-I/O).

Sophos Central routes by the credential's ``idType`` from ``GET /whoami/v1`` (API_NOTES §3):

==============  ==================================  ======================================
idType          tenant-scoped APIs                  partner / organization APIs
==============  ==================================  ======================================
tenant          ``apiHosts.dataRegion``,            --
                ``X-Tenant-ID: id``
partner         the tenant's ``apiHost``,           global host ``/partner/v1``,
                ``X-Tenant-ID: tenant.id``          ``X-Partner-ID: id``
organization    the tenant's ``apiHost``,           global host ``/organization/v1``,
                ``X-Tenant-ID: tenant.id``          ``X-Organization-ID: id``
==============  ==================================  ======================================
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from enum import Enum
from typing import Any
from urllib.parse import urlsplit

from pysophoscentralapi._errors import ConfigError, ResponseValidationError
from pysophoscentralapi._validation import EXAMPLE_UUID, canonical_uuid

#: The data regions Sophos Central documents (API_NOTES §1).
KNOWN_REGIONS = ("eu01", "eu02", "us01", "us03", "ca01", "au01", "jp01", "in01", "br01")


class Scope(Enum):
    """Where a request belongs."""

    GLOBAL = "global"  # whoami: the global host, no tenancy header
    PARTNER_OR_ORG = "partner_or_org"  # /partner/v1 or /organization/v1 on the global host
    TENANT = "tenant"  # data-region APIs of one tenant
    PARTNER = "partner"  # /partner/v1 on the global host: partner credentials only
    #: Tenant APIs served by the global host (licensing, account management): ``X-Tenant-ID``.
    TENANT_GLOBAL = "tenant_global"
    #: As ``TENANT_GLOBAL``, but a partner credential not bound to a tenant sends ``X-Partner-ID``.
    TENANT_OR_PARTNER_GLOBAL = "tenant_or_partner_global"


@dataclass(frozen=True)
class Identity:
    """The credential's identity, from whoami."""

    id: str
    id_type: str  # "tenant" | "partner" | "organization"
    global_url: str
    data_region_url: str | None

    @classmethod
    def from_whoami(cls, body: Any, fallback_global_url: str) -> Identity:
        """Parse a whoami body; :class:`ResponseValidationError` when it is not whoami-shaped."""
        if not isinstance(body, dict):
            raise ResponseValidationError("whoami answered with a body that is not a JSON object")
        id_, id_type = body.get("id"), body.get("idType")
        if not isinstance(id_, str) or id_type not in ("tenant", "partner", "organization"):
            raise ResponseValidationError(
                "whoami answered without a usable id/idType (expected tenant, partner or organization)"
            )
        raw_hosts = body.get("apiHosts")
        hosts: dict[str, Any] = raw_hosts if isinstance(raw_hosts, dict) else {}
        global_url = hosts.get("global") if isinstance(hosts.get("global"), str) else None
        data_region = hosts.get("dataRegion") if isinstance(hosts.get("dataRegion"), str) else None
        return cls(
            id=id_,
            id_type=id_type,
            global_url=global_url or fallback_global_url,
            data_region_url=data_region,
        )

    @property
    def is_tenant(self) -> bool:
        return self.id_type == "tenant"

    def partner_prefix(self) -> tuple[str, dict[str, str]]:
        """The path prefix and header of the Partner API (admins, roles, billing)."""
        if self.id_type != "partner":
            raise ConfigError(
                f"this is a{'n' if self.id_type == 'organization' else ''} {self.id_type} "
                "credential: the Partner API needs partner credentials",
                hint="use a partner API credential (Sophos Central Partner > API Credentials)",
            )
        return "/partner/v1", {"X-Partner-ID": self.id}

    def partner_or_org_prefix(self) -> tuple[str, dict[str, str]]:
        """The path prefix and header for partner/organization APIs of this credential."""
        if self.id_type == "partner":
            return "/partner/v1", {"X-Partner-ID": self.id}
        if self.id_type == "organization":
            return "/organization/v1", {"X-Organization-ID": self.id}
        raise ConfigError(
            "this is a tenant credential: it has no tenant list",
            hint="tenant lists need partner or organization API credentials",
        )


def join_url(base: str, path: str) -> str:
    """Join a base URL that may carry a path prefix with an API path: never replace the prefix.

    >>> join_url("http://127.0.0.1:8080/region/eu01/", "/endpoint/v1/endpoints")
    'http://127.0.0.1:8080/region/eu01/endpoint/v1/endpoints'
    """
    return base.rstrip("/") + "/" + path.lstrip("/")


def is_loopback_host(host: str) -> bool:
    """Whether ``host`` names this machine (``localhost`` or a loopback address)."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def may_send_token_to(url: str) -> bool:
    """The bearer token goes only over https, or over plain http to a loopback host."""
    parts = urlsplit(url)
    if parts.scheme == "https":
        return True
    return parts.scheme == "http" and is_loopback_host(parts.hostname or "")


def normalise_tenant_id(value: str, *, source: str = "tenant_id") -> str:
    """A tenant id as the API writes it (lower-case UUID), or :class:`ConfigError` naming ``source``."""
    canonical = canonical_uuid(value) if isinstance(value, str) else None
    if canonical is None:
        raise ConfigError(
            f"{source}: {value!r} is not a tenant id (a UUID such as {EXAMPLE_UUID})",
            hint="list your tenants' ids with: pysophos tenants list",
        )
    return canonical


def check_region(region: str, *, source: str = "region") -> str:
    """A known data region name, or :class:`ConfigError` listing the valid ones."""
    if region not in KNOWN_REGIONS:
        raise ConfigError(
            f"{source}: unknown data region {region!r}; valid regions: {', '.join(KNOWN_REGIONS)}",
            hint="leave region unset to take it from whoami",
        )
    return region
