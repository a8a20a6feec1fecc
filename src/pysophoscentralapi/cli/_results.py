"""One result row per target for every state-changing command that takes several targets.

A command turns each target's outcome into a row (:func:`result_row`, or :func:`attempt` which
calls the action and turns its exception into the row) and hands the rows, as they become known,
to :func:`write_results`. That writes them streamed and flushed per row (stdout, or the user's
``--output-file`` written in place so that an interrupted run keeps its record), prints one
summary line on stderr and ends with the exit code of the worst outcome:

======================  =====  ==========================================================
status                  exit   meaning
======================  =====  ==========================================================
``ok``                  0      done
``not-found``           4      the API does not know the target (404)
``refused``             4      the API refused it (400, 403, 409...)
``failed``              5      not done: the API was unavailable (429, network, a 5xx to a read)
``unknown``             5      may have been applied: a 5xx to the change, or the answer was lost
(interrupted)           130    Ctrl-C; the rows of the targets done were written first
======================  =====  ==========================================================

Every row has ``id``, ``name`` (a hostname, tenant name... where the command knows one),
``status``, ``error`` (the API's message) and ``request_id`` (the API's, to quote to Sophos),
followed by command-specific fields. Example::

    rows = (attempt(i, lambda i: {"scanId": central.endpoints.scan(i).id}) for i in ids)
    write_results(cli, output, rows, done="scanned", total=len(ids), dry_run=False)
    # stderr: scanned 9 of 11; 2 not found   (exit 4)
"""

from __future__ import annotations

import contextlib
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TextIO

import click

from pysophoscentralapi._errors import (
    APIConnectionError,
    APIError,
    AuthenticationError,
    ConfigError,
    NotFoundError,
    OutcomeUnknownError,
    RateLimitError,
    ServerError,
)
from pysophoscentralapi.cli._errors import CommandFailed, output_file_error
from pysophoscentralapi.cli._status import ExitStatus

if TYPE_CHECKING:
    from pysophoscentralapi._sync._client import SophosCentral
    from pysophoscentralapi.cli._columns import Column
    from pysophoscentralapi.cli._context import CliContext
    from pysophoscentralapi.cli._output import OutputOptions
    from pysophoscentralapi.cli._safety import Change

__all__ = [
    "RESULT_COLUMNS",
    "Outcome",
    "act_on_each",
    "attempt",
    "exit_status_of",
    "many_targets",
    "outcome_of",
    "require_deleted",
    "result_row",
    "write_results",
]

#: The columns every result row starts with (the default table/CSV columns of such commands).
RESULT_COLUMNS = ("id", "name", "status", "error", "request_id")


def many_targets(
    argument: str,
    metavar: str,
    *,
    columns: Sequence[str | Column] = RESULT_COLUMNS,
    callback: Callable[..., Any] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The parameters of a state-changing command with one result row per target: the
    ``argument`` (one or more values shown as ``metavar``; the command reads ``-`` and
    ``@FILE``, or its click ``callback`` does), the output options of the rows (``columns``) and ``--yes``/``--dry-run``, passed
    first as one ``change: Change`` (see :func:`~._safety.pass_change`).

    Example::

        @roles.command("delete")
        @many_targets("role_ids", "ID...")
        def delete_role(change: Change, *, role_ids: tuple[str, ...]) -> None:
            act_on_each(change, role_ids, lambda central, i: central.roles.delete(i),
                        verb="delete", done="deleted", noun="role")
    """
    from pysophoscentralapi.cli._output import output_options
    from pysophoscentralapi.cli._safety import pass_change

    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        command = output_options(columns=columns)(pass_change(function))
        return click.argument(
            argument, metavar=metavar, nargs=-1, required=True, callback=callback
        )(command)

    return decorate


class Outcome(StrEnum):
    """What happened to one target."""

    OK = "ok"
    NOT_FOUND = "not-found"
    REFUSED = "refused"
    FAILED = "failed"
    UNKNOWN = "unknown"


_EXIT_OF = {
    Outcome.OK: ExitStatus.SUCCESS,
    Outcome.NOT_FOUND: ExitStatus.API_REFUSED,
    Outcome.REFUSED: ExitStatus.API_REFUSED,
    Outcome.FAILED: ExitStatus.UNAVAILABLE,
    Outcome.UNKNOWN: ExitStatus.UNAVAILABLE,
}
_SUMMARY_WORDS = {
    Outcome.NOT_FOUND: "not found",
    Outcome.REFUSED: "refused",
    Outcome.FAILED: "failed",
    Outcome.UNKNOWN: "unknown (may have been applied)",
}
#: Errors that would fail every remaining target the same way: the run stops (rows so far kept).
_FATAL = (AuthenticationError, ConfigError)


def outcome_of(error: BaseException) -> Outcome:
    """The status of a target whose request raised ``error``.

    >>> from pysophoscentralapi._errors import NotFoundError
    >>> outcome_of(NotFoundError("no such endpoint")).value
    'not-found'
    """
    # Imported here: every `--help` of a command with result rows imports this module.
    from pysophoscentralapi._retry import is_safe

    if isinstance(error, OutcomeUnknownError):
        return Outcome.UNKNOWN
    if isinstance(error, NotFoundError):
        return Outcome.NOT_FOUND
    if isinstance(error, ServerError) and not is_safe(error.method or "GET"):
        return Outcome.UNKNOWN  # a 5xx to a change: it may have been made before the failure
    if isinstance(error, RateLimitError | ServerError | APIConnectionError):
        return Outcome.FAILED
    if isinstance(error, APIError):
        return Outcome.REFUSED
    return Outcome.FAILED


def exit_status_of(outcomes: Iterable[Outcome]) -> ExitStatus:
    """The exit code of the worst outcome (0 for none).

    >>> int(exit_status_of([Outcome.OK, Outcome.NOT_FOUND]))
    4
    """
    return max((_EXIT_OF[o] for o in outcomes), default=ExitStatus.SUCCESS)


def require_deleted(deleted: bool, *, dry_run: bool) -> None:
    """Make a delete whose answer says ``deleted: false`` a ``not-found`` row, not ``ok``.

    Example::

        attempt(item_id, lambda i: require_deleted(resource.delete(i), dry_run=False))
    """
    if not deleted and not dry_run:
        raise NotFoundError("the API answered deleted: false")


def result_row(
    target_id: str,
    status: Outcome = Outcome.OK,
    *,
    name: str | None = None,
    error: BaseException | str | None = None,
    **details: Any,
) -> dict[str, Any]:
    """One target's row: ``id, name, status, error, request_id`` then ``details``.

    An exception ``error`` gives the status (unless ``status`` says otherwise), the message and
    the API's request id.

    >>> result_row("e1", name="web-01")
    {'id': 'e1', 'name': 'web-01', 'status': 'ok', 'error': None, 'request_id': None}
    """
    request_id = None
    message = error
    if isinstance(error, BaseException):
        if status is Outcome.OK:
            status = outcome_of(error)
        message = getattr(error, "message", None) or str(error) or type(error).__name__
        request_id = getattr(error, "request_id", None) or getattr(error, "correlation_id", None)
    return {
        "id": target_id,
        "name": name,
        "status": status.value,
        "error": message,
        "request_id": request_id,
        **details,
    }


def attempt(
    target_id: str,
    action: Callable[[str], Mapping[str, Any] | None],
    *,
    name: str | None = None,
) -> dict[str, Any]:
    """Run ``action(target_id)``: the target's row, ``ok`` with the fields it returned, or the
    status of the error it raised. Errors that would fail every target (authentication,
    configuration) and interrupts are raised.

    >>> attempt("e1", lambda endpoint_id: {"scanId": "s1"})["status"]
    'ok'
    """
    try:
        details = action(target_id) or {}
    except _FATAL:
        raise
    except (APIError, APIConnectionError) as error:
        return result_row(target_id, name=name, error=error)
    return result_row(target_id, name=name, **details)


#: Distinct error messages repeated on stderr (all of them are in the rows).
_ERRORS_SHOWN = 3


def _explain(tally: _Tally) -> None:
    """The first few distinct errors on stderr, and what to do about ``unknown`` rows."""
    for message in list(tally.errors)[:_ERRORS_SHOWN]:
        click.echo(f"  {tally.errors[message]} x {message}", err=True)
    if tally.counts.get(Outcome.UNKNOWN):
        click.echo(
            "  hint: the changes of the 'unknown' rows may or may not have been applied: "
            "read the resource back (e.g. pysophos endpoint get ID) before retrying them",
            err=True,
        )


class _Tally:
    """Counts rows by status as they pass to the writer; keeps an interrupt or fatal error."""

    def __init__(self, rows: Iterable[Mapping[str, Any]]) -> None:
        self._rows = rows
        self.counts: Counter[Outcome] = Counter()
        self.errors: Counter[str] = Counter()
        self.stopped_by: BaseException | None = None

    def __iter__(self) -> Iterator[Mapping[str, Any]]:
        try:
            for row in self._rows:
                self.counts[Outcome(row["status"])] += 1
                if row.get("error") and row["status"] != Outcome.NOT_FOUND:
                    self.errors[str(row["error"])] += 1
                yield row
        except (KeyboardInterrupt, *_FATAL) as stop:
            # End the output cleanly (a JSON array closed, the file kept), then stop the run.
            self.stopped_by = stop


class _FlushEachLine:
    """A text stream that flushes after every line written, so each row is out at once."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        written = self._stream.write(text)
        if "\n" in text:
            self._stream.flush()
        return written

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def summary_line(counts: Mapping[Outcome, int], *, done: str, total: int | None = None) -> str:
    """``"isolated 3 of 1003; 1000 not found"``: the ok count, then every other outcome.

    >>> summary_line({Outcome.OK: 3, Outcome.NOT_FOUND: 1000}, done="isolated")
    'isolated 3 of 1003; 1000 not found'
    """
    seen = sum(counts.values())
    line = f"{done} {counts.get(Outcome.OK, 0)} of {seen}"
    if total is not None and total > seen:
        line += f" (of {total} asked; {total - seen} not attempted)"
    others = [f"{counts[o]} {word}" for o, word in _SUMMARY_WORDS.items() if counts.get(o)]
    return line + ("; " + ", ".join(others) if others else "")


def write_results(
    cli: CliContext,
    output: OutputOptions,
    rows: Iterable[Mapping[str, Any]],
    *,
    done: str,
    total: int | None = None,
    dry_run: bool = False,
    at_least: Callable[[], ExitStatus | None] | None = None,
) -> None:
    """Write result rows as they come, print the summary on stderr, exit with the worst outcome.

    ``done`` is the past-tense verb of the summary ("isolated"); ``total`` the number of targets
    asked for (targets never attempted are named in the summary). In a ``dry_run`` the requests
    were printed instead: the rows are consumed, not written. ``at_least()``, asked once the rows
    are written, may raise the exit code (``--all-tenants``: 6 when a tenant failed).

    Example::

        write_results(cli, output, (attempt(i, scan) for i in ids), done="scanned")
    """
    tally = _Tally(rows)
    if dry_run:
        for _ in tally:
            pass
        if isinstance(tally.stopped_by, KeyboardInterrupt):
            raise tally.stopped_by
        if tally.stopped_by is not None:
            raise tally.stopped_by
        return
    _write_streamed(cli, output, tally)
    line = summary_line(tally.counts, done=done, total=total)
    if tally.stopped_by is not None and not isinstance(tally.stopped_by, KeyboardInterrupt):
        click.echo(line, err=True)
        raise tally.stopped_by
    if isinstance(tally.stopped_by, KeyboardInterrupt):
        raise CommandFailed(f"interrupted: {line}", ExitStatus.INTERRUPTED)
    _explain(tally)
    code = exit_status_of(tally.counts)
    floor = at_least() if at_least is not None else None
    if floor is not None:
        code = max(code, floor)
    if code == ExitStatus.SUCCESS:
        click.echo(line, err=True)
        return
    raise CommandFailed(line, code)


def _write_streamed(
    cli: CliContext, output: OutputOptions, rows: Iterable[Mapping[str, Any]]
) -> None:
    if not output.columns:
        output = output._replace(columns=RESULT_COLUMNS)
    to_file = output.output_file is not None
    fmt = output.resolved_format(
        defaults=cli.export_defaults(), stdout_is_terminal=not to_file and sys.stdout.isatty()
    )
    if fmt == "csv" and output.fields is None:
        # Known columns: no look-ahead to infer a header, so each row is written when it comes.
        output = output._replace(fields=output.column_paths)
    if output.output_file is None:
        cli.write_rows(output, rows, stdout=_FlushEachLine(sys.stdout), progress=False)
        return
    # The user's file is written in place (not atomically): the record of what was sent must
    # survive an interrupt or a crash.
    path = output.output_file
    try:
        handle = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115 - closed below
    except OSError as error:
        raise output_file_error(path, error) from None
    with contextlib.closing(handle):
        cli.write_rows(
            output._replace(output_file=None, format=fmt),
            rows,
            stdout=_FlushEachLine(handle),
            stdout_is_terminal=False,
            progress=False,
            color=False,
        )


def act_on_each(
    change: Change,
    ids: Sequence[str],
    action: Callable[[SophosCentral, str], Mapping[str, Any] | None],
    *,
    verb: str,
    done: str,
    noun: str,
    names: Mapping[str, str | None] | None = None,
    client: SophosCentral | None = None,
) -> None:
    """The whole of a simple multi-target command: confirm naming the targets, run
    ``action(client, id)`` for each (one request each), write the rows, exit by the worst.
    ``client`` defaults to the command's (``change.client()``, a dry-run one with ``--dry-run``).

    Example::

        act_on_each(change, ids, lambda central, i: central.roles.delete(i),
                    verb="delete", done="deleted", noun="role")
    """
    from pysophoscentralapi.cli._safety import ids_summary

    names = names or {}
    change.confirm(ids_summary(verb, noun, ids, names=names))
    central = client if client is not None else change.client()
    rows = (attempt(i, lambda i: action(central, i), name=names.get(i)) for i in ids)
    change.write_results(rows, done=done, total=len(ids))
