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
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any
from urllib.parse import quote, urlsplit

from pysophoscentralapi._errors import ConfigError, ResponseValidationError
from pysophoscentralapi._regions import KNOWN_REGIONS
from pysophoscentralapi._validation import EXAMPLE_UUID, canonical_uuid


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


# --- any API path (``central.request`` / ``pysophos api``) ---------------------------------------

#: API families on the global host that act on one tenant (``X-Tenant-ID``), per the collection.
GLOBAL_TENANT_FAMILIES = ("/accounts/v1", "/licenses/v1")
#: Sophos Central's own API hosts: the global one and one per data region.
SOPHOS_API_HOSTS = (
    "https://api.central.sophos.com",
    *(f"https://api-{region}.central.sophos.com" for region in KNOWN_REGIONS),
)
#: Headers the client sets itself: a caller may not override authentication or tenancy.
RESERVED_HEADERS = frozenset(
    {"authorization", "x-tenant-id", "x-partner-id", "x-organization-id", "host", "content-length"}
)

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][\w-]*)\}|(?<=/):([A-Za-z_]\w*)")
_HOST_VARIABLE = re.compile(r"^\{\{[^{}]+\}\}")


@dataclass(frozen=True)
class ApiRoute:
    """Where an API path goes: the scope, the path the transport is given (the partner or
    organization prefix is the transport's to add) and the credential type it needs, if one."""

    scope: Scope
    path: str
    needs: str | None = None


def _in_family(path: str, family: str) -> bool:
    return path == family or path.startswith(family + "/")


def route_for_path(path: str) -> ApiRoute:
    """The route of an API path, chosen from its first two segments (the API family):

    - ``/whoami/v1``: the global host, no tenancy header;
    - ``/partner/v1/...``, ``/organization/v1/...``: the global host with ``X-Partner-ID`` /
      ``X-Organization-ID`` (partner / organization credentials only);
    - ``/accounts/v1/...``, ``/licenses/v1/...``: the global host with ``X-Tenant-ID`` (for
      ``/licenses/v1/licenses/firewalls``, a partner credential without a tenant sends
      ``X-Partner-ID``);
    - anything else (``/endpoint/v1``, ``/common/v1``, ``/firewall/v1``...): the tenant's
      data-region host with ``X-Tenant-ID``.

    >>> route_for_path("/partner/v1/tenants")
    ApiRoute(scope=<Scope.PARTNER_OR_ORG: 'partner_or_org'>, path='/tenants', needs='partner')
    >>> route_for_path("endpoint/v1/endpoints").scope
    <Scope.TENANT: 'tenant'>
    """
    path = "/" + path.lstrip("/")
    if _in_family(path, "/whoami/v1"):
        return ApiRoute(Scope.GLOBAL, path)
    for family, kind in (("/partner/v1", "partner"), ("/organization/v1", "organization")):
        if _in_family(path, family):
            return ApiRoute(Scope.PARTNER_OR_ORG, path[len(family) :], needs=kind)
    if any(_in_family(path, family) for family in GLOBAL_TENANT_FAMILIES):
        partner_too = _in_family(path, "/licenses/v1/licenses/firewalls")
        return ApiRoute(
            Scope.TENANT_OR_PARTNER_GLOBAL if partner_too else Scope.TENANT_GLOBAL, path
        )
    return ApiRoute(Scope.TENANT, path)


def check_route_credential(route: ApiRoute, identity: Identity, path: str) -> None:
    """:class:`ConfigError` when ``path`` is a partner/organization API and the credential is not."""
    if route.needs is not None and identity.id_type != route.needs:
        raise ConfigError(
            f"{path} is an API of {route.needs} credentials; this is a {identity.id_type} "
            "credential",
            hint=f"use a profile holding {route.needs} API credentials (pysophos --profile NAME)",
        )


def placeholders(path: str) -> list[str]:
    """The placeholders of a path in the collection's form: ``{id}`` or ``:endpointId``.

    >>> placeholders("/endpoint/v1/endpoints/{id}/isolation")
    ['id']
    """
    return [braced or coloned for braced, coloned in _PLACEHOLDER.findall(path)]


def fill_placeholders(path: str, values: Mapping[str, str], *, keep: Iterable[str] = ()) -> str:
    """``path`` with each placeholder replaced by its (URL-quoted) value, and a leading host
    variable of the collection (``{{baseUrl}}``) dropped; ``ValueError`` naming any left unfilled
    (but those named in ``keep``, left as they are).

    >>> fill_placeholders("{{dataRegionApiHost}}/endpoint/v1/endpoints/:endpointId", {"endpointId": "e 1"})
    '/endpoint/v1/endpoints/e%201'
    """
    path = _HOST_VARIABLE.sub("", path)
    kept = set(keep)
    missing = [name for name in placeholders(path) if name not in values and name not in kept]
    if missing:
        names = ", ".join(f"{{{name}}}" for name in dict.fromkeys(missing))
        raise ValueError(
            f"path: {names} not filled in; put the value in the path, or give it as a field "
            f"(e.g. -f {missing[0]}=VALUE)"
        )

    def value(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        return quote(str(values[name]), safe="") if name in values else match.group(0)

    return _PLACEHOLDER.sub(value, path)


def _origin_and_path(url: str) -> tuple[str, str] | None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.scheme}://{parts.hostname.lower()}:{port}", parts.path.rstrip("/")


def path_under(url: str, bases: Iterable[str]) -> str | None:
    """The API path of a full ``url`` under the longest of ``bases`` it lies under (same scheme,
    host and port, and the base's path as a prefix), or ``None``: the URL is on another host.

    >>> path_under("http://127.0.0.1:8080/region/eu01/endpoint/v1/endpoints",
    ...            ["http://127.0.0.1:8080", "http://127.0.0.1:8080/region/eu01"])
    '/endpoint/v1/endpoints'
    >>> path_under("https://evil.example.com/endpoint/v1/endpoints", ["https://api.central.sophos.com"])
    """
    target = _origin_and_path(url)
    if target is None:
        return None
    best: str | None = None
    for base in bases:
        known = _origin_and_path(base)
        if known is None or known[0] != target[0]:
            continue
        prefix = known[1]
        if target[1] == prefix or target[1].startswith(prefix + "/"):
            rest = target[1][len(prefix) :] or "/"
            if best is None or len(rest) < len(best):
                best = rest
    return best


def check_extra_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """Extra request headers, or ``ValueError`` for one the client sets itself (authentication,
    tenancy: choose the tenant with ``tenant_id`` / ``for_tenant`` / ``--tenant`` instead)."""
    checked: dict[str, str] = {}
    for name, value in headers.items():
        if not isinstance(name, str) or not isinstance(value, str):
            raise ValueError("headers: names and values must be strings")
        if name.strip().lower() in RESERVED_HEADERS:
            raise ValueError(
                f"headers: {name} is set by pysophoscentralapi (authentication and tenancy); "
                "choose the tenant with --tenant / for_tenant() instead"
            )
        checked[name.strip()] = value
    return checked
