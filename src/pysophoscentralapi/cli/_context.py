"""Per-invocation CLI state: global options, settings, the client, and writing results.

Commands get a :class:`CliContext` as ``ctx.obj`` (``@click.pass_obj``) and use it to reach the
API and to write rows, so that ``--tenant``, ``--all-tenants``, ``--emulator``, ``--dry-run``,
colour and the ``[output]``/``[export]`` defaults work the same in every command.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import click

from pysophoscentralapi._validation import is_uuid_text

if TYPE_CHECKING:
    import logging

    from pysophoscentralapi._settings import LoadedSettings
    from pysophoscentralapi._sync._client import SophosCentral
    from pysophoscentralapi._sync._pagination import Paginator
    from pysophoscentralapi.cli._formats import ExportDefaults
    from pysophoscentralapi.cli._output import OutputOptions

#: Fetches a listing from one (possibly tenant-bound) client.
Fetch = Callable[["SophosCentral"], "Paginator[Any]"]

EMULATOR_KIND_ENV = "PYSOPHOS_EMULATOR_CREDENTIAL"


class CliContext:
    """The root options of one ``pysophos`` run, and what is built from them on demand.

    The options are the annotated class attributes (their defaults); ``CliContext(tenant="x")``
    sets some. A plain class, not a dataclass: every sub-command's run builds one, its ``--help``
    included, and declaring a dataclass (importing :mod:`dataclasses` too) costs that ~2 ms.
    """

    profile: str | None = None
    config_file: str | None = None
    tenant: str | None = None
    all_tenants: bool = False
    tenants_file: str | None = None
    exclude_tenant: tuple[str, ...] = ()
    summary_file: str | None = None
    emulator: bool = False
    debug: bool = False
    no_color: bool = False
    region: str | None = None
    timeout: float | None = None
    max_retries: int | None = None

    def __init__(self, **options: Any) -> None:
        unknown = options.keys() - CliContext.__annotations__.keys()
        if unknown:
            raise TypeError(f"CliContext has no option {', '.join(sorted(unknown))}")
        for name, value in options.items():
            setattr(self, name, value)
        self._loaded: LoadedSettings | None = None
        self._clients: dict[bool, SophosCentral] = {}
        self._resources = contextlib.ExitStack()

    @classmethod
    def from_options(cls, ctx: click.Context, **options: Any) -> CliContext:
        known = {k: v for k, v in options.items() if k in CliContext.__annotations__}
        known["exclude_tenant"] = tuple(known.get("exclude_tenant") or ())
        cli = cls(**known)
        if cli.tenant and cli.all_tenants:
            raise click.UsageError("--tenant and --all-tenants cannot be used together")
        if (cli.tenants_file or cli.exclude_tenant or cli.summary_file) and not cli.all_tenants:
            raise click.UsageError(
                "--tenants-file, --exclude-tenant and --summary go with --all-tenants"
            )
        if cli.debug:
            cli._resources.callback(disable_debug_logging, enable_debug_logging())
        ctx.call_on_close(cli.close)
        return cli

    def close(self) -> None:
        """Close clients and stop an in-process emulator."""
        for client in self._clients.values():
            client.close()
        self._clients.clear()
        self._resources.close()

    # --- settings ----------------------------------------------------------------------------

    def settings(self) -> LoadedSettings:
        """The effective settings (config file < environment < options), loaded once."""
        if self._loaded is None:
            if self.emulator:
                self._loaded = self._emulator_settings()
            else:
                from pysophoscentralapi._settings import load_settings

                self._loaded = load_settings(
                    profile=self.profile, config_file=self.config_file, overrides=self.overrides
                )
                for warning in self._loaded.warnings:
                    click.echo(f"warning: {warning}", err=True)
        return self._loaded

    @property
    def overrides(self) -> dict[str, Any]:
        """The settings given as root options (``--region``, ``--timeout``, ``--max-retries``):
        they override the config file and the environment for this run."""
        return {
            name: value
            for name, value in (
                ("region", self.region),
                ("timeout", self.timeout),
                ("max_retries", self.max_retries),
            )
            if value is not None
        }

    def _emulator_settings(self) -> LoadedSettings:
        from pysophoscentralapi._settings import LoadedSettings, Settings, resolve_profile

        try:
            from pysophoscentralapi.emulator import run_emulator
        except ImportError as missing:
            raise click.ClickException(
                f"--emulator needs the emulator extra ({missing.name} is missing): "
                "pip install 'pysophoscentralapi[emulator]'"
            ) from None
        kind = os.environ.get(EMULATOR_KIND_ENV) or (
            "partner" if self.tenant or self.all_tenants or _partner_level() else "tenant"
        )
        if kind not in ("tenant", "partner", "organization"):
            raise click.UsageError(
                f"{EMULATOR_KIND_ENV} must be tenant, partner or organization, not {kind!r}"
            )
        server = self._resources.enter_context(run_emulator())
        env = server.env(kind)  # type: ignore[arg-type]  # checked just above
        settings = Settings(
            client_id=env["SOPHOS_CLIENT_ID"],
            client_secret=env["SOPHOS_CLIENT_SECRET"],
            auth_url=env["SOPHOS_AUTH_URL"],
            api_url=env["SOPHOS_API_URL"],
            **{k: v for k, v in self.overrides.items() if k != "region"},
        )
        sources = dict.fromkeys(
            ("client_id", "client_secret", "auth_url", "api_url"), f"emulator ({kind})"
        )
        return LoadedSettings(
            settings=settings,
            sources=sources,
            profile=resolve_profile(self.profile),
            config_path=server_path(),
        )

    def export_defaults(self) -> ExportDefaults:
        """The ``[output]`` and ``[export]`` defaults of the settings."""
        from pysophoscentralapi.cli._formats import ExportDefaults

        settings = self.settings().settings
        return ExportDefaults(
            format=settings.output.format,
            csv_delimiter=settings.export.csv_delimiter,
            json_indent=settings.export.json_indent,
            list_separator=settings.export.list_separator,
        )

    @property
    def color(self) -> bool:
        """Colour unless ``--no-color``, ``NO_COLOR`` or ``[output] color = false``."""
        if self.no_color or os.environ.get("NO_COLOR"):
            return False
        return self.settings().settings.output.color is not False

    # --- the client --------------------------------------------------------------------------

    def base_client(self, *, dry_run: bool = False) -> SophosCentral:
        """The client of the configured credential (not bound to a ``--tenant``)."""
        if dry_run not in self._clients:
            from pysophoscentralapi._sync._client import SophosCentral

            options: dict[str, Any] = {}
            if not self.emulator:
                from pysophoscentralapi._token_cache import FileTokenCache

                options["token_cache"] = FileTokenCache()
            if dry_run:
                options["dry_run_sink"] = print_dry_run
            loaded = self.settings()
            from pysophoscentralapi._settings import require_credentials

            require_credentials(loaded)
            self._clients[dry_run] = SophosCentral.from_settings(loaded.settings, **options)
        return self._clients[dry_run]

    def client(self, *, dry_run: bool = False) -> SophosCentral:
        """The client for a command: bound to ``--tenant`` when given."""
        if self.all_tenants:
            command = click.get_current_context().command_path
            raise click.UsageError(
                f"{command} does not run over --all-tenants; pick one tenant with --tenant ID|NAME"
            )
        central = self.base_client(dry_run=dry_run)
        if self.tenant:
            tenant_id, _ = self.resolve_tenant(self.tenant)
            return central.for_tenant(tenant_id)
        return central

    def resolve_tenant(self, id_or_name: str) -> tuple[str, str | None]:
        """A tenant id from an id or a name (``_names.match_name``: whole, ignoring case);
        ambiguous and unknown names are refused."""
        from pysophoscentralapi.cli._names import match_name

        if is_uuid_text(id_or_name.strip()):
            return id_or_name.strip().lower(), None
        central = self.base_client()
        row = match_name(
            central.tenants.list().raw_items(), id_or_name, what="tenant",
            param_hint="'--tenant'", list_command="pysophos tenants list",
        )  # fmt: skip
        central._transport.remember_tenant_host(str(row["id"]), row.get("apiHost"))
        return str(row["id"]).lower(), str(row.get("name"))

    # --- output ------------------------------------------------------------------------------

    def write_rows(
        self, output: OutputOptions, rows: Iterable[Mapping[str, Any]], **options: Any
    ) -> int:
        """Write rows with the settings' export defaults and colour (see ``_output.write_rows``)."""
        from pysophoscentralapi.cli._output import write_rows

        options.setdefault("defaults", self.export_defaults())
        options.setdefault("color", self.color)
        try:
            return write_rows(output, rows, **options)
        except OSError as error:
            target = output.output_file
            if target is None or not _about_file(error, target):
                raise
            from pysophoscentralapi.cli._errors import output_file_error

            raise output_file_error(target, error) from None

    def write_listing(
        self,
        output: OutputOptions,
        fetch: Fetch,
        *,
        title: str | None = None,
        sorted_by_api: bool = False,
    ) -> int:
        """Stream a listing: from one client, or from every tenant with ``--all-tenants``."""
        if self.all_tenants:
            from pysophoscentralapi.cli._tenants import write_all_tenants

            return write_all_tenants(self, output, fetch, title=title)
        paginator = fetch(self.client())
        return self.write_rows(
            output, paginator.raw_items(), title=title, sorted_by_api=sorted_by_api
        )

    def write_object(
        self, output: OutputOptions, obj: Mapping[str, Any], *, title: str | None = None
    ) -> None:
        """Write one record: a field/value view on a terminal, one JSON object with ``-o json``
        (see ``_record.write_record``). ``title`` is kept for callers; the view needs none."""
        from pysophoscentralapi.cli._record import write_record

        write_record(output, obj, defaults=self.export_defaults(), color=self.color)


#: command groups that only partner or organization credentials can run
PARTNER_LEVEL_GROUPS = frozenset({"tenants", "partner"})


def _partner_level() -> bool:
    """Whether the running command is partner-level (``tenants list``): ``--emulator`` then
    uses the emulator's partner credential."""
    ctx = click.get_current_context(silent=True)
    words = ctx.command_path.split()[1:] if ctx is not None else []
    return bool(words) and words[0] in PARTNER_LEVEL_GROUPS


def _about_file(error: OSError, target: Any) -> bool:
    """Whether ``error`` is about writing ``target`` (or the temporary file beside it)."""
    if error.filename is None:
        return isinstance(error, PermissionError | IsADirectoryError | FileNotFoundError)
    written = os.path.abspath(str(error.filename))
    return os.path.dirname(written) == os.path.dirname(os.path.abspath(str(target)))


def server_path() -> Any:
    """The path shown as "config file" in emulator mode (no file is read)."""
    from pathlib import Path

    return Path("<emulator>")


def print_dry_run(method: str, url: str, body: Any) -> None:
    """Show a request that ``--dry-run`` kept from being sent (on stdout: it is the result)."""
    import json

    line = f"DRY RUN: {method} {url}"
    if body is not None:
        line += " " + json.dumps(body, ensure_ascii=False, sort_keys=True)
    click.echo(line)


def enable_debug_logging() -> logging.Handler:
    """``--debug``: the library's HTTP trace on stderr, redacted (see :mod:`._debug_log`)."""
    from pysophoscentralapi.cli._debug_log import enable_debug_logging as enable

    return enable()


def disable_debug_logging(handler: logging.Handler) -> None:
    """Undo :func:`enable_debug_logging` when the command ends."""
    from pysophoscentralapi.cli._debug_log import disable_debug_logging as disable

    disable(handler)
