"""The ``pysophos`` command line: the root group, lazy sub-command loading and the entry point.

Sub-commands live one family to a module in :mod:`pysophoscentralapi.cli.commands` and are imported
only when invoked, so ``pysophos --help`` and ``--version`` stay fast.
"""

from __future__ import annotations

from pysophoscentralapi._decode import gc_paused

# Start-up builds only what lives until exit (click and the modules below): the cyclic collector,
# which would scan that a few times over while it grows, is paused meanwhile and what was built
# moved to its oldest generation unscanned (age_start_up): ~2 ms of every run.
with gc_paused():
    import os
    import sys
    from typing import Any

    import click
    import click.formatting

    from pysophoscentralapi._version import __version__
    from pysophoscentralapi.cli._errors import run_main
    from pysophoscentralapi.cli._lazy import age_start_up, freeze_start_up, import_command

    age_start_up()

__all__ = ["cli", "main"]

#: command name -> (module, attribute, one-line help shown by ``pysophos --help``)
LAZY_COMMANDS: dict[str, tuple[str, str, str]] = {
    "config": (
        "pysophoscentralapi.cli.commands.config",
        "config",
        "Create, show, edit and test settings.",
    ),
    "endpoint": (
        "pysophoscentralapi.cli.commands.endpoint",
        "endpoint",
        "Endpoints: list, scan, isolate, tamper protection, settings.",
    ),
    "alerts": (
        "pysophoscentralapi.cli.commands.alerts",
        "alerts",
        "Alerts: list, search, get, act on.",
    ),
    "tenants": (
        "pysophoscentralapi.cli.commands.tenants",
        "tenants",
        "Tenants of partner or organization credentials.",
    ),
    "admins": (
        "pysophoscentralapi.cli.commands.admins",
        "admins",
        "Tenant admins and their role assignments.",
    ),
    "roles": ("pysophoscentralapi.cli.commands.roles", "roles", "Roles and permission sets."),
    "users": ("pysophoscentralapi.cli.commands.users", "users", "Directory users and user groups."),
    "xdr": (
        "pysophoscentralapi.cli.commands.xdr",
        "xdr",
        "XDR Data Lake: SQL queries, runs, saved queries, categories.",
    ),
    "live-discover": (
        "pysophoscentralapi.cli.commands.live_discover",
        "live_discover",
        "Live Discover: SQL on endpoints, runs, saved queries, enrichments.",
    ),
    "detections": (
        "pysophoscentralapi.cli.commands.detections",
        "detections",
        "Detections: list, groups, counts, runs.",
    ),
    "cases": (
        "pysophoscentralapi.cli.commands.cases",
        "cases",
        "Cases: list, get, create, update, delete.",
    ),
    "health": (
        "pysophoscentralapi.cli.commands.health",
        "health",
        "Account health: scores and findings, one tenant or every tenant.",
    ),
    "partner": (
        "pysophoscentralapi.cli.commands.partner",
        "partner",
        "Partner admins, partner roles and billing usage.",
    ),
    "licenses": (
        "pysophoscentralapi.cli.commands.licenses",
        "licenses",
        "Licenses of a tenant and of firewalls.",
    ),
    "account": (
        "pysophoscentralapi.cli.commands.account",
        "account",
        "Account management: access tokens.",
    ),
    "report": (
        "pysophoscentralapi.cli.commands.report",
        "report",
        "Reports people would rather look at: the HTML health report.",
    ),
    "api": (
        "pysophoscentralapi.cli.commands.api",
        "api",
        "Any API request by path, authenticated and routed (like gh api).",
    ),
    "emulator": (
        "pysophoscentralapi.cli.commands.emulator",
        "emulator",
        "Run a local Sophos Central emulator.",
    ),
    "siem": (
        "pysophoscentralapi.cli.commands.siem",
        "siem",
        "SIEM feeds: events and alerts into files, syslog, Splunk; resumable.",
    ),
}


#: root options also accepted after the sub-command (``pysophos endpoint list --debug``), with
#: the number of values each takes; a sub-command's own option of the same name wins
HOISTED_OPTIONS: dict[str, int] = {
    "--debug": 0,
    "--no-color": 0,
    "--profile": 1,
    "--region": 1,
    "--timeout": 1,
    "--max-retries": 1,
}


def hoist_global_options(group: click.Group, ctx: click.Context, args: list[str]) -> list[str]:
    """``args`` with the :data:`HOISTED_OPTIONS` found after the sub-command moved before it.

    Example::

        hoist_global_options(cli, ctx, ["endpoint", "list", "--debug"])
        # -> ["--debug", "endpoint", "list"]
    """
    root_values = {
        name for param in group.params if isinstance(param, click.Option) and not param.is_flag
        for name in param.opts
    }  # fmt: skip
    start = 0
    while start < len(args) and args[start].startswith("-") and args[start] != "--":
        start += 2 if args[start] in root_values else 1
    if start >= len(args):
        return args
    leaf: click.Command | None = group
    position = start
    while isinstance(leaf, click.Group) and position < len(args):
        found = leaf.get_command(ctx, args[position])
        if found is None:
            break
        leaf, position = found, position + 1
    own = {
        name for param in (leaf.params if leaf is not None else [])
        for name in [*param.opts, *param.secondary_opts]
    }  # fmt: skip
    moved: list[str] = []
    rest: list[str] = []
    index = start
    while index < len(args):
        word = args[index]
        if word == "--":
            rest.extend(args[index:])
            break
        name = word.split("=", 1)[0]
        if name in HOISTED_OPTIONS and name not in own:
            width = 0 if "=" in word else HOISTED_OPTIONS[name]
            moved.extend(args[index : index + 1 + width])
            index += 1 + width
            continue
        rest.append(word)
        index += 1
    return [*args[:start], *moved, *rest]


def help_width(max_width: int) -> int:
    """The width click gives a help text when it measures the terminal itself,
    ``max(min(columns, max_width) - 2, 50)``, with the columns read as
    :func:`shutil.get_terminal_size` reads them (``$COLUMNS``, else the terminal's, else 80)
    but without importing :mod:`shutil`, which imports the compression modules (~3 ms of every
    ``--help``)."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return max(min(columns or 80, max_width) - 2, 50)


class LazyGroup(click.Group):
    """A group whose sub-commands are imported on first use."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        # The help width, measured as click would (every sub-command's context inherits it).
        settings = {**self.context_settings, **extra}
        measured = settings.get("terminal_width") is None and click.formatting.FORCED_WIDTH is None
        if parent is None and measured:
            extra["terminal_width"] = help_width(settings.get("max_content_width") or 80)
        return super().make_context(info_name, args, parent, **extra)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if ctx.parent is None:
            args = hoist_global_options(self, ctx, list(args))
        return super().parse_args(ctx, args)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *LAZY_COMMANDS])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS:
            module_name, attribute, _ = LAZY_COMMANDS[cmd_name]
            return import_command(module_name, attribute)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Short help from the table, so `--help` does not import every command module.
        rows = [(name, LAZY_COMMANDS[name][2]) for name in sorted(LAZY_COMMANDS)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


CONTEXT_SETTINGS: dict[str, Any] = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(cls=LazyGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(
    __version__, "--version", prog_name="pysophos", message="%(prog)s %(version)s"
)
@click.option(
    "--profile",
    envvar="SOPHOS_PROFILE",
    metavar="NAME",
    help="Settings profile [env: SOPHOS_PROFILE].",
)
@click.option(
    "--config",
    "config_file",
    envvar="SOPHOS_CONFIG",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="Config file [env: SOPHOS_CONFIG; default: the user config dir's pysophos/config.toml].",
)
@click.option(
    "--tenant", metavar="ID|NAME", help="Act on this tenant (partner/organization credentials)."
)
@click.option("--all-tenants", is_flag=True, help="Run the command for every tenant, concurrently.")
@click.option(
    "--tenants-file",
    type=click.Path(exists=True, dir_okay=False),
    help="With --all-tenants: only the tenant ids/names listed in this file.",
)
@click.option(
    "--exclude-tenant",
    multiple=True,
    metavar="ID|NAME",
    help="With --all-tenants: skip this tenant (repeatable).",
)
@click.option(
    "--summary",
    "summary_file",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="With --all-tenants: write a JSON summary (per tenant: id, name, status, rows, error).",
)
@click.option(
    "--emulator",
    is_flag=True,
    help="Start a local emulator and run the command against it (no credentials needed).",
)
@click.option(
    "--region",
    metavar="REGION",
    help="Data region for this run (overrides the config file and SOPHOS_REGION).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    metavar="SECONDS",
    help="HTTP timeout for this run (overrides the config file and SOPHOS_TIMEOUT).",
)
@click.option(
    "--max-retries",
    type=click.IntRange(0, 10),
    metavar="N",
    help="Retries of a failed request for this run (overrides config and SOPHOS_MAX_RETRIES).",
)
@click.option(
    "--debug",
    is_flag=True,
    help="Show a redacted HTTP trace and tracebacks on stderr (also after the sub-command).",
)
@click.option(
    "--no-color",
    is_flag=True,
    envvar="NO_COLOR",
    help="No colour [env: NO_COLOR] (also after the sub-command).",
)
@click.pass_context
def cli(ctx: click.Context, /, **options: Any) -> None:
    """Sophos Central from the command line: endpoints, alerts, tenants, admins, roles and users.

    \b
    Examples:
      pysophos --emulator endpoint list          try it with no set-up
      pysophos config init                       store your API credential
      pysophos endpoint list --health-status bad -o csv --output-file bad.csv
      pysophos --all-tenants alerts list --severity high -o jsonl
    """
    # Imported here: the root's own --help and --version never build one (nor its dataclass).
    from pysophoscentralapi.cli._context import CliContext

    ctx.obj = CliContext.from_options(ctx, **options)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``pysophos`` console script."""
    # What is imported by now lives until exit: frozen, no collection scans it again (the full
    # one at exit included, which otherwise costs a help text ~10 ms). See import_command.
    freeze_start_up()
    run_main(cli, argv)
