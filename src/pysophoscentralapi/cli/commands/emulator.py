"""``pysophos emulator serve``: run the local Sophos Central emulator in the foreground."""

from __future__ import annotations

import ipaddress
import shlex
import signal
import threading
from contextlib import ExitStack
from types import FrameType

import click

INSTALL_HINT = "pip install 'pysophoscentralapi[emulator]'"


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


@emulator.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    default=8080,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port (0 = any free port).",
)
@click.option(
    "--seed", default=1, show_default=True, type=int, help="Seed of the generated data and faults."
)
@click.option(
    "--endpoints",
    default=120,
    show_default=True,
    type=click.IntRange(0),
    help="Endpoints of the demo tenant.",
)
@click.option(
    "--tenants",
    default=5,
    show_default=True,
    type=click.IntRange(1),
    help="Tenants seen by partner/organization credentials.",
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
@click.option(
    "--token-ttl",
    default=3600,
    show_default=True,
    type=click.IntRange(1),
    help="Access token lifetime in seconds.",
)
@click.option(
    "--siem-events",
    default=400,
    show_default=True,
    type=click.IntRange(0),
    help="SIEM events per tenant in the last day (alerts: a tenth).",
)
@click.option(
    "--siem-rate",
    default=0.2,
    show_default=True,
    type=click.FloatRange(0),
    help="New SIEM events per second per tenant while running.",
)
@click.option(
    "--siem-cursor-ttl",
    default=86400.0,
    show_default=True,
    type=click.FloatRange(0, min_open=True),
    help="Seconds a SIEM cursor is honoured (then the feed restarts 24 h back).",
)
@click.option(
    "--query-run-seconds",
    default=1.0,
    show_default=True,
    type=click.FloatRange(0),
    help="How long XDR, Live Discover and detections runs take (pending for the first quarter, "
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
def serve(  # noqa: PLR0917 - one parameter per option, as click passes them
    ctx: click.Context,
    host: str,
    port: int,
    seed: int,
    endpoints: int,
    tenants: int,
    latency_ms: float,
    fault_rate: float,
    rate_limit: float | None,
    token_ttl: int,
    siem_events: int,
    siem_rate: float,
    siem_cursor_ttl: float,
    query_run_seconds: float,
    answer_shapes: str,
    allow_remote: bool,
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

    config = EmulatorConfig(
        seed=seed,
        tenants=tenants,
        endpoints=endpoints,
        latency_ms=latency_ms,
        fault_rate=fault_rate,
        rate_limit=rate_limit,
        token_ttl=token_ttl,
        siem_events=siem_events,
        siem_alerts=siem_events // 10,
        siem_rate=siem_rate,
        siem_cursor_ttl=siem_cursor_ttl,
        query_run_seconds=query_run_seconds,
        answer_shapes=answer_shapes,
    )
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
