"""``pysophos siem`` into syslog (UDP, TCP, TLS) and Splunk HEC receivers started by the tests,
across tenants, and with secrets kept out of every output."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import signal
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from pysophoscentralapi.emulator._siem_api import siem_feed
from tests.conftest import Cli

Emulator = Any
RFC5424 = re.compile(
    rb"^<(?P<pri>\d{1,3})>1 (?P<ts>\S+) (?P<host>\S+) pysophos (?P<pid>\d+) (?P<msgid>\S+) - "
    rb"\xef\xbb\xbf(?P<msg>.*)$",
    re.DOTALL,
)


@pytest.fixture
def emu(make_emulator: Callable[..., Emulator]) -> Emulator:
    return make_emulator(siem_events=120, siem_alerts=12, siem_rate=0.0, tenants=4)


def run_cli(isolated_env: dict[str, str], emu: Emulator, *args: str, kind: str = "tenant",
            **env: str) -> Any:  # fmt: skip
    return Cli(env={**isolated_env, **emu.env(kind), **env})(*args)


def parse_octet_counted(data: bytes) -> list[bytes]:
    frames = []
    while data:
        length, _, rest = data.partition(b" ")
        size = int(length)
        frames.append(rest[:size])
        data = rest[size:]
    return frames


class TcpListener:
    """Accepts connections and keeps every byte received (optionally over TLS)."""

    def __init__(self, context: ssl.SSLContext | None = None) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.context = context
        self.data = b""
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        conn, _ = self.sock.accept()
        if self.context is not None:
            try:
                conn = self.context.wrap_socket(conn, server_side=True)
            except ssl.SSLError:
                conn.close()  # the client refused our certificate
                return
        with conn:
            while chunk := conn.recv(65536):
                self.data += chunk

    def frames(self) -> list[bytes]:
        self._thread.join(timeout=10)
        self.sock.close()
        return parse_octet_counted(self.data)


def check_frame(frame: bytes, feed: str) -> dict[str, Any]:
    match = RFC5424.match(frame)
    assert match, frame[:120]
    assert int(match["pri"]) // 8 == 3  # facility daemon
    assert match["msgid"] == feed.encode()
    row = json.loads(match["msg"])
    assert match["ts"].decode() == row["created_at"]
    return row  # type: ignore[no-any-return]


def test_syslog_tcp_octet_counted_rfc5424(isolated_env: dict[str, str], emu: Emulator) -> None:
    listener = TcpListener()
    result = run_cli(
        isolated_env, emu, "siem", "events", "--syslog", f"tcp://127.0.0.1:{listener.port}"
    )
    assert result.exit_code == 0, result.output
    rows = [check_frame(f, "events") for f in listener.frames()]
    assert [r["id"] for r in rows] == siem_feed(emu.state.tenants[0], "events").ids(0, 120)
    assert result.stdout == ""


def test_syslog_udp_one_message_per_datagram(isolated_env: dict[str, str], emu: Emulator) -> None:
    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    receiver.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 * 1024 * 1024)
    receiver.bind(("127.0.0.1", 0))
    receiver.settimeout(2)
    port = receiver.getsockname()[1]
    result = run_cli(isolated_env, emu, "siem", "alerts", "--syslog", f"udp://127.0.0.1:{port}")
    assert result.exit_code == 0, result.output
    rows = [check_frame(receiver.recv(65536), "alerts") for _ in range(12)]
    receiver.close()
    assert [r["id"] for r in rows] == siem_feed(emu.state.tenants[0], "alerts").ids(0, 12)


def _certificate(tmp_path: Path) -> tuple[Path, Path]:
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def _tls_listener(tmp_path: Path) -> tuple[TcpListener, Path]:
    """A TLS syslog listener with a certificate made for this test, and that certificate."""
    cert, key = _certificate(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return TcpListener(context), cert


def test_syslog_tls_with_a_test_certificate(
    isolated_env: dict[str, str], emu: Emulator, tmp_path: Path
) -> None:
    listener, cert = _tls_listener(tmp_path)
    url = f"tls://localhost:{listener.port}"
    result = run_cli(isolated_env, emu, "siem", "events", "-o", "cef", "--syslog", url,
                     "--syslog-ca", str(cert))  # fmt: skip
    assert result.exit_code == 0, result.output
    frames = listener.frames()
    assert len(frames) == 120
    message = RFC5424.match(frames[0])
    assert message
    assert message["msg"].startswith(b"CEF:0|sophos|sophos central|1.0|")


def test_syslog_tls_refuses_an_untrusted_certificate(
    isolated_env: dict[str, str], emu: Emulator, tmp_path: Path
) -> None:
    listener, _ = _tls_listener(tmp_path)
    state = tmp_path / "s.json"
    result = run_cli(isolated_env, emu, "siem", "events", "--state", str(state),
                     "--syslog", f"tls://localhost:{listener.port}")  # fmt: skip
    assert result.exit_code == 5
    assert "cannot reach syslog" in result.stderr
    assert "Traceback" not in result.stderr
    assert not state.exists()


class HecReceiver:
    """A Splunk HTTP Event Collector stand-in: records requests; ``fail`` answers 503."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.fail = 0
        self.fail_status = 503
        self.paths: list[str] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if receiver.fail > 0:
                    receiver.fail -= 1
                    self._answer(receiver.fail_status, {"text": "Refused", "code": 9})
                    return
                receiver.requests.append((dict(self.headers), body))
                receiver.paths.append(self.path)
                self._answer(200, {"text": "Success", "code": 0})

            def _answer(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def events(self) -> list[dict[str, Any]]:
        decoder = json.JSONDecoder()
        found = []
        for _, body in self.requests:
            text = body.decode()
            index = 0
            while index < len(text):
                obj, index = decoder.raw_decode(text, index)
                found.append(obj)
        return found


@pytest.fixture
def hec() -> Iterator[HecReceiver]:
    receiver = HecReceiver()
    yield receiver
    receiver.server.shutdown()


def test_splunk_hec_gets_batches_with_the_token_and_the_cursor_waits_for_them(
    isolated_env: dict[str, str], emu: Emulator, hec: HecReceiver, tmp_path: Path
) -> None:
    state = tmp_path / "s.json"
    token = "hec-token-5f2b7c"
    args = ("siem", "events", "--page-size", "50", "--state", str(state), "--splunk-hec", hec.url)
    hec.fail, hec.fail_status = 100, 403  # Splunk refuses: nothing acknowledged, no cursor moves
    refused = run_cli(isolated_env, emu, *args, SOPHOS_SPLUNK_HEC_TOKEN=token)
    assert refused.exit_code == 5
    assert "did not accept" in refused.stderr
    assert not state.exists()
    hec.fail, hec.fail_status = 2, 503  # busy twice, then fine: retried
    result = run_cli(isolated_env, emu, *args, SOPHOS_SPLUNK_HEC_TOKEN=token)
    assert result.exit_code == 0, result.output
    assert len(hec.requests) == 3  # one request per page
    assert set(hec.paths) == {"/services/collector/event"}
    assert {headers["Authorization"] for headers, _ in hec.requests} == {f"Splunk {token}"}
    events = hec.events()
    assert [e["event"]["id"] for e in events] == siem_feed(emu.state.tenants[0], "events").ids(
        0, 120
    )
    assert {e["sourcetype"] for e in events} == {"sophos:central:events"}
    for text in (state.read_text(), result.output, refused.output):
        assert token not in text


def test_splunk_hec_token_only_from_config_or_environment(
    isolated_env: dict[str, str], emu: Emulator, hec: HecReceiver
) -> None:
    missing = run_cli(isolated_env, emu, "siem", "events", "--splunk-hec", hec.url)
    assert missing.exit_code == 3
    assert "SOPHOS_SPLUNK_HEC_TOKEN" in missing.stderr
    as_argument = run_cli(isolated_env, emu, "siem", "events", "--splunk-hec-token", "x")
    assert as_argument.exit_code == 2
    refused = Cli(env=isolated_env)("config", "set", "siem.splunk_hec_token", "abc")
    assert refused.exit_code == 2
    assert "refusing" in refused.stderr


def test_hec_token_from_the_config_file_is_shown_only_as_set(
    isolated_env: dict[str, str], emu: Emulator, hec: HecReceiver, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[siem]\nsplunk_hec_token = "file-token-91ab"\n')
    config.chmod(0o600)
    env = {"SOPHOS_CONFIG": str(config)}
    result = run_cli(isolated_env, emu, "siem", "alerts", "--splunk-hec", hec.url, **env)
    assert result.exit_code == 0, result.output
    assert {h["Authorization"] for h, _ in hec.requests} == {"Splunk file-token-91ab"}
    shown = Cli(env={**isolated_env, **env})("config", "show", "-o", "json")
    assert "file-token-91ab" not in shown.output
    assert json.loads(shown.stdout)["settings"]["siem.splunk_hec_token"]["value"] == "set"


def test_secrets_never_reach_output_or_state(
    isolated_env: dict[str, str], emu: Emulator, tmp_path: Path
) -> None:
    out, state = tmp_path / "e.jsonl", tmp_path / "s.json"
    secret = emu.credentials("tenant").client_secret
    result = run_cli(isolated_env, emu, "--debug", "siem", "events", "--state", str(state),
                     "--output-file", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    for text in (out.read_text(), state.read_text(), result.output):
        assert secret not in text
    assert "emulator-tenant/" in state.read_text()  # the client id names the credential


# --- across tenants -------------------------------------------------------------------------------


def test_all_tenants_catch_up_one_cursor_per_tenant(
    isolated_env: dict[str, str], emu: Emulator, tmp_path: Path
) -> None:
    out, state = tmp_path / "e.jsonl", tmp_path / "s.json"
    args = ("--all-tenants", "siem", "events", "--state", str(state), "--output-file", str(out))
    result = run_cli(isolated_env, emu, *args, kind="partner")
    assert result.exit_code == 6  # one tenant refuses partner access, one is inactive
    assert "tenants failed" in result.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    reachable = emu.state.tenants[:2]
    for tenant in reachable:
        mine = [r["id"] for r in rows if r["tenant_id"] == tenant.id]
        assert mine == siem_feed(tenant, "events").ids(0, 120)
    assert {r["tenant_name"] for r in rows} == {t.name for t in reachable}
    feeds = json.loads(state.read_text())["feeds"]
    assert sorted(feeds) == sorted(f"emulator-partner/{t.id}/events" for t in reachable)
    again = run_cli(isolated_env, emu, *args, kind="partner")
    assert again.exit_code == 6
    assert len(out.read_text().splitlines()) == len(rows)


def test_all_tenants_follow_picks_up_new_tenants_and_stops_on_sigterm(
    isolated_env: dict[str, str],
    make_emulator: Callable[..., Emulator],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pysophoscentralapi.cli.commands import siem

    monkeypatch.setattr(siem, "TENANT_REFRESH_SECONDS", 0.2)
    emu = make_emulator(siem_events=10, siem_rate=30.0, tenants=2)
    out, state = tmp_path / "e.jsonl", tmp_path / "s.json"
    created: list[Any] = []

    def later() -> None:
        created.append(
            emu.state.create_tenant(name="Newco", data_geography="DE", billing_type="trial")
        )

    threading.Timer(0.3, later).start()
    threading.Timer(1.5, os.kill, (os.getpid(), signal.SIGTERM)).start()
    result = run_cli(isolated_env, emu, "--all-tenants", "siem", "events", "--follow",
                     "--interval", "0.1", "--state", str(state), "--output-file", str(out),
                     kind="partner")  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    new_rows = [r["id"] for r in rows if r["tenant_id"] == created[0].id]
    assert new_rows
    assert new_rows == siem_feed(created[0], "events").ids(0, len(new_rows))
    first = [r["id"] for r in rows if r["tenant_id"] == emu.state.tenants[0].id]
    assert first == siem_feed(emu.state.tenants[0], "events").ids(0, len(first))
