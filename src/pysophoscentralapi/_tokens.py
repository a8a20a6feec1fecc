"""OAuth2 client-credentials tokens: request building, response parsing, expiry (sans-I/O).

The token endpoint (``POST {auth_url}``, form-encoded) answers ``{"access_token", "expires_in", ...}``
or, on failure, ``{"errorCode", "message", "trackingId"}`` (API_NOTES §2).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Protocol

from pysophoscentralapi._errors import AuthenticationError, ResponseValidationError

#: A token is renewed this many seconds before it expires, so no request is sent with a token
#: that expires in flight.
REFRESH_MARGIN_SECONDS = 60.0


@dataclass(frozen=True)
class Token:
    """A bearer token and the time (epoch seconds) it expires. Its repr never shows the token."""

    access_token: str = field(repr=False)
    expires_at: float

    def is_fresh(self, now: float, margin: float = REFRESH_MARGIN_SECONDS) -> bool:
        """Whether the token can still be used at ``now`` with ``margin`` seconds to spare."""
        return now + margin < self.expires_at


class TokenCache(Protocol):
    """Somewhere to keep tokens between processes (the CLI keeps them on disk, mode 0600)."""

    def load(self, key: str) -> Token | None: ...

    def save(self, key: str, token: Token) -> None: ...

    def discard(self, key: str) -> None: ...


def cache_key(client_id: str, auth_url: str, client_secret: str = "") -> str:
    """The cache key of a credential: a one-way hash, so file names reveal nothing.

    The secret is part of it so that a changed or wrong secret never reuses a cached token.
    """
    return hashlib.sha256(f"{auth_url}\n{client_id}\n{client_secret}".encode()).hexdigest()


def token_request_form(client_id: str, client_secret: str) -> dict[str, str]:
    """The form fields of a client-credentials token request (httpx URL-encodes them)."""
    return {
        "grant_type": "client_credentials",
        "client_id": client_id,
        "client_secret": client_secret,
        "scope": "token",
    }


def parse_token_response(status_code: int, content: bytes, now: float) -> Token:
    """A :class:`Token` from the token endpoint's answer, or :class:`AuthenticationError`."""
    try:
        body = json.loads(content) if content else {}
    except ValueError:
        body = None
    if not isinstance(body, dict):
        body = {}
    if status_code == 200:
        access_token = body.get("access_token")
        expires_in = body.get("expires_in", 3600)
        if (
            not isinstance(access_token, str)
            or not access_token
            or not isinstance(expires_in, int | float)
            or isinstance(expires_in, bool)
        ):
            raise ResponseValidationError(
                "the token endpoint answered 200 without a usable access_token/expires_in"
            )
        return Token(access_token=access_token, expires_at=now + float(expires_in))
    error_code = body.get("errorCode") if isinstance(body.get("errorCode"), str) else None
    message = body.get("message") if isinstance(body.get("message"), str) else None
    tracking_id = body.get("trackingId") if isinstance(body.get("trackingId"), str) else None
    text = f"the token endpoint refused the credentials (HTTP {status_code}"
    text += f", {error_code})" if error_code else ")"
    if message:
        text += f": {message}"
    raise AuthenticationError(
        text,
        status_code=status_code,
        error_code=error_code,
        api_message=message,
        tracking_id=tracking_id,
    )
