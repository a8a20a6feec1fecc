"""``pysophos users``: directory users, and (``users groups``) user groups and their members.

Ids, emails and filter values are checked before anything is sent (exit 2 naming what is wrong
and the valid values). Commands taking several user ids also read them from ``-`` (stdin) or
``@FILE``, so listings pipe into them::

    pysophos users list --search smith -o json | jq -r '.[].id' | pysophos users groups add-members GROUP - --yes
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import click

from pysophoscentralapi._enums import GROUP_SORT_FIELDS
from pysophoscentralapi._enums.accounts import SOURCE_TYPES, USER_SORT_FIELDS
from pysophoscentralapi._errors import APIConnectionError, APIError, AuthenticationError
from pysophoscentralapi._validation import check_email, check_uuid
from pysophoscentralapi.cli._context import CliContext
from pysophoscentralapi.cli._names import resolve_id
from pysophoscentralapi.cli._output import OutputOptions, output_options, record_options
from pysophoscentralapi.cli._params import (
    FC,
    id_argument_callback,
    iter_ids,
    require_a_change,
    search_options,
    split,
    usage_errors,
    value_callback,
)
from pysophoscentralapi.cli._results import (
    Outcome,
    act_on_each,
    many_targets,
    result_row,
)
from pysophoscentralapi.cli._safety import Change, ids_summary, one_change, pass_change

if TYPE_CHECKING:
    from pysophoscentralapi._page import ModelRef
    from pysophoscentralapi._sync._client import SophosCentral

__all__ = ["users"]

USER_COLUMNS = ["name", "email", "source.type", "groups.total", "createdAt", "id"]
GROUP_COLUMNS = ["name", "description", "source.type", "users.total", "createdAt", "id"]
_SOURCE_CHOICE = click.Choice(list(SOURCE_TYPES), case_sensitive=True)
_USER_MODEL = "pysophoscentralapi.models.directory:DirectoryUser"
_GROUP_MODEL = "pysophoscentralapi.models.directory:UserGroup"
#: the output options of a listing of users (users list, users groups members)
_user_listing = output_options(
    columns=USER_COLUMNS, sortable_by_api=USER_SORT_FIELDS, model=_USER_MODEL
)


def _member_option(flag: str, name: str, text: str, *, several: bool = False) -> Callable[[FC], FC]:
    """``--group GROUP_ID`` or ``--user USER_ID`` (``several``: repeatable, or comma-separated),
    the id checked as a group's or a user's."""
    noun = flag.removeprefix("--")
    return click.option(
        flag,
        name,
        multiple=several,
        metavar=f"{noun.upper()}_ID",
        callback=id_argument_callback(f"{noun} id"),
        help=text,
    )


def _ids(values: tuple[str, ...], what: str, param_hint: str) -> list[str]:
    checked = []
    for value in iter_ids(values):
        for part in split([value], unique=True):
            try:
                checked.append(check_uuid(part, what))
            except ValueError as error:
                raise click.BadParameter(str(error), param_hint=param_hint) from None
    if not checked:
        raise click.BadParameter("no ids given", param_hint=param_hint)
    return list(dict.fromkeys(checked))


def _write_sorted(
    cli: CliContext,
    output: OutputOptions,
    listing: Callable[[SophosCentral], Callable[..., Any]],
    title: str,
    /,
    *args: Any,
    **filters: Any,
) -> None:
    """Write ``listing(central)(*args, **filters)``, sorted by the API when ``--sort`` names a
    field it sorts by (else locally)."""
    sort = output.api_sort
    cli.write_listing(
        output,
        lambda central: listing(central)(*args, **filters, sort=sort),
        title=title,
        sorted_by_api=sort is not None,
    )


def _get_and_delete_commands(
    group: click.Group,
    *,
    noun: str,
    title: str,
    model: ModelRef,
    resource: Callable[[Any], Any],
    get_help: str,
    delete_help: str,
) -> None:
    """Add ``get ID`` and ``delete ID`` of users or groups to ``group``.

    ``noun``: "user" or "group" (ids are a "NOUN id"); ``title``: of the object shown;
    ``resource(central)``: the namespace (``central.users``, ``central.users.groups``).
    """
    # users by id, full name or email; groups by id or name (matched as _names says)
    keys = ("name", "email") if noun == "user" else ("name",)

    @click.argument("item", metavar="ID|NAME|EMAIL" if noun == "user" else "ID|NAME")
    @record_options(model=model)
    @click.pass_obj
    def get_command(cli: CliContext, *, output: OutputOptions, item: str) -> None:
        namespace = resource(cli.client())
        item_id = resolve_id(
            item, lambda: namespace.list(search=item, search_fields=list(keys)).raw_items(),
            what=noun, keys=keys,
            param_hint=f"'{noun.upper()}'",
        )  # fmt: skip
        found = namespace.get(item_id)
        cli.write_object(output, found.to_api(), title=title)

    group.add_command(click.command("get", help=get_help)(get_command))

    @many_targets("item_ids", "ID...")
    def delete_command(change: Change, *, item_ids: tuple[str, ...]) -> None:
        ids = _ids(item_ids, f"{noun} id", "'ID...'")

        def delete(central: SophosCentral, item_id: str) -> None:
            resource(central).delete(item_id)

        act_on_each(change, ids, delete, verb="delete", done="deleted", noun=noun)

    group.add_command(click.command("delete", help=delete_help)(delete_command))


# --- users ---------------------------------------------------------------------------------------


@click.group()
def users() -> None:
    """Directory users and user groups.

    \b
    Examples:
      pysophos users list --search smith
      pysophos users create --name "Ann Lee" --email ann.lee@example.com --yes
      pysophos users groups members 3fa85f64-5717-4562-b3fc-2c963f66afa6
    """


@users.command("list")
@search_options(
    "Only users matching these words (full names unless --search-field).",
    "Field(s) --search looks in, e.g. email (repeatable).",
)
@click.option("--source-type", type=_SOURCE_CHOICE, help="Only users from this directory.")
@_member_option("--group", "group_id", "Only members of this group.")
@click.option("--domain", help="Only users of this email domain.")
@click.option(
    "--id",
    "ids",
    multiple=True,
    metavar="ID[,ID...]",
    callback=id_argument_callback("user id"),
    help="Only these users (repeatable, or comma-separated).",
)
@_user_listing
@click.pass_obj
def list_users(cli: CliContext, /, output: OutputOptions, **filters: Any) -> None:
    """List directory users.

    \b
    Examples:
      pysophos users list
      pysophos users list --source-type custom --sort name:desc -o csv
      pysophos users list --group 3fa85f64-5717-4562-b3fc-2c963f66afa6 --fields id,name,email
    """
    filters["ids"] = filters["ids"] or None
    _write_sorted(cli, output, lambda central: central.users.list, "Users", **filters)


@users.command("create")
@click.option("--name", help="Full name [default: FIRST LAST from --first-name/--last-name].")
@click.option(
    "--email", callback=value_callback(check_email), help="Email address (unique in the directory)."
)
@click.option("--first-name", help="First name.")
@click.option("--last-name", help="Last name.")
@click.option("--exchange-login", help="Exchange login name.")
@_member_option(
    "--group",
    "group_ids",
    "Put the user in this group (repeatable, or comma-separated).",
    several=True,
)
@one_change(model=_USER_MODEL)
def create_user(
    change: Change,
    *,
    name: str | None,
    email: str | None,
    first_name: str | None,
    last_name: str | None,
    exchange_login: str | None,
    group_ids: list[str],
) -> None:
    """Add a user to the directory.

    \b
    Examples:
      pysophos users create --first-name Ann --last-name Lee --email ann.lee@example.com --yes
      pysophos users create --name "Build Bot" --group 3fa85f64-5717-4562-b3fc-2c963f66afa6 --dry-run
    """
    name = name or " ".join(p for p in (first_name, last_name) if p)
    if not name.strip():
        raise click.BadParameter("give --name, or --first-name/--last-name", param_hint="'--name'")
    central = change.client()
    change.confirm(f"create user {name!r}")
    with usage_errors():
        user = central.users.create(
            name=name,
            email=email,
            first_name=first_name,
            last_name=last_name,
            exchange_login=exchange_login,
            group_ids=group_ids or None,
        )
    change.show(user, title="User created")


@users.command("update")
@click.argument("user_id", metavar="ID", callback=id_argument_callback("user id"))
@click.option("--name", help="New full name.")
@click.option("--email", callback=value_callback(check_email), help="New email address.")
@click.option("--first-name", help="New first name.")
@click.option("--last-name", help="New last name.")
@click.option("--exchange-login", help="New Exchange login name.")
@one_change(model=_USER_MODEL)
def update_user(
    change: Change,
    *,
    user_id: str,
    name: str | None,
    email: str | None,
    first_name: str | None,
    last_name: str | None,
    exchange_login: str | None,
) -> None:
    """Change a user (only the options given are changed; not users synced from AD).

    \b
    Examples:
      pysophos users update 17dd896f-ee9f-4f7d-a2a2-6a8c0b48ff15 --email ann.lee@example.org --yes
    """
    require_a_change({"--name": name, "--email": email, "--first-name": first_name,
                      "--last-name": last_name, "--exchange-login": exchange_login})  # fmt: skip
    central = change.client()
    change.confirm(f"update user {user_id}")
    with usage_errors():
        user = central.users.update(
            user_id,
            name=name,
            email=email,
            first_name=first_name,
            last_name=last_name,
            exchange_login=exchange_login,
        )
    change.show(user, title="User updated")


_get_and_delete_commands(
    users,
    noun="user",
    title="User",
    model=_USER_MODEL,
    resource=lambda central: central.users,
    get_help="""Show one user, with their groups.

\b
Examples:
  pysophos users get 17dd896f-ee9f-4f7d-a2a2-6a8c0b48ff15 -o json
""",
    delete_help="""Delete a user (not one synced from AD, nor an admin: remove the admin first).

\b
Examples:
  pysophos users delete 17dd896f-ee9f-4f7d-a2a2-6a8c0b48ff15 --yes
""",
)


# --- groups --------------------------------------------------------------------------------------


@users.group("groups")
def groups() -> None:
    """User groups and their members.

    \b
    Examples:
      pysophos users groups list
      pysophos users groups create --name Finance --description "Finance team" --yes
      pysophos users groups add-members 3fa85f64-5717-4562-b3fc-2c963f66afa6 USER_ID... --yes
    """


@groups.command("list")
@search_options(
    "Only groups matching these words (names unless --search-field).",
    "Field(s) --search looks in (repeatable).",
)
@click.option("--source-type", type=_SOURCE_CHOICE, help="Only groups from this directory.")
@_member_option("--user", "user_id", "Only the groups of this user.")
@click.option("--domain", help="Only groups of this domain.")
@output_options(
    columns=GROUP_COLUMNS,
    sortable_by_api=GROUP_SORT_FIELDS,
    model=_GROUP_MODEL,
)
@click.pass_obj
def list_groups(cli: CliContext, /, output: OutputOptions, **filters: Any) -> None:
    """List user groups.

    \b
    Examples:
      pysophos users groups list
      pysophos users groups list --source-type activeDirectory -o json
      pysophos users groups list --user 17dd896f-ee9f-4f7d-a2a2-6a8c0b48ff15
    """
    _write_sorted(cli, output, lambda central: central.users.groups.list, "User groups", **filters)


@groups.command("create")
@click.option("--name", required=True, help="The group's name (unique in the directory).")
@click.option("--description", help="What the group is for.")
@_member_option(
    "--user",
    "user_ids",
    "Put this user in the group (repeatable, or comma-separated).",
    several=True,
)
@one_change(model=_GROUP_MODEL)
def create_group(
    change: Change,
    *,
    name: str,
    description: str | None,
    user_ids: list[str],
) -> None:
    """Create a user group.

    \b
    Examples:
      pysophos users groups create --name Finance --description "Finance team" --yes
      pysophos users groups create --name Auditors --user 17dd896f-ee9f-4f7d-a2a2-6a8c0b48ff15 --yes
    """
    if not name.strip():
        raise click.BadParameter("give a non-empty name", param_hint="'--name'")
    central = change.client()
    change.confirm(f"create group {name!r}")
    with usage_errors():
        group = central.users.groups.create(
            name, description=description, user_ids=user_ids or None
        )
    change.show(group, title="User group created")


@groups.command("update")
@click.argument("group_id", metavar="ID", callback=id_argument_callback("group id"))
@click.option("--name", help="A new name.")
@click.option("--description", help="A new description.")
@one_change(model=_GROUP_MODEL)
def update_group(
    change: Change,
    *,
    group_id: str,
    name: str | None,
    description: str | None,
) -> None:
    """Rename a group or change its description.

    \b
    Examples:
      pysophos users groups update 3fa85f64-5717-4562-b3fc-2c963f66afa6 --name "Finance EU" --yes
    """
    require_a_change({"--name": name, "--description": description})
    central = change.client()
    change.confirm(f"update group {group_id}")
    with usage_errors():
        group = central.users.groups.update(group_id, name=name, description=description)
    change.show(group, title="User group updated")


_get_and_delete_commands(
    groups,
    noun="group",
    title="User group",
    model=_GROUP_MODEL,
    resource=lambda central: central.users.groups,
    get_help="""Show one group, with its members.

\b
Examples:
  pysophos users groups get 3fa85f64-5717-4562-b3fc-2c963f66afa6 -o json
""",
    delete_help="""Delete a group (only empty groups not synced from AD).

\b
Examples:
  pysophos users groups delete 3fa85f64-5717-4562-b3fc-2c963f66afa6 --yes
""",
)


@groups.command("members")
@click.argument("group_id", metavar="ID", callback=id_argument_callback("group id"))
@click.option("--search", help="Only members matching these words.")
@_user_listing
@click.pass_obj
def group_members(
    cli: CliContext, *, output: OutputOptions, group_id: str, search: str | None
) -> None:
    """List the users in a group.

    \b
    Examples:
      pysophos users groups members 3fa85f64-5717-4562-b3fc-2c963f66afa6
      pysophos users groups members 3fa85f64-5717-4562-b3fc-2c963f66afa6 -o json --fields id,email
    """
    _write_sorted(
        cli, output, lambda central: central.users.groups.members, "Group members",
        group_id, search=search,
    )  # fmt: skip


@groups.command("add-members")
@click.argument("group_id", metavar="GROUP_ID", callback=id_argument_callback("group id"))
@many_targets("user_ids", "USER_ID...")
def add_members(
    change: Change,
    *,
    group_id: str,
    user_ids: tuple[str, ...],
) -> None:
    """Add users to a group (ids as arguments, - to read them from stdin, or @FILE).

    \b
    Examples:
      pysophos users groups add-members 3fa85f64-5717-4562-b3fc-2c963f66afa6 \\
          17dd896f-ee9f-4f7d-a2a2-6a8c0b48ff15 95685fcb-8ee1-4fad-96e6-966dd5588025 --yes
      pysophos users list --search smith -o json | jq -r '.[].id' \\
          | pysophos users groups add-members 3fa85f64-5717-4562-b3fc-2c963f66afa6 - --yes
    """
    members = _ids(user_ids, "user id", "'USER_ID...'")
    central = change.client()
    change.confirm(ids_summary(f"add to group {group_id}", "user", members))

    def rows() -> Iterator[dict[str, Any]]:
        # One request for all: its answer (or its error) is every member's row.
        try:
            added = set(central.users.groups.add_members(group_id, members))
        except (APIError, APIConnectionError) as error:
            if isinstance(error, AuthenticationError):
                raise
            yield from (result_row(u, error=error, groupId=group_id) for u in members)
            return
        for user_id in members:
            if user_id in added:
                yield result_row(user_id, groupId=group_id)
            else:
                yield result_row(
                    user_id, Outcome.REFUSED, error="not added by the API", groupId=group_id
                )

    change.write_results(rows(), done=f"added to group {group_id}", total=len(members))


@groups.command("remove-member")
@click.argument("group_id", metavar="GROUP_ID", callback=id_argument_callback("group id"))
@click.argument("user_id", metavar="USER_ID", callback=id_argument_callback("user id"))
@output_options(columns=["groupId", "userId", "removed"])
@pass_change
def remove_member(change: Change, *, group_id: str, user_id: str) -> None:
    """Take a user out of a group.

    \b
    Examples:
      pysophos users groups remove-member 3fa85f64-5717-4562-b3fc-2c963f66afa6 \\
          17dd896f-ee9f-4f7d-a2a2-6a8c0b48ff15 --yes
    """
    central = change.client()
    change.confirm(f"remove user {user_id} from group {group_id}")
    central.users.groups.remove_member(group_id, user_id)
    if not change.dry_run:
        row = {"groupId": group_id, "userId": user_id, "removed": True}
        change.cli.write_object(change.output, row, title="Removed from group")


@groups.command("remove-members")
@click.argument("group_id", metavar="GROUP_ID", callback=id_argument_callback("group id"))
@many_targets("user_ids", "USER_ID...", columns=["id", "status", "error"])
def remove_members(
    change: Change,
    *,
    group_id: str,
    user_ids: tuple[str, ...],
) -> None:
    """Take several users out of a group in one request; one result row per user (a user who
    was not in the group is not-found, exit 4).

    \b
    Examples:
      pysophos users groups remove-members 3fa85f64-5717-4562-b3fc-2c963f66afa6 \\
          17dd896f-ee9f-4f7d-a2a2-6a8c0b48ff15 95685fcb-8ee1-4fad-96e6-966dd5588025 --yes
    """
    from pysophoscentralapi.cli._results import Outcome, result_row

    members = _ids(user_ids, "user id", "'USER_ID...'")
    change.confirm(f"remove {len(members)} user(s) from group {group_id}")
    removed = set(change.client().users.groups.remove_members(group_id, members))
    rows = (
        result_row(u)
        if u in removed
        else result_row(u, Outcome.NOT_FOUND, error="not in the group")
        for u in members
    )
    change.write_results(rows, done="removed", total=len(members))
