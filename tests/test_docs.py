"""The documentation stays true to the code.

- ``docs/cli.md`` is what ``scripts/gen_cli_docs.py`` generates from the commands' help.
- Every ```` ```python ```` block of the pages below runs against a fresh emulator: with tenant
  credentials in the environment, or partner ones when the block starts with ``# partner``.
  Blocks defining ``test_*`` functions are run as tests, given the ``make_emulator`` and
  ``tmp_path`` fixtures they ask for.
"""

from __future__ import annotations

import inspect
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES_WITH_CODE = ("library.md", "emulator.md", "siem.md", "partners.md", "api.md")
_BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


def test_cli_reference_is_up_to_date() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_cli_docs.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def _blocks() -> list[Any]:
    params = []
    for page in PAGES_WITH_CODE:
        text = (DOCS / page).read_text()
        for number, match in enumerate(_BLOCK.finditer(text), start=1):
            line = text.count("\n", 0, match.start()) + 2
            params.append(pytest.param(match.group(1), id=f"{page}:{line}#{number}"))
    return params


def test_pages_have_examples() -> None:
    assert len(_blocks()) >= 10


@pytest.mark.parametrize("code", _blocks())
def test_python_example_runs(
    code: str,
    isolated_env: dict[str, str],
    make_emulator: Callable[..., Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    emu = make_emulator(endpoints=30, endpoints_per_tenant=5)
    kind = "partner" if code.startswith("# partner") else "tenant"
    for name, value in emu.env(kind).items():
        monkeypatch.setenv(name, value)
    namespace: dict[str, Any] = {"__name__": "docs_example"}
    exec(compile(code, "<docs example>", "exec"), namespace)
    fixtures = {"make_emulator": make_emulator, "tmp_path": tmp_path}
    for name, value in list(namespace.items()):
        if name.startswith("test_") and callable(value):
            wanted = inspect.signature(value).parameters
            value(**{arg: fixtures[arg] for arg in wanted})
    capsys.readouterr()  # the examples print; their output is not checked here


def test_every_command_help_has_an_example() -> None:
    import click

    from pysophoscentralapi.cli import cli

    def walk(command: click.Command, ctx: click.Context) -> list[tuple[str, str]]:
        found = [(ctx.command_path, command.get_help(ctx))]
        if isinstance(command, click.Group):
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                assert sub is not None
                found += walk(sub, click.Context(sub, info_name=name, parent=ctx))
        return found

    helps = walk(cli, click.Context(cli, info_name="pysophos"))
    assert len(helps) > 60
    missing = [path for path, text in helps if "Example" not in text and "example" not in text]
    assert missing == []
