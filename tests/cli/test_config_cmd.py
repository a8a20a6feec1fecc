"""``pysophos config init | show | set | unset | test`` through the real entry point (exit codes too).

Every run uses the ``cli_run`` fixture (conftest): no SOPHOS_* variables from the developer's
shell, HOME and the XDG dirs in tmp, so the real config file is never touched.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest

from pysophoscentralapi._settings import KEYRING_SERVICE
from tests.conftest import Cli
from tests.unit.test_settings import MemoryKeyring

SECRET = "Sup3r-s3cret-do-not-print"
TENANT = "3fa85f64-5717-4562-b3fc-2c963f66afa6"


@pytest.fixture
def memory_keyring(cli_run: Cli) -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def default_path(cli_run: Cli) -> Path:
    return Path(cli_run.env["XDG_CONFIG_HOME"]) / "pysophos" / "config.toml"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def assert_no_secret(result: Any) -> None:
    assert SECRET not in result.stdout
    assert SECRET not in result.stderr


# ---------------------------------------------------------------------------------- init


def test_init_with_flags_and_secret_from_stdin(cli_run: Cli, default_path: Path) -> None:
    result = cli_run(
        "config", "init", "--client-id", "abc", "--client-secret-stdin",
        "--region", "EU01", "--tenant-id", TENANT.upper(),
        input=SECRET + "\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert_no_secret(result)
    assert "Saved profile 'default'" in result.stderr
    text = default_path.read_text(encoding="utf-8")
    assert 'client_id = "abc"' in text
    assert f'client_secret = "{SECRET}"' in text
    assert 'region = "eu01"' in text
    assert f'tenant_id = "{TENANT}"' in text
    assert "auth_url" not in text  # defaults are not written
    if os.name == "posix":
        assert mode(default_path) == 0o600
        assert mode(default_path.parent) == 0o700


def test_init_named_profile_keeps_others_and_comments(cli_run: Cli, tmp_path: Path) -> None:
    path = tmp_path / "my.toml"
    path.write_text('# mine\n[auth]\nclient_id = "prod"  # keep\nclient_secret_env = "P"\n')
    result = cli_run(
        "--config", str(path), "--profile", "acme", "config", "init",
        "--client-id", "acme-id", "--client-secret-env", "ACME_SECRET",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "ACME_SECRET is not set" in result.stderr
    text = path.read_text(encoding="utf-8")
    assert text.startswith('# mine\n[auth]\nclient_id = "prod"  # keep\n')
    assert "[profiles.acme.auth]" in text
    assert 'client_secret_env = "ACME_SECRET"' in text
    assert "pysophos --profile acme config test" in result.stderr


def test_init_refuses_to_overwrite_without_force(cli_run: Cli, default_path: Path) -> None:
    args = ("config", "init", "--client-id", "one", "--client-secret-stdin")
    assert cli_run(*args, input="s1\n").exit_code == 0
    again = cli_run("config", "init", "--client-id", "two", "--client-secret-stdin", input="s2\n")
    assert again.exit_code == 2
    assert "--force" in again.stderr
    assert 'client_id = "one"' in default_path.read_text(encoding="utf-8")
    forced = cli_run(
        "config", "init", "--force", "--client-id", "two", "--client-secret-env", "TWO"
    )
    assert forced.exit_code == 0, forced.output
    text = default_path.read_text(encoding="utf-8")
    assert 'client_id = "two"' in text
    assert "client_secret =" not in text  # the old secret is gone
    assert 'client_secret_env = "TWO"' in text


def test_init_without_terminal_names_missing_flag(cli_run: Cli, default_path: Path) -> None:
    result = cli_run("config", "init")
    assert result.exit_code == 2
    assert "--client-id" in result.stderr
    result = cli_run("config", "init", "--client-id", "abc")
    assert result.exit_code == 2
    assert "--client-secret-stdin" in result.stderr
    assert not default_path.exists()


def test_init_usage_errors(cli_run: Cli) -> None:
    both = cli_run(
        "config", "init", "--client-id", "a", "--client-secret-stdin", "--client-secret-env", "V"
    )
    assert both.exit_code == 2
    empty = cli_run("config", "init", "--client-id", "a", "--client-secret-stdin", input="\n")
    assert empty.exit_code == 2
    assert "stdin held no secret" in empty.stderr
    bad = cli_run(
        "config", "init", "--client-id", "a", "--client-secret-env", "V", "--tenant-id", "x"
    )
    assert bad.exit_code == 2
    assert "tenant_id" in bad.stderr
    no_secret_arg = cli_run("config", "init", "--client-id", "a", "--client-secret", SECRET)
    assert no_secret_arg.exit_code == 2  # there is no option taking the secret as a value


def test_init_asks_for_the_id_and_secret_only(cli_run: Cli, default_path: Path) -> None:
    result = cli_run("config", "init", "--interactive", input=f"my-client\n{SECRET}\n")
    assert result.exit_code == 0, result.output
    assert_no_secret(result)
    assert "Client ID" in result.stderr
    assert "Client secret" in result.stderr
    assert "URL" not in result.stderr.split("Saved profile")[0]
    # the null keyring backend of the tests: the reason it is not offered is said
    assert "no usable OS keyring was found" in result.stderr
    assert 'client_id = "my-client"' in default_path.read_text(encoding="utf-8")


def test_init_interactive_prompts(cli_run: Cli, default_path: Path) -> None:
    answers = "\n".join(
        [
            "my-client",  # client id
            SECRET,  # secret (hidden)
            "",  # token URL: default
            "https://api.example.com/",  # API URL
            "not-a-uuid",  # tenant id: invalid, asked again
            TENANT,
            "",  # region: skip
        ]
    )
    result = cli_run(
        "config", "init", "--interactive", "--advanced", "--no-keyring", input=answers + "\n"
    )
    assert result.exit_code == 0, result.output
    assert_no_secret(result)
    assert "Client secret" in result.stderr
    assert "must be a UUID" in result.stderr
    text = default_path.read_text(encoding="utf-8")
    assert 'client_id = "my-client"' in text
    assert f'client_secret = "{SECRET}"' in text
    assert 'api_url = "https://api.example.com"' in text
    assert f'tenant_id = "{TENANT}"' in text
    assert "region" not in text
    assert "auth_url" not in text


def test_init_interactive_existing_profile_declined(cli_run: Cli, default_path: Path) -> None:
    assert cli_run("config", "init", "--client-id", "a", "--client-secret-env", "V").exit_code == 0
    before = default_path.read_text(encoding="utf-8")
    result = cli_run("config", "init", "--interactive", input="n\n")
    assert result.exit_code == 2
    assert "Nothing changed" in result.stderr
    assert default_path.read_text(encoding="utf-8") == before


def test_init_keyring(cli_run: Cli, default_path: Path, memory_keyring: MemoryKeyring) -> None:
    result = cli_run(
        "config", "init", "--client-id", "kid", "--client-secret-stdin", "--keyring",
        input=SECRET + "\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "OS keyring" in result.stderr
    text = default_path.read_text(encoding="utf-8")
    assert SECRET not in text
    assert "secret_in_keyring = true" in text
    assert memory_keyring.store == {(KEYRING_SERVICE, "default:kid"): SECRET}
    shown = cli_run("config", "show", "-o", "json")
    assert shown.exit_code == 0, shown.output
    assert_no_secret(shown)
    secret_row = json.loads(shown.stdout)["settings"]["client_secret"]
    assert secret_row == {"value": "set", "source": "keyring"}
    # switching back to a file secret removes the keyring entry
    again = cli_run(
        "config", "init", "--force", "--client-id", "kid", "--client-secret-stdin", "--no-keyring",
        input="new-secret\n",
    )  # fmt: skip
    assert again.exit_code == 0, again.output
    assert memory_keyring.store == {}


def test_init_interactive_offers_keyring(
    cli_run: Cli, default_path: Path, memory_keyring: MemoryKeyring
) -> None:
    answers = "\n".join(["kid", SECRET, "", "", "", "", "y"])
    result = cli_run("--profile", "p1", "config", "init", "--interactive", input=answers + "\n")
    assert result.exit_code == 0, result.output
    assert "OS keyring" in result.stderr
    assert memory_keyring.store == {(KEYRING_SERVICE, "p1:kid"): SECRET}
    assert SECRET not in default_path.read_text(encoding="utf-8")


def test_init_keyring_without_backend_is_a_config_error(cli_run: Cli, default_path: Path) -> None:
    # conftest selects keyring's null backend: nothing usable
    result = cli_run(
        "config", "init", "--client-id", "a", "--client-secret-stdin", "--keyring", input="s\n"
    )
    assert result.exit_code == 3
    assert "no usable OS keyring backend" in result.stderr
    assert not default_path.exists()


# ---------------------------------------------------------------------------------- show


@pytest.fixture
def configured(cli_run: Cli, default_path: Path) -> Path:
    default_path.parent.mkdir(parents=True)
    default_path.write_text(
        f'[auth]\nclient_id = "abc"\nclient_secret = "{SECRET}"\n[api]\ntimeout = 12\n'
        '[profiles.acme.api]\nregion = "us01"\n[profiles.envy.auth]\nclient_id = "e"\n'
        'client_secret_env = "ENVY_SECRET"\n',
        encoding="utf-8",
    )
    default_path.chmod(0o600)
    return default_path


def test_show_json_masks_secret_and_names_sources(cli_run: Cli, configured: Path) -> None:
    result = cli_run("config", "show", env={"SOPHOS_MAX_RETRIES": "5"})
    assert result.exit_code == 0, result.output
    assert_no_secret(result)
    assert SECRET[-4:] not in result.stdout
    doc = json.loads(result.stdout)  # json when piped
    assert doc["profile"] == "default"
    assert doc["config_file"] == str(configured)
    settings = doc["settings"]
    assert settings["client_secret"] == {
        "value": "set",
        "source": f"config file {configured} [auth]",
    }
    assert settings["timeout"]["value"] == 12.0
    assert settings["max_retries"] == {"value": 5, "source": "environment SOPHOS_MAX_RETRIES"}
    assert settings["api_url"]["source"] == "default"
    assert doc["warnings"] == []


def test_show_table(cli_run: Cli, configured: Path) -> None:
    result = cli_run("--profile", "acme", "config", "show", "-o", "table", env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert_no_secret(result)
    assert "profile acme" in result.stdout
    assert "config file [profiles.acme.api]" in result.stdout
    assert "us01" in result.stdout
    assert not set("│┃┏━") & set(result.stdout)  # the table style of every other table


def test_show_when_the_secret_is_unavailable(cli_run: Cli, configured: Path) -> None:
    result = cli_run("--profile", "envy", "config", "show", "-o", "json")
    assert result.exit_code == 0, result.output
    row = json.loads(result.stdout)["settings"]["client_secret"]
    assert row["value"].startswith("not available")
    assert "ENVY_SECRET" in row["value"]


def test_show_not_set(cli_run: Cli) -> None:
    result = cli_run("config", "show", "-o", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["config_file_exists"] is False
    assert doc["settings"]["client_secret"]["value"] == "not set"


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_show_refuses_a_readable_file_holding_a_secret(cli_run: Cli, configured: Path) -> None:
    configured.chmod(0o644)
    result = cli_run("config", "show")
    assert result.exit_code == 3
    assert f"chmod 600 {configured}" in result.stderr
    assert_no_secret(result)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_endpoint_list_refuses_a_world_writable_config(cli_run: Cli, configured: Path) -> None:
    configured.chmod(0o666)
    result = cli_run("endpoint", "list")
    assert result.exit_code == 3
    assert "writable by other users" in result.stderr
    assert f"chmod go-w {configured}" in result.stderr
    assert "Traceback" not in result.stderr


def test_show_unknown_profile_exit_3(cli_run: Cli, configured: Path) -> None:
    result = cli_run("--profile", "nope", "config", "show")
    assert result.exit_code == 3
    assert "known profiles: default, acme, envy" in result.stderr


def test_show_malformed_file_exit_3(cli_run: Cli, default_path: Path) -> None:
    default_path.parent.mkdir(parents=True)
    default_path.write_text("[api\n", encoding="utf-8")
    result = cli_run("config", "show")
    assert result.exit_code == 3
    assert "line 1" in result.stderr


# ----------------------------------------------------------------------------------- set


def test_set_valid_keeps_comments_and_writes_0600(cli_run: Cli, tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('# hello\n[profiles.acme.auth]\nclient_id = "a"  # id\n', encoding="utf-8")
    path.chmod(0o644)
    result = cli_run("--config", str(path), "--profile", "acme", "config", "set", "timeout", "60")
    assert result.exit_code == 0, result.output
    assert "[profiles.acme.api]" in result.stderr
    result = cli_run("--config", str(path), "config", "set", "output.format", "csv")
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    assert text.startswith('# hello\n[profiles.acme.auth]\nclient_id = "a"  # id\n')
    assert "timeout = 60.0" in text
    assert 'format = "csv"' in text
    if os.name == "posix":
        assert mode(path) == 0o600


def test_set_invalid_value_exit_2(cli_run: Cli, default_path: Path) -> None:
    result = cli_run("config", "set", "timeout", "abc")
    assert result.exit_code == 2
    assert "invalid timeout 'abc'" in result.stderr
    assert not default_path.exists()
    result = cli_run("config", "set", "region", "mars")
    assert result.exit_code == 2
    assert "eu01" in result.stderr


def test_set_unknown_key_exit_2(cli_run: Cli) -> None:
    result = cli_run("config", "set", "timout", "3")
    assert result.exit_code == 2
    assert "unknown setting 'timout'" in result.stderr
    assert "timeout" in result.stderr
    assert "output.format" in result.stderr


def test_set_secret_refused(cli_run: Cli, default_path: Path) -> None:
    for key in ("client_secret", "auth.client_secret"):
        result = cli_run("config", "set", key, SECRET)
        assert result.exit_code == 2
        assert "config init" in result.stderr
        assert "client_secret_env" in result.stderr
        assert_no_secret(result)
    assert not default_path.exists()
    ok = cli_run("config", "set", "client_secret_env", "MY_SECRET")
    assert ok.exit_code == 0, ok.output


def test_unset(cli_run: Cli, configured: Path) -> None:
    result = cli_run("config", "unset", "timeout")
    assert result.exit_code == 0, result.output
    assert "timeout" not in configured.read_text(encoding="utf-8")
    again = cli_run("config", "unset", "timeout")
    assert again.exit_code == 0
    assert "nothing changed" in again.stderr


# ---------------------------------------------------------------------------------- test


@pytest.fixture
def emulator(request: pytest.FixtureRequest) -> Any:
    pytest.importorskip("uvicorn")
    return request.getfixturevalue("sophos_emulator")


def test_config_test_against_emulator(cli_run: Cli, emulator: Any) -> None:
    creds = emulator.env("tenant")
    init = cli_run(
        "config", "init", "--client-id", creds["SOPHOS_CLIENT_ID"], "--client-secret-stdin",
        "--auth-url", creds["SOPHOS_AUTH_URL"], "--api-url", creds["SOPHOS_API_URL"],
        input=creds["SOPHOS_CLIENT_SECRET"] + "\n",
    )  # fmt: skip
    assert init.exit_code == 0, init.output
    result = cli_run("config", "test", "-o", "json")
    assert result.exit_code == 0, result.output
    who = json.loads(result.stdout)
    assert who["id_type"] == "tenant"
    assert who["id"]
    assert who["data_region"]
    assert who["api_host"]
    table = cli_run("config", "test", "-o", "table")
    assert table.exit_code == 0, table.output
    assert "id type:" in table.stdout
    assert "tenant" in table.stdout
    assert creds["SOPHOS_CLIENT_SECRET"] not in result.output + table.output


def test_config_test_bad_credentials_exit_3(cli_run: Cli, emulator: Any) -> None:
    env = {**emulator.env("tenant"), "SOPHOS_CLIENT_SECRET": "wrong-" + SECRET}
    result = cli_run("config", "test", env=env)
    assert result.exit_code == 3, result.output
    assert "config show" in result.stderr
    assert "config init --force" in result.stderr
    assert_no_secret(result)


def test_config_test_without_credentials_exit_3(cli_run: Cli) -> None:
    result = cli_run("config", "test")
    assert result.exit_code == 3
    assert "pysophos config init" in result.stderr
