"""``pysophos siem events|alerts``: the SIEM feeds into files, stdout, syslog or Splunk HEC.

The delivery loop: read a page (per tenant and feed), drop replays, deliver it to the sink, and
only then save its cursor (and the output offset) in the ``--state`` file. See docs/siem.md for the
delivery guarantee this gives and how it is tested.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import FrameType
from typing import TYPE_CHECKING, Any

import click

from pysophoscentralapi.cli._params import as_path
from pysophoscentralapi.cli._status import ExitStatus

if TYPE_CHECKING:
    from pysophoscentralapi._errors import SophosCentralError
    from pysophoscentralapi._siem import JsonStateFile, MemoryStateStore
    from pysophoscentralapi._sync._client import SophosCentral
    from pysophoscentralapi._sync._pagination import Paginator
    from pysophoscentralapi._sync.siem import SiemBatch, SiemReader
    from pysophoscentralapi.cli._context import CliContext
    from pysophoscentralapi.cli._siem_sinks import Sink

#: How often the tenants of ``--all-tenants --follow`` are listed again (new tenants join).
TENANT_REFRESH_SECONDS = 300.0
#: Batches waiting to be delivered, per worker (bounds memory when the sink is slow).
BATCHES_BUFFERED_PER_WORKER = 2
DEFAULT_CONCURRENCY = 10


@click.group()
def siem() -> None:
    """SIEM feeds: events and alerts into files, stdout, syslog or Splunk, resumable.

    \b
    Examples:
      pysophos --emulator siem events --since 1h -o jsonl
      pysophos siem events --follow --state siem.json --output-file events.jsonl
      pysophos --all-tenants siem alerts --follow --state siem.json --syslog tcp://siem:514
    """


def _feed_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option("--since", metavar="WHEN", help="Start here when the state has no cursor: 12h, 90m, an ISO time (at most 24h back; default: 24h)."),
        click.option("--follow", is_flag=True, help="Keep polling for new records until stopped (SIGTERM/SIGINT)."),
        click.option("--interval", type=click.FloatRange(0.05), default=60.0, show_default=True, help="Seconds between polls with --follow."),
        click.option("--state", "state_path", type=click.Path(dir_okay=False), callback=as_path, help="State file: the cursor per credential, tenant and feed (created 0600)."),
        click.option("-o", "--output", "fmt", type=click.Choice(["jsonl", "json", "cef"]), default="jsonl", show_default=True, help="Record format (json: one array, only for a one-off run to stdout)."),
        click.option("--output-file", type=click.Path(dir_okay=False), callback=as_path, help="Append records to this file (exactly once with --state)."),
        click.option("--syslog", metavar="URL", help="Send to syslog: udp://, tcp:// or tls://HOST:PORT (RFC 5424)."),
        click.option("--syslog-ca", type=click.Path(exists=True, dir_okay=False), help="CA certificates to trust for tls:// syslog."),
        click.option("--splunk-hec", metavar="URL", help="Send to a Splunk HTTP Event Collector (token: [siem] splunk_hec_token or SOPHOS_SPLUNK_HEC_TOKEN)."),
        click.option("--page-size", type=click.IntRange(1, 1000), default=1000, show_default=True, help="Records per request."),
        click.option("--concurrency", type=click.IntRange(1, 64), default=DEFAULT_CONCURRENCY, show_default=True, help="Tenants read at once with --all-tenants."),
    ]  # fmt: skip
    for option in reversed(options):
        fn = option(fn)
    return fn


@siem.command()
@_feed_options
@click.option(
    "--exclude-types",
    metavar="TYPES",
    help="Comma-separated event types to leave out, e.g. Event::Endpoint::UpdateSuccess.",
)
@click.pass_obj
def events(cli: CliContext, /, exclude_types: str | None, **options: Any) -> None:
    """Stream the SIEM events feed (oldest first).

    \b
    Examples:
      pysophos --emulator siem events --since 1h -o jsonl
      pysophos siem events --follow --state s.json -o jsonl --output-file events.jsonl
      pysophos siem events --follow --state s.json --splunk-hec https://splunk:8088
      pysophos --all-tenants siem events --follow --state s.json --syslog tls://siem:6514
    """
    types = [t.strip() for t in (exclude_types or "").split(",") if t.strip()] or None
    run_feed(cli, "events", exclude_types=types, **options)


@siem.command()
@_feed_options
@click.pass_obj
def alerts(cli: CliContext, /, **options: Any) -> None:
    """Stream the SIEM alerts feed (oldest first).

    \b
    Examples:
      pysophos --emulator siem alerts --since 6h -o cef
      pysophos siem alerts --follow --state s.json --output-file alerts.jsonl
    """
    run_feed(cli, "alerts", exclude_types=None, **options)


# --- the delivery loop -------------------------------------------------------------------------


@dataclass
class _Stop:
    """Set by SIGTERM/SIGINT: finish the batch in hand, save the state, exit 0 or 130."""

    event: threading.Event = field(default_factory=threading.Event)
    code: int = ExitStatus.SUCCESS
    signalled: bool = False
    readers: list[SiemReader] = field(default_factory=list)

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        import signal

        self.signalled = True
        if signum == signal.SIGINT:
            self.code = ExitStatus.INTERRUPTED
        self.event.set()
        for reader in list(self.readers):
            reader.stop()


def _check_sinks(options: dict[str, Any], fmt: str) -> None:
    chosen = [
        f"--{name.replace('_', '-')}"
        for name in ("output_file", "syslog", "splunk_hec")
        if options[name]
    ]
    if len(chosen) > 1:
        raise click.UsageError(f"choose one destination: {' or '.join(chosen)}")
    if fmt == "json" and (chosen or options["follow"] or options["state_path"]):
        raise click.UsageError(
            "-o json writes one array: use -o jsonl with --follow, --state or a sink"
        )
    if options["syslog_ca"] and not options["syslog"]:
        raise click.UsageError("--syslog-ca goes with --syslog tls://...")


def _open_sink(cli: CliContext, fmt: str, options: dict[str, Any]) -> Sink:
    from pysophoscentralapi.cli import _siem_sinks as sinks

    if options["output_file"] is not None:
        return sinks.AppendSink.open(options["output_file"], fmt)
    if options["syslog"]:
        return sinks.SyslogSink(options["syslog"], fmt, ca_file=options["syslog_ca"])
    if options["splunk_hec"]:
        token = cli.settings().settings.siem.splunk_hec_token
        if token is None:
            from pysophoscentralapi._errors import ConfigError

            raise ConfigError(
                "--splunk-hec needs the HEC token",
                hint="set SOPHOS_SPLUNK_HEC_TOKEN, or splunk_hec_token in the config file's "
                "[siem] section (it is never taken from the command line)",
            )
        return sinks.SplunkHecSink(options["splunk_hec"], token.get_secret_value())
    return sinks.open_stdout_sink(fmt)


def run_feed(
    cli: CliContext, feed: str, *, exclude_types: list[str] | None, fmt: str, **options: Any
) -> None:
    """Read ``feed`` for the chosen tenant(s) and deliver it; exit 0, 130 or an error code."""
    import signal

    from pysophoscentralapi._siem import JsonStateFile, MemoryStateStore, from_date_seconds

    _check_sinks(options, fmt)
    since = options["since"]
    if since is not None:
        try:
            from_date_seconds(since, name="--since")
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--since") from None
    if fmt == "json":
        _write_json_array(cli, feed, since, exclude_types, options)
        return
    store: JsonStateFile | MemoryStateStore = (
        JsonStateFile(options["state_path"]) if options["state_path"] else MemoryStateStore()
    )
    sink = _open_sink(cli, fmt, options)
    stop = _Stop()
    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        if isinstance(store, JsonStateFile):
            sink.recover(store.extra.get("output"))
            position = sink.position()
            if position is not None:
                # Where this output starts, saved before anything is written, so a crash before
                # the first saved cursor is undone too.
                store.save_extra(output=position)
        for note in getattr(sink, "notes", []):
            click.echo(f"note: {note}", err=True)
        delivery = _Delivery(sink, store, multi=cli.all_tenants)

        def make_reader(client: SophosCentral) -> SiemReader:
            reader = client.siem.reader(
                feed,  # type: ignore[arg-type]  # a click choice of the two feeds
                store=store,
                since=since,
                exclude_types=exclude_types,
                limit=options["page_size"],
            )
            stop.readers.append(reader)
            return reader

        if cli.all_tenants:
            _run_all_tenants(cli, make_reader, delivery, stop, options)
        else:
            reader = make_reader(cli.client())
            batches = (
                reader.follow(interval=options["interval"])
                if options["follow"]
                else reader.batches()
            )
            for batch in batches:
                delivery.deliver(batch)
                if stop.event.is_set():
                    break
        delivery.finish()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        sink.close()
    if stop.code:
        sys.exit(stop.code)


def _warn_and_wait(options: dict[str, Any]) -> Callable[..., None]:
    def warn(error: SophosCentralError, tenant: str = "") -> None:
        from pysophoscentralapi.cli._errors import describe

        reason = describe(error)[0].removeprefix("error: ")
        where = f" (tenant {tenant})" if tenant else ""
        click.echo(
            f"warning: reading the feed failed{where}: {reason}; trying again in "
            f"{options['interval']:g}s from the last saved position",
            err=True,
        )

    return warn


def _stderr_is_terminal() -> bool:
    # sys.stderr looked up per run: ``sys.stderr.isatty`` bound at import would be the stream of
    # whoever imported this module first (a test runner's, closed by now)
    return sys.stderr.isatty()


@dataclass
class _Delivery:
    """Delivers batches and saves their checkpoints after them; keeps the status line."""

    sink: Sink
    store: JsonStateFile | MemoryStateStore
    multi: bool
    tenant_names: dict[str, str | None] = field(default_factory=dict)
    delivered: int = 0
    started: float = field(default_factory=time.monotonic)
    _shown: float = 0.0
    _status: bool = field(default_factory=_stderr_is_terminal)

    def deliver(self, batch: SiemBatch[Any]) -> None:
        from pysophoscentralapi._siem import JsonStateFile

        if batch.restarted:
            click.echo(
                f"warning: the {batch.feed} feed of tenant {batch.tenant_id} went back in time "
                f"(its cursor had expired); {batch.replayed} records already delivered were skipped "
                "and records older than 24 hours may be missing",
                err=True,
            )
        rows = batch.raw
        if self.multi and rows:
            name = self.tenant_names.get(batch.tenant_id)
            rows = [{"tenant_id": batch.tenant_id, "tenant_name": name, **row} for row in rows]
        if rows:
            self.sink.deliver(rows, batch.feed)
        if isinstance(self.store, JsonStateFile):
            position = self.sink.position()
            extra = {"output": position} if position is not None else {}
            self.store.save(batch.key, batch.checkpoint, **extra)
        else:
            self.store.save(batch.key, batch.checkpoint)
        self.delivered += len(rows)
        self._show(batch)

    def _show(self, batch: SiemBatch[Any]) -> None:
        now = time.monotonic()
        if not self._status or now - self._shown < 1.0:
            return
        self._shown = now
        from pysophoscentralapi._siem import parse_created_at

        mark = parse_created_at(batch.checkpoint.watermark)
        lag = f"{max(0.0, time.time() - mark.timestamp()):.0f}s" if mark else "-"
        rate = self.delivered / max(now - self.started, 1e-6)
        sys.stderr.write(f"\r{self.delivered} {batch.feed} delivered, {rate:.0f}/s, lag {lag}   ")
        sys.stderr.flush()

    def finish(self) -> None:
        if self._status and self._shown:
            sys.stderr.write("\n")


def _write_json_array(
    cli: CliContext,
    feed: str,
    since: str | None,
    exclude_types: list[str] | None,
    options: dict[str, Any],
) -> None:
    from pysophoscentralapi.cli._output import OutputOptions

    client = cli.client()
    paginator: Paginator[Any]
    if feed == "events":
        paginator = client.siem.events(
            since=since, exclude_types=exclude_types, limit=options["page_size"]
        )
    else:
        paginator = client.siem.alerts(since=since, limit=options["page_size"])
    cli.write_rows(OutputOptions(format="json"), paginator.raw_items())


def _run_all_tenants(
    cli: CliContext,
    make_reader: Callable[[SophosCentral], SiemReader],
    delivery: _Delivery,
    stop: _Stop,
    options: dict[str, Any],
) -> None:
    """One reader per tenant, ``--concurrency`` polling at once; one writer (this thread)."""
    import queue
    from concurrent.futures import ThreadPoolExecutor

    from pysophoscentralapi._sync.siem import TRANSIENT_ERRORS
    from pysophoscentralapi.cli._tenants import FanOutReport, selected_tenants

    warn = _warn_and_wait(options)
    central = cli.base_client()
    concurrency = options["concurrency"]
    batches: queue.Queue[Any] = queue.Queue(maxsize=BATCHES_BUFFERED_PER_WORKER * concurrency)
    readers: dict[str, SiemReader] = {}
    busy: set[str] = set()
    failures: dict[str, BaseException] = {}
    names: dict[str, Any] = {}
    lock = threading.Lock()

    def poll(tenant_id: str) -> None:
        try:
            for batch in readers[tenant_id].batches():
                while not stop.event.is_set():
                    try:
                        batches.put(batch, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.event.is_set():
                    return
        except TRANSIENT_ERRORS as exc:
            if options["follow"]:
                warn(exc, tenant_id)  # polled again at its next turn, from where it stood
            else:
                with lock:
                    failures[tenant_id] = exc
        except Exception as exc:
            if options["follow"]:
                click.echo(f"warning: tenant {tenant_id} is left out: {exc}", err=True)
            with lock:
                failures[tenant_id] = exc
        finally:
            with lock:
                busy.discard(tenant_id)

    def refresh() -> None:
        for tenant in selected_tenants(cli):
            tenant_id = str(tenant.id).lower()
            names[tenant_id] = tenant
            delivery.tenant_names[tenant_id] = tenant.name
            if tenant_id not in readers:
                readers[tenant_id] = make_reader(central.for_tenant(tenant_id))

    refresh()
    listed_at = time.monotonic()
    next_poll: dict[str, float] = dict.fromkeys(readers, 0.0)
    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="pysophos-siem") as pool:
        while not stop.event.is_set():
            now = time.monotonic()
            if options["follow"] and now - listed_at >= max(
                TENANT_REFRESH_SECONDS, options["interval"]
            ):
                listed_at = now
                try:
                    refresh()
                except TRANSIENT_ERRORS as exc:
                    warn(exc)  # the tenants known so far go on; the list is read again later
                for tenant_id in readers:
                    next_poll.setdefault(tenant_id, 0.0)
            with lock:
                for tenant_id, due in next_poll.items():
                    if tenant_id not in busy and tenant_id not in failures and due <= now:
                        busy.add(tenant_id)
                        next_poll[tenant_id] = (
                            now + options["interval"] if options["follow"] else float("inf")
                        )
                        pool.submit(poll, tenant_id)
                idle = not busy
            try:
                delivery.deliver(batches.get(timeout=0.05))
                continue
            except queue.Empty:
                pass
            if idle and batches.empty() and not options["follow"]:
                break
        stop.event.set()  # workers stop handing over batches; the pool waits for them
    while not batches.empty():  # batches fetched before the stop: delivered, none lost
        delivery.deliver(batches.get_nowait())
    if failures and not stop.signalled:  # stopped by a signal: 0/130 (failures were warned of)
        report = FanOutReport(total=len(readers), done=len(readers))
        report.failures = [(names[t], e) for t, e in failures.items()]
        report.raise_if_failed()
