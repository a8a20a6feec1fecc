"""``pysophos endpoint aap|forensic-log|memory-dump|downloads``: per-endpoint requests and the
installers.

Collecting a forensic log or a memory dump answers a request id at once; ``status`` follows it
until it is ``finished`` and names the file::

    pysophos endpoint forensic-log collect 3f2c1d6e-8f7a-4b7e-9a55-1c2d3e4f5a6b --yes
    pysophos endpoint forensic-log status 3f2c1d6e-8f7a-4b7e-9a55-1c2d3e4f5a6b \\
        0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from pysophoscentralapi._enums import ENDPOINT_PLATFORMS
from pysophoscentralapi.cli._collection import help_text
from pysophoscentralapi.cli._context import CliContext
from pysophoscentralapi.cli._output import Column, OutputOptions, output_options, record_options
from pysophoscentralapi.cli._params import one_id, split, value_errors_as_usage
from pysophoscentralapi.cli._results import RESULT_COLUMNS, act_on_each, many_targets
from pysophoscentralapi.cli._safety import Change, one_change

if TYPE_CHECKING:
    from pysophoscentralapi._sync._client import SophosCentral

__all__ = ["aap", "downloads", "forensic_log", "memory_dump"]

_E = "pysophos endpoint"
_ID = "3f2c1d6e-8f7a-4b7e-9a55-1c2d3e4f5a6b"
_REQUEST = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
_endpoint_argument = click.argument("endpoint_id", metavar="ENDPOINT_ID",
                                    callback=one_id("an endpoint id"))  # fmt: skip
_request_argument = click.argument("request_id", metavar="REQUEST_ID",
                                   callback=one_id("a request id"))  # fmt: skip


def _on_many_endpoints(*fields: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``many_targets`` of a request to endpoints: the ``ENDPOINT_ID...`` argument, result rows
    with ``fields`` after the common ones, ``--yes`` and ``--dry-run``."""
    return many_targets("endpoint_ids", "ENDPOINT_ID...", columns=[*RESULT_COLUMNS, *fields])


@click.group("aap")
def aap() -> None:
    """Adaptive attack protection of one endpoint.

    \b
    Examples:
      pysophos endpoint aap get 3f2c1d6e-8f7a-4b7e-9a55-1c2d3e4f5a6b
      pysophos endpoint aap update 3f2c1d6e-8f7a-4b7e-9a55-1c2d3e4f5a6b --enable --expires-after P7D --yes
    """


@aap.command("get", help=help_text("Show the desired and actual state.", [f"{_E} aap get {_ID}"]))
@_endpoint_argument
@record_options()
@click.pass_obj
def get_aap(cli: CliContext, output: OutputOptions, endpoint_id: str) -> None:
    state = cli.client().endpoints.adaptive_attack_protection.get(endpoint_id)
    cli.write_object(output, state.to_api(), title="Adaptive attack protection")


@aap.command(
    "update",
    help=help_text(
        "Turn adaptive attack protection on or off (for a while with --expires-after) on "
        "endpoints: one result row per endpoint (ids as arguments, - to read them from stdin, "
        "or @FILE).",
        [
            f"{_E} aap update {_ID} --enable --expires-after P7D --yes",
            f"{_E} aap update {_ID} --disable --yes",
        ],
    ),
)
@click.option("--enable/--disable", "enabled", default=None, help="On or off.")
@click.option("--expires-after", metavar="DURATION", help="ISO 8601 duration such as P7D.")
@_on_many_endpoints("desiredEnabled", "actualEnabled")
def update_aap(
    change: Change,
    *,
    endpoint_ids: tuple[str, ...],
    enabled: bool | None,
    expires_after: str | None,
) -> None:
    if enabled is None:
        raise click.UsageError("give --enable or --disable")
    from pysophoscentralapi._async.endpoint_requests import check_duration

    if expires_after is not None:
        with value_errors_as_usage():
            check_duration(expires_after, "--expires-after")

    def update(central: SophosCentral, endpoint_id: str) -> dict[str, Any]:
        state = central.endpoints.adaptive_attack_protection.update(
            endpoint_id, enabled=enabled, expires_after=expires_after
        ).to_api()
        return {
            "desiredEnabled": (state.get("desiredState") or {}).get("enabled"),
            "actualEnabled": (state.get("actualState") or {}).get("enabled"),
        }

    _on_endpoints(
        change, endpoint_ids, update,
        verb=f"turn adaptive attack protection {'on' if enabled else 'off'} on", done="changed",
    )  # fmt: skip


def _on_endpoints(
    change: Change,
    values: tuple[str, ...],
    action: Callable[[SophosCentral, str], dict[str, Any]],
    *,
    verb: str,
    done: str,
) -> None:
    """One request per endpoint, their hostnames in the question and the rows."""
    from pysophoscentralapi.cli.commands.endpoint_commands import _endpoint_ids, _hostnames

    ids = _endpoint_ids(values)
    act_on_each(
        change, ids, action, verb=verb, done=done, noun="endpoint",
        names=_hostnames(change.cli, ids),
    )  # fmt: skip


def _request_group(name: str, noun: str, start: str, attribute: str, file: str) -> click.Group:
    """``collect|generate`` and ``status`` of forensic logs or memory dumps (``start``: the
    example of asking for one)."""
    group = click.Group(
        name,
        help=help_text(
            f"{noun[0].upper()}{noun[1:]}s of one endpoint: ask for one, then follow it.",
            [f"{_E} {name} {start} --yes", f"{_E} {name} status {_ID} {_REQUEST}"],
        ),
    )

    @_endpoint_argument
    @_request_argument
    @record_options()
    @click.pass_obj
    def status(cli: CliContext, output: OutputOptions, endpoint_id: str, request_id: str) -> None:
        resource = getattr(cli.client().endpoints, attribute)
        cli.write_object(output, resource.get(endpoint_id, request_id).to_api(), title=noun)

    group.add_command(
        click.command(
            "status",
            help=help_text(
                f"Show a {noun} request (its file once finished).",
                [f"{_E} {name} status {_ID} {_REQUEST} -o json"],
            ),
        )(status)
    )
    return group


forensic_log = _request_group(
    "forensic-log", "forensic log", f"collect {_ID}", "forensic_logs", "forensicLogFile"
)
memory_dump = _request_group(
    "memory-dump", "memory dump", f"generate {_ID} --pid 1234", "memory_dumps", "memoryDumpFile"
)


@forensic_log.command(
    "collect",
    help=help_text(
        "Ask endpoints for a forensic log: one result row per endpoint with its request id "
        "(pending; follow it with status). Ids as arguments, - to read them from stdin, or @FILE.",
        [
            f"{_E} forensic-log collect {_ID} --yes",
            f"{_E} forensic-log collect {_ID} --expires PT8H --yes",
        ],
    ),
)
@click.option("--mode", default="fast", show_default=True, help="How much to collect.")
@click.option("--expires", metavar="DURATION", help="How long the file is kept (PT4H...).")
@_on_many_endpoints("requestId", "receivedAt")
def collect(
    change: Change,
    *,
    endpoint_ids: tuple[str, ...],
    mode: str,
    expires: str | None,
) -> None:
    _check_expires(expires)

    def collect_one(central: SophosCentral, endpoint_id: str) -> dict[str, Any]:
        request = central.endpoints.forensic_logs.collect(endpoint_id, mode=mode, expires=expires)
        answer = request.to_api()  # a dry run's answer has no id
        return {"requestId": answer.get("id"), "receivedAt": answer.get("receivedAt")}

    _on_endpoints(
        change, endpoint_ids, collect_one, verb="collect a forensic log from",
        done="asked",
    )  # fmt: skip


@memory_dump.command(
    "generate",
    help=help_text(
        "Ask an endpoint for a memory dump of a process (the answer is the request, pending).",
        [f"{_E} memory-dump generate {_ID} --pid 1234 --yes"],
    ),
)
@_endpoint_argument
@click.option("--mode", default="process", show_default=True, help="What to dump.")
@click.option("--pid", type=click.IntRange(min=0), help="The process id (mode process).")
@click.option("--expires", metavar="DURATION", help="How long the file is kept (PT4H...).")
@one_change()
def generate(
    change: Change,
    *,
    endpoint_id: str,
    mode: str,
    pid: int | None,
    expires: str | None,
) -> None:
    _check_expires(expires)
    if mode == "process" and pid is None:
        raise click.UsageError("--pid is needed with --mode process")
    change.confirm(f"dump the memory of process {pid} on {endpoint_id}")
    request = change.client().endpoints.memory_dumps.generate(
        endpoint_id, mode=mode, pid=pid, expires=expires
    )
    change.show(request, title="Memory dump request")


def _check_expires(expires: str | None) -> None:
    from pysophoscentralapi._async.endpoint_requests import check_duration

    if expires is not None:
        with value_errors_as_usage():
            check_duration(expires, "--expires")


@click.command(
    "downloads",
    help=help_text(
        "List the tenant's endpoint installers and their download URLs.",
        [
            f"{_E} downloads",
            f"{_E} downloads --platform windows -o csv --fields platform,downloadUrl",
        ],
    ),
)
@click.option(
    "--product",
    "products",
    multiple=True,
    metavar="NAME",
    help="Only installers with this product (repeatable).",
)
@click.option(
    "--platform",
    "platforms",
    multiple=True,
    type=click.Choice(ENDPOINT_PLATFORMS),
    help="Only this platform (repeatable).",
)
@output_options(
    columns=[
        Column("productName", key=True),
        Column("platform", priority=9),
        Column("type", priority=5),
        Column("downloadUrl", priority=1),
    ]
)
@click.pass_obj
def downloads(
    cli: CliContext, output: OutputOptions, products: tuple[str, ...], platforms: tuple[str, ...]
) -> None:
    options: dict[str, Any] = {
        "requested_products": split(products) or None,
        "platforms": list(platforms) or None,
    }
    answer = cli.client().downloads.get(**options)
    cli.write_rows(
        output, [installer.to_api() for installer in answer.installers], title="Installers"
    )
