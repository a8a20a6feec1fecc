"""``pysophos live-discover``: osquery SQL on live endpoints (the same tree as ``pysophos xdr``,
plus run endpoints and enrichments)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from pysophoscentralapi.cli._context import CliContext
from pysophoscentralapi.cli._output import OutputOptions, output_options
from pysophoscentralapi.cli._params import value_errors_as_usage
from pysophoscentralapi.cli._results import act_on_each, many_targets, require_deleted
from pysophoscentralapi.cli._safety import Change, one_change
from pysophoscentralapi.cli.commands._hunting import QuerySpec, query_group

if TYPE_CHECKING:
    from pysophoscentralapi._sync._client import SophosCentral

__all__ = ["live_discover"]

ENRICHMENT_COLUMNS = ["name", "type", "sourceType", "url", "id"]

live_discover = query_group(
    QuerySpec(
        command="live-discover",
        attribute="live_discover",
        label="Live Discover query",
        summary="Live Discover: osquery SQL on endpoints (query, runs, queries, categories, enrichments).",
        example_sql="SELECT name, path, cmdline FROM processes WHERE name LIKE 'chrome%'",
        example_saved="Listening ports",
        example_run="37915c40-dd1a-47be-bd3e-7e4e80d3f1b7",
        has_endpoints=True,
    )
)


@live_discover.group("enrichments")
def enrichments() -> None:
    """Enrichments: links that look a value (an IP, a SHA-256...) up elsewhere.

    \b
    Examples:
      pysophos live-discover enrichments list
      pysophos live-discover enrichments create --name VT --type sha256 --url 'https://www.virustotal.com/gui/file/$$sha256$$' --yes
    """


@enrichments.command("list")
@output_options(columns=ENRICHMENT_COLUMNS, model="pysophoscentralapi.models.queries:Enrichment")
@click.pass_obj
def list_enrichments(cli: CliContext, /, output: OutputOptions) -> None:
    """Every enrichment, canned and custom.

    \b
    Examples:
      pysophos live-discover enrichments list
    """
    cli.write_listing(
        output, lambda central: central.live_discover.list_enrichments(), title="Enrichments"
    )


def _enrichment_ids(cli: CliContext, values: tuple[str, ...]) -> tuple[list[str], dict[str, str]]:
    """Enrichment ids from ids or names (one listing, only when a name is given), and the
    names known (to name them in the question)."""
    from pysophoscentralapi.cli._names import resolve_id
    from pysophoscentralapi.cli._params import iter_ids

    listing: list[dict[str, Any]] = []

    def rows() -> list[dict[str, Any]]:
        if not listing:
            listing.extend(cli.client().live_discover.list_enrichments().raw_items())
        return listing

    ids = [
        resolve_id(
            value, rows, what="enrichment", param_hint="ID",
            list_command="pysophos live-discover enrichments list",
        )
        for value in iter_ids(values)
    ]  # fmt: skip
    if not ids:
        raise click.BadParameter("no enrichment ids given (stdin or the file was empty).")
    names = {str(row["id"]): str(row.get("name")) for row in listing}
    return list(dict.fromkeys(ids)), names


def _fields(required: bool) -> list[click.Option]:
    from pysophoscentralapi._enums.hunting import ENRICHMENT_TYPES

    return [
        click.Option(["--name"], required=required, help="Its name."),
        click.Option(
            ["--type"],
            required=required,
            type=click.Choice(ENRICHMENT_TYPES),
            help="What it looks up.",
        ),
        click.Option(
            ["--url"], required=required, help="The URL, with $$TYPE$$ where the value goes."
        ),
        click.Option(["--description"], help="A description."),
    ]


@enrichments.command("create", params=_fields(required=True))
@one_change(model="pysophoscentralapi.models.queries:Enrichment")
def create_enrichment(change: Change, /, **fields: str | None) -> None:
    """Create an enrichment.

    \b
    Examples:
      pysophos live-discover enrichments create --name "IP lookup" --type ipAddress --url 'https://ip.example/$$ipAddress$$' --yes
    """
    central = change.client()
    change.confirm(f"create enrichment {fields['name']!r}")
    with value_errors_as_usage():
        created = central.live_discover.create_enrichment(**fields)  # type: ignore[arg-type]
    change.show(created, title="Enrichment created")


@enrichments.command("update", params=_fields(required=False))
@click.argument("enrichment_id", metavar="ID|NAME")
@one_change(model="pysophoscentralapi.models.queries:Enrichment")
def update_enrichment(
    change: Change,
    *,
    enrichment_id: str,
    **fields: str | None,
) -> None:
    """Change an enrichment (custom ones only), by id or name.

    \b
    Examples:
      pysophos live-discover enrichments update 848d5e01-95a9-429c-8c3a-a9cca3340ede --name "IP lookup v2" --yes
    """
    (enrichment_id,), names = _enrichment_ids(change.cli, (enrichment_id,))
    central = change.client()
    change.confirm(f"update enrichment {names.get(enrichment_id) or enrichment_id}")
    with value_errors_as_usage():
        updated = central.live_discover.update_enrichment(enrichment_id, **fields)
    change.show(updated, title="Enrichment updated")


@enrichments.command("delete")
@many_targets("enrichment_ids", "ID|NAME...")
def delete_enrichment(change: Change, *, enrichment_ids: tuple[str, ...]) -> None:
    """Delete custom enrichments, by id or name: one result row per enrichment (as arguments,
    - to read them from stdin, or @FILE).

    \b
    Examples:
      pysophos live-discover enrichments delete 848d5e01-95a9-429c-8c3a-a9cca3340ede --yes
      pysophos live-discover enrichments delete "IP reputation" --yes
    """
    ids, names = _enrichment_ids(change.cli, enrichment_ids)

    def delete(central: SophosCentral, enrichment_id: str) -> None:
        require_deleted(
            central.live_discover.delete_enrichment(enrichment_id), dry_run=change.dry_run
        )

    act_on_each(
        change, ids, delete, verb="delete", done="deleted", noun="enrichment",
        names=names,
    )  # fmt: skip
