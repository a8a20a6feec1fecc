"""``pysophos partner``: the partner's own admins and roles, and the monthly billing usage.

Partner credentials only; the commands act on the partner account, so ``--tenant`` and
``--all-tenants`` are refused. Roles are given by id or name (names of partner roles).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from pysophoscentralapi._enums.accounts import ROLE_SCOPE_TYPES
from pysophoscentralapi.cli._context import CliContext
from pysophoscentralapi.cli._lazy import DeferredGroup
from pysophoscentralapi.cli._output import Column, OutputOptions, output_options, record_options
from pysophoscentralapi.cli._params import (
    id_argument_callback,
    ids_from_arguments,
    one_record,
    usage_errors,
)
from pysophoscentralapi.cli._results import act_on_each, many_targets
from pysophoscentralapi.cli._safety import Change, one_change
from pysophoscentralapi.cli.commands.roles import (
    PARTNER_ROLES,
    add_role_commands,
    partner_client,
    resolve_roles,
)

if TYPE_CHECKING:
    from pysophoscentralapi._sync._client import SophosCentral

__all__ = ["partner"]

F = TypeVar("F", bound=Callable[..., Any])

ADMIN_COLUMNS = [
    Column("username", key=True),
    Column("profile.name", priority=8),
    Column("active", priority=6),
    Column("primary", priority=4),
    Column("roleAssignments", priority=2),
    Column("id", key=True),
]
ASSIGNMENT_COLUMNS = ["id", "roleId", "scope.type", "scope.id"]
USAGE_COLUMNS = [
    Column("accountId", key=True),
    Column("productCode", key=True),
    Column("sku", priority=3),
    Column("productDescription", priority=5),
    Column("billableQuantity", priority=9),
    Column("actualQuantity", priority=8),
    Column("billingStartDate", priority=2),
    Column("billingEndDate", priority=1),
    Column("accountStatus", priority=6),
]


_admin_argument = click.argument("admin_id", metavar="ID|USERNAME")


def _admin_id(cli: CliContext, value: str) -> str:
    """A partner admin's id from an id or a username (the login email, ignoring case)."""
    from pysophoscentralapi.cli._names import resolve_id

    return resolve_id(
        value, lambda: partner_client(cli, False).partner.admins.list().raw_items(),
        what="partner admin", keys=("username",), param_hint="ID|USERNAME",
        list_command="pysophos partner admins list",
    )  # fmt: skip


@click.group()
def partner() -> None:
    """The partner account: its admins, roles and billing usage (partner credentials).

    \b
    Examples:
      pysophos partner admins list
      pysophos partner roles list --type custom
      pysophos partner billing usage 2026-11 -o csv --output-file usage-2026-11.csv
    """


@partner.group()
def admins() -> None:
    """Partner administrators and their role assignments.

    \b
    Examples:
      pysophos partner admins list
      pysophos partner admins create --username ops@msp.example --first-name Olga \\
          --last-name Ops --role Read-only --yes
    """


def _scope_options(command: F) -> F:
    command = click.option(
        "--scope-tenant",
        metavar="ID|NAME",
        help="The tenant of a --scope tenant assignment.",
    )(command)
    return click.option(
        "--scope",
        "scope_type",
        type=click.Choice(ROLE_SCOPE_TYPES),
        default="self",
        show_default=True,
        help="Where the role applies: the partner account, every managed tenant, or one tenant.",
    )(command)


def _role_in_scope(
    cli: CliContext, central: SophosCentral, role: str, scope_type: str, scope_tenant: str | None
) -> tuple[str, str | None]:
    """The id of the partner role ``role`` (id or name) and of the tenant of its scope (none
    unless ``--scope tenant``, which needs it)."""
    role_id = resolve_roles(central, [role], family=PARTNER_ROLES)[0]
    if scope_type == "tenant" and not scope_tenant:
        raise click.UsageError("--scope tenant needs --scope-tenant ID|NAME")
    if scope_type != "tenant" and scope_tenant:
        raise click.UsageError("--scope-tenant goes with --scope tenant")
    return role_id, cli.resolve_tenant(scope_tenant)[0] if scope_tenant else None


@admins.command("list")
@click.option("--search", help="Only admins matching these words (username, name).")
@click.option("--email", help="Only the admin with this email (username).")
@click.option("--role", help="Only admins holding this role (id or name).")
@click.option(
    "--with-access-to-tenant", "tenant", metavar="ID|NAME", help="Only admins who reach it."
)
@output_options(columns=ADMIN_COLUMNS)
@click.pass_obj
def list_admins(
    cli: CliContext,
    *,
    output: OutputOptions,
    search: str | None,
    email: str | None,
    role: str | None,
    tenant: str | None,
) -> None:
    """List the partner's admins.

    \b
    Examples:
      pysophos partner admins list
      pysophos partner admins list --role "Super Admin" -o json
      pysophos partner admins list --with-access-to-tenant "Acme Corp"
    """
    central = partner_client(cli, False)
    role_id = resolve_roles(central, [role], family=PARTNER_ROLES)[0] if role else None
    tenant_id = cli.resolve_tenant(tenant)[0] if tenant else None
    with usage_errors():
        listing = central.partner.admins.list(
            search=search, email=email, role_id=role_id, with_access_to_tenant=tenant_id
        )
    cli.write_rows(output, listing.raw_items(), title="Partner admins")


@admins.command("get")
@_admin_argument
@record_options()
@click.pass_obj
def get_admin(cli: CliContext, *, output: OutputOptions, admin_id: str) -> None:
    """Show one partner admin, by id or username (ignoring case).

    \b
    Examples:
      pysophos partner admins get e1c7aa85-7863-4561-a50e-2b345b0e16e5 -o json
      pysophos partner admins get morgan.reyes@msp.example.com
    """
    admin_id = _admin_id(cli, admin_id)
    found = partner_client(cli, False).partner.admins.get(admin_id)
    cli.write_object(output, found.to_api(), title="Partner admin")


@admins.command("create")
@click.option("--username", required=True, help="The admin's email address (their login).")
@click.option("--first-name", required=True, help="First name.")
@click.option("--last-name", required=True, help="Last name.")
@click.option("--role", required=True, help="The role to give (id or name of a partner role).")
@click.option("--phone", help="Phone number.")
@_scope_options
@one_change()
def create_admin(
    change: Change,
    *,
    username: str,
    first_name: str,
    last_name: str,
    role: str,
    phone: str | None,
    scope_type: str,
    scope_tenant: str | None,
) -> None:
    """Create a partner admin holding one role.

    \b
    Examples:
      pysophos partner admins create --username ops@msp.example --first-name Olga \\
          --last-name Ops --role Admin --yes
      pysophos partner admins create --username help@msp.example --first-name Hal \\
          --last-name Help --role Read-only --scope tenant --scope-tenant "Acme Corp" --yes
    """
    central = partner_client(change.cli, change.dry_run)
    role_id, tenant_id = _role_in_scope(change.cli, central, role, scope_type, scope_tenant)
    change.confirm(f"create partner admin {username!r}")
    with usage_errors():
        created = central.partner.admins.create(
            username=username,
            first_name=first_name,
            last_name=last_name,
            role_id=role_id,
            profile={"phone": phone} if phone else None,
            scope_type=scope_type,
            tenant_id=tenant_id,
        )
    change.show(created, title="Partner admin created")


@admins.command("role-assignments")
@_admin_argument
@click.argument(
    "assignment_id",
    metavar="[ASSIGNMENT]",
    required=False,
    callback=id_argument_callback("assignment id"),
)
@output_options(columns=ASSIGNMENT_COLUMNS)
@click.pass_obj
def role_assignments(
    cli: CliContext, *, output: OutputOptions, admin_id: str, assignment_id: str | None
) -> None:
    """List a partner admin's role assignments, or show one.

    \b
    Examples:
      pysophos partner admins role-assignments e1c7aa85-7863-4561-a50e-2b345b0e16e5
      pysophos partner admins role-assignments e1c7aa85-7863-4561-a50e-2b345b0e16e5 \\
          52d672f9-5d80-45cb-af70-eebd7d5530a9 -o json
    """
    admin_id = _admin_id(cli, admin_id)
    admins_api = partner_client(cli, False).partner.admins
    if assignment_id is not None:
        one_record(output, form="role-assignments ID ASSIGNMENT")
        found = admins_api.get_role_assignment(admin_id, assignment_id)
        cli.write_object(output, found.to_api(), title="Role assignment")
        return
    cli.write_rows(
        output, admins_api.role_assignments(admin_id).raw_items(), title="Role assignments"
    )


@admins.command("assign")
@_admin_argument
@click.option("--role", required=True, help="The role to add (id or name of a partner role).")
@_scope_options
@one_change()
def assign(
    change: Change,
    *,
    admin_id: str,
    role: str,
    scope_type: str,
    scope_tenant: str | None,
) -> None:
    """Give a partner admin one more role.

    \b
    Examples:
      pysophos partner admins assign e1c7aa85-7863-4561-a50e-2b345b0e16e5 --role Billing --yes
      pysophos partner admins assign e1c7aa85-7863-4561-a50e-2b345b0e16e5 --role Admin \\
          --scope tenant --scope-tenant "Acme Corp" --yes
    """
    admin_id = _admin_id(change.cli, admin_id)
    central = partner_client(change.cli, change.dry_run)
    role_id, tenant_id = _role_in_scope(change.cli, central, role, scope_type, scope_tenant)
    change.confirm(f"assign role {role} to partner admin {admin_id}")
    with usage_errors():
        made = central.partner.admins.assign_role(
            admin_id, role_id, scope_type=scope_type, tenant_id=tenant_id
        )
    change.show(made, title="Role assigned")


@admins.command("unassign")
@_admin_argument
@many_targets("assignment_ids", "ASSIGNMENT...")
def unassign(
    change: Change,
    *,
    admin_id: str,
    assignment_ids: tuple[str, ...],
) -> None:
    """Remove role assignments from a partner admin (not the last Super Admin's): one result
    row per assignment (ids as arguments, - to read them from stdin, or @FILE).

    \b
    Examples:
      pysophos partner admins unassign e1c7aa85-7863-4561-a50e-2b345b0e16e5 \\
          0a9b36a4-804d-45d4-9fbf-241dc9ebd8d0 --yes
    """
    admin_id = _admin_id(change.cli, admin_id)
    ids = ids_from_arguments(
        assignment_ids, noun="an assignment id", plural="assignment ids", hint="ASSIGNMENT"
    )

    def remove(central: SophosCentral, assignment_id: str) -> None:
        central.partner.admins.remove_role_assignment(admin_id, assignment_id)

    act_on_each(
        change, ids, remove, verb="remove",
        done="removed", noun="role assignment", client=partner_client(change.cli, change.dry_run),
    )  # fmt: skip


@partner.group(cls=DeferredGroup, populate=lambda group: add_role_commands(group, PARTNER_ROLES))
def roles() -> None:
    """The partner's roles (predefined and custom) and the permission sets they grant.

    \b
    Examples:
      pysophos partner roles list
      pysophos partner roles permission-sets --allowed-in-custom-role
    """


@partner.group()
def billing() -> None:
    """Billing: the monthly usage report.

    \b
    Examples:
      pysophos partner billing usage 2026-11
    """


_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


@billing.command("usage")
@click.argument("month", metavar="YYYY-MM")
@click.option("--account", "account", metavar="ID|NAME", help="Only this tenant's lines.")
@click.option("--contact-email", help="Only tenants of this contact email.")
@output_options(columns=USAGE_COLUMNS)
@click.pass_obj
def usage(
    cli: CliContext,
    *,
    output: OutputOptions,
    month: str,
    account: str | None,
    contact_email: str | None,
) -> None:
    """The usage report of a month: one line per tenant and product.

    \b
    Examples:
      pysophos partner billing usage 2026-11
      pysophos partner billing usage 2026-11 --account "Acme Corp" -o json
      pysophos partner billing usage 2026-11 --count-by productCode
    """
    found = _MONTH.match(month.strip())
    if not found or not 1 <= int(found.group(2)) <= 12:
        raise click.BadParameter(
            f"{month!r}: give a month as YYYY-MM, e.g. 2026-11", param_hint="MONTH"
        )
    central = partner_client(cli, False)
    account_id = cli.resolve_tenant(account)[0] if account else None
    with usage_errors():
        lines = central.partner.billing.usage(
            int(found.group(1)),
            int(found.group(2)),
            account_id=account_id,
            contact_email=contact_email,
        )
    cli.write_rows(output, lines.raw_items(), title=f"Usage {month}")
