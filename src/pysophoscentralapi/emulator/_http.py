"""Response helpers shared by every emulated API family: error bodies, JSON, both paging styles.

The real API's error body is ``{"error", "message", "correlationId", "requestId", "createdAt"}``
(API_NOTES §5); list pages carry ``pages`` with ``nextKey`` (key style) or ``current``/``total``
(number style).
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar, cast

from starlette.requests import Request
from starlette.responses import Response

T = TypeVar("T")

#: The API's error code and message per status (API_NOTES §5).
ERROR_TEXT: dict[int, tuple[str, str]] = {
    400: ("badRequest", "Bad request."),
    401: ("notAuthorized", "Not authorized."),
    403: ("forbidden", "Forbidden."),
    404: ("notFound", "Resource not found."),
    405: ("methodNotAllowed", "Method not allowed."),
    409: ("resourceConflict", "Resource conflict."),
    429: ("tooManyRequests", "Too many requests. See Retry-After header."),
    500: ("internalServerError", "Internal Server Error."),
    502: ("badGateway", "Bad gateway."),
    503: ("serviceUnavailable", "Service unavailable."),
}


def now_iso() -> str:
    """The current UTC time as the API writes it: ISO-8601 with milliseconds and ``Z``."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A compact JSON response (compact keeps big pages cheap to send)."""
    return Response(
        json.dumps(body, separators=(",", ":")),
        status_code=status,
        media_type="application/json",
        headers=headers,
    )


def api_error(
    status: int, message: str | None = None, *, headers: dict[str, str] | None = None
) -> Response:
    """An error in the API's documented shape, with fresh correlation and request ids."""
    code, default_message = ERROR_TEXT.get(status, ("error", "Error."))
    body = {
        "error": code,
        "message": message or default_message,
        "correlationId": str(uuid.uuid4()),
        "requestId": str(uuid.uuid4()),
        "createdAt": now_iso(),
    }
    return json_response(body, status, headers)


class BadRequest(Exception):
    """Raised by handlers for a 400; the app turns it into :func:`api_error`."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ApiFailure(Exception):
    """Raised by handlers for any error status; the app turns it into :func:`api_error`."""

    def __init__(self, status: int, message: str | None = None) -> None:
        super().__init__(message or str(status))
        self.status = status
        self.message = message


def found(items: Mapping[str, T], key: str, message: str) -> T:
    """``items[key]``; a 404 with ``message`` when there is none."""
    item = items.get(key)
    if item is None:
        raise ApiFailure(404, message)
    return item


async def json_body(request: Request) -> dict[str, Any]:
    """The request's JSON object body; ``{}`` when empty; 400 when it is not a JSON object."""
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except ValueError:
        raise BadRequest("Request body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise BadRequest("Request body must be a JSON object.")
    return body


def required_text(body: dict[str, Any], key: str, where: str = "") -> str:
    """``body[key]``, a non-empty string; 400 naming ``where + key`` otherwise."""
    value = body.get(key)
    if not isinstance(value, str) or not value.strip():
        raise BadRequest(f"{where}{key} is required and must be a non-empty string.")
    return value


def optional_str(body: dict[str, Any], key: str, where: str = "") -> str | None:
    """``body[key]``: a string or ``None`` (absent); 400 naming ``where + key`` otherwise."""
    value = body.get(key)
    if value is not None and not isinstance(value, str):
        raise BadRequest(f"{where}{key} must be a string.")
    return value


def parse_int(
    request: Request, name: str, default: int, *, minimum: int = 1, maximum: int | None = None
) -> int:
    """An integer query parameter, 400 when malformed or out of range."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"Invalid value for {name}: {raw!r}.") from None
    if value < minimum or (maximum is not None and value > maximum):
        raise BadRequest(f"{name} must be between {minimum} and {maximum}.")
    return value


def parse_bool(request: Request, name: str) -> bool | None:
    """A boolean query parameter (``true``/``false``), 400 when malformed."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    if raw.lower() in ("true", "false"):
        return raw.lower() == "true"
    raise BadRequest(f"Invalid value for {name}: {raw!r}; expected true or false.")


def split_csv(raw: str) -> list[str]:
    """The values of a comma-separated list, stripped, empty ones left out."""
    return [v.strip() for v in raw.split(",") if v.strip()]


def csv_values(request: Request, name: str) -> list[str] | None:
    """A comma-separated query parameter as its values (``None`` when absent or ``""``; a blank or
    ``,`` gives ``[]``)."""
    raw = request.query_params.get(name)
    return split_csv(raw) if raw else None


def check_choice(name: str, value: Any, valid: Collection[str]) -> str:
    """``value`` when it is one of ``valid``; 400 ``Invalid value for NAME: 'value'. Valid values:
    a, b.`` otherwise."""
    if value not in valid:
        raise BadRequest(f"Invalid value for {name}: {value!r}. Valid values: {', '.join(valid)}.")
    return cast(str, value)


def check_enum(name: str, values: Iterable[str], allowed: Sequence[str]) -> list[str]:
    """Values that must all be members of ``allowed``; 400 naming the valid ones otherwise."""
    values = list(values)
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise BadRequest(
            f"Invalid value for {name}: {', '.join(unknown)}. Valid values: {', '.join(allowed)}."
        )
    return values


def parse_csv_enum(request: Request, name: str, allowed: Iterable[str]) -> list[str] | None:
    """A comma-separated list of enum values, 400 naming the valid ones (sorted) when a value is
    unknown."""
    values = csv_values(request, name)
    return None if values is None else check_enum(name, values, sorted(set(allowed)))


# --- key-based paging (pageFromKey / pages.nextKey) ---------------------------------------------


def encode_key(position: int, salt: str) -> str:
    """An opaque page key. Keys contain ``+``, ``/`` and ``=`` on purpose, so clients must URL-encode."""
    raw = f"{salt}:{position}".encode()
    return base64.b64encode(raw).decode() + "+/="[position % 3]


def decode_key(key: str, salt: str) -> int:
    """The position a key stands for; 400 for a key this server did not issue."""
    try:
        text = base64.b64decode(key[:-1], validate=True).decode()
        key_salt, position = text.rsplit(":", 1)
        # The last character is checked too, so a key sent without URL-encoding ("+" -> " ") fails.
        if key_salt != salt or key[-1] != "+/="[int(position) % 3]:
            raise ValueError(key_salt)
        return int(position)
    except ValueError:
        raise BadRequest("Invalid pageFromKey.") from None


@dataclass(frozen=True)
class KeyPage:
    items: list[dict[str, Any]]
    pages: dict[str, Any]


def key_page(
    source: Request | dict[str, Any],
    rows: Callable[[int], Iterable[tuple[int, dict[str, Any]]]],
    *,
    salt: str,
    max_size: int,
    default_size: int = 50,
    count: Callable[[], int] | None = None,
) -> KeyPage:
    """One key-based page.

    The paging values (``pageSize``, ``pageFromKey``, ``pageTotal``) come from the query string of
    a request, or from a JSON body (``POST .../search``) given as a dict. ``rows(start)`` yields
    ``(position, item)`` for matching items from ``start`` on, in order, so a store of any size is
    walked lazily. ``count`` gives the total for ``pageTotal=true``.
    """
    if isinstance(source, Request):
        size = parse_int(source, "pageSize", default_size, maximum=max_size)
        from_key = source.query_params.get("pageFromKey")
        total = parse_bool(source, "pageTotal")
    else:
        size = source.get("pageSize", default_size)
        if not isinstance(size, int) or isinstance(size, bool) or not 1 <= size <= max_size:
            raise BadRequest(f"pageSize must be between 1 and {max_size}.")
        from_key = source.get("pageFromKey")
        if from_key is not None and not isinstance(from_key, str):
            raise BadRequest("Invalid pageFromKey.")
        total = source.get("pageTotal") is True
    start = decode_key(from_key, salt) if from_key else 0
    return _key_page_from(
        rows(start), size, max_size, salt, from_key=from_key, count=count if total else None
    )


def _key_page_from(
    iterator: Iterable[tuple[int, dict[str, Any]]],
    size: int,
    max_size: int,
    salt: str,
    *,
    from_key: str | None,
    count: Callable[[], int] | None,
) -> KeyPage:
    items: list[dict[str, Any]] = []
    next_key: str | None = None
    for position, item in iterator:
        if len(items) == size:
            next_key = encode_key(position, salt)
            break
        items.append(item)
    pages: dict[str, Any] = {"size": size, "maxSize": max_size}
    if from_key:
        pages["fromKey"] = from_key
    if next_key:
        pages["nextKey"] = next_key
    if count is not None:
        total_items = count()
        pages["items"] = total_items
        pages["total"] = max(1, -(-total_items // size))
    return KeyPage(items, pages)


# --- page-number paging (page / pageSize / pageTotal) --------------------------------------------


def number_page(
    request: Request,
    items: Sequence[dict[str, Any]],
    *,
    max_size: int = 100,
    default_size: int = 50,
    totals: bool = False,
) -> dict[str, Any]:
    """A page-number page body ``{"items", "pages": {"current", "size", "maxSize", ...}}``.

    ``total``/``items`` come with ``pageTotal=true``, or always with ``totals`` (APIs that have
    no ``pageTotal`` parameter, such as cases and detections, always send them).
    """
    page = parse_int(request, "page", 1)
    size = parse_int(request, "pageSize", default_size, maximum=max_size)
    start = (page - 1) * size
    pages: dict[str, Any] = {"current": page, "size": size, "maxSize": max_size}
    if totals or parse_bool(request, "pageTotal"):
        pages["total"] = max(1, -(-len(items) // size))
        pages["items"] = len(items)
    return {"items": list(items[start : start + size]), "pages": pages}
