"""``central.siem`` request building and the reader's follow loop against a scripted service.

Written once for the async client; scripts/unasync.py generates the sync twin in tests/_sync.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from pysophoscentralapi import AsyncSophosCentral, MemoryStateStore, ServerError
from pysophoscentralapi.models import SiemAlert
from tests._async._helpers import TENANT_ID, answer_sign_in, mock_client


def row(item_id: str, second: int) -> dict[str, Any]:
    return {"id": item_id, "created_at": f"2026-06-01T11:00:{second:02d}.000Z", "severity": "LOW"}


class Feed:
    """Answers ``/siem/v1/*`` from a script of (status, body) answers, recording the queries."""

    def __init__(self, *answers: tuple[int, Any]) -> None:
        self.answers = list(answers)
        self.queries: list[dict[str, str]] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        signed_in = answer_sign_in(request)
        if signed_in is not None:
            return signed_in
        self.queries.append(dict(request.url.params))
        assert request.headers["X-Tenant-ID"] == TENANT_ID
        status, body = self.answers.pop(0) if self.answers else (200, page([], "end"))
        return httpx.Response(status, json=body)

    def client(self) -> AsyncSophosCentral:
        return mock_client(self.handle, max_retries=0)


def page(items: list[dict[str, Any]], cursor: str, more: bool = False) -> dict[str, Any]:
    return {"has_more": more, "items": items, "next_cursor": cursor}


async def test_alerts_send_limit_then_the_cursor_and_build_models() -> None:
    feed = Feed((200, page([row("a", 1)], "c1", more=True)), (200, page([row("b", 2)], "c2")))
    async with feed.client() as central:
        alerts = [alert async for alert in central.siem.alerts(limit=10, since="2h")]
    assert [a.id for a in alerts] == ["a", "b"]
    assert all(isinstance(a, SiemAlert) for a in alerts)
    assert feed.queries[0]["limit"] == "10"
    assert "from_date" in feed.queries[0]
    assert feed.queries[1] == {"limit": "10", "cursor": "c1"}


async def test_events_from_a_cursor_send_no_from_date_and_exclude_types_as_csv() -> None:
    feed = Feed((200, page([], "c9")))
    async with feed.client() as central:
        first = await central.siem.events(
            cursor="c8", since="1h", exclude_types=["A::B", "C::D"]
        ).first_page()
    assert first.info.next_cursor == "c9"
    assert feed.queries == [{"limit": "1000", "cursor": "c8", "exclude_types": "A::B,C::D"}]


async def test_reader_arguments_are_checked_before_any_request() -> None:
    feed = Feed()
    async with feed.client() as central:
        with pytest.raises(ValueError, match="feed"):
            central.siem.reader("logs", store=MemoryStateStore())  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="24 hours"):
            central.siem.reader("events", store=MemoryStateStore(), since="30h")
    assert feed.queries == []


async def test_follow_waits_out_server_errors_and_resumes_from_its_position() -> None:
    feed = Feed(
        (200, page([row("a", 1)], "c1")),
        (503, {"error": "serviceUnavailable", "message": "Service unavailable."}),
        (200, page([row("b", 2)], "c2")),
    )
    errors: list[Exception] = []
    store = MemoryStateStore()
    async with feed.client() as central:
        reader = central.siem.reader("events", store=store)
        seen = []
        async for batch in reader.follow(interval=0.01, on_error=errors.append):
            seen.extend(r["id"] for r in batch.raw)
            await reader.commit(batch)
            if len(seen) == 2:
                reader.stop()
    assert seen == ["a", "b"]
    assert len(errors) == 1
    assert isinstance(errors[0], ServerError)
    assert [q.get("cursor") for q in feed.queries] == [None, "c1", "c1"]
    assert next(iter(store.checkpoints.values())).cursor == "c2"


async def test_follow_without_on_error_raises() -> None:
    feed = Feed((500, {"error": "internalServerError", "message": "Internal Server Error."}))
    async with feed.client() as central:
        reader = central.siem.reader("events", store=MemoryStateStore())
        with pytest.raises(ServerError):
            async for _ in reader.follow(interval=0.01):
                pass


async def test_a_stopped_reader_ends_after_the_batch_in_hand() -> None:
    feed = Feed((200, page([row("a", 1)], "c1", more=True)), (200, page([row("b", 2)], "c2")))
    async with feed.client() as central:
        reader = central.siem.reader("events", store=MemoryStateStore())
        batches = []
        async for batch in reader.batches():
            batches.append(batch)
            reader.stop()
    assert [len(b) for b in batches] == [1]
    assert reader.stopping
    assert batches[0].items[0].id == "a"
    assert batches[0].key == f"client-id/{TENANT_ID}/events"
