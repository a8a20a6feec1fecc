"""``pysophos endpoint software``: recommended and static packages, and package comments.

``packages list|get`` come from the declaration
(:data:`~pysophoscentralapi._families.software.STATIC_PACKAGES`)::

    pysophos endpoint software packages list --platform windows
    pysophos endpoint software comments set fixed-windows-computer-0 --comment "ERP servers" --yes
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from pysophoscentralapi._families.software import STATIC_PACKAGES, check_package_id
from pysophoscentralapi.cli._collection import collection_group, help_text
from pysophoscentralapi.cli._context import CliContext
from pysophoscentralapi.cli._output import Column, OutputOptions, output_options, record_options
from pysophoscentralapi.cli._params import ids_from_arguments, value_callback, value_errors_as_usage
from pysophoscentralapi.cli._results import act_on_each, many_targets
from pysophoscentralapi.cli._safety import Change, one_change

if TYPE_CHECKING:
    from pysophoscentralapi._sync._client import SophosCentral

__all__ = ["software"]

_CLI = "pysophos endpoint software"
_PKG = "fixed-windows-computer-0"
#: the package the emulator seeds a comment on
_COMMENTED = "longTermSupport-windows-computer-2"
COMMENT_COLUMNS = [
    Column("package.id", key=True),
    Column("package.name", priority=5),
    Column("comment", priority=9),
]


_package_argument = click.argument(
    "package_id",
    metavar="PACKAGE_ID",
    callback=value_callback(lambda value: check_package_id(value, "PACKAGE_ID")),
)


@click.group("software")
def software() -> None:
    """Software packages: Sophos Recommended, static (fixed versions), and comments on them.

    \b
    Examples:
      pysophos endpoint software recommended
      pysophos endpoint software packages list --platform windows
      pysophos endpoint software comments list
    """


software.add_command(collection_group(STATIC_PACKAGES))


@software.command(
    "recommended",
    help=help_text("List the Sophos Recommended package of each platform.",
                   [f"{_CLI} recommended", f"{_CLI} recommended -o json"]),
)  # fmt: skip
@output_options(columns=["id", "platform", "modules"])
@click.pass_obj
def recommended(cli: CliContext, output: OutputOptions) -> None:
    rows = cli.client().software.recommended()
    cli.write_rows(output, [row.to_api() for row in rows], title="Recommended packages")


@software.command(
    "add-special",
    help=help_text("Add a special package Sophos support gave you (one way; exit 4 if added).",
                   [f"{_CLI} add-special special-windows-computer-4 --yes"]),
)  # fmt: skip
@_package_argument
@one_change()
def add_special(change: Change, package_id: str) -> None:
    change.confirm(f"add the special package {package_id} (this cannot be undone)")
    package = change.client().software.add_special_package(package_id)
    change.show(package, title="Special package added")


@software.group("comments")
def comments() -> None:
    """The tenant's comments on static packages.

    \b
    Examples:
      pysophos endpoint software comments list
      pysophos endpoint software comments set fixed-windows-computer-0 --comment "ERP" --yes
    """


@comments.command("list", help=help_text("List package comments.", [f"{_CLI} comments list"]))
@output_options(columns=COMMENT_COLUMNS)
@click.pass_obj
def list_comments(cli: CliContext, output: OutputOptions) -> None:
    rows = cli.client().software.comments()
    cli.write_rows(output, [row.to_api() for row in rows], title="Package comments")


@comments.command(
    "get", help=help_text("Show a package's comment.", [f"{_CLI} comments get {_COMMENTED}"])
)
@_package_argument
@record_options()
@click.pass_obj
def get_comment(cli: CliContext, output: OutputOptions, package_id: str) -> None:
    comment = cli.client().software.comment(package_id)
    cli.write_object(output, comment.to_api(), title="Package comment")


@comments.command(
    "set",
    help=help_text("Add or replace a package's comment.",
                   [f'{_CLI} comments set {_PKG} --comment "Use for ERP servers" --yes']),
)  # fmt: skip
@_package_argument
@click.option("--comment", required=True, metavar="TEXT", help="The comment.")
@one_change()
def set_comment(change: Change, package_id: str, comment: str) -> None:
    if not comment.strip():
        raise click.BadParameter("must not be empty.", param_hint="--comment")
    change.confirm(f"set the comment of package {package_id}")
    with value_errors_as_usage():
        answer = change.client().software.set_comment(package_id, comment)
    change.show(answer, title="Package comment")


@comments.command(
    "delete",
    help=help_text(
        "Remove packages' comments: one result row per package (ids as arguments, - to read "
        "them from stdin, or @FILE).",
        [f"{_CLI} comments delete {_COMMENTED} --yes"],
    ),
)
@many_targets("package_ids", "PACKAGE_ID...")
def delete_comment(change: Change, package_ids: tuple[str, ...]) -> None:
    ids = ids_from_arguments(
        package_ids, plural="package ids", hint="PACKAGE_ID",
        check=lambda value: check_package_id(value, "PACKAGE_ID"),
    )  # fmt: skip

    def delete(central: SophosCentral, package_id: str) -> None:
        central.software.delete_comment(package_id)

    act_on_each(
        change, ids, delete, verb="remove the comment of", done="removed",
        noun="package",
    )  # fmt: skip
