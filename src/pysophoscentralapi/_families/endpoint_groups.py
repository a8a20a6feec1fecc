"""Endpoint groups (``/endpoint/v1/endpoint-groups``), declared once.

The group list is a :class:`~pysophoscentralapi._collection.Collection`; membership (the
``/endpoints`` of a group) is the namespace's own (``members``, ``add_endpoints``...).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from pysophoscentralapi._collection import Cli, Collection, Filter, Option, nothing_to_update
from pysophoscentralapi._enums import GROUP_SORT_FIELDS
from pysophoscentralapi._enums.endpoint_collections import GROUP_SEARCH_FIELDS, GROUP_TYPES
from pysophoscentralapi._paging_style import PagingStyle
from pysophoscentralapi._validation import check_choice, check_text, check_uuids, split_values

if TYPE_CHECKING:
    from pysophoscentralapi.models.endpoint_groups import EndpointGroup

GROUPS_PATH = "/endpoint/v1/endpoint-groups"
_CLI = "pysophos endpoint groups"
#: The largest page of a group listing and of a group's members.
MAX_GROUPS_PAGE_SIZE = 100
MAX_MEMBERS_PAGE_SIZE = 500
MEMBERS_PAGING = PagingStyle.KEY


def check_endpoint_ids(values: str | Sequence[str], name: str = "endpoint_ids") -> list[str]:
    """Endpoint UUIDs from a list or a comma-separated string (at least one)."""
    return check_uuids(split_values(values, name), name, noun="an endpoint id")


def group_update_body(*, name: str | None = None, description: str | None = None) -> dict[str, Any]:
    """Rename a group or change its description (its type is fixed)."""
    body: dict[str, Any] = {}
    if name is not None:
        body["name"] = check_text(name, "name")
    if description is not None:
        body["description"] = str(description)
    return nothing_to_update(body, "name or description")


def group_body(
    name: str,
    *,
    type: str = "computer",
    description: str | None = None,
    endpoint_ids: str | Sequence[str] | None = None,
) -> dict[str, Any]:
    """Create a group of ``type`` (``computer`` or ``server``), maybe with its first members."""
    body: dict[str, Any] = {
        "name": check_text(name, "name"),
        "type": check_choice(type, "type", GROUP_TYPES),
    }
    if description is not None:
        body["description"] = str(description)
    if endpoint_ids:
        body["endpointIds"] = check_endpoint_ids(endpoint_ids)
    return body


ENDPOINT_GROUPS: Collection[EndpointGroup] = Collection(
    path=GROUPS_PATH,
    model="pysophoscentralapi.models.endpoint_groups:EndpointGroup",
    attribute="endpoint_groups",
    max_page_size=MAX_GROUPS_PAGE_SIZE,
    name_field="name",
    name_filter="search",
    filters=(
        Filter(
            "group_type",
            "Only groups of this type.",
            param="groupType",
            field="type",
            choices=GROUP_TYPES,
        ),
        Filter("search", "Only groups whose name (or --search-field) contains TEXT."),
        Filter(
            "search_fields",
            "Where --search looks (default: name).",
            param="searchFields",
            choices=GROUP_SEARCH_FIELDS,
            kind="choices",
        ),
        Filter("ids", "Only these group ids.", kind="ids"),
        Filter(
            "endpoint_ids", "Only groups holding these endpoints.", param="endpointIds", kind="ids"
        ),
        Filter(
            "sort",
            "Sort by id, name, createdAt or updatedAt (add :desc).",
            choices=GROUP_SORT_FIELDS,
            kind="sort",
            on_cli=False,
        ),
    ),
    add=group_body,
    update=group_update_body,
    cli=Cli(
        group="groups",
        noun="endpoint group",
        parent="pysophos endpoint",
        columns=("id", "name", "type", "endpoints.total", "description", "createdAt"),
        verbs={"add": "create"},
        add_options=(
            Option("name", "The group's name.", argument=True),
            Option(
                "type",
                "What the group holds.",
                kind="choice",
                choices=GROUP_TYPES,
                default="computer",
            ),
            Option("description", "What it is for.", kind="free", metavar="TEXT"),
            Option(
                "endpoint_ids",
                "An endpoint to put in it (repeatable, or comma-separated).",
                kind="tags",
                metavar="ID",
            ),
        ),
        update_options=(
            Option("name", "The new name."),
            Option("description", "The new description.", kind="free", metavar="TEXT"),
        ),
        describe_add=lambda v: f"create the {v.get('type', 'computer')} group {v['name']}",
        help={
            "group": (
                "Endpoint groups: computers or servers managed together. An endpoint is in at "
                "most one group; adding it to another moves it. Groups are named by id or by "
                "name (ignoring case).",
                [
                    f"{_CLI} list",
                    f"{_CLI} members Sales",
                    f"{_CLI} add Sales 3f2c1d6e-8f7a-4b7e-9a55-1c2d3e4f5a6b --yes",
                ],
            ),
            "list": [
                f"{_CLI} list",
                f"{_CLI} list --group-type server",
                f"{_CLI} list --search eng --sort name",
            ],
            "get": (
                "Show one endpoint group (by id or name).",
                [f"{_CLI} get Sales", f"{_CLI} get Engineering -o json"],
            ),
            "create": (
                "Create an endpoint group (a name already used exits 4).",
                [
                    f'{_CLI} create "Seattle computers" --description "Seattle office" --yes',
                    f"{_CLI} create Databases --type server --yes",
                ],
            ),
            "update": (
                "Rename an endpoint group or change its description.",
                [f'{_CLI} update Kiosks --name "Lobby kiosks" --yes'],
            ),
            "delete": (
                "Delete endpoint groups (their endpoints stay, in no group).",
                [f"{_CLI} delete Kiosks --yes", f"{_CLI} delete Kiosks --dry-run"],
            ),
        },
    ),
)
