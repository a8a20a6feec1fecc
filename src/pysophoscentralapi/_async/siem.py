"""SIEM Integration API: the events and alerts feeds, and a resumable reader (API_NOTES §10)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Generic

from pysophoscentralapi._async import _backend
from pysophoscentralapi._async._pagination import AsyncPaginator
from pysophoscentralapi._async._resource import AsyncResource
from pysophoscentralapi._errors import (
    APIConnectionError,
    RateLimitError,
    ServerError,
    SophosCentralError,
)
from pysophoscentralapi._page import ModelT, validate_items
from pysophoscentralapi._paging import PagingStyle
from pysophoscentralapi._siem import (
    FEEDS,
    MAX_SIEM_LIMIT,
    SiemCheckpoint,
    SiemFeed,
    SiemStateStore,
    checkpoint_key,
    filter_replays,
    from_date_seconds,
)
from pysophoscentralapi._validation import check_choice, check_page_size, csv_value
from pysophoscentralapi.models.siem import SiemAlert, SiemEvent

__all__ = ["AsyncSiem", "AsyncSiemReader", "SiemBatch"]

SinceArg = datetime | timedelta | str

#: Failures a follower can wait out (the client has already retried them).
TRANSIENT_ERRORS = (APIConnectionError, ServerError, RateLimitError)

#: How often a waiting follower looks whether it was asked to stop.
_STOP_CHECK_SECONDS = 0.1


class AsyncSiem(AsyncResource):
    """SIEM Integration API feeds of a tenant (``central.siem``).

    ::

        async for event in central.siem.events(since=timedelta(hours=12)):
            print(event.created_at, event.type, event.name)
    """

    def events(
        self,
        *,
        since: SinceArg | None = None,
        cursor: str | None = None,
        exclude_types: str | Sequence[str] | None = None,
        limit: int = MAX_SIEM_LIMIT,
    ) -> AsyncPaginator[SiemEvent]:
        """Events, oldest first, fetched lazily page by page (``GET /siem/v1/events``).

        - ``since``: from this time (a ``datetime``, a ``timedelta`` ago, or ``"12h"``/ISO); at
          most 24 hours back. Without it (and without ``cursor``) the API starts 24 hours back.
        - ``cursor``: resume where a page's ``page.info.next_cursor`` left off (``since`` is
          then ignored, as by the API).
        - ``exclude_types``: event types to leave out, e.g. ``"Event::Endpoint::UpdateSuccess"``.
        - ``limit``: items per page, 1 to 1000.

        The listing ends when the feed has nothing more *now*; the last page's
        ``info.next_cursor`` is where a later call resumes. Raises ``ValueError`` before any
        request for bad arguments.

        Example::

            pages = central.siem.events(since=timedelta(hours=1)).pages()
            async for page in pages:
                store(page.raw)
                resume_at = page.info.next_cursor
        """
        return self._feed("events", since, cursor, exclude_types, limit)

    def alerts(
        self,
        *,
        since: SinceArg | None = None,
        cursor: str | None = None,
        limit: int = MAX_SIEM_LIMIT,
    ) -> AsyncPaginator[SiemAlert]:
        """Alerts, oldest first, fetched lazily page by page (``GET /siem/v1/alerts``).

        Same arguments as :meth:`events` (the alerts feed has no ``exclude_types``).

        Example::

            async for alert in central.siem.alerts(since="6h"):
                print(alert.severity, alert.description)
        """
        return self._feed("alerts", since, cursor, None, limit)

    def reader(
        self,
        feed: SiemFeed = "events",
        *,
        store: SiemStateStore,
        key: str | None = None,
        since: SinceArg | None = None,
        exclude_types: str | Sequence[str] | None = None,
        limit: int = MAX_SIEM_LIMIT,
    ) -> AsyncSiemReader:
        """A resumable reader of one feed: it starts from the checkpoint in ``store`` (else from
        ``since``) and saves a new one only when you :meth:`~AsyncSiemReader.commit` a batch.

        ``key`` defaults to ``client_id/tenant_id/feed``. Commit after the batch's items are
        durably handled and a restart resumes right after them; replays after an expired cursor
        are dropped.

        Example::

            reader = central.siem.reader("events", store=JsonStateFile("siem.json"))
            async for batch in reader.batches():
                await write_somewhere(batch.raw)
                await reader.commit(batch)
        """
        check_choice(feed, "feed", FEEDS)
        if feed == "alerts" and exclude_types:
            raise ValueError("exclude_types: only the events feed can exclude types")
        if since is not None:
            from_date_seconds(since)
        check_page_size(limit, MAX_SIEM_LIMIT)
        return AsyncSiemReader(
            self, feed, store=store, key=key, since=since, exclude_types=exclude_types, limit=limit
        )

    def _feed(
        self,
        feed: SiemFeed,
        since: SinceArg | None,
        cursor: str | None,
        exclude_types: str | Sequence[str] | None,
        limit: int,
    ) -> AsyncPaginator[Any]:
        check_page_size(limit, MAX_SIEM_LIMIT)
        params: dict[str, Any] = {"exclude_types": csv_value(exclude_types)}
        if since is not None and cursor is None:
            params["from_date"] = from_date_seconds(since)
        model: type[Any] = SiemEvent if feed == "events" else SiemAlert
        paginator = self._paginate(
            f"/siem/v1/{feed}",
            model=model,
            style=PagingStyle.CURSOR,
            page_size=limit,
            params=params,
        )
        paginator.start_cursor = cursor
        return paginator

    async def _tenant(self) -> str:
        if self._tenant_id is not None:
            return self._tenant_id
        return (await self._transport.identity()).id.lower()


@dataclass
class SiemBatch(Generic[ModelT]):
    """One page of a feed, minus replays: ``raw`` rows as sent, ``items`` as models.

    ``checkpoint`` is where the feed resumes once this batch is committed; ``restarted`` says the
    API went back in time (an expired cursor), ``replayed`` how many items were dropped for it.
    """

    feed: SiemFeed
    tenant_id: str
    key: str
    raw: list[dict[str, Any]]
    checkpoint: SiemCheckpoint
    model: type[ModelT]
    has_more: bool = False
    replayed: int = 0
    restarted: bool = False
    received_at: float = field(default_factory=time.time)

    @property
    def items(self) -> list[ModelT]:
        return validate_items(self.model, self.raw)

    def __len__(self) -> int:
        return len(self.raw)


class AsyncSiemReader:
    """Reads one feed from a saved checkpoint; made by :meth:`AsyncSiem.reader`."""

    def __init__(
        self,
        siem: AsyncSiem,
        feed: SiemFeed,
        *,
        store: SiemStateStore,
        key: str | None,
        since: SinceArg | None,
        exclude_types: str | Sequence[str] | None,
        limit: int,
    ) -> None:
        self._siem = siem
        self.feed: SiemFeed = feed
        self.store = store
        self.key = key
        self._since = since
        self._exclude_types = exclude_types
        self._limit = limit
        self._position: SiemCheckpoint | None = None
        self._tenant_id: str | None = None
        self._stopping = False

    def stop(self) -> None:
        """Ask :meth:`follow` (or :meth:`batches`) to end after the batch being handled."""
        self._stopping = True

    @property
    def stopping(self) -> bool:
        return self._stopping

    async def _start(self) -> SiemCheckpoint:
        if self._tenant_id is None:
            self._tenant_id = await self._siem._tenant()
        if self.key is None:
            self.key = checkpoint_key(self._siem._transport.client_id, self._tenant_id, self.feed)
        if self._position is None:
            self._position = self.store.load(self.key) or SiemCheckpoint()
        return self._position

    async def batches(self) -> AsyncIterator[SiemBatch[Any]]:
        """Every page from the current position until the feed has nothing more right now."""
        position = await self._start()
        assert self.key is not None
        assert self._tenant_id is not None
        paginator = self._siem._feed(
            self.feed,
            self._since if position.cursor is None else None,
            position.cursor,
            self._exclude_types,
            self._limit,
        )
        async for page in paginator.pages():
            assert self._position is not None
            outcome = filter_replays(page.raw, self._position)
            checkpoint = SiemCheckpoint(
                page.info.next_cursor or self._position.cursor,
                outcome.watermark,
                outcome.watermark_ids,
            )
            self._position = checkpoint
            yield SiemBatch(
                feed=self.feed,
                tenant_id=self._tenant_id,
                key=self.key,
                raw=outcome.fresh,
                checkpoint=checkpoint,
                model=paginator.model,
                has_more=bool(page.info.has_more),
                replayed=outcome.replayed,
                restarted=outcome.replayed > 0 and bool(position.watermark),
            )
            if self._stopping:
                return

    async def follow(
        self,
        *,
        interval: float = 60.0,
        on_error: Callable[[SophosCentralError], None] | None = None,
    ) -> AsyncIterator[SiemBatch[Any]]:
        """:meth:`batches` again and again, ``interval`` seconds after each catch-up, until
        :meth:`stop`.

        With ``on_error``, a failure the service may get over (connection lost, 5xx, 429 after
        the client's retries) is handed to it and the reader tries again after ``interval``
        from where it stood; without it, the failure is raised.
        """
        while not self._stopping:
            try:
                async for batch in self.batches():
                    yield batch
            except TRANSIENT_ERRORS as exc:
                if on_error is None:
                    raise
                on_error(exc)
            waited = 0.0
            while not self._stopping and waited < interval:
                step = min(_STOP_CHECK_SECONDS, interval - waited)
                await _backend.sleep(step)
                waited += step

    async def commit(self, batch: SiemBatch[Any]) -> None:
        """Save the batch's checkpoint: call it once the batch's items are durably handled."""
        self.store.save(batch.key, batch.checkpoint)
