"""Bad input never crashes: random command lines, and garbage from the API.

(a) Random argument lists, made of the CLI's real command and option names plus random values,
    end with a contract exit code (0, 2, 3, 4, 5; 6 only with --all-tenants) and never with 1
    (unexpected) or a traceback. No credentials, or credentials and an unreachable loopback URL.
(b) Random answers from the API (truncated or non-UTF-8 bodies, wrong JSON types, missing
    fields, ``items`` not a list, huge pages, HTML error pages, odd status codes and headers),
    served by ``httpx.MockTransport`` at the token endpoint, whoami or the data call, end every
    library list/get call in success or a typed :class:`SophosCentralError`, in a bounded number
    of requests; through the CLI with ``--output-file``, in a clean exit code and either a
    complete file or none at all.
"""

from __future__ import annotations

import json
import logging
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

import click
import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pysophoscentralapi import AsyncSophosCentral, SophosCentral, SophosCentralError
from pysophoscentralapi._sync import _client as sync_client_module
from pysophoscentralapi.cli import cli as root
from tests.conftest import Cli
from tests.reliability.conftest import no_sleep, no_sleep_async

FUZZ = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# ------------------------------------------------------------------------------------------------
# (a) random command lines


def _vocabulary() -> tuple[dict[str, list[str]], list[str]]:
    """Leaf command paths with their option names, and the root group's option names."""
    commands: dict[str, list[str]] = {}

    def opts(command: click.Command) -> list[str]:
        found: list[str] = []
        for param in command.params:
            if isinstance(param, click.Option):
                found += param.opts + param.secondary_opts
        return sorted(set(found) - {"--emulator", "--interactive", "--help", "-h"})

    def walk(command: click.Command, ctx: click.Context, path: tuple[str, ...]) -> None:
        if isinstance(command, click.Group):
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                assert sub is not None
                walk(sub, click.Context(sub, parent=ctx, info_name=name), (*path, name))
        else:
            commands[" ".join(path)] = opts(command)

    walk(root, click.Context(root, info_name="pysophos"), ())
    # `emulator serve` runs until stopped; `--emulator` is exercised by the emulator's own tests.
    commands.pop("emulator serve")
    return commands, opts(root)


COMMANDS, ROOT_OPTIONS = _vocabulary()
COMMAND_NAMES = sorted({name for path in COMMANDS for name in path.split()})
ALL_OPTIONS = sorted({o for options in COMMANDS.values() for o in options} | set(ROOT_OPTIONS))
VALUES = [
    "-",
    "@missing-file.txt",
    "all",
    "json",
    "jsonl",
    "csv",
    "table",
    "bad",
    "good",
    "high",
    "-P7D",
    "P1000Y",
    "99999999d",
    "7d",
    "30d",
    "/proc/out.csv",
    "2024-05-01T00:00:00Z",
    "0",
    "-1",
    "999999999999",
    "id,health.overall",
    "hostname:desc",
    "out.json",
    "timeout",
    "client_secret",
    "auth.client_id",
    str(uuid.UUID(int=7, version=4)),
    "6f1c0e1a-2b3c-4d5e-8f90-112233445566",
    "",
    " ",
    "--",
    "--yes",
    "--help",
    "é\u202e",
]
SOME_ID = str(uuid.UUID(int=7, version=4))
values = st.one_of(st.sampled_from(VALUES), st.text(max_size=12).filter(lambda t: "\x00" not in t))


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    """Mostly well-formed: root options, a real command, then its own options and values."""
    if draw(st.integers(0, 9)) == 0:  # pure noise now and then
        noise = st.one_of(st.sampled_from(COMMAND_NAMES), st.sampled_from(ALL_OPTIONS), values)
        return draw(st.lists(noise, max_size=8))
    head = draw(st.lists(st.sampled_from(ROOT_OPTIONS), max_size=2))
    head = [
        t
        for option in head
        for t in (
            [option]
            if option.startswith("--no") or option in ("--debug", "--all-tenants")
            else [option, draw(values)]
        )
    ]
    path = draw(st.sampled_from(sorted(COMMANDS)))
    own = COMMANDS[path] or ["--yes"]
    if draw(st.booleans()):  # a plausible call: the command's id-like argument and output
        tail = draw(
            st.lists(st.sampled_from([SOME_ID, "--yes", "-o", "json", "--limit", "3"]), max_size=4)
        )
    else:
        tail = draw(st.lists(st.one_of(st.sampled_from(own), values), max_size=6))
    return [*head, *path.split(), *tail]


UNREACHABLE = {
    "SOPHOS_CLIENT_ID": "fuzz-client",
    "SOPHOS_CLIENT_SECRET": "fuzz-secret",
    "SOPHOS_AUTH_URL": "http://127.0.0.1:9/api/v2/oauth2/token",
    "SOPHOS_API_URL": "http://127.0.0.1:9",
    "SOPHOS_MAX_RETRIES": "0",
    "SOPHOS_TIMEOUT": "2",
}
#: without credentials, still never reach the real service
NO_CREDENTIALS = {k: v for k, v in UNREACHABLE.items() if "CLIENT" not in k}


def check_exit(args: list[str], result: Any) -> None:
    allowed = {0, 2, 3, 4, 5} | ({6} if "--all-tenants" in args else set())
    assert result.exit_code in allowed, (args, result.exit_code, result.output[-2000:])
    if "--debug" not in args:  # --debug shows tracebacks on purpose
        assert "Traceback" not in result.stderr, (args, result.stderr[-2000:])
    assert "error: unexpected" not in result.stderr, (args, result.stderr[-2000:])


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Random `--output-file`/`--config` paths land in a scratch directory."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    "env", [NO_CREDENTIALS, UNREACHABLE], ids=["without-credentials", "against-an-unreachable-api"]
)
@FUZZ
@given(args=command_lines())
def test_random_command_lines(
    cli_run: Cli, in_tmp: Path, env: dict[str, str], args: list[str]
) -> None:
    result = cli_run(*args, env=env)
    check_exit(args, result)


#: Bad input met by users (issue 12), each a usage error (exit 2) before anything is sent: the
#: API is unreachable, so reaching it would show as exit 5.
KNOWN_BAD_INPUTS = [
    (("alerts", "list", "--from", "P1000Y"), "too large"),
    (("alerts", "list", "--from", "99999999d"), "too large"),
    (("alerts", "list", "--from", "9" * 40 + "d"), "too large"),
    (("endpoint", "list", "--last-seen-before", "99999999d"), "too large"),
    (("endpoint", "list", "--last-seen-after", "PT99999999999999S"), "too large"),
    (("alerts", "list", "--from", "7d", "--to", "30d"), "is after --to"),
    (("endpoint", "list", "--last-seen-after", "7d", "--last-seen-before", "30d"), "is after"),
    (("alerts", "list", "--from", "2024-05-02", "--to", "2024-05-01"), "range is empty"),
    (("alerts", "list", "--id", "-"), "no ids given"),
    (("endpoint", "list", "--id", "-"), "no ids given"),
    (("endpoint", "scan", "-", "--yes"), "no endpoint ids given"),
    (("alerts", "action", "-", "acknowledge", "--yes"), "no alert ids given"),
    (("endpoint", "list", "--output-file", "/proc/out.csv"), "cannot write /proc/out.csv"),
    (("--summary", "s.json", "endpoint", "list"), "--all-tenants"),
]


@pytest.mark.parametrize(("args", "message"), KNOWN_BAD_INPUTS)
def test_known_bad_inputs_are_usage_errors(
    cli_run: Cli, in_tmp: Path, args: tuple[str, ...], message: str
) -> None:
    result = cli_run(*args, input="", env=UNREACHABLE)
    assert result.exit_code == 2, (args, result.output)
    assert message in result.stderr
    check_exit(list(args), result)


def test_a_long_id_filter_is_not_a_url_too_long(emulator_cli: Cli, tmp_path: Path) -> None:
    ids = tmp_path / "ids.txt"
    ids.write_text("\n".join(str(uuid.uuid4()) for _ in range(3000)))
    for command in ("alerts", "endpoint"):
        result = emulator_cli(command, "list", "--id", f"@{ids}", "-o", "json")
        assert result.exit_code == 0, result.stderr
        assert json.loads(result.stdout) == []


# ------------------------------------------------------------------------------------------------
# (b) garbage from the API

AUTH_URL = "https://id.fuzz.example/api/v2/oauth2/token"
API_URL = "https://api.fuzz.example"
REGION_URL = "https://api-eu01.fuzz.example"
TENANT = "11f104c5-cc4a-4a9f-bb9c-632c936dfb9f"
ENDPOINT_ID = "6f1c0e1a-2b3c-4d5e-8f90-112233445566"
MAX_REQUESTS = 60  # far more than retries and paging of one call need: more means a loop

GOOD_TOKEN = {"access_token": "fuzz-token", "expires_in": 3600, "token_type": "bearer"}
GOOD_WHOAMI = {
    "id": TENANT,
    "idType": "tenant",
    "apiHosts": {"global": API_URL, "dataRegion": REGION_URL},
}
GOOD_ITEM = {
    "id": ENDPOINT_ID,
    "hostname": "pc-1",
    "type": "computer",
    "health": {"overall": "good"},
}
GOOD_PAGE = {"items": [GOOD_ITEM], "pages": {"current": 1, "size": 50, "maxSize": 500}}

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["items", "pages", "nextKey", "id", "total", "access_token", "x"]),
            children,
            max_size=4,
        )
    ),
    max_leaves=12,
)


def _dumps(value: Any) -> bytes:
    return json.dumps(value, allow_nan=True).encode()


def _huge_page() -> bytes:
    return _dumps({"items": [{**GOOD_ITEM, "hostname": f"pc-{n}"} for n in range(20_000)]})


HUGE_PAGE = _huge_page()
bodies = st.one_of(
    json_values.map(_dumps),
    st.builds(
        lambda cut: _dumps(GOOD_PAGE)[:cut],
        st.integers(min_value=0, max_value=len(_dumps(GOOD_PAGE))),
    ),
    st.sampled_from(
        [
            b"",
            b"\xff\xfe\x00garbage\x80",
            b"<html><body><h1>502 Bad Gateway</h1></body></html>",
            _dumps({"items": "not a list"}),
            _dumps({"items": [1, 2, 3]}),
            _dumps({"items": [GOOD_ITEM], "pages": {"nextKey": "same"}}),
            _dumps({"items": [], "pages": {"nextKey": ["k"]}}),
            _dumps({"items": [{"id": 5, "health": "good", "hostname": ["x"]}]}),
            _dumps({"access_token": "", "expires_in": "soon"}),
            _dumps({"access_token": "t", "expires_in": float("nan")}),
            _dumps({"access_token": "t", "expires_in": -5}),
            _dumps({"id": TENANT, "idType": "martian", "apiHosts": {}}),
            _dumps({"id": TENANT, "idType": "tenant", "apiHosts": {"dataRegion": "ftp://x"}}),
            _dumps(
                {
                    "id": TENANT,
                    "idType": "tenant",
                    "apiHosts": {"dataRegion": "http://evil.example"},
                }
            ),
            HUGE_PAGE,
            b"null",
            b"[]",
            b"{}",
        ]
    ),
)
statuses = st.sampled_from(
    [200, 200, 200, 201, 204, 301, 400, 401, 403, 404, 409, 418, 422, 429, 500, 502, 503, 599]
)
headers = st.dictionaries(
    st.sampled_from(["Retry-After", "Content-Type", "Location"]),
    st.sampled_from(
        ["0", "1", "-1", "nan", "soon", "Wed, 21 Oct 2015 07:28:00 GMT", "text/html", "/x"]
    ),
    max_size=2,
)
garbage = st.fixed_dictionaries(
    {
        "stage": st.sampled_from(["token", "whoami", "api"]),
        "status": statuses,
        "body": bodies,
        "headers": headers,
        "every_time": st.booleans(),  # or only the first time (then the good answer)
    }
)


class GarbageAPI:
    """A fake Sophos Central that answers one stage with garbage, the others correctly."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.requests = 0
        self.garbage_sent = 0

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        assert self.requests <= MAX_REQUESTS, "runaway: the client keeps sending requests"
        url = str(request.url)
        stage = "token" if url.startswith(AUTH_URL) else "whoami" if "/whoami/" in url else "api"
        if stage == self.spec["stage"] and (self.spec["every_time"] or not self.garbage_sent):
            self.garbage_sent += 1
            return httpx.Response(
                self.spec["status"], headers=self.spec["headers"], content=self.spec["body"]
            )
        if stage == "token":
            return httpx.Response(200, content=_dumps(GOOD_TOKEN))
        if stage == "whoami":
            return httpx.Response(200, content=_dumps(GOOD_WHOAMI))
        if request.url.path.endswith(ENDPOINT_ID):
            return httpx.Response(200, content=_dumps(GOOD_ITEM))
        return httpx.Response(200, content=_dumps(GOOD_PAGE))


Client = TypeVar("Client", SophosCentral, AsyncSophosCentral)


def garbage_client(client_class: type[Client], api: GarbageAPI, **options: Any) -> Client:
    """A client with the fuzz credentials and URLs whose every request is answered by ``api``."""
    return client_class(
        "fuzz-client",
        "fuzz-secret",
        auth_url=AUTH_URL,
        api_url=API_URL,
        transport=httpx.MockTransport(api.handle),
        **options,
    )


CALLS = {
    "endpoints.list": lambda c: [e.id for e in c.endpoints.list(page_size=50)],
    "endpoints.list raw": lambda c: list(c.endpoints.list().raw_items()),
    "endpoints.get": lambda c: c.endpoints.get(ENDPOINT_ID).hostname,
    "alerts.list": lambda c: [a.id for a in c.alerts.list()],
    "alerts.get": lambda c: c.alerts.get(ENDPOINT_ID).id,
    "whoami": lambda c: c.whoami().id_type,
}


@FUZZ
@given(spec=garbage, call=st.sampled_from(sorted(CALLS)))
def test_library_turns_garbage_into_typed_errors(spec: dict[str, Any], call: str) -> None:
    api = GarbageAPI(spec)
    with garbage_client(SophosCentral, api, sleep=no_sleep, max_retries=2, timeout=2) as central:
        failure: SophosCentralError | None = None
        try:
            CALLS[call](central)
        except SophosCentralError as error:  # anything else fails the test
            failure = error
    if failure is not None:
        assert type(failure).__module__ == "pysophoscentralapi._errors"
        assert failure.message
        assert "fuzz-secret" not in repr(failure)
        assert "fuzz-token" not in repr(failure)


@settings(FUZZ, max_examples=40)
@given(spec=garbage)
async def test_async_library_turns_garbage_into_typed_errors(spec: dict[str, Any]) -> None:
    api = GarbageAPI(spec)
    async with garbage_client(
        AsyncSophosCentral, api, sleep=no_sleep_async, max_retries=2
    ) as central:
        try:
            async for _ in central.endpoints.list(page_size=50):
                pass
        except SophosCentralError:
            pass


@pytest.fixture
def garbage_cli(
    isolated_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Cli, list[GarbageAPI]]]:
    """``pysophos`` whose client talks to the current :class:`GarbageAPI`."""
    current: list[GarbageAPI] = []
    original = sync_client_module.SophosCentral.from_settings.__func__  # type: ignore[attr-defined]

    def from_settings(cls: type[SophosCentral], settings: Any, **options: Any) -> SophosCentral:
        options["transport"] = httpx.MockTransport(current[-1].handle)
        options["sleep"] = no_sleep
        return original(cls, settings, **options)  # type: ignore[no-any-return]

    monkeypatch.setattr(
        sync_client_module.SophosCentral, "from_settings", classmethod(from_settings)
    )
    env = {
        **isolated_env,
        "SOPHOS_CLIENT_ID": "fuzz-client",
        "SOPHOS_CLIENT_SECRET": "fuzz-secret",
        "SOPHOS_AUTH_URL": AUTH_URL,
        "SOPHOS_API_URL": API_URL,
        "SOPHOS_MAX_RETRIES": "2",
    }
    return Cli(env=env), current


CLI_EXPORTS = [
    ("endpoint", "list", "-o", "json"),
    ("endpoint", "list", "-o", "csv"),
    ("endpoint", "get", ENDPOINT_ID, "-o", "jsonl"),
    ("alerts", "list", "--from", "all", "-o", "jsonl"),
]


@settings(FUZZ, max_examples=80)
@given(spec=garbage, command=st.sampled_from(CLI_EXPORTS))
def test_cli_export_of_garbage_is_all_or_nothing(
    garbage_cli: tuple[Cli, list[GarbageAPI]],
    tmp_path: Path,
    spec: dict[str, Any],
    command: tuple[str, ...],
) -> None:
    run, current = garbage_cli
    current.append(GarbageAPI(spec))
    shutil.rmtree(Path(run.env["XDG_CACHE_HOME"]), ignore_errors=True)  # no token from before
    out_dir = tmp_path / f"out-{len(current)}"
    out_dir.mkdir()
    target = out_dir / "export.data"
    result = run(*command, "--output-file", str(target))
    assert result.exit_code in {0, 3, 4, 5}, (spec, result.output[-2000:])
    assert "Traceback" not in result.stderr
    left = sorted(p.name for p in out_dir.iterdir())
    if result.exit_code == 0:
        assert left == ["export.data"]
        text = target.read_text(encoding="utf-8")
        if "json" in command and "jsonl" not in command:
            json.loads(text)
        elif "jsonl" in command:
            for line in text.splitlines():
                json.loads(line)
    else:
        assert left == [], f"a failed export left {left}"
        assert result.stderr.startswith("error:") or "\nerror:" in result.stderr


def test_debug_logging_with_a_mock_transport(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="pysophoscentralapi")
    api = GarbageAPI(
        {"stage": "none", "status": 200, "body": b"", "headers": {}, "every_time": True}
    )
    with garbage_client(SophosCentral, api, sleep=no_sleep) as central:
        assert central.endpoints.get(ENDPOINT_ID).hostname == "pc-1"
    assert any("whoami" in record.getMessage() for record in caplog.records)
