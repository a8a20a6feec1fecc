"""Every command of the new Endpoint API families has an ``Examples:`` block, and every plain
listing example in them prints rows against the emulator (``pysophos --emulator ...``)."""

from __future__ import annotations

import json
import shlex
from collections.abc import Iterator
from typing import Any

import click
import pytest

from pysophoscentralapi.cli.commands.endpoint import endpoint

FAMILIES = ("groups", "policies", "settings", "migrations", "software", "aap", "forensic-log",
            "memory-dump", "downloads")  # fmt: skip
#: Example words that need something the emulator cannot know (a placeholder, a file, a pipe...).
_NOT_RUNNABLE = ("<", "ID", "@", "|", "--tenant", "--all-tenants", "--output-file", "TOKEN")


def _commands(
    group: click.Command, path: tuple[str, ...]
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    yield path, group
    if isinstance(group, click.Group):
        # Through click's API, not ``group.commands``: deferred and lazy groups fill it on demand.
        ctx = click.Context(group, info_name=path[-1])
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            assert command is not None, (*path, name)
            yield from _commands(command, (*path, name))


def _all() -> list[tuple[tuple[str, ...], click.Command]]:
    found = []
    ctx = click.Context(endpoint, info_name="endpoint")
    for family in FAMILIES:
        command = endpoint.get_command(ctx, family)  # sub-groups are imported when asked for
        assert command is not None, family
        found += list(_commands(command, ("endpoint", family)))
    return found


def _listing_examples() -> list[list[str]]:
    examples = []
    for path, command in _all():
        if path[-1] != "list" and path[-1] not in ("downloads", "members", "recommended"):
            continue
        for line in (command.help or "").split("Examples:")[-1].splitlines():
            text = line.strip()
            if text.startswith("pysophos ") and not any(w in text for w in _NOT_RUNNABLE):
                examples.append(shlex.split(text)[1:])
    return examples


@pytest.mark.parametrize("path", [p for p, _ in _all()], ids=" ".join)
def test_every_command_has_examples(path: tuple[str, ...]) -> None:
    command = dict(_all())[path]
    assert "Examples:" in (command.help or ""), path
    assert " ".join(path[:2]) in (command.help or ""), path


@pytest.mark.parametrize("args", _listing_examples(), ids=" ".join)
def test_listing_examples_print_rows(cli_run: Any, args: list[str]) -> None:
    result = cli_run("--emulator", *args, *([] if "-o" in args else ["-o", "json"]))
    assert result.exit_code == 0, result.stderr
    if "-o" in args:
        assert result.stdout.strip(), args
    else:
        assert json.loads(result.stdout), args
