"""``pysophos endpoint settings``: allowed and blocked applications, web-control local sites,
scanning exclusions and the global tamper protection switch.

Every value is checked before anything is sent (exit 2 naming the option and the valid values).
Adding, changing and deleting ask for confirmation on a terminal, need ``--yes`` otherwise, and
show the requests instead of sending them with ``--dry-run``::

    pysophos endpoint settings blocked-items add --sha256 <64 hex> --comment "ransomware" --yes
    pysophos endpoint settings allowed-items list -o csv --output-file allowed.csv
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import click

from pysophoscentralapi._enums import (
    ALLOWED_ITEM_TYPES,
    BLOCKED_ITEM_TYPES,
    MAX_SETTINGS_PAGE_SIZE,
    SCAN_MODES,
    SCANNING_EXCLUSION_TYPES,
    TYPES_WITHOUT_SCAN_MODE,
)
from pysophoscentralapi._errors import APIError, RateLimitError, ServerError
from pysophoscentralapi._validation import check_sha256
from pysophoscentralapi.cli._context import CliContext
from pysophoscentralapi.cli._errors import CommandFailed, exit_status_for
from pysophoscentralapi.cli._output import OutputOptions, output_options
from pysophoscentralapi.cli._params import ids_from_arguments, one_id, split, value_errors_as_usage
from pysophoscentralapi.cli._safety import Safety, ids_summary, state_changing

__all__ = ["settings"]

ALLOWED_COLUMNS = [
    "id",
    "type",
    "properties.fileName",
    "properties.sha256",
    "properties.path",
    "properties.certificateSigner",
    "comment",
    "createdAt",
]
BLOCKED_COLUMNS = ["id", "properties.sha256", "properties.fileName", "comment", "createdAt"]
SITE_COLUMNS = ["id", "url", "categoryId", "tags", "comment"]
EXCLUSION_COLUMNS = ["id", "type", "value", "scanMode", "comment", "lockedByManagingAccount"]
DELETE_COLUMNS = ["id", "status", "error"]
# (type, option name, API property) of allowed/blocked items, in inference order.
_MATCHERS = (
    ("sha256", "--sha256", "sha256"),
    ("path", "--path", "path"),
    ("certificateSigner", "--certificate-signer", "certificate_signer"),
)


# --- checks, all before any request ---------------------------------------------------------------

_one_id = one_id("an id")


def _sha256(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return check_sha256(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a SHA-256 hash (64 hexadecimal characters, got "
            f"{len(value.strip())}).",
            ctx,
            param,
        ) from None


def _not_blank(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not value.strip():
        raise click.BadParameter("must not be empty.", ctx, param)
    return value


def _tags(ctx: click.Context, param: click.Parameter, value: Sequence[str]) -> list[str] | None:
    return split(value) if value else None


def _page_size(output: OutputOptions) -> int:
    wanted = output.fetch_limit()
    return min(wanted, MAX_SETTINGS_PAGE_SIZE) if wanted else MAX_SETTINGS_PAGE_SIZE


def _item_type(given_type: str | None, values: dict[str, str | None], types: Sequence[str]) -> str:
    """The item type: ``--type``, or the one matching option given."""
    options = {t: option for t, option, _ in _MATCHERS if t in types}
    present = [t for t in options if values.get(t)]
    if given_type is not None:
        if not values.get(given_type):
            raise click.UsageError(f"--type {given_type} needs {options[given_type]}")
        return given_type
    if not present:
        raise click.UsageError(f"give one of {', '.join(options.values())}")
    if len(present) > 1:
        raise click.UsageError(
            f"{' and '.join(options[t] for t in present)} given: say which one the item matches "
            f"on with --type ({', '.join(types)})"
        )
    return present[0]


def _collection_commands(
    group: click.Group,
    *,
    noun: str,
    columns: list[str],
    resource: Callable[[Any], Any],
    list_help: str,
    get_help: str,
    delete_help: str,
    list_options: Sequence[Callable[[Any], Any]] = (),
) -> None:
    """Add ``list``, ``get ID`` and ``delete ID...`` of one settings collection to ``group``.

    ``noun``: one item ("allowed item"; titles are "Allowed item(s)"); ``resource(central)``: the
    collection's namespace; ``list_options``: filters, passed to its ``list()`` by name.
    """
    title = noun[0].upper() + noun[1:]

    @output_options(columns=columns)
    @click.pass_obj
    def list_command(cli: CliContext, /, output: OutputOptions, **filters: Any) -> None:
        page_size = _page_size(output)
        cli.write_listing(
            output,
            lambda central: resource(central).list(page_size=page_size, **filters),
            title=f"{title}s",
        )

    for option in reversed(list_options):
        list_command = option(list_command)
    group.add_command(click.command("list", help=list_help)(list_command))

    @click.argument("item_id", metavar="ID", callback=_one_id)
    @output_options(columns=columns)
    @click.pass_obj
    def get_command(cli: CliContext, output: OutputOptions, item_id: str) -> None:
        item = resource(cli.client()).get(item_id)
        cli.write_object(output, item.to_api(), title=title)

    group.add_command(click.command("get", help=get_help)(get_command))

    @click.argument("item_ids", metavar="ID...", nargs=-1, required=True)
    @output_options(columns=DELETE_COLUMNS)
    @state_changing
    @click.pass_obj
    def delete_command(
        cli: CliContext, output: OutputOptions, safety: Safety, item_ids: tuple[str, ...]
    ) -> None:
        # One DELETE per id, one result row each.
        ids = ids_from_arguments(item_ids)
        safety.confirm(ids_summary("delete", noun, ids))
        target = resource(cli.client(dry_run=safety.dry_run))
        rows: list[dict[str, Any]] = []
        failures: list[APIError] = []
        for item_id in ids:
            try:
                target.delete(item_id)
            except APIError as error:
                # An outage or throttling aborts; a refusal of one id (403 locked...) is reported.
                if isinstance(error, RateLimitError | ServerError):
                    raise
                click.echo(f"error: delete {item_id}: {error.message}", err=True)
                failures.append(error)
                rows.append({"id": item_id, "status": "failed", "error": error.message})
            else:
                rows.append({"id": item_id, "status": "deleted"})
        if not safety.dry_run:
            cli.write_rows(output, rows)
        if failures:
            raise CommandFailed(
                f"delete failed for {len(failures)} of {len(ids)} {noun}s",
                exit_status_for(failures[0]),
            )

    group.add_command(click.command("delete", help=delete_help)(delete_command))


_DELETE_NOTE = (
    "The API answers 'deleted' also for an id that does not exist, so a typo is not reported."
)


# --- the group ------------------------------------------------------------------------------------


@click.group("settings")
def settings() -> None:
    """Endpoint settings: allowed and blocked applications, web-control local sites, scanning
    exclusions, global tamper protection.

    \b
    Examples:
      pysophos endpoint settings allowed-items list
      pysophos endpoint settings blocked-items add --sha256 <64 hex> --comment "malware" --yes
      pysophos endpoint settings web-control add intranet.example.com --category-id 50 --yes
      pysophos endpoint settings exclusions list --type process
      pysophos endpoint settings tamper-protection get
    """


# --- allowed items --------------------------------------------------------------------------------


@settings.group("allowed-items")
def allowed_items() -> None:
    """Applications exempted from detection (by SHA-256, path or certificate signer).

    \b
    Examples:
      pysophos endpoint settings allowed-items list -o json
      pysophos endpoint settings allowed-items add --path 'C:\\Tools\\erp.exe' --comment "ERP" --yes
    """


_collection_commands(
    allowed_items,
    noun="allowed item",
    columns=ALLOWED_COLUMNS,
    resource=lambda central: central.settings.allowed_items,
    list_help="""List allowed applications.

\b
Examples:
  pysophos endpoint settings allowed-items list
  pysophos endpoint settings allowed-items list --count-by type
  pysophos --all-tenants endpoint settings allowed-items list -o csv --output-file allowed.csv
""",
    get_help="""Show one allowed item.

\b
Examples:
  pysophos endpoint settings allowed-items get 3f2c1d6e-8f7a-4b7e-9a55-1c2d3e4f5a6b -o json
""",
    delete_help=f"""Delete allowed items (the applications are detected again).

{_DELETE_NOTE}

\b
Examples:
  pysophos endpoint settings allowed-items delete 3f2c1d6e-8f7a-4b7e-9a55-1c2d3e4f5a6b --yes
  pysophos endpoint settings allowed-items list -o json | jq -r '.[].id' | pysophos endpoint settings allowed-items delete - --dry-run
""",
)


@allowed_items.command("add")
@click.option("--sha256", callback=_sha256, metavar="HASH", help="SHA-256 of the file (64 hex).")
@click.option("--path", callback=_not_blank, metavar="PATH", help="Path of the file.")
@click.option(
    "--certificate-signer", callback=_not_blank, metavar="NAME", help="Certificate signer."
)
@click.option("--file-name", callback=_not_blank, metavar="NAME", help="File name (a detail).")
@click.option(
    "--type",
    "item_type",
    type=click.Choice(ALLOWED_ITEM_TYPES),
    help="What the item matches on [default: the one of --sha256/--path/--certificate-signer "
    "given].",
)
@click.option(
    "--comment", required=True, callback=_not_blank, metavar="TEXT", help="Why (required)."
)
@click.option("--origin-person-id", callback=_one_id, metavar="ID", help="Person it came from.")
@click.option(
    "--origin-endpoint-id", callback=_one_id, metavar="ID", help="Endpoint it was seen on."
)
@output_options(columns=["status", *ALLOWED_COLUMNS])
@state_changing
@click.pass_obj
def add_allowed(
    cli: CliContext,
    *,
    output: OutputOptions,
    safety: Safety,
    sha256: str | None,
    path: str | None,
    certificate_signer: str | None,
    file_name: str | None,
    item_type: str | None,
    comment: str,
    origin_person_id: str | None,
    origin_endpoint_id: str | None,
) -> None:
    """Allow an application. The type is taken from the one of --sha256, --path and
    --certificate-signer given (or --type when several are). Adding an existing item exits 4.

    \b
    Examples:
      pysophos endpoint settings allowed-items add --sha256 ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad --file-name tool.exe --comment "In-house tool" --yes
      pysophos endpoint settings allowed-items add --certificate-signer "Acme Ltd" --comment "Vendor" --yes
      pysophos endpoint settings allowed-items add --path /opt/app/bin/app --comment "App" --dry-run
    """
    values = {"sha256": sha256, "path": path, "certificateSigner": certificate_signer}
    chosen = _item_type(item_type, values, ALLOWED_ITEM_TYPES)
    safety.confirm(f"allow the application with {chosen} {values[chosen]}")
    with value_errors_as_usage():
        item = cli.client(dry_run=safety.dry_run).settings.allowed_items.add(
            type=chosen,
            sha256=sha256,
            path=path,
            certificate_signer=certificate_signer,
            file_name=file_name,
            comment=comment,
            origin_person_id=origin_person_id,
            origin_endpoint_id=origin_endpoint_id,
        )
    if not safety.dry_run:
        cli.write_rows(output, [{"status": "created", **item.to_api()}])


@allowed_items.command("update")
@click.argument("item_id", metavar="ID", callback=_one_id)
@click.option(
    "--comment", required=True, callback=_not_blank, metavar="TEXT", help="The new comment."
)
@output_options(columns=["status", *ALLOWED_COLUMNS])
@state_changing
@click.pass_obj
def update_allowed(
    cli: CliContext, output: OutputOptions, safety: Safety, item_id: str, comment: str
) -> None:
    """Change an allowed item's comment (the only thing the API lets you change).

    \b
    Examples:
      pysophos endpoint settings allowed-items update 3f2c1d6e-8f7a-4b7e-9a55-1c2d3e4f5a6b --comment "Approved by CISO" --yes
    """
    safety.confirm(f"change the comment of allowed item {item_id}")
    with value_errors_as_usage():
        item = cli.client(dry_run=safety.dry_run).settings.allowed_items.update(
            item_id, comment=comment
        )
    if not safety.dry_run:
        cli.write_rows(output, [{"status": "updated", **item.to_api()}])


# --- blocked items --------------------------------------------------------------------------------


@settings.group("blocked-items")
def blocked_items() -> None:
    """Applications blocked on every endpoint, by SHA-256.

    \b
    Examples:
      pysophos endpoint settings blocked-items list
      pysophos endpoint settings blocked-items add --sha256 <64 hex> --comment "Credential stealer" --yes
    """


_collection_commands(
    blocked_items,
    noun="blocked item",
    columns=BLOCKED_COLUMNS,
    resource=lambda central: central.settings.blocked_items,
    list_help="""List blocked applications.

\b
Examples:
  pysophos endpoint settings blocked-items list
  pysophos endpoint settings blocked-items list -o jsonl --fields properties.sha256,comment
""",
    get_help="""Show one blocked item.

\b
Examples:
  pysophos endpoint settings blocked-items get 3f2c1d6e-8f7a-4b7e-9a55-1c2d3e4f5a6b
""",
    delete_help=f"""Unblock applications: delete blocked items.

{_DELETE_NOTE}

\b
Examples:
  pysophos endpoint settings blocked-items delete 3f2c1d6e-8f7a-4b7e-9a55-1c2d3e4f5a6b --yes
  pysophos endpoint settings blocked-items delete @ids.txt --dry-run
""",
)


@blocked_items.command("add")
@click.option(
    "--sha256", required=True, callback=_sha256, metavar="HASH", help="SHA-256 of the file."
)
@click.option(
    "--comment", required=True, callback=_not_blank, metavar="TEXT", help="Why (required)."
)
@click.option("--file-name", callback=_not_blank, metavar="NAME", help="File name (a detail).")
@click.option("--path", callback=_not_blank, metavar="PATH", help="Path of the file (a detail).")
@click.option(
    "--type",
    "item_type",
    type=click.Choice(BLOCKED_ITEM_TYPES),
    default="sha256",
    show_default=True,
    help="What the item matches on (the API blocks by SHA-256 only).",
)
@output_options(columns=["status", *BLOCKED_COLUMNS])
@state_changing
@click.pass_obj
def add_blocked(
    cli: CliContext,
    *,
    output: OutputOptions,
    safety: Safety,
    sha256: str,
    comment: str,
    file_name: str | None,
    path: str | None,
    item_type: str,
) -> None:
    """Block an application everywhere by its SHA-256. A hash already blocked exits 4.

    \b
    Examples:
      pysophos endpoint settings blocked-items add --sha256 ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad --file-name evil.exe --comment "Ransomware" --yes
    """
    safety.confirm(f"block the application with sha256 {sha256}")
    with value_errors_as_usage():
        item = cli.client(dry_run=safety.dry_run).settings.blocked_items.add(
            sha256=sha256, comment=comment, file_name=file_name, path=path, type=item_type
        )
    if not safety.dry_run:
        cli.write_rows(output, [{"status": "created", **item.to_api()}])


@blocked_items.command(
    "update",
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
)
@click.argument("ignored", nargs=-1, type=click.UNPROCESSED, metavar="[ID]")
def update_blocked(ignored: tuple[str, ...]) -> None:
    """Not possible: the API cannot change a blocked item. Delete it and add it again.

    \b
    Examples:
      pysophos endpoint settings blocked-items delete 3f2c1d6e-8f7a-4b7e-9a55-1c2d3e4f5a6b --yes
      pysophos endpoint settings blocked-items add --sha256 <64 hex> --comment "new comment" --yes
    """
    raise click.UsageError(
        "the Sophos Central API cannot update a blocked item; delete it and add it again: "
        "pysophos endpoint settings blocked-items delete ID --yes, then "
        "pysophos endpoint settings blocked-items add --sha256 HASH --comment TEXT --yes"
    )


# --- web control local sites ----------------------------------------------------------------------


@settings.group("web-control")
def web_control() -> None:
    """Web-control local sites: URLs given their own category and/or tags.

    \b
    Examples:
      pysophos endpoint settings web-control list
      pysophos endpoint settings web-control add intranet.example.com --tag intranet --yes
    """


_collection_commands(
    web_control,
    noun="local site",
    columns=SITE_COLUMNS,
    resource=lambda central: central.settings.web_control.local_sites,
    list_help="""List local sites.

\b
Examples:
  pysophos endpoint settings web-control list
  pysophos endpoint settings web-control list --count-by categoryId
""",
    get_help="""Show one local site.

\b
Examples:
  pysophos endpoint settings web-control get 3f2c1d6e-8f7a-4b7e-9a55-1c2d3e4f5a6b
""",
    delete_help=f"""Delete local sites.

{_DELETE_NOTE}

\b
Examples:
  pysophos endpoint settings web-control delete 3f2c1d6e-8f7a-4b7e-9a55-1c2d3e4f5a6b --yes
""",
)


_site_options = [
    click.option(
        "--category-id",
        type=click.IntRange(min=1),
        metavar="N",
        help="Web-control category id.",
    ),
    click.option(
        "--tag",
        "tags",
        multiple=True,
        callback=_tags,
        metavar="TAG",
        help="A tag (repeatable, or comma-separated).",
    ),
    click.option("--comment", metavar="TEXT", help="Why."),
]


def _with_site_options(function: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(_site_options):
        function = option(function)
    return function


@web_control.command("add")
@click.argument("url", callback=_not_blank)
@_with_site_options
@output_options(columns=["status", *SITE_COLUMNS])
@state_changing
@click.pass_obj
def add_site(
    cli: CliContext,
    *,
    output: OutputOptions,
    safety: Safety,
    url: str,
    category_id: int | None,
    tags: list[str] | None,
    comment: str | None,
) -> None:
    """Add a local site (a domain, URL or IP address) with a category and/or tags.

    \b
    Examples:
      pysophos endpoint settings web-control add intranet.example.com --category-id 50 --yes
      pysophos endpoint settings web-control add files.partner.example --tag partners --tag files --comment "Partner share" --yes
    """
    safety.confirm(f"add the local site {url}")
    with value_errors_as_usage():
        site = cli.client(dry_run=safety.dry_run).settings.web_control.local_sites.add(
            url, category_id=category_id, tags=tags, comment=comment
        )
    if not safety.dry_run:
        cli.write_rows(output, [{"status": "created", **site.to_api()}])


@web_control.command("update")
@click.argument("site_id", metavar="ID", callback=_one_id)
@click.option("--url", callback=_not_blank, help="The new URL.")
@_with_site_options
@output_options(columns=["status", *SITE_COLUMNS])
@state_changing
@click.pass_obj
def update_site(
    cli: CliContext,
    *,
    output: OutputOptions,
    safety: Safety,
    site_id: str,
    url: str | None,
    category_id: int | None,
    tags: list[str] | None,
    comment: str | None,
) -> None:
    """Change a local site: only the options given are changed (--tag replaces all tags).

    \b
    Examples:
      pysophos endpoint settings web-control update 3f2c1d6e-8f7a-4b7e-9a55-1c2d3e4f5a6b --comment "Moved" --yes
      pysophos endpoint settings web-control update 3f2c1d6e-8f7a-4b7e-9a55-1c2d3e4f5a6b --category-id 50 --tag intranet --yes
    """
    if url is None and category_id is None and tags is None and comment is None:
        raise click.UsageError("nothing to change: give --url, --category-id, --tag or --comment")
    safety.confirm(f"change the local site {site_id}")
    with value_errors_as_usage():
        site = cli.client(dry_run=safety.dry_run).settings.web_control.local_sites.update(
            site_id, url=url, category_id=category_id, tags=tags, comment=comment
        )
    if not safety.dry_run:
        cli.write_rows(output, [{"status": "updated", **site.to_api()}])


# --- scanning exclusions --------------------------------------------------------------------------


@settings.group("exclusions")
def exclusions() -> None:
    """Scanning exclusions: files, folders, processes, websites... left out of scanning.

    \b
    Examples:
      pysophos endpoint settings exclusions list --type path
      pysophos endpoint settings exclusions add 'D:\\Backups\\' --type path --scan-mode onDemand --yes
    """


_TYPE_CHOICE = click.Choice(SCANNING_EXCLUSION_TYPES)
_MODE_CHOICE = click.Choice(SCAN_MODES)


_collection_commands(
    exclusions,
    noun="scanning exclusion",
    columns=EXCLUSION_COLUMNS,
    resource=lambda central: central.settings.scanning_exclusions,
    list_options=[
        click.option("--type", "type", type=_TYPE_CHOICE, help="Only exclusions of this type.")
    ],
    list_help="""List scanning exclusions.

\b
Examples:
  pysophos endpoint settings exclusions list
  pysophos endpoint settings exclusions list --type process -o csv
""",
    get_help="""Show one scanning exclusion.

\b
Examples:
  pysophos endpoint settings exclusions get 3f2c1d6e-8f7a-4b7e-9a55-1c2d3e4f5a6b
""",
    delete_help=f"""Delete scanning exclusions. Those locked by a partner or enterprise
admin cannot be deleted (reported per id, exit 4).

{_DELETE_NOTE}

\b
Examples:
  pysophos endpoint settings exclusions delete 3f2c1d6e-8f7a-4b7e-9a55-1c2d3e4f5a6b --yes
""",
)


@exclusions.command("add")
@click.argument("value", callback=_not_blank)
@click.option("--type", "exclusion_type", type=_TYPE_CHOICE, required=True, help="Exclusion type.")
@click.option(
    "--scan-mode",
    type=_MODE_CHOICE,
    help="When it applies [default (by the API): onDemandAndOnAccess for paths, onAccess "
    "otherwise; none for behavioral and exploitMitigation].",
)
@click.option("--comment", metavar="TEXT", help="Why.")
@output_options(columns=["status", *EXCLUSION_COLUMNS])
@state_changing
@click.pass_obj
def add_exclusion(
    cli: CliContext,
    *,
    output: OutputOptions,
    safety: Safety,
    value: str,
    exclusion_type: str,
    scan_mode: str | None,
    comment: str | None,
) -> None:
    """Add a scanning exclusion.

    \b
    Examples:
      pysophos endpoint settings exclusions add 'D:\\Backups\\' --type path --scan-mode onDemand --comment "Backups" --yes
      pysophos endpoint settings exclusions add /var/lib/postgresql/ --type posixPath --yes
      pysophos endpoint settings exclusions add updates.vendor.example --type web --yes
    """
    if scan_mode is not None and exclusion_type in TYPES_WITHOUT_SCAN_MODE:
        raise click.BadParameter(
            f"exclusions of type {exclusion_type} take no scan mode.", param_hint="--scan-mode"
        )
    safety.confirm(f"exclude the {exclusion_type} {value} from scanning")
    with value_errors_as_usage():
        exclusion = cli.client(dry_run=safety.dry_run).settings.scanning_exclusions.add(
            value, type=exclusion_type, scan_mode=scan_mode, comment=comment
        )
    if not safety.dry_run:
        cli.write_rows(output, [{"status": "created", **exclusion.to_api()}])


@exclusions.command("update")
@click.argument("exclusion_id", metavar="ID", callback=_one_id)
@click.option("--value", callback=_not_blank, help="The new value.")
@click.option("--scan-mode", type=_MODE_CHOICE, help="The new scan mode.")
@click.option("--comment", metavar="TEXT", help="The new comment.")
@output_options(columns=["status", *EXCLUSION_COLUMNS])
@state_changing
@click.pass_obj
def update_exclusion(
    cli: CliContext,
    *,
    output: OutputOptions,
    safety: Safety,
    exclusion_id: str,
    value: str | None,
    scan_mode: str | None,
    comment: str | None,
) -> None:
    """Change a scanning exclusion's value, scan mode or comment (its type is fixed).
    Exclusions locked by a partner or enterprise admin cannot be changed (exit 4).

    \b
    Examples:
      pysophos endpoint settings exclusions update 3f2c1d6e-8f7a-4b7e-9a55-1c2d3e4f5a6b --scan-mode onAccess --yes
    """
    if value is None and scan_mode is None and comment is None:
        raise click.UsageError("nothing to change: give --value, --scan-mode or --comment")
    safety.confirm(f"change the scanning exclusion {exclusion_id}")
    with value_errors_as_usage():
        exclusion = cli.client(dry_run=safety.dry_run).settings.scanning_exclusions.update(
            exclusion_id, value=value, scan_mode=scan_mode, comment=comment
        )
    if not safety.dry_run:
        cli.write_rows(output, [{"status": "updated", **exclusion.to_api()}])


# --- global tamper protection ---------------------------------------------------------------------


@settings.group("tamper-protection")
def tamper_protection() -> None:
    """The tenant-wide tamper protection switch (read-only in the API).

    \b
    Examples:
      pysophos endpoint settings tamper-protection get
      pysophos --tenant "Acme Ltd" endpoint settings tamper-protection get
    """


@tamper_protection.command("get")
@output_options(columns=["enabled"])
@click.pass_obj
def get_tamper_protection(cli: CliContext, output: OutputOptions) -> None:
    """Show whether tamper protection is on for the tenant.

    \b
    Examples:
      pysophos endpoint settings tamper-protection get
      pysophos --tenant "Acme Ltd" endpoint settings tamper-protection get -o json
    """
    status = cli.client().settings.tamper_protection.get()
    cli.write_object(output, status.to_api(), title="Global tamper protection")


@tamper_protection.command("update")
@click.option("--enable", is_flag=True, help="Turn it on.")
@click.option("--disable", is_flag=True, help="Turn it off.")
@state_changing
def update_tamper_protection(safety: Safety, enable: bool, disable: bool) -> None:
    """Not possible through the API: Sophos Central's API can only read the global switch.

    Turn it on or off in Sophos Central (Global Settings > Tamper Protection). Tamper
    protection of single endpoints can be changed: pysophos endpoint tamper update ID.

    \b
    Examples:
      pysophos endpoint settings tamper-protection get
      pysophos endpoint tamper update 3f2c1d6e-8f7a-4b7e-9a55-1c2d3e4f5a6b --enable --yes
    """
    if enable and disable:
        raise click.UsageError("--enable and --disable cannot be used together")
    if not enable and not disable:
        raise click.UsageError("give --enable or --disable")
    raise click.UsageError(
        "the Sophos Central API cannot change global tamper protection (it can only read it); "
        "change it in Sophos Central under Global Settings > Tamper Protection, or per endpoint "
        "with: pysophos endpoint tamper update ID --enable|--disable"
    )
