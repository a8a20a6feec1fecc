"""``pysophos account``: Account Management API: the tenant's access tokens.

Token values are secrets: listings leave them out (the ``token`` field is removed) unless
``--show-token`` is given; ``create`` prints the new token once, as the API returns it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from pysophoscentralapi.cli._context import CliContext
from pysophoscentralapi.cli._output import Column, OutputOptions, output_options
from pysophoscentralapi.cli._params import (
    id_argument_callback,
    ids_from_arguments,
    require_a_change,
    usage_errors,
)
from pysophoscentralapi.cli._results import act_on_each, many_targets
from pysophoscentralapi.cli._safety import Change, one_change

if TYPE_CHECKING:
    from pysophoscentralapi._sync._client import SophosCentral

__all__ = ["account"]

TOKEN_COLUMNS = [
    Column("label", key=True),
    Column("type", priority=3),
    Column("createdAt", priority=2),
    Column("expiresAt", priority=6),
    Column("createdBy.name", priority=1),
    Column("url", priority=0),
    Column("id", key=True),
]


def _expiry(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """An expiry option as the API writes times (``2027-06-30T00:00:00.000Z``)."""
    if value is None:
        return None
    from datetime import UTC, datetime

    from pysophoscentralapi._timeparams import format_api_datetime

    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a date or date-time (e.g. 2027-06-30 or 2027-06-30T12:00:00Z)",
            ctx,
            param,
        ) from None
    return format_api_datetime(moment if moment.tzinfo else moment.replace(tzinfo=UTC))


def _without_token(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k != "token"}


@click.group()
def account() -> None:
    """Account management: access tokens (e.g. for Sophos Linux Sensor installs).

    \b
    Examples:
      pysophos account tokens list
      pysophos account tokens create --label "Linux servers" --yes
    """


@account.group()
def tokens() -> None:
    """The tenant's access tokens.

    \b
    Examples:
      pysophos account tokens list
      pysophos account tokens revoke 89d6bed0-a403-4d62-aeac-817b2ac65c56 --yes
    """


@tokens.command("list")
@click.option("--show-token", is_flag=True, help="Include the token values (secrets).")
@output_options(columns=TOKEN_COLUMNS)
@click.pass_obj
def list_tokens(cli: CliContext, output: OutputOptions, show_token: bool) -> None:
    """List the access tokens (values left out unless --show-token).

    \b
    Examples:
      pysophos account tokens list
      pysophos account tokens list -o json --show-token
    """
    listing = cli.client().account.access_tokens.list()
    rows = (row if show_token else _without_token(row) for row in listing.raw_items())
    cli.write_rows(output, rows, title="Access tokens")


@tokens.command("create")
@click.option("--label", required=True, help="What the token is for.")
@click.option(
    "--expires", callback=_expiry, help="When it expires: YYYY-MM-DD or an ISO date-time."
)
@click.option(
    "--type",
    "token_type",
    type=click.Choice(["sophosLinuxSensor"]),
    default="sophosLinuxSensor",
    show_default=True,
    help="What the token authenticates.",
)
@one_change()
def create_token(
    change: Change,
    *,
    label: str,
    expires: str | None,
    token_type: str,
) -> None:
    """Create an access token; the token value is printed once.

    \b
    Examples:
      pysophos account tokens create --label "Linux servers" --yes
      pysophos account tokens create --label "Lab" --expires 2027-06-30T00:00:00Z --yes -o json
    """
    central = change.client()
    change.confirm(f"create access token {label!r}")
    with usage_errors():
        made = central.account.access_tokens.create(
            label=label, expires_at=expires, type=token_type
        )
    change.show(made, title="Access token created")


@tokens.command("update")
@click.argument("token_id", metavar="ID", callback=id_argument_callback("token id"))
@click.option("--label", help="A new label.")
@click.option("--expires", callback=_expiry, help="A new expiry: YYYY-MM-DD or an ISO date-time.")
@one_change()
def update_token(
    change: Change,
    *,
    token_id: str,
    label: str | None,
    expires: str | None,
) -> None:
    """Change a token's label or expiry.

    \b
    Examples:
      pysophos account tokens update 89d6bed0-a403-4d62-aeac-817b2ac65c56 --label "Prod" --yes
    """
    require_a_change({"--label": label, "--expires": expires})
    central = change.client()
    change.confirm(f"update access token {token_id}")
    with usage_errors():
        changed = central.account.access_tokens.update(token_id, label=label, expires_at=expires)
    change.show(changed, title="Access token updated", shown=_without_token)


@tokens.command("revoke")
@many_targets("token_ids", "ID...")
def revoke_token(change: Change, *, token_ids: tuple[str, ...]) -> None:
    """Revoke (delete) access tokens: whatever uses them stops authenticating. One result row
    per token (ids as arguments, - to read them from stdin, or @FILE).

    \b
    Examples:
      pysophos account tokens revoke 89d6bed0-a403-4d62-aeac-817b2ac65c56 --yes
    """
    ids = ids_from_arguments(token_ids, noun="a token id", plural="token ids")

    def revoke(central: SophosCentral, token_id: str) -> None:
        central.account.access_tokens.revoke(token_id)

    act_on_each(
        change, ids, revoke, verb="revoke", done="revoked", noun="access token",
        names=_labels(change.cli),
    )  # fmt: skip


def _labels(cli: CliContext) -> dict[str, str | None]:
    """Token id -> label (one listing), to name the tokens in the question and the rows; empty
    when the tokens cannot be listed (the revocations will tell)."""
    from pysophoscentralapi._errors import SophosCentralError

    try:
        rows = cli.client().account.access_tokens.list().raw_items()
        return {str(row.get("id")): row.get("label") for row in rows}
    except SophosCentralError:
        return {}
