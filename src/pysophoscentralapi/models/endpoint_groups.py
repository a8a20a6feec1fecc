"""Endpoint groups (``/endpoint/v1/endpoint-groups``): groups of computers or of servers.

An endpoint is in at most one group; adding it to another group moves it::

    >>> EndpointGroup.model_validate({"id": "g1", "name": "Sales", "type": "computer",
    ...     "endpoints": {"total": 2, "itemsCount": 2, "items": [{"id": "e1"}, {"id": "e2"}]}}
    ... ).endpoints.total
    2
"""

from __future__ import annotations

from pydantic import Field

from pysophoscentralapi._enums import GROUP_SORT_FIELDS
from pysophoscentralapi._enums.endpoint_collections import (
    GROUP_SEARCH_FIELDS,
    GROUP_TYPES,
    EndpointGroupType,
)
from pysophoscentralapi.models._base import SophosModel, Timestamp
from pysophoscentralapi.models.endpoints import OsInfo, TenantRef


class GroupMemberRef(SophosModel):
    """An endpoint in a group's summary: its id (and hostname where the API gives it)."""

    id: str
    hostname: str | None = None


class GroupMembers(SophosModel):
    """A group's ``endpoints`` summary: how many, and the first of them."""

    total: int | None = None
    items_count: int | None = None
    items: list[GroupMemberRef] = Field(default_factory=list)


class EndpointGroup(SophosModel):
    """An endpoint group."""

    id: str
    name: str | None = None
    description: str | None = None
    type: EndpointGroupType | None = None
    tenant: TenantRef | None = None
    endpoints: GroupMembers = Field(default_factory=GroupMembers)
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None


class GroupEndpoint(SophosModel):
    """An endpoint as a group's member listing shows it."""

    id: str
    type: str | None = None
    hostname: str | None = None
    os: OsInfo | None = None


class MembershipErrors(SophosModel):
    """The ids a membership change could not apply to."""

    endpoints_not_found: list[str] = Field(default_factory=list)
    endpoints_of_wrong_type: list[str] = Field(default_factory=list)


class MembershipChange(SophosModel):
    """The answer to adding endpoints to a group or removing them from it."""

    added_endpoints: list[GroupMemberRef] = Field(default_factory=list)
    removed_endpoints: list[GroupMemberRef] = Field(default_factory=list)
    errors: MembershipErrors = Field(default_factory=MembershipErrors)


__all__ = [
    "GROUP_SEARCH_FIELDS",
    "GROUP_SORT_FIELDS",
    "GROUP_TYPES",
    "EndpointGroup",
    "EndpointGroupType",
    "GroupEndpoint",
    "GroupMemberRef",
    "GroupMembers",
    "MembershipChange",
    "MembershipErrors",
    "TenantRef",
]
