"""Core emulator: starting it (run_emulator, pytest fixtures, the CLI) and its scale."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time

import httpx
import pytest

from pysophoscentralapi._tokens import token_request_form
from pysophoscentralapi.emulator import EmulatorConfig, run_emulator
from tests.emulator.core_helpers import Api, token_request


def test_run_emulator_starts_and_stops_fast_and_frees_the_port():
    start = time.perf_counter()
    with run_emulator(EmulatorConfig(endpoints=1)) as emu:
        started = time.perf_counter() - start
        assert emu.url.startswith("http://127.0.0.1:")
        assert emu.auth_url == f"{emu.url}/api/v2/oauth2/token"
        assert token_request(emu).status_code == 200
        url = emu.url
        stop = time.perf_counter()
    stopped = time.perf_counter() - stop
    assert started < 0.3
    assert stopped < 0.3
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}/whoami/v1")


def test_env_gives_the_four_settings_per_kind():
    with run_emulator(EmulatorConfig(endpoints=1)) as emu:
        env = emu.env("partner")
        assert env == {
            "SOPHOS_CLIENT_ID": "emulator-partner",
            "SOPHOS_CLIENT_SECRET": "emulator-partner-secret",
            "SOPHOS_AUTH_URL": emu.auth_url,
            "SOPHOS_API_URL": emu.url,
        }
        assert emu.credentials("organization").client_id == "emulator-organization"


def test_pytest_fixtures(sophos_emulator, make_emulator):
    small = make_emulator(endpoints=3, tenants=2)
    assert len(Api(small).all_endpoints()) == 3
    assert len(small.state.tenants) == 2
    assert small.url != sophos_emulator.url
    assert len(Api(sophos_emulator).all_endpoints()) == 120


def test_hundred_thousand_endpoints_page_through_quickly():
    with run_emulator(EmulatorConfig(endpoints=100_000)) as emu:
        api = Api(emu)
        start = time.perf_counter()
        ids = [e["id"] for e in api.all_endpoints(view="basic")]
        elapsed = time.perf_counter() - start
    assert len(ids) == 100_000
    assert len(set(ids)) == 100_000
    assert elapsed < 30, f"paging 100,000 endpoints took {elapsed:.1f}s"


# --- pysophos emulator serve ----------------------------------------------------------------------

SERVE = [sys.executable, "-m", "pysophoscentralapi", "emulator", "serve"]


def test_serve_prints_credentials_answers_and_stops_on_sigint():
    process = subprocess.Popen(
        [*SERVE, "--port", "0", "--endpoints", "7"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lines = [process.stdout.readline().rstrip("\n") for _ in range(6)]
        assert [lines[0], lines[2], lines[4]] == ["# tenant", "# partner", "# organization"]
        settings = [dict(re.findall(r"(\w+)=(\S+)", line)) for line in lines[1::2]]
        assert [s["SOPHOS_CLIENT_ID"] for s in settings] == [
            "emulator-tenant", "emulator-partner", "emulator-organization",
        ]  # fmt: skip
        tenant = settings[0]
        assert tenant["SOPHOS_AUTH_URL"] == tenant["SOPHOS_API_URL"] + "/api/v2/oauth2/token"
        token = httpx.post(
            tenant["SOPHOS_AUTH_URL"],
            data=token_request_form(tenant["SOPHOS_CLIENT_ID"], tenant["SOPHOS_CLIENT_SECRET"]),
        ).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        whoami = httpx.get(tenant["SOPHOS_API_URL"] + "/whoami/v1", headers=auth).json()
        endpoints = httpx.get(
            whoami["apiHosts"]["dataRegion"] + "/endpoint/v1/endpoints",
            headers={**auth, "X-Tenant-ID": whoami["id"]},
        ).json()
        assert len(endpoints["items"]) == 7
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=10)
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr


def test_serve_query_run_seconds_keeps_runs_running(isolated_env: dict[str, str]) -> None:
    process = subprocess.Popen(
        [*SERVE, "--port", "0", "--endpoints", "3", "--query-run-seconds", "600"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lines = [process.stdout.readline().rstrip("\n") for _ in range(2)]
        tenant = dict(re.findall(r"(\w+)=(\S+)", lines[1]))
        started = subprocess.run(
            [sys.executable, "-m", "pysophoscentralapi", "xdr", "query", "--no-wait",
             "SELECT 1 AS one", "-o", "json"],
            check=False, capture_output=True, text=True, timeout=60,
            env={**os.environ, **tenant},
        )  # fmt: skip
        assert started.returncode == 0, started.stderr
        assert '"status": "finished"' not in started.stdout  # 600 s: still running
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=10)
    bad = subprocess.run(
        [*SERVE, "--query-run-seconds", "-1"], check=False, capture_output=True, text=True
    )
    assert bad.returncode == 2
    assert "--query-run-seconds" in bad.stderr


def test_serve_refuses_a_non_loopback_host():
    result = subprocess.run(
        [*SERVE, "--host", "0.0.0.0"], check=False, capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 2
    assert "--allow-remote" in result.stderr
    assert "demo credentials" in result.stderr


def test_serve_without_the_emulator_extra_says_how_to_install_it():
    blocker = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('starlette', 'uvicorn'):\n"
        "            raise ModuleNotFoundError(name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "from pysophoscentralapi.cli import main\n"
        "main(['emulator', 'serve', '--port', '0'])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", blocker],
        check=False,
        capture_output=True,
        text=True,
        timeout=30,
        env=os.environ,
    )
    assert result.returncode == 3
    assert "pip install 'pysophoscentralapi[emulator]'" in result.stderr
