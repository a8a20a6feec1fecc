"""Editing the config file while keeping the user's comments, layout and other profiles.

:class:`ConfigFile` wraps a tomlkit document. Values are validated through the :class:`Settings`
model before they are stored, so ``pysophos config set timeout abc`` fails before anything is
written, and :meth:`ConfigFile.save` replaces the file atomically with mode 0600.

Example::

    cfg = ConfigFile.load(default_config_path())
    cfg.set("acme", "region", "eu01")        # [profiles.acme.api] region = "eu01"
    cfg.set("default", "output.format", "json")
    cfg.save()
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.container import Container
from tomlkit.items import AoT, Table
from tomlkit.toml_document import TOMLDocument

from pysophoscentralapi._errors import ConfigError
from pysophoscentralapi._settings import (
    DEFAULT_PROFILE,
    SECTION_KEYS,
    parse_config_text,
    read_config_text,
    setting_location,
    validate_profile_name,
    validate_setting,
)

__all__ = ["ConfigFile"]

# Setting one of these in a section removes the others there: only one way to give the secret.
_SECRET_KEYS = ("client_secret", "client_secret_env", "secret_in_keyring")


class ConfigFile:
    """A config file opened for editing; comments and unrelated settings survive a round trip.

    >>> cfg = ConfigFile.load("/nonexistent/config.toml")  # a missing file is an empty document
    >>> cfg.set("default", "timeout", "45")
    45.0
    >>> print(cfg.dumps().strip())
    [api]
    timeout = 45.0
    """

    def __init__(self, path: Path, document: TOMLDocument, *, existed: bool) -> None:
        self.path = path
        self.document = document
        #: Whether the file existed when it was loaded.
        self.existed = existed

    @classmethod
    def load(cls, path: str | Path) -> ConfigFile:
        """Open ``path``; a missing file gives an empty document. Malformed TOML: ConfigError."""
        path = Path(path).expanduser()
        try:
            text = read_config_text(path)
        except FileNotFoundError:
            return cls(path, tomlkit.document(), existed=False)
        parse_config_text(path, text)  # a precise error message that never quotes the content
        try:
            document = tomlkit.parse(text)
        except tomlkit.exceptions.ParseError as exc:  # pragma: no cover - tomllib caught it
            raise ConfigError(
                f"config file {path} is not valid TOML (line {exc.line}, column {exc.col})"
            ) from None
        return cls(path, document, existed=True)

    # ----------------------------------------------------------------------------- reading

    def profiles(self) -> list[str]:
        """Profile names in file order; ``"default"`` first when the file has top-level settings.

        >>> ConfigFile.load("/nonexistent.toml").profiles()
        []
        """
        names: list[str] = []
        if any(section in self.document for section in SECTION_KEYS):
            names.append(DEFAULT_PROFILE)
        profiles = self.document.get("profiles")
        if isinstance(profiles, dict):
            names.extend(str(name) for name in profiles)
        return names

    def has_profile(self, profile: str) -> bool:
        """Whether the file has any table for ``profile``."""
        return profile in self.profiles()

    def get(self, profile: str, key: str) -> Any:
        """The value ``profile`` itself sets for ``key`` (no inheritance), or ``None``."""
        _, section, name = setting_location(key)
        table = self._section(profile, section, create=False)
        if table is None or name not in table:
            return None
        value = table[name]
        return value.unwrap() if hasattr(value, "unwrap") else value

    def dumps(self) -> str:
        """The document as TOML text."""
        return tomlkit.dumps(self.document)

    # ----------------------------------------------------------------------------- editing

    def set(self, profile: str, key: str, value: Any) -> Any:
        """Validate ``value`` for setting ``key`` and store it in ``profile``'s section.

        ``key`` is a setting name (``client_id``, ``timeout``, ``output.format``, or the
        section-qualified ``api.timeout``); the default profile's keys go to ``[auth]``/``[api]``/
        ``[output]``/``[export]``, a named profile's to ``[profiles.NAME.SECTION]``. ``None``
        removes the key. Storing one of ``client_secret``, ``client_secret_env`` or
        ``secret_in_keyring`` removes the other two from that section. Returns the stored
        (normalised) value. Raises ConfigError for an unknown key or an invalid value.

        >>> ConfigFile.load("/nonexistent.toml").set("acme", "region", "EU01")
        'eu01'
        """
        canonical, section, name = setting_location(key)
        if value is None:
            self.unset(profile, canonical)
            return None
        normalised = validate_setting(canonical, value)
        stored = (
            normalised.get_secret_value() if hasattr(normalised, "get_secret_value") else normalised
        )
        table = self._section(profile, section, create=True)
        assert table is not None
        if canonical in _SECRET_KEYS and not (canonical == "secret_in_keyring" and not stored):
            for other in _SECRET_KEYS:
                if other != canonical and other in table:
                    del table[other]
        if _put(table, name, stored):
            # tomlkit's insert does not update the table's own mapping: re-parse to stay coherent.
            self.document = tomlkit.parse(self.dumps())
        return normalised

    def unset(self, profile: str, key: str) -> bool:
        """Remove ``key`` from ``profile``'s section; returns whether it was there.

        >>> ConfigFile.load("/nonexistent.toml").unset("default", "timeout")
        False
        """
        _, section, name = setting_location(key)
        table = self._section(profile, section, create=False)
        if table is None or name not in table:
            return False
        del table[name]
        return True

    def _section(self, profile: str, section: str, *, create: bool) -> Any:
        """The table of ``section`` in ``profile`` (created when ``create``), or ``None``."""
        profile = validate_profile_name(profile)
        if profile == DEFAULT_PROFILE:
            return self._child(self.document, section, section, create=create, super_table=False)
        profiles = self._child(self.document, "profiles", "profiles", create=create)
        if profiles is None:
            return None
        named = self._child(profiles, profile, f"profiles.{profile}", create=create)
        if named is None:
            return None
        return self._child(
            named, section, f"profiles.{profile}.{section}", create=create, super_table=False
        )

    def _child(
        self,
        parent: Any,
        name: str,
        where: str,
        *,
        create: bool,
        super_table: bool = True,
    ) -> Any:
        if name in parent:
            child = parent[name]
            if not isinstance(child, dict):
                raise ConfigError(
                    f"config file {self.path}: {where} is not a table",
                    hint=f"make it a [{where}] section",
                )
            return child
        if not create:
            return None
        table: Table | Container = tomlkit.table(is_super_table=super_table)
        parent[name] = table
        return parent[name]

    # ----------------------------------------------------------------------------- writing

    def save(self) -> None:
        """Write the file atomically (temp file in the same directory + ``os.replace``), mode 0600.

        A missing directory is created with mode 0700. A symlinked config file is followed, so
        the link's target is replaced. On any failure the old file is left as it was.
        """
        target = self.path.resolve() if self.path.is_symlink() else self.path
        directory = target.parent
        text = self.dumps()
        try:
            if not directory.exists():
                directory.mkdir(parents=True, mode=0o700)
                if os.name == "posix":
                    directory.chmod(0o700)
            fd, temp_name = tempfile.mkstemp(
                dir=directory, prefix=f".{target.name}.", suffix=".tmp"
            )
        except OSError as exc:
            raise ConfigError(
                f"cannot write config file {self.path}: {exc.strerror or exc}",
                hint="check that the directory is writable",
            ) from None
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                if os.name == "posix":
                    os.fchmod(handle.fileno(), 0o600)
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp_name, target)
        except BaseException as exc:
            with contextlib.suppress(OSError):
                os.unlink(temp_name)
            if isinstance(exc, OSError):
                raise ConfigError(
                    f"cannot write config file {self.path}: {exc.strerror or exc}",
                    hint="check that the file and its directory are writable",
                ) from None
            raise
        self.existed = True
        if os.name == "posix":
            _fsync_directory(directory)


def _put(table: Any, name: str, value: Any) -> bool:
    """Set ``name`` in ``table``; a new key goes right after the table's last key, not after
    the comments that trail the table (which usually describe the next section). Returns
    whether tomlkit's internal insert was used (the document must then be re-parsed)."""
    if name in table:
        table[name] = value
        return False
    container = getattr(table, "value", None)
    body = getattr(container, "body", None)
    if body is not None:
        last = None
        for key, item in body:
            if key is not None and not isinstance(item, Table | AoT):
                last = key
        if last is not None and last is not body[-1][0]:
            try:
                container._insert_after(last, name, value)  # type: ignore[union-attr]
            except Exception:  # noqa: S110 - tomlkit internals changed: append instead
                pass
            else:
                return True
    table[name] = value
    return False


def _fsync_directory(directory: Path) -> None:
    """Make the rename durable (best effort; not every file system supports it)."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
