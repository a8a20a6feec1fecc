"""Generate docs/cli.md, the CLI reference, from the commands' own help.

python scripts/gen_cli_docs.py > docs/cli.md
python scripts/gen_cli_docs.py --check     # exit 1 when docs/cli.md is stale
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from pysophoscentralapi.cli import cli

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "cli.md"

PREAMBLE = """\
# `pysophos` command reference

Generated from the commands' `--help` by `scripts/gen_cli_docs.py` (`make docs-cli`); do not edit.

Exit codes: 0 success, 1 unexpected error, 2 usage error or confirmation refused, 3 configuration
or authentication error, 4 the API refused the request (400/403/404/409/422), 5 the API or network
is unavailable (5xx, timeouts, rate limit not cleared by retries), 6 some tenants failed under
`--all-tenants`, 130 interrupted.

Shell completion (click's own): add one line to your shell's start-up file:

```sh
eval "$(_PYSOPHOS_COMPLETE=bash_source pysophos)"     # ~/.bashrc
eval "$(_PYSOPHOS_COMPLETE=zsh_source pysophos)"      # ~/.zshrc
_PYSOPHOS_COMPLETE=fish_source pysophos | source      # ~/.config/fish/completions/pysophos.fish
```
"""


def walk(
    command: click.Command, path: list[str], ctx: click.Context
) -> Iterator[tuple[list[str], click.Command, click.Context]]:
    yield path, command, ctx
    if isinstance(command, click.Group):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                yield from walk(sub, [*path, name], click.Context(sub, info_name=name, parent=ctx))


def render() -> str:
    root_ctx = click.Context(cli, info_name="pysophos", terminal_width=100, max_content_width=100)
    parts = [PREAMBLE]
    for path, command, ctx in walk(cli, ["pysophos"], root_ctx):
        heading = "#" * min(len(path) + 1, 4)
        parts.append(
            f"\n{heading} `{' '.join(path)}`\n\n```\n{command.get_help(ctx).rstrip()}\n```\n"
        )
    return "".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--check", action="store_true", help="fail when docs/cli.md is stale")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        if not DOC.exists() or DOC.read_text() != text:
            print("docs/cli.md is stale: run make docs-cli", file=sys.stderr)
            return 1
        return 0
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
