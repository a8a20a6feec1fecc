"""Safety rails of state-changing commands: confirmation, ``--yes``, ``--dry-run``.

A command that changes state (scan, isolate, delete, update, alert action, create) asks before it
acts on a terminal, takes ``--yes`` to skip asking, refuses without a terminal unless ``--yes``
(a script must say so explicitly), and with ``--dry-run`` prints the requests it would send and
sends none of them.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

import click

if TYPE_CHECKING:
    from pysophoscentralapi._page import ModelRef
    from pysophoscentralapi._sync._client import SophosCentral
    from pysophoscentralapi.cli._context import CliContext
    from pysophoscentralapi.cli._output import OutputOptions

F = TypeVar("F", bound=Callable[..., Any])

#: How many ids a confirmation question names before "and N more".
_SHOWN_IDS = 5


class ConfirmationRefused(click.ClickException):
    """The user said no, or there was nobody to ask (exit 2). Shown as one line, no usage text."""

    exit_code = 2

    def show(self, file: object = None) -> None:
        click.echo(f"error: {self.message}", err=True)


# Named tuples (immutable records) rather than frozen dataclasses: declaring one is several
# times cheaper, and every --help of a command that changes things imports this module.
class Safety(NamedTuple):
    """The rails of one invocation."""

    yes: bool
    dry_run: bool

    def confirm(self, action: str, *, stdin_is_terminal: bool | None = None) -> None:
        """Ask "``action``?" unless ``--yes`` or ``--dry-run``; raise :class:`ConfirmationRefused` on no."""
        if self.yes or self.dry_run:
            return
        interactive = sys.stdin.isatty() if stdin_is_terminal is None else stdin_is_terminal
        if not interactive:
            raise ConfirmationRefused(
                f"refusing to {action} without confirmation: not running on a terminal; "
                "pass --yes to confirm (or --dry-run to see the requests)"
            )
        if not click.confirm(f"{action[0].upper()}{action[1:]}?", default=False, err=True):
            raise ConfirmationRefused("cancelled: nothing was changed")


def ids_summary(
    verb: str, noun: str, ids: Sequence[str], *, names: Mapping[str, str | None] | None = None
) -> str:
    """The action on some targets, for :meth:`Safety.confirm`, naming the first few (by their
    ``names`` where known, e.g. hostnames) and the count: "delete 7 endpoints (web-01, ...
    and 2 more)".

    >>> ids_summary("scan", "endpoint", ["e1", "e2"], names={"e1": "web-01"})
    'scan 2 endpoints (web-01, e2)'
    """
    names = names or {}
    shown = ", ".join(names.get(i) or i for i in ids[:_SHOWN_IDS])
    more = f" and {len(ids) - _SHOWN_IDS} more" if len(ids) > _SHOWN_IDS else ""
    from pysophoscentralapi.cli._names import plural

    return f"{verb} {len(ids)} {plural(noun, len(ids))} ({shown}{more})"


def state_changing(command: F) -> F:
    """Add ``--yes`` and ``--dry-run`` to a command and pass them as ``safety: Safety``."""

    @click.option(
        "-y", "--yes", is_flag=True, help="Do it without asking (needed when not on a terminal)."
    )
    @click.option(
        "--dry-run", is_flag=True, help="Print the requests that would be sent; send none."
    )
    @functools.wraps(command)
    def wrapper(*args: Any, yes: bool, dry_run: bool, **kwargs: Any) -> Any:
        return command(*args, safety=Safety(yes=yes, dry_run=dry_run), **kwargs)

    return wrapper  # type: ignore[return-value]


class Change(NamedTuple):
    """What a state-changing command works with (see :func:`pass_change`): the CLI context,
    the output options of what it shows (the record it changed, or one result row per
    target), and the rails of the run."""

    cli: CliContext
    output: OutputOptions
    safety: Safety

    @property
    def dry_run(self) -> bool:
        return self.safety.dry_run

    def client(self) -> SophosCentral:
        """The command's client; with ``--dry-run`` one that prints its changes, sends none."""
        return self.cli.client(dry_run=self.safety.dry_run)

    def confirm(self, action: str) -> None:
        """Ask "``action``?" (see :meth:`Safety.confirm`)."""
        self.safety.confirm(action)

    def write_results(self, rows: Iterable[Mapping[str, Any]], *, done: str, total: int) -> None:
        """Write the result rows of the ``total`` targets (see ``_results.write_results``);
        with ``--dry-run`` they are consumed, not written."""
        from pysophoscentralapi.cli._results import write_results

        write_results(self.cli, self.output, rows, done=done, total=total, dry_run=self.dry_run)

    def show(
        self,
        answer: Any,
        *,
        title: str,
        shown: Callable[[dict[str, Any]], Mapping[str, Any]] | None = None,
    ) -> None:
        """Show the object the change answered (``answer.to_api()``, passed through ``shown``
        if given); nothing with ``--dry-run``, whose requests were printed, never sent."""
        if not self.safety.dry_run:
            record = answer.to_api()
            self.cli.write_object(self.output, shown(record) if shown else record, title=title)


def one_change(
    *, model: ModelRef | None = None, extra_fields: Sequence[str] = ()
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The parameters of a state-changing command that shows the object it created or changed:
    the record's output options (``model``, ``extra_fields``: see ``record_options``),
    ``--yes`` and ``--dry-run``, all passed first as one ``change: Change``.

    Example::

        @roles.command("create")
        @click.option("--name", required=True)
        @one_change(model="pysophoscentralapi.models.roles:Role")
        def create_role(change: Change, *, name: str) -> None:
            change.confirm(f"create role {name!r}")
            change.show(change.client().roles.create(name=name), title="Role created")
    """
    from pysophoscentralapi.cli._output import record_options

    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        return record_options(model=model, extra_fields=extra_fields)(pass_change(function))

    return decorate


def pass_change(function: Callable[..., Any]) -> Callable[..., Any]:
    """Add ``--yes`` and ``--dry-run`` to a command (below its output options) and pass the
    CliContext, the ``output`` and the rails first, as one ``change: Change``."""

    @functools.wraps(function)
    def command(
        cli: CliContext, /, *args: Any, output: OutputOptions, safety: Safety, **kwargs: Any
    ) -> Any:
        return function(Change(cli, output, safety), *args, **kwargs)

    return state_changing(click.pass_obj(command))
