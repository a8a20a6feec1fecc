"""Settings: one validated model, loaded in layers.

Priority, lowest to highest: built-in defaults < config file (TOML) < environment < explicit
arguments (CLI options, constructor keywords). :func:`load_settings` returns the validated
:class:`Settings` together with where each value came from, so errors and ``pysophos config show``
can say "timeout 'abc' from environment SOPHOS_TIMEOUT".

Config file (``config.toml`` in the user config dir of ``pysophos``, or ``SOPHOS_CONFIG``)::

    [auth]                              # the "default" profile
    client_id = "..."
    client_secret_env = "SOPHOS_SECRET" # or client_secret = "...", or secret_in_keyring = true
    [api]
    region = "eu01"
    timeout = 60
    [output]
    format = "json"

    [profiles.acme.auth]                # a named profile: pysophos --profile acme ...
    client_id = "..."
    secret_in_keyring = true

Profile inheritance: a named profile inherits every value of the default profile that it does
not set itself, with one exception: the credential keys (``client_id``, ``client_secret``,
``client_secret_env``, ``secret_in_keyring``) are inherited as a *group*. A named profile that
sets any of them inherits none of them, so a profile's client id is never paired with another
profile's secret.

The secret is used only together with the client id of the layer that gave it: a secret from the
config file is dropped (with a warning) when the environment or an argument supplies a different
client id.

Reading the file and checking its structure (TOML errors, unknown sections and keys, the
permission warning) is in :mod:`pysophoscentralapi._config_source`; this module turns its tables
into settings.

No message, warning or ``repr`` produced here holds a secret.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pysophoscentralapi._config_source import (
    DEFAULT_PROFILE,
    SECTION_KEYS,
    parse_config_text,
    read_config_source,
    read_config_text,
)
from pysophoscentralapi._errors import ConfigError
from pysophoscentralapi._regions import KNOWN_REGIONS

# pathlib (~4 ms) is imported where a path is made: `pysophos config --help` needs none.
if TYPE_CHECKING:
    from pathlib import Path

    from pysophoscentralapi._settings_model import (
        ExportSettings,
        OutputSettings,
        Settings,
        SiemSettings,
    )

__all__ = [
    "DEFAULT_API_URL",
    "DEFAULT_AUTH_URL",
    "DEFAULT_PROFILE",
    "ENV_VARS",
    "KEYRING_SERVICE",
    "KNOWN_REGIONS",
    "SECRET_SETTINGS",
    "SECTION_KEYS",
    "SETTING_NAMES",
    "ExportSettings",
    "LoadedSettings",
    "OutputSettings",
    "Settings",
    "SiemSettings",
    "default_config_path",
    "inspect_settings",
    "keyring_username",
    "load_settings",
    "parse_config_text",
    "read_config_text",
    "require_credentials",
    "resolve_config_path",
    "resolve_profile",
    "setting_location",
    "validate_profile_name",
    "validate_setting",
]

DEFAULT_AUTH_URL = "https://id.sophos.com/api/v2/oauth2/token"
DEFAULT_API_URL = "https://api.central.sophos.com"
#: The keyring service under which ``pysophos config init --keyring`` stores secrets.
KEYRING_SERVICE = "pysophos"

# setting name -> (section, key in section). Names of [output]/[export] keys are dotted.
_LOCATIONS: dict[str, tuple[str, str]] = {
    (key if section in ("auth", "api") else f"{section}.{key}"): (section, key)
    for section, keys in SECTION_KEYS.items()
    for key in keys
}

#: Every key ``pysophos config set`` knows, in config-file order. ``sources`` of
#: :class:`LoadedSettings` has an entry for each of them except the two that only say where the
#: secret is (``client_secret_env``, ``secret_in_keyring``). Section-qualified spellings such as
#: ``auth.client_id`` or ``api.timeout`` are accepted wherever a name is (see
#: :func:`setting_location`).
SETTING_NAMES: tuple[str, ...] = tuple(_LOCATIONS)

_SECRET_LOCATOR_KEYS = ("client_secret_env", "secret_in_keyring")
_CREDENTIAL_KEYS = ("client_id", "client_secret", *_SECRET_LOCATOR_KEYS)
_MODEL_NAMES = tuple(name for name in SETTING_NAMES if name not in _SECRET_LOCATOR_KEYS)

#: setting name -> environment variable.
ENV_VARS: Mapping[str, str] = {
    "client_id": "SOPHOS_CLIENT_ID",
    "client_secret": "SOPHOS_CLIENT_SECRET",
    "auth_url": "SOPHOS_AUTH_URL",
    "api_url": "SOPHOS_API_URL",
    "tenant_id": "SOPHOS_TENANT_ID",
    "region": "SOPHOS_REGION",
    "timeout": "SOPHOS_TIMEOUT",
    "max_retries": "SOPHOS_MAX_RETRIES",
    "rate_limit": "SOPHOS_RATE_LIMIT",
    "ca_bundle": "SOPHOS_CA_BUNDLE",
    "siem.splunk_hec_token": "SOPHOS_SPLUNK_HEC_TOKEN",
}
#: Settings that are secrets: never shown, never taken from a command-line argument.
SECRET_SETTINGS = ("client_secret", "siem.splunk_hec_token")
_ENV_PROFILE = "SOPHOS_PROFILE"
_ENV_CONFIG = "SOPHOS_CONFIG"

_PROFILE_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_ENV_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

# What a valid value looks like, used in error messages.
_EXPECTED: dict[str, str] = {
    "client_id": "the API credential's client id (a string)",
    "client_secret": "the API credential's client secret (a string)",
    "client_secret_env": "the name of an environment variable, e.g. SOPHOS_SECRET",
    "secret_in_keyring": "true or false",
    "auth_url": f"an http(s) URL, normally {DEFAULT_AUTH_URL}",
    "api_url": f"an http(s) URL, normally {DEFAULT_API_URL}",
    "tenant_id": "a tenant UUID such as 3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "region": "one of " + ", ".join(KNOWN_REGIONS),
    "timeout": "a number of seconds greater than 0, e.g. 30",
    "max_retries": "a whole number from 0 to 10",
    "rate_limit": "requests per second, a number greater than 0",
    "ca_bundle": "the path of a readable PEM file of CA certificates",
    "output.format": "one of table, json, jsonl, csv",
    "output.color": "true or false",
    "export.csv_delimiter": "a single character, e.g. , or ;",
    "export.json_indent": "a whole number from 0 to 16",
    "export.list_separator": "a string placed between list items in CSV cells, e.g. ;",
    "siem.splunk_hec_token": "the Splunk HTTP Event Collector token (a string)",
}


def __getattr__(name: str) -> Any:
    # The pydantic models load on first use, so the CLI's help (which reads only the constants
    # above) does not import pydantic.
    if name in _MODELS:
        from pysophoscentralapi import _settings_model

        return getattr(_settings_model, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_MODELS = frozenset(["ExportSettings", "OutputSettings", "Settings", "SiemSettings"])


@dataclass(frozen=True)
class LoadedSettings:
    """Validated settings plus where each value came from.

    ``sources`` maps a setting name (``"timeout"``, ``"output.format"``) to its origin:
    ``"default"``, ``"config file PATH [api]"``, ``"environment SOPHOS_TIMEOUT"``,
    ``"argument"``, ``"keyring"`` or ``"environment variable named by client_secret_env (VAR)"``.

    >>> loaded = load_settings(env={}, config_file=None)  # doctest: +SKIP
    >>> loaded.sources["timeout"]  # doctest: +SKIP
    'default'
    """

    settings: Settings
    sources: Mapping[str, str]
    profile: str
    config_path: Path
    warnings: tuple[str, ...] = field(default=())


# ----------------------------------------------------------------------------------- helpers


def default_config_path() -> Path:
    """The config file used when neither ``--config`` nor ``SOPHOS_CONFIG`` says otherwise.

    >>> default_config_path().name
    'config.toml'
    """
    from pathlib import Path

    import platformdirs

    return Path(platformdirs.user_config_dir("pysophos", appauthor=False)) / "config.toml"


def resolve_config_path(
    config_file: str | Path | None = None, env: Mapping[str, str] | None = None
) -> tuple[Path, bool]:
    """The config path and whether it was chosen explicitly (argument or ``SOPHOS_CONFIG``).

    >>> resolve_config_path("~/x.toml", env={})[1]
    True
    """
    from pathlib import Path

    env = os.environ if env is None else env
    if config_file is not None and str(config_file) != "":
        return Path(config_file).expanduser(), True
    from_env = env.get(_ENV_CONFIG, "")
    if from_env:
        return Path(from_env).expanduser(), True
    return default_config_path(), False


def resolve_profile(profile: str | None = None, env: Mapping[str, str] | None = None) -> str:
    """The profile name: the argument, else ``SOPHOS_PROFILE``, else ``"default"``.

    >>> resolve_profile(None, env={"SOPHOS_PROFILE": "acme"})
    'acme'
    """
    env = os.environ if env is None else env
    name = profile or env.get(_ENV_PROFILE, "") or DEFAULT_PROFILE
    return validate_profile_name(name)


def validate_profile_name(name: str) -> str:
    """``name`` if it is a valid profile name (letters, digits, ``-``, ``_``), else ConfigError.

    >>> validate_profile_name("acme-prod")
    'acme-prod'
    """
    if not _PROFILE_RE.match(name):
        raise ConfigError(
            f"invalid profile name {name!r}",
            hint="use 1-64 letters, digits, '-' or '_'",
        )
    return name


def setting_location(name: str) -> tuple[str, str, str]:
    """``(canonical name, section, key)`` of a setting; accepts ``auth.client_id`` spellings.

    >>> setting_location("api.timeout")
    ('timeout', 'api', 'timeout')
    >>> setting_location("output.format")
    ('output.format', 'output', 'format')
    """
    if name in _LOCATIONS:
        section, key = _LOCATIONS[name]
        return name, section, key
    section, _, key = name.partition(".")
    for canonical, location in _LOCATIONS.items():
        if location == (section, key):
            return canonical, section, key
    raise ConfigError(
        f"unknown setting {name!r}",
        hint="valid settings: " + ", ".join(SETTING_NAMES),
    )


def keyring_username(profile: str, client_id: str) -> str:
    """The keyring user name under service ``pysophos`` for a profile's secret.

    >>> keyring_username("default", "abc")
    'default:abc'
    """
    return f"{profile}:{client_id}"


def _display_path(path: Path) -> str:
    from pathlib import Path

    try:
        home = Path.home()
        return "~/" + path.relative_to(home).as_posix() if path.is_relative_to(home) else str(path)
    except (RuntimeError, KeyError, ValueError):
        return str(path)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _fix_hint(name: str, source: str, profile: str) -> str:
    if source.startswith("environment variable named by"):
        return "fix that environment variable"
    if source.startswith("environment "):
        return f"fix or unset {source.removeprefix('environment ')}"
    if source.startswith("config file"):
        profile_option = "" if profile == DEFAULT_PROFILE else f"--profile {profile} "
        return f"edit the config file or run: pysophos {profile_option}config set {name} VALUE"
    if source == "argument":
        return "fix the option or argument value"
    return "check the value"


def validate_setting(name: str, value: Any) -> Any:
    """Validate one setting through the :class:`Settings` model; return the normalised value.

    Raises :class:`ConfigError` naming the setting and what a valid value looks like.

    >>> validate_setting("region", "EU01")
    'eu01'
    >>> validate_setting("timeout", "45")
    45.0
    """
    canonical, section, key = setting_location(name)
    if canonical == "client_secret_env":
        if not isinstance(value, str) or not _ENV_NAME_RE.match(value):
            raise ConfigError(
                f"invalid client_secret_env {_short(value)}: expected {_EXPECTED[canonical]}"
            )
        return value
    if canonical == "secret_in_keyring":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("true", "yes", "1", "on"):
            return True
        if text in ("false", "no", "0", "off"):
            return False
        raise ConfigError(f"invalid secret_in_keyring {_short(value)}: expected true or false")
    from pydantic import ValidationError

    from pysophoscentralapi._settings_model import Settings

    data: dict[str, Any] = {key: value} if section in ("auth", "api") else {section: {key: value}}
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        shown = "" if canonical == "client_secret" else f" {_short(value)}"
        msg = exc.errors()[0]["msg"]
        expected = "" if msg.startswith("Value error, ") else f"; expected {_EXPECTED[canonical]}"
        raise ConfigError(f"invalid {canonical}{shown}: {_reason(msg)}{expected}") from None
    if section in ("auth", "api"):
        return getattr(settings, key)
    return getattr(getattr(settings, section), key)


def _reason(msg: str) -> str:
    return msg.removeprefix("Value error, ").removeprefix("Assertion failed, ")


# ------------------------------------------------------------------------------------ loader


@dataclass
class _SecretLayer:
    """One place the secret may come from, read only if chosen."""

    source: str
    client_id: str | None
    read: Callable[[], str]


def _constant(value: str) -> Callable[[], str]:
    return lambda: value


def _lookup_keyring(profile: str, client_id: str) -> str:
    try:
        import keyring
        import keyring.errors
    except ImportError:  # pragma: no cover - keyring is a dependency
        raise ConfigError(
            "the config file says secret_in_keyring = true but the keyring package is missing",
            hint="pip install keyring, or set SOPHOS_CLIENT_SECRET",
        ) from None
    username = keyring_username(profile, client_id)
    try:
        secret = keyring.get_password(KEYRING_SERVICE, username)
    except keyring.errors.KeyringError as exc:
        raise ConfigError(
            f"cannot read the client secret from the OS keyring ({type(exc).__name__}): "
            "no usable keyring backend, or it is locked",
            hint=(
                "unlock or install a keyring backend (see https://pypi.org/project/keyring), "
                "or set SOPHOS_CLIENT_SECRET, or store the secret another way with "
                "pysophos config init --force --no-keyring"
            ),
        ) from None
    if secret is None:
        option = "" if profile == DEFAULT_PROFILE else f"--profile {profile} "
        raise ConfigError(
            f"the OS keyring has no secret for service {KEYRING_SERVICE!r}, user {username!r}",
            hint=f"store it again with: pysophos {option}config init --force --keyring",
        )
    return secret


def _read_named_env(env: Mapping[str, str], var: str, where: str) -> str:
    value = env.get(var, "")
    if not value:
        raise ConfigError(
            f"client_secret_env in {where} names {var}, but {var} is not set",
            hint=f"export {var}=<client secret>, or change client_secret_env",
        )
    return value


def load_settings(
    *,
    profile: str | None = None,
    config_file: str | Path | None = None,
    overrides: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
) -> LoadedSettings:
    """Load and validate settings: defaults < config file < environment < ``overrides``.

    ``profile`` defaults to ``SOPHOS_PROFILE``, then ``"default"``; ``config_file`` to
    ``SOPHOS_CONFIG``, then :func:`default_config_path`. A missing file is fine unless it was
    named explicitly (argument or ``SOPHOS_CONFIG``). ``overrides`` maps setting names (see
    :data:`SETTING_NAMES`, e.g. ``"timeout"``, ``"output.format"``) to values; ``None`` values
    mean "not given". ``env`` defaults to ``os.environ``; empty variables count as unset.

    Raises :class:`ConfigError` for an unreadable or malformed file, an unknown profile, section
    or key, or an invalid value (naming the setting, its source and the fix).

    >>> loaded = load_settings(env={"SOPHOS_REGION": "eu01"}, config_file=None)  # doctest: +SKIP
    >>> loaded.settings.region, loaded.sources["region"]  # doctest: +SKIP
    ('eu01', 'environment SOPHOS_REGION')
    """
    loaded, _ = inspect_settings(
        profile=profile, config_file=config_file, overrides=overrides, env=env, strict_secret=True
    )
    return loaded


def inspect_settings(
    *,
    profile: str | None = None,
    config_file: str | Path | None = None,
    overrides: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
    strict_secret: bool = False,
) -> tuple[LoadedSettings, str | None]:
    """Like :func:`load_settings`, but a secret that cannot be read (an unset variable named by
    ``client_secret_env``, a keyring problem) is reported instead of raised: the result has no
    secret, ``sources["client_secret"]`` names where it should have come from, and the second
    item is the reason. For ``pysophos config show``, which must work when the secret does not.

    >>> loaded, problem = inspect_settings(env={})  # doctest: +SKIP
    """
    env = os.environ if env is None else env
    profile_name = resolve_profile(profile, env)
    path, explicit = resolve_config_path(config_file, env)
    shown_path = _display_path(path)
    warnings: list[str] = []

    values: dict[str, Any] = {}
    sources: dict[str, str] = dict.fromkeys(_MODEL_NAMES, "default")

    # --- config file
    source = read_config_source(path, explicit=explicit, profile=profile_name)
    doc, profiles = source.doc, source.profiles

    # Layers of the file: the default profile, then the named one overriding it key by key.
    file_tables: list[tuple[str, Mapping[str, Any]]] = [("", doc)]
    if profile_name != DEFAULT_PROFILE:
        file_tables.append((f"profiles.{profile_name}.", profiles[profile_name]))
    # Credentials come as a group from the last profile that sets any of them.
    cred_prefix, cred_auth = "", doc.get("auth", {})
    for prefix, table in file_tables[1:]:
        auth = table.get("auth", {})
        if any(key in auth for key in _CREDENTIAL_KEYS):
            cred_prefix, cred_auth = prefix, auth
    for prefix, table in file_tables:
        for section, section_table in table.items():
            if section not in SECTION_KEYS:
                continue
            for key, value in section_table.items():
                name, _, _ = setting_location(f"{section}.{key}")
                if name in _CREDENTIAL_KEYS:
                    continue
                values[name] = value
                sources[name] = f"config file {shown_path} [{prefix}{section}]"
    cred_where = f"config file {shown_path} [{cred_prefix}auth]"
    cred_profile = cred_prefix.split(".")[1] if cred_prefix else DEFAULT_PROFILE
    file_client_id = cred_auth.get("client_id")
    if file_client_id is not None:
        values["client_id"] = file_client_id
        sources["client_id"] = cred_where
    secret_layers: list[_SecretLayer] = []
    file_secret_layer = _file_secret_layer(cred_auth, cred_where, cred_profile, env)
    if file_secret_layer is not None:
        secret_layers.append(file_secret_layer)

    # --- environment
    env_client_id: str | None = None
    for name, var in ENV_VARS.items():
        value = env.get(var, "")
        if value == "":
            continue
        if name == "client_secret":
            secret_layers.append(_SecretLayer(f"environment {var}", None, _constant(value)))
            continue
        if name == "client_id":
            env_client_id = value
        values[name] = value
        sources[name] = f"environment {var}"
    if env_client_id is not None:
        for layer in secret_layers:
            if layer.source.startswith("environment"):
                layer.client_id = env_client_id

    # --- explicit arguments
    override_secret: _SecretLayer | None = None
    for raw_name, value in (overrides or {}).items():
        if value is None:
            continue
        try:
            name, _, _ = setting_location(raw_name)
        except ConfigError:
            raise ConfigError(
                f"unknown setting {raw_name!r} passed as an argument",
                hint="valid settings: " + ", ".join(_MODEL_NAMES),
            ) from None
        if name in _SECRET_LOCATOR_KEYS:
            raise ConfigError(
                f"{name} is a config-file key, not an argument",
                hint="pass client_secret, or set it in the config file",
            )
        if name == "client_secret":
            secret = value.get_secret_value() if hasattr(value, "get_secret_value") else value
            override_secret = _SecretLayer("argument", None, _constant(secret))
            continue
        values[name] = value
        sources[name] = "argument"
    if override_secret is not None:
        if sources["client_id"] == "argument":
            override_secret.client_id = values["client_id"]
        secret_layers.append(override_secret)

    # --- the secret: the highest layer whose client id matches the effective one
    effective_id = values.get("client_id")
    effective_id = effective_id.strip() if isinstance(effective_id, str) else effective_id
    skipped: list[str] = []
    secret_problem: str | None = None
    for layer in reversed(secret_layers):
        if layer.client_id is not None and layer.client_id.strip() != effective_id:
            skipped.append(layer.source)
            continue
        sources["client_secret"] = layer.source
        try:
            values["client_secret"] = layer.read()
        except ConfigError as exc:
            if strict_secret:
                raise
            secret_problem = exc.message
        break
    else:
        if skipped:
            warnings.append(
                f"the client secret from {skipped[0]} belongs to another client id than the one "
                f"from {sources['client_id']}, so it is not used"
            )

    settings = _validate(values, sources, profile_name)
    loaded = LoadedSettings(
        settings=settings,
        sources=dict(sources),
        profile=profile_name,
        config_path=path,
        warnings=tuple(warnings),
    )
    return loaded, secret_problem


def _file_secret_layer(
    auth: Mapping[str, Any], where: str, profile: str, env: Mapping[str, str]
) -> _SecretLayer | None:
    given = [key for key in ("client_secret", *_SECRET_LOCATOR_KEYS) if key in auth]
    in_keyring = auth.get("secret_in_keyring", False)
    if not isinstance(in_keyring, bool):
        raise ConfigError(
            f"invalid secret_in_keyring from {where}: expected true or false",
            hint="edit the config file",
        )
    if not in_keyring and "secret_in_keyring" in given:
        given.remove("secret_in_keyring")
    if len(given) > 1:
        raise ConfigError(
            f"{' and '.join(given)} are both given in {where}",
            hint="keep only one way of giving the secret",
        )
    if not given:
        return None
    client_id = auth.get("client_id")
    client_id = client_id if isinstance(client_id, str) else None
    kind = given[0]
    if kind == "client_secret":
        secret = auth["client_secret"]
        if not isinstance(secret, str):
            raise ConfigError(
                f"invalid client_secret from {where}: expected a string",
                hint='quote it: client_secret = "..."',
            )
        return _SecretLayer(where, client_id, _constant(secret))
    if kind == "client_secret_env":
        var = auth["client_secret_env"]
        if not isinstance(var, str) or not _ENV_NAME_RE.match(var):
            raise ConfigError(
                f"invalid client_secret_env from {where}: expected {_EXPECTED['client_secret_env']}",
                hint="edit the config file",
            )
        return _SecretLayer(
            f"environment variable named by client_secret_env ({var})",
            client_id,
            lambda: _read_named_env(env, var, where),
        )
    if client_id is None:
        raise ConfigError(
            f"secret_in_keyring = true in {where} needs a client_id in the same section",
            hint="run: pysophos config init --force",
        )
    return _SecretLayer("keyring", client_id, lambda: _lookup_keyring(profile, client_id))


def _validate(values: Mapping[str, Any], sources: Mapping[str, str], profile: str) -> Settings:
    from pydantic import ValidationError

    from pysophoscentralapi._settings_model import Settings

    data: dict[str, Any] = {}
    for name, value in values.items():
        _, section, key = setting_location(name)
        if section in ("auth", "api"):
            data[key] = value
        else:
            data.setdefault(section, {})[key] = value
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        problems: list[str] = []
        hints: list[str] = []
        for error in exc.errors():
            loc = [str(part) for part in error["loc"]]
            name = ".".join(loc[:2]) if loc and loc[0] in ("output", "export", "siem") else loc[0]
            if name not in sources:  # pragma: no cover - every model field has a source
                problems.append(f"{'.'.join(loc)}: {_reason(error['msg'])}")
                continue
            source = sources[name]
            shown = "" if name in SECRET_SETTINGS else f" {_short(error.get('input'))}"
            own_reason = error["msg"].startswith("Value error, ")
            expected = "" if own_reason else _EXPECTED.get(name, "")
            problems.append(
                f"invalid {name}{shown} from {source}: {_reason(error['msg'])}"
                + (f"; expected {expected}" if expected else "")
            )
            hints.append(_fix_hint(name, source, profile))
        raise ConfigError("; ".join(problems), hint="; ".join(dict.fromkeys(hints))) from None


def require_credentials(loaded: LoadedSettings) -> tuple[str, str]:
    """``(client_id, client_secret)`` or a :class:`ConfigError` saying how to provide them.

    >>> require_credentials(load_settings(env={}, overrides={  # doctest: +SKIP
    ...     "client_id": "abc", "client_secret": "s3cret"}))
    ('abc', 's3cret')
    """
    settings = loaded.settings
    if settings.client_id is not None and settings.client_secret is not None:
        return settings.client_id, settings.client_secret.get_secret_value()
    missing = [
        name
        for name, value in (
            ("client id", settings.client_id),
            ("client secret", settings.client_secret),
        )
        if value is None
    ]
    option = "" if loaded.profile == DEFAULT_PROFILE else f"--profile {loaded.profile} "
    message = (
        f"no {' and no '.join(missing)} for profile {loaded.profile!r} "
        f"(config file {_display_path(loaded.config_path)})"
    )
    for warning in loaded.warnings:
        if "not used" in warning:
            message += f"; {warning}"
    raise ConfigError(
        message,
        hint=(
            f"run: pysophos {option}config init, or set SOPHOS_CLIENT_ID and "
            "SOPHOS_CLIENT_SECRET, or pick another profile with --profile NAME"
        ),
    )
