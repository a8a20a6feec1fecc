"""Every command's ``--help`` stays fast: it must not import the HTTP client or the models.

Each top-level command's whole subtree (the group and every sub-command, however deep) prints
its help in a fresh interpreter, which then reports what got imported. Commands added later are
walked too, so the guarantee holds as the tree grows.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from pysophoscentralapi.cli import LAZY_COMMANDS

#: Modules that make a help text slow and that no help path needs: httpx (which imports its own
#: command line: rich, pygments), pydantic and the models (commands name their model as
#: ``"module:Name"``; the enums that ``--help`` lists come from ``pysophoscentralapi._enums``),
#: the clients built on them, rich; the retry policy (and ``random``) that only a failed request
#: or a result row's outcome needs; the TOML reader and writer that only reading or editing the
#: config file needs.
HEAVY = (
    "httpx",
    "pydantic",
    "pysophoscentralapi.models",
    "pysophoscentralapi._sync",
    "pysophoscentralapi._async",
    "rich",
    "pysophoscentralapi._retry",
    "random",
    "tomlkit",
    "tomllib",
)

_WALK = r"""
import contextlib, io, json, sys
import click
from pysophoscentralapi.cli import cli

heavy = tuple(json.loads(sys.argv[2]))
root = click.Context(cli, info_name="pysophos")

def walk(command, path):
    yield path
    if isinstance(command, click.Group):
        ctx = click.Context(command, parent=root, info_name=path[-1])
        for name in command.list_commands(ctx):
            yield from walk(command.get_command(ctx, name), [*path, name])

walked = []
for path in walk(cli.get_command(root, sys.argv[1]), [sys.argv[1]]):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        cli.main([*path, "--help"], prog_name="pysophos", standalone_mode=False)
    assert "Usage: pysophos " + " ".join(path) in out.getvalue(), out.getvalue()
    walked.append(" ".join(path))
loaded = sorted(m for m in sys.modules if any(m == h or m.startswith(h + ".") for h in heavy))
print(json.dumps({"walked": walked, "loaded": loaded}))
"""


@pytest.mark.parametrize("command", sorted(LAZY_COMMANDS))
def test_no_help_in_the_command_tree_imports_the_client_or_models(command: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", _WALK, command, json.dumps(HEAVY)],
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["walked"][0] == command
    assert report["loaded"] == [], (
        f"`pysophos <cmd> --help` imported {report['loaded'][:5]} (walked {report['walked']}): "
        "import clients and models inside the command functions or under TYPE_CHECKING"
    )


def test_a_lazy_sub_group_is_listed_with_the_summary_its_help_starts_with() -> None:
    import click

    from pysophoscentralapi.cli._lazy import LazySubcommands
    from pysophoscentralapi.cli.commands.endpoint import LAZY_SUBGROUPS, endpoint

    assert isinstance(endpoint, LazySubcommands)
    ctx = click.Context(endpoint, info_name="endpoint")
    for name, (_, _, summary) in LAZY_SUBGROUPS.items():
        command = endpoint.get_command(ctx, name)
        assert command is not None
        assert command.help is not None
        first_paragraph = " ".join(command.help.split("\n\n")[0].split())
        assert first_paragraph.startswith(summary), (name, first_paragraph)


def test_a_deferred_group_builds_its_commands_once_when_first_used_and_keeps_added_ones() -> None:
    import click

    from pysophoscentralapi.cli._lazy import DeferredGroup

    built: list[str] = []

    def populate(group: click.Group) -> None:
        built.append(str(group.name))
        group.add_command(click.Command("list"))

    group = DeferredGroup("allowed-items", help="Allowed items.", populate=populate)
    group.add_command(click.Command("add"))  # a hand-written command, added at import
    assert built == []
    ctx = click.Context(group, info_name="allowed-items")
    assert group.list_commands(ctx) == ["add", "list"]
    assert group.get_command(ctx, "list") is not None
    assert built == ["allowed-items"]


def test_collection_groups_are_deferred() -> None:
    import click

    from pysophoscentralapi.cli._lazy import DeferredGroup
    from pysophoscentralapi.cli.commands.endpoint_settings import settings

    ctx = click.Context(settings, info_name="settings")
    group = settings.get_command(ctx, "allowed-items")
    assert isinstance(group, DeferredGroup)
