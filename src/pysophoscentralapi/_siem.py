"""SIEM feeds, sans-I/O: checkpoints, replay filtering, the 24-hour window and state stores.

A feed (``/siem/v1/events`` or ``/siem/v1/alerts`` of one tenant) is read page by page with an
opaque cursor. A :class:`SiemCheckpoint` is where a reader stands: the cursor to resume from plus
a *watermark*, the ``created_at`` of the newest item already handed over and the ids carrying
exactly that time. The feed is ordered by ``created_at`` (when Central received the item), so an
item older than the watermark, or at it with a known id, was delivered before: it is a replay
(after a cursor expired and the API restarted 24 hours back) and is dropped.

A state store keeps checkpoints by key (``client_id/tenant_id/feed``); the reader saves one only
when the caller says the items before it were durably handled.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, Protocol

from pysophoscentralapi._errors import ConfigError

__all__ = [
    "FEEDS",
    "MAX_SIEM_LIMIT",
    "MAX_SIEM_WINDOW",
    "JsonStateFile",
    "MemoryStateStore",
    "SiemCheckpoint",
    "SiemFeed",
    "SiemStateStore",
    "checkpoint_key",
    "filter_replays",
    "from_date_seconds",
]

SiemFeed = Literal["events", "alerts"]
FEEDS: tuple[SiemFeed, ...] = ("events", "alerts")

#: The API's largest page (``limit``).
MAX_SIEM_LIMIT = 1000
#: How far back the feeds reach (``from_date`` must be within it; older cursors restart there).
MAX_SIEM_WINDOW = timedelta(hours=24)


def parse_created_at(value: Any) -> datetime | None:
    """An item's ``created_at`` as an aware datetime, ``None`` when missing or unreadable."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


@dataclass(frozen=True)
class SiemCheckpoint:
    """Where a feed reader stands: ``cursor`` to resume from, and the replay watermark.

    >>> SiemCheckpoint.from_json({"cursor": "abc"}).cursor
    'abc'
    """

    cursor: str | None = None
    watermark: str | None = None
    watermark_ids: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "cursor": self.cursor,
            "watermark": self.watermark,
            "watermark_ids": list(self.watermark_ids),
        }

    @classmethod
    def from_json(cls, data: Any) -> SiemCheckpoint:
        if not isinstance(data, Mapping):
            raise ValueError("a checkpoint must be a JSON object")
        cursor, watermark, ids = (
            data.get("cursor"),
            data.get("watermark"),
            data.get("watermark_ids"),
        )
        if cursor is not None and not isinstance(cursor, str):
            raise ValueError("checkpoint cursor must be a string")
        if watermark is not None and parse_created_at(watermark) is None:
            raise ValueError("checkpoint watermark must be an ISO timestamp")
        if ids is None:
            ids = []
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise ValueError("checkpoint watermark_ids must be a list of strings")
        return cls(cursor, watermark, tuple(ids))


@dataclass(frozen=True)
class ReplayFilter:
    """The outcome of :func:`filter_replays` for one page."""

    fresh: list[dict[str, Any]]
    watermark: str | None
    watermark_ids: tuple[str, ...]
    replayed: int = 0


def filter_replays(items: Iterable[dict[str, Any]], checkpoint: SiemCheckpoint) -> ReplayFilter:
    """The items of a page not delivered before ``checkpoint``, and the watermark after them.

    >>> cp = SiemCheckpoint("c", "2026-01-01T00:00:01Z", ("b",))
    >>> page = [{"id": "a", "created_at": "2026-01-01T00:00:00Z"},
    ...         {"id": "b", "created_at": "2026-01-01T00:00:01Z"},
    ...         {"id": "c", "created_at": "2026-01-01T00:00:01Z"}]
    >>> [i["id"] for i in filter_replays(page, cp).fresh]
    ['c']
    """
    delivered_mark = parse_created_at(checkpoint.watermark)
    delivered_ids = set(checkpoint.watermark_ids)
    mark_text, mark, ids = checkpoint.watermark, delivered_mark, set(delivered_ids)
    fresh: list[dict[str, Any]] = []
    replayed = 0
    for item in items:
        created = parse_created_at(item.get("created_at"))
        item_id = item.get("id")
        if (
            created is not None
            and delivered_mark is not None
            and (
                created < delivered_mark or (created == delivered_mark and item_id in delivered_ids)
            )
        ):
            replayed += 1
            continue
        fresh.append(item)
        if created is None:
            continue
        if mark is None or created > mark:
            mark, mark_text, ids = created, item["created_at"], set()
        if created == mark and isinstance(item_id, str):
            ids.add(item_id)
    return ReplayFilter(fresh, mark_text, tuple(sorted(ids)), replayed)


def from_date_seconds(
    since: datetime | timedelta | str, *, now: datetime | None = None, name: str = "since"
) -> int:
    """``since`` as the API's ``from_date`` (Unix seconds), checked to be within the last 24 h.

    ``timedelta`` = that long ago; ``str`` = an ISO datetime or a duration such as ``12h``,
    ``90m``, ``PT12H`` (ago). Raises ``ValueError`` naming ``name``.

    >>> from_date_seconds(timedelta(hours=1), now=datetime(2026, 1, 1, tzinfo=UTC))
    1767222000
    """
    from pysophoscentralapi._timeparams import parse_cli_time, parse_iso_duration

    now = now or datetime.now(UTC)
    if isinstance(since, str):
        try:
            text = parse_cli_time(since, name=name)
        except ValueError:
            raise ValueError(
                f"{name}: {since!r} is not a time; use e.g. 12h, 90m, PT6H or an ISO datetime"
            ) from None
        duration = parse_iso_duration(text)
        if duration is not None:
            since = -duration if duration < timedelta(0) else duration
        else:
            since = datetime.fromisoformat(text)
    if isinstance(since, timedelta):
        moment = now - since
    elif isinstance(since, datetime):
        moment = since if since.tzinfo is not None else since.replace(tzinfo=UTC)
    else:
        raise ValueError(f"{name}: expected a datetime, a timedelta or a string")
    if moment < now - MAX_SIEM_WINDOW - timedelta(seconds=1) or moment > now:
        raise ValueError(
            f"{name} must be within the last 24 hours (the SIEM feeds reach no further)"
        )
    return int(moment.timestamp())


def checkpoint_key(client_id: str, tenant_id: str, feed: str) -> str:
    """The state key of one feed: per credential, tenant and feed."""
    return f"{client_id}/{tenant_id.lower()}/{feed}"


class SiemStateStore(Protocol):
    """Where a reader keeps checkpoints. ``save`` must be durable when it returns."""

    def load(self, key: str) -> SiemCheckpoint | None: ...

    def save(self, key: str, checkpoint: SiemCheckpoint) -> None: ...


@dataclass
class MemoryStateStore:
    """Checkpoints in a dict (tests, or a caller persisting them another way)."""

    checkpoints: dict[str, SiemCheckpoint] = field(default_factory=dict)

    def load(self, key: str) -> SiemCheckpoint | None:
        return self.checkpoints.get(key)

    def save(self, key: str, checkpoint: SiemCheckpoint) -> None:
        self.checkpoints[key] = checkpoint


class JsonStateFile:
    """Checkpoints in a JSON file, rewritten atomically (temp file, fsync, rename) with mode 0600.

    ``extra`` holds more state saved in the same write (the CLI keeps its output offset there, so
    cursor and offset can never disagree)::

        store = JsonStateFile("siem-state.json")
        reader = central.siem.reader("events", store=store)
    """

    VERSION = 1

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self.checkpoints: dict[str, SiemCheckpoint] = {}
        self.extra: dict[str, Any] = {}
        self._read()

    def _read(self) -> None:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return
        except OSError as exc:
            raise ConfigError(f"cannot read the state file {self.path}: {exc.strerror}") from None
        try:
            data = json.loads(text)
            if not isinstance(data, dict) or data.get("version") != self.VERSION:
                raise ValueError(f"not a version {self.VERSION} state file")
            feeds = data.get("feeds", {})
            if not isinstance(feeds, dict):
                raise ValueError("'feeds' must be an object")
            self.checkpoints = {k: SiemCheckpoint.from_json(v) for k, v in feeds.items()}
            extra = data.get("extra") or {}
            self.extra = dict(extra) if isinstance(extra, dict) else {}
        except ValueError as exc:
            raise ConfigError(
                f"the state file {self.path} is not usable: {exc}",
                hint="point --state at another file, or delete it to start from --since",
            ) from None

    def load(self, key: str) -> SiemCheckpoint | None:
        with self._lock:
            return self.checkpoints.get(key)

    def save(self, key: str, checkpoint: SiemCheckpoint, **extra: Any) -> None:
        with self._lock:
            self.checkpoints[key] = checkpoint
            self.extra.update(extra)
            self._write()

    def save_extra(self, **extra: Any) -> None:
        with self._lock:
            self.extra.update(extra)
            self._write()

    def _write(self) -> None:
        body = {
            "version": self.VERSION,
            "feeds": {k: v.to_json() for k, v in sorted(self.checkpoints.items())},
            "extra": self.extra,
        }
        directory = self.path.parent if str(self.path.parent) else Path(".")
        fd, temp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=directory)
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(body, handle, indent=1)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, self.path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
