"""``--all-tenants``: run a listing for every tenant concurrently and stream the rows as they come.

Workers (one per tenant, ``concurrency`` at a time, via the library's fan-out) put pages on a
bounded queue; the main thread writes them, each row tagged with ``tenant_id`` and
``tenant_name``. Memory stays at a few pages whatever the tenants hold. Tenants that fail are
listed on stderr at the end and the run exits 6.
"""

from __future__ import annotations

import dataclasses
import json
import queue
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import click

from pysophoscentralapi._errors import SophosCentralError
from pysophoscentralapi.cli._errors import PartialFailure, describe
from pysophoscentralapi.cli._params import argument_text

if TYPE_CHECKING:
    from pysophoscentralapi._sync._client import SophosCentral
    from pysophoscentralapi.cli._context import CliContext, Fetch
    from pysophoscentralapi.cli._output import OutputOptions
    from pysophoscentralapi.cli._safety import Safety

#: Pages waiting to be written, per worker: bounds memory while the writer is slower than the API.
PAGES_BUFFERED_PER_WORKER = 2


@dataclass
class _Done:
    tenant: Any
    error: BaseException | None


@dataclass
class FanOutReport:
    """What a many-tenants run did: tenants done, and the failures with their reasons."""

    total: int
    done: int = 0
    failures: list[tuple[Any, BaseException]] = field(default_factory=list)

    def raise_if_failed(self) -> None:
        """Report failures on stderr and end with exit 6 (partial failure) when there were any."""
        if not self.failures:
            return
        for tenant, error in self.failures:
            if isinstance(error, SophosCentralError):
                reason = describe(error)[0].removeprefix("error: ")
            else:
                reason = f"{type(error).__name__}: {error}"
            click.echo(f"tenant failed: {tenant.name or ''} ({tenant.id}): {reason}", err=True)
        raise PartialFailure(
            f"{len(self.failures)} of {self.total} tenants failed; the others completed"
        )


def selected_tenants(cli: CliContext) -> list[Any]:
    """The tenants ``--all-tenants`` covers: all, or those of ``--tenants-file``, minus ``--exclude-tenant``."""
    central = cli.base_client()
    tenants = list(central.tenants.list())
    for tenant in tenants:
        central._transport.remember_tenant_host(str(tenant.id), getattr(tenant, "api_host", None))
    if cli.tenants_file:
        wanted = _read_names(cli.tenants_file)
        known = {t.id.lower() for t in tenants} | {t.name for t in tenants if t.name}
        unknown = [w for w in wanted if w.lower() not in known and w not in known]
        if unknown:
            raise click.BadParameter(
                f"not tenants of this credential: {', '.join(unknown)}", param_hint="--tenants-file"
            )
        tenants = [
            t for t in tenants if t.id.lower() in {w.lower() for w in wanted} or t.name in wanted
        ]
    excluded = set(cli.exclude_tenant)
    return [
        t
        for t in tenants
        if t.id not in excluded and t.id.lower() not in excluded and t.name not in excluded
    ]


def _read_names(path: str) -> list[str]:
    with open(path, encoding="utf-8") as handle:
        return [
            line.strip() for line in handle if line.strip() and not line.lstrip().startswith("#")
        ]


def stream_tenant_rows(
    central: SophosCentral,
    tenants: list[Any],
    fetch: Fetch,
    report: FanOutReport,
    *,
    concurrency: int,
    on_progress: Callable[[FanOutReport], None] | None = None,
) -> Iterator[dict[str, Any]]:
    """Rows of every tenant, tagged, as they arrive; failures go to ``report``."""
    from pysophoscentralapi._sync._fanout import each_tenant

    pages: queue.Queue[tuple[Any, list[dict[str, Any]]] | _Done] = queue.Queue(
        maxsize=PAGES_BUFFERED_PER_WORKER * concurrency
    )
    stop = threading.Event()

    def work(client: SophosCentral, tenant: Any) -> None:
        for page in fetch(client).pages():
            if stop.is_set():
                return
            pages.put((tenant, page.raw))

    def run_all() -> None:
        for outcome in each_tenant(central, work, tenants=tenants, concurrency=concurrency):
            pages.put(_Done(outcome.tenant, outcome.error))

    runner = threading.Thread(target=run_all, name="pysophos-fanout", daemon=True)
    runner.start()
    finished = 0
    try:
        while finished < len(tenants):
            item = pages.get()
            if isinstance(item, _Done):
                finished += 1
                report.done += 1
                if item.error is not None:
                    report.failures.append((item.tenant, item.error))
                if on_progress is not None:
                    on_progress(report)
                continue
            tenant, rows = item
            for row in rows:
                yield {"tenant_id": tenant.id, "tenant_name": tenant.name, **row}
    finally:
        stop.set()
        while runner.is_alive():  # unblock workers waiting on a full queue
            try:
                pages.get_nowait()
            except queue.Empty:
                runner.join(timeout=0.05)


def write_all_tenants(
    cli: CliContext,
    output: OutputOptions,
    fetch: Fetch,
    *,
    title: str | None = None,
    concurrency: int | None = None,
) -> int:
    """Write a listing of every selected tenant; exit 6 after writing if any tenant failed.

    Rows arrive interleaved page by page (an API-side sort holds only within a tenant, so any
    ``--sort`` is done here). A table, meant for reading, is grouped by tenant; the streamed
    formats are written as rows arrive.
    """
    from pysophoscentralapi._fanout_result import DEFAULT_CONCURRENCY
    from pysophoscentralapi.cli._output import SortSpec

    tenants = selected_tenants(cli)
    report = FanOutReport(total=len(tenants))
    if output.columns and "tenant_name" not in output.columns:
        output = dataclasses.replace(output, columns=("tenant_name", *output.columns))
    shown_as = output.resolved_format(
        defaults=cli.export_defaults(), stdout_is_terminal=sys.stdout.isatty()
    )
    if shown_as == "table" and output.sort is None and output.count_by is None:
        output = dataclasses.replace(output, sort=SortSpec("tenant_name"))
    central = cli.base_client()
    with _progress(report) as on_progress:
        rows = stream_tenant_rows(
            central,
            tenants,
            fetch,
            report,
            concurrency=concurrency or DEFAULT_CONCURRENCY,
            on_progress=on_progress,
        )
        written = cli.write_rows(output, rows, title=title, sorted_by_api=False)
    report.raise_if_failed()
    return written


class _progress:
    """A stderr progress bar (tenants done / total, failures), only on a terminal."""

    def __init__(self, report: FanOutReport) -> None:
        self.report = report
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> Callable[[FanOutReport], None] | None:
        if not sys.stderr.isatty():
            return None
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self._bar = Progress(
            TextColumn("tenants"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[failed]} failed"),
            console=Console(stderr=True), transient=True,
        )  # fmt: skip
        self._bar.start()
        self._task = self._bar.add_task("tenants", total=self.report.total, failed=0)
        return self.update

    def update(self, report: FanOutReport) -> None:
        self._bar.update(self._task, completed=report.done, failed=len(report.failures))

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()


# --- state-changing commands over many tenants ---------------------------------------------------


def read_tenant_targets(values: Sequence[str]) -> dict[str, list[str]]:
    """Object ids per tenant, from rows that carry ``tenant_id`` (JSON lines or a JSON array).

    That is what ``pysophos --all-tenants endpoint list -o jsonl`` (or ``-o json``) writes, so a
    listing pipes straight into a state-changing command run with ``--all-tenants``.
    """
    rows: list[Any] = []
    for text in (argument_text(value, what="rows") for value in values):
        stripped = text.strip()
        try:
            if stripped.startswith("["):
                rows.extend(json.loads(stripped))
            else:
                rows.extend(json.loads(line) for line in stripped.splitlines() if line.strip())
        except ValueError:
            raise click.BadParameter(
                "with --all-tenants, give rows that carry tenant_id, e.g. pipe "
                "`pysophos --all-tenants endpoint list -o jsonl` into this command"
            ) from None
    targets: dict[str, list[str]] = {}
    for row in rows:
        if (
            not isinstance(row, dict)
            or not isinstance(row.get("id"), str)
            or not isinstance(row.get("tenant_id"), str)
        ):
            raise click.BadParameter(
                f"each row needs string 'id' and 'tenant_id' fields, got: {str(row)[:80]}"
            )
        ids = targets.setdefault(row["tenant_id"].lower(), [])
        if row["id"] not in ids:
            ids.append(row["id"])
    if not targets:
        raise click.BadParameter("no rows given (stdin or the file was empty)")
    return targets


def run_across_tenants(
    cli: CliContext,
    output: OutputOptions,
    targets: dict[str, list[str]],
    action: Callable[[SophosCentral, list[str]], Iterable[dict[str, Any]]],
    *,
    verb: str,
    done: str,
    noun: str,
    safety: Safety,
    concurrency: int | None = None,
) -> None:
    """Confirm once for every tenant, then run ``action(tenant_client, ids)`` (result rows, see
    ``_results``) per tenant concurrently. Rows are tagged with the tenant and written as each
    tenant finishes; every id of a tenant that failed as a whole gets a ``failed`` row, and the
    run exits 6 (or worse, from the rows)."""
    from pysophoscentralapi._fanout_result import DEFAULT_CONCURRENCY
    from pysophoscentralapi._sync._fanout import each_tenant
    from pysophoscentralapi.cli._results import result_row, write_results
    from pysophoscentralapi.cli._status import ExitStatus

    known = {str(t.id).lower(): t for t in selected_tenants(cli)}
    unknown = [tenant_id for tenant_id in targets if tenant_id not in known]
    if unknown:
        raise click.BadParameter(
            f"not tenants of this credential (or excluded): {', '.join(unknown)}"
        )
    total = sum(len(ids) for ids in targets.values())
    plural = "s" if total != 1 else ""
    safety.confirm(
        f"{verb} {total} {noun}{plural} in {len(targets)} tenant{'s' if len(targets) != 1 else ''}"
    )
    central = cli.base_client(dry_run=safety.dry_run)
    tenants = [known[tenant_id] for tenant_id in targets]
    report = FanOutReport(total=len(tenants))

    def work(client: SophosCentral, tenant: Any) -> list[dict[str, Any]]:
        return list(action(client, targets[str(tenant.id).lower()]))

    def rows() -> Iterator[dict[str, Any]]:
        with _progress(report) as on_progress:
            for outcome in each_tenant(
                central, work, tenants=tenants, concurrency=concurrency or DEFAULT_CONCURRENCY
            ):
                report.done += 1
                tag = {"tenant_id": outcome.tenant_id, "tenant_name": outcome.tenant_name}
                if outcome.error is not None:
                    report.failures.append((outcome.tenant, outcome.error))
                    for target in targets[outcome.tenant_id.lower()]:
                        yield {**tag, **result_row(target, error=outcome.error)}
                else:
                    yield from ({**tag, **row} for row in outcome.result or [])
                if on_progress is not None:
                    on_progress(report)

    if output.columns and "tenant_name" not in output.columns:
        output = dataclasses.replace(output, columns=("tenant_name", *output.columns))
    write_results(
        cli, output, rows(), done=done, total=total, dry_run=safety.dry_run,
        at_least=lambda: ExitStatus.PARTIAL_FAILURE if report.failures else None,
    )  # fmt: skip
