"""Every command's ``--help`` stays fast: it must not import the HTTP client or the models.

Each top-level command's whole subtree (the group and every sub-command, however deep) prints
its help in a fresh interpreter, which then reports what got imported. Commands added later are
walked too, so the guarantee holds as the tree grows.
"""

from __future__ import annotations

import json
import subprocess
import sys

import click
import pytest

from pysophoscentralapi.cli import LAZY_COMMANDS

#: Modules that make a help text slow and that no help path needs: httpx (which imports its own
#: command line: rich, pygments), pydantic and the models (commands name their model as
#: ``"module:Name"``; the enums that ``--help`` lists come from ``pysophoscentralapi._enums``),
#: the clients built on them, rich; the retry policy (and ``random``) that only a failed request
#: or a result row's outcome needs; the TOML reader and writer that only reading or editing the
#: config file needs; pathlib (which imports urllib.parse and more: a path option's value becomes
#: a Path by ``cli._params.as_path``), the SIEM loop's queue, the routing module (``config``'s
#: ``--region`` choices come from ``_regions``), the run-polling module (its dataclass; the
#: hunting commands' ``--timeout`` default is in ``_timeparams``).
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
    "pathlib",
    "urllib.parse",
    "queue",
    "pysophoscentralapi._routing",
    "pysophoscentralapi._polling",
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


def test_a_lazy_sub_command_is_listed_with_the_summary_its_help_starts_with() -> None:
    from pysophoscentralapi.cli._lazy import LazySubcommands
    from pysophoscentralapi.cli.commands.endpoint import LAZY_SUBGROUPS, OWN_COMMANDS, endpoint
    from pysophoscentralapi.cli.commands.endpoint_settings import (
        HAND_WRITTEN_COMMANDS,
        HAND_WRITTEN_GROUPS,
        settings,
    )

    tables = [(endpoint, {**OWN_COMMANDS, **LAZY_SUBGROUPS}), (settings, HAND_WRITTEN_GROUPS)]
    ctx = click.Context(settings, info_name="settings")
    for name, commands in HAND_WRITTEN_COMMANDS.items():
        group = settings.get_command(ctx, name)
        assert isinstance(group, click.Group)
        tables.append((group, commands))
    for group, lazy in tables:
        assert isinstance(group, LazySubcommands)
        _check_summaries(group, lazy)


def _check_summaries(group: click.Group, lazy: dict[str, tuple[str, str, str]]) -> None:
    ctx = click.Context(group, info_name=group.name)
    for name, (_, _, summary) in lazy.items():
        command = group.get_command(ctx, name)
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


def test_collection_groups_build_a_command_when_it_is_looked_up() -> None:
    import click

    from pysophoscentralapi._families.endpoint_settings import ALLOWED_ITEMS
    from pysophoscentralapi.cli._collection import collection_group
    from pysophoscentralapi.cli._lazy import LazySubcommands
    from pysophoscentralapi.cli.commands.endpoint_settings import settings

    ctx = click.Context(settings, info_name="settings")
    assert isinstance(settings.get_command(ctx, "allowed-items"), LazySubcommands)
    group = collection_group(ALLOWED_ITEMS)  # a fresh one: other tests run the shared one
    assert group.commands == {}
    group_ctx = click.Context(group, parent=ctx, info_name="allowed-items")
    assert group.list_commands(group_ctx) == ["add", "delete", "get", "list", "update"]
    assert group.commands == {}  # listing (the group's --help) builds none
    assert group.get_command(group_ctx, "add") is not None
    assert list(group.commands) == ["add"]


#: Help paths and modules they must not import: what only a sibling command, another API area or
#: a run (not its help) needs.
_NOT_IMPORTED = {
    ("endpoint", "settings"): (
        "pysophoscentralapi.cli.commands.endpoint_commands",  # endpoint list, get, scan...
        "pysophoscentralapi.cli.commands.endpoint_settings_commands",  # its hand-written ones
        "pysophoscentralapi._enums.endpoints",
        "pysophoscentralapi._paging",
        "pysophoscentralapi.cli._tenants",
        "shutil",  # click's formatter measures the terminal with it: cli.help_width does
    ),
    ("endpoint", "policies"): ("pysophoscentralapi.cli.commands.endpoint_commands",),
    ("alerts", "list"): (
        "pysophoscentralapi._enums.endpoints",
        "pysophoscentralapi._paging",
        "pysophoscentralapi.cli._tenants",
        "traceback",  # only --debug prints one
    ),
    ("api",): ("pysophoscentralapi._routing",),
}


@pytest.mark.parametrize("path", sorted(_NOT_IMPORTED))
def test_a_help_text_imports_only_what_its_own_command_needs(path: tuple[str, ...]) -> None:
    code = (
        "import contextlib, io, json, sys\n"
        "from pysophoscentralapi.cli import cli\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    cli.main([*sys.argv[1:], '--help'], prog_name='pysophos', standalone_mode=False)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, *path], capture_output=True, text=True, check=True
    )
    loaded = set(json.loads(result.stdout.strip().splitlines()[-1]))
    assert loaded.isdisjoint(_NOT_IMPORTED[path]), sorted(loaded & set(_NOT_IMPORTED[path]))


def test_the_role_groups_build_their_commands_when_first_used() -> None:
    # admins and partner import the roles module for its helpers: their help builds no role command
    from pysophoscentralapi.cli._lazy import DeferredGroup
    from pysophoscentralapi.cli.commands.partner import roles as partner_roles
    from pysophoscentralapi.cli.commands.roles import roles

    assert isinstance(roles, DeferredGroup)
    assert isinstance(partner_roles, DeferredGroup)


@pytest.mark.parametrize("columns", [None, "40", "99", "100", "150", "0", "wide"])
def test_the_help_width_is_the_one_click_would_measure(
    monkeypatch: pytest.MonkeyPatch, columns: str | None
) -> None:
    import shutil

    from pysophoscentralapi.cli import help_width

    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    clicks = max(min(shutil.get_terminal_size().columns, 100) - 2, 50)
    assert help_width(100) == clicks
