"""Running the emulator: uvicorn on a loopback port, in a background thread."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from pysophoscentralapi.emulator._app import TOKEN_PATH, create_app
from pysophoscentralapi.emulator._state import (
    DEMO_CREDENTIALS,
    Credential,
    CredentialKind,
    EmulatorConfig,
    EmulatorState,
)


@dataclass
class RunningEmulator:
    """A started emulator: where it listens, which credentials work, and its live state."""

    host: str
    port: int
    state: EmulatorState

    @property
    def url(self) -> str:
        """The base URL: global API host, and root of the ``/region/{region}`` data hosts."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def auth_url(self) -> str:
        """The OAuth2 token endpoint."""
        return self.url + TOKEN_PATH

    @property
    def config(self) -> EmulatorConfig:
        return self.state.config

    def credentials(self, kind: CredentialKind = "tenant") -> Credential:
        """The demo credential of ``kind`` (``"tenant"``, ``"partner"`` or ``"organization"``)."""
        return DEMO_CREDENTIALS[kind]

    def env(self, kind: CredentialKind = "tenant") -> dict[str, str]:
        """Environment variables pointing ``pysophos`` (or the library) at this emulator."""
        credential = self.credentials(kind)
        return {
            "SOPHOS_CLIENT_ID": credential.client_id,
            "SOPHOS_CLIENT_SECRET": credential.client_secret,
            "SOPHOS_AUTH_URL": self.auth_url,
            "SOPHOS_API_URL": self.url,
        }

    def reset(self, *, tokens: bool = False) -> None:
        """Back to the seeded data; see :meth:`EmulatorState.reset`."""
        self.state.reset(tokens=tokens)


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets created with it, and
    # without it every keep-alive answer after the first waits ~40 ms for delayed ACKs.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


@contextmanager
def run_emulator(
    config: EmulatorConfig | None = None, *, host: str = "127.0.0.1", port: int = 0
) -> Iterator[RunningEmulator]:
    """Run an emulator for the ``with`` block (port 0 = a free port). Starts and stops in ~0.1 s.

    Example::

        with run_emulator(EmulatorConfig(endpoints=500)) as emu:
            client = SophosCentral(**emu.credentials("tenant").__dict__, auth_url=emu.auth_url,
                                   api_url=emu.url)
            emu.state.faults.fault_rate = 0.2

    Raises :class:`OSError` when the address cannot be bound.
    """
    import uvicorn

    class _Server(uvicorn.Server):
        async def main_loop(self) -> None:
            # uvicorn polls should_exit every 0.1 s; a shorter tick keeps stopping fast.
            counter = 0
            while not await self.on_tick(counter):
                counter += 1
                await asyncio.sleep(0.01)

    app = create_app(config)
    sock = _bind(host, port)
    server: Any = _Server(
        uvicorn.Config(app, log_config=None, access_log=False, lifespan="off", proxy_headers=False)
    )
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="sophos-emulator", daemon=True
    )
    thread.start()
    try:
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("the emulator failed to start")
            time.sleep(0.002)
        yield RunningEmulator(host, sock.getsockname()[1], app.emulator)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
