"""What every command shares: exit codes, error rendering, safety rails, ids from stdin, debug."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import pysophoscentralapi as sophos
from pysophoscentralapi.cli._debug_log import _RedactingFilter
from pysophoscentralapi.cli._errors import exit_status_for, run_main
from pysophoscentralapi.cli._params import iter_ids
from pysophoscentralapi.cli._safety import ConfirmationRefused, Safety, state_changing
from pysophoscentralapi.cli._status import ExitStatus


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (sophos.ConfigError("x"), 3),
        (sophos.AuthenticationError("x", status_code=401), 3),
        (sophos.TenantRequiredError("x"), 2),
        (sophos.BadRequestError("x", status_code=400), 4),
        (sophos.PermissionDeniedError("x", status_code=403), 4),
        (sophos.NotFoundError("x", status_code=404), 4),
        (sophos.ConflictError("x", status_code=409), 4),
        (sophos.RateLimitError("x", status_code=429), 5),
        (sophos.ServerError("x", status_code=503), 5),
        (sophos.APIConnectionError("x"), 5),
        (sophos.APITimeoutError("x"), 5),
        (sophos.OutcomeUnknownError("x"), 5),
        (sophos.ResponseValidationError("x"), 5),
        (sophos.PaginationError("x"), 5),
        (sophos.SophosCentralError("x"), 1),
        (RuntimeError("x"), 1),
    ],
)
def test_each_error_class_has_the_contract_exit_code(error: BaseException, code: int) -> None:
    assert exit_status_for(error) == code


def _group_raising(error: BaseException) -> click.Group:
    @click.group()
    @click.option("--debug", is_flag=True)
    def root(debug: bool) -> None:
        pass

    @root.command()
    def boom() -> None:
        raise error

    return root


def _run(group: click.Group, *args: str) -> tuple[int, str, str]:
    runner = CliRunner()

    class Entry:
        name = "pysophos"

        def main(self, args: object = None, prog_name: object = None, **_: object) -> None:
            run_main(group, list(args or ()))  # type: ignore[call-overload]

    result = runner.invoke(Entry(), list(args), catch_exceptions=False)  # type: ignore[arg-type]
    return result.exit_code, result.stdout, result.stderr


def test_api_errors_render_as_short_lines_with_hint_and_correlation_id() -> None:
    error = sophos.PermissionDeniedError(
        "GET https://api/x failed: HTTP 403 forbidden: Forbidden.",
        status_code=403,
        correlation_id="corr-1",
    )
    code, out, err = _run(_group_raising(error), "boom")
    assert code == ExitStatus.API_REFUSED
    assert out == ""
    lines = err.strip().splitlines()
    assert lines[0] == "error: GET https://api/x failed: HTTP 403 forbidden: Forbidden."
    assert "hint: check the API credential's role" in lines[1]
    assert "correlation id: corr-1" in lines[1]
    assert "Traceback" not in err


def test_unexpected_errors_exit_1_without_traceback_unless_debug() -> None:
    code, _, err = _run(_group_raising(RuntimeError("kaput")), "boom")
    assert code == ExitStatus.ERROR
    assert "unexpected RuntimeError: kaput" in err
    assert "--debug" in err
    assert "Traceback" not in err
    code, _, err = _run(_group_raising(RuntimeError("kaput")), "--debug", "boom")
    assert code == ExitStatus.ERROR
    assert "Traceback" in err


def test_debug_shows_traceback_for_library_errors() -> None:
    _, _, err = _run(_group_raising(sophos.ServerError("down", status_code=503)), "--debug", "boom")
    assert "Traceback" in err
    assert "error: down" in err


def test_interrupt_exits_130_and_broken_pipe_exits_quietly() -> None:
    code, _, err = _run(_group_raising(KeyboardInterrupt()), "boom")
    assert code == ExitStatus.INTERRUPTED
    assert "interrupted" in err
    code, _, err = _run(_group_raising(BrokenPipeError()), "boom")
    assert code == ExitStatus.SUCCESS


def test_ctx_exit_codes_are_kept() -> None:
    @click.group()
    def root() -> None:
        pass

    @root.command()
    @click.pass_context
    def leave(ctx: click.Context) -> None:
        ctx.exit(6)

    assert _run(root, "leave")[0] == 6


def test_usage_errors_exit_2() -> None:
    code, _, err = _run(_group_raising(click.BadParameter("nope", param_hint="--x")), "boom")
    assert code == ExitStatus.USAGE
    assert "nope" in err
    code, _, _ = _run(_group_raising(RuntimeError()), "no-such-command")
    assert code == ExitStatus.USAGE


def test_root_refuses_tenant_with_all_tenants(cli_run: object) -> None:
    result = cli_run("--tenant", "x", "--all-tenants", "config", "show")  # type: ignore[operator]
    assert result.exit_code == 2
    assert "--tenant and --all-tenants" in result.stderr


# --- safety rails -------------------------------------------------------------------------------


def test_confirmation_rules() -> None:
    with pytest.raises(ConfirmationRefused, match="pass --yes"):
        Safety(yes=False, dry_run=False).confirm("scan 2 endpoints", stdin_is_terminal=False)
    Safety(yes=True, dry_run=False).confirm("scan 2 endpoints", stdin_is_terminal=False)
    Safety(yes=False, dry_run=True).confirm("scan 2 endpoints", stdin_is_terminal=False)


def _confirming_command() -> click.Command:
    @click.command()
    @state_changing
    def act(safety: Safety) -> None:
        safety.confirm("delete 1 thing", stdin_is_terminal=True)
        click.echo("done" if not safety.dry_run else "dry")

    return act


def test_interactive_confirmation_yes_and_no() -> None:
    runner = CliRunner()
    yes = runner.invoke(_confirming_command(), [], input="y\n")
    assert yes.exit_code == 0
    assert "Delete 1 thing?" in yes.stderr
    assert "done" in yes.stdout
    no = runner.invoke(_confirming_command(), [], input="n\n")
    assert no.exit_code == 2
    assert "cancelled" in no.stderr
    assert "done" not in no.stdout
    dry = runner.invoke(_confirming_command(), ["--dry-run"])
    assert dry.stdout.strip() == "dry"


# --- ids ----------------------------------------------------------------------------------------


def test_ids_from_arguments_stdin_and_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO("a\nb c\n\nd,e\n"))
    ids_file = tmp_path / "ids.txt"
    ids_file.write_text("f\ng\n")
    assert list(iter_ids(["x", "-", f"@{ids_file}"])) == ["x", "a", "b", "c", "d", "e", "f", "g"]
    with pytest.raises(click.BadParameter, match="cannot read ids"):
        list(iter_ids([f"@{tmp_path / 'missing'}"]))


# --- debug logging ------------------------------------------------------------------------------


def test_debug_log_filter_redacts_tokens_and_secrets() -> None:
    record = logging.LogRecord(
        "pysophoscentralapi", logging.DEBUG, "f", 1,
        "headers Bearer abc.def-ghi client_secret=hunter2&x=1 password: 123456789012", None, None,
    )  # fmt: skip
    _RedactingFilter().filter(record)
    message = record.getMessage()
    assert "abc.def-ghi" not in message
    assert "hunter2" not in message
    assert "123456789012" not in message
    assert message.count("[REDACTED]") == 3


# --- start-up -----------------------------------------------------------------------------------


def test_help_lists_every_command_without_importing_them() -> None:
    code = (
        "import sys; from pysophoscentralapi.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('httpx', 'pydantic', 'rich', 'pysophoscentralapi.cli.commands.endpoint') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    for name in ("config", "endpoint", "alerts", "tenants", "admins", "roles", "users", "emulator"):
        assert f"  {name}" in out
    assert "HEAVY []" in out


def test_python_dash_m_runs_the_cli() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pysophoscentralapi", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.startswith("pysophos ")
