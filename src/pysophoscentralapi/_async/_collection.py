"""The library side of a declared collection (:mod:`pysophoscentralapi._collection`).

A collection's namespace names the operations it has and its declaration::

    class AsyncBlockedItems(Lists[BlockedItem], Gets[BlockedItem], Adds[BlockedItem],
                            Deletes[BlockedItem]):
        collection = BLOCKED_ITEMS

(:class:`AsyncCrud` is all five.) Every argument is checked before anything is sent: the body
builders of the declaration raise :class:`ValueError` naming the parameter.
"""

from __future__ import annotations

from typing import Any, ClassVar, Generic

from pysophoscentralapi._async._pagination import AsyncPaginator
from pysophoscentralapi._async._resource import AsyncResource
from pysophoscentralapi._collection import Collection
from pysophoscentralapi._page import ModelT, validate_item
from pysophoscentralapi._paging import PagingStyle
from pysophoscentralapi._validation import check_page_size


class _Member(AsyncResource, Generic[ModelT]):
    collection: ClassVar[Collection[Any]]

    @property
    def _model(self) -> type[ModelT]:
        model: type[ModelT] = self.collection.model_class
        return model

    def _item_path(self, item_id: str) -> str:
        return f"{self.collection.path}/{self.collection.check_id(item_id, 'id')}"


class Lists(_Member[ModelT]):
    def list(self, *, page_size: int | None = None, **filters: Any) -> AsyncPaginator[ModelT]:
        """Every item (or those the filters keep), fetched lazily page by page.

        ``page_size`` defaults to the API's largest page; the filters are the declaration's.
        """
        collection = self.collection
        size = collection.max_page_size if page_size is None else page_size
        unpaged = collection.paging is PagingStyle.NONE
        return self._paginate(
            collection.path,
            model=self._model,
            style=collection.paging,
            page_size=None if unpaged else check_page_size(size, collection.max_page_size),
            params=collection.list_params(filters) or None,
        )


class Gets(_Member[ModelT]):
    async def get(self, id: str) -> ModelT:
        """One item by id (:class:`~pysophoscentralapi.NotFoundError` if absent)."""
        body = await self._request("GET", self._item_path(id))
        return validate_item(self._model, body)


class Adds(_Member[ModelT]):
    async def add(self, *args: Any, **fields: Any) -> ModelT:
        """Add an item; the arguments are those of the collection's body builder."""
        build = self.collection.add
        assert build is not None, "a collection with Adds declares add"
        body = build(*args, **fields)
        answer = await self._request("POST", self.collection.path, json=body)
        return self._result(self._model, answer)


class Updates(_Member[ModelT]):
    async def update(self, id: str, **fields: Any) -> ModelT:
        """Change an item; only the arguments given are sent (at least one is needed)."""
        build = self.collection.update
        assert build is not None, "a collection with Updates declares update"
        path = self._item_path(id)
        answer = await self._request("PATCH", path, json=build(**fields))
        return self._result(self._model, answer)


class Deletes(_Member[ModelT]):
    async def delete(self, id: str) -> bool:
        """Delete an item. ``True`` also when no such item existed where the API answers
        200 ``{"deleted": true}`` either way (the settings lists)."""
        body = await self._request("DELETE", self._item_path(id))
        return self._deleted(body)


class AsyncCrud(Lists[ModelT], Gets[ModelT], Adds[ModelT], Updates[ModelT], Deletes[ModelT]):
    """A collection with all five operations."""


__all__ = ["Adds", "AsyncCrud", "Deletes", "Gets", "Lists", "Updates"]
