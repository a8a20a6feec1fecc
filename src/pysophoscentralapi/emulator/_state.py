"""The emulator's configuration and its mutable state: credentials, tokens, tenants, endpoints.

Seeded data comes from :mod:`._data`; this module keeps only what changed since the start
(isolation, tamper protection, deletions, tokens, the request log), so state stays small however
many endpoints a tenant has.
"""

from __future__ import annotations

import copy
import dataclasses
import random
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from starlette.requests import Request

from pysophoscentralapi.emulator._answer_shapes import ANSWER_SHAPES
from pysophoscentralapi.emulator._data import (
    COMPANIES,
    GEOGRAPHY,
    GEOGRAPHY_REGIONS,
    TENANT_REGIONS,
    EndpointFactory,
    iso,
    seeded_uuid,
)
from pysophoscentralapi.emulator._faults import FaultControls

CredentialKind = Literal["tenant", "partner", "organization"]
CREDENTIAL_KINDS: tuple[CredentialKind, ...] = ("tenant", "partner", "organization")


@dataclass(frozen=True)
class Credential:
    """An API credential (client id and secret) the emulator accepts."""

    client_id: str
    client_secret: str


#: Well-known, obviously fake credentials, one per kind. They work on every emulator.
DEMO_CREDENTIALS: dict[CredentialKind, Credential] = {
    kind: Credential(f"emulator-{kind}", f"emulator-{kind}-secret") for kind in CREDENTIAL_KINDS
}


@dataclass
class EmulatorConfig:
    """What the emulator serves. Every field has a demo-friendly default.

    Example::

        EmulatorConfig(seed=7, endpoints=100_000, fault_rate=0.1, rate_limit=20)

    - ``tenants``: tenants seen by the partner and organization credentials. The first one belongs
      to the tenant credential; with 3 or more, the second to last refuses partner/organization
      data-region calls (403), and with 2 or more the last is ``inactive`` without ``apiHost``.
    - ``endpoints``: endpoints of the first tenant; ``endpoints_per_tenant``: of each other tenant.
    - ``alerts``: alerts per tenant (served by the Common API module).
    - ``latency_ms``, ``fault_rate``, ``rate_limit``, ``fault_after_apply``,
      ``fault_token_requests``: initial :class:`~._faults.FaultControls` settings.
    - ``token_ttl``: seconds an access token lives (``expires_in``).
    - ``duplicate_tenant_name``: give two tenants the same name (for name-ambiguity tests).
    - ``global_tamper_protection``: the tenants' global Tamper Protection setting.
    - ``siem_events`` / ``siem_alerts``: SIEM feed backlog per tenant (over the 23 h before the
      start); ``siem_rate``: new events per second per tenant while running (alerts: a tenth);
      ``siem_late_fraction``: new items whose ``when`` is well before their arrival;
      ``siem_cursor_ttl``: seconds a SIEM cursor is honoured (24 h; shorten it in tests).
    - ``query_run_seconds``: how long XDR, Live Discover and detections runs take (``pending``
      for the first quarter, then ``started``, then ``finished``); 0 finishes them at once.
    - ``answer_shapes``: ``standard`` (as documented), ``real-world`` or ``unreadable``: the
      forms of the isolate, scan, update-check and delete answers (see :mod:`._answer_shapes`).
    """

    seed: int = 1
    tenants: int = 5
    endpoints: int = 120
    endpoints_per_tenant: int = 25
    alerts: int = 60
    latency_ms: float = 0.0
    fault_rate: float = 0.0
    rate_limit: float | None = None
    fault_after_apply: bool = False
    fault_token_requests: bool = False
    token_ttl: int = 3600
    duplicate_tenant_name: bool = False
    global_tamper_protection: bool = True
    siem_events: int = 400
    siem_alerts: int = 40
    siem_rate: float = 0.2
    siem_late_fraction: float = 0.1
    siem_cursor_ttl: float = 24 * 3600.0
    query_run_seconds: float = 1.0
    answer_shapes: str = "standard"

    def __post_init__(self) -> None:
        if self.tenants < 1:
            raise ValueError("tenants must be at least 1")
        if min(self.endpoints, self.endpoints_per_tenant, self.alerts) < 0:
            raise ValueError("endpoints, endpoints_per_tenant and alerts must not be negative")
        if not 0.0 <= self.fault_rate <= 1.0:
            raise ValueError("fault_rate must be between 0 and 1")
        if self.token_ttl < 1:
            raise ValueError("token_ttl must be at least 1 second")
        if min(self.siem_events, self.siem_alerts) < 0 or self.siem_rate < 0:
            raise ValueError("siem_events, siem_alerts and siem_rate must not be negative")
        if not 0.0 <= self.siem_late_fraction <= 1.0:
            raise ValueError("siem_late_fraction must be between 0 and 1")
        if self.siem_cursor_ttl <= 0:
            raise ValueError("siem_cursor_ttl must be more than 0 seconds")
        if self.query_run_seconds < 0:
            raise ValueError("query_run_seconds must not be negative")
        if self.answer_shapes not in ANSWER_SHAPES:
            raise ValueError(f"answer_shapes must be one of {', '.join(ANSWER_SHAPES)}")


@dataclass(frozen=True)
class Principal:
    """Who is calling: ``request.state.principal`` in handlers."""

    kind: CredentialKind
    id: str
    name: str
    client_id: str

    def actor(self) -> dict[str, str]:
        """The caller as the API shows it in ``lastEnabledBy``-like fields."""
        return {
            "id": self.id,
            "type": "service",
            "name": self.name,
            "accountType": self.kind,
            "accountId": self.id,
        }


@dataclass
class TokenRecord:
    token: str
    principal: Principal
    expires_at: float


@dataclass
class RequestRecord:
    """One request as the server saw it; ``status`` 0 = connection dropped without an answer."""

    method: str
    path: str
    query: str
    status: int = 0
    fault: str | None = None
    client_id: str | None = None


class EndpointStore:
    """A tenant's endpoints: seeded ones plus the changes made through the API."""

    def __init__(self, factory: EndpointFactory) -> None:
        self.factory = factory
        self.deleted: set[int] = set()
        self.isolation: dict[int, dict[str, Any]] = {}
        self.tamper: dict[int, dict[str, Any]] = {}
        self._tamper_generation: dict[int, int] = {}
        # Endpoint groups: their names by id (the seeded ones first) and the endpoints moved
        # between groups through the API (index -> group id, None: in no group).
        self.group_names: dict[str, str] = {g["id"]: g["name"] for g in factory.groups}
        self.group_of: dict[int, str | None] = {}
        # Endpoints migrated in from another tenant, after the seeded ones (index = count + i).
        self.imported: list[dict[str, Any]] = []

    def __len__(self) -> int:
        return self.factory.count + len(self.imported) - len(self.deleted)

    def index_of(self, endpoint_id: str) -> int | None:
        """The index of a live endpoint, ``None`` if unknown or deleted."""
        index = self.factory.index_of(endpoint_id)
        if index is None:
            wanted = endpoint_id.lower()
            found = (n for n, e in enumerate(self.imported) if e["id"] == wanted)
            index = next((self.factory.count + n for n in found), None)
        return None if index is None or index in self.deleted else index

    def _base(self, index: int) -> dict[str, Any]:
        """Endpoint ``index`` before the changes made to it: seeded, or migrated in."""
        if index >= self.factory.count:
            return copy.deepcopy(self.imported[index - self.factory.count])
        return self.factory.build(index)

    def import_endpoint(self, endpoint: dict[str, Any], tenant_id: str) -> None:
        """Add an endpoint migrated from another tenant (it keeps its id; not in a group)."""
        moved = {k: v for k, v in copy.deepcopy(endpoint).items() if k != "group"}
        moved["tenant"] = {"id": tenant_id}
        self.imported.append(moved)

    def get(self, index: int) -> dict[str, Any]:
        """The full endpoint ``index``, changes applied."""
        endpoint = self._base(index)
        record = self.isolation.get(index)
        if record is not None:
            state = endpoint["isolation"]
            state["adminIsolated"] = record["enabled"]
            isolated = record["enabled"] or state["selfIsolated"]
            state["status"] = "isolated" if isolated else "notIsolated"
        tamper = self.tamper.get(index)
        if tamper is not None:
            endpoint["tamperProtectionEnabled"] = tamper["enabled"]
        group_id = self.group_id_of(index, endpoint)
        if group_id is None:
            endpoint.pop("group", None)
        else:
            endpoint["group"] = {"id": group_id, "name": self.group_names[group_id]}
        return endpoint

    def group_id_of(self, index: int, built: dict[str, Any] | None = None) -> str | None:
        """The id of the group endpoint ``index`` is in (``None``: none, or its group is gone)."""
        if index in self.group_of:
            group_id = self.group_of[index]
        else:
            seeded = (built if built is not None else self._base(index)).get("group")
            group_id = seeded["id"] if seeded else None
        return group_id if group_id in self.group_names else None

    def rows(self, start: int = 0) -> Iterator[tuple[int, dict[str, Any]]]:
        """``(index, endpoint)`` of every live endpoint from ``start`` on."""
        for index in range(max(0, start), self.factory.count + len(self.imported)):
            if index not in self.deleted:
                yield index, self.get(index)

    def delete(self, index: int) -> None:
        self.deleted.add(index)
        self.isolation.pop(index, None)
        self.tamper.pop(index, None)

    def isolation_record(self, index: int) -> dict[str, Any]:
        """The endpoint's isolation settings (``GET /endpoints/{id}/isolation``)."""
        record = self.isolation.get(index)
        if record is not None:
            return dict(record)
        endpoint = self._base(index)
        if not endpoint["isolation"]["adminIsolated"]:
            return {"enabled": False}
        return {
            "enabled": True,
            "lastEnabledAt": endpoint["lastSeenAt"],
            "lastEnabledBy": {
                "id": seeded_uuid(random.Random(self.factory.seed)),
                "type": "user",
                "name": "Security Admin",
                "accountType": "tenant",
                "accountId": self.factory.tenant_id,
            },
            "comment": "Isolated after a threat was detected.",
        }

    def set_isolation(
        self, index: int, enabled: bool, comment: str | None, by: Principal
    ) -> dict[str, Any]:
        record = self.isolation_record(index)
        now = iso(time.time())
        record["enabled"] = enabled
        record["lastEnabledAt" if enabled else "lastDisabledAt"] = now
        record["lastEnabledBy" if enabled else "lastDisabledBy"] = by.actor()
        if comment is not None:
            record["comment"] = comment
        self.isolation[index] = record
        return dict(record)

    def tamper_record(self, index: int) -> dict[str, Any]:
        """The endpoint's Tamper Protection settings (``GET /endpoints/{id}/tamper-protection``)."""
        record = self.tamper.get(index)
        if record is None:
            record = {
                "enabled": self._base(index)["tamperProtectionEnabled"],
                "password": self.factory.tamper_password(index),
                "previousPasswords": [],
            }
        return {**record, "previousPasswords": list(record["previousPasswords"])}

    def set_tamper(self, index: int, enabled: bool | None, regenerate: bool) -> dict[str, Any]:
        record = self.tamper_record(index)
        if enabled is not None:
            record["enabled"] = enabled
        if regenerate:
            generation = self._tamper_generation.get(index, 0) + 1
            self._tamper_generation[index] = generation
            record["previousPasswords"].insert(
                0, {"password": record["password"], "invalidatedAt": iso(time.time())}
            )
            record["password"] = self.factory.tamper_password(index, generation)
        self.tamper[index] = record
        return self.tamper_record(index)


@dataclass
class TenantState:
    """One tenant: ``request.state.tenant`` in data-region handlers.

    ``store`` is free-form per-tenant state that API modules fill lazily
    (``tenant.store.setdefault("alerts", ...)``).
    """

    id: str
    name: str
    region: str | None
    rng_seed: int
    config: EmulatorConfig
    endpoints: EndpointStore
    partner_id: str
    organization_id: str
    data_geography: str
    billing_type: str
    status: str = "active"
    partner_access: bool = True
    global_tamper_protection: bool = True
    store: dict[str, Any] = field(default_factory=dict)
    #: ``showAs`` when it differs from ``name`` (tenants created through the Partner API).
    show_as: str | None = None
    #: The contact given when the tenant was created through the Partner API (not served).
    contact: dict[str, Any] | None = None

    @property
    def short_name(self) -> str:
        return self.endpoints.factory.short_name

    def api_host(self, base_url: str) -> str | None:
        """The tenant's data-region host on this server, ``None`` for an inactive tenant."""
        if self.region is None or self.status != "active":
            return None
        return f"{base_url}/region/{self.region}"

    def as_api(self, base_url: str) -> dict[str, Any]:
        """The tenant as ``/partner/v1/tenants`` and ``/organization/v1/tenants`` show it."""
        body: dict[str, Any] = {
            "id": self.id,
            "showAs": self.show_as or self.name,
            "name": self.name,
            "dataGeography": self.data_geography,
        }
        if self.region is not None:
            body["dataRegion"] = self.region
        body["billingType"] = self.billing_type
        body["partner"] = {"id": self.partner_id}
        body["organization"] = {"id": self.organization_id}
        api_host = self.api_host(base_url)
        if api_host is not None:
            body["apiHost"] = api_host
        body["status"] = self.status
        return body

    def endpoint_refs(self, limit: int) -> list[dict[str, Any]]:
        """``{"id", "hostname", "type"}`` of the first ``limit`` live endpoints."""
        refs: list[dict[str, Any]] = []
        for _, endpoint in self.endpoints.rows():
            if len(refs) >= limit:
                break
            refs.append({key: endpoint[key] for key in ("id", "hostname", "type")})
        return refs


class EmulatorState:
    """Everything the running emulator knows; tests reach it as ``emu.state``.

    Controls: ``faults`` (:class:`~._faults.FaultControls`), ``token_ttl``, :meth:`revoke_tokens`,
    :meth:`reset`. Observation: ``requests`` (a list of :class:`RequestRecord`),
    :meth:`request_count`, :meth:`tenant`.
    """

    def __init__(self, config: EmulatorConfig | None = None) -> None:
        self.config = config or EmulatorConfig()
        self.started_at = time.time()
        #: The clock of query runs (tests put a fake one here to run a "5 s" query instantly).
        self.clock: Callable[[], float] = time.time
        self.faults = FaultControls(seed=self.config.seed)
        self.requests: list[RequestRecord] = []
        self._lock = threading.Lock()
        self._tokens: dict[str, TokenRecord] = {}
        self._refresh_tokens: dict[str, CredentialKind] = {}
        self.reset(tokens=True)

    # --- set-up and reset ----------------------------------------------------------------------

    def reset(self, *, tokens: bool = False) -> None:
        """Back to the seeded data and the configured faults; clears the request log.

        Issued tokens stay valid unless ``tokens=True``, so a client keeps working across resets.
        """
        config = self.config
        self.token_ttl = config.token_ttl
        self.faults.clear(initial=config)
        self.requests = []
        if tokens:
            self.revoke_tokens()
        rng = random.Random(config.seed)
        #: Free-form state of the global APIs (partner admins and roles...), filled lazily.
        self.store: dict[str, Any] = {}
        self.partner_id = seeded_uuid(rng)
        self.organization_id = seeded_uuid(rng)
        self.tenants = [self._make_tenant(rng, index) for index in range(config.tenants)]
        self._by_id = {tenant.id: tenant for tenant in self.tenants}
        demo = self.tenants[0]
        self.principals: dict[CredentialKind, Principal] = {
            "tenant": Principal("tenant", demo.id, demo.name, DEMO_CREDENTIALS["tenant"].client_id),
            "partner": Principal(
                "partner",
                self.partner_id,
                "Emulator Partner",
                DEMO_CREDENTIALS["partner"].client_id,
            ),
            "organization": Principal(
                "organization",
                self.organization_id,
                "Emulator Organization",
                DEMO_CREDENTIALS["organization"].client_id,
            ),
        }

    def _make_tenant(self, rng: random.Random, index: int) -> TenantState:
        config = self.config
        count = config.tenants
        tenant_id = seeded_uuid(rng)
        rng_seed = rng.getrandbits(62)
        name, short = COMPANIES[index % len(COMPANIES)]
        if index >= len(COMPANIES):
            name, short = f"{name} {index // len(COMPANIES) + 1}", f"{short}{index}"
        if config.duplicate_tenant_name and count >= 2 and index == min(2, count - 1):
            name = COMPANIES[index - 1][0]
        region: str | None = TENANT_REGIONS[index % len(TENANT_REGIONS)]
        status = "active"
        if count >= 2 and index == count - 1:
            region, status = None, "inactive"
        endpoints = config.endpoints if index == 0 else config.endpoints_per_tenant
        factory = EndpointFactory(tenant_id, short, rng_seed, self.started_at, endpoints)
        return TenantState(
            id=tenant_id,
            name=name,
            region=region,
            rng_seed=rng_seed,
            config=config,
            endpoints=EndpointStore(factory),
            partner_id=self.partner_id,
            organization_id=self.organization_id,
            data_geography=GEOGRAPHY.get(TENANT_REGIONS[index % len(TENANT_REGIONS)], "US"),
            billing_type=("term", "trial", "usage")[index % 3],
            status=status,
            partner_access=not (count >= 3 and index == count - 2),
            global_tamper_protection=config.global_tamper_protection,
        )

    def create_tenant(
        self,
        *,
        name: str,
        data_geography: str,
        billing_type: str,
        show_as: str | None = None,
        contact: dict[str, Any] | None = None,
    ) -> TenantState:
        """A new, empty, active tenant of the partner (``POST /partner/v1/tenants``).

        Ids follow from the seed and the number of tenants created since the last reset, so runs
        are repeatable; :meth:`reset` forgets created tenants.
        """
        with self._lock:
            created = len(self.tenants) - self.config.tenants
            rng = random.Random(f"created-tenant:{self.config.seed}:{created}")
            tenant_id = seeded_uuid(rng)
            rng_seed = rng.getrandbits(62)
            short = re.sub(r"[^A-Z0-9]", "", name.upper())[:8] or f"NEW{created}"
            factory = EndpointFactory(tenant_id, short, rng_seed, time.time(), 0)
            tenant = TenantState(
                id=tenant_id,
                name=name,
                region=GEOGRAPHY_REGIONS[data_geography],
                rng_seed=rng_seed,
                # A new tenant has no endpoints and has raised no alerts yet.
                config=dataclasses.replace(self.config, alerts=0, siem_events=0, siem_alerts=0),
                endpoints=EndpointStore(factory),
                partner_id=self.partner_id,
                organization_id=self.organization_id,
                data_geography=data_geography,
                billing_type=billing_type,
                global_tamper_protection=self.config.global_tamper_protection,
                show_as=show_as,
                contact=contact,
            )
            self.tenants.append(tenant)
            self._by_id[tenant.id] = tenant
        return tenant

    # --- lookups ------------------------------------------------------------------------------

    @property
    def demo_tenant(self) -> TenantState:
        """The tenant of the tenant credential (the first tenant)."""
        return self.tenants[0]

    def tenant(self, tenant_id: str) -> TenantState | None:
        """A tenant by id (case-insensitive, as the API treats ids)."""
        return self._by_id.get(tenant_id.lower())

    def credential_kind(self, client_id: str) -> CredentialKind | None:
        for kind, credential in DEMO_CREDENTIALS.items():
            if credential.client_id == client_id:
                return kind
        return None

    # --- tokens ---------------------------------------------------------------------------------

    def issue_token(self, kind: CredentialKind) -> tuple[TokenRecord, str]:
        """A new access token (and refresh token) for the demo credential of ``kind``."""
        record = TokenRecord(
            secrets.token_urlsafe(32), self.principals[kind], time.time() + self.token_ttl
        )
        refresh = secrets.token_hex(32)
        with self._lock:
            self._tokens[record.token] = record
            self._refresh_tokens[refresh] = kind
        return record, refresh

    def refresh_kind(self, refresh_token: str) -> CredentialKind | None:
        """The credential kind a refresh token was issued to (refresh tokens are single-use)."""
        with self._lock:
            return self._refresh_tokens.pop(refresh_token, None)

    def principal_for_token(self, token: str) -> Principal | None:
        """The caller behind a bearer token, ``None`` when unknown, revoked or expired."""
        record = self._tokens.get(token)
        if record is None or record.expires_at <= time.time():
            return None
        return record.principal

    def revoke_tokens(self) -> None:
        """Invalidate every issued access and refresh token (clients must authenticate again)."""
        with self._lock:
            self._tokens.clear()
            self._refresh_tokens.clear()

    def expire_tokens(self) -> None:
        """Make every issued access token expired, as if its TTL had passed."""
        with self._lock:
            for record in self._tokens.values():
                record.expires_at = 0.0

    # --- request log ----------------------------------------------------------------------------

    def request_count(self, method: str | None = None, path: str | None = None) -> int:
        """How many requests match ``method`` and contain ``path``, e.g. ``("POST", "/token")``."""
        return sum(
            1
            for record in list(self.requests)
            if (method is None or record.method == method) and (path is None or path in record.path)
        )


def emulator_of(request: Request) -> EmulatorState:
    """The emulator's state, as the app keeps it for the handlers (``app.state.emulator``)."""
    emulator: EmulatorState = request.app.state.emulator
    return emulator


def tenant_of(request: Request) -> TenantState:
    """The tenant a data-region request is for (``request.state.tenant``, set by its access check)."""
    tenant: TenantState = request.state.tenant
    return tenant
