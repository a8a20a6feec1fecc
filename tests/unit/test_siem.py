"""Pure SIEM logic: replay filtering, checkpoints, the 24-hour window, cursor paging, record text,
the state file."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pysophoscentralapi._errors import ConfigError, PaginationError
from pysophoscentralapi._paging import PageCursor, PagingStyle, split_page
from pysophoscentralapi._siem import (
    JsonStateFile,
    SiemCheckpoint,
    filter_replays,
    from_date_seconds,
)
from pysophoscentralapi._timeparams import parse_iso_duration
from pysophoscentralapi.cli._siem_sinks import cef_line, encode_record, syslog_message

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def item(item_id: str, second: int) -> dict[str, str]:
    return {"id": item_id, "created_at": f"2026-06-01T11:00:{second:02d}.000Z"}


def test_nothing_is_a_replay_without_a_watermark() -> None:
    outcome = filter_replays([item("a", 1), item("b", 2), item("c", 2)], SiemCheckpoint())
    assert [i["id"] for i in outcome.fresh] == ["a", "b", "c"]
    assert outcome.watermark == "2026-06-01T11:00:02.000Z"
    assert outcome.watermark_ids == ("b", "c")
    assert outcome.replayed == 0


def test_items_before_or_at_the_watermark_with_known_ids_are_replays() -> None:
    checkpoint = SiemCheckpoint("c1", "2026-06-01T11:00:02.000Z", ("b",))
    page = [item("a", 1), item("b", 2), item("c", 2), item("d", 3)]
    outcome = filter_replays(page, checkpoint)
    assert [i["id"] for i in outcome.fresh] == ["c", "d"]
    assert outcome.replayed == 2
    assert outcome.watermark_ids == ("d",)


def test_items_without_a_readable_time_are_delivered_and_leave_the_watermark() -> None:
    checkpoint = SiemCheckpoint(None, "2026-06-01T11:00:02.000Z", ())
    outcome = filter_replays([{"id": "x"}, {"id": "y", "created_at": "soon"}], checkpoint)
    assert len(outcome.fresh) == 2
    assert outcome.watermark == checkpoint.watermark


def test_checkpoints_round_trip_and_bad_ones_are_refused() -> None:
    checkpoint = SiemCheckpoint("c", "2026-06-01T11:00:02.000Z", ("a", "b"))
    assert SiemCheckpoint.from_json(json.loads(json.dumps(checkpoint.to_json()))) == checkpoint
    for bad in ([], {"cursor": 3}, {"watermark": "yesterday"}, {"watermark_ids": "a"}):
        with pytest.raises(ValueError, match="checkpoint"):
            SiemCheckpoint.from_json(bad)


@pytest.mark.parametrize(
    ("since", "expected"),
    [
        (timedelta(hours=2), NOW - timedelta(hours=2)),
        ("90m", NOW - timedelta(minutes=90)),
        ("PT24H", NOW - timedelta(hours=24)),
        ("2026-06-01T06:00:00Z", datetime(2026, 6, 1, 6, tzinfo=UTC)),
        (datetime(2026, 6, 1, 6), datetime(2026, 6, 1, 6, tzinfo=UTC)),
    ],
)
def test_since_becomes_unix_seconds(since: object, expected: datetime) -> None:
    assert from_date_seconds(since, now=NOW) == int(expected.timestamp())  # type: ignore[arg-type]


@pytest.mark.parametrize("since", [timedelta(hours=25), "2d", "2026-06-02T00:00:00Z", "soon"])
def test_since_outside_the_24_hour_window_is_refused(since: object) -> None:
    with pytest.raises(ValueError, match="--since"):
        from_date_seconds(since, now=NOW, name="--since")  # type: ignore[arg-type]


def test_iso_durations_become_signed_timedeltas() -> None:
    assert parse_iso_duration("-PT2H30M") == -timedelta(hours=2, minutes=30)
    assert parse_iso_duration("P1W") == timedelta(weeks=1)
    assert parse_iso_duration("12h") is None
    with pytest.raises(ValueError, match="weeks"):
        parse_iso_duration("P1M")


def test_cursor_paging_follows_next_cursor_until_has_more_is_false() -> None:
    cursor = PageCursor(PagingStyle.CURSOR, 100)
    assert cursor.next_params == {"limit": 100}
    _, info = split_page({"items": [], "has_more": True, "next_cursor": "c1"}, what="GET x")
    cursor.advance(info, 0)
    assert cursor.next_params == {"cursor": "c1", "from_date": None, "limit": 100}
    _, last = split_page({"items": [], "has_more": False, "next_cursor": "c2"}, what="GET x")
    cursor.advance(last, 0)
    assert cursor.next_params is None
    assert last.next_cursor == "c2"


def test_cursor_paging_starts_at_a_given_cursor_and_refuses_a_repeated_one() -> None:
    cursor = PageCursor(PagingStyle.CURSOR, None, start_cursor="c0")
    assert cursor.next_params == {"cursor": "c0", "from_date": None}
    _, info = split_page({"items": [], "has_more": True, "next_cursor": "c1"}, what="GET x")
    cursor.advance(info, 0)
    with pytest.raises(PaginationError, match="c1"):
        cursor.advance(info, 0)


def test_cef_escapes_header_and_extension_values() -> None:
    row = {
        "id": "e1",
        "type": "Event::Endpoint::Threat::Detected",
        "name": "Malware | detected",
        "severity": "CRITICAL",
        "created_at": "2026-06-01T11:00:00.000Z",
        "location": "WS=1\nX",
        "source_info": {"ip": "10.0.0.1"},
    }
    line = cef_line(row, "events")
    assert line.startswith(
        "CEF:0|sophos|sophos central|1.0|Event::Endpoint::Threat::Detected|Malware \\| detected|10|"
    )
    assert "rt=1780311600000" in line
    assert "dhost=WS\\=1\\nX" in line
    assert "src=10.0.0.1" in line
    assert "\n" not in line


def test_jsonl_records_are_compact_single_lines() -> None:
    text = encode_record({"id": "a", "name": "x\ny", "n": 1}, "jsonl", "events")
    assert text == '{"id":"a","name":"x\\ny","n":1}'


def test_syslog_messages_are_rfc5424_with_severity_from_the_record() -> None:
    low = syslog_message("m", {"severity": "LOW"}, "alerts", hostname="", pid=1)
    assert low.startswith(b"<29>1 ")
    assert b" - pysophos 1 alerts - \xef\xbb\xbfm" in low
    critical = syslog_message(
        "m", {"severity": "CRITICAL", "created_at": "T"}, "x", hostname="h", pid=2
    )
    assert critical.startswith(b"<26>1 T h pysophos 2 x - ")


def test_state_file_is_written_atomically_with_mode_0600(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    store = JsonStateFile(path)
    assert store.load("k") is None
    store.save("k", SiemCheckpoint("c", None, ()), output={"offset": 5})
    assert path.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]  # no temp file left
    again = JsonStateFile(path)
    assert again.load("k") == SiemCheckpoint("c", None, ())
    assert again.extra == {"output": {"offset": 5}}


@pytest.mark.parametrize("text", ["{", '{"version": 9}', '{"version": 1, "feeds": []}'])
def test_an_unusable_state_file_is_a_config_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "state.json"
    path.write_text(text)
    with pytest.raises(ConfigError, match="not usable") as caught:
        JsonStateFile(path)
    assert "--state" in (caught.value.hint or "")


def test_an_unreadable_state_file_is_a_config_error(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        with pytest.raises(ConfigError, match="cannot read"):
            JsonStateFile(tmp_path)  # a directory
        return
    path = tmp_path / "state.json"
    path.write_text("{}")
    path.chmod(0)
    with pytest.raises(ConfigError, match="cannot read"):
        JsonStateFile(path)


def test_the_status_line_shows_records_rate_and_lag_on_a_terminal(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import io

    from pysophoscentralapi._siem import MemoryStateStore
    from pysophoscentralapi._sync.siem import SiemBatch
    from pysophoscentralapi.cli._siem_sinks import StreamSink
    from pysophoscentralapi.cli.commands.siem import _Delivery
    from pysophoscentralapi.models.siem import SiemEvent

    stream = io.BytesIO()
    store = MemoryStateStore()
    delivery = _Delivery(StreamSink(stream, "jsonl"), store, multi=True, _status=True)
    delivery.tenant_names["t1"] = "Acme"
    checkpoint = SiemCheckpoint("c1", "2026-06-01T11:00:02.000Z", ("b",))
    batch = SiemBatch("events", "t1", "k", [item("b", 2)], checkpoint, SiemEvent)
    delivery.deliver(batch)
    delivery.finish()
    assert json.loads(stream.getvalue()) == {
        "tenant_id": "t1",
        "tenant_name": "Acme",
        **item("b", 2),
    }
    assert store.checkpoints == {"k": checkpoint}
    status = capsys.readouterr().err
    assert "1 events delivered" in status
    assert "lag " in status


def test_an_append_sink_only_cuts_back_the_file_its_state_names(tmp_path: Path) -> None:
    from pysophoscentralapi.cli._siem_sinks import AppendSink

    path = tmp_path / "out.jsonl"
    sink = AppendSink.open(path, "jsonl")
    sink.deliver([{"id": "a"}], "events")
    saved = sink.position()
    sink.deliver([{"id": "b"}], "events")
    sink.close()
    rotated = tmp_path / "rotated.jsonl"
    path.rename(rotated)  # logrotate: the old file moves away, a new one appears
    path.write_text('{"id":"new"}\n{"id":"more"}\n')
    fresh = AppendSink.open(path, "jsonl")
    fresh.recover(saved)
    assert fresh.notes == []
    assert path.read_text().count("\n") == 2
    fresh.close()
    again = AppendSink.open(rotated, "jsonl")
    again.recover(saved)  # the same file under another name: still ours
    assert rotated.read_text() == '{"id":"a"}\n'
    assert again.notes
    again.close()
    with pytest.raises(Exception, match="cannot open"):
        AppendSink.open(tmp_path, "jsonl")
