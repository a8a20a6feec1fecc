"""What a person sees: --fields from the schema, CSV for shells, records, global options."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import Cli


def test_fields_are_checked_against_the_model_not_the_rows(emulator_cli: Cli) -> None:
    # no server has an associated person: an empty cell, not an error
    result = emulator_cli(
        "endpoint", "list", "--type", "server", "--fields", "hostname,associatedPerson.name",
        "-o", "csv",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "hostname,associatedPerson.name"
    assert all(line.endswith(",") for line in lines[1:])


def test_a_field_of_a_richer_view_says_which_view(
    emulator_cli: Cli, sophos_emulator: object
) -> None:
    result = emulator_cli("endpoint", "list", "--fields", "id,serialNumber")
    assert result.exit_code == 2
    assert "--view full" in result.stderr
    assert (
        emulator_cli(
            "endpoint", "list", "--view", "full", "--fields", "serialNumber", "--limit", "1"
        ).exit_code
        == 0
    )


def test_unknown_fields_fail_before_any_request_with_close_matches(emulator_cli: Cli) -> None:
    result = emulator_cli("endpoint", "list", "--fields", "hostnme")
    assert result.exit_code == 2
    assert "did you mean: hostname" in result.stderr


def test_csv_lines_end_with_lf_and_crlf_on_request(emulator_cli: Cli) -> None:
    plain = emulator_cli("admins", "list", "-o", "csv", "--no-headers", "--fields", "id")
    assert plain.exit_code == 0, plain.stderr
    assert "\r" not in plain.stdout
    crlf = emulator_cli("admins", "list", "-o", "csv", "--crlf", "--fields", "id")
    assert crlf.stdout_bytes.endswith(b"\r\n")
    assert b"\r" not in plain.stdout_bytes


def test_csv_without_rows_still_has_its_header(emulator_cli: Cli) -> None:
    result = emulator_cli("endpoint", "list", "--hostname-contains", "NO-SUCH-HOST", "-o", "csv")
    assert result.exit_code == 0, result.stderr
    header = result.stdout.splitlines()
    assert len(header) == 1
    assert header[0].startswith("id,type,tenant.id,hostname,health.overall")
    assert "_extra" not in header[0]


def test_an_empty_table_says_no_rows_on_stderr(emulator_cli: Cli) -> None:
    result = emulator_cli("endpoint", "list", "--hostname-contains", "NO-SUCH-HOST", "-o", "table")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "No rows." in result.stderr


def test_get_is_one_object_even_with_fields(emulator_cli: Cli) -> None:
    listed = json.loads(emulator_cli("endpoint", "list", "--limit", "1", "-o", "json").stdout)
    result = emulator_cli(
        "endpoint", "get", listed[0]["id"], "-o", "json", "--fields", "id,isolation"
    )
    assert result.exit_code == 0, result.stderr
    assert set(json.loads(result.stdout)) == {"id", "isolation"}
    table = emulator_cli("endpoint", "get", listed[0]["id"], "-o", "table")
    assert "  overall" in table.stdout  # nested fields indented under their object


#: command groups not yet converted to @record_options, with the reason
RECORD_OPTIONS_PENDING = {
    ("endpoint", "settings"): "issue 16's declared settings commands",
    ("endpoint", "tamper", "update"): "issue 12: one result row per target",
    ("endpoint", "aap"): "added by issue 16, not converted yet",
    ("endpoint", "groups"): "added by issue 16, not converted yet",
    ("endpoint", "policies"): "added by issue 16, not converted yet",
    ("endpoint", "software"): "added by issue 16, not converted yet",
}


def _record_commands() -> list[tuple[str, ...]]:
    import click

    from pysophoscentralapi.cli import cli

    found: list[tuple[str, ...]] = []

    def walk(command: click.Command, path: tuple[str, ...]) -> None:
        if isinstance(command, click.Group):
            ctx = click.Context(command)
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                if sub is not None:
                    walk(sub, (*path, name))
        elif path[-1] in ("get", "create", "update") and not any(
            path[: len(prefix)] == prefix for prefix in RECORD_OPTIONS_PENDING
        ):
            found.append(path)

    walk(cli, ())
    return found


def test_record_commands_offer_no_listing_options() -> None:
    from pysophoscentralapi.cli import cli

    commands = _record_commands()
    assert ("endpoint", "get") in commands
    for path in commands:
        command: Any = cli
        for name in path:
            command = command.get_command(None, name)
        options = {opt for param in command.params for opt in param.opts}
        assert not {"--limit", "--sort", "--count-by", "--wide"} & options, path


def test_global_options_after_the_subcommand(emulator_cli: Cli) -> None:
    result = emulator_cli(
        "endpoint", "list", "--limit", "1", "--debug", "--no-color", "--timeout", "7"
    )
    assert result.exit_code == 0, result.stderr
    assert "debug: GET" in result.stderr


def test_timeout_option_overrides_the_environment(emulator_cli: Cli) -> None:
    result = emulator_cli(
        "config", "show", "-o", "json", "--timeout", "7", env={"SOPHOS_TIMEOUT": "50"}
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["settings"]["timeout"]["value"] == 7


def test_emulator_tenants_list_uses_partner_credentials(cli_run: Cli) -> None:
    result = cli_run("--emulator", "tenants", "list", "-o", "json")
    assert result.exit_code == 0, result.stderr
    assert any(row["name"] == "Acme Corp" for row in json.loads(result.stdout))
