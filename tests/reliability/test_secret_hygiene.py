"""No secret leaks: not the client secret, not an access token, not a tamper protection password.

Every ``pysophos`` command is found by walking the click tree (the root group loads its
sub-commands lazily), then run with ``--debug`` against the emulator: on its success path, with a
bad client secret (exit 3), and with the server failing the command's own requests (exit 5); a
few commands also on 403/404 (exit 4). stdout, stderr and the library's log records are searched
for the client secrets, every token the emulator issued (access and refresh, read from the
emulator as it issues them) and every tamper protection password it holds (current and
regenerated). The one command whose job is to print a secret, ``endpoint tamper password ID``,
must print exactly that endpoint's password on stdout and nothing else.

Commands missing from the table below are still run with ``--help``; the table must keep covering
at least :data:`MIN_COVERED` commands so this test cannot silently shrink.
"""

from __future__ import annotations

import logging
import traceback
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
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

BAD_SECRET = "wr0ng-S3cret-for-the-hygiene-test"
CONFIG_SECRET = "c0nfig-S3cret-typed-at-init"
MIN_COVERED = 60
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


def case(*args: str, **options: Any) -> Case:
    return Case(args, **options)


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
#: commands that cannot be run to completion here (they serve until stopped)
HELP_ONLY = {"emulator serve"}

# ------------------------------------------------------------------------------------------------
# emulator, ids and secrets


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
    found["missing"] = str(uuid.UUID(int=12345, version=4))
    return found


def reset(emu: Any, ids: dict[str, str]) -> dict[str, str]:
    """Back to the seeded data, plus a custom role (none is seeded) for roles update/delete and
    an empty group for groups delete.

    Tokens are revoked too: the CLI caches its token on disk by client id, so a run with a bad
    secret would otherwise reuse the token of the run before and never show the secret's fate.
    """
    emu.reset(tokens=True)
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


def secrets_of(emu: Any) -> dict[str, set[str]]:
    return {
        "client secret": {c.client_secret for c in DEMO_CREDENTIALS.values()}
        | {BAD_SECRET, CONFIG_SECRET},
        "token": set(emu.recorder.tokens),
        "tamper password": tamper_passwords(emu),
    }


def leaks(emu: Any, texts: dict[str, str], *, allowed: frozenset[str] = frozenset()) -> list[str]:
    found = []
    for what, values in secrets_of(emu).items():
        for value in values - allowed:
            for where, text in texts.items():
                if value in text:
                    found.append(f"a {what} appears in {where}")
    return sorted(set(found))


# ------------------------------------------------------------------------------------------------
# running the CLI


@pytest.fixture
def runner(isolated_env: dict[str, str], emu: Any, caplog: pytest.LogCaptureFixture) -> Any:
    caplog.set_level(logging.DEBUG, logger="pysophoscentralapi")
    logger = logging.getLogger("pysophoscentralapi")

    def run(case: Case, ids: dict[str, str], *, env: dict[str, str] | None = None) -> Result:
        args = [a.format(**ids) for a in case.args]
        command_env = {**isolated_env, **emu.env(case.kind), **(env or {})}  # type: ignore[arg-type]
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
) -> None:
    texts = {
        "stdout": result.stdout,
        "stderr": result.stderr,
        "log records": "\n".join(
            f"{r.getMessage()} {r.args!r} {r.exc_text or ''}" for r in caplog.records
        ),
    }
    found = leaks(emu, texts, allowed=allowed)
    assert not found, f"{found}\nstderr: {result.stderr[-2000:]}"


def full(path: str, case: Case, *, debug: bool = True) -> Case:
    head = ("--debug",) if debug else ()
    return Case((*head, *path.split(), *case.args), case.kind, case.api, case.input, case.exit)


# ------------------------------------------------------------------------------------------------
# the tests


def test_the_leak_detector_sees_what_it_looks_for(
    emu: Any, ids: dict[str, str], runner: Any
) -> None:
    """Guard against a detector that cannot fail: it must flag each kind of secret."""
    ids = reset(emu, ids)
    result = runner(Case(("endpoint", "tamper", "password", ids["endpoint"])), ids)
    assert result.exit_code == 0, result.output
    assert emu.recorder.tokens, "no token was recorded"
    live = emu.state.principal_for_token(emu.recorder.tokens[-2])
    assert live is not None  # the latest access token the recorder saw is the real, valid one
    texts = {
        "password": result.stdout,
        "token": f"Bearer {emu.recorder.tokens[-2]}",
        "secret": f"client_secret={DEMO_CREDENTIALS['tenant'].client_secret}",
    }
    found = leaks(emu, texts)
    assert found == [
        "a client secret appears in secret",
        "a tamper password appears in password",
        "a token appears in token",
    ]


def test_the_table_covers_the_command_tree() -> None:
    assert len(COMMANDS) >= MIN_COVERED
    stale = sorted(set(TABLE) - set(COMMANDS))
    assert not stale, f"commands in the table that no longer exist: {stale}"
    covered = set(TABLE) & set(COMMANDS)
    assert len(covered) >= MIN_COVERED, f"only {len(covered)} commands are exercised"


@pytest.mark.parametrize("path", COMMANDS)
def test_command_never_shows_a_secret(
    path: str, emu: Any, ids: dict[str, str], runner: Any, caplog: pytest.LogCaptureFixture
) -> None:
    if path not in TABLE:
        result = runner(Case((*path.split(), "--help")), ids)
        assert result.exit_code == 0, result.output
        check(emu, result, caplog)
        if path not in HELP_ONLY:
            pytest.skip(f"{path}: not in the table, only --help was checked")
        return

    spec = TABLE[path]
    ids = reset(emu, ids)
    # success, with the HTTP trace on
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
        check(emu, result, caplog)
    if not spec.api:
        return

    # a bad client secret: exit 3, and neither the bad nor the real secret shown
    ids = reset(emu, ids)
    caplog.clear()
    result = runner(full(path, spec), ids, env={"SOPHOS_CLIENT_SECRET": BAD_SECRET})
    assert result.exit_code == 3, result.output
    check(emu, result, caplog)

    # the server fails the command's own requests (token and whoami work): exit 5
    ids = reset(emu, ids)
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
