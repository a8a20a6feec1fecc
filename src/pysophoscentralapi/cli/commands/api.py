"""``pysophos api``: any Sophos Central operation by path, authenticated, routed and paged, the way
``gh api`` does it for GitHub.

The request goes through the library's escape hatch (``central.request`` / ``central.paginate``),
so the token, the host and tenancy header chosen from the path, retries of safe methods, the
rate limit and ``--dry-run`` behave as in every other command. See docs/api.md.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import click

from pysophoscentralapi.cli._api_input import (
    InputError,
    build_fields,
    parse_body,
    parse_field,
    parse_header,
    query_params,
)
from pysophoscentralapi.cli._context import CliContext
from pysophoscentralapi.cli._output import OutputOptions, output_options
from pysophoscentralapi.cli._params import argument_text, value_errors_as_usage
from pysophoscentralapi.cli._safety import Safety, state_changing

if TYPE_CHECKING:
    from pysophoscentralapi._sync._client import SophosCentral

__all__ = ["api"]

_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
#: Placeholders filled with the id of the tenant the request acts on, when no field gives them.
_TENANT_PLACEHOLDERS = ("tenantId", "tenant_id")


@dataclasses.dataclass(frozen=True)
class _Request:
    """One ``pysophos api`` request, parsed and checked (the path may still hold ``{tenantId}``)."""

    method: str
    path: str
    params: dict[str, Any] | None
    body: Any
    headers: dict[str, str]

    def path_for(self, central: SophosCentral) -> str:
        """The path with a tenant placeholder filled with the tenant ``central`` acts on."""
        from pysophoscentralapi._routing import fill_placeholders, placeholders

        wanted = [name for name in placeholders(self.path) if name in _TENANT_PLACEHOLDERS]
        if not wanted:
            return self.path
        tenant_id = central.tenant_id or central.whoami().id
        return fill_placeholders(self.path, dict.fromkeys(wanted, tenant_id))

    def send(self, central: SophosCentral) -> Any:
        return central.request(
            self.method,
            self.path_for(central),
            params=self.params,
            json=self.body,
            headers=self.headers or None,
        )

    def pages(self, central: SophosCentral) -> Any:
        return central.paginate(
            self.path_for(central),
            params=self.params,
            method=self.method,
            json=self.body,
            headers=self.headers or None,
        )


def _parse_request(
    path: str,
    *,
    method: str | None,
    raw_fields: tuple[str, ...],
    typed_fields: tuple[str, ...],
    input_file: str | None,
    header_args: tuple[str, ...],
) -> _Request:
    """The request the arguments describe; :class:`InputError` / ``ValueError`` for bad ones."""
    fields = build_fields(
        [parse_field(text, typed=False) for text in raw_fields]
        + [
            parse_field(text, typed=True, read_file=_file_text, read_stdin=_stdin_text)
            for text in typed_fields
        ]
    )
    body = None
    if input_file:
        text = argument_text(input_file if input_file == "-" else f"@{input_file}", what="--input")
        body = parse_body(text, input_file)
    # Placeholders are filled from fields of the same name (which are then not sent), and
    # {tenantId} later with the tenant acted on.
    from pysophoscentralapi._routing import fill_placeholders, placeholders

    names = [n for n in placeholders(path) if n in fields]
    filled = {name: _path_value(name, fields.pop(name)) for name in dict.fromkeys(names)}
    path = fill_placeholders(path, filled, keep=_TENANT_PLACEHOLDERS)
    # Unlike gh api, fields never make a request a POST: a change is always asked for (-X).
    verb = (method or "GET").upper()
    if verb not in _METHODS:
        raise InputError(f"-X {method!r}: the method must be one of {', '.join(_METHODS)}")
    params: dict[str, Any] | None = None
    if verb == "GET" or input_file:
        params = query_params(fields) or None  # gh api: with --input, fields go in the query
    else:
        body = fields or ({} if verb in ("POST", "PUT", "PATCH") else None)
    if verb == "GET" and body is not None:
        raise InputError("--input: a GET has no body (add -X POST, or use -f for the query)")
    headers = dict(parse_header(text) for text in header_args)
    return _Request(verb, path, params, body, headers)


def _file_text(path: str) -> str:
    return argument_text(f"@{path}", what="-F")


def _stdin_text() -> str:
    return argument_text("-")


def _path_value(name: str, value: Any) -> str:
    if isinstance(value, dict | list) or value is None:
        raise InputError(f"field {name}: fills the path's {{{name}}}, so it must be a single value")
    return str(value).lower() if isinstance(value, bool) else str(value)


def _rows(answer: Any) -> list[dict[str, Any]]:
    """The rows of an answer for -o jsonl/csv/table: a listing's items, else the answer itself."""
    if isinstance(answer, dict):
        items = answer.get("items")
        if isinstance(items, list) and all(isinstance(item, dict) for item in items):
            return items
        return [answer]
    if isinstance(answer, list):
        return [item if isinstance(item, dict) else {"value": item} for item in answer]
    return [] if answer is None else [{"value": answer}]


def _as_is(output: OutputOptions) -> bool:
    """Whether the answer is printed exactly as the API sent it (JSON, no projection)."""
    return (
        output.format == "json"
        and output.output_file is None
        and not output.fields
        and output.limit is None
        and output.sort is None
        and output.count_by is None
    )


class _OneAnswer:
    """A single answer shaped like a paginator (``pages()``), for ``--all-tenants`` streaming."""

    def __init__(self, answer: Callable[[], Any]) -> None:
        self._answer = answer

    def pages(self) -> Iterator[Any]:
        from pysophoscentralapi._paging import JSONPage, PageInfo

        answer = self._answer()
        yield JSONPage(_rows(answer), PageInfo(), answer if isinstance(answer, dict) else {})


@click.command("api")
@click.argument("path", metavar="PATH")
@click.option(
    "-X",
    "--method",
    metavar="METHOD",
    help="GET, POST, PUT, PATCH or DELETE [default: GET, even with fields].",
)
@click.option(
    "-f",
    "--raw-field",
    "raw_fields",
    multiple=True,
    metavar="KEY=VALUE",
    help="A string field: in the query of a GET, else in the JSON body (repeatable; "
    "KEY[]=V appends to a list, KEY[SUB]=V nests).",
)
@click.option(
    "-F",
    "--field",
    "typed_fields",
    multiple=True,
    metavar="KEY=VALUE",
    help="A typed field: true, false, null and integers as JSON; @FILE reads a file, @- or - "
    "standard input.",
)
@click.option(
    "--input",
    "input_file",
    metavar="FILE|-",
    help="The JSON request body from FILE (- for stdin); fields then go in the query.",
)
@click.option(
    "--paginate",
    is_flag=True,
    help="Fetch every page (key or page-number paging, detected) and stream the items.",
)
@click.option(
    "-H",
    "--header",
    "header_args",
    multiple=True,
    metavar="'NAME: VALUE'",
    help="An extra request header (repeatable); Authorization and the tenancy headers are "
    "refused (use --tenant).",
)
@output_options(columns=[])
@state_changing
@click.pass_obj
def api(  # noqa: PLR0917 - one parameter per option, as click passes them
    cli: CliContext,
    output: OutputOptions,
    safety: Safety,
    path: str,
    method: str | None,
    raw_fields: tuple[str, ...],
    typed_fields: tuple[str, ...],
    input_file: str | None,
    paginate: bool,
    header_args: tuple[str, ...],
) -> None:
    """Send any API request and print the JSON answer (like `gh api`).

    PATH is an API path as the Postman collection writes it (/endpoint/v1/endpoints/{id}:
    placeholders are filled from fields of the same name, {tenantId} with the tenant acted on),
    optionally with a ?query, or a full URL on the configured or a data-region API host. The host
    and tenancy header come from the path: /partner/v1 and /organization/v1 on the global host
    with X-Partner-ID / X-Organization-ID, /whoami/v1 global, every other API on the tenant's
    data-region host with X-Tenant-ID. Methods other than GET ask for confirmation (--yes, or
    --dry-run to print the request and send nothing).

    \b
    Examples:
      pysophos --emulator api /endpoint/v1/endpoints --paginate -o jsonl
      pysophos --emulator api /endpoint/v1/endpoints -f healthStatus=bad -F pageSize=5
      pysophos --emulator --all-tenants api /endpoint/v1/settings/tamper-protection -o table
      pysophos --emulator api -X POST /endpoint/v1/endpoints/{id}/scans -f id=2f94ef9d-c800-4a9a-9d49-2affb85a30e9 --dry-run
      pysophos --emulator api -X POST /common/v1/alerts/search -f 'severity[]=high' --paginate --yes
    """
    with value_errors_as_usage():
        try:
            request = _parse_request(
                path,
                method=method,
                raw_fields=raw_fields,
                typed_fields=typed_fields,
                input_file=input_file,
                header_args=header_args,
            )
        except InputError as error:
            raise click.UsageError(str(error)) from None
        from pysophoscentralapi._routing import check_extra_headers

        check_extra_headers(request.headers)
    if output.format is None and output.output_file is None:
        output = output._replace(format="json")  # like gh api, whatever the terminal
    if request.method != "GET":
        where = " in every selected tenant" if cli.all_tenants else ""
        safety.confirm(f"send {request.method} {request.path}{where}")
    if cli.all_tenants:
        _across_tenants(cli, output, safety, request, paginate)
        return
    central = cli.client(dry_run=safety.dry_run)
    with value_errors_as_usage():
        if paginate:
            cli.write_rows(output, _items(request.pages(central)))
            return
        answer = request.send(central)
    if safety.dry_run and request.method != "GET":
        return  # the request was printed instead of sent
    _write_answer(cli, output, answer)


def _items(paginator: Any) -> Iterator[dict[str, Any]]:
    """The items of ``--paginate``: a first answer that is not a listing is a usage error."""
    from pysophoscentralapi._errors import ResponseValidationError

    pages = iter(paginator.pages())
    try:
        first = next(pages, None)
    except ResponseValidationError as error:
        raise click.UsageError(
            f"--paginate: {error.message}, so it is not a listing; leave out --paginate"
        ) from None
    for page in [first] if first is not None else []:
        yield from page.raw
    for page in pages:
        yield from page.raw


def _write_answer(cli: CliContext, output: OutputOptions, answer: Any) -> None:
    if answer is None:
        return
    if _as_is(output):
        indent = cli.export_defaults().json_indent
        click.echo(json.dumps(answer, indent=indent or None, ensure_ascii=False))
        return
    cli.write_rows(output, _rows(answer))


def _across_tenants(
    cli: CliContext, output: OutputOptions, safety: Safety, request: _Request, paginate: bool
) -> None:
    """The request in every selected tenant; rows tagged with the tenant (exit 6 if some fail)."""
    from pysophoscentralapi.cli._tenants import write_all_tenants

    if safety.dry_run and request.method != "GET":
        _show_across_tenants(cli, request)
        return

    def fetch(client: SophosCentral) -> Any:
        if paginate:
            return request.pages(client)
        return _OneAnswer(lambda: request.send(client))

    with value_errors_as_usage():
        write_all_tenants(cli, output, fetch)


def _show_across_tenants(cli: CliContext, request: _Request) -> None:
    """``--dry-run`` over ``--all-tenants``: print the request of each tenant, send none."""
    from pysophoscentralapi._errors import SophosCentralError
    from pysophoscentralapi.cli._tenants import FanOutReport, selected_tenants

    tenants = selected_tenants(cli)
    report = FanOutReport(total=len(tenants))
    shower = cli.base_client(dry_run=True)
    for tenant in tenants:
        try:
            request.send(shower.for_tenant(str(tenant.id)))
        except SophosCentralError as error:
            report.finished(tenant, error)
        else:
            report.finished(tenant, None)
    report.raise_if_failed()
