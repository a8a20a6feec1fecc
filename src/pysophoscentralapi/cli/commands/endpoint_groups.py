"""``pysophos endpoint groups``: endpoint groups and their members.

``list|get|create|update|delete`` come from the declaration
(:data:`~pysophoscentralapi._families.endpoint_groups.ENDPOINT_GROUPS`); ``members``, ``add`` and
``remove`` handle membership. Groups are named by id or by name (ignoring case; a name two
groups share is refused with their ids)::

    pysophos endpoint groups add Sales 3f2c1d6e-8f7a-4b7e-9a55-1c2d3e4f5a6b --yes
    pysophos endpoint groups members Sales -o csv
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import click

from pysophoscentralapi._errors import NotFoundError
from pysophoscentralapi._families.endpoint_groups import ENDPOINT_GROUPS
from pysophoscentralapi.cli._collection import collection_group, help_text, resolve_id
from pysophoscentralapi.cli._context import CliContext
from pysophoscentralapi.cli._output import OutputOptions, output_options
from pysophoscentralapi.cli._params import ENDPOINT_IDS
from pysophoscentralapi.cli._results import (
    Outcome,
    attempt,
    many_targets,
    result_row,
)
from pysophoscentralapi.cli._safety import Change, ids_summary

__all__ = ["groups"]

_CLI = "pysophos endpoint groups"
MEMBER_COLUMNS = ["id", "hostname", "type", "os.platform", "os.name"]
_EXAMPLE_ID = "3f2c1d6e-8f7a-4b7e-9a55-1c2d3e4f5a6b"

groups = collection_group(ENDPOINT_GROUPS)


@groups.command(
    "members",
    help=help_text(
        "List the endpoints in a group (by id or name).",
        [f"{_CLI} members Sales", f"{_CLI} members Servers -o csv --fields id,hostname"],
    ),
)
@click.argument("group", metavar="GROUP")
@output_options(columns=MEMBER_COLUMNS)
@click.pass_obj
def members(cli: CliContext, output: OutputOptions, group: str) -> None:
    group_id = resolve_id(cli, ENDPOINT_GROUPS, group)
    cli.write_listing(
        output, lambda central: central.endpoint_groups.members(group_id), title="Group members"
    )


def _result_rows(
    ids: list[str], done: list[str], missing: list[str], wrong: list[str]
) -> list[dict[str, Any]]:
    """One row per endpoint: ``ok``, ``not-found`` or ``refused`` (the other type)."""
    outcome: dict[str, tuple[Outcome, str | None]] = dict.fromkeys(done, (Outcome.OK, None))
    outcome |= dict.fromkeys(missing, (Outcome.NOT_FOUND, "no such endpoint (or not in the group)"))
    outcome |= dict.fromkeys(
        wrong, (Outcome.REFUSED, "an endpoint of the other type than the group's")
    )
    rows = []
    for endpoint_id in ids:
        status, error = outcome.get(endpoint_id, (Outcome.UNKNOWN, "not in the API's answer"))
        rows.append(result_row(endpoint_id, status, error=error))
    return rows


_Membership = Callable[[Change, str, list[str]], None]


def _membership(verb: str) -> Callable[[_Membership], Callable[..., None]]:
    """The arguments and options ``add`` and ``remove`` share; the function gets
    ``(change, group_id, ids)`` once "``verb`` group NAME" is confirmed."""
    return functools.partial(_membership_command, verb)


def _membership_command(verb: str, function: _Membership) -> Callable[..., None]:
    @click.argument("group", metavar="GROUP")
    @many_targets("endpoint_ids", "ENDPOINT_ID...", callback=ENDPOINT_IDS)
    @functools.wraps(function)
    def command(
        change: Change,
        group: str,
        endpoint_ids: list[str],
    ) -> None:
        group_id = resolve_id(change.cli, ENDPOINT_GROUPS, group)
        change.confirm(ids_summary(f"{verb} group {group}", "endpoint", endpoint_ids))
        function(change, group_id, endpoint_ids)

    return command


@groups.command(
    "add",
    help=help_text(
        "Put endpoints in a group (moving them from any other group). One result row per "
        "endpoint; an unknown endpoint or one of the other type exits 4.",
        [
            f"{_CLI} add Sales {_EXAMPLE_ID} --yes",
            f"pysophos endpoint list --search kiosk -o json | jq -r '.[].id' | {_CLI} add Kiosks - --yes",
        ],
    ),
)
@_membership("add to")
def add(change: Change, group_id: str, ids: list[str]) -> None:
    answer = change.client().endpoint_groups.add_endpoints(group_id, ids)
    added = [ref.id for ref in answer.added_endpoints]
    errors = answer.errors
    rows = _result_rows(ids, added, errors.endpoints_not_found, errors.endpoints_of_wrong_type)
    change.write_results(rows, done="added", total=len(ids))


@groups.command(
    "remove",
    help=help_text(
        "Take endpoints out of a group (they stay, in no group). One result row per endpoint; "
        "one not in the group exits 4.",
        [f"{_CLI} remove Sales {_EXAMPLE_ID} --yes", f"{_CLI} remove Kiosks @ids.txt --dry-run"],
    ),
)
@_membership("remove from")
def remove(change: Change, group_id: str, ids: list[str]) -> None:
    resource = change.client().endpoint_groups
    if len(ids) == 1:
        # One endpoint: its own request (404 when it is not in the group).
        def remove_one(endpoint_id: str) -> None:
            if not resource.remove_endpoint(group_id, endpoint_id) and not change.dry_run:
                raise NotFoundError("the API answered removed: false")

        rows = [attempt(ids[0], remove_one)]
    else:
        answer = resource.remove_endpoints(group_id, ids)
        done = [ref.id for ref in answer.removed_endpoints]
        rows = _result_rows(ids, done, answer.errors.endpoints_not_found, [])
    change.write_results(rows, done="removed", total=len(ids))


class GroupListing:
    """``endpoint list --group NAME``: the endpoints listing limited to one group's members.

    The group is found in each tenant the listing runs in (by id, or by name ignoring case);
    its member ids then go to ``GET /endpoints`` as an ``ids`` filter (with the other filters).
    """

    _IDS_PER_REQUEST = 100

    def __init__(self, central: Any, group: str, filters: dict[str, Any], page_size: int) -> None:
        self._central = central
        self._group = group.strip()
        self._filters = filters
        self._page_size = page_size

    def _group_id(self) -> str:
        from pysophoscentralapi._validation import is_uuid_text

        if is_uuid_text(self._group):
            return self._group.lower()
        try:
            return str(self._central.endpoint_groups.find(self._group).id)
        except LookupError as error:
            raise click.UsageError(
                f"--group: {error}; list them with: pysophos endpoint groups list"
            ) from None

    def raw_items(self) -> Any:
        member_ids = self._central.endpoint_groups.member_ids(self._group_id())
        wanted = self._filters.get("ids")
        if wanted:
            member_ids = [i for i in member_ids if i in set(wanted)]
        filters = {k: v for k, v in self._filters.items() if k != "ids"}
        for start in range(0, len(member_ids), self._IDS_PER_REQUEST):
            chunk = member_ids[start : start + self._IDS_PER_REQUEST]
            listing = self._central.endpoints.list(**filters, ids=chunk, page_size=self._page_size)
            yield from listing.raw_items()
