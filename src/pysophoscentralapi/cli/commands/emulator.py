"""``pysophos emulator serve``: run the local Sophos Central emulator in the foreground."""

from __future__ import annotations

import ipaddress
import shlex
import signal
import threading
from collections.abc import Callable
from contextlib import ExitStack
from types import FrameType
from typing import Any

import click

INSTALL_HINT = "pip install 'pysophoscentralapi[emulator]'"

#: a click option decorator
FC = Callable[[Callable[..., Any]], Callable[..., Any]]


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.group()
def emulator() -> None:
    """Run a local Sophos Central emulator (demo credentials, seeded data, faults on demand).

    \b
    Examples:
      pysophos emulator serve --port 8080
      pysophos --emulator endpoint list        (a throw-away emulator for one command)
    """


def _number_option(flag: str, default: float, kind: click.ParamType[Any], text: str) -> FC:
    """An option of a number with a default, shown in the help."""
    return click.option(flag, default=default, show_default=True, type=kind, help=text)


@emulator.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@_number_option("--port", 8080, click.IntRange(0, 65535), "Port (0 = any free port).")
@_number_option("--seed", 1, click.INT, "Seed of the generated data and faults.")
@_number_option("--endpoints", 120, click.IntRange(0), "Endpoints of the demo tenant.")
@_number_option(
    "--tenants", 5, click.IntRange(1), "Tenants seen by partner/organization credentials."
)
@click.option(
    "--latency-ms", default=0.0, type=click.FloatRange(0), help="Delay added to every request."
)
@click.option(
    "--fault-rate",
    default=0.0,
    type=click.FloatRange(0, 1),
    help="Fraction of API requests answered with a fault (429/5xx/dropped).",
)
@click.option(
    "--rate-limit",
    type=click.FloatRange(0, min_open=True),
    help="Requests per second per credential, then 429.",
)
@_number_option("--token-ttl", 3600, click.IntRange(1), "Access token lifetime in seconds.")
@_number_option(
    "--siem-events",
    400,
    click.IntRange(0),
    "SIEM events per tenant in the last day (alerts: a tenth).",
)
@_number_option(
    "--siem-rate", 0.2, click.FloatRange(0), "New SIEM events per second per tenant while running."
)
@_number_option(
    "--siem-cursor-ttl",
    86400.0,
    click.FloatRange(0, min_open=True),
    "Seconds a SIEM cursor is honoured (then the feed restarts 24 h back).",
)
@_number_option(
    "--query-run-seconds",
    1.0,
    click.FloatRange(0),
    "How long XDR, Live Discover and detections runs take (pending for the first quarter, "
    "then started, then finished); 0 finishes them at once.",
)
@click.option(
    "--answer-shapes",
    type=click.Choice(["standard", "real-world", "unreadable"]),
    default="standard",
    show_default=True,
    help="Forms of isolate/scan/delete answers: as documented, as real answers write "
    "timestamps and booleans, or with values no parser reads (to try lenient parsing).",
)
@click.option(
    "--allow-remote",
    is_flag=True,
    help="Allow a non-loopback --host (the demo credentials are public!).",
)
@click.pass_context
def serve(
    ctx: click.Context, /, host: str, port: int, allow_remote: bool, **config_fields: Any
) -> None:
    """Serve the emulator until Ctrl-C, after printing the settings for each demo credential.

    \b
    Examples:
      pysophos emulator serve --port 8080 --endpoints 5000 --fault-rate 0.05
      pysophos emulator serve --query-run-seconds 30   # queries that stay running, to cancel
      pysophos emulator serve --answer-shapes real-world
      # then, in another shell, paste one of the printed lines before a command:
      SOPHOS_CLIENT_ID=emulator-tenant ... pysophos endpoint list
    """
    if not _is_loopback(host) and not allow_remote:
        click.echo(
            f"Refusing to listen on {host}: the emulator accepts well-known demo credentials, "
            "so anyone who can reach it could use it. Pass --allow-remote to do it anyway.",
            err=True,
        )
        ctx.exit(2)
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        click.echo(f"The emulator needs starlette and uvicorn: {INSTALL_HINT}", err=True)
        ctx.exit(3)

    from pysophoscentralapi.emulator._runner import run_emulator
    from pysophoscentralapi.emulator._state import CREDENTIAL_KINDS, EmulatorConfig

    # every other option is the EmulatorConfig field of its name
    config = EmulatorConfig(**config_fields, siem_alerts=config_fields["siem_events"] // 10)
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        with ExitStack() as stack:
            try:
                emu = stack.enter_context(run_emulator(config, host=host, port=port))
            except OSError as exc:
                click.echo(f"Cannot listen on {host}:{port}: {exc.strerror or exc}", err=True)
                ctx.exit(1)
            for kind in CREDENTIAL_KINDS:
                settings = " ".join(f"{k}={shlex.quote(v)}" for k, v in emu.env(kind).items())
                click.echo(f"# {kind}\n{settings}")
            click.echo(f"# Sophos Central emulator on {emu.url} - press Ctrl-C to stop", err=True)
            while not stop.wait(0.5):
                pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
