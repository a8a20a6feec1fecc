"""``pysophos roles``: list, inspect, create, change and delete roles; list permission sets.

Ids and filter values are checked before anything is sent (exit 2 naming what is wrong and the
valid values). Permission sets given to ``create``/``update`` are checked against the ones the
tenant allows in custom roles (one request) before asking for confirmation.

This module also holds :func:`resolve_roles`, which the ``admins`` commands use.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from pysophoscentralapi._enums import (
    PERMISSION_SET_ACCESS,
    PERMISSION_SET_TYPES,
    PRINCIPAL_TYPES,
    ROLE_TYPES,
)
from pysophoscentralapi._validation import canonical_uuid, check_uuid
from pysophoscentralapi.cli._context import CliContext
from pysophoscentralapi.cli._output import OutputOptions, output_options
from pysophoscentralapi.cli._params import id_argument_callback, split, usage_errors
from pysophoscentralapi.cli._safety import Safety, state_changing

if TYPE_CHECKING:
    from pysophoscentralapi._sync._client import SophosCentral

__all__ = ["resolve_roles", "roles"]

ROLE_COLUMNS = ["name", "type", "principalType", "permissionSets", "description", "id"]
PERMISSION_SET_COLUMNS = [
    "id",
    "name",
    "type",
    "access",
    "allowedInCustomRoles",
    "principalTypes",
    "products",
]


# --- helpers shared with the admins commands ------------------------------------------------------


def resolve_roles(
    central: SophosCentral, values: Sequence[str], *, param_hint: str = "'--role'"
) -> list[str]:
    """Role ids from ids or names (names match case-insensitively); one request for the roles.

    An unknown name is a usage error listing the roles admins can be given.
    """
    wanted = split(values, unique=True)
    if all(_is_uuid(v) for v in wanted):
        return [check_uuid(v, "role") for v in wanted]
    known = list(central.roles.list(principal_type="user").raw_items())
    by_name = {str(row.get("name", "")).lower(): str(row["id"]) for row in known}
    ids = []
    for value in wanted:
        if _is_uuid(value):
            ids.append(check_uuid(value, "role"))
        elif value.lower() in by_name:
            ids.append(by_name[value.lower()])
        else:
            names = ", ".join(str(row.get("name")) for row in known)
            raise click.BadParameter(
                f"no role is named {value!r}; roles: {names}", param_hint=param_hint
            )
    return list(dict.fromkeys(ids))


def _is_uuid(value: str) -> bool:
    return canonical_uuid(value) is not None


def _choice(values: Sequence[str]) -> click.Choice[str]:
    return click.Choice(list(values), case_sensitive=True)


# --- commands ------------------------------------------------------------------------------------


@click.group()
def roles() -> None:
    """Roles (predefined and custom) and the permission sets they grant.

    \b
    Examples:
      pysophos roles list --type custom
      pysophos roles permission-sets --allowed-in-custom-role
      pysophos roles create --name "Endpoint Admin" -p central_admin,endpoint_product_admin --yes
    """


@roles.command("list")
@click.option("--type", "role_type", type=_choice(ROLE_TYPES), help="Only roles of this type.")
@click.option(
    "--principal-type",
    type=_choice(PRINCIPAL_TYPES),
    help="Only roles for admins (user) or API credentials (service).",
)
@output_options(columns=ROLE_COLUMNS)
@click.pass_obj
def list_roles(
    cli: CliContext, *, output: OutputOptions, role_type: str | None, principal_type: str | None
) -> None:
    """List the tenant's roles.

    \b
    Examples:
      pysophos roles list
      pysophos roles list --type custom --principal-type user -o json
    """
    cli.write_listing(
        output,
        lambda central: central.roles.list(type=role_type, principal_type=principal_type),
        title="Roles",
    )


@roles.command("get")
@click.argument("role_id", metavar="ID", callback=id_argument_callback("role id"))
@output_options(columns=ROLE_COLUMNS)
@click.pass_obj
def get_role(cli: CliContext, *, output: OutputOptions, role_id: str) -> None:
    """Show one role.

    \b
    Examples:
      pysophos roles get c83c9481-f63c-4eb8-8793-e81eb9d66ef4
      pysophos roles get c83c9481-f63c-4eb8-8793-e81eb9d66ef4 -o json
    """
    role = cli.client().roles.get(role_id)
    cli.write_object(output, role.to_api(), title="Role")


@roles.command("create")
@click.option("--name", required=True, help="The role's name (unique in the tenant).")
@click.option(
    "-p",
    "--permission-set",
    "permission_sets",
    multiple=True,
    required=True,
    metavar="ID[,ID...]",
    help="A permission set id (repeatable, or comma-separated); see: pysophos roles permission-sets.",
)
@click.option("--description", help="What the role is for.")
@click.option(
    "--principal-type",
    type=_choice(PRINCIPAL_TYPES),
    default="user",
    show_default=True,
    help="For admins (user) or API credentials (service).",
)
@output_options(columns=ROLE_COLUMNS)
@state_changing
@click.pass_obj
def create_role(
    cli: CliContext,
    *,
    output: OutputOptions,
    safety: Safety,
    name: str,
    permission_sets: tuple[str, ...],
    description: str | None,
    principal_type: str,
) -> None:
    """Create a custom role from permission sets.

    \b
    Examples:
      pysophos roles create --name "Endpoint Admin" \\
          -p central_admin -p endpoint_product_admin --description "Manages endpoints" --yes
      pysophos roles create --name Auditors -p central_read_only --dry-run
    """
    if not name.strip():
        raise click.BadParameter("give a non-empty name", param_hint="'--name'")
    central = cli.client(dry_run=safety.dry_run)
    with usage_errors("'--permission-set'"):
        sets = central.roles.check_permission_sets(
            split(permission_sets, unique=True), principal_type=principal_type
        )
    safety.confirm(f"create role {name!r} with {', '.join(sets)}")
    with usage_errors():
        role = central.roles.create(
            name=name,
            permission_sets=sets,
            description=description,
            principal_type=principal_type,
        )
    if not safety.dry_run:
        cli.write_object(output, role.to_api(), title="Role created")


@roles.command("update")
@click.argument("role_id", metavar="ID", callback=id_argument_callback("role id"))
@click.option("--name", help="A new name.")
@click.option("--description", help="A new description.")
@click.option(
    "-p",
    "--permission-set",
    "permission_sets",
    multiple=True,
    metavar="ID[,ID...]",
    help="Replace the role's permission sets with these (repeatable, or comma-separated).",
)
@output_options(columns=ROLE_COLUMNS)
@state_changing
@click.pass_obj
def update_role(
    cli: CliContext,
    *,
    output: OutputOptions,
    safety: Safety,
    role_id: str,
    name: str | None,
    description: str | None,
    permission_sets: tuple[str, ...],
) -> None:
    """Change a custom role (only the options given are changed).

    \b
    Examples:
      pysophos roles update c83c9481-f63c-4eb8-8793-e81eb9d66ef4 --description "Endpoint team" --yes
      pysophos roles update c83c9481-f63c-4eb8-8793-e81eb9d66ef4 -p central_read_only --yes
    """
    if name is None and description is None and not permission_sets:
        raise click.UsageError("nothing to change: give --name, --description or --permission-set")
    central = cli.client(dry_run=safety.dry_run)
    sets = None
    if permission_sets:
        with usage_errors("'--permission-set'"):
            sets = central.roles.check_permission_sets(split(permission_sets, unique=True))
    safety.confirm(f"update role {role_id}")
    with usage_errors():
        role = central.roles.update(
            role_id, name=name, description=description, permission_sets=sets
        )
    if not safety.dry_run:
        cli.write_object(output, role.to_api(), title="Role updated")


@roles.command("delete")
@click.argument("role_id", metavar="ID", callback=id_argument_callback("role id"))
@output_options(columns=["id", "deleted"])
@state_changing
@click.pass_obj
def delete_role(cli: CliContext, *, output: OutputOptions, safety: Safety, role_id: str) -> None:
    """Delete a custom role (not one still assigned to an admin).

    \b
    Examples:
      pysophos roles delete c83c9481-f63c-4eb8-8793-e81eb9d66ef4 --yes
    """
    central = cli.client(dry_run=safety.dry_run)
    safety.confirm(f"delete role {role_id}")
    central.roles.delete(role_id)
    if not safety.dry_run:
        cli.write_object(output, {"id": role_id, "deleted": True}, title="Role deleted")


@roles.command("permission-sets")
@click.option(
    "--type", "set_type", type=_choice(PERMISSION_SET_TYPES), help="Only sets of this type."
)
@click.option("--product", help="Only sets for this product (e.g. endpoint).")
@click.option("--access", type=_choice(PERMISSION_SET_ACCESS), help="Only this access level.")
@click.option(
    "--allowed-in-custom-role/--not-allowed-in-custom-role",
    "allowed",
    default=None,
    help="Only sets that can (or cannot) be used in custom roles.",
)
@click.option(
    "--principal-type", type=_choice(PRINCIPAL_TYPES), help="Only sets for this principal type."
)
@output_options(columns=PERMISSION_SET_COLUMNS)
@click.pass_obj
def permission_sets(
    cli: CliContext,
    *,
    output: OutputOptions,
    set_type: str | None,
    product: str | None,
    access: str | None,
    allowed: bool | None,
    principal_type: str | None,
) -> None:
    """List the permission sets roles are made of.

    \b
    Examples:
      pysophos roles permission-sets
      pysophos roles permission-sets --allowed-in-custom-role --principal-type user
      pysophos roles permission-sets --product endpoint --access readOnly -o csv
    """
    cli.write_listing(
        output,
        lambda central: central.roles.permission_sets(
            type=set_type,
            product=product,
            access=access,
            allowed_in_custom_role=allowed,
            principal_type=principal_type,
        ),
        title="Permission sets",
    )
