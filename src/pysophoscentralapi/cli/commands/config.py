"""``pysophos config``: create, show, edit and test settings.

Secrets never travel as command-line arguments (they would land in shell history and ``ps``):
``config init`` prompts for the secret without echo, or reads it from stdin
(``--client-secret-stdin``), or records the name of an environment variable that holds it
(``--client-secret-env VAR``), and can keep it in the OS keyring (``--keyring``).

Examples::

    pysophos config init                                   # prompts on a terminal
    printf '%s\\n' "$SECRET" | pysophos --profile acme config init --client-id ID --client-secret-stdin
    pysophos config show -o json
    pysophos config set region eu01
    pysophos config test
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from pysophoscentralapi._errors import AuthenticationError, ConfigError
from pysophoscentralapi._settings import (
    DEFAULT_API_URL,
    DEFAULT_AUTH_URL,
    DEFAULT_PROFILE,
    ENV_VARS,
    KEYRING_SERVICE,
    KNOWN_REGIONS,
    SECRET_SETTINGS,
    SETTING_NAMES,
    LoadedSettings,
    inspect_settings,
    keyring_username,
    resolve_config_path,
    resolve_profile,
    setting_location,
    validate_setting,
)
from pysophoscentralapi.cli._context import CliContext

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["config"]

_FILE_SOURCE = re.compile(r"^config file .* (\[[^\]]+\])$")
_OUTPUT_CHOICE = click.Choice(["table", "json"], case_sensitive=False)
# The keys `config init` owns: replaced as a whole when a profile is (re)initialised.
_CREDENTIAL_KEYS = ("client_id", "client_secret", "client_secret_env", "secret_in_keyring")
_NO_ARGUMENT_HINT = (
    "secrets do not belong in shell history: run `pysophos config init` (prompts without echo, "
    "or --client-secret-stdin), or `pysophos config set client_secret_env VAR` to name an "
    "environment variable holding it"
)


class _Declined(click.ClickException):
    """The user answered "no" to a confirmation (exit 2, CONTRACT "Exit codes")."""

    exit_code = 2


def _cli_context() -> CliContext:
    obj = click.get_current_context().find_object(CliContext)
    return obj if obj is not None else CliContext()


def _target(cli_ctx: CliContext) -> tuple[str, Path]:
    profile = resolve_profile(cli_ctx.profile)
    path, _ = resolve_config_path(cli_ctx.config_file)
    return profile, path


def _profile_option(profile: str) -> str:
    return "" if profile == DEFAULT_PROFILE else f"--profile {profile} "


def _stdin_is_terminal() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def _stdout_is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def _info(message: str) -> None:
    click.echo(message, err=True)


# `config show` and `config test`: -o table|json.
_output_option = click.option(
    "-o",
    "--output",
    type=_OUTPUT_CHOICE,
    help="table or json [default: table on a terminal, json when piped].",
)


def _output_format(output: str | None) -> str:
    """``-o``'s value, else table on a terminal and json when piped."""
    return (output or ("table" if _stdout_is_terminal() else "json")).lower()


@click.group("config")
def config() -> None:
    """Create, show, edit and test settings.

    \b
    Settings come from, lowest to highest priority: built-in defaults, the config file
    (TOML; --config / SOPHOS_CONFIG), environment variables (SOPHOS_CLIENT_ID, ...) and
    command-line options. Named profiles (--profile NAME) inherit the default profile's values.

    \b
    Examples:
      pysophos config init                      prompts on a terminal
      pysophos --profile acme config show
      pysophos config set output.format csv
    """


# ------------------------------------------------------------------------------------ init


def keyring_usable() -> bool:
    """Whether an OS keyring backend that can store secrets is available.

    >>> isinstance(keyring_usable(), bool)
    True
    """
    try:
        import keyring
        from keyring.backends import chainer, fail, null
    except ImportError:  # pragma: no cover - keyring is a dependency
        return False
    try:
        backend = keyring.get_keyring()
    except Exception:  # a broken backend configuration means "not usable"
        return False
    if isinstance(backend, fail.Keyring | null.Keyring):
        return False
    return not (isinstance(backend, chainer.ChainerBackend) and not backend.backends)


def _validated(name: str) -> Callable[[str], Any]:
    """A click ``value_proc`` that validates through the Settings model (re-prompts on error)."""

    def convert(text: str) -> Any:
        text = text.strip()
        if text == "":
            return None
        try:
            return validate_setting(name, text)
        except ConfigError as exc:
            raise click.BadParameter(exc.message) from None

    return convert


def _option_value(name: str, value: str | None, option: str) -> Any:
    if value is None:
        return None
    try:
        return validate_setting(name, value)
    except ConfigError as exc:
        raise click.BadParameter(exc.message, param_hint=option) from None


@config.command("init")
@click.option("--client-id", metavar="ID", help="The API credential's client id.")
@click.option(
    "--client-secret-stdin",
    is_flag=True,
    help="Read the client secret from the first line of stdin.",
)
@click.option(
    "--client-secret-env",
    metavar="VAR",
    help="Do not store the secret: read it from environment variable VAR at run time.",
)
@click.option("--auth-url", metavar="URL", help=f"Token endpoint [default: {DEFAULT_AUTH_URL}].")
@click.option("--api-url", metavar="URL", help=f"Global API base URL [default: {DEFAULT_API_URL}].")
@click.option("--tenant-id", metavar="UUID", help="Pin a tenant id (optional).")
@click.option(
    "--region",
    type=click.Choice(KNOWN_REGIONS, case_sensitive=False),
    help="Pin the data region (optional; normally learnt from whoami).",
)
@click.option(
    "--keyring/--no-keyring",
    "use_keyring",
    default=None,
    help="Store the secret in the OS keyring instead of the config file "
    "[default: ask on a terminal when a keyring is available, else no].",
)
@click.option("--force", is_flag=True, help="Replace the credentials of an existing profile.")
@click.option(
    "--advanced",
    is_flag=True,
    help="Also ask for the token and API URLs, a tenant id and the data region (by default only "
    "the client id and secret are asked for; options given are always used).",
)
@click.option(
    "--interactive/--no-interactive",
    default=None,
    help="Prompt for missing values [default: when stdin is a terminal].",
)
def init(
    *,
    client_id: str | None,
    client_secret_stdin: bool,
    client_secret_env: str | None,
    auth_url: str | None,
    api_url: str | None,
    tenant_id: str | None,
    region: str | None,
    use_keyring: bool | None,
    force: bool,
    advanced: bool,
    interactive: bool | None,
) -> None:
    """Store an API credential in a profile of the config file (created mode 0600).

    \b
    On a terminal it asks for the client id and the secret (without echo); --advanced also asks
    for the URLs, a tenant id and the region. Scripts pass --client-id and --client-secret-stdin
    (or --client-secret-env VAR).

    \b
    Examples:
      pysophos config init
      printf '%s\\n' "$SECRET" | pysophos config init --client-id ID --client-secret-stdin
      pysophos --profile msp config init --client-id ID --client-secret-env MSP_SECRET
    """
    cli_ctx = _cli_context()
    profile, path = _target(cli_ctx)
    if interactive is None:
        interactive = _stdin_is_terminal() and not client_secret_stdin
    if client_secret_stdin and client_secret_env:
        raise click.UsageError("--client-secret-stdin and --client-secret-env exclude each other")
    if use_keyring and client_secret_env:
        raise click.UsageError(
            "--keyring stores a secret, but --client-secret-env means no secret is stored"
        )
    secret_env = _option_value("client_secret_env", client_secret_env, "--client-secret-env")
    auth_url = _option_value("auth_url", auth_url, "--auth-url")
    api_url = _option_value("api_url", api_url, "--api-url")
    tenant_id = _option_value("tenant_id", tenant_id, "--tenant-id")
    region = region.lower() if region else None

    from pysophoscentralapi._config_file import ConfigFile  # tomlkit: only to edit the file

    cfg = ConfigFile.load(path)
    old_client_id = cfg.get(profile, "client_id")
    old_in_keyring = bool(cfg.get(profile, "secret_in_keyring"))
    has_credentials = any(cfg.get(profile, key) is not None for key in _CREDENTIAL_KEYS)
    if has_credentials and not force:
        if not interactive:
            raise click.UsageError(
                f"profile {profile!r} already has credentials in {path}; "
                "pass --force to replace them"
            )
        if not click.confirm(
            f"Profile {profile!r} already has credentials in {path}. Replace them?",
            default=False,
            err=True,
        ):
            raise _Declined(f"Nothing changed: profile {profile!r} keeps its credentials.")

    # --- client id
    if client_id is None or not client_id.strip():
        if not interactive:
            raise click.UsageError("no terminal to prompt on: pass --client-id ID")
        client_id = click.prompt("Client ID", err=True, value_proc=_non_empty)
    client_id = str(validate_setting("client_id", client_id))

    # --- the secret (never echoed, never an argument value)
    secret: str | None = None
    if secret_env is None:
        if client_secret_stdin:
            secret = sys.stdin.readline().strip()
            if not secret:
                raise click.UsageError("--client-secret-stdin: stdin held no secret")
        elif interactive:
            secret = click.prompt("Client secret", hide_input=True, err=True, value_proc=_non_empty)
        else:
            raise click.UsageError(
                "no terminal to prompt on: pass --client-secret-stdin (and pipe the secret in) "
                "or --client-secret-env VAR"
            )

    # --- URLs, tenant, region: asked only with --advanced (the defaults suit almost everyone)
    if interactive and advanced:

        def ask(setting: str, question: str, fallback: str) -> Any:
            """The answer, the profile's value (else ``fallback``) by default; an empty
            ``fallback`` is an optional setting (Enter skips it; no default shown)."""
            return click.prompt(
                question,
                default=cfg.get(profile, setting) or fallback,
                show_default=bool(fallback),
                err=True,
                value_proc=_validated(setting),
            )

        if auth_url is None:
            auth_url = ask("auth_url", "Token URL", DEFAULT_AUTH_URL)
        if api_url is None:
            api_url = ask("api_url", "API URL", DEFAULT_API_URL)
        if tenant_id is None:
            tenant_id = ask("tenant_id", "Tenant ID (optional, Enter to skip)", "")
        if region is None:
            region = ask("region", "Data region (optional, Enter to learn it from whoami)", "")

    # --- keyring
    if secret is None:
        use_keyring = False
    elif use_keyring is None:
        usable = keyring_usable()
        if interactive and usable:
            use_keyring = click.confirm(
                "An OS keyring is available. Store the secret there instead of the config file?",
                default=True,
                err=True,
            )
        else:
            use_keyring = False
            _info(
                "The secret goes into the config file (mode 0600): "
                + (
                    "no usable OS keyring was found (install or unlock one to use --keyring)."
                    if not usable
                    else "pass --keyring to store it in the OS keyring instead."
                )
            )
    elif use_keyring and not keyring_usable():
        raise ConfigError(
            "--keyring: no usable OS keyring backend was found",
            hint="install or unlock one (see https://pypi.org/project/keyring), "
            "or use --no-keyring / --client-secret-env VAR",
        )

    # --- write: keyring first, so a failure there leaves the file untouched
    if use_keyring:
        assert secret is not None
        _keyring_store(profile, client_id, secret)
    for key in _CREDENTIAL_KEYS:
        cfg.unset(profile, key)
    cfg.set(profile, "client_id", client_id)
    if secret_env is not None:
        cfg.set(profile, "client_secret_env", secret_env)
    elif use_keyring:
        cfg.set(profile, "secret_in_keyring", True)
    else:
        cfg.set(profile, "client_secret", secret)
    for name, value, default in (
        ("auth_url", auth_url, DEFAULT_AUTH_URL),
        ("api_url", api_url, DEFAULT_API_URL),
    ):
        if value == default:
            cfg.unset(profile, name)
        elif value is not None:
            cfg.set(profile, name, value)
    for name, value in (("tenant_id", tenant_id), ("region", region)):
        if value is not None:
            cfg.set(profile, name, value)
        elif interactive and advanced:  # answered "skip"
            cfg.unset(profile, name)
    cfg.save()

    if old_in_keyring and old_client_id and (not use_keyring or old_client_id != client_id):
        _keyring_forget(profile, str(old_client_id))

    where = (
        f"read from ${secret_env} at run time"
        if secret_env is not None
        else "in the OS keyring"
        if use_keyring
        else "in the config file (mode 0600)"
    )
    _info(f"Saved profile {profile!r} to {path}: client id {client_id}, secret {where}.")
    if secret_env is not None:
        import os

        if not os.environ.get(secret_env):
            _info(f"Note: {secret_env} is not set in this environment; set it before running.")
    _info(f"Next: pysophos {_profile_option(profile)}config test")


def _non_empty(text: str) -> str:
    text = text.strip()
    if not text:
        raise click.BadParameter("a value is required")
    return text


def _keyring_store(profile: str, client_id: str, secret: str) -> None:
    import keyring
    import keyring.errors

    try:
        keyring.set_password(KEYRING_SERVICE, keyring_username(profile, client_id), secret)
    except keyring.errors.KeyringError as exc:
        raise ConfigError(
            f"could not store the secret in the OS keyring ({type(exc).__name__})",
            hint="unlock the keyring, or use --no-keyring / --client-secret-env VAR",
        ) from None


def _keyring_forget(profile: str, client_id: str) -> None:
    """Remove a secret this profile no longer uses (best effort)."""
    with contextlib.suppress(Exception):
        import keyring

        keyring.delete_password(KEYRING_SERVICE, keyring_username(profile, client_id))


# ------------------------------------------------------------------------------------ show


def _show_rows(loaded: LoadedSettings, secret_problem: str | None) -> list[dict[str, Any]]:
    settings = loaded.settings
    rows: list[dict[str, Any]] = []
    for name, origin in loaded.sources.items():
        source = origin
        if name == "client_secret":
            if settings.client_secret is not None:
                value: Any = "set"
            elif secret_problem is not None:
                value = f"not available: {secret_problem}"
            else:
                value = "not set"
                source = "" if source == "default" else source
        else:
            _, section, key = setting_location(name)
            holder: Any = (
                getattr(settings, section) if section in ("output", "export", "siem") else settings
            )
            value = getattr(holder, key)
            if name in SECRET_SETTINGS:
                value = "set" if value is not None else "not set"
        rows.append({"setting": name, "value": value, "source": source})
    return rows


@config.command("show")
@_output_option
def show(output: str | None) -> None:
    """Show the effective settings and where each came from (the secret only as set/not set).

    \b
    Examples:
      pysophos config show
      pysophos --profile acme config show -o json
    """
    cli_ctx = _cli_context()
    loaded, secret_problem = inspect_settings(
        profile=cli_ctx.profile, config_file=cli_ctx.config_file, overrides=cli_ctx.overrides
    )
    for warning in loaded.warnings:
        _info(f"warning: {warning}")
    rows = _show_rows(loaded, secret_problem)
    exists = loaded.config_path.exists()
    if _output_format(output) == "json":
        import json  # here: json costs every `config` --help 2 ms

        document = {
            "profile": loaded.profile,
            "config_file": str(loaded.config_path),
            "config_file_exists": exists,
            "settings": {
                row["setting"]: {"value": row["value"], "source": row["source"]} for row in rows
            },
            "warnings": list(loaded.warnings),
        }
        click.echo(json.dumps(document, indent=2))
        return
    from pysophoscentralapi.cli._output import Column, OutputOptions, write_rows

    state = "" if exists else " (not found: defaults only)"
    table_rows = [
        {
            "setting": row["setting"],
            "value": "not set" if row["value"] is None else row["value"],
            # The path is in the title; the table keeps only the section: "config file [api]".
            "source": _FILE_SOURCE.sub(r"config file \1", row["source"]),
        }
        for row in rows
    ]
    columns = (Column("setting", key=True), Column("value", key=True), Column("source", 5))
    write_rows(
        OutputOptions(format="table", columns=columns), table_rows,
        title=f"profile {loaded.profile} · {loaded.config_path}{state}",
        color=not (cli_ctx.no_color or os.environ.get("NO_COLOR")),
    )  # fmt: skip


# ------------------------------------------------------------------------------------ set


def _setting_argument(key: str) -> tuple[str, str]:
    try:
        canonical, section, _ = setting_location(key)
    except ConfigError:
        raise click.BadParameter(
            f"unknown setting {key!r}; valid settings: {', '.join(SETTING_NAMES)}",
            param_hint="KEY",
        ) from None
    return canonical, section


@config.command("set")
@click.argument("key", metavar="KEY")
@click.argument("value", metavar="VALUE")
def set_(key: str, value: str) -> None:
    """Set KEY to VALUE in the profile's section of the config file (comments are kept).

    \b
    Examples:
      pysophos config set region eu01
      pysophos --profile acme config set timeout 60
      pysophos config set output.format json
      pysophos config set client_secret_env ACME_SECRET
    """
    canonical, section = _setting_argument(key)
    if canonical == "client_secret":
        raise click.UsageError(
            f"refusing to set client_secret from the command line: {_NO_ARGUMENT_HINT}"
        )
    if canonical in SECRET_SETTINGS:
        raise click.UsageError(
            f"refusing to set {canonical} from the command line (it would stay in your shell "
            f"history): edit the config file's [siem] section, or set {ENV_VARS[canonical]}"
        )
    if canonical == "secret_in_keyring":
        raise click.UsageError(
            "secret_in_keyring is managed by `pysophos config init --keyring/--no-keyring`"
        )
    cli_ctx = _cli_context()
    profile, path = _target(cli_ctx)
    from pysophoscentralapi._config_file import ConfigFile  # tomlkit: only to edit the file

    cfg = ConfigFile.load(path)
    try:
        stored = cfg.set(profile, canonical, value)
    except ConfigError as exc:
        raise click.BadParameter(exc.message, param_hint="VALUE") from None
    cfg.save()
    table = section if profile == DEFAULT_PROFILE else f"profiles.{profile}.{section}"
    import json

    shown = json.dumps(stored)
    _info(f"Set {canonical} = {shown} in [{table}] of {path}")


@config.command("unset")
@click.argument("key", metavar="KEY")
def unset(key: str) -> None:
    """Remove KEY from the profile's section of the config file (its default applies again).

    \b
    Example:
      pysophos config unset region
    """
    canonical, section = _setting_argument(key)
    cli_ctx = _cli_context()
    profile, path = _target(cli_ctx)
    from pysophoscentralapi._config_file import ConfigFile  # tomlkit: only to edit the file

    cfg = ConfigFile.load(path)
    table = section if profile == DEFAULT_PROFILE else f"profiles.{profile}.{section}"
    if not cfg.unset(profile, canonical):
        _info(f"{canonical} is not set in [{table}] of {path}; nothing changed")
        return
    cfg.save()
    _info(f"Removed {canonical} from [{table}] of {path}")


# ------------------------------------------------------------------------------------ test


@config.command("test")
@_output_option
def check_credentials(output: str | None) -> None:
    """Get a token and call whoami: prints the credential's type, id, data region and API host.

    \b
    Examples:
      pysophos config test
      pysophos --profile acme config test -o json
    """
    cli_ctx = _cli_context()
    central = cli_ctx.client()
    try:
        who = central.whoami()
    except AuthenticationError as exc:
        profile = cli_ctx.settings().profile
        exc.hint = (
            f"check the client id and secret of profile {profile!r} "
            f"(pysophos {_profile_option(profile)}config show); replace them with "
            f"pysophos {_profile_option(profile)}config init --force. "
            "Credentials deleted in Sophos Central stop working at once"
        )
        raise
    id_type = getattr(who.id_type, "value", who.id_type)
    api_host = who.api_hosts.global_ or cli_ctx.settings().settings.api_url
    result = {
        "id_type": str(id_type),
        "id": who.id,
        "data_region": who.api_hosts.data_region,
        "api_host": api_host,
    }
    if _output_format(output) == "json":
        import json

        click.echo(json.dumps(result, indent=2))
        return
    _info("Credentials work.")
    width = max(len(label) for label in result) + 2
    for label, value in result.items():
        click.echo(
            f"{label.replace('_', ' ') + ':':<{width}} {value if value is not None else '-'}"
        )
