"""The CLI's one error handler: every failure becomes one or two lines on stderr and an exit code.

No traceback reaches the user unless ``--debug`` was given (then it follows the message).
"""

from __future__ import annotations

import os
import sys
from typing import NoReturn

import click

from pysophoscentralapi._errors import (
    APIConnectionError,
    APIError,
    AuthenticationError,
    ConfigError,
    RateLimitError,
    ResponseValidationError,
    ServerError,
    SophosCentralError,
    TenantRequiredError,
)
from pysophoscentralapi.cli._status import ExitStatus


class CommandFailed(click.ClickException):
    """A command's failure shown as one ``error: ...`` line on stderr, exiting with ``exit_code``.

    For outcomes the command has already explained (e.g. ids refused one by one on stderr).
    """

    def __init__(self, message: str, exit_code: int = ExitStatus.ERROR) -> None:
        super().__init__(message)
        # click declares exit_code a class variable, but reads it from the instance.
        self.exit_code = exit_code  # type: ignore[misc]

    def show(self, file: object = None) -> None:
        click.echo(f"error: {self.message}", err=True)


class PartialFailure(CommandFailed):
    """``--all-tenants`` finished, but some tenants failed (already reported on stderr)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, ExitStatus.PARTIAL_FAILURE)


def output_file_error(path: object, error: OSError) -> CommandFailed:
    """A file the user named cannot be written: their path and the OS's reason (exit 2).

    >>> output_file_error("/ro/out.csv", PermissionError(13, "Permission denied")).message
    'cannot write /ro/out.csv: Permission denied'
    """
    reason = error.strerror or str(error)
    return CommandFailed(f"cannot write {path}: {reason}", ExitStatus.USAGE)


def exit_status_for(error: BaseException) -> ExitStatus:
    """The contract's exit code for an error (CONTRACT.md "Exit codes")."""
    if isinstance(error, TenantRequiredError):
        return ExitStatus.USAGE
    if isinstance(error, ConfigError | AuthenticationError):
        return ExitStatus.CONFIG_OR_AUTH
    if isinstance(
        error, RateLimitError | ServerError | APIConnectionError | ResponseValidationError
    ):
        return ExitStatus.UNAVAILABLE
    if isinstance(error, APIError):
        return ExitStatus.API_REFUSED
    return ExitStatus.ERROR


def describe(error: SophosCentralError) -> list[str]:
    """The lines shown for an error: what failed, then a hint and the correlation id if known."""
    lines = [f"error: {error.message}"]
    extra = []
    if error.hint:
        extra.append(f"hint: {error.hint}")
    if isinstance(error, APIError) and error.correlation_id:
        extra.append(f"correlation id: {error.correlation_id}")
    if isinstance(error, AuthenticationError) and error.tracking_id:
        extra.append(f"tracking id: {error.tracking_id}")
    if extra:
        lines.append("  " + "; ".join(extra))
    return lines


def _debug_requested(argv: list[str]) -> bool:
    return "--debug" in argv or os.environ.get("PYSOPHOS_DEBUG") == "1"


def run_main(group: click.Group, argv: list[str] | None) -> NoReturn:
    """Run the CLI and exit with the contract's code, whatever happens."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = _debug_requested(args)
    try:
        # Not standalone: click returns the code of ctx.exit(n) instead of raising it.
        returned = group.main(args=args, prog_name="pysophos", standalone_mode=False)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except (KeyboardInterrupt, click.exceptions.Abort):
        click.echo("\ninterrupted", err=True)
        sys.exit(ExitStatus.INTERRUPTED)
    except click.ClickException as error:
        error.show()
        code = error.exit_code
        sys.exit(ExitStatus.USAGE if code == 1 and type(error) is click.ClickException else code)
    except SophosCentralError as error:
        if debug:
            _print_traceback()
        for line in describe(error):
            click.echo(line, err=True)
        sys.exit(exit_status_for(error))
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): not an error. Keep Python from complaining at exit.
        _silence_stdout()
        sys.exit(ExitStatus.SUCCESS)
    except Exception as error:
        if debug:
            _print_traceback()
        click.echo(f"error: unexpected {type(error).__name__}: {error}", err=True)
        click.echo("  run again with --debug for details, and report it if it persists", err=True)
        sys.exit(ExitStatus.ERROR)
    sys.exit(returned if isinstance(returned, int) else ExitStatus.SUCCESS)


def _print_traceback() -> None:
    import traceback  # only --debug shows one: not imported by every run (and every --help)

    traceback.print_exc()


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # pragma: no cover - stdout without a file descriptor
        pass
