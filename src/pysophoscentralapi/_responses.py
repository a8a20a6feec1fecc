"""Turning HTTP answers into JSON or into typed errors (sans-I/O)."""

from __future__ import annotations

import json
from typing import Any

from pysophoscentralapi._errors import (
    APIError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseValidationError,
    ServerError,
)

_ERROR_CLASSES: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: BadRequestError,
    429: RateLimitError,
}

#: Added to server errors of state-changing requests, which are never re-sent automatically.
UNSAFE_SERVER_ERROR_NOTE = (
    "; the change may or may not have been applied: read the resource back before retrying"
)


def parse_json(content: bytes, *, method: str, url: str) -> Any:
    """The JSON body of a successful answer (``None`` when empty)."""
    if not content.strip():
        return None
    try:
        return json.loads(content)
    except ValueError:
        raise ResponseValidationError(
            f"{method} {url} answered with a body that is not JSON ({len(content)} bytes)"
        ) from None


def error_from_response(
    status_code: int, content: bytes, *, method: str, url: str, unsafe: bool = False
) -> APIError:
    """The typed error for an error answer; tolerates empty and non-JSON bodies."""
    try:
        body = json.loads(content) if content.strip() else None
    except ValueError:
        body = None
    fields: dict[str, str | None] = {
        "error": None,
        "message": None,
        "correlationId": None,
        "requestId": None,
    }
    if isinstance(body, dict):
        for name in fields:
            value = body.get(name)
            fields[name] = value if isinstance(value, str) else None
    cls = _ERROR_CLASSES.get(status_code)
    if cls is None:
        cls = ServerError if status_code >= 500 else BadRequestError
    text = f"{method} {url} failed: HTTP {status_code}"
    if fields["error"]:
        text += f" {fields['error']}"
    if fields["message"]:
        text += f": {fields['message']}"
    hint = None
    if cls is ServerError and unsafe:
        text += UNSAFE_SERVER_ERROR_NOTE
        hint = "read the resource back to see whether the change was applied before retrying"
    return cls(
        text,
        status_code=status_code,
        error_code=fields["error"],
        api_message=fields["message"],
        correlation_id=fields["correlationId"],
        request_id=fields["requestId"],
        method=method,
        url=url,
        hint=hint,
    )
