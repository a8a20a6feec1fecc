"""A benchmark server that hides nothing: pre-rendered answers on a bare asyncio socket server.

    python -m bench._fastserver ENDPOINTS

prints its base URL on the first line, then serves until stdin closes.

Every answer (token, whoami, each page of the endpoint listing) is rendered to bytes once at
start-up from the emulator's own seeded endpoints (``view=summary``, as the emulator lists them);
a request costs the server a dictionary lookup and one ``write``, so what a benchmark measures
is the client. It speaks only what the library, the CLI and a raw httpx loop need to list
endpoints: ``POST`` the token URL, ``GET /whoami/v1`` and ``GET /endpoint/v1/endpoints`` paged
either by key (``pageSize`` + ``pageFromKey``, answering ``pages.nextKey``) or by number
(``page`` + ``pageSize``, answering ``pages.current``/``pages.total``). The page size is fixed
when the server starts (``PAGE_SIZE``); other sizes are refused, so a client asking for another
size fails loudly instead of being measured on different work.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from urllib.parse import parse_qsl

from pysophoscentralapi.emulator._data import EndpointFactory
from pysophoscentralapi.emulator._endpoint_api import FULL_ONLY_FIELDS

PAGE_SIZE = 500
TENANT_ID = "7ec7d5d4-8c6c-4b33-9f57-6c3b1d2d7a10"
TOKEN = "bench-token"


def _head(length: int, status: str = "200 OK") -> bytes:
    return (
        f"HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {length}\r\n\r\n"
    ).encode()


def _response(body: bytes, status: str = "200 OK") -> list[bytes]:
    return [_head(len(body), status), body]


#: Distinct pages rendered; a longer listing serves them again in turn (the ids repeat, which no
#: client here looks at), so 200,000 endpoints cost the server no more memory than 50,000.
DISTINCT_PAGES = 100


def render_pages(total: int, page_size: int = PAGE_SIZE) -> list[bytes]:
    """The ``items`` JSON array of each distinct page, rendered once."""
    factory = EndpointFactory(TENANT_ID, "BENCH", seed=18, anchor=time.time(), count=total)
    pages: list[bytes] = []
    for start in range(0, min(total, DISTINCT_PAGES * page_size), page_size):
        rows = []
        for index in range(start, min(total, start + page_size)):
            row = {k: v for k, v in factory.build(index).items() if k not in FULL_ONLY_FIELDS}
            rows.append(json.dumps(row, separators=(",", ":")).encode())
        pages.append(b"[" + b",".join(rows) + b"]")
    return pages


class Answers:
    """Every answer the server can give, as ready-to-write bytes (a page: head, items, tail)."""

    def __init__(self, base_url: str, total: int) -> None:
        self.items = render_pages(total)
        self.total = total
        self.count = max(1, -(-total // PAGE_SIZE))
        self.token = _response(
            json.dumps({"access_token": TOKEN, "token_type": "bearer", "expires_in": 3600}).encode()
        )
        self.whoami = _response(
            json.dumps(
                {
                    "id": TENANT_ID,
                    "idType": "tenant",
                    "apiHosts": {"global": base_url, "dataRegion": base_url},
                }
            ).encode()
        )
        self.not_found = _response(
            b'{"error":"notFound","message":"no such page"}', "404 Not Found"
        )
        self.bad_request = _response(
            b'{"error":"badRequest","message":"the bench server serves pageSize=500 only"}',
            "400 Bad Request",
        )
        self.unauthorized = _response(b'{"error":"unauthorized"}', "401 Unauthorized")

    def page(self, number: int, *, by_key: bool) -> list[bytes]:
        """Page ``number`` (from 1) in either paging style."""
        if not 1 <= number <= self.count:
            return self.not_found
        items = self.items[(number - 1) % len(self.items)] if self.items else b"[]"
        if by_key:
            pages: dict[str, object] = {"fromKey": f"k{number}", "size": PAGE_SIZE}
            if number < self.count:
                pages["nextKey"] = f"k{number + 1}"
        else:
            pages = {"current": number, "size": PAGE_SIZE, "total": self.count, "items": self.total}
        pages["maxSize"] = PAGE_SIZE
        tail = b',"pages":' + json.dumps(pages).encode() + b"}"
        return [_head(len(items) + len(tail) + 9), b'{"items":', items, tail]

    def answer(self, method: str, target: str, authorized: bool) -> list[bytes]:
        path, _, query = target.partition("?")
        if method == "POST" and path == "/api/v2/oauth2/token":
            return self.token
        if not authorized:
            return self.unauthorized
        if path == "/whoami/v1":
            return self.whoami
        if path != "/endpoint/v1/endpoints":
            return self.not_found
        params = dict(parse_qsl(query))
        if params.get("pageSize", str(PAGE_SIZE)) != str(PAGE_SIZE):
            return self.bad_request
        if "page" in params:
            return self.page(int(params["page"]), by_key=False)
        key = params.get("pageFromKey", "k1")
        return self.page(int(key[1:]) if key[1:].isdigit() else 0, by_key=True)


async def _serve_connection(
    answers: Answers, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    bearer = f"bearer {TOKEN}".encode()
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            request_line, *lines = head.split(b"\r\n")
            method, target, _ = request_line.decode("latin-1").split(" ", 2)
            length = 0
            authorized = False
            for line in lines:
                name, _, value = line.partition(b":")
                name = name.strip().lower()
                if name == b"content-length":
                    length = int(value)
                elif name == b"authorization":
                    authorized = value.strip().lower() == bearer
            if length:
                await reader.readexactly(length)
            writer.writelines(answers.answer(method, target, authorized))
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def _main(total: int) -> None:
    holder: list[Answers] = []
    server = await asyncio.start_server(
        lambda r, w: _serve_connection(holder[0], r, w), "127.0.0.1", 0
    )
    port = server.sockets[0].getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    holder.append(Answers(url, total))
    print(url, flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)  # until the parent closes our stdin
    server.close()


if __name__ == "__main__":
    asyncio.run(_main(int(sys.argv[1])))
