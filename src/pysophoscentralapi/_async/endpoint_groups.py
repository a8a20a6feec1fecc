"""Endpoint groups: ``central.endpoint_groups``.

Groups hold computers or servers; an endpoint is in at most one group (adding it to another
moves it)::

    async with AsyncSophosCentral.from_config() as central:
        group = await central.endpoint_groups.create("Seattle computers", type="computer")
        await central.endpoint_groups.add_endpoints(group.id, [endpoint_id])
        async for member in central.endpoint_groups.members(group.id):
            print(member.hostname)

The group list is declared in :mod:`pysophoscentralapi._families.endpoint_groups`.
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence

from pysophoscentralapi._async._collection import AsyncCrud
from pysophoscentralapi._async._pagination import AsyncPaginator
from pysophoscentralapi._collection import one_named
from pysophoscentralapi._families.endpoint_groups import (
    ENDPOINT_GROUPS,
    GROUPS_PATH,
    MAX_MEMBERS_PAGE_SIZE,
    MEMBERS_PAGING,
    check_endpoint_ids,
)
from pysophoscentralapi._page import validate_item
from pysophoscentralapi._validation import check_choice, check_page_size, check_uuid
from pysophoscentralapi.models.endpoint_groups import (
    GROUP_TYPES,
    EndpointGroup,
    GroupEndpoint,
    MembershipChange,
)

__all__ = ["AsyncEndpointGroups"]


class AsyncEndpointGroups(AsyncCrud[EndpointGroup]):
    """Endpoint groups: list, get, create (``add``), update, delete, and their members.

    Example::

        async for group in central.endpoint_groups.list(group_type="server"):
            print(group.name, group.endpoints.total)
        group = await central.endpoint_groups.find("sales")   # by name, ignoring case
    """

    collection = ENDPOINT_GROUPS
    #: ``create(name, type=..., description=..., endpoint_ids=[...])``: another name for ``add``.
    create = AsyncCrud.add

    def _group_path(self, group_id: str) -> str:
        return f"{GROUPS_PATH}/{check_uuid(group_id, 'group_id', noun='a group id')}"

    def list_by_type(
        self, group_type: str, *, page_size: int | None = None
    ) -> AsyncPaginator[EndpointGroup]:
        """The groups of one type (``GET /endpoint-groups/types/{groupType}``).

        Example::

            servers = [g.name async for g in central.endpoint_groups.list_by_type("server")]
        """
        group_type = check_choice(group_type, "group_type", GROUP_TYPES)
        size = self.collection.max_page_size if page_size is None else page_size
        return self._paginate(
            f"{GROUPS_PATH}/types/{group_type}",
            model=EndpointGroup,
            style=self.collection.paging,
            page_size=check_page_size(size, self.collection.max_page_size),
        )

    async def find(self, name: str) -> EndpointGroup:
        """The one group named ``name`` (ignoring case): :class:`LookupError` when there is none
        or several (the message lists them).

        Example::

            sales = await central.endpoint_groups.find("Sales")
        """
        rows = [row async for row in self.list(search=name).raw_items()]
        return validate_item(EndpointGroup, one_named(rows, name, "endpoint groups"))

    def members(
        self, group_id: str, *, page_size: int = MAX_MEMBERS_PAGE_SIZE
    ) -> AsyncPaginator[GroupEndpoint]:
        """The endpoints in a group, fetched lazily page by page (page keys).

        Example::

            hostnames = [e.hostname async for e in central.endpoint_groups.members(group.id)]
        """
        return self._paginate(
            f"{self._group_path(group_id)}/endpoints",
            model=GroupEndpoint,
            style=MEMBERS_PAGING,
            page_size=check_page_size(page_size, MAX_MEMBERS_PAGE_SIZE),
        )

    async def add_endpoints(self, group_id: str, endpoint_ids: Sequence[str]) -> MembershipChange:
        """Put endpoints in a group (moving them from any other); the answer lists those added
        and those not found or of the wrong type.

        Example::

            change = await central.endpoint_groups.add_endpoints(group.id, [endpoint_id])
            print(change.errors.endpoints_not_found)
        """
        path = f"{self._group_path(group_id)}/endpoints"
        body = {"ids": check_endpoint_ids(endpoint_ids, "endpoint_ids")}
        return self._result(MembershipChange, await self._request("POST", path, json=body))

    async def remove_endpoints(
        self, group_id: str, endpoint_ids: Sequence[str]
    ) -> MembershipChange:
        """Take endpoints out of a group (``DELETE .../endpoints?ids=...``).

        Example::

            await central.endpoint_groups.remove_endpoints(group.id, [endpoint_id])
        """
        path = f"{self._group_path(group_id)}/endpoints"
        ids = ",".join(check_endpoint_ids(endpoint_ids, "endpoint_ids"))
        answer = await self._request("DELETE", path, params={"ids": ids})
        return self._result(MembershipChange, answer)

    async def remove_endpoint(self, group_id: str, endpoint_id: str) -> bool:
        """Take one endpoint out of a group; ``True`` when the API says it was removed.

        Example::

            await central.endpoint_groups.remove_endpoint(group.id, endpoint_id)
        """
        endpoint_id = check_uuid(endpoint_id, "endpoint_id", noun="an endpoint id")
        path = f"{self._group_path(group_id)}/endpoints/{endpoint_id}"
        body = await self._request("DELETE", path)
        return self._deleted(body, "removed")

    async def member_ids(self, group_id: str) -> builtins.list[str]:
        """The ids of every endpoint in a group (all pages).

        Example::

            ids = await central.endpoint_groups.member_ids(group.id)
        """
        return [str(row["id"]) async for row in self.members(group_id).raw_items()]
