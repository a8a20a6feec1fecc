"""No secret leaks: not the client secret, not a token, not a tamper password, not the HEC token.

Every ``pysophos`` command is found by walking the click tree (the root group loads its
sub-commands lazily), then run with ``--debug`` against the emulator: on its success path, with a
bad client secret (exit 3), and with the server failing the command's own requests (exit 5); a
few commands also on 403/404 (exit 4). stdout, stderr and the library's log records are searched
for the client secrets, every token the emulator issued (access and refresh, read from the
emulator as it issues them), every tamper protection password it holds (current and
regenerated), the Splunk HEC token of the environment, and the values of the account access
tokens and endpoint migration tokens it has handed out. A command asked to print one of them
(``endpoint tamper password ID``, ``account tokens create``, ``endpoint migrations receive``)
must print it on stdout, and nowhere else.

A command that is neither in :data:`TABLE` (how to run it; listings come from their help's
examples) nor in :data:`HELP_ONLY` (cannot run here, with the reason) fails the test, so a new
command must be added.
"""

from __future__ import annotations

import json
import logging
import re
import shlex
import threading
import time
import traceback
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import Result

from pysophoscentralapi import (
    APIError,
    AsyncSophosCentral,
    AuthenticationError,
    NotFoundError,
    OutcomeUnknownError,
    ServerError,
    Settings,
    SophosCentral,
    SophosCentralError,
)
from pysophoscentralapi._routing import Scope
from pysophoscentralapi.cli import cli as root
from pysophoscentralapi.emulator import DEMO_CREDENTIALS, EmulatorConfig, run_emulator
from tests.conftest import Cli
from tests.reliability.conftest import TokenRecorder, async_client, sync_client
from tests.test_examples import _help_examples

BAD_SECRET = "wr0ng-S3cret-for-the-hygiene-test"
CONFIG_SECRET = "c0nfig-S3cret-typed-at-init"
HEC_TOKEN = "hec-T0ken-for-the-hygiene-test"  # in every run's environment
MIN_COVERED = 190
FAULT_KINDS = ("500", "502", "503", "drop", "429")

# ------------------------------------------------------------------------------------------------
# the command tree


def walk(command: click.Command, ctx: click.Context, path: tuple[str, ...]) -> Iterator[str]:
    if isinstance(command, click.Group):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            assert sub is not None, f"{' '.join((*path, name))} is listed but cannot be loaded"
            yield from walk(sub, click.Context(sub, parent=ctx, info_name=name), (*path, name))
    else:
        yield " ".join(path)


def discover() -> list[str]:
    return sorted(walk(root, click.Context(root, info_name="pysophos"), ()))


COMMANDS = discover()


@dataclass(frozen=True)
class Case:
    """How to run a command successfully; ``{name}`` placeholders are filled from the emulator."""

    args: tuple[str, ...]
    kind: str = "tenant"  # the emulator credential in the environment
    api: bool = True  # whether it talks to the API (then a bad secret / a fault must fail it)
    input: str | None = None
    exit: int = 0  # the exit code of the "success" run
    fault_path: str = "/v1/"  # requests to fail in the fault run (token and whoami work)
    head: tuple[str, ...] = ()  # global options before the command path (e.g. --tenant)
    #: commands run first (with ``-o json``); the first one's result fills ``{made[...]}``
    prepare: tuple[tuple[str, ...], ...] = ()
    shows: str = ""  # the one kind of secret this command is asked to print on stdout
    later: float = 0.0  # after preparing, move the emulator's run clock this far (finish runs)


def case(*args: str, **options: Any) -> Case:
    return Case(args, **options)


def partner(*args: str, **options: Any) -> Case:
    return Case(args, kind="partner", **options)


YES = "--yes"
SHA = "a" * 64

#: command path -> a successful run. Ids come from the emulator (see ``ids``).
TABLE: dict[str, Case] = {
    "admins create": case("--user-id", "{free_user}", "--role", "{role}", YES),
    "admins delete": case("{admin}", YES),
    "admins get": case("{admin}"),
    "admins list": case(),
    "admins update": case("{admin}", "--role", "{role}", YES),
    "alerts action": case("{alert}", "{alert_action}", "--message", "checked", YES),
    "alerts get": case("{alert}"),
    "alerts list": case("--from", "all"),
    "alerts search": case("--from", "all"),
    "config init": case(
        "--client-id", "abc", "--client-secret-stdin", "--force", api=False, input=CONFIG_SECRET
    ),
    "config set": case("timeout", "12", api=False),
    "config show": case(api=False),
    "config test": case(fault_path="/whoami/v1"),
    "config unset": case("timeout", api=False),
    "endpoint delete": case("{endpoint}", YES),
    "endpoint get": case("{endpoint}", "--view", "full"),
    "endpoint isolate": case("{endpoint}", "--comment", "INC-1", YES),
    "endpoint list": case("--view", "full"),
    "endpoint scan": case("{endpoint}", YES),
    "endpoint settings allowed-items add": case("--sha256", SHA, "--comment", "ok", YES),
    "endpoint settings allowed-items delete": case("{allowed_item}", YES),
    "endpoint settings allowed-items get": case("{allowed_item}"),
    "endpoint settings allowed-items list": case(),
    "endpoint settings allowed-items update": case("{allowed_item}", "--comment", "new", YES),
    "endpoint settings blocked-items add": case("--sha256", SHA, "--comment", "bad", YES),
    "endpoint settings blocked-items delete": case("{blocked_item}", YES),
    "endpoint settings blocked-items get": case("{blocked_item}"),
    # the API cannot update a blocked item: a usage error pointing to delete + add
    "endpoint settings blocked-items update": case("{blocked_item}", exit=2, api=False),
    "endpoint settings blocked-items list": case(),
    "endpoint settings exclusions add": case("D:\\Scratch\\", "--type", "path", YES),
    "endpoint settings exclusions delete": case("{exclusion}", YES),
    "endpoint settings exclusions get": case("{exclusion}"),
    "endpoint settings exclusions list": case(),
    "endpoint settings exclusions update": case("{exclusion}", "--comment", "new", YES),
    "endpoint settings tamper-protection get": case(),
    # the API cannot change it: the command refuses with a usage error, before any request
    "endpoint settings tamper-protection update": case("--enable", YES, exit=2, api=False),
    "endpoint settings web-control add": case("wiki.example.com", "--category-id", "50", YES),
    "endpoint settings web-control delete": case("{site}", YES),
    "endpoint settings web-control get": case("{site}"),
    "endpoint settings web-control list": case(),
    "endpoint settings web-control update": case("{site}", "--comment", "new", YES),
    "endpoint tamper get": case("{endpoint}"),
    "endpoint tamper password": case("{endpoint}"),
    "endpoint tamper update": case("{endpoint}", "--regenerate-password", YES),
    "endpoint unisolate": case("{endpoint}", YES),
    "endpoint update-check": case("{endpoint}", YES),
    "roles create": case("--name", "Auditors", "-p", "{permission_set}", YES),
    "roles delete": case("{custom_role}", YES),
    "roles get": case("{role}"),
    "roles list": case(),
    "roles permission-sets": case(),
    "roles update": case("{custom_role}", "--description", "new", YES),
    "tenants get": case("{tenant}", kind="partner"),
    "tenants list": case(kind="partner"),
    "users create": case(
        "--first-name", "Zed", "--last-name", "Ray", "--email", "z@x.example", YES
    ),
    "users delete": case("{free_user}", YES),
    "users get": case("{user}"),
    "users groups add-members": case("{group}", "{outsider}", YES),
    "users groups create": case("--name", "Hygiene", YES),
    "users groups delete": case("{empty_group}", YES),
    "users groups get": case("{group}"),
    "users groups list": case(),
    "users groups members": case("{group}"),
    "users groups remove-member": case("{group}", "{member}", YES),
    "users groups update": case("{group}", "--description", "new", YES),
    "users list": case(),
    "users update": case("{user}", "--last-name", "Other", YES),
}
DETECTIONS_RUN = ("detections", "list", "--no-wait")
NEW_CASE = ("--name", "Hunt", "--type", "hunt", "--severity", "high", YES)
NEW_ENRICHMENT = ("live-discover", "enrichments", "create", "--name", "IP", "--type", "ipAddress",
                  "--url", "https://ip.example/$$ipAddress$$", YES)  # fmt: skip
PACKAGE = "fixed-windows-computer-0"
SET_COMMENT = ("endpoint", "software", "comments", "set", PACKAGE, "--comment", "ERP", YES)

#: ``{first}``: the first id that the command's sibling ``list`` prints (seeded, so stable).
#: Listings and other commands that take no argument are derived from the first example of
#: their ``--help`` (see :func:`derived`); only the commands below need their own line.
TABLE |= {
    "account tokens create": case("--label", "Hygiene", YES, shows="account token"),
    "account tokens revoke": case("{first}", YES),
    "account tokens update": case("{first}", "--label", "Prod", YES),
    "cases create": case(*NEW_CASE),
    "cases delete": case("{made[id]}", YES, prepare=(("cases", "create", *NEW_CASE),)),
    "cases detections": case("{first}"),
    "cases entities": case("{first}"),
    "cases get": case("{first}"),
    "cases mitre": case("{first}"),
    "cases update": case("{first}", "--status", "investigating", YES),
    "detections runs get": case("{made[id]}", prepare=(DETECTIONS_RUN,)),
    "detections runs results": case("{made[id]}", prepare=(DETECTIONS_RUN,), later=3600),
    "endpoint aap get": case("{endpoint}"),
    "endpoint aap update": case("{endpoint}", "--enable", "--expires-after", "P7D", YES),
    "endpoint forensic-log collect": case("{endpoint}", YES),
    "endpoint forensic-log status": case(
        "{endpoint}", "{made[requestId]}",  # collect writes a result row per endpoint
        prepare=(("endpoint", "forensic-log", "collect", "{endpoint}", YES),),
    ),
    "endpoint groups add": case("{first}", "{endpoint}", YES),
    "endpoint groups create": case("Hygiene", YES),
    "endpoint groups delete": case("{first}", YES),
    "endpoint groups get": case("{first}"),
    "endpoint groups members": case("{first}"),
    "endpoint groups remove": case(
        "{first}", "{made[id]}", YES, prepare=(("endpoint", "groups", "members", "{first}"),)
    ),
    "endpoint groups update": case("{first}", "--name", "Renamed", YES),
    "endpoint memory-dump generate": case("{endpoint}", "--pid", "1234", YES),
    "endpoint memory-dump status": case(
        "{endpoint}", "{made[id]}",
        prepare=(("endpoint", "memory-dump", "generate", "{endpoint}", "--pid", "1", YES),),
    ),
    "endpoint migrations get": case("{first}"),
    # the receiving side is the one asked to print the job's token
    "endpoint migrations receive": partner(
        "--from-tenant", "{tenant2}", "{endpoint2}", YES, head=("--tenant", "{tenant}"),
        shows="migration token",
    ),
    "endpoint migrations send": partner(
        "{made[id]}", "--token", "{made[token]}", "{endpoint2}", YES,
        head=("--tenant", "{tenant2}"),
        prepare=(("--tenant", "{tenant}", "endpoint", "migrations", "receive", "--from-tenant",
                  "{tenant2}", "{endpoint2}", YES),),
    ),
    "endpoint migrations status": case("{first}"),
    "endpoint policies clone": case("{first}", "--name", "Copy", YES),
    "endpoint policies create": case("Kiosk", "--type", "peripheral-control", YES),
    "endpoint policies delete": case("{made[id]}", YES, prepare=(
        ("endpoint", "policies", "clone", "{first}", "--name", "Doomed", YES),)),
    "endpoint policies get": case("{first}"),
    "endpoint policies reset": case("{first}", YES),
    "endpoint policies settings": case("{first}"),
    "endpoint policies update": case("{first}", "--set", "endpoint.malware.enabled=true", YES),
    "endpoint settings blocked-addresses add": case("203.0.113.7", YES),
    "endpoint settings blocked-addresses delete": case("{first}", YES),
    "endpoint settings detected-exploits get": case("{first}"),
    "endpoint settings event-journal get": case("computer"),
    "endpoint settings event-journal update": case("server", "--disk-mb", "15000", YES),
    "endpoint settings exploit-mitigation add": case("--path", "$programfiles\\Foo\\f.exe", YES),
    "endpoint settings exploit-mitigation delete": case("{made[id]}", YES, prepare=(
        ("endpoint", "settings", "exploit-mitigation", "add", "--path", "C:\\d.exe", YES),)),
    "endpoint settings exploit-mitigation get": case("{first}"),
    "endpoint settings exploit-mitigation update": case("{first}", "--no-protected", YES),
    "endpoint settings ips-exclusions delete": case("{first}", YES),
    "endpoint settings ips-exclusions get": case("{first}"),
    "endpoint settings ips-exclusions update": case("{first}", "--direction", "both", YES),
    "endpoint settings isolation-exclusions delete": case("{first}", YES),
    "endpoint settings isolation-exclusions get": case("{first}"),
    "endpoint settings isolation-exclusions update": case("{first}", "--direction", "both", YES),
    "endpoint settings peripherals get": case("{first}"),
    "endpoint settings tls-decryption update": case("--enable", "10", YES),
    "endpoint settings tls-excluded-websites add": case("bank.example", YES),
    "endpoint settings tls-excluded-websites remove": case("bank.example", YES, prepare=(
        ("endpoint", "settings", "tls-excluded-websites", "add", "bank.example", YES),)),
    "endpoint software add-special": case("special-windows-computer-4", YES),
    "endpoint software comments delete": case(PACKAGE, YES, prepare=(SET_COMMENT,)),
    "endpoint software comments get": case(PACKAGE, prepare=(SET_COMMENT,)),
    "endpoint software comments set": case(PACKAGE, "--comment", "ERP", YES),
    "endpoint software packages get": case("{first}"),
    "health snooze": case("tamperProtection.server", "--comment", "Q1", YES),
    "live-discover enrichments create": case(*NEW_ENRICHMENT[3:]),
    "live-discover enrichments delete": case("{made[id]}", YES, prepare=(NEW_ENRICHMENT,)),
    "live-discover enrichments update": case(
        "{made[id]}", "--name", "IP v2", YES, prepare=(NEW_ENRICHMENT,)
    ),
    "live-discover queries get": case("{first}"),
    "live-discover query": case("SELECT name FROM processes"),
    "live-discover runs endpoints": case("{first}"),
    "live-discover runs get": case("{first}"),
    "live-discover runs results": case("{first}"),
    "partner admins assign": partner("{first}", "--role", "{partner_role}", YES),
    "partner admins create": partner(
        "--username", "o@msp.example", "--first-name", "O", "--last-name", "P",
        "--role", "{partner_role}", YES,
    ),
    "partner admins get": partner("{first}"),
    "partner admins role-assignments": partner("{first}"),
    "partner admins unassign": partner("{first}", "{made[id]}", YES, prepare=((
        "partner", "admins", "assign", "{first}", "--role", "{partner_role}", YES),)),
    "partner billing usage": partner("{last_month}"),
    "partner roles create": partner("--name", "Ops", "-p", "{partner_permission_set}", YES),
    "partner roles delete": partner("{made[id]}", YES, prepare=((
        "partner", "roles", "create", "--name", "Doomed", "-p", "{partner_permission_set}", YES),)),
    "partner roles get": partner("{first}"),
    "partner roles update": partner("{made[id]}", "--description", "new", YES, prepare=((
        "partner", "roles", "create", "--name", "Edited", "-p", "{partner_permission_set}", YES),)),
    "report health": case("--output-file", "{tmp}/report.html"),
    "siem alerts": case("--since", "6h"),
    "siem events": case("--since", "6h"),
    "tenants create": partner(
        "--name", "Contoso", "--geography", "DE", "--first-name", "Ada", "--last-name", "Lee",
        "--email", "ada@contoso.example", "--phone", "+49 30 1234", "--address", "1 Main St",
        "--city", "Berlin", "--country", "DE", "--postal-code", "10115", YES,
    ),
    "users groups remove-members": case("{group}", "{member}", YES),
    "xdr queries get": case("{first}"),
    "xdr query": case("SELECT name FROM xdr_data"),
    "xdr runs cancel": case(
        "{made[id]}", YES, prepare=(("xdr", "query", "SELECT 1", "--no-wait"),)
    ),
    "xdr runs get": case("{first}"),
    "xdr runs results": case("{first}"),
}  # fmt: skip
TABLE |= {  # aliases whose examples name the other spelling
    "live-discover categories": case(),
    "live-discover queries list": case(),
}
#: commands that cannot be run to completion here: each must say why
HELP_ONLY = {
    "emulator serve": "it serves until stopped",
}

#: example words that need something the test does not have (a real id, a file, a loop...)
_NOT_DERIVABLE = re.compile(
    r"[0-9a-f]{8}-|\bID\b|<|@|--tenant|--all-tenants|--output-file|--follow"
)


def examples_by_command() -> dict[str, list[list[str]]]:
    """Each command's ``Examples:`` (collected as the every-example test does), as argv."""
    found: dict[str, list[list[str]]] = {}
    for example in _help_examples():
        words = [w for w in shlex.split(example.line)[1:] if w != "--emulator"]
        found.setdefault(example.source.removeprefix("pysophos "), []).append(words)
    return found


EXAMPLES = examples_by_command()


def derived(path: str) -> Case | None:
    """The first example of ``path`` that runs as written against the emulator, if any."""
    words_of_path = path.split()
    kind = "partner" if words_of_path[0] in ("partner", "tenants") else "tenant"
    for words in EXAMPLES.get(path, []):
        runnable = not _NOT_DERIVABLE.search(" ".join(words))
        if runnable and words[: len(words_of_path)] == words_of_path:
            return Case(tuple(words[len(words_of_path) :]), kind=kind)
    return None


DERIVED = {
    path: found
    for path in COMMANDS
    if path not in TABLE and path not in HELP_ONLY and (found := derived(path)) is not None
}
TABLE |= DERIVED

# ------------------------------------------------------------------------------------------------
# emulator, ids and secrets


@pytest.fixture(scope="module", autouse=True)
def one_ssl_context_per_setting() -> Iterator[None]:
    """Each CLI run builds an httpx client, and loading the CA bundle into a new SSL context is
    most of a run's time here (the emulator is plain HTTP): reuse one context per setting."""
    from httpx._transports import default

    made: dict[tuple[Any, ...], Any] = {}
    original = default.create_ssl_context

    def cached(verify: Any = True, cert: Any = None, trust_env: bool = True) -> Any:
        if not isinstance(verify, (bool, str)) or cert is not None:
            return original(verify=verify, cert=cert, trust_env=trust_env)
        key = (verify, trust_env)
        if key not in made:
            made[key] = original(verify=verify, cert=cert, trust_env=trust_env)
        return made[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(default, "create_ssl_context", cached)
        yield


@pytest.fixture(scope="module")
def emu() -> Iterator[Any]:
    with run_emulator(EmulatorConfig(seed=9, tenants=4, endpoints=20, alerts=8)) as server:
        server.recorder = TokenRecorder(server)
        with sync_client(server) as central:
            server.setup_client = central
            yield server


@pytest.fixture(scope="module")
def ids(emu: Any) -> dict[str, str]:
    """Ids of seeded objects (the seed is fixed, so ``reset()`` keeps them valid)."""
    emu.reset()

    def items(central: SophosCentral, path: str) -> list[dict[str, Any]]:
        body = central._transport.request("GET", path, scope=Scope.TENANT)
        found: list[dict[str, Any]] = body["items"]
        assert found, path
        return found

    store = emu.state.demo_tenant.endpoints
    endpoint = next(
        store.factory.endpoint_id(i)
        for i in range(len(store))
        if store.get(i)["tamperProtectionSupported"]
    )
    with sync_client(emu) as central:
        admins = items(central, "/common/v1/admins")
        admin_users = {u["id"] for a in admins for u in a.get("users", [])}
        users = items(central, "/common/v1/directory/users")
        roles = items(central, "/common/v1/roles")
        groups = items(central, "/common/v1/directory/user-groups")
        alerts = items(central, "/common/v1/alerts")
        alert = next(a for a in alerts if a.get("allowedActions"))
        group = next(g for g in groups if g["source"]["type"] == "custom" and g["users"]["items"])
        members = {u["id"] for u in group["users"]["items"]}
        found = {
            "endpoint": endpoint,
            "admin": admins[0]["id"],
            "free_user": next(u["id"] for u in users if u["id"] not in admin_users),
            "user": users[0]["id"],
            "role": next(r["id"] for r in roles if r["type"] == "predefined"),
            "permission_set": items(central, "/common/v1/roles/permission-sets")[0]["id"],
            "group": group["id"],
            "member": group["users"]["items"][0]["id"],
            "outsider": next(u["id"] for u in users if u["id"] not in members),
            "alert": alert["id"],
            "alert_action": alert["allowedActions"][0],
            "allowed_item": items(central, "/endpoint/v1/settings/allowed-items")[0]["id"],
            "blocked_item": items(central, "/endpoint/v1/settings/blocked-items")[0]["id"],
            "exclusion": items(central, "/endpoint/v1/settings/exclusions/scanning")[0]["id"],
            "site": items(central, "/endpoint/v1/settings/web-control/local-sites")[0]["id"],
        }
    found["tenant"] = emu.state.tenants[1].id
    sender = emu.state.tenants[0]  # for migrations: another tenant the partner can reach
    found["tenant2"] = sender.id
    found["endpoint2"] = sender.endpoints.factory.endpoint_id(0)
    found["partner_role"] = "Admin"
    found["partner_permission_set"] = "partner_admin"
    year, month = time.gmtime().tm_year, time.gmtime().tm_mon
    found["last_month"] = f"{year - (month == 1)}-{(month - 2) % 12 + 1:02d}"
    found["missing"] = str(uuid.UUID(int=12345, version=4))
    return found


def reset(emu: Any, ids: dict[str, str]) -> dict[str, str]:
    """Back to the seeded data, plus a custom role (none is seeded) for roles update/delete and
    an empty group for groups delete.

    Tokens are revoked too: the CLI caches its token on disk by client id, so a run with a bad
    secret would otherwise reuse the token of the run before and never show the secret's fate.
    """
    emu.reset(tokens=True)
    emu.state.clock = time.time
    central = emu.setup_client  # renews its token itself after the revocation
    role = central._transport.request(
        "POST",
        "/common/v1/roles",
        scope=Scope.TENANT,
        json={"name": "Custom", "permissionSets": [ids["permission_set"]], "principalType": "user"},
    )
    group = central._transport.request(
        "POST", "/common/v1/directory/user-groups", scope=Scope.TENANT, json={"name": "Empty"}
    )
    return {**ids, "custom_role": role["id"], "empty_group": group["id"]}


def tamper_passwords(emu: Any) -> set[str]:
    """Every tamper password the emulator can hand out: each endpoint's, regenerated ones too."""
    passwords = set()
    for tenant in emu.state.tenants:
        factory = tenant.endpoints.factory
        for index in range(factory.count):
            passwords.update(factory.tamper_password(index, generation) for generation in range(4))
    return passwords


def stored_tokens(emu: Any, store: str) -> set[str]:
    """The ``token`` of every item the emulator's tenants keep in ``store`` (issued so far)."""
    return {
        item["token"]
        for tenant in emu.state.tenants
        for item in tenant.store.get(store, {}).values()
    }


def secrets_of(emu: Any) -> dict[str, set[str]]:
    return {
        "client secret": {c.client_secret for c in DEMO_CREDENTIALS.values()}
        | {BAD_SECRET, CONFIG_SECRET},
        "token": set(emu.recorder.tokens),
        "tamper password": tamper_passwords(emu),
        "HEC token": {HEC_TOKEN},
        "account token": stored_tokens(emu, "accounts.tokens"),
        "migration token": stored_tokens(emu, "endpoint.migrations"),
    }


def leaks(
    emu: Any,
    texts: dict[str, str],
    *,
    allowed: frozenset[str] = frozenset(),
    shows: str = "",
) -> list[str]:
    """What secrets appear where; ``shows``: the kind a command was asked to print on stdout."""
    found = []
    for what, values in secrets_of(emu).items():
        for value in values - allowed:
            for where, text in texts.items():
                if value in text and not (what == shows and where == "stdout"):
                    article = "an" if what[0] in "aeiou" else "a"
                    found.append(f"{article} {what} appears in {where}")
    return sorted(set(found))


# ------------------------------------------------------------------------------------------------
# running the CLI


@pytest.fixture
def runner(isolated_env: dict[str, str], emu: Any, caplog: pytest.LogCaptureFixture) -> Any:
    caplog.set_level(logging.DEBUG, logger="pysophoscentralapi")
    logger = logging.getLogger("pysophoscentralapi")

    def run(case: Case, ids: dict[str, str], *, env: dict[str, str] | None = None) -> Result:
        ids = {**ids, "tmp": str(Path(isolated_env["HOME"]).parent)}
        args = [a.format(**ids) for a in case.args]
        command_env = {
            **isolated_env,
            **emu.env(case.kind),
            "SOPHOS_SPLUNK_HEC_TOKEN": HEC_TOKEN,
            **(env or {}),
        }
        handlers = list(logger.handlers)
        try:
            return Cli(env=command_env)(*args, input=case.input)
        finally:
            logger.handlers[:] = handlers  # --debug adds a handler bound to this run's stderr

    return run


def check(
    emu: Any,
    result: Result,
    caplog: pytest.LogCaptureFixture,
    *,
    allowed: frozenset[str] = frozenset(),
    shows: str = "",
) -> None:
    texts = {
        "stdout": result.stdout,
        "stderr": result.stderr,
        "log records": "\n".join(
            f"{r.getMessage()} {r.args!r} {r.exc_text or ''}" for r in caplog.records
        ),
    }
    found = leaks(emu, texts, allowed=allowed, shows=shows)
    assert not found, f"{found}\nstderr: {result.stderr[-2000:]}"


def full(path: str, case: Case, *, debug: bool = True) -> Case:
    head = ("--debug",) if debug else ()
    return Case(
        (*head, *case.head, *path.split(), *case.args), case.kind, case.api, case.input, case.exit
    )


def json_of(runner: Any, args: tuple[str, ...], kind: str, ids: dict[str, Any]) -> Any:
    result = runner(Case((*args, "-o", "json"), kind=kind), ids)
    assert result.exit_code == 0, f"{args}: {result.output}"
    found = json.loads(result.stdout)
    return found[0] if isinstance(found, list) else found


def resolve(path: str, spec: Case, emu: Any, ids: dict[str, Any], runner: Any) -> dict[str, Any]:
    """``ids`` plus what ``{first}`` and ``{made[...]}`` in ``spec`` stand for."""
    if any("{first}" in a for a in (*spec.args, *(a for c in spec.prepare for a in c))):
        group = tuple(path.split()[:-1])
        ids = {**ids, "first": json_of(runner, (*group, "list"), spec.kind, ids)["id"]}
    for n, command in enumerate(spec.prepare):
        made = json_of(runner, command, spec.kind, ids)
        ids = ids if n else {**ids, "made": made}
    if spec.later:
        emu.state.clock = lambda: time.time() + spec.later
    return ids


# ------------------------------------------------------------------------------------------------
# the tests


def test_the_leak_detector_sees_what_it_looks_for(
    emu: Any, ids: dict[str, str], runner: Any
) -> None:
    """Guard against a detector that cannot fail: it must flag each kind of secret."""
    ids = reset(emu, ids)
    result = runner(Case(("endpoint", "tamper", "password", ids["endpoint"])), ids)
    assert result.exit_code == 0, result.output
    accounts = runner(Case(("account", "tokens", "list", "--show-token", "-o", "json")), ids)
    assert accounts.exit_code == 0, accounts.output
    migration = runner(
        full("endpoint migrations receive", TABLE["endpoint migrations receive"]), ids
    )
    assert migration.exit_code == 0, migration.output
    assert emu.recorder.tokens, "no token was recorded"
    live = emu.state.principal_for_token(emu.recorder.tokens[-2])
    assert live is not None  # the latest access token the recorder saw is the real, valid one
    texts = {
        "password": result.stdout,
        "token": f"Bearer {emu.recorder.tokens[-2]}",
        "secret": f"client_secret={DEMO_CREDENTIALS['tenant'].client_secret}",
        "hec": f"Authorization: Splunk {HEC_TOKEN}",
        "account": accounts.stdout,
        "migration": migration.stdout,
    }
    found = leaks(emu, texts)
    assert found == [
        "a HEC token appears in hec",
        "a client secret appears in secret",
        "a migration token appears in migration",
        "a tamper password appears in password",
        "a token appears in token",
        "an account token appears in account",
    ]


def test_the_table_covers_the_command_tree() -> None:
    assert len(COMMANDS) >= MIN_COVERED
    stale = sorted((set(TABLE) | set(HELP_ONLY)) - set(COMMANDS))
    assert not stale, f"commands in the table that no longer exist: {stale}"
    assert not set(TABLE) & set(HELP_ONLY)
    missing = sorted(set(COMMANDS) - set(TABLE) - set(HELP_ONLY))
    assert not missing, f"commands neither in TABLE nor in HELP_ONLY: {missing}"
    covered = set(TABLE) & set(COMMANDS)
    assert len(covered) >= MIN_COVERED, f"only {len(covered)} commands are exercised"


@pytest.mark.parametrize("path", COMMANDS)
def test_command_never_shows_a_secret(
    path: str, emu: Any, ids: dict[str, str], runner: Any, caplog: pytest.LogCaptureFixture
) -> None:
    if path in HELP_ONLY:
        result = runner(Case((*path.split(), "--help")), ids)
        assert result.exit_code == 0, result.output
        check(emu, result, caplog)
        return
    assert path in TABLE, (
        f"{path} is not in TABLE: add how to run it (or, if it cannot run here, add it to "
        "HELP_ONLY with the reason)"
    )

    spec = TABLE[path]
    ids = resolve(path, spec, emu, reset(emu, ids), runner)
    # success, with the HTTP trace on
    caplog.clear()
    result = runner(full(path, spec), ids)
    assert result.exit_code == spec.exit, result.output
    if path == "endpoint tamper password":
        store = emu.state.demo_tenant.endpoints
        password = store.tamper_record(store.index_of(ids["endpoint"]))["password"]
        assert result.stdout == password + "\n"
        check(emu, result, caplog, allowed=frozenset({password}))
        assert password not in result.stderr
        assert password not in caplog.text
    else:
        check(emu, result, caplog, shows=spec.shows)
    if spec.shows:  # the command does print what it was asked for (the detector knows it)
        assert any(v in result.stdout for v in secrets_of(emu)[spec.shows]), result.stdout
    if not spec.api:
        return

    # a bad client secret: exit 3, and neither the bad nor the real secret shown
    ids = resolve(path, spec, emu, reset(emu, ids), runner)
    emu.state.revoke_tokens()  # the preparation's token is cached on disk
    caplog.clear()
    result = runner(full(path, spec), ids, env={"SOPHOS_CLIENT_SECRET": BAD_SECRET})
    assert result.exit_code == 3, result.output
    check(emu, result, caplog)

    # the server fails the command's own requests (token and whoami work): exit 5
    ids = resolve(path, spec, emu, reset(emu, ids), runner)
    caplog.clear()
    kind = FAULT_KINDS[COMMANDS.index(path) % len(FAULT_KINDS)]
    emu.state.faults.schedule(kind, path=spec.fault_path, times=1_000)
    result = runner(full(path, spec), ids, env={"SOPHOS_MAX_RETRIES": "0"})
    emu.state.faults.clear()
    assert result.exit_code == 5, result.output
    check(emu, result, caplog)


REFUSALS = [
    # (path, args, credential kind): 404 for an unknown id, 403 for a tenant that refuses access
    ("endpoint get", ("{missing}",), "tenant"),
    ("endpoint tamper password", ("{missing}",), "tenant"),
    ("endpoint tamper get", ("{missing}",), "tenant"),
    ("alerts get", ("{missing}",), "tenant"),
    ("users get", ("{missing}",), "tenant"),
    ("endpoint scan", ("{missing}", YES), "tenant"),
    ("--tenant {refusing} endpoint list", (), "partner"),
    ("--tenant {refusing} endpoint tamper password", ("{refused_endpoint}",), "partner"),
]


@pytest.mark.parametrize(("path", "args", "kind"), REFUSALS)
def test_refused_requests_exit_4_without_secrets(
    path: str,
    args: tuple[str, ...],
    kind: str,
    emu: Any,
    ids: dict[str, str],
    runner: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    emu.reset()
    refusing = next(t for t in emu.state.tenants if not t.partner_access)
    values = {
        **ids,
        "refusing": refusing.id,
        "refused_endpoint": refusing.endpoints.factory.endpoint_id(0),
    }
    spec = Case(("--debug", *path.format(**values).split(), *args), kind=kind)
    result = runner(spec, values)
    assert result.exit_code == 4, result.output
    assert result.stdout.strip() == "" or "password" not in path
    check(emu, result, caplog)


def test_config_show_never_shows_the_secret(
    emu: Any, ids: dict[str, str], runner: Any, caplog: pytest.LogCaptureFixture
) -> None:
    init = Case(("config", "init", "--client-id", "abc", "--client-secret-stdin", "--force"))
    result = runner(Case(init.args, api=False, input=CONFIG_SECRET + "\n"), ids)
    assert result.exit_code == 0, result.output
    for env in ({}, {"SOPHOS_CLIENT_SECRET": BAD_SECRET}):
        for args in (
            ("config", "show"),
            ("--debug", "config", "show"),
            ("config", "show", "-o", "json"),
        ):
            result = runner(Case(args, api=False), ids, env=env)
            if result.exit_code == 2 and "-o" in args:
                continue  # no -o on config show: nothing to check
            assert result.exit_code == 0, result.output
            check(emu, result, caplog)
            assert "client_secret" in result.stdout or "secret" in result.stdout.lower()


# ------------------------------------------------------------------------------------------------
# the library


def assert_clean(emu: Any, *objects: Any) -> None:
    texts = {}
    for n, obj in enumerate(objects):
        texts[f"repr #{n} ({type(obj).__name__})"] = repr(obj)
        texts[f"str #{n} ({type(obj).__name__})"] = str(obj)
        if isinstance(obj, BaseException):
            texts[f"traceback #{n}"] = "".join(traceback.format_exception(obj, chain=True))
            texts[f"attributes #{n}"] = repr(vars(obj))
    found = leaks(emu, texts)
    assert not found, found


def test_library_reprs_hold_no_secret_or_token(emu: Any, ids: dict[str, str]) -> None:
    emu.reset()
    with sync_client(emu) as central:
        endpoint = central.endpoints.get(ids["endpoint"])
        tamper = central.endpoints.tamper_protection(ids["endpoint"])
        transport = central._transport
        token = transport._token
        assert token is not None
        assert token.access_token in emu.recorder.tokens
        assert tamper.password in tamper_passwords(emu)  # the model does hold it...
        assert_clean(emu, central, central.for_tenant(ids["tenant"]), transport, token, endpoint)
        assert_clean(emu, tamper)  # ...but does not show it
        settings = Settings(client_id="abc", client_secret=CONFIG_SECRET)
        assert_clean(emu, settings, settings.client_secret)


async def test_async_library_reprs_hold_no_secret_or_token(emu: Any, ids: dict[str, str]) -> None:
    emu.reset()
    async with async_client(emu) as central:
        await central.whoami()
        assert central._transport._token is not None
        assert_clean(emu, central, central._transport, central._transport._token)


def test_library_errors_hold_no_secret_or_token(emu: Any, ids: dict[str, str]) -> None:
    emu.reset()
    errors: list[SophosCentralError] = []
    credential = emu.credentials("tenant")
    with (
        SophosCentral(
            credential.client_id, BAD_SECRET, auth_url=emu.auth_url, api_url=emu.url
        ) as bad,
        pytest.raises(AuthenticationError) as auth,
    ):
        bad.whoami()
    errors.append(auth.value)
    with sync_client(emu, max_retries=0) as central:
        central.whoami()
        with pytest.raises(NotFoundError) as missing:
            central.endpoints.tamper_protection(ids["missing"])
        errors.append(missing.value)
        for kind in ("503", "drop"):
            emu.state.faults.schedule(kind, method="POST", after_apply=True)
            with pytest.raises((ServerError, OutcomeUnknownError)) as lost:
                central.endpoints.update_tamper_protection(
                    ids["endpoint"], regenerate_password=True
                )
            errors.append(lost.value)
        emu.state.revoke_tokens()
        emu.state.faults.fault_token_requests = True
        emu.state.faults.schedule("500", path="/oauth2/token")
        with pytest.raises(ServerError) as token_failure:
            central.endpoints.get(ids["endpoint"])
        errors.append(token_failure.value)
    assert {type(e) for e in errors} >= {AuthenticationError, NotFoundError, ServerError}
    assert all(isinstance(e, SophosCentralError) for e in errors)
    assert_clean(emu, *errors)
    for error in errors:
        if isinstance(error, APIError):
            assert_clean(emu, error.url or "", error.api_message or "")


def test_constructor_errors_do_not_echo_the_secret(tmp_path: Path) -> None:
    """A client refused for another reason (bad URL) does not quote the secret back."""
    with pytest.raises(SophosCentralError) as caught:
        AsyncSophosCentral("abc", CONFIG_SECRET, max_retries=-1)
    assert CONFIG_SECRET not in repr(caught.value) + str(caught.value)


@contextmanager
def splunk_hec(status: int) -> Iterator[tuple[str, list[str]]]:
    """A stand-in HTTP Event Collector answering every request with ``status``; yields its URL
    and the Authorization headers it receives."""
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            seen.append(self.headers.get("Authorization", ""))
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            body = b'{"text":"Success","code":0}' if status == 200 else b'{"text":"Nope","code":4}'
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/services/collector", seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.mark.parametrize(("status", "exit_code"), [(200, 0), (403, 5)])
def test_splunk_hec_delivery_never_shows_the_hec_token(
    status: int,
    exit_code: int,
    emu: Any,
    ids: dict[str, str],
    runner: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    emu.reset()
    with splunk_hec(status) as (url, seen):
        args = ("--debug", "siem", "alerts", "--since", "24h", "--splunk-hec", url)
        result = runner(Case(args), ids)
    assert seen, "nothing reached the HEC"
    assert seen[0] == f"Splunk {HEC_TOKEN}"  # the token really went to Splunk
    assert result.exit_code == exit_code, result.output
    check(emu, result, caplog)
