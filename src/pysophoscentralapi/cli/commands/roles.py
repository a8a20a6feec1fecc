"""``pysophos roles``: list, inspect, create, change and delete roles; list permission sets.

Ids and filter values are checked before anything is sent (exit 2 naming what is wrong and the
valid values). Permission sets given to ``create``/``update`` are checked against the ones the
tenant allows in custom roles (one request) before asking for confirmation.

This module also holds :func:`resolve_roles`, which the ``admins`` commands use.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import click

from pysophoscentralapi._enums.accounts import (
    PERMISSION_SET_ACCESS,
    PERMISSION_SET_TYPES,
    PRINCIPAL_TYPES,
    ROLE_TYPES,
)
from pysophoscentralapi._validation import canonical_uuid
from pysophoscentralapi.cli._context import CliContext
from pysophoscentralapi.cli._lazy import DeferredGroup
from pysophoscentralapi.cli._names import resolve_id
from pysophoscentralapi.cli._output import OutputOptions, output_options, record_options
from pysophoscentralapi.cli._params import ids_from_arguments, require_a_change, split, usage_errors
from pysophoscentralapi.cli._results import act_on_each, many_targets
from pysophoscentralapi.cli._safety import Change, one_change

if TYPE_CHECKING:
    from pysophoscentralapi._sync._client import SophosCentral

__all__ = [
    "PARTNER_ROLES",
    "TENANT_ROLES",
    "RoleFamily",
    "add_role_commands",
    "resolve_roles",
    "roles",
]

ROLE_COLUMNS = ["name", "type", "principalType", "permissionSets", "description", "id"]
_ROLE_MODEL = "pysophoscentralapi.models.roles:Role"
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


#: the roles listing of each client (and family: tenant or partner roles), fetched once per run
_ROLES: weakref.WeakKeyDictionary[SophosCentral, dict[str, list[dict[str, Any]]]] = (
    weakref.WeakKeyDictionary()
)


def role_rows(central: SophosCentral, family: RoleFamily | None = None) -> list[dict[str, Any]]:
    """The roles as the API returns them (the tenant's unless ``family`` says otherwise): one
    listing per client and run."""
    family = family or TENANT_ROLES
    cached = _ROLES.setdefault(central, {})
    if family.prefix not in cached:
        cached[family.prefix] = list(family.roles(central).list().raw_items())
    return cached[family.prefix]


def resolve_roles(
    central: SophosCentral,
    values: Sequence[str],
    *,
    param_hint: str = "'--role'",
    family: RoleFamily | None = None,
) -> list[str]:
    """Role ids from ids or names (matched by :func:`.._names.resolve_id`); one request for
    the roles, and only when a name is given. ``family``: whose roles (the tenant's by default,
    :data:`PARTNER_ROLES` for partner admins)."""
    wanted = split(values, unique=True)
    prefix = (family or TENANT_ROLES).prefix
    ids = [
        resolve_id(
            value, lambda: role_rows(central, family), what="role", param_hint=param_hint,
            list_command=f"pysophos {prefix} list",
        )
        for value in wanted
    ]  # fmt: skip
    return list(dict.fromkeys(ids))


def role_names(central: SophosCentral) -> dict[str, str]:
    """Role id -> role name (cached with :func:`role_rows`)."""
    return {str(row.get("id")): str(row.get("name")) for row in role_rows(central)}


def _is_uuid(value: str) -> bool:
    return canonical_uuid(value) is not None


def _choice(values: Sequence[str]) -> click.Choice[str]:
    return click.Choice(list(values), case_sensitive=True)


# --- commands ------------------------------------------------------------------------------------


# A named tuple rather than a frozen dataclass: several times cheaper to declare, and every
# `roles` and `partner roles` --help declares it.
class RoleFamily(NamedTuple):
    """Where a set of role commands acts: tenant roles (``pysophos roles``) or the partner's."""

    #: The command path shown in examples, e.g. ``roles`` or ``partner roles``.
    prefix: str
    #: Whose roles these are, in help text ("tenant", "partner").
    owner: str
    roles: Callable[[SophosCentral], Any]
    client: Callable[[CliContext, bool], SophosCentral]
    write_listing: Callable[..., Any]
    #: Values the examples of the help text name (``{role}``, ``{sets}``...): this family's own
    #: role names, permission sets and product.
    examples: dict[str, str]


def partner_client(cli: CliContext, dry_run: bool) -> SophosCentral:
    """The client of partner commands: the partner itself (no --tenant, no --all-tenants)."""
    if cli.all_tenants or cli.tenant:
        raise click.UsageError("partner commands act on the partner: drop --all-tenants/--tenant")
    return cli.base_client(dry_run=dry_run)


def _partner_listing(cli: CliContext, output: OutputOptions, fetch: Any, *, title: str) -> None:
    cli.write_rows(output, fetch(partner_client(cli, False)).raw_items(), title=title)


def _tenant_listing(cli: CliContext, output: OutputOptions, fetch: Any, *, title: str) -> None:
    cli.write_listing(output, fetch, title=title)


#: The partner's roles (``pysophos partner roles``): partner credentials, no tenant.
PARTNER_ROLES = RoleFamily(
    prefix="partner roles",
    owner="partner",
    roles=lambda central: central.partner.roles,
    client=partner_client,
    write_listing=_partner_listing,
    examples={
        "role": "Billing",
        "new_role": "Tenant Admin",
        "sets": "-p partner_tenant_admin -p partner_billing",
        "new_role_description": "Manages the tenants and their billing",
        "read_only_set": "partner_tenant_read_only",
        "product": "partner",
    },
)

TENANT_ROLES = RoleFamily(
    prefix="roles",
    owner="tenant",
    roles=lambda central: central.roles,
    client=lambda cli, dry_run: cli.client(dry_run=dry_run),
    write_listing=_tenant_listing,
    examples={
        "role": "Help Desk",
        "new_role": "Endpoint Admin",
        "sets": "-p central_admin -p endpoint_product_admin",
        "new_role_description": "Manages endpoints",
        "read_only_set": "central_read_only",
        "product": "endpoint",
    },
)


def _with_examples(family: RoleFamily, command: click.Command) -> click.Command:
    """Help text written once for every family: ``{prefix}``, ``{owner}`` and the example
    values of :attr:`RoleFamily.examples` filled in."""
    if command.help:
        values = {"prefix": family.prefix, "owner": family.owner, **family.examples}
        for key, value in values.items():
            command.help = command.help.replace(f"{{{key}}}", value)
    return command


def add_role_commands(group: click.Group, family: RoleFamily) -> click.Group:
    """Add list/get/create/update/delete/permission-sets for ``family`` to ``group``."""

    @group.command("list")
    @click.option("--type", "role_type", type=_choice(ROLE_TYPES), help="Only roles of this type.")
    @click.option(
        "--principal-type",
        type=_choice(PRINCIPAL_TYPES),
        help="Only roles for admins (user) or API credentials (service).",
    )
    @output_options(columns=ROLE_COLUMNS, model=_ROLE_MODEL)
    @click.pass_obj
    def list_roles(
        cli: CliContext, *, output: OutputOptions, role_type: str | None, principal_type: str | None
    ) -> None:
        """List the {owner}'s roles.

        \b
        Examples:
          pysophos {prefix} list
          pysophos {prefix} list --type custom --principal-type user -o json
        """
        family.write_listing(
            cli,
            output,
            lambda central: family.roles(central).list(
                type=role_type, principal_type=principal_type
            ),
            title="Roles",
        )

    @group.command("get")
    @click.argument("role", metavar="ID|NAME")
    @record_options(model=_ROLE_MODEL)
    @click.pass_obj
    def get_role(cli: CliContext, *, output: OutputOptions, role: str) -> None:
        """Show one role, by id or by name (names match whole, ignoring case).

        \b
        Examples:
          pysophos {prefix} get "{role}"
          pysophos {prefix} get "super admin" -o json
        """
        central = family.client(cli, False)
        role_id = resolve_roles(central, [role], param_hint="'ID|NAME'", family=family)[0]
        found = family.roles(central).get(role_id)
        cli.write_object(output, found.to_api(), title="Role")

    @group.command("create")
    @click.option("--name", required=True, help="The role's name (unique in the {owner}).")
    @click.option(
        "-p",
        "--permission-set",
        "permission_sets",
        multiple=True,
        required=True,
        metavar="ID[,ID...]",
        help="A permission set id (repeatable, or comma-separated); see: pysophos {prefix} permission-sets.",
    )
    @click.option("--description", help="What the role is for.")
    @click.option(
        "--principal-type",
        type=_choice(PRINCIPAL_TYPES),
        default="user",
        show_default=True,
        help="For admins (user) or API credentials (service).",
    )
    @one_change(model=_ROLE_MODEL)
    def create_role(
        change: Change,
        *,
        name: str,
        permission_sets: tuple[str, ...],
        description: str | None,
        principal_type: str,
    ) -> None:
        """Create a custom role from permission sets.

        \b
        Examples:
          pysophos {prefix} create --name "{new_role}" \\
              {sets} --description "{new_role_description}" --yes
          pysophos {prefix} create --name Auditors -p {read_only_set} --dry-run
        """
        if not name.strip():
            raise click.BadParameter("give a non-empty name", param_hint="'--name'")
        central = family.client(change.cli, change.dry_run)
        with usage_errors("'--permission-set'"):
            sets = family.roles(central).check_permission_sets(
                split(permission_sets, unique=True), principal_type=principal_type
            )
        change.confirm(f"create role {name!r} with {', '.join(sets)}")
        with usage_errors():
            role = family.roles(central).create(
                name=name,
                permission_sets=sets,
                description=description,
                principal_type=principal_type,
            )
        change.show(role, title="Role created")

    @group.command("update")
    @click.argument("role_value", metavar="ID|NAME")
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
    @one_change(model=_ROLE_MODEL)
    def update_role(
        change: Change,
        *,
        role_value: str,
        name: str | None,
        description: str | None,
        permission_sets: tuple[str, ...],
    ) -> None:
        """Change a custom role, by id or name (only the options given are changed).

        \b
        Examples:
          pysophos {prefix} update c83c9481-f63c-4eb8-8793-e81eb9d66ef4 --description "Endpoint team" --yes
          pysophos {prefix} update c83c9481-f63c-4eb8-8793-e81eb9d66ef4 -p {read_only_set} --yes
        """
        require_a_change(
            {"--name": name, "--description": description, "--permission-set": permission_sets}
        )
        central = family.client(change.cli, change.dry_run)
        role_id = resolve_roles(central, [role_value], param_hint="'ID|NAME'", family=family)[0]
        sets = None
        if permission_sets:
            with usage_errors("'--permission-set'"):
                sets = family.roles(central).check_permission_sets(
                    split(permission_sets, unique=True)
                )
        change.confirm(f"update role {role_id}")
        with usage_errors():
            role = family.roles(central).update(
                role_id, name=name, description=description, permission_sets=sets
            )
        change.show(role, title="Role updated")

    @group.command("delete")
    @many_targets("role_ids", "ID...")
    def delete_role(change: Change, *, role_ids: tuple[str, ...]) -> None:
        """Delete custom roles (not ones still assigned to an admin): one result row per role
        (ids as arguments, - to read them from stdin, or @FILE).

        \b
        Examples:
          pysophos {prefix} delete c83c9481-f63c-4eb8-8793-e81eb9d66ef4 --yes
        """
        ids = ids_from_arguments(role_ids, noun="a role id", plural="role ids")

        def delete(central: SophosCentral, role_id: str) -> None:
            family.roles(central).delete(role_id)

        act_on_each(
            change, ids, delete, verb="delete", done="deleted", noun="role",
            client=family.client(change.cli, change.dry_run),
        )  # fmt: skip

    @group.command("permission-sets")
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
    @output_options(
        columns=PERMISSION_SET_COLUMNS, model="pysophoscentralapi.models.roles:PermissionSet"
    )
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
          pysophos {prefix} permission-sets
          pysophos {prefix} permission-sets --allowed-in-custom-role --principal-type user
          pysophos {prefix} permission-sets --product {product} --access readOnly -o csv
        """
        family.write_listing(
            cli,
            output,
            lambda central: family.roles(central).permission_sets(
                type=set_type,
                product=product,
                access=access,
                allowed_in_custom_role=allowed,
                principal_type=principal_type,
            ),
            title="Permission sets",
        )

    for command in group.commands.values():
        _with_examples(family, command)
    return group


# Its commands are built when first listed or run (DeferredGroup): the admins and partner
# commands import this module for its helpers, and their --help needs none of these.
@click.group(cls=DeferredGroup, populate=lambda group: add_role_commands(group, TENANT_ROLES))
def roles() -> None:
    """Roles (predefined and custom) and the permission sets they grant.

    \b
    Examples:
      pysophos roles list --type custom
      pysophos roles permission-sets --allowed-in-custom-role
      pysophos roles create --name "Endpoint Admin" -p central_admin,endpoint_product_admin --yes
    """
