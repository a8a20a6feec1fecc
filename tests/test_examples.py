"""Every documented ``pysophos`` example runs against the emulator and does what it says.

Examples are collected, so new ones (new command groups included) are picked up by themselves:

- from every command's ``--help`` (the lines of its ``Examples:`` block that start with
  ``pysophos``; a trailing description after three spaces or more is dropped, a line ending in
  ``\\`` continues on the next);
- from ``README.md`` and ``docs/*.md`` (not ``docs/cli.md``, generated from the help): lines of
  ``sh``/``bash``/untyped code blocks and inline code spans that start with ``pysophos``
  (optionally after ``VAR=value`` assignments, of which only ``PYSOPHOS_EMULATOR_CREDENTIAL``
  applies here: the others name the reader's own set-up); ``# comments`` are dropped.

Each runs in-process (``run_main``, as the console script) against ONE emulator with the data
``pysophos --emulator`` shows (``--emulator`` itself is dropped: the environment points at the
shared emulator instead, with partner credentials for ``tenants`` commands, ``--tenant`` and
``--all-tenants``, as ``--emulator`` picks them). Rules:

- every example exits 0, or the code its comment documents (``# exit 3``, or ``(exit 3 ...)``
  in a help example's description); ``--all-tenants`` examples exit 6 here, and print the rows
  of the other tenants: the emulator's demo partner has, on purpose, one tenant that refuses
  partner access and one without an ``apiHost`` (docs/emulator.md);
- every listing (``list``, ``search``, ``members``, ``permission-sets``, ``--count-by``) prints
  at least one row (or writes one to its ``--output-file``);
- placeholders (``ID``, ``ID...``, ``GROUP``) and the example UUIDs are replaced by real ids of
  the kind the command (or the option before them: ``--user-id``, ``--role``, ``--tenant``...)
  takes;
- state-changing examples (``--yes``) run with ``--dry-run`` instead, so the emulator stays as
  ``--emulator`` starts it;
- in a pipeline, ``pysophos`` and ``jq`` stages run (the output of one is the input of the next);
  a pipeline stops at any other program;
- examples that cannot run here are listed in :data:`NOT_RUN` with the reason (no silent skips).
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import signal
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import pytest

from pysophoscentralapi.cli import cli
from pysophoscentralapi.cli._context import PARTNER_LEVEL_GROUPS
from pysophoscentralapi.emulator import run_emulator
from tests.conftest import Cli
from tests.integration.conftest import sync_client

ROOT = Path(__file__).resolve().parent.parent
#: commands whose examples are not run here -> why (each is tested elsewhere)
NOT_RUN = {
    ("config", "init"): "asks for a credential on a terminal (tests/cli/test_config_cmd.py)",
    ("emulator", "serve"): "a server that runs until stopped (tests/emulator)",
    ("--follow",): "follows a feed until stopped (tests/integration/test_cli_siem.py)",
}
#: seconds an example may run before it fails (a command that does not end needs a NOT_RUN entry)
EXAMPLE_TIMEOUT = 30
LISTINGS = frozenset({"list", "search", "members", "permission-sets"})
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_PLACEHOLDERS = {"ID", "ID...", "GROUP", "ID|NAME", "USER_ID", "USER_ID..."}
#: text placeholders replaced before the line is split into words
_TEXT_PLACEHOLDERS = {
    "<64 hex>": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
}
_EXIT_NOTE = re.compile(r"(?:#|\()\s*exits?\s+(\d+)")
_OPTION_KINDS = {
    "--user-id": "user",
    "--role": "role",
    "--tenant": "tenant",
    "--exclude-tenant": "tenant",
    "--group": "group",
    "--group-id": "group",
    "--user": "user",
}
_SETTINGS_KINDS = {
    "allowed-items": "allowed-item",
    "blocked-items": "blocked-item",
    "exclusions": "exclusion",
    "web-control": "local-site",
    "blocked-addresses": "blocked-address",
    "detected-exploits": "detected-exploit",
    "exploit-mitigation": "exploit-application",
    "ips-exclusions": "ips-exclusion",
    "isolation-exclusions": "isolation-exclusion",
    "peripherals": "peripheral",
}
#: commands whose positional ids are of different kinds: command words -> the kind of the 1st,
#: 2nd... id (the last repeats: ``migrations send JOB ENDPOINT...``)
_POSITIONAL_KINDS = {
    ("endpoint", "forensic-log", "status"): ("endpoint", "forensic-log-request"),
    ("endpoint", "memory-dump", "status"): ("endpoint", "memory-dump-request"),
    ("endpoint", "migrations", "get"): ("migration",),
    ("endpoint", "migrations", "status"): ("migration",),
    ("endpoint", "migrations", "send"): ("migration", "endpoint"),
    ("endpoint", "software", "packages"): ("package",),
}


@dataclass(frozen=True)
class Example:
    source: str
    line: str
    #: a help example's description (where "(exit N ...)" may be documented)
    note: str = ""


# ------------------------------------------------------------------ collecting


def _help_examples() -> Iterator[Example]:
    def walk(command: click.Command, ctx: click.Context) -> Iterator[Example]:
        lines = (command.help or "").splitlines()
        inside = False
        pending = ""
        for raw in lines:
            stripped = raw.strip()
            if stripped == "Examples:":
                inside = True
                continue
            if not inside or not stripped or stripped == "\b":
                continue
            text = pending + stripped
            if text.endswith("\\"):
                pending = text[:-1].rstrip() + " "
                continue
            pending = ""
            if text.startswith("pysophos"):
                command_line, *note = re.split(r"\s{3,}", text, maxsplit=1)
                yield Example(ctx.command_path, command_line, "".join(note))
        if isinstance(command, click.Group):
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                if sub is not None:
                    yield from walk(sub, click.Context(sub, info_name=name, parent=ctx))

    yield from walk(cli, click.Context(cli, info_name="pysophos"))


_COMMAND_LINE = re.compile(r"^(?:[A-Z_]+=\S+\s+)*pysophos(?:\s|$)")


def _doc_examples() -> Iterator[Example]:
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    block = re.compile(r"^```(?:sh|bash|console)?\n(.*?)^```", re.DOTALL | re.MULTILINE)
    for page in pages:
        if page.name == "cli.md":
            continue
        text = page.read_text()
        name = page.relative_to(ROOT).as_posix()
        for match in block.finditer(text):
            joined = re.sub(r"\\\n\s*", " ", match.group(1))  # continued lines
            for raw in joined.splitlines():
                line = raw.strip().removeprefix("$ ")
                if _COMMAND_LINE.match(line):
                    yield Example(name, line)
        prose = block.sub("", text)
        for span in re.findall(r"`([^`\n]+)`", prose):
            # a span is an example when it names a command and has no syntax placeholders
            # (`pysophos config set KEY VALUE` describes a form; `... ID...` is filled in)
            words = span.split()[1:]
            placeholders = [w for w in words if w.isupper() and w not in _PLACEHOLDERS]
            # ... and names a command, not a group (`pysophos siem` names the group)
            if _COMMAND_LINE.match(span) and not placeholders and _names_a_command(words):
                yield Example(name, span)


def _names_a_command(words: list[str]) -> bool:
    command: click.Command = cli
    ctx = click.Context(cli)
    for word in (w for w in words if not w.startswith("-")):
        if not isinstance(command, click.Group):
            return True
        found = command.get_command(ctx, word)
        if found is None:
            return False
        command = found
    return not isinstance(command, click.Group)


def _examples() -> list[Any]:
    seen: set[str] = set()
    params = []
    for example in [*_help_examples(), *_doc_examples()]:
        if example.line in seen:
            continue
        seen.add(example.line)
        words = example.line.split()
        reason = next(
            (
                why
                for command, why in NOT_RUN.items()
                if any(tuple(words[i : i + len(command)]) == command for i in range(len(words)))
            ),
            None,
        )
        marks = [pytest.mark.skip(reason=f"not run: {reason}")] if reason else []
        params.append(
            pytest.param(example, id=f"{example.source}: {example.line[:70]}", marks=marks)
        )
    return params


def test_examples_are_found() -> None:
    examples = _examples()
    sources = {p.values[0].source.split(" ")[0] for p in examples}
    assert len(examples) >= 80
    assert {"README.md", "docs/getting-started.md", "pysophos"} <= sources


# ------------------------------------------------------------------ running


@pytest.fixture(scope="module")
def emulator() -> Iterator[Any]:
    with run_emulator() as server:
        yield server


@pytest.fixture(scope="module")
def real_ids(emulator: Any) -> dict[str, str]:
    with sync_client(emulator) as central:
        admin_users = {u.id for a in central.admins.list() for u in a.users}
        alerts = list(central.alerts.list())
        ids = {
            "endpoint": central.endpoints.list().first_page().items[0].id,
            "alert": alerts[0].id,
            "admin": central.admins.list().first_page().items[0].id,
            "user": next(
                u.id
                for u in central.users.list()
                if u.id not in admin_users and u.groups is not None and u.groups.total
            ),
            "group": central.users.groups.list().first_page().items[0].id,
            "role": next(r.id for r in central.roles.list() if r.name == "Help Desk"),
        }
        for alert in reversed(alerts):  # an alert that allows the action an example names
            ids.update({f"alert:{action}": alert.id for action in alert.allowed_actions})
        settings = central.settings
        for kind, listing in (
            ("allowed-item", settings.allowed_items.list()),
            ("blocked-item", settings.blocked_items.list()),
            ("exclusion", settings.scanning_exclusions.list()),
            ("local-site", settings.web_control.local_sites.list()),
            ("blocked-address", settings.blocked_addresses.list()),
            ("detected-exploit", settings.exploit_mitigation.detected_exploits.list()),
            ("exploit-application", settings.exploit_mitigation.applications.list()),
            ("ips-exclusion", settings.intrusion_prevention_exclusions.list()),
            ("isolation-exclusion", settings.isolation_exclusions.list()),
            ("peripheral", settings.peripherals.list()),
            ("package", central.software.static_packages.list()),
        ):
            first = next(iter(listing), None)
            if first is not None:
                ids[kind] = first.id
        # the ids a user has from an earlier step: the request `collect|generate` answered, the
        # job `migrations receive` started (the status/get examples follow them)
        endpoint = ids["endpoint"]
        ids["forensic-log-request"] = central.endpoints.forensic_logs.collect(endpoint).id
        ids["memory-dump-request"] = central.endpoints.memory_dumps.generate(endpoint, pid=1).id
    with sync_client(emulator, "partner") as partner:
        ids["tenant"] = partner.tenants.list().first_page().items[0].id
        admin = partner.partner.admins.list().first_page().items[0]
        ids["partner-admin"] = admin.id
        ids["partner-assignment"] = next(iter(partner.partner.admins.role_assignments(admin.id))).id
        partner_roles = list(partner.partner.roles.list())
        custom = [r for r in partner_roles if r.type == "custom"]
        ids["partner-role"] = (custom or partner_roles)[0].id
        tenants = list(partner.tenants.list())
    with sync_client(emulator) as central:  # the tenant credential's tenant receives a job
        own = central.whoami().id
        sender = next(t.id for t in tenants if t.id != own)
        job = central.migrations.receive(from_tenant=sender, endpoint_ids=[ids["endpoint"]])
        ids["migration"] = job.id
    return ids


def _kind(words: list[str]) -> str | None:
    if words[:2] == ["users", "groups"]:
        return "group"
    if words[:2] == ["endpoint", "settings"]:
        return _SETTINGS_KINDS.get(words[2] if len(words) > 2 else "")
    if words[:1] == ["partner"] and len(words) > 1:
        return {"admins": "partner-admin", "roles": "partner-role"}.get(words[1])
    if words[:2] == ["alerts", "action"] and len(words) > 3:
        return f"alert:{words[3]}"
    return {
        "endpoint": "endpoint",
        "alerts": "alert",
        "admins": "admin",
        "users": "user",
        "roles": "role",
        "tenants": "tenant",
    }.get(words[0] if words else "")


def _prepare(args: list[str], ids: dict[str, str]) -> tuple[list[str], str]:
    """The arguments to run (ids filled in, --yes as --dry-run, no --emulator) and the
    credential kind."""
    args = [a for a in args if a != "--emulator"]
    if _asks_to_confirm(args) and not {"--yes", "--dry-run"} & set(args):
        args.append("--dry-run")  # it would ask on a terminal
    words = [a for a in args if not a.startswith("-")]
    kind = _kind(words)
    prepared: list[str] = []
    seen_id = False
    positional = next(
        (kinds for command, kinds in _POSITIONAL_KINDS.items() if tuple(words[:3]) == command), ()
    )
    ids_seen = 0
    for index, arg in enumerate(args):
        before = args[index - 1] if index else ""
        wanted = _OPTION_KINDS.get(before, kind)
        if wanted == "partner-admin" and before not in _OPTION_KINDS and _UUID.fullmatch(arg):
            # `partner admins role-assignments|unassign ADMIN ASSIGNMENT`
            wanted, seen_id = ("partner-assignment" if seen_id else wanted), True
        if (
            positional
            and before not in _OPTION_KINDS
            and (arg in _PLACEHOLDERS or _UUID.fullmatch(arg))
        ):
            wanted = positional[min(ids_seen, len(positional) - 1)]
            ids_seen += 1
        filled = (
            ids[wanted] if (arg in _PLACEHOLDERS or _UUID.fullmatch(arg)) and wanted in ids else arg
        )
        prepared.append("--dry-run" if filled == "--yes" else filled)
    partner = any(a in ("--tenant", "--all-tenants") for a in args) or (
        bool(words) and words[0] in PARTNER_LEVEL_GROUPS
    )
    return prepared, "partner" if partner else "tenant"


def _write_named_files(args: list[str], ids: dict[str, str], env: dict[str, str]) -> None:
    """Files an example reads: ``@ids.txt`` (ids of the command's kind, in the current
    directory) and the profile of ``--profile NAME`` (in the config file)."""
    words = [a for a in args if not a.startswith("-")]
    for arg in args:
        if arg.startswith("@") and len(arg) > 1:
            kind = _kind(words)
            Path(arg[1:]).write_text((ids.get(kind, "") if kind else "") + "\n")
    if "--profile" in args:
        name = args[args.index("--profile") + 1]
        config = Path(env["XDG_CONFIG_HOME"]) / "pysophos" / "config.toml"
        config.parent.mkdir(parents=True, exist_ok=True)
        config.write_text(f"[profiles.{name}.api]\ntimeout = 30\n")


def _asks_to_confirm(args: list[str]) -> bool:
    """Whether the command of ``args`` is state-changing (it has ``--dry-run``)."""
    command: click.Command | None = cli
    ctx = click.Context(cli)
    for arg in args:
        if not isinstance(command, click.Group):
            break
        found = command.get_command(ctx, arg)
        if found is not None:
            command = found
    return command is not None and any("--dry-run" in p.opts for p in command.params)


def _has_rows(text: str, args: list[str], file: str | None = None) -> bool:
    """Whether a listing's output holds a row (a CSV header alone is none)."""
    stripped = text.strip()
    if stripped.startswith("["):
        return bool(json.loads(stripped))
    csv = "csv" in args or (file or "").endswith(".csv")
    header = 1 if csv and "--no-headers" not in args else 0
    return len(stripped.splitlines()) > header


@pytest.fixture
def time_limit(example: Example) -> Iterator[None]:
    """The example fails after ``EXAMPLE_TIMEOUT`` seconds instead of hanging the suite."""

    def too_long(signum: int, frame: object) -> None:
        raise AssertionError(f"ran for more than {EXAMPLE_TIMEOUT} s: {example.line}")

    previous = signal.signal(signal.SIGALRM, too_long)
    signal.alarm(EXAMPLE_TIMEOUT)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("example", _examples())
@pytest.mark.usefixtures("time_limit")
def test_example(
    example: Example,
    emulator: Any,
    real_ids: dict[str, str],
    isolated_env: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    note = _EXIT_NOTE.search(f"{example.line} {example.note}")
    expected = int(note.group(1)) if note else 6 if "--all-tenants" in example.line else 0
    line = example.line
    for placeholder, value in _TEXT_PLACEHOLDERS.items():
        line = line.replace(placeholder, value)
    lexer = shlex.shlex(line, posix=True, punctuation_chars="|")
    lexer.whitespace_split = True
    tokens = list(lexer)
    env: dict[str, str] = {}
    while tokens and re.fullmatch(r"[A-Z_]+=\S*", tokens[0]):
        name, _, value = tokens.pop(0).partition("=")
        env[name] = value
    stages: list[list[str]] = [[]]
    for token in tokens:
        if token == "|":
            stages.append([])
        else:
            stages[-1].append(token)
    stdin: str | None = None
    for number, stage in enumerate(stages):
        program, *args = stage
        if program == "jq":
            assert shutil.which("jq"), "jq is needed for this example"
            done = subprocess.run(
                ["jq", *args], input=stdin, capture_output=True, text=True, check=False
            )
            assert done.returncode == 0, done.stderr
            stdin = done.stdout
            continue
        if program != "pysophos":
            break  # another program: the pipeline stops here
        prepared, kind = _prepare(args, real_ids)
        _write_named_files(prepared, real_ids, isolated_env)
        kind = env.get("PYSOPHOS_EMULATOR_CREDENTIAL", kind)
        run = Cli(env={**isolated_env, **emulator.env(kind)})
        result = run(*prepared, input=stdin)
        shown = f"{example.line}\n-> pysophos {shlex.join(prepared)}\n{result.stderr}"
        last = number == len(stages) - 1
        assert result.exit_code == (expected if last else 0), shown
        words = [a for a in prepared if not a.startswith("-")]
        if result.exit_code == 0 and (set(words) & LISTINGS or "--count-by" in prepared):
            if "--output-file" in prepared:
                written = tmp_path / prepared[prepared.index("--output-file") + 1]
                assert written.exists(), shown
                text = written.read_text()
                assert _has_rows(text, prepared, written.name), f"no rows:\n{shown}"
            else:
                assert _has_rows(result.stdout, prepared), f"no rows:\n{shown}"
        stdin = result.stdout
