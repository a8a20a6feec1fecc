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

## Commands with several targets: result rows and the exit-code rule

Every state-changing command that takes several targets (`endpoint scan`, `update-check`,
`isolate`, `unisolate`, `delete`, `endpoint tamper update`, `alerts action`, `admins delete`,
`roles delete`, `users delete`, `users groups delete`, `users groups add-members`) attempts every
target and every batch whatever an earlier one answered, and prints **one row per target** as soon
as its outcome is known, flushed row by row in every format (`--output-file` is written in place,
so an interrupted run keeps the record of what was sent):

| field | |
| --- | --- |
| `id` | the target |
| `name` | a hostname, an alert description... where the command knows one (else empty) |
| `status` | `ok`; `not-found` (404); `refused` (400, 403, 409...); `failed` (not done: 429, network, 5xx to a read); `unknown` (may have been applied: a 5xx answer to the change, or the answer lost in flight) |
| `error` | the API's message, for any status but `ok` |
| `request_id` | the API's request id (or correlation id), to quote to Sophos support |

Command-specific fields follow (`scanId`, `isolation.enabled`, `enabled`...). A summary goes to
stderr, e.g. `isolated 3 of 1003; 1000 not found`. The exit code is that of the **worst** outcome,
the same for every command: 0 only when every target is `ok`; 4 when any is `refused` or
`not-found`; 5 when any is `failed` or `unknown`; 6 when, under `--all-tenants`, a whole tenant
failed; 130 on Ctrl-C, after the rows of the targets done were written. `--dry-run` prints the
requests instead of rows and exits 0.

## `--all-tenants` listings

Each tenant's rows are spooled to a temporary file and written only once the tenant completed, in
the order of the tenants list whatever order they finish in: a tenant that fails leaves no partial
rows, and two runs over the same data give the same bytes. `--limit N` means N rows **per
tenant**. A tenant without `apiHost` (not activated yet) is skipped with `tenant skipped: ...` on
stderr, not failed: the run exits 0 if nothing else went wrong. `--summary FILE` writes a JSON
summary: per tenant `id`, `name`, `status` (`ok`, `failed`, `skipped`), `rows` written and `error`.
An unknown `--tenant`, `--exclude-tenant` or `--tenants-file` id or name is a usage error naming
the closest ones.

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
