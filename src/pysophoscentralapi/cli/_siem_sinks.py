"""Where ``pysophos siem`` delivers records: files and stdout, syslog, Splunk HEC; and CEF.

Every sink takes a batch of records (one feed page), delivers it and returns only when it is as
durable as the sink can make it; the caller saves the feed cursor after that, never before.

- :class:`AppendSink` (``--output-file``, and stdout when it is a regular file): appends, fsyncs
  and reports its *offset*; the state file keeps the offset with the cursor, and a restart first
  truncates whatever a crashed run wrote after it. That is what makes delivery exactly once.
- :class:`StreamSink` (stdout on a pipe or terminal): written and flushed; at least once.
- :class:`SyslogSink`: RFC 5424 messages over UDP (one per datagram), TCP or TLS (octet-counted
  framing, RFC 6587 §3.4.1 / RFC 5425); at least once over TCP/TLS, best effort over UDP.
- :class:`SplunkHecSink`: one HTTP Event Collector request per batch, retried until Splunk
  acknowledges it (HTTP 200, ``code`` 0); at least once.
"""

from __future__ import annotations

import json
import os
import socket
import ssl
import stat
import sys
import time
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO, Protocol
from urllib.parse import urlsplit

import click

from pysophoscentralapi.cli._errors import CommandFailed
from pysophoscentralapi.cli._formats import json_default
from pysophoscentralapi.cli._status import ExitStatus

__all__ = [
    "AppendSink",
    "Sink",
    "SinkError",
    "SplunkHecSink",
    "StreamSink",
    "SyslogSink",
    "cef_line",
    "encode_record",
    "open_stdout_sink",
    "syslog_message",
]

APP_NAME = "pysophos"
#: syslog facility of every message: 3 = daemon (as the Sophos SIEM script).
SYSLOG_FACILITY = 3
_SYSLOG_SEVERITY = {"CRITICAL": 2, "HIGH": 3, "MEDIUM": 4, "LOW": 5}
_CEF_SEVERITY = {"CRITICAL": 10, "HIGH": 8, "MEDIUM": 5, "LOW": 3}
_HEC_ATTEMPTS = 4


# --- record text --------------------------------------------------------------------------------


def _cef_header(value: Any) -> str:
    return str(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _cef_value(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=json_default)
    return text.replace("\\", "\\\\").replace("=", "\\=").replace("\r", "\\r").replace("\n", "\\n")


def _epoch_ms(value: Any) -> int | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return int(moment.replace(tzinfo=moment.tzinfo or UTC).timestamp() * 1000)


def cef_line(row: Mapping[str, Any], feed: str) -> str:
    """A record as ArcSight CEF: ``CEF:0|sophos|sophos central|1.0|type|name|severity|ext``.

    >>> cef_line({"id": "1", "type": "T", "name": "a|b", "severity": "HIGH"}, "events")
    'CEF:0|sophos|sophos central|1.0|T|a\\\\|b|8|externalId=1'
    """
    name = row.get("name") or row.get("description") or row.get("type") or feed
    severity = _CEF_SEVERITY.get(str(row.get("severity", "")).upper(), 1)
    extensions: list[tuple[str, Any]] = [
        ("rt", _epoch_ms(row.get("created_at"))),
        ("end", _epoch_ms(row.get("when"))),
        ("externalId", row.get("id")),
        ("dhost", row.get("location")),
        ("suser", row.get("source")),
        ("cs1Label", "customer_id" if row.get("customer_id") else None),
        ("cs1", row.get("customer_id")),
        ("cs2Label", "endpoint_id" if row.get("endpoint_id") else None),
        ("cs2", row.get("endpoint_id")),
        ("cat", row.get("group")),
        ("cs3Label", "threat" if row.get("threat") else None),
        ("cs3", row.get("threat")),
        ("src", (row.get("source_info") or {}).get("ip") if isinstance(row.get("source_info"), dict) else None),
    ]  # fmt: skip
    text = " ".join(f"{key}={_cef_value(value)}" for key, value in extensions if value)
    header = "|".join(
        _cef_header(v)
        for v in ("sophos", "sophos central", "1.0", row.get("type") or feed, name, severity)
    )
    return f"CEF:0|{header}|{text}"


def encode_record(row: Mapping[str, Any], fmt: str, feed: str) -> str:
    """A record as one line of text (no newline): compact JSON, or CEF."""
    if fmt == "cef":
        return cef_line(row, feed)
    return json.dumps(row, separators=(",", ":"), ensure_ascii=False, default=json_default)


def syslog_message(
    text: str, row: Mapping[str, Any], feed: str, *, hostname: str, pid: int
) -> bytes:
    """An RFC 5424 message: ``<PRI>1 TIMESTAMP HOST APP PROCID MSGID - BOM MSG``.

    >>> syslog_message("hi", {"severity": "HIGH", "created_at": "2026-01-01T00:00:00.000Z"},
    ...                "events", hostname="h", pid=7)[:60]
    b'<27>1 2026-01-01T00:00:00.000Z h pysophos 7 events - \\xef\\xbb\\xbfhi'
    """
    severity = _SYSLOG_SEVERITY.get(str(row.get("severity", "")).upper(), 6)
    stamp = row.get("created_at")
    if not isinstance(stamp, str) or not stamp:
        stamp = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    header = (
        f"<{SYSLOG_FACILITY * 8 + severity}>1 {stamp} {hostname or '-'} {APP_NAME} {pid} {feed} - "
    )
    return header.encode("ascii", "replace") + b"\xef\xbb\xbf" + text.encode("utf-8")


# --- sinks ----------------------------------------------------------------------------------------


class Sink(Protocol):
    #: Whether a restart with the same state file delivers each record exactly once.
    exactly_once: bool

    def recover(self, saved: Mapping[str, Any] | None) -> None:
        """Undo what a crashed run wrote after its last saved state (where the sink can)."""

    def deliver(self, rows: Sequence[Mapping[str, Any]], feed: str) -> None:
        """Deliver a batch durably (or raise)."""

    def position(self) -> dict[str, Any] | None:
        """What to save with the cursor (an append sink's offset), ``None`` for none."""

    def close(self) -> None: ...


class _LineSink:
    fmt: str

    def _payload(self, rows: Sequence[Mapping[str, Any]], feed: str) -> bytes:
        return "".join(encode_record(row, self.fmt, feed) + "\n" for row in rows).encode("utf-8")


class AppendSink(_LineSink):
    """Appends lines to a regular file (``--output-file``, or stdout redirected to a file)."""

    exactly_once = True

    def __init__(self, fd: int, name: str, fmt: str, *, owns_fd: bool) -> None:
        self.fd, self.name, self.fmt, self._owns = fd, name, fmt, owns_fd
        self.notes: list[str] = []

    @classmethod
    def open(cls, path: Path, fmt: str) -> AppendSink:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        except OSError as exc:
            raise click.BadParameter(
                f"cannot open {path}: {exc.strerror}", param_hint="--output-file"
            ) from None
        return cls(fd, str(path.resolve()), fmt, owns_fd=True)

    def _identity(self) -> dict[str, Any]:
        info = os.fstat(self.fd)
        return {"file": self.name, "device": info.st_dev, "inode": info.st_ino}

    def recover(self, saved: Mapping[str, Any] | None) -> None:
        identity = self._identity()
        if not saved or any(saved.get(k) != identity[k] for k in ("device", "inode")):
            return  # another file (or rotated away): nothing of ours to undo here
        offset = saved.get("offset")
        size = os.fstat(self.fd).st_size
        if isinstance(offset, int) and 0 <= offset < size:
            os.ftruncate(self.fd, offset)
            os.lseek(self.fd, 0, os.SEEK_END)
            self.notes.append(
                f"removed {size - offset} bytes {self.name} got after the last saved state "
                "(they are fetched again)"
            )

    def deliver(self, rows: Sequence[Mapping[str, Any]], feed: str) -> None:
        view = memoryview(self._payload(rows, feed))
        while view:
            view = view[os.write(self.fd, view) :]
        os.fsync(self.fd)

    def position(self) -> dict[str, Any]:
        return {**self._identity(), "offset": os.fstat(self.fd).st_size}

    def close(self) -> None:
        if self._owns:
            os.close(self.fd)


class StreamSink(_LineSink):
    """Writes lines to a stream that cannot be rewound (a pipe or a terminal)."""

    exactly_once = False

    def __init__(self, stream: BinaryIO, fmt: str) -> None:
        self.stream, self.fmt = stream, fmt
        self.notes: list[str] = []

    def recover(self, saved: Mapping[str, Any] | None) -> None:
        return None

    def deliver(self, rows: Sequence[Mapping[str, Any]], feed: str) -> None:
        self.stream.write(self._payload(rows, feed))
        self.stream.flush()

    def position(self) -> None:
        return None

    def close(self) -> None:
        return None


def open_stdout_sink(fmt: str) -> AppendSink | StreamSink:
    """stdout as a sink: exactly once when it is a regular file (``>> file``, systemd
    ``StandardOutput=append:``), at least once on a pipe."""
    try:
        fd = sys.stdout.fileno()
        regular = stat.S_ISREG(os.fstat(fd).st_mode)
    except (AttributeError, OSError, ValueError):
        fd, regular = -1, False
    if regular:
        sys.stdout.flush()
        return AppendSink(fd, "<stdout>", fmt, owns_fd=False)
    return StreamSink(sys.stdout.buffer, fmt)


class SyslogSink:
    """RFC 5424 syslog to ``udp://``, ``tcp://`` or ``tls://host:port``."""

    exactly_once = False

    def __init__(self, url: str, fmt: str, *, ca_file: str | None = None) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("udp", "tcp", "tls") or not parts.hostname or not parts.port:
            raise click.BadParameter(
                f"{url!r}: use udp://HOST:PORT, tcp://HOST:PORT or tls://HOST:PORT",
                param_hint="--syslog",
            )
        self.scheme, self.host, self.port = parts.scheme, parts.hostname, parts.port
        self.fmt, self.ca_file = fmt, ca_file
        self.hostname = socket.gethostname()
        self.notes: list[str] = []
        self._sock: socket.socket | None = None

    def _connect(self) -> socket.socket:
        if self._sock is not None:
            return self._sock
        try:
            if self.scheme == "udp":
                sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                sock.connect((self.host, self.port))
            else:
                sock = socket.create_connection((self.host, self.port), timeout=30)
                if self.scheme == "tls":
                    context = ssl.create_default_context(cafile=self.ca_file)
                    sock = context.wrap_socket(sock, server_hostname=self.host)
        except (OSError, ssl.SSLError) as exc:
            raise SinkError(
                f"cannot reach syslog at {self.scheme}://{self.host}:{self.port}: {exc}"
            ) from None
        self._sock = sock
        return sock

    def recover(self, saved: Mapping[str, Any] | None) -> None:
        return None

    def deliver(self, rows: Sequence[Mapping[str, Any]], feed: str) -> None:
        messages = [
            syslog_message(
                encode_record(row, self.fmt, feed),
                row,
                feed,
                hostname=self.hostname,
                pid=os.getpid(),
            )
            for row in rows
        ]
        sock = self._connect()
        try:
            if self.scheme == "udp":
                for message in messages:
                    sock.send(message)
            else:
                sock.sendall(b"".join(b"%d %s" % (len(m), m) for m in messages))
                _wait_until_acknowledged(sock)
        except OSError as exc:
            self.close()
            raise SinkError(f"syslog at {self.host}:{self.port} failed: {exc}") from None

    def position(self) -> None:
        return None

    def close(self) -> None:
        sock, self._sock = self._sock, None
        if sock is None:
            return
        try:
            if self.scheme != "udp":
                # A polite close: TLS close_notify, then FIN, then read what the peer still
                # sends. Closing with unread data (e.g. TLS session tickets) would make the kernel
                # reset the connection and the receiver could lose the last messages.
                if isinstance(sock, ssl.SSLSocket):
                    sock.settimeout(2)
                    sock = sock.unwrap()
                sock.shutdown(socket.SHUT_WR)
                sock.settimeout(2)
                while sock.recv(65536):
                    pass
        except (OSError, ValueError):
            pass
        finally:
            sock.close()


def _wait_until_acknowledged(sock: socket.socket, timeout: float = 30.0) -> None:
    """Wait until the peer's TCP stack has acknowledged every byte sent (Linux: ``SIOCOUTQ``);
    elsewhere, return at once. syslog has no acknowledgement of its own: this is the closest."""
    try:
        import fcntl
        import termios
    except ImportError:  # pragma: no cover - not on Linux/macOS
        return
    request = getattr(termios, "TIOCOUTQ", None)
    if request is None or not sys.platform.startswith("linux"):
        return  # pragma: no cover
    deadline = time.monotonic() + timeout
    buffer = bytearray(4)
    while time.monotonic() < deadline:
        fcntl.ioctl(sock.fileno(), request, buffer)
        if int.from_bytes(buffer, sys.byteorder) == 0:
            return
        time.sleep(0.001)
    raise OSError("the receiver did not acknowledge the messages in time")


class SinkError(CommandFailed):
    """A sink could not deliver: the cursor is not moved; exit 5 (unavailable)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, ExitStatus.UNAVAILABLE)


class SplunkHecSink:
    """Splunk HTTP Event Collector: one request per batch, ``Authorization: Splunk TOKEN``."""

    exactly_once = False

    def __init__(self, url: str, token: str, *, sleep: Any = time.sleep) -> None:
        import httpx

        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise click.BadParameter(
                f"{url!r}: give the collector's URL, e.g. https://splunk:8088",
                param_hint="--splunk-hec",
            )
        self.url = (
            url if parts.path not in ("", "/") else url.rstrip("/") + "/services/collector/event"
        )
        self._client = httpx.Client(timeout=30, headers={"Authorization": f"Splunk {token}"})
        self._sleep = sleep
        self.hostname = socket.gethostname()
        self.notes: list[str] = []

    def __repr__(self) -> str:
        return f"SplunkHecSink({self.url!r})"  # never the token

    def recover(self, saved: Mapping[str, Any] | None) -> None:
        return None

    def deliver(self, rows: Sequence[Mapping[str, Any]], feed: str) -> None:
        import httpx

        if not rows:
            return
        body = "".join(
            json.dumps(
                {
                    "time": (_epoch_ms(row.get("created_at")) or time.time() * 1000) / 1000,
                    "host": self.hostname,
                    "source": APP_NAME,
                    "sourcetype": f"sophos:central:{feed}",
                    "event": row,
                },
                separators=(",", ":"),
                default=json_default,
            )
            for row in rows
        )
        problem = ""
        for attempt in range(_HEC_ATTEMPTS):
            try:
                response = self._client.post(self.url, content=body.encode("utf-8"))
            except httpx.HTTPError as exc:
                problem = f"{type(exc).__name__}"
            else:
                if response.status_code == 200 and _hec_code(response) == 0:
                    return
                problem = f"HTTP {response.status_code}"
                if response.status_code in (400, 401, 403):
                    break  # retrying will not help (bad data or token)
            if attempt < _HEC_ATTEMPTS - 1:
                self._sleep(0.25 * 2**attempt)
        raise SinkError(f"Splunk HEC at {self.url} did not accept the batch ({problem})")

    def position(self) -> None:
        return None

    def close(self) -> None:
        self._client.close()


def _hec_code(response: Any) -> int | None:
    try:
        body = response.json()
    except ValueError:
        return None
    return body.get("code") if isinstance(body, dict) else None
