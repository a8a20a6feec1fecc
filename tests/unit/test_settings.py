"""The layered settings loader: precedence, sources, profiles, secrets, validation, warnings."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.errors import KeyringLocked

from pysophoscentralapi._errors import ConfigError
from pysophoscentralapi._settings import (
    DEFAULT_API_URL,
    DEFAULT_AUTH_URL,
    KNOWN_REGIONS,
    SETTING_NAMES,
    Settings,
    default_config_path,
    inspect_settings,
    load_settings,
    require_credentials,
    setting_location,
    validate_setting,
)
from tests.conftest import MemoryKeyring

# Never read the developer's real config: HOME, XDG dirs and SOPHOS_* come from tmp (conftest).
pytestmark = pytest.mark.usefixtures("isolated_env")

TENANT = "3FA85F64-5717-4562-B3FC-2C963F66AFA6"
SECRET = "super-secret-value-1234"


class LockedKeyring(MemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("locked")


def write(path: Path, text: str, mode: int = 0o600) -> Path:
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


@pytest.fixture
def cfg(tmp_path: Path) -> Path:
    return tmp_path / "config.toml"


def no_secret_in(*texts: Any) -> None:
    for text in texts:
        assert SECRET not in str(text)
        assert SECRET not in repr(text)


# --------------------------------------------------------------------------- precedence


def test_defaults_without_file() -> None:
    loaded = load_settings(env={"SOPHOS_CONFIG": ""}, config_file=None)
    assert loaded.settings == Settings()
    assert loaded.settings.auth_url == DEFAULT_AUTH_URL
    assert loaded.settings.api_url == DEFAULT_API_URL
    assert set(loaded.sources.values()) == {"default"}
    assert loaded.profile == "default"
    assert loaded.warnings == ()


def test_precedence_defaults_file_env_arguments(cfg: Path) -> None:
    write(
        cfg,
        """
[auth]
client_id = "file-id"
client_secret = "file-secret"
[api]
timeout = 10
max_retries = 5
region = "eu01"
rate_limit = 4
[output]
format = "csv"
""",
    )
    env = {"SOPHOS_TIMEOUT": "20", "SOPHOS_MAX_RETRIES": "7", "SOPHOS_REGION": "us01"}
    loaded = load_settings(
        config_file=cfg, env=env, overrides={"timeout": 40, "output.format": "json", "region": None}
    )
    s = loaded.settings
    assert (s.timeout, s.max_retries, s.region, s.rate_limit) == (40.0, 7, "us01", 4.0)
    assert s.output.format == "json"
    assert s.client_id == "file-id"
    src = loaded.sources
    assert src["timeout"] == "argument"
    assert src["output.format"] == "argument"
    assert src["max_retries"] == "environment SOPHOS_MAX_RETRIES"
    assert src["region"] == "environment SOPHOS_REGION"  # None override = not given
    assert src["rate_limit"] == f"config file {cfg} [api]"
    assert src["client_id"] == f"config file {cfg} [auth]"
    assert src["client_secret"] == f"config file {cfg} [auth]"
    assert src["api_url"] == "default"
    assert loaded.config_path == cfg


def test_every_env_var(tmp_path: Path) -> None:
    env = {
        "SOPHOS_CLIENT_ID": "id",
        "SOPHOS_CLIENT_SECRET": SECRET,
        "SOPHOS_AUTH_URL": "http://127.0.0.1:9/api/v2/oauth2/token",
        "SOPHOS_API_URL": "http://127.0.0.1:9/",
        "SOPHOS_TENANT_ID": TENANT,
        "SOPHOS_REGION": "EU02",
        "SOPHOS_TIMEOUT": "1.5",
        "SOPHOS_MAX_RETRIES": "0",
        "SOPHOS_RATE_LIMIT": "2.5",
        "SOPHOS_CONFIG": str(tmp_path / "absent-is-fine-only-when-implicit.toml"),
    }
    with pytest.raises(ConfigError, match="not found"):  # SOPHOS_CONFIG counts as explicit
        load_settings(env=env)
    del env["SOPHOS_CONFIG"]
    loaded = load_settings(env=env, config_file=None)
    s = loaded.settings
    assert s.client_id == "id"
    assert s.client_secret is not None
    assert s.client_secret.get_secret_value() == SECRET
    assert s.api_url == "http://127.0.0.1:9"  # trailing slash dropped
    assert s.tenant_id == TENANT.lower()
    assert s.region == "eu02"
    assert (s.timeout, s.max_retries, s.rate_limit) == (1.5, 0, 2.5)
    assert loaded.sources["client_secret"] == "environment SOPHOS_CLIENT_SECRET"
    assert require_credentials(loaded) == ("id", SECRET)
    no_secret_in(loaded, loaded.settings)


def test_empty_env_vars_count_as_unset() -> None:
    loaded = load_settings(env={"SOPHOS_TENANT_ID": "", "SOPHOS_TIMEOUT": ""})
    assert loaded.sources["tenant_id"] == "default"
    assert loaded.settings.timeout == 30.0


def test_secret_override_accepts_secretstr() -> None:
    from pydantic import SecretStr

    loaded = load_settings(env={}, overrides={"client_id": "a", "client_secret": SecretStr(SECRET)})
    assert require_credentials(loaded) == ("a", SECRET)
    assert loaded.sources["client_secret"] == "argument"


def test_unknown_override_is_refused() -> None:
    with pytest.raises(ConfigError, match="unknown setting 'timout'"):
        load_settings(env={}, overrides={"timout": 3})


def test_section_qualified_names() -> None:
    assert setting_location("auth.client_id") == ("client_id", "auth", "client_id")
    assert setting_location("export.csv_delimiter") == (
        "export.csv_delimiter",
        "export",
        "csv_delimiter",
    )
    loaded = load_settings(env={}, overrides={"api.timeout": 9})
    assert loaded.sources["timeout"] == "argument"
    assert "output.format" in SETTING_NAMES
    assert "client_secret_env" in SETTING_NAMES


def test_default_config_path_uses_platform_dir(isolated_env: dict[str, str]) -> None:
    assert (
        default_config_path() == Path(isolated_env["XDG_CONFIG_HOME"]) / "pysophos" / "config.toml"
    )
    path = default_config_path()
    path.parent.mkdir(parents=True)
    write(path, '[api]\nregion = "jp01"\n')
    loaded = load_settings()  # os.environ: isolated
    assert loaded.settings.region == "jp01"
    assert loaded.sources["region"] == f"config file {path} [api]"
    assert loaded.config_path == path


# ----------------------------------------------------------------------------- profiles

PROFILES = """
# a comment
[auth]
client_id = "default-id"
client_secret = "default-secret"
auth_url = "https://id.example.com/token"

[api]
timeout = 11
region = "eu01"

[output]
format = "jsonl"

[profiles.acme.api]
region = "us03"

[profiles.other.auth]
client_id = "other-id"
client_secret_env = "OTHER_SECRET"

[profiles.other.export]
csv_delimiter = ";"
"""


def test_named_profile_inherits_default_values(cfg: Path) -> None:
    write(cfg, PROFILES)
    loaded = load_settings(config_file=cfg, profile="acme", env={})
    s = loaded.settings
    assert loaded.profile == "acme"
    assert s.region == "us03"
    assert loaded.sources["region"] == f"config file {cfg} [profiles.acme.api]"
    assert s.timeout == 11.0
    assert loaded.sources["timeout"] == f"config file {cfg} [api]"
    assert s.output.format == "jsonl"
    # acme sets no credentials: it inherits the default profile's as a group
    assert require_credentials(loaded) == ("default-id", "default-secret")


def test_credentials_are_inherited_as_a_group(cfg: Path) -> None:
    write(cfg, PROFILES)
    env = {"OTHER_SECRET": SECRET}
    loaded = load_settings(config_file=cfg, env=env, profile="other")
    assert require_credentials(loaded) == ("other-id", SECRET)
    assert loaded.sources["client_secret"] == (
        "environment variable named by client_secret_env (OTHER_SECRET)"
    )
    # auth_url is not a credential key: still inherited
    assert loaded.settings.auth_url == "https://id.example.com/token"
    assert loaded.settings.export.csv_delimiter == ";"
    # without the variable: the error names it, and the default's secret is NOT used instead
    with pytest.raises(ConfigError, match="OTHER_SECRET") as info:
        load_settings(config_file=cfg, env={}, profile="other")
    assert "default-secret" not in str(info.value)


def test_profile_from_env_and_unknown_profile(cfg: Path) -> None:
    write(cfg, PROFILES)
    loaded = load_settings(config_file=cfg, env={"SOPHOS_PROFILE": "acme"})
    assert loaded.profile == "acme"
    # the argument wins over SOPHOS_PROFILE
    assert (
        load_settings(config_file=cfg, env={"SOPHOS_PROFILE": "acme"}, profile="default").profile
        == "default"
    )
    with pytest.raises(ConfigError) as info:
        load_settings(config_file=cfg, env={}, profile="acne")
    message = str(info.value)
    assert "'acne'" in message
    assert "default, acme, other" in message
    assert info.value.hint is not None
    assert "pysophos --profile acne config init" in info.value.hint


def test_unknown_profile_without_file() -> None:
    with pytest.raises(ConfigError, match=r"unknown profile 'x'.*does not exist"):
        load_settings(config_file=None, env={"SOPHOS_CONFIG": ""}, profile="x")


def test_invalid_profile_name() -> None:
    with pytest.raises(ConfigError, match="invalid profile name"):
        load_settings(env={}, profile="a b")


def test_profiles_default_table_is_refused(cfg: Path) -> None:
    write(cfg, "[profiles.default.api]\nregion = 'eu01'\n")
    with pytest.raises(ConfigError, match=r"\[profiles.default\]"):
        load_settings(config_file=cfg, env={})


# ------------------------------------------------------------------------------ secrets


def test_client_secret_env(cfg: Path) -> None:
    write(cfg, '[auth]\nclient_id = "id"\nclient_secret_env = "MY_VAR"\n')
    loaded = load_settings(config_file=cfg, env={"MY_VAR": SECRET})
    assert require_credentials(loaded) == ("id", SECRET)
    assert (
        loaded.sources["client_secret"]
        == "environment variable named by client_secret_env (MY_VAR)"
    )
    with pytest.raises(ConfigError, match="MY_VAR") as info:
        load_settings(config_file=cfg, env={})
    assert "MY_VAR" in (info.value.hint or "")
    # SOPHOS_CLIENT_SECRET wins, so MY_VAR is not needed
    loaded = load_settings(config_file=cfg, env={"SOPHOS_CLIENT_SECRET": SECRET})
    assert loaded.sources["client_secret"] == "environment SOPHOS_CLIENT_SECRET"


def test_two_ways_of_giving_the_secret_are_refused(cfg: Path) -> None:
    write(cfg, '[auth]\nclient_id = "id"\nclient_secret = "x"\nclient_secret_env = "V"\n')
    with pytest.raises(ConfigError, match="client_secret and client_secret_env"):
        load_settings(config_file=cfg, env={})


def test_keyring_secret(cfg: Path, memory_keyring: MemoryKeyring) -> None:
    memory_keyring.set_password("pysophos", "default:id", SECRET)
    memory_keyring.set_password("pysophos", "acme:acme-id", "acme-secret")
    write(
        cfg,
        """
[auth]
client_id = "id"
secret_in_keyring = true
[profiles.acme.auth]
client_id = "acme-id"
secret_in_keyring = true
[profiles.inherits.api]
region = "eu01"
""",
    )
    loaded = load_settings(config_file=cfg, env={})
    assert require_credentials(loaded) == ("id", SECRET)
    assert loaded.sources["client_secret"] == "keyring"
    assert require_credentials(load_settings(config_file=cfg, env={}, profile="acme")) == (
        "acme-id",
        "acme-secret",
    )
    # inherited credentials: looked up under the profile that defines them
    inherited = load_settings(config_file=cfg, env={}, profile="inherits")
    assert require_credentials(inherited) == ("id", SECRET)
    no_secret_in(loaded)


def test_keyring_missing_entry_and_locked(cfg: Path, memory_keyring: MemoryKeyring) -> None:
    write(cfg, '[auth]\nclient_id = "id"\nsecret_in_keyring = true\n')
    with pytest.raises(ConfigError, match="no secret for service 'pysophos', user 'default:id'"):
        load_settings(config_file=cfg, env={})
    keyring.set_keyring(LockedKeyring())
    with pytest.raises(ConfigError, match="keyring") as info:
        load_settings(config_file=cfg, env={})
    assert "SOPHOS_CLIENT_SECRET" in (info.value.hint or "")
    # not consulted at all when the environment gives the secret
    loaded = load_settings(config_file=cfg, env={"SOPHOS_CLIENT_SECRET": SECRET})
    assert loaded.sources["client_secret"] == "environment SOPHOS_CLIENT_SECRET"
    # inspect_settings reports instead of raising
    loaded, problem = inspect_settings(config_file=cfg, env={})
    assert loaded.settings.client_secret is None
    assert loaded.sources["client_secret"] == "keyring"
    assert problem is not None
    assert "keyring" in problem


def test_keyring_without_client_id(cfg: Path) -> None:
    write(cfg, "[auth]\nsecret_in_keyring = true\n")
    with pytest.raises(ConfigError, match="needs a client_id"):
        load_settings(config_file=cfg, env={})


def test_file_secret_not_paired_with_another_client_id(cfg: Path) -> None:
    write(cfg, f'[auth]\nclient_id = "file-id"\nclient_secret = "{SECRET}"\n', mode=0o600)
    loaded = load_settings(config_file=cfg, env={"SOPHOS_CLIENT_ID": "env-id"})
    assert loaded.settings.client_id == "env-id"
    assert loaded.settings.client_secret is None
    assert any("not used" in w for w in loaded.warnings)
    with pytest.raises(ConfigError, match="no client secret") as info:
        require_credentials(loaded)
    no_secret_in(info.value, loaded)
    # the same id from the environment keeps the file's secret
    same = load_settings(config_file=cfg, env={"SOPHOS_CLIENT_ID": "file-id"})
    assert require_credentials(same) == ("file-id", SECRET)


def test_require_credentials_explains_how() -> None:
    loaded = load_settings(env={}, config_file=None)
    with pytest.raises(ConfigError) as info:
        require_credentials(loaded)
    assert "no client id and no client secret for profile 'default'" in str(info.value)
    hint = info.value.hint or ""
    assert "pysophos config init" in hint
    assert "SOPHOS_CLIENT_ID" in hint
    assert "SOPHOS_CLIENT_SECRET" in hint
    assert "--profile" in hint


# --------------------------------------------------------------------------- file errors


def test_explicit_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    with pytest.raises(ConfigError, match=f"config file {missing} not found"):
        load_settings(config_file=missing, env={})


def test_malformed_toml_names_file_and_line(cfg: Path) -> None:
    write(cfg, f'[auth]\nclient_id = "x"\nclient_secret = "{SECRET}\n[api]\n')
    with pytest.raises(ConfigError) as info:
        load_settings(config_file=cfg, env={})
    message = str(info.value)
    assert str(cfg) in message
    assert "line 3" in message
    no_secret_in(info.value)


def test_not_utf8(cfg: Path) -> None:
    cfg.write_bytes(b'[auth]\nclient_id = "\xff"\n')
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_settings(config_file=cfg, env={})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[api]\ntimeot = 3\n", r"unknown key 'timeot' in \[api\]"),
        ("[profiles.a.auth]\nclientid = 'x'\n", r"unknown key 'clientid' in \[profiles.a.auth\]"),
        ("[outptu]\nformat = 'json'\n", "unknown section or key 'outptu'"),
        ("[profiles.a.apii]\nregion = 'eu01'\n", "unknown section or key 'apii'"),
        ("api = 3\n", r"\[api\] must be a table"),
        ("profiles = 3\n", "'profiles' must be a table"),
    ],
)
def test_unknown_keys_and_sections(cfg: Path, text: str, expected: str) -> None:
    write(cfg, text)
    with pytest.raises(ConfigError, match=expected) as info:
        load_settings(config_file=cfg, env={})
    if "unknown key" in expected:
        assert "valid keys" in (info.value.hint or "")


@pytest.mark.parametrize(
    ("env", "setting", "fix"),
    [
        ({"SOPHOS_TENANT_ID": "not-a-uuid"}, "tenant_id", "UUID"),
        ({"SOPHOS_REGION": "eu99"}, "region", ", ".join(KNOWN_REGIONS)),
        ({"SOPHOS_TIMEOUT": "abc"}, "timeout", "a number of seconds greater than 0"),
        ({"SOPHOS_TIMEOUT": "0"}, "timeout", "a number of seconds greater than 0"),
        ({"SOPHOS_MAX_RETRIES": "11"}, "max_retries", "0 to 10"),
        ({"SOPHOS_RATE_LIMIT": "-1"}, "rate_limit", "greater than 0"),
        ({"SOPHOS_API_URL": "api.central.sophos.com"}, "api_url", "http:// or https://"),
    ],
)
def test_invalid_env_values_name_setting_source_and_fix(
    env: dict[str, str], setting: str, fix: str
) -> None:
    with pytest.raises(ConfigError) as info:
        load_settings(env=env, config_file=None)
    message = str(info.value)
    var = next(iter(env))
    assert f"invalid {setting} " in message
    assert f"from environment {var}" in message
    assert fix in message
    assert var in (info.value.hint or "")


def test_invalid_file_value_names_section(cfg: Path) -> None:
    write(cfg, '[profiles.acme.api]\nregion = "mars"\n[profiles.acme.output]\nformat = "xml"\n')
    with pytest.raises(ConfigError) as info:
        load_settings(config_file=cfg, env={}, profile="acme")
    message = str(info.value)
    assert f"invalid region 'mars' from config file {cfg} [profiles.acme.api]" in message
    assert "invalid output.format 'xml'" in message
    assert "pysophos --profile acme config set" in (info.value.hint or "")


def test_invalid_argument_value() -> None:
    with pytest.raises(ConfigError, match="invalid max_retries 'x' from argument"):
        load_settings(env={}, overrides={"max_retries": "x"})


def test_invalid_secret_type_never_echoed(cfg: Path) -> None:
    write(cfg, "[auth]\nclient_id = 'a'\nclient_secret = 12345678\n")
    with pytest.raises(ConfigError, match="client_secret") as info:
        load_settings(config_file=cfg, env={})
    assert "12345678" not in str(info.value)


# ------------------------------------------------------------------ permission warning


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_readable_file_with_a_secret_is_refused_with_the_fix(cfg: Path) -> None:
    write(cfg, f'[profiles.p.auth]\nclient_id = "a"\nclient_secret = "{SECRET}"\n', mode=0o644)
    with pytest.raises(ConfigError) as info:
        load_settings(config_file=cfg, env={})
    assert "holds a client secret and is readable by other users" in str(info.value)
    assert f"chmod 600 {cfg}" in (info.value.hint or "")
    no_secret_in(str(info.value), info.value.hint)
    cfg.chmod(0o600)
    assert load_settings(config_file=cfg, env={}).warnings == ()


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.parametrize("mode", [0o666, 0o620, 0o602])
def test_a_file_others_can_write_is_refused_even_without_a_secret(cfg: Path, mode: int) -> None:
    write(cfg, '[auth]\nclient_id = "a"\nclient_secret_env = "V"\n', mode=mode)
    with pytest.raises(ConfigError) as info:
        load_settings(config_file=cfg, env={"V": "x"})
    assert "writable by other users" in str(info.value)
    assert f"chmod go-w {cfg}" in (info.value.hint or "")


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_no_permission_warning_without_secret(cfg: Path) -> None:
    write(cfg, '[auth]\nclient_id = "a"\nclient_secret_env = "V"\n', mode=0o644)
    assert load_settings(config_file=cfg, env={"V": "x"}).warnings == ()


# ---------------------------------------------------------------------- model and repr


def test_settings_repr_masks_secret() -> None:
    s = Settings(client_id="a", client_secret=SECRET)
    no_secret_in(s, s.model_dump())
    assert s.client_secret is not None
    assert s.client_secret.get_secret_value() == SECRET


def test_settings_is_frozen() -> None:
    s = Settings()
    with pytest.raises(Exception, match="frozen"):
        s.timeout = 3  # type: ignore[misc]


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("region", "EU01", "eu01"),
        ("tenant_id", TENANT, TENANT.lower()),
        ("timeout", "45", 45.0),
        ("output.color", "false", False),
        ("export.json_indent", "4", 4),
        ("client_secret_env", "MY_VAR", "MY_VAR"),
        ("secret_in_keyring", "yes", True),
    ],
)
def test_validate_setting(name: str, value: str, expected: Any) -> None:
    assert validate_setting(name, value) == expected


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("export.csv_delimiter", ";;"),
        ("client_secret_env", "MY-VAR"),
        ("secret_in_keyring", "maybe"),
        ("output.format", "xml"),
        ("client_id", "  "),
    ],
)
def test_validate_setting_rejects(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=f"invalid {name}"):
        validate_setting(name, value)


def test_toml_error_never_quotes_secret_characters(cfg: Path) -> None:
    cfg.write_text('[auth]\nclient_secret = "abc\x01def"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="line 2") as info:
        load_settings(config_file=cfg, env={})
    assert "\\x01" not in str(info.value)
    assert "Illegal character (at line 2" in str(info.value)
