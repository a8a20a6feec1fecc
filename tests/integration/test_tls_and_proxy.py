"""TLS and proxies over real sockets on loopback: a certificate failure names the host and the
fix (exit 5), ``ca_bundle`` / ``SOPHOS_CA_BUNDLE`` makes a private CA trusted, and the standard
proxy variables (``HTTP_PROXY``/``HTTPS_PROXY``, ``NO_PROXY``) are honoured."""

from __future__ import annotations

import http.server
import json
import shutil
import socket
import ssl
import subprocess
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl")


class _Quiet(http.server.BaseHTTPRequestHandler):
    """A handler that logs nothing (pytest shows stderr of failed tests)."""

    def log_message(self, *args: Any) -> None:
        pass


class _Answer401(_Quiet):
    def _answer(self) -> None:
        body = json.dumps({"errorCode": "oauth.invalid_client", "message": "bad"}).encode()
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


@contextmanager
def _serving(
    handler: type[http.server.BaseHTTPRequestHandler], *, tls: ssl.SSLContext | None = None
) -> Iterator[str]:
    """``handler`` served on a free loopback port (over TLS with ``tls``) for the block: its URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"{'https' if tls else 'http'}://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def tls_server(certificate: tuple[Path, Path]) -> Iterator[str]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    with _serving(_Answer401, tls=context) as url:
        yield url


def _tls_env(isolated_env: dict[str, str], base: str) -> Cli:
    return Cli(
        env={
            **isolated_env,
            "SOPHOS_CLIENT_ID": "tls-test",
            "SOPHOS_CLIENT_SECRET": "not-used",
            "SOPHOS_AUTH_URL": f"{base}/api/v2/oauth2/token",
            "SOPHOS_API_URL": base,
            "SOPHOS_MAX_RETRIES": "0",
        }
    )


def test_an_untrusted_certificate_is_named_with_the_fix(
    isolated_env: dict[str, str], tls_server: str
) -> None:
    result = _tls_env(isolated_env, tls_server)("endpoint", "list")
    assert result.exit_code == 5
    assert "certificate verify failed for 127.0.0.1" in result.stderr
    assert "SOPHOS_CA_BUNDLE" in result.stderr
    assert "Traceback" not in result.stderr


def test_ca_bundle_makes_a_private_ca_trusted(
    isolated_env: dict[str, str], tls_server: str, certificate: tuple[Path, Path]
) -> None:
    cli = _tls_env(isolated_env, tls_server)
    result = cli("endpoint", "list", env={"SOPHOS_CA_BUNDLE": str(certificate[0])})
    # TLS now works: the (fake) server's 401 is what stops the command.
    assert result.exit_code == 3, result.stderr
    assert "certificate" not in result.stderr


def test_a_missing_ca_bundle_is_a_config_error(
    isolated_env: dict[str, str], tls_server: str, tmp_path: Path
) -> None:
    cli = _tls_env(isolated_env, tls_server)
    result = cli("endpoint", "list", env={"SOPHOS_CA_BUNDLE": str(tmp_path / "none.pem")})
    assert result.exit_code == 3
    assert "ca_bundle" in result.stderr
    assert "none.pem" in result.stderr


def test_the_library_takes_ca_bundle_as_a_keyword(
    tls_server: str, certificate: tuple[Path, Path]
) -> None:
    from pysophoscentralapi import SophosCentral
    from pysophoscentralapi._errors import APIConnectionError, AuthenticationError

    options: dict[str, Any] = {
        "auth_url": f"{tls_server}/api/v2/oauth2/token",
        "api_url": tls_server,
        "max_retries": 0,
    }
    with SophosCentral("id", "secret", **options) as central, pytest.raises(APIConnectionError):
        central.whoami()
    with (
        SophosCentral("id", "secret", ca_bundle=certificate[0], **options) as central,
        pytest.raises(AuthenticationError),
    ):
        central.whoami()


class _ForwardProxy(_Quiet):
    """A plain HTTP forward proxy (absolute-URI requests), counting what it forwards."""

    forwarded: list[str] = []

    def _forward(self) -> None:
        type(self).forwarded.append(f"{self.command} {self.path}")
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {
            k: v
            for k, v in self.headers.items()
            if k.lower() not in ("host", "proxy-connection", "connection")
        }
        request = urllib.request.Request(self.path, data=body, headers=headers, method=self.command)
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            answer = opener.open(request, timeout=10)
            status, content, answer_headers = answer.status, answer.read(), answer.headers
        except urllib.error.HTTPError as error:
            status, content, answer_headers = error.code, error.read(), error.headers
        self.send_response(status)
        self.send_header("Content-Type", answer_headers.get("Content-Type", "application/json"))
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    do_GET = do_POST = do_PATCH = do_DELETE = _forward


@pytest.fixture
def proxy() -> Iterator[str]:
    _ForwardProxy.forwarded = []
    with _serving(_ForwardProxy) as url:
        yield url


def test_requests_go_through_the_proxy_of_the_environment(emulator_cli: Cli, proxy: str) -> None:
    # The emulator speaks plain http on loopback: HTTP_PROXY is the variable for it, taken
    # from the environment by the same code as HTTPS_PROXY.
    through = emulator_cli(
        "endpoint", "list", "--limit", "1", "-o", "json", env={"HTTP_PROXY": proxy, "NO_PROXY": ""}
    )
    assert through.exit_code == 0, through.stderr
    assert len(json.loads(through.stdout)) == 1
    assert any("/endpoint/v1/endpoints" in line for line in _ForwardProxy.forwarded)
    direct = emulator_cli(
        "alerts", "list", "--limit", "1", "-o", "json",
        env={"HTTP_PROXY": proxy, "NO_PROXY": "127.0.0.1"},
    )  # fmt: skip
    assert direct.exit_code == 0, direct.stderr
    assert not any("/alerts" in line for line in _ForwardProxy.forwarded)


class _TunnelProxy(_Quiet):
    """An HTTPS proxy: ``CONNECT host:port``, then bytes piped both ways (TLS passes through)."""

    tunnels: list[str] = []

    def do_CONNECT(self) -> None:
        host, port = self.path.rsplit(":", 1)
        type(self).tunnels.append(self.path)
        upstream = socket.create_connection((host, int(port)), timeout=10)
        self.send_response(200, "Connection established")
        self.end_headers()

        def pipe(source: socket.socket, target: socket.socket) -> None:
            try:
                while data := source.recv(65536):
                    target.sendall(data)
            except OSError:
                pass
            finally:
                target.close()

        back = threading.Thread(target=pipe, args=(upstream, self.connection), daemon=True)
        back.start()
        pipe(self.connection, upstream)
        back.join(timeout=10)


@pytest.fixture
def tunnel_proxy() -> Iterator[str]:
    _TunnelProxy.tunnels = []
    with _serving(_TunnelProxy) as url:
        yield url


def test_https_goes_through_the_https_proxy_in_a_tunnel(
    isolated_env: dict[str, str],
    tls_server: str,
    certificate: tuple[Path, Path],
    tunnel_proxy: str,
) -> None:
    cli = _tls_env(isolated_env, tls_server)
    env = {"SOPHOS_CA_BUNDLE": str(certificate[0]), "HTTPS_PROXY": tunnel_proxy, "NO_PROXY": ""}
    result = cli("endpoint", "list", env=env)
    # Through the tunnel, TLS to the server is verified end to end: its 401 stops the command.
    assert result.exit_code == 3, result.stderr
    assert "certificate" not in result.stderr
    assert _TunnelProxy.tunnels == [tls_server.removeprefix("https://")]
    unused = cli("endpoint", "list", env={**env, "NO_PROXY": "127.0.0.1"})
    assert unused.exit_code == 3, unused.stderr
    assert len(_TunnelProxy.tunnels) == 1  # NO_PROXY: straight to the server
