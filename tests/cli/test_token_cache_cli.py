"""The CLI keeps tokens on disk between runs: scripts calling pysophos in a loop authenticate once."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

from tests.conftest import Cli


def test_two_runs_share_one_token_and_a_401_discards_it(
    make_emulator: Any, isolated_env: dict[str, str]
) -> None:
    emulator = make_emulator()
    run = Cli(env={**isolated_env, **emulator.env("tenant")})

    first = run("endpoint", "list", "-o", "json", "--limit", "3")
    second = run("endpoint", "list", "-o", "json", "--limit", "3")
    assert first.exit_code == 0, first.stderr
    assert second.exit_code == 0, second.stderr
    assert json.loads(first.stdout) == json.loads(second.stdout)
    assert emulator.state.request_count("POST", "/oauth2/token") == 1

    cache_files = [p for p in Path(isolated_env["XDG_CACHE_HOME"]).rglob("*") if p.is_file()]
    assert cache_files, "no token cache file was written"
    for path in cache_files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert emulator.credentials("tenant").client_secret not in path.read_text()

    emulator.state.revoke_tokens()  # the cached token now answers 401: renewed once, run succeeds
    third = run("endpoint", "list", "-o", "json", "--limit", "3")
    assert third.exit_code == 0, third.stderr
    assert emulator.state.request_count("POST", "/oauth2/token") == 2


def test_debug_trace_shows_requests_but_never_the_secret_or_token(
    make_emulator: Any, isolated_env: dict[str, str]
) -> None:
    emulator = make_emulator()
    run = Cli(env={**isolated_env, **emulator.env("tenant")})
    result = run("--debug", "endpoint", "list", "-o", "json", "--limit", "2")
    assert result.exit_code == 0, result.stderr
    assert "GET http://127.0.0.1" in result.stderr
    assert "/endpoint/v1/endpoints" in result.stderr
    assert emulator.credentials("tenant").client_secret not in result.stderr + result.stdout
    cached = [p for p in Path(isolated_env["XDG_CACHE_HOME"]).rglob("*") if p.is_file()]
    token = json.loads(cached[0].read_text())["access_token"]
    assert token not in result.stderr + result.stdout


def test_bad_secret_exits_3_with_a_hint(make_emulator: Any, isolated_env: dict[str, str]) -> None:
    emulator = make_emulator()
    env = {**isolated_env, **emulator.env("tenant"), "SOPHOS_CLIENT_SECRET": "wrong-secret"}
    result = Cli(env=env)("endpoint", "list")
    assert result.exit_code == 3
    assert "refused the credentials" in result.stderr
    assert "hint:" in result.stderr
    assert "wrong-secret" not in result.stderr
    assert "Traceback" not in result.stderr


def test_no_credentials_exit_3_and_say_how_to_set_them(cli_run: Cli) -> None:
    result = cli_run("endpoint", "list")
    assert result.exit_code == 3
    assert "config init" in result.stderr
