"""Every cookbook recipe (docs/cookbook/*.py and *.sh) run as a user would, against an emulator.

Scripts run in a subprocess with the venv's python and ``pysophos`` first on PATH, settings only
from the emulator's environment variables (no config file, token cache in tmp). Each test checks
the effect in the emulator through the library, not just the script's output.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from pysophoscentralapi import SophosCentral
from tests.conftest import ENV_PREFIXES, home_env
from tests.integration.conftest import sync_client

ROOT = Path(__file__).resolve().parents[2]
COOKBOOK = ROOT / "docs" / "cookbook"
BIN = Path(sys.executable).parent

#: Small but with every interesting case: 5 tenants, of which one refuses partner access (403)
#: and one is inactive (no apiHost); enough alerts for high-severity malware ones.
EMULATOR = {"tenants": 5, "endpoints": 40, "endpoints_per_tenant": 6, "alerts": 60}


@pytest.fixture
def emu(make_emulator: Callable[..., Any]) -> Any:
    return make_emulator(**EMULATOR)


@pytest.fixture
def base_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(ENV_PREFIXES)}
    env.update(
        {"PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}", **home_env(tmp_path), "NO_COLOR": "1"}
    )
    return env


def run(
    args: list[str], env: dict[str, str], cwd: Path, *, expect: int = 0
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        args, env=env, cwd=cwd, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == expect, (result.returncode, result.stdout, result.stderr)
    return result


def python(script: str, *args: str) -> list[str]:
    return [sys.executable, str(COOKBOOK / script), *args]


def shell(script: str, *args: str) -> list[str]:
    return ["sh", str(COOKBOOK / script), *args]


@pytest.fixture
def tenant_client(emu: Any) -> Iterator[SophosCentral]:
    with sync_client(emu) as central:
        yield central


def reachable_tenants(emu: Any) -> dict[str, str]:
    """Tenant id -> name of the tenants partner credentials can read."""
    return {
        t.id: t.name
        for t in emu.state.tenants
        if t.region is not None and t.status == "active" and t.partner_access
    }


def test_every_recipe_has_a_test() -> None:
    recipes = {p.name for p in COOKBOOK.iterdir() if p.suffix in (".py", ".sh")}
    tested = {
        "ack_alerts.py",
        "ack_alerts.sh",
        "audit_admins.py",
        "export_all_endpoints.sh",
        "isolate_malware_hosts.py",
        "rotate_tamper_passwords.py",
        "stale_endpoints.sh",
    }
    assert recipes == tested


def test_export_all_endpoints_of_all_tenants(emu: Any, base_env: dict[str, str], tmp_path: Path):
    env = {**base_env, **emu.env("partner")}
    result = run(shell("export_all_endpoints.sh", "all.csv"), env, tmp_path, expect=6)
    assert "tenant failed" in result.stderr

    with (tmp_path / "all.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))
    reachable = reachable_tenants(emu)
    assert len(reachable) == 3
    per_tenant: dict[str, int] = {}
    for row in rows:
        per_tenant[row["tenant_id"]] = per_tenant.get(row["tenant_id"], 0) + 1
        assert row["tenant_name"] == reachable[row["tenant_id"]]
    assert per_tenant == {t.id: len(t.endpoints) for t in emu.state.tenants if t.id in reachable}


def test_stale_endpoints(
    emu: Any, base_env: dict[str, str], tmp_path: Path, tenant_client: SophosCentral
):
    env = {**base_env, **emu.env("tenant")}
    run(shell("stale_endpoints.sh", "30d", "stale.csv"), env, tmp_path)

    with (tmp_path / "stale.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))
    cutoff = datetime.now(UTC) - timedelta(days=30)
    assert rows, "the emulator should have endpoints not seen for 30 days"
    for row in rows:
        assert datetime.fromisoformat(row["lastSeenAt"].replace("Z", "+00:00")) < cutoff
    expected = {ep.id for ep in tenant_client.endpoints.list(last_seen_before=timedelta(days=30))}
    assert {row["id"] for row in rows} == expected
    assert list(rows[0]) == [
        "id",
        "hostname",
        "type",
        "os.name",
        "lastSeenAt",
        "associatedPerson.name",
    ]


def test_isolate_malware_hosts(
    emu: Any, base_env: dict[str, str], tmp_path: Path, tenant_client: SophosCentral
):
    alerts = tenant_client.alerts.list(
        severity="high", category="malware", from_=timedelta(days=30)
    ).to_list()
    targets = {
        a.managed_agent.id
        for a in alerts
        if a.managed_agent and a.managed_agent.type in ("computer", "server")
    }
    assert targets, "the emulator should have high-severity malware alerts"
    before = {i: tenant_client.endpoints.isolation(i).enabled for i in targets}
    assert False in before.values(), "some targets should not be isolated yet"
    env = {**base_env, **emu.env("tenant")}

    dry = run(python("isolate_malware_hosts.py", "--days", "30", "--dry-run"), env, tmp_path)
    assert "DRY RUN: POST" in dry.stdout
    assert {i: tenant_client.endpoints.isolation(i).enabled for i in targets} == before

    run(python("isolate_malware_hosts.py", "--days", "30", "--comment", "INC-42"), env, tmp_path)
    for endpoint_id in targets:
        isolation = tenant_client.endpoints.isolation(endpoint_id)
        assert isolation.enabled is True
        assert isolation.comment == "INC-42"
    isolated = {ep.id for ep in tenant_client.endpoints.list(isolation_status="isolated")}
    assert targets <= isolated
    posts = [r for r in emu.state.requests if r.method == "POST" and "isolation" in r.path]
    assert len(posts) == 1  # one bulk request; the dry run sent none


def test_rotate_tamper_passwords(
    emu: Any, base_env: dict[str, str], tmp_path: Path, tenant_client: SophosCentral
):
    endpoints = list(tenant_client.endpoints.list())
    protected = [ep.id for ep in endpoints if ep.tamper_protection_enabled]
    unprotected = [ep.id for ep in endpoints if not ep.tamper_protection_enabled]
    assert protected
    before = {ep.id: tenant_client.endpoints.tamper_protection(ep.id).password for ep in endpoints}
    env = {**base_env, **emu.env("tenant")}

    run(python("rotate_tamper_passwords.py", "--dry-run"), env, tmp_path)
    assert all(
        tenant_client.endpoints.tamper_protection(i).password == before[i] for i in protected
    )

    result = run(python("rotate_tamper_passwords.py"), env, tmp_path)
    assert f"{len(protected)} of {len(protected)}" in result.stdout
    for endpoint_id in protected:
        tp = tenant_client.endpoints.tamper_protection(endpoint_id)
        assert tp.password != before[endpoint_id]
        assert tp.previous_passwords
        assert tp.previous_passwords[0].password == before[endpoint_id]
        assert tp.password not in result.stdout + result.stderr  # never printed
    for endpoint_id in unprotected:
        assert (
            tenant_client.endpoints.tamper_protection(endpoint_id).password == before[endpoint_id]
        )


def test_ack_alerts_script(
    emu: Any, base_env: dict[str, str], tmp_path: Path, tenant_client: SophosCentral
):
    window = timedelta(days=7)
    before = tenant_client.alerts.list(from_=window).to_list()
    updating = [a for a in before if str(a.category) == "updating"]
    assert updating
    env = {**base_env, **emu.env("tenant")}

    result = run(python("ack_alerts.py", "--category", "updating"), env, tmp_path)
    assert f"acknowledged {len(updating)} alert(s)" in result.stdout
    after = tenant_client.alerts.list(from_=window).to_list()
    assert not [a for a in after if str(a.category) == "updating"]
    assert len(after) == len(before) - len(updating)  # the others are untouched


def test_ack_alerts_pipeline(
    emu: Any, base_env: dict[str, str], tmp_path: Path, tenant_client: SophosCentral
):
    everything = tenant_client.alerts.list().to_list()
    policy = [a.id for a in everything if str(a.category) == "policy"]
    assert policy
    env = {**base_env, **emu.env("tenant")}

    result = run(shell("ack_alerts.sh", "policy", "all"), env, tmp_path)
    acted = list(csv.reader(io.StringIO(result.stdout)))
    assert len(acted) == len(policy)
    remaining = tenant_client.alerts.list().to_list()
    assert not [a for a in remaining if str(a.category) == "policy"]
    assert len(remaining) == len(everything) - len(policy)


def test_audit_admins_across_tenants(emu: Any, base_env: dict[str, str], tmp_path: Path):
    env = {**base_env, **emu.env("partner")}
    result = run(python("audit_admins.py", "--output", "admins.csv"), env, tmp_path, expect=6)
    assert result.stderr.count("tenant failed") == 2

    with (tmp_path / "admins.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))
    reachable = reachable_tenants(emu)
    assert {row["tenant_id"] for row in rows} == set(reachable)

    with sync_client(emu, "partner") as central:
        for tenant in central.tenants.list():
            if tenant.id not in reachable:
                continue
            client = central.for_tenant(tenant.id)
            roles = {r.id: r.name for r in client.roles.list()}
            expected = {
                (admin.id, role_id, roles[role_id])
                for admin in client.admins.list()
                for role_id in admin.role_ids
            }
            got = {
                (row["admin_id"], row["role_id"], row["role_name"])
                for row in rows
                if row["tenant_id"] == tenant.id
            }
            assert got == expected
            assert expected
