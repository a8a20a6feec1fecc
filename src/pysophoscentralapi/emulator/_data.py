"""Seeded, deterministic demo data: tenants and endpoints.

Nothing here is stored: an endpoint is recomputed from ``(seed, tenant, index)`` whenever it is
needed, so a tenant of 100,000 endpoints costs no memory until something changes (changes live in
:mod:`._state`). Endpoint ids encode their index (invertible arithmetic in the last UUID group), so
looking one up by id is O(1).
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime
from typing import Any

#: Data regions the real service knows (API_NOTES §1); tenants are placed in a few of them.
TENANT_REGIONS = ("eu01", "us01")
GEOGRAPHY = {"eu01": "IE", "eu02": "DE", "us01": "US", "us03": "US", "ca01": "CA"}
#: Where a tenant created with a ``dataGeography`` lives ([DR] region table, API_NOTES §1/§9).
GEOGRAPHY_REGIONS = {
    "US": "us01",
    "IE": "eu01",
    "DE": "eu02",
    "CA": "ca01",
    "AU": "au01",
    "JP": "jp01",
    "IN": "in01",
    "BR": "br01",
}

COMPANIES = (
    ("Acme Corp", "ACME"),
    ("Globex Industries", "GLOBEX"),
    ("Initech Ltd", "INITECH"),
    ("Umbrella Health", "UMBRELLA"),
    ("Stark Logistics", "STARK"),
    ("Wayne Foods", "WAYNE"),
    ("Hooli Systems", "HOOLI"),
    ("Soylent Labs", "SOYLENT"),
)

_FIRST = ("anna", "ben", "chloe", "david", "emma", "farid", "grace", "hugo", "ines", "jonas", "kim")
_LAST = ("smith", "jones", "garcia", "muller", "rossi", "novak", "tanaka", "silva", "kowalski")
_SERVER_ROLES = ("SQL", "WEB", "DC", "FS", "APP", "EXCH", "BKP")
_GROUPS = ("Sales", "Engineering", "Finance", "Servers", "Remote workers", "Kiosks")

# (platform, name, majorVersion, minorVersion, build) per kind. The collection types os.build as
# an integer, so only Windows (whose builds are numbers) has one; macOS builds such as "23E214"
# are not integers and are left out, like Linux's.
_OS_COMPUTER = (
    (0.45, ("windows", "Windows 11 Enterprise", 10, 0, 22631)),
    (0.30, ("windows", "Windows 10 Pro", 10, 0, 19045)),
    (0.15, ("macOS", "macOS Sonoma 14.4", 14, 4, None)),
    (0.10, ("linux", "Ubuntu 22.04.4 LTS", 22, 4, None)),
)
_OS_SERVER = (
    (0.40, ("windows", "Windows Server 2022 Standard", 10, 0, 20348)),
    (0.25, ("windows", "Windows Server 2019 Datacenter", 10, 0, 17763)),
    (0.20, ("linux", "Red Hat Enterprise Linux 9.3", 9, 3, None)),
    (0.15, ("linux", "Ubuntu 20.04.6 LTS", 20, 4, None)),
)
_HEALTH = ((0.80, "good"), (0.07, "suspicious"), (0.10, "bad"), (0.03, "unknown"))

_DAY = 86400.0
#: every STALE_EVERY-th endpoint (from STALE_OFFSET) was last seen one to five months ago, and
#: every other one of those is in bad health: `endpoint list --last-seen-before 30d
#: --health-status bad` finds some in any tenant of 10 endpoints or more
STALE_EVERY = 10
STALE_OFFSET = 7
_ID_BITS = 48
_ID_MASK = (1 << _ID_BITS) - 1
_ID_MULT = 0x9E3779B97F4B  # odd, so invertible modulo 2**48
_ID_INV = pow(_ID_MULT, -1, 1 << _ID_BITS)


def seeded_uuid(rng: random.Random) -> str:
    """A version-4 looking UUID drawn from ``rng``."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def iso(timestamp: float) -> str:
    """``timestamp`` as the API writes times: ``2024-05-01T12:00:00.000Z`` (sorts as text)."""
    text = datetime.fromtimestamp(timestamp, UTC).isoformat(timespec="milliseconds")
    return text.replace("+00:00", "Z")


def person_name(person_id: str) -> str:
    """A realistic display name ("Grace Novak") for a person id the emulator knows nothing about.

    Deterministic: the same id always gets the same name.
    """
    rng = random.Random(f"person:{person_id.lower()}")
    return f"{rng.choice(_FIRST).capitalize()} {rng.choice(_LAST).capitalize()}"


def _pick(rng: random.Random, weighted: tuple[tuple[float, Any], ...]) -> Any:
    roll = rng.random()
    for weight, value in weighted:
        roll -= weight
        if roll < 0:
            return value
    return weighted[-1][1]


class EndpointFactory:
    """Builds the endpoints of one tenant from ``(seed, index)``; see the module docstring."""

    def __init__(
        self, tenant_id: str, short_name: str, seed: int, anchor: float, count: int
    ) -> None:
        self.tenant_id = tenant_id
        self.short_name = short_name
        self.seed = seed
        self.anchor = anchor  # "now" for the generated timestamps: the server's start
        self.count = count
        self._salt = seed & _ID_MASK
        group_rng = random.Random(seed ^ 0x5EED)
        self.groups = [{"id": seeded_uuid(group_rng), "name": name} for name in _GROUPS]

    def endpoint_id(self, index: int) -> str:
        """The id of endpoint ``index``; the last group encodes the index."""
        tail = ((index + self._salt) * _ID_MULT) & _ID_MASK
        head = random.Random(self.seed * 1_000_003 + index).getrandbits(80)
        value = (head << _ID_BITS) | tail
        return str(uuid.UUID(int=value, version=4))

    def index_of(self, endpoint_id: str) -> int | None:
        """The index of ``endpoint_id`` in this tenant, or ``None`` for an id it never issued."""
        try:
            tail = int(uuid.UUID(endpoint_id).hex[-12:], 16)
        except ValueError:
            return None
        index = (tail * _ID_INV - self._salt) & _ID_MASK
        if index >= self.count or self.endpoint_id(index) != endpoint_id.lower():
            return None
        return index

    def tamper_password(self, index: int, generation: int = 0) -> str:
        """A 12-digit tamper-protection password, deterministic per endpoint and regeneration."""
        rng = random.Random(self.seed * 7_919 + index * 104_729 + generation)
        return f"{rng.randrange(10**12):012d}"

    def build(self, index: int) -> dict[str, Any]:
        """The ``view=full`` endpoint ``index`` as seeded (before changes made through the API)."""
        rng = random.Random(self.seed * 1_000_003 + index)
        head = rng.getrandbits(80)  # same draw as endpoint_id(): keeps both in step
        endpoint_id = str(
            uuid.UUID(
                int=(head << _ID_BITS) | (((index + self._salt) * _ID_MULT) & _ID_MASK), version=4
            )
        )
        is_server = rng.random() < 0.2
        platform, os_name, major, minor, build = _pick(
            rng, _OS_SERVER if is_server else _OS_COMPUTER
        )
        number = index + 1
        if is_server:
            hostname = f"SRV-{rng.choice(_SERVER_ROLES)}-{number:02d}"
        else:
            prefix = {"windows": "WS", "macOS": "MAC", "linux": "LX"}[platform]
            hostname = f"{prefix}-{self.short_name}-{number:04d}"
        health = _pick(rng, _HEALTH)
        online = rng.random() < 0.6
        # Online machines were seen minutes ago; the rest spread over ~60 days, most of them recent.
        age = rng.uniform(0, 900) if online else rng.random() ** 2 * 60 * _DAY
        stale = index % STALE_EVERY == STALE_OFFSET
        if stale:  # forgotten machines, months away (no draw from rng: the rest stays put)
            online = False
            age = (31 + random.Random(f"stale:{self.seed}:{index}").uniform(0, 120)) * _DAY
        last_seen = self.anchor - age
        os_info: dict[str, Any] = {
            "isServer": is_server,
            "platform": platform,
            "name": os_name,
            "majorVersion": major,
            "minorVersion": minor,
        }
        if build is not None:
            os_info["build"] = build
        services_ok = health in ("good", "suspicious") or rng.random() < 0.5
        tp_supported = platform != "linux" or rng.random() < 0.7
        endpoint: dict[str, Any] = {
            "id": endpoint_id,
            "type": "server" if is_server else "computer",
            "tenant": {"id": self.tenant_id},
            "hostname": hostname,
            "health": {
                "overall": health,
                "threats": {"status": "bad" if health == "bad" and rng.random() < 0.6 else "good"},
                "services": {
                    "status": "good" if services_ok else "bad",
                    "serviceDetails": [
                        {"name": "Sophos MCS Agent", "status": "running"},
                        {
                            "name": "Sophos File Scanner",
                            "status": "running" if services_ok else "stopped",
                        },
                    ],
                },
            },
            "os": os_info,
            # Hosts 10.x.y.1-250: unique per index, never a network or broadcast address.
            "ipv4Addresses": [
                f"10.{(index // 62500) % 256}.{(index // 250) % 250}.{index % 250 + 1}"
            ],
            "macAddresses": [
                "00:50:56:" + ":".join(f"{rng.getrandbits(8):02X}" for _ in range(3)),
            ],
        }
        # Every endpoint lists its IPv6 addresses, often none (draws kept as they were, so the
        # rest of the seeded data does not move).
        endpoint["ipv6Addresses"] = (
            [f"fe80::{rng.getrandbits(16):x}:{rng.getrandbits(16):x}"] if rng.random() < 0.2 else []
        )
        if rng.random() < 0.75:
            # "Servers" is a server group: a computer drawn into it goes to "Engineering".
            drawn = 3 if is_server else rng.randrange(len(self.groups))
            endpoint["group"] = dict(self.groups[1 if drawn == 3 and not is_server else drawn])
        if not is_server:
            user = f"{rng.choice(_FIRST)}.{rng.choice(_LAST)}"
            login = f"{self.short_name}\\{user}"
            endpoint["associatedPerson"] = {
                "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "name": login,
                "viaLogin": login,
            }
        endpoint["tamperProtectionSupported"] = tp_supported
        endpoint["tamperProtectionEnabled"] = tp_supported and rng.random() < 0.85
        products = [
            {"code": "coreAgent", "version": "2024.2.1.6", "status": "installed"},
            {"code": "endpointProtection", "version": "2024.2.1.6", "status": "installed"},
            {"code": "interceptX", "version": "2024.2.1.6", "status": "installed"},
        ]
        if rng.random() < 0.4:
            products.append({"code": "xdr", "version": "2024.2.1.6", "status": "installed"})
        if platform == "windows" and not is_server:
            products.append({"code": "deviceEncryption", "version": "2.6.3", "status": "installed"})
        endpoint["assignedProducts"] = products
        endpoint["lastSeenAt"] = iso(last_seen)
        if platform == "windows":
            endpoint["lastOsUpdateAt"] = iso(last_seen - rng.uniform(0, 30) * _DAY)
        endpoint["lastAgentUpdateAt"] = iso(last_seen - rng.uniform(0, 14) * _DAY)
        # Fields added later take no draws from ``rng``, so the rest of the data stays as it was.
        if rng.random() < 0.8:
            endpoint["serialNumber"] = f"{rng.getrandbits(40):010X}"
        else:
            extra = random.Random(f"endpoint-serial:{self.seed}:{index}")
            endpoint["serialNumber"] = _serial_number(extra, platform, is_server)
        if platform == "windows" and not is_server:
            status = rng.choice(
                ("encrypted", "encrypted", "encrypted", "notEncrypted", "encrypting")
            )
            endpoint["encryption"] = {
                "volumes": [{"volumeId": "C:", "status": status}],
                "overallStatus": status,
            }
        if is_server and platform == "windows":
            lockdown = rng.choice(("notInstalled", "notInstalled", "locked", "unlocked"))
            update = "notInstalled" if lockdown == "notInstalled" else "upToDate"
            endpoint["lockdown"] = {"status": lockdown, "updateStatus": update}
        endpoint["online"] = online
        if is_server and rng.random() < 0.3:
            provider = rng.choice(("aws", "azure", "gcp"))
            endpoint["cloud"] = {
                "provider": provider,
                "instanceId": f"i-{rng.getrandbits(64):016x}",
            }
        # A few machines (~3%) were imaged from a copy of another one (same agent identity);
        # decided by bits of the id already drawn, so it costs no draw.
        endpoint["cloned"] = (head & 0xFF) < 8
        admin_isolated = health == "bad" and rng.random() < 0.3
        self_isolated = not admin_isolated and health == "bad" and rng.random() < 0.1
        endpoint["isolation"] = {
            "status": "isolated" if admin_isolated or self_isolated else "notIsolated",
            "adminIsolated": admin_isolated,
            "selfIsolated": self_isolated,
        }
        if stale and index % (2 * STALE_EVERY) == STALE_OFFSET:  # and half of those unhealthy
            endpoint["health"]["overall"] = "bad"
            endpoint["health"]["services"]["status"] = "bad"
            endpoint["health"]["services"]["serviceDetails"][1]["status"] = "stopped"
        return endpoint


def _serial_number(rng: random.Random, platform: str, is_server: bool) -> str:
    """A hardware serial number in the style of the machine's vendor."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    if platform == "macOS":
        return "C02" + "".join(rng.choice(alphabet) for _ in range(9))  # Apple: 12 characters
    if is_server and platform == "linux":
        return "VMware-" + " ".join(f"{rng.getrandbits(8):02x}" for _ in range(8))
    return "".join(rng.choice(alphabet) for _ in range(rng.choice((7, 8, 10))))
