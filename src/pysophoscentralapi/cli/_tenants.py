"""``--all-tenants``: run a listing for every tenant concurrently; write complete tenants only.

Design (documented in docs/cli.md): workers (one per tenant, ``concurrency`` at a time, via the
library's fan-out) spool their tenant's rows to a temporary file on disk. A tenant's rows are
written out only once the tenant completed, and in the order of the tenants list whatever order
they finish in, each row tagged with ``tenant_id`` and ``tenant_name``: a failed tenant leaves no
partial rows in the output, two runs over the same data give the same bytes, and memory stays
at one page per worker. ``--limit N`` means N rows per tenant. Tenants without ``apiHost`` (not
activated yet) are skipped, not failed; tenants that fail are listed on stderr at the end and the
run exits 6. ``--summary FILE`` writes what happened per tenant as JSON.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

import click

from pysophoscentralapi._errors import SophosCentralError
from pysophoscentralapi.cli._errors import PartialFailure, describe
from pysophoscentralapi.cli._params import argument_text

if TYPE_CHECKING:
    from pysophoscentralapi._sync._client import SophosCentral
    from pysophoscentralapi.cli._context import CliContext, Fetch
    from pysophoscentralapi.cli._output import OutputOptions
    from pysophoscentralapi.cli._safety import Safety

#: Why a tenant without ``apiHost`` is skipped.
NOT_ACTIVATED = "not activated (the tenant has no apiHost yet)"


@dataclass
class FanOutReport:
    """What a many-tenants run did: tenants done, failures with their reasons, tenants skipped,
    and per tenant the rows written (for ``--summary``)."""

    total: int
    done: int = 0
    failures: list[tuple[Any, BaseException]] = field(default_factory=list)
    skipped: list[Any] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)

    def finished(self, tenant: Any, error: BaseException | None) -> None:
        """One more tenant done; ``error``: why it failed (``None``: it worked)."""
        self.done += 1
        if error is not None:
            self.failures.append((tenant, error))

    def report_skipped(self) -> None:
        for tenant in self.skipped:
            click.echo(
                f"tenant skipped: {tenant.name or ''} ({tenant.id}): {NOT_ACTIVATED}", err=True
            )

    def raise_if_failed(self) -> None:
        """Report failures on stderr and end with exit 6 (partial failure) when there were any."""
        if not self.failures:
            return
        for tenant, error in self.failures:
            click.echo(
                f"tenant failed: {tenant.name or ''} ({tenant.id}): {_reason(error)}", err=True
            )
        raise PartialFailure(
            f"{len(self.failures)} of {self.total} tenants failed; the others completed"
        )

    def summary(self, tenants: Sequence[Any]) -> dict[str, Any]:
        """The ``--summary`` document: one entry per selected tenant, in the output's order."""
        failed = {str(t.id): error for t, error in self.failures}
        skipped = {str(t.id) for t in self.skipped}
        entries = []
        for tenant in tenants:
            key = str(tenant.id)
            status = "skipped" if key in skipped else "failed" if key in failed else "ok"
            error = (
                NOT_ACTIVATED if key in skipped else _reason(failed[key]) if key in failed else None
            )
            entries.append(
                {"id": key, "name": tenant.name, "status": status,
                 "rows": self.rows.get(key, 0), "error": error}
            )  # fmt: skip
        return {
            "tenants": entries,
            "rows": sum(self.rows.values()),
            "ok": sum(1 for e in entries if e["status"] == "ok"),
            "failed": len(failed),
            "skipped": len(skipped),
        }


def _reason(error: BaseException) -> str:
    if isinstance(error, SophosCentralError):
        return describe(error)[0].removeprefix("error: ")
    return f"{type(error).__name__}: {error}"


def _close_names(value: str, tenants: Sequence[Any]) -> str:
    import difflib

    names = [str(t.name) for t in tenants if t.name] + [str(t.id) for t in tenants]
    close = difflib.get_close_matches(value, names, n=3, cutoff=0.5)
    return f" (did you mean: {', '.join(close)}?)" if close else ""


def _matches(tenant: Any, wanted: str) -> bool:
    return str(tenant.id).lower() == wanted.lower() or tenant.name == wanted


def check_tenant_names(wanted: Iterable[str], tenants: Sequence[Any], *, option: str) -> None:
    """A usage error naming every value of ``option`` that is no tenant id or name, with the
    closest names."""
    unknown = [w for w in wanted if not any(_matches(t, w) for t in tenants)]
    if unknown:
        described = "; ".join(f"{w!r}{_close_names(w, tenants)}" for w in unknown)
        raise click.BadParameter(
            f"not tenants of this credential: {described}; list them with: pysophos tenants list",
            param_hint=option,
        )


def selected_tenants(cli: CliContext) -> list[Any]:
    """The tenants ``--all-tenants`` covers, in the tenants list's order: all, or those of
    ``--tenants-file``, minus ``--exclude-tenant``; an unknown id or name is a usage error."""
    central = cli.base_client()
    tenants = list(central.tenants.list())
    for tenant in tenants:
        central._transport.remember_tenant_host(str(tenant.id), getattr(tenant, "api_host", None))
    if cli.tenants_file:
        wanted = _read_names(cli.tenants_file)
        check_tenant_names(wanted, tenants, option="--tenants-file")
        tenants = [t for t in tenants if any(_matches(t, w) for w in wanted)]
    check_tenant_names(cli.exclude_tenant, tenants, option="--exclude-tenant")
    return [t for t in tenants if not any(_matches(t, w) for w in cli.exclude_tenant)]


def _read_names(path: str) -> list[str]:
    with open(path, encoding="utf-8") as handle:
        return [
            line.strip() for line in handle if line.strip() and not line.lstrip().startswith("#")
        ]


def _activated(tenants: Sequence[Any], report: FanOutReport) -> list[Any]:
    """The tenants that can be reached; the others go to ``report.skipped``."""
    active = []
    for tenant in tenants:
        if getattr(tenant, "api_host", None):
            active.append(tenant)
        else:
            report.skipped.append(tenant)
    return active


def stream_tenant_rows(
    central: SophosCentral,
    tenants: list[Any],
    fetch: Fetch,
    report: FanOutReport,
    *,
    concurrency: int,
    limit: int | None = None,
    on_progress: Callable[[FanOutReport], None] | None = None,
) -> Iterator[dict[str, Any]]:
    """Rows of every tenant that completed, tagged, tenant after tenant in the order of
    ``tenants``; at most ``limit`` rows per tenant; failures go to ``report``."""
    import json

    from pysophoscentralapi._sync._fanout import each_tenant

    stop = threading.Event()
    spools: dict[str, IO[str]] = {}
    lock = threading.Lock()

    def work(client: SophosCentral, tenant: Any) -> int:
        import tempfile

        spool = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 - closed by the reader
        with lock:
            spools[str(tenant.id)] = spool
        written = 0
        pages = fetch(client).pages()
        try:
            for page in pages:
                for row in page.raw[: None if limit is None else limit - written]:
                    spool.write(json.dumps(row, ensure_ascii=False) + "\n")
                    written += 1
                if stop.is_set() or (limit is not None and written >= limit):
                    break  # stopped here on purpose: with --limit the tenant is complete
        finally:
            close = getattr(pages, "close", None)
            if callable(close):
                close()
        return written

    order = [str(t.id) for t in tenants]
    finished: dict[str, BaseException | None] = {}
    next_index = 0
    try:
        for outcome in each_tenant(central, work, tenants=tenants, concurrency=concurrency):
            report.finished(outcome.tenant, outcome.error)
            finished[outcome.tenant_id] = outcome.error
            if on_progress is not None:
                on_progress(report)
            while next_index < len(order) and order[next_index] in finished:
                key = order[next_index]
                tenant = tenants[next_index]
                next_index += 1
                with lock:
                    spool = spools.pop(key, None)
                if spool is None:
                    continue
                with spool:
                    if finished[key] is not None:
                        continue  # a failed tenant's rows are dropped, never written
                    report.rows[key] = 0
                    spool.seek(0)
                    for line in spool:
                        report.rows[key] += 1
                        yield {
                            "tenant_id": tenant.id,
                            "tenant_name": tenant.name,
                            **json.loads(line),
                        }
    finally:
        stop.set()
        with lock:
            for spool in spools.values():
                spool.close()


def write_all_tenants(
    cli: CliContext,
    output: OutputOptions,
    fetch: Fetch,
    *,
    title: str | None = None,
    concurrency: int | None = None,
) -> int:
    """Write a listing of every selected tenant (complete tenants only, in the tenants list's
    order, ``--limit`` rows per tenant); exit 6 after writing if any tenant failed.

    An API-side sort holds within a tenant; a ``--sort`` across tenants is done here. A table,
    meant for reading, is sorted by tenant name.
    """
    from pysophoscentralapi._fanout_result import DEFAULT_CONCURRENCY
    from pysophoscentralapi.cli._output import SortSpec

    tenants = selected_tenants(cli)
    report = FanOutReport(total=len(tenants))
    active = _activated(tenants, report)
    if output.columns and "tenant_name" not in output.columns:
        output = output._replace(columns=("tenant_name", *output.columns))
    shown_as = output.resolved_format(
        defaults=cli.export_defaults(), stdout_is_terminal=sys.stdout.isatty()
    )
    if shown_as == "table" and output.sort is None and output.count_by is None:
        output = output._replace(sort=SortSpec("tenant_name"))
    per_tenant = output.limit
    central = cli.base_client()
    with _progress(report) as on_progress:
        rows = stream_tenant_rows(
            central,
            active,
            fetch,
            report,
            concurrency=concurrency or DEFAULT_CONCURRENCY,
            limit=per_tenant,
            on_progress=on_progress,
        )
        written = cli.write_rows(
            output._replace(limit=None), rows, title=title, sorted_by_api=False
        )
    _write_summary(cli, report, tenants)
    report.report_skipped()
    report.raise_if_failed()
    return written


def _write_summary(cli: CliContext, report: FanOutReport, tenants: Sequence[Any]) -> None:
    """``--summary FILE``: the run per tenant as JSON, written atomically."""
    if not cli.summary_file:
        return
    import json
    from pathlib import Path

    from pysophoscentralapi.cli._atomic_file import atomic_text_file
    from pysophoscentralapi.cli._errors import output_file_error

    path = Path(cli.summary_file)
    try:
        with atomic_text_file(path) as handle:
            json.dump(report.summary(tenants), handle, indent=2, ensure_ascii=False)
            handle.write("\n")
    except OSError as error:
        raise output_file_error(path, error) from None


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
    import json

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
    import queue

    from pysophoscentralapi._fanout_result import DEFAULT_CONCURRENCY, TenantResult
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

    # Workers put each row on the queue as soon as it is known, so that it is written (and kept
    # on Ctrl-C) at once; the fan-out's end of each tenant follows its rows.
    results: queue.Queue[dict[str, Any] | TenantResult[None]] = queue.Queue()
    stop = threading.Event()

    def work(client: SophosCentral, tenant: Any) -> None:
        tag = {"tenant_id": str(tenant.id), "tenant_name": tenant.name}
        ids = targets[str(tenant.id).lower()]
        reported: set[str] = set()
        try:
            for row in action(client, ids):
                reported.add(str(row["id"]))
                results.put({**tag, **row})
                if stop.is_set():
                    return
        except Exception as error:  # the tenant failed as a whole: its other ids too
            for target in ids:
                if target not in reported:
                    results.put({**tag, **result_row(target, error=error)})
            raise

    def run_all() -> None:
        for outcome in each_tenant(
            central, work, tenants=tenants, concurrency=concurrency or DEFAULT_CONCURRENCY
        ):
            results.put(outcome)

    def rows() -> Iterator[dict[str, Any]]:
        runner = threading.Thread(target=run_all, name="pysophos-fanout", daemon=True)
        runner.start()
        try:
            with _progress(report) as on_progress:
                while report.done < len(tenants):
                    item = results.get()
                    if isinstance(item, dict):
                        yield item
                        continue
                    report.finished(item.tenant, item.error)
                    if on_progress is not None:
                        on_progress(report)
        finally:
            stop.set()

    if output.columns and "tenant_name" not in output.columns:
        output = output._replace(columns=("tenant_id", "tenant_name", *output.columns))
    write_results(
        cli, output, rows(), done=done, total=total, dry_run=safety.dry_run,
        at_least=lambda: ExitStatus.PARTIAL_FAILURE if report.failures else None,
    )  # fmt: skip
