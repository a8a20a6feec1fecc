"""``pysophos admins``: list, inspect, create, change and remove tenant admins.

Roles are given by id or by name (``--role "Help Desk"``); names are looked up with one request,
and an unknown name is a usage error (exit 2) listing the roles. Ids are checked before anything
is sent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import click

from pysophoscentralapi.cli._context import CliContext
from pysophoscentralapi.cli._names import resolve_id
from pysophoscentralapi.cli._output import Column, OutputOptions, output_options, record_options
from pysophoscentralapi.cli._params import (
    FC,
    id_argument_callback,
    ids_from_arguments,
    search_options,
    split,
    usage_errors,
)
from pysophoscentralapi.cli._results import act_on_each, many_targets
from pysophoscentralapi.cli._safety import Change, one_change
from pysophoscentralapi.cli.commands.roles import resolve_roles, role_names

if TYPE_CHECKING:
    from pysophoscentralapi._sync._client import SophosCentral
    from pysophoscentralapi._sync._pagination import Paginator
    from pysophoscentralapi.models.admins import Admin

__all__ = ["admins"]

ADMIN_COLUMNS = [
    Column("profile.name", key=True),
    Column("profile.email", priority=8),
    Column("roleAssignments.roleName", priority=9),
    Column("createdAt", priority=5),
    Column("id", key=True),
]
#: what the commands add to the API's rows: each role assignment's role name
ROLE_NAME_FIELDS = ("roleAssignments.roleName",)


class _WithRoleNames:
    """A listing whose admins' role assignments carry the role's name (one roles lookup)."""

    def __init__(self, central: SophosCentral, listing: Paginator[Admin]) -> None:
        self._central = central
        self._listing = listing

    def pages(self) -> Iterator[Any]:
        for page in self._listing.pages():
            for row in page.raw:
                add_role_names(self._central, row)
            yield page

    def raw_items(self) -> Iterator[dict[str, Any]]:
        for page in self.pages():
            yield from page.raw


def add_role_names(central: SophosCentral, row: dict[str, Any]) -> dict[str, Any]:
    """``row`` (an admin) with ``roleName`` beside each ``roleId``."""
    assignments = row.get("roleAssignments")
    if isinstance(assignments, list) and assignments:
        names = role_names(central)
        for assignment in assignments:
            if isinstance(assignment, dict) and "roleId" in assignment:
                assignment["roleName"] = names.get(str(assignment["roleId"]))
    return row


def _user_id(central: SophosCentral, value: str) -> str:
    """A directory user's id from an id, a full name or an email address."""
    return resolve_id(
        value, lambda: central.users.list(search=value, search_fields=["name", "email"]).raw_items(),
        what="user", keys=("name", "email"), param_hint="'--user-id'",
        list_command="pysophos users list --search TEXT",
    )  # fmt: skip


@click.group()
def admins() -> None:
    """Tenant admins: directory users given roles in Sophos Central.

    \b
    Examples:
      pysophos admins list
      pysophos admins create --user-id 17dd896f-ee9f-4f7d-a2a2-6a8c0b48ff15 --role "Help Desk" --yes
      pysophos admins update e1c7aa85-7863-4561-a50e-2b345b0e16e5 --role Read-only --yes
    """


_ADMIN_MODEL = "pysophoscentralapi.models.admins:Admin"


def _roles_option(text: str) -> Callable[[FC], FC]:
    """``--role ID|NAME`` (required, repeatable): the roles of the admin created or changed."""
    return click.option(
        "--role", "role_values", multiple=True, required=True, metavar="ID|NAME", help=text
    )


@admins.command("list")
@search_options(
    "Only admins matching these words (in --search-field).",
    "Field(s) --search looks in (repeatable; the API's default: username).",
)
@click.option("--role", "role", metavar="ID|NAME", help="Only admins holding this role.")
@output_options(
    columns=ADMIN_COLUMNS,
    model=_ADMIN_MODEL,
    extra_fields=ROLE_NAME_FIELDS,
)
@click.pass_obj
def list_admins(
    cli: CliContext,
    *,
    output: OutputOptions,
    search: str | None,
    search_fields: list[str] | None,
    role: str | None,
) -> None:
    """List the tenant's admins.

    \b
    Examples:
      pysophos admins list
      pysophos admins list --role "Super Admin" -o json
      pysophos admins list --search alice --fields id,profile.email
    """

    def fetch(central: SophosCentral) -> Any:
        # Role names are looked up per client: with --all-tenants each tenant has its own roles.
        role_id = resolve_roles(central, [role])[0] if role else None
        listing = central.admins.list(search=search, search_fields=search_fields, role_id=role_id)
        return _WithRoleNames(central, listing)

    cli.write_listing(output, fetch, title="Admins")


@admins.command("get")
@click.argument("admin_id", metavar="ID", callback=id_argument_callback("admin id"))
@record_options(model=_ADMIN_MODEL, extra_fields=ROLE_NAME_FIELDS)
@click.pass_obj
def get_admin(cli: CliContext, *, output: OutputOptions, admin_id: str) -> None:
    """Show one admin.

    \b
    Examples:
      pysophos admins get e1c7aa85-7863-4561-a50e-2b345b0e16e5
      pysophos admins get e1c7aa85-7863-4561-a50e-2b345b0e16e5 -o json
    """
    central = cli.client()
    admin = central.admins.get(admin_id)
    cli.write_object(output, add_role_names(central, admin.to_api()), title="Admin")


@admins.command("create")
@click.option(
    "--user-id",
    required=True,
    metavar="ID|NAME|EMAIL",
    help="The directory user to make an admin: id, full name or email (see: pysophos users list).",
)
@_roles_option("A role to give (id or name; repeatable).")
@one_change(model=_ADMIN_MODEL, extra_fields=ROLE_NAME_FIELDS)
def create_admin(
    change: Change,
    *,
    user_id: str,
    role_values: tuple[str, ...],
) -> None:
    """Make a directory user an admin with one or more roles.

    \b
    Examples:
      pysophos admins create --user-id 17dd896f-ee9f-4f7d-a2a2-6a8c0b48ff15 --role Admin --yes
      pysophos admins create --user-id 17dd896f-ee9f-4f7d-a2a2-6a8c0b48ff15 \\
          --role "Help Desk" --role Read-only --dry-run
    """
    central = change.client()
    role_ids = resolve_roles(central, role_values)
    user = _user_id(central, user_id)
    names = role_names(central)
    shown_user = user_id if user_id.strip().lower() != user else user
    change.confirm(
        f"make user {shown_user} an admin with role(s) "
        + ", ".join(repr(names.get(role_id, role_id)) for role_id in role_ids)
    )
    with usage_errors():
        admin = central.admins.create(user_id=user, role_ids=role_ids)
    change.show(admin, title="Admin created", shown=lambda record: add_role_names(central, record))


@admins.command("update")
@click.argument("admin_id", metavar="ID", callback=id_argument_callback("admin id"))
@_roles_option("The admin's new role (id or name); it replaces the admin's current role(s).")
@one_change(model=_ADMIN_MODEL, extra_fields=ROLE_NAME_FIELDS)
def update_admin(
    change: Change,
    *,
    admin_id: str,
    role_values: tuple[str, ...],
) -> None:
    """Change an admin's role.

    The API's role assignment replaces any existing assignment, so an admin gets exactly the one
    role given here.

    \b
    Examples:
      pysophos admins update e1c7aa85-7863-4561-a50e-2b345b0e16e5 --role "Help Desk" --yes
      pysophos admins update e1c7aa85-7863-4561-a50e-2b345b0e16e5 --role Read-only --dry-run
    """
    if len(split(role_values, unique=True)) != 1:
        raise click.BadParameter(
            "give exactly one role: assigning a role replaces the admin's existing ones",
            param_hint="'--role'",
        )
    central = change.client()
    role_ids = resolve_roles(central, role_values)
    role_name = role_names(central).get(role_ids[0], role_ids[0])
    change.confirm(f"set the role of admin {admin_id} to {role_name!r}")
    with usage_errors("'--role'"):
        admin = central.admins.update(admin_id, role_ids=role_ids)
    change.show(admin, title="Admin updated", shown=lambda record: add_role_names(central, record))


@admins.command("delete")
@many_targets("admin_ids", "ID...")
def delete_admin(change: Change, *, admin_ids: tuple[str, ...]) -> None:
    """Remove admins (the directory users stay). The last Super admin cannot be removed.

    One result row per admin (ids as arguments, - to read them from stdin, or @FILE).

    \b
    Examples:
      pysophos admins delete e1c7aa85-7863-4561-a50e-2b345b0e16e5 --yes
    """
    ids = ids_from_arguments(admin_ids, noun="an admin id", plural="admin ids")

    def remove(central: SophosCentral, admin_id: str) -> None:
        central.admins.delete(admin_id)

    act_on_each(change, ids, remove, verb="remove", done="removed", noun="admin")
