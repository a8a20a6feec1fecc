"""Start-up: every kind of ``--help`` (root, every group however deep, a leaf of each group),
``--version`` and the library's import, each against bare ``python -c pass`` in the same rounds.

A command's help reads only click and the command table: the HTTP client and the models are
imported when a command runs (``tests/cli/test_help_imports.py`` keeps every help path so).
"""

from __future__ import annotations

import statistics
import sys

import click

from bench._harness import Figure, pysophos, run_child_measured
from pysophoscentralapi.cli import LAZY_COMMANDS, cli

HELP_TARGET = 6.0
#: ``import pysophoscentralapi`` may cost at most this much more than bare Python.
IMPORT_BUDGET = 0.100


def _first_leaf(group: click.Group, ctx: click.Context, path: list[str]) -> list[str]:
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if isinstance(command, click.Group):
            return _first_leaf(command, click.Context(command, parent=ctx), [*path, name])
        if command is not None:
            return [*path, name]
    return path


def _group_paths(
    group: click.Group, ctx: click.Context, path: list[str], deep: bool
) -> list[list[str]]:
    """``path`` (a group) and its first leaf command; when ``deep``, the same for every one of
    its sub-groups, however deep."""
    paths = [path, _first_leaf(group, ctx, path)]
    if deep:
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            if isinstance(command, click.Group):
                sub_ctx = click.Context(command, parent=ctx, info_name=name)
                paths += _group_paths(command, sub_ctx, [*path, name], deep)
    return paths


def help_paths(quick: bool) -> list[list[str]]:
    """Root, every top-level command, and for each group its first leaf command; unless quick,
    also every sub-group (however deep) and its first leaf, so the whole tree stays covered as
    it grows."""
    root = click.Context(cli, info_name="pysophos")
    paths: list[list[str]] = [[]]
    for name in sorted(LAZY_COMMANDS):
        command = cli.get_command(root, name)
        if isinstance(command, click.Group):
            ctx = click.Context(command, parent=root, info_name=name)
            paths += _group_paths(command, ctx, [name], deep=not quick)
        else:
            paths.append([name])
    return [list(path) for path in dict.fromkeys(tuple(path) for path in paths)]


def _compile_bytecode() -> None:
    """Byte-compile the package as an install does (pip writes ``.pyc`` files): a checkout run
    with ``PYTHONDONTWRITEBYTECODE=1`` would otherwise compile every module on every start, a
    cost no installed copy pays."""
    import compileall
    from pathlib import Path

    import pysophoscentralapi

    compileall.compile_dir(Path(pysophoscentralapi.__file__).parent, quiet=1)


def run(quick: bool) -> list[Figure]:
    rounds = 5 if quick else 9
    _compile_bytecode()
    python = [sys.executable]
    commands: dict[str, list[str]] = {
        "bare": [*python, "-c", "pass"],
        "import pysophoscentralapi": [*python, "-c", "import pysophoscentralapi"],
        "from pysophoscentralapi import SophosCentral": [
            *python,
            "-c",
            "from pysophoscentralapi import SophosCentral",
        ],
        "pysophos --version": pysophos("--version"),
    }
    for path in help_paths(quick):
        commands[" ".join(["pysophos", *path, "--help"])] = pysophos(*path, "--help")
    walls: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(rounds):  # interleaved: load on the machine falls on every command alike
        for name, argv in commands.items():
            wall, cpu, _ = run_child_measured(argv)
            walls[name].append(wall)
            cpus[name].append(cpu)
    # Judged on the children's CPU time (user + system, from wait4), which a busy machine does
    # not inflate the way it does wall time; the wall-time ratio is shown beside it.
    median = {name: statistics.median(values) for name, values in cpus.items()}
    wall_median = {name: statistics.median(values) for name, values in walls.items()}
    base = median.pop("bare")
    figures = []
    import_limit = (base + IMPORT_BUDGET) / base
    for name, seconds in median.items():
        ratio = seconds / base
        if name == "import pysophoscentralapi":
            target, limit = (
                f"<= {IMPORT_BUDGET * 1000:.0f} ms more (<= {import_limit:.1f}x)",
                import_limit,
            )
        elif name.startswith("from "):
            target, limit = "reported", None
        else:
            target, limit = f"<= {HELP_TARGET:g}x", HELP_TARGET
        figures.append(
            Figure(
                f"startup: `{name}` vs `python -c pass`",
                f"CPU {seconds * 1000:.0f} ms vs {base * 1000:.0f} ms "
                f"(wall {wall_median[name] * 1000:.0f} ms vs {wall_median['bare'] * 1000:.0f} ms, "
                f"x{wall_median[name] / wall_median['bare']:.1f})",
                ratio,
                target,
                limit is None or ratio <= limit,
                limit,
            )
        )
    return figures
