"""The config file as a source of settings: read it, parse the TOML, check its structure.

Everything here is about the file itself, before any value is validated: a read or TOML syntax
error becomes a :class:`ConfigError` naming the file, line and column (never quoting content, so
no part of a secret leaks); unknown sections and keys are refused wherever they are (top level
or ``[profiles.NAME.…]``); a file that holds a client secret and is readable by other users gets
a warning. :mod:`pysophoscentralapi._settings` layers the checked tables into :class:`Settings`;
:mod:`pysophoscentralapi._config_file` edits the file.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pysophoscentralapi._errors import ConfigError

if TYPE_CHECKING:
    from pathlib import Path

__all__ = [
    "DEFAULT_PROFILE",
    "SECTION_KEYS",
    "ConfigSource",
    "check_structure",
    "parse_config_text",
    "read_config_source",
    "read_config_text",
]

#: The profile of the top-level sections; named profiles are ``[profiles.NAME.…]``.
DEFAULT_PROFILE = "default"

#: Keys allowed in each config-file section.
SECTION_KEYS: Mapping[str, tuple[str, ...]] = {
    "auth": ("client_id", "client_secret", "client_secret_env", "secret_in_keyring", "auth_url"),
    "api": ("api_url", "tenant_id", "region", "timeout", "max_retries", "rate_limit", "ca_bundle"),
    "output": ("format", "color"),
    "export": ("csv_delimiter", "json_indent", "list_separator"),
    "siem": ("splunk_hec_token",),
}

_QUOTED_CHARACTER = re.compile(r"character ('(?:\\.|[^'\\])*'|\"[^\"]*\")")


@dataclass(frozen=True)
class ConfigSource:
    """A config file, read and checked: what :func:`read_config_source` returns."""

    #: the parsed TOML (``{}`` when the file does not exist)
    doc: dict[str, Any]
    #: the named profiles (``[profiles.NAME.…]``) by name
    profiles: dict[str, dict[str, Any]]
    #: whether the file exists
    found: bool


def read_config_source(path: Path, *, explicit: bool, profile: str) -> ConfigSource:
    """Read, parse and check the config file for ``profile``.

    A missing file is fine (an empty document) unless it was named ``explicit``-ly. Raises
    :class:`ConfigError` for an unreadable file, invalid TOML, an unknown section or key, or a
    ``profile`` the file does not define.
    """
    doc: dict[str, Any] = {}
    file_found = True
    try:
        doc = parse_config_text(path, read_config_text(path))
    except FileNotFoundError:
        file_found = False
        if explicit:
            raise ConfigError(
                f"config file {path} not found",
                hint="create it with: pysophos config init (or fix --config / SOPHOS_CONFIG)",
            ) from None
    profiles = check_structure(path, doc)
    if profile != DEFAULT_PROFILE and profile not in profiles:
        known = ", ".join([DEFAULT_PROFILE, *profiles])
        where = f"in config file {path}" if file_found else f"(config file {path} does not exist)"
        raise ConfigError(
            f"unknown profile {profile!r} {where}; known profiles: {known}",
            hint=f"create it with: pysophos --profile {profile} config init",
        )
    if file_found:
        check_permissions(path, holds_secret=_holds_secret(doc, profiles))
    return ConfigSource(doc, profiles, file_found)


def read_config_text(path: Path) -> str:
    """The text of a config file; ``FileNotFoundError`` if missing, ConfigError if unreadable."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise ConfigError(
            f"cannot read config file {path}: {exc.strerror or exc}",
            hint="check the path and its permissions",
        ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"config file {path} is not UTF-8 text (byte {exc.start})",
            hint="save it as UTF-8",
        ) from None


def parse_config_text(path: Path, text: str) -> dict[str, Any]:
    """Parse TOML; a syntax error becomes a ConfigError naming the file, line and column.

    tomllib's messages end with "(at line L, column C)"; the only ones quoting content quote a
    single character, which is removed, so no part of a secret can leak through them.
    """
    import tomllib  # not at import: the CLI's help imports this module, not the file

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # Two messages quote one character of the file (maybe of a secret): drop it.
        reason = _QUOTED_CHARACTER.sub("character", str(exc))
        raise ConfigError(
            f"config file {path} is not valid TOML: {reason}",
            hint="fix the file at that line (TOML syntax: https://toml.io)",
        ) from None


def _check_section(path: Path, where: str, table: Any) -> dict[str, Any]:
    section = where.rsplit(".", 1)[-1]
    if not isinstance(table, dict):
        raise ConfigError(
            f"config file {path}: [{where}] must be a table",
            hint=f"write it as a [{where}] section of key = value lines",
        )
    valid = SECTION_KEYS[section]
    for key in table:
        if key not in valid:
            raise ConfigError(
                f"config file {path}: unknown key {key!r} in [{where}]",
                hint=f"valid keys in [{section}]: " + ", ".join(valid),
            )
    return table


def _check_profile_tables(path: Path, prefix: str, table: Mapping[str, Any]) -> None:
    label = prefix.rstrip(".") or "top level"
    for name, value in table.items():
        if name == "profiles" and not prefix:
            continue
        if name not in SECTION_KEYS:
            valid = ", ".join(f"[{prefix}{s}]" for s in SECTION_KEYS)
            extra = " and [profiles.NAME.…]" if not prefix else ""
            raise ConfigError(
                f"config file {path}: unknown section or key {name!r} at {label}",
                hint=f"valid sections: {valid}{extra}",
            )
        _check_section(path, f"{prefix}{name}", value)


def check_structure(path: Path, doc: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Reject unknown sections and keys anywhere in the file; return the named profiles."""
    _check_profile_tables(path, "", doc)
    profiles = doc.get("profiles", {})
    if not isinstance(profiles, dict):
        raise ConfigError(
            f"config file {path}: 'profiles' must be a table",
            hint="write named profiles as [profiles.NAME.auth], [profiles.NAME.api], …",
        )
    for name, table in profiles.items():
        if name == DEFAULT_PROFILE:
            raise ConfigError(
                f"config file {path}: [profiles.{DEFAULT_PROFILE}] is not allowed",
                hint="the default profile is the top-level [auth], [api], [output], [export]",
            )
        if not isinstance(table, dict):
            raise ConfigError(
                f"config file {path}: profiles.{name} must be a table",
                hint=f"write it as [profiles.{name}.auth], [profiles.{name}.api], …",
            )
        _check_profile_tables(path, f"profiles.{name}.", table)
    return profiles


def _holds_secret(doc: Mapping[str, Any], profiles: Mapping[str, Any]) -> bool:
    tables = [doc, *profiles.values()]
    return any("client_secret" in table.get("auth", {}) for table in tables)


def check_permissions(path: Path, *, holds_secret: bool) -> None:
    """Refuse (``ConfigError``, exit 3) a config file that other users can write (they could
    point ``auth_url`` anywhere and collect the secret) or, holding a client secret, can read:
    the way ssh treats private keys. The message carries the ``chmod`` that fixes it.
    """
    try:
        mode = stat.S_IMODE(path.stat().st_mode) if os.name == "posix" else 0
    except OSError:
        mode = 0
    if mode & 0o022:
        raise ConfigError(
            f"config file {path} is writable by other users (mode {mode:o}): refusing to use it, "
            "as whoever can write it can redirect the client secret",
            hint=f"run: chmod go-w {path}  (or chmod 600 {path})",
        )
    if holds_secret and mode & 0o077:
        raise ConfigError(
            f"config file {path} holds a client secret and is readable by other users "
            f"(mode {mode:o}): refusing to use it",
            hint=f"run: chmod 600 {path}",
        )
