"""Per-tenant state of the emulated Common API: alerts, admins, roles, users and user groups.

Everything is seeded from the tenant's ``rng_seed`` on first use and then kept in
``tenant.store["common"]`` for the server's life, so the same seed gives the same data and changes
made through the API stay visible.
"""

from __future__ import annotations

import base64
import random
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from ._http import ApiFailure, BadRequest, found, now_iso

# --- enums (API_NOTES §8.1, §8.3, §8.4 and the Postman collection) --------------------------------

SEVERITIES = ("high", "medium", "low")
SEVERITY_RANK = {"high": 3, "medium": 2, "low": 1}
#: [XS] list, plus ``ztnaResource`` seen in the 2025 collection's query samples.
CATEGORIES = (
    "azure", "adSync", "applicationControl", "appReputation", "blockListed", "connectivity", "cwg",
    "denc", "downloadReputation", "endpointFirewall", "fenc", "forensicSnapshot", "general", "iaas",
    "iaasAzure", "isolation", "malware", "mtr", "mobiles", "policy", "protection", "pua",
    "runtimeDetections", "security", "smc", "systemHealth", "uav", "uncategorized", "updating",
    "utm", "virt", "wireless", "xgEmail", "ztnaResource",
)  # fmt: skip
PRODUCTS = (
    "other", "endpoint", "server", "mobile", "encryption", "emailGateway", "webGateway",
    "phishThreat", "wireless", "iaas", "firewall", "ztna",
)  # fmt: skip
ACTIONS = (
    "acknowledge", "cleanPua", "cleanVirus", "authPua", "clearThreat", "clearHmpa", "sendMsgPua",
    "sendMsgThreat",
)  # fmt: skip
#: Actions that leave the alert in place (they only notify the user); every other one resolves it.
NON_RESOLVING_ACTIONS = frozenset({"sendMsgPua", "sendMsgThreat"})
SOURCE_TYPES = ("custom", "activeDirectory", "azureActiveDirectory")
ROLE_TYPES = ("predefined", "custom")
PRINCIPAL_TYPES = ("user", "service")
PERMISSION_SET_TYPES = ("base", "setting", "product")
PERMISSION_SET_ACCESS = ("admin", "readOnly")
SUPER_ADMIN_ROLE = "Super Admin"

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


class TenantLike(Protocol):
    """What the core puts in ``request.state.tenant`` (only the parts this module uses)."""

    id: str
    name: str
    rng_seed: int
    config: Any
    store: dict[str, Any]

    def endpoint_refs(self, limit: int) -> list[dict[str, Any]]:
        """``{"id", "hostname", "type"}`` of the tenant's endpoints."""
        ...


@dataclass
class CommonState:
    """The mutable Common API data of one tenant."""

    tenant_id: str
    tenant_name: str
    alerts: list[dict[str, Any]] = field(default_factory=list)
    #: Alert actions taken, newest last (kept for inspection; not served by the API).
    actions: list[dict[str, Any]] = field(default_factory=list)
    permission_sets: list[dict[str, Any]] = field(default_factory=list)
    roles: dict[str, dict[str, Any]] = field(default_factory=dict)
    admins: dict[str, dict[str, Any]] = field(default_factory=dict)
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    groups: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: group id -> member user ids, in insertion order.
    members: dict[str, list[str]] = field(default_factory=dict)
    rng: random.Random = field(default_factory=random.Random)

    # --- ids and lookups ------------------------------------------------------------------------

    def new_id(self) -> str:
        """A fresh UUID from the tenant's generator (deterministic for a given history)."""
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def tenant_ref(self, *, with_name: bool = True) -> dict[str, str]:
        """The ``tenant`` object embedded in resources."""
        return (
            {"id": self.tenant_id, "name": self.tenant_name}
            if with_name
            else {"id": self.tenant_id}
        )

    def alert(self, alert_id: str) -> dict[str, Any]:
        """The open alert with this id; 404 when unknown or already resolved."""
        for item in self.alerts:
            if item["id"] == alert_id:
                return item
        raise ApiFailure(404, "Alert not found.")

    def role(self, role_id: str) -> dict[str, Any]:
        """A role; 404 when unknown."""
        return found(self.roles, role_id, "Can't find role.")

    def admin(self, admin_id: str) -> dict[str, Any]:
        """An admin; 404 when unknown."""
        return found(self.admins, admin_id, "Can't find admin.")

    def user(self, user_id: str) -> dict[str, Any]:
        """A directory user; 404 when unknown."""
        return found(self.users, user_id, "Can't find user.")

    def group(self, group_id: str) -> dict[str, Any]:
        """A directory group; 404 when unknown."""
        return found(self.groups, group_id, "Can't find group.")

    def groups_of(self, user_id: str) -> list[str]:
        """Ids of the groups the user belongs to."""
        return [gid for gid, members in self.members.items() if user_id in members]

    def super_role_ids(self) -> set[str]:
        """Ids of the roles that make an admin a Super admin."""
        return {r["id"] for r in self.roles.values() if r["name"] == SUPER_ADMIN_ROLE}

    def super_admin_ids(self) -> set[str]:
        """Ids of the admins holding a Super Admin role."""
        supers = self.super_role_ids()
        return {
            a["id"]
            for a in self.admins.values()
            if any(ra["roleId"] in supers for ra in a["roleAssignments"])
        }

    # --- views ----------------------------------------------------------------------------------

    def user_view(self, user: dict[str, Any]) -> dict[str, Any]:
        """A user as the API returns it, with its group memberships."""
        gids = self.groups_of(user["id"])
        items = [{"id": g, "name": self.groups[g]["name"]} for g in gids]
        return {
            **user,
            "groups": {"total": len(items), "itemsCount": len(items), "items": items},
        }

    def group_view(self, group: dict[str, Any]) -> dict[str, Any]:
        """A group as the API returns it, with its members."""
        uids = self.members.get(group["id"], [])
        items = [{"id": u, "name": self.users[u]["name"]} for u in uids]
        return {**group, "users": {"total": len(items), "itemsCount": len(items), "items": items}}

    def admin_view(self, admin: dict[str, Any]) -> dict[str, Any]:
        """An admin as the API returns it; ``users``/``profile`` follow the linked user's edits."""
        user = self.users.get(admin["userId"])
        view = {k: v for k, v in admin.items() if k != "userId"}
        if user is not None:
            view["users"] = [{"id": user["id"], "name": user["name"]}]
            view["profile"] = {
                "name": user["name"],
                "firstName": user.get("firstName", ""),
                "lastName": user.get("lastName", ""),
                "email": user.get("email", ""),
            }
        view["roleAssignments"] = [dict(ra) for ra in admin["roleAssignments"]]
        return view


def common_state(tenant: TenantLike) -> CommonState:
    """The tenant's Common API state, seeded on first use."""
    state = tenant.store.get("common")
    if state is None:
        state = _seed(tenant)
        tenant.store["common"] = state
    return state


# --- validation helpers ---------------------------------------------------------------------------


def check_email(value: Any, name: str = "email") -> str:
    """A syntactically valid email address, else 400."""
    if not isinstance(value, str) or not _EMAIL.match(value):
        raise BadRequest(f"Invalid value for {name}: {value!r} is not a valid email address.")
    return value


def iso(moment: datetime) -> str:
    """A datetime as the API writes it (milliseconds, ``Z``)."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# --- seeding --------------------------------------------------------------------------------------

_FIRST = (
    "Alice", "Bob", "Carol", "David", "Erin", "Frank", "Grace", "Heidi", "Ivan", "Judy", "Karl",
    "Laura", "Mallory", "Niaj", "Olivia", "Peggy", "Rupert", "Sybil", "Trent", "Uma", "Victor",
    "Wendy", "Xavier", "Yvonne", "Zoe",
)  # fmt: skip
_LAST = (
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel",
    "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall",
    "Wood", "Clarke",
)  # fmt: skip
_GROUPS = (
    ("Finance", "Finance department", "custom"),
    ("Engineering", "Software engineering", "custom"),
    ("Sales", "Sales and pre-sales", "custom"),
    ("Help Desk", "First-line support", "custom"),
    ("Domain Users", "All domain users (synced)", "activeDirectory"),
    ("VPN Users", "Remote access (synced)", "activeDirectory"),
)
USERS_PER_TENANT = 40
_AD_USERS_FROM = 32  # users 32..39 are synced from Active Directory

#: Permission sets: (id, name, type, access, allowedInCustomRoles, principal types, products).
_PERMISSION_SETS = (
    ("central_admin", "Central administration", "base", "admin", True, ("user", "service"), ()),
    ("central_read_only", "Central read-only", "base", "readOnly", True, ("user", "service"), ()),
    ("central_help_desk", "Central help desk", "base", "admin", True, ("user",), ()),
    ("central_super_admin", "Central super administration", "base", "admin", False,
     ("user", "service"), ()),
    ("endpoint_product_admin", "Endpoint administration", "product", "admin", True,
     ("user", "service"), ("endpoint",)),
    ("endpoint_product_read_only", "Endpoint read-only", "product", "readOnly", True,
     ("user", "service"), ("endpoint",)),
    ("mobile_product_admin", "Mobile administration", "product", "admin", True, ("user",),
     ("mobile",)),
    ("ztna_product_admin", "ZTNA administration", "product", "admin", True, ("user",), ("ztna",)),
    ("endpoint_settings_admin", "Endpoint settings administration", "setting", "admin", True,
     ("user", "service"), ("endpoint",)),
    ("global_settings_read_only", "Global settings read-only", "setting", "readOnly", True,
     ("user", "service"), ()),
)  # fmt: skip

#: Predefined roles: (name, principal type, permission sets, description).
_PREDEFINED_ROLES = (
    (SUPER_ADMIN_ROLE, "user", ("central_super_admin",), "Full access, including admin management."),
    ("Admin", "user", ("central_admin", "endpoint_product_admin"), "Full access except admins."),
    ("Help Desk", "user", ("central_help_desk", "endpoint_product_read_only"),
     "Day-to-day support tasks."),
    ("Read-only", "user", ("central_read_only",), "View everything, change nothing."),
    ("User", "user", (), "No access to Sophos Central Admin."),
    ("Service Principal Super Admin", "service", ("central_super_admin",),
     "Full API access."),
    ("Service Principal Management", "service", ("central_admin", "endpoint_product_admin"),
     "API access to manage products and settings."),
    ("Service Principal Read-Only", "service", ("central_read_only",), "Read-only API access."),
)  # fmt: skip

#: Seeded admins: (user index, role names). Two Super admins so one can be removed.
_SEED_ADMINS = (
    (0, (SUPER_ADMIN_ROLE,)),
    (1, (SUPER_ADMIN_ROLE,)),
    (2, ("Admin",)),
    (3, ("Help Desk",)),
    (4, ("Read-only",)),
    (5, ("Admin", "Help Desk")),
)


@dataclass(frozen=True)
class AlertKind:
    """A template for seeded alerts of one type."""

    type: str
    category: str
    severity: str
    actions: tuple[str, ...]
    description: str
    weight: int
    group_no: int


#: Seeded alert kinds, weighted towards the common ones (out-of-date and PUA alerts).
ALERT_KINDS = (
    AlertKind("Event::Endpoint::OutOfDate", "updating", "medium", ("acknowledge",),
              "{host} is out of date.", 6, 513),
    AlertKind("Event::Endpoint::UpdateRebootRequired", "updating", "low", ("acknowledge",),
              "Restart needed to complete the update on {host}.", 3, 517),
    AlertKind("Event::Endpoint::PUADetected", "pua", "medium",
              ("acknowledge", "cleanPua", "authPua", "sendMsgPua"),
              "Generic reputation PUA detected {path}", 4, 211),
    AlertKind("Event::Endpoint::Threat::Detected", "malware", "high",
              ("acknowledge", "cleanVirus", "sendMsgThreat"),
              "Malware detected: '{threat}' at '{path}'", 3, 101),
    AlertKind("Event::Endpoint::Threat::CleanupFailed", "malware", "high",
              ("acknowledge", "clearThreat"),
              "Manual cleanup required: '{threat}' at '{path}'", 2, 104),
    AlertKind("Event::Endpoint::HmpaExploitPrevented", "runtimeDetections", "high",
              ("acknowledge", "clearHmpa"),
              "Exploit prevented in {process} on {host}", 2, 301),
    AlertKind("Event::Endpoint::ServiceNotRunning", "protection", "medium", ("acknowledge",),
              "One or more Sophos services are missing or not running on {host}", 2, 402),
    AlertKind("Event::Endpoint::Application::Blocked", "applicationControl", "low",
              ("acknowledge",), "Controlled application blocked: {process}", 2, 611),
    AlertKind("Event::Endpoint::WebControlViolation", "policy", "low", ("acknowledge",),
              "Web control policy violation on {host}", 1, 712),
)  # fmt: skip

_THREATS = ("Troj/Agent-BFQX", "Mal/Generic-S", "EICAR-AV-Test", "Troj/Ransom-GKZ", "ML/PE-A")
_PATHS = (
    "C:\\Users\\{user}\\Downloads\\invoice_{n}.exe",
    "C:\\Temp\\WinExeSvc.exe",
    "C:\\ProgramData\\Updater\\upd{n}.dll",
    "/home/{user}/Downloads/setup-{n}.bin",
)
_PROCESSES = ("WINWORD.EXE", "EXCEL.EXE", "chrome.exe", "AcroRd32.exe", "powershell.exe")


def _anchor() -> datetime:
    # Seeded times count back from the moment the tenant's data is first built, so the newest
    # alerts are minutes to hours old whenever the emulator starts (documented examples such as
    # `alerts list --from 24h` always find some).
    return datetime.now(UTC).replace(microsecond=0)


def _group_key(kind: AlertKind) -> str:
    return base64.b64encode(f"1,{kind.type},{kind.group_no},".encode()).decode()


def _seed(tenant: TenantLike) -> CommonState:
    state = CommonState(tenant_id=tenant.id, tenant_name=tenant.name)
    state.rng = random.Random(f"common:{tenant.rng_seed}:{tenant.id}")
    anchor = _anchor()
    domain = re.sub(r"[^a-z0-9]+", "", tenant.name.lower()) or "tenant"
    domain = f"{domain}.example.com"
    _seed_permission_sets(state)
    _seed_roles(state, anchor)
    _seed_directory(state, anchor, domain)
    _seed_admins(state, anchor)
    count = getattr(tenant.config, "alerts", 60)
    _seed_alerts(state, tenant, anchor, count if isinstance(count, int) else 60)
    return state


def _seed_permission_sets(state: CommonState) -> None:
    for ps_id, name, ps_type, access, custom, principals, products in _PERMISSION_SETS:
        state.permission_sets.append(
            {
                "id": ps_id,
                "name": name,
                "description": f"{name} permissions.",
                "type": ps_type,
                "access": access,
                "principalTypes": list(principals),
                "allowedInCustomRoles": custom,
                "products": list(products),
            }
        )


#: custom roles a tenant starts with (so `roles list --type custom` shows one)
_CUSTOM_ROLES = (
    ("Endpoint Operators", "user", ("central_read_only", "endpoint_product_admin"),
     "Endpoint team: manage endpoints, read the rest."),
)  # fmt: skip


def _seed_roles(state: CommonState, anchor: datetime) -> None:
    created = iso(anchor - timedelta(days=400))
    seeded = [(role, "predefined") for role in _PREDEFINED_ROLES]
    seeded += [(role, "custom") for role in _CUSTOM_ROLES]
    for (name, principal, sets, description), role_type in seeded:
        role_id = state.new_id()
        state.roles[role_id] = {
            "id": role_id,
            "name": name,
            "description": description,
            "type": role_type,
            "principalType": principal,
            "permissionSets": list(sets),
            "createdAt": created,
            "updatedAt": created,
        }


def _seed_directory(state: CommonState, anchor: datetime, domain: str) -> None:
    rng = state.rng
    used: set[str] = set()
    for index in range(USERS_PER_TENANT):
        first = _FIRST[index % len(_FIRST)]
        last = _LAST[(index * 7 + rng.randrange(len(_LAST))) % len(_LAST)]
        local = f"{first}.{last}".lower()
        while local in used:
            local += str(rng.randrange(10))
        used.add(local)
        created = anchor - timedelta(days=rng.randrange(30, 700), seconds=rng.randrange(86400))
        updated = created + timedelta(days=rng.randrange(0, 25))
        user_id = state.new_id()
        source = "activeDirectory" if index >= _AD_USERS_FROM else "custom"
        state.users[user_id] = {
            "id": user_id,
            "name": f"{first} {last}",
            "firstName": first,
            "lastName": last,
            "email": f"{local}@{domain}",
            "domain": domain,
            "exchangeLogin": local,
            "tenant": state.tenant_ref(),
            "source": {"type": source},
            "createdAt": iso(created),
            "updatedAt": iso(updated),
        }
    user_ids = list(state.users)
    custom_users = user_ids[:_AD_USERS_FROM]
    ad_users = user_ids[_AD_USERS_FROM:]
    for name, description, source in _GROUPS:
        created = anchor - timedelta(days=rng.randrange(100, 800))
        group_id = state.new_id()
        state.groups[group_id] = {
            "id": group_id,
            "name": name,
            "description": description,
            "domain": domain,
            "source": {"type": source},
            "tenant": state.tenant_ref(),
            "createdAt": iso(created),
            "updatedAt": iso(created + timedelta(days=rng.randrange(0, 60))),
        }
        pool = ad_users if source == "activeDirectory" else custom_users
        size = len(pool) if name == "Domain Users" else rng.randrange(2, min(9, len(pool)))
        state.members[group_id] = sorted(rng.sample(pool, size), key=user_ids.index)


def _seed_admins(state: CommonState, anchor: datetime) -> None:
    by_name = {r["name"]: r["id"] for r in state.roles.values() if r["type"] == "predefined"}
    user_ids = list(state.users)
    for user_index, role_names in _SEED_ADMINS:
        created = anchor - timedelta(days=state.rng.randrange(60, 600))
        admin_id = state.new_id()
        state.admins[admin_id] = {
            "id": admin_id,
            "tenant": state.tenant_ref(with_name=False),
            "userId": user_ids[user_index],
            "roleAssignments": [{"id": state.new_id(), "roleId": by_name[n]} for n in role_names],
            "createdAt": iso(created),
            "updatedAt": iso(created + timedelta(days=state.rng.randrange(0, 40))),
        }


def _seed_alerts(state: CommonState, tenant: TenantLike, anchor: datetime, count: int) -> None:
    rng = state.rng
    try:
        agents = tenant.endpoint_refs(max(count, 1))
    except Exception:  # a tenant without endpoints still gets alerts
        agents = []
    if not agents:
        agents = [
            {"id": state.new_id(), "hostname": f"HOST-{n:03d}", "type": "computer"}
            for n in range(10)
        ]
    people = [u for u in state.users.values() if u["source"]["type"] == "custom"]
    weights = [k.weight for k in ALERT_KINDS]
    alerts: list[dict[str, Any]] = []
    for _ in range(count):
        kind = rng.choices(ALERT_KINDS, weights)[0]
        agent = rng.choice(agents)
        person = rng.choice(people)
        raised = anchor - timedelta(
            seconds=rng.randrange(60, 30 * 86400), milliseconds=rng.randrange(1000)
        )
        agent_type = "server" if agent.get("type") == "server" else "computer"
        description = kind.description.format(
            host=agent.get("hostname", "unknown"),
            path=rng.choice(_PATHS).format(user=person["exchangeLogin"], n=rng.randrange(100, 999)),
            threat=rng.choice(_THREATS),
            process=rng.choice(_PROCESSES),
        )
        person_ref: dict[str, str] = {"id": person["id"]}
        if rng.random() < 0.6:
            person_ref["name"] = person["name"]
        alerts.append(
            {
                "id": state.new_id(),
                "allowedActions": list(kind.actions),
                "category": kind.category,
                "description": description,
                "groupKey": _group_key(kind),
                "managedAgent": {"id": agent["id"], "type": agent_type},
                "person": person_ref,
                "product": "server" if agent_type == "server" else "endpoint",
                "raisedAt": iso(raised),
                "severity": kind.severity,
                "tenant": state.tenant_ref(),
                "type": kind.type,
            }
        )
    _make_some_recent(alerts, anchor)
    alerts.sort(key=lambda a: a["raisedAt"], reverse=True)
    state.alerts = alerts


#: how many alerts of each severity are moved into the last hours (see _make_some_recent)
RECENT_PER_SEVERITY = 2


def _make_some_recent(alerts: list[dict[str, Any]], anchor: datetime) -> None:
    """Move the first alerts of each severity into the last hours: spread uniformly over 30
    days, a small tenant could otherwise have no high alert in the last day. No random draw
    is taken, so the rest of the seeded data stays as it was."""
    moved: dict[str, int] = {}
    for alert in alerts:
        severity = alert["severity"]
        if moved.get(severity, 0) < RECENT_PER_SEVERITY:
            moved[severity] = moved.get(severity, 0) + 1
            # 7 minutes, then every ~1.6 hours: the newest alerts within the last ten hours
            age = timedelta(minutes=7 + 97 * (sum(moved.values()) - 1))
            alert["raisedAt"] = iso(anchor - age)


def stamp() -> str:
    """The time written on a change."""
    return now_iso()
