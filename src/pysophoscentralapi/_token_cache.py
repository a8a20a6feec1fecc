"""An on-disk token cache, so scripts that run ``pysophos`` many times authenticate once.

One JSON file per cache key (``_tokens.cache_key(client_id, auth_url, secret)``, a sha256 hex, so file
names reveal neither the client id nor the URL) holding only ``access_token`` and ``expires_at``;
never the client secret. The directory is mode 0700, files 0600, written atomically (temp file +
``os.replace``), so concurrent ``pysophos`` processes only ever read whole files: the worst a race
costs is one extra token request.

Example::

    cache = FileTokenCache()                       # ~/.cache/pysophos/tokens on Linux
    key = cache_key(client_id, auth_url, client_secret)
    token = cache.load(key)                        # None: missing, corrupt or expiring soon
    if token is None:
        token = fetch_token()
        cache.save(key, token)
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from pysophoscentralapi._tokens import REFRESH_MARGIN_SECONDS, Token

__all__ = ["FileTokenCache", "default_token_directory"]

_SAFE_KEY = re.compile(r"^[0-9a-f]{64}$")


def default_token_directory() -> Path:
    """``tokens`` in the platform's user cache dir for ``pysophos``.

    >>> default_token_directory().name
    'tokens'
    """
    import platformdirs

    return Path(platformdirs.user_cache_dir("pysophos", appauthor=False)) / "tokens"


class FileTokenCache:
    """Tokens on disk, one 0600 JSON file per key in a 0700 directory.

    A token that expires within 60 seconds (``_tokens.REFRESH_MARGIN_SECONDS``) is a miss, as is a
    corrupt or unreadable file (which is removed). ``clock`` returns epoch seconds; tests pass
    their own.

    >>> import tempfile
    >>> cache = FileTokenCache(Path(tempfile.mkdtemp()) / "tokens", clock=lambda: 1000.0)
    >>> cache.save("a" * 64, Token(access_token="t", expires_at=5000.0))
    >>> cache.load("a" * 64)
    Token(expires_at=5000.0)
    """

    def __init__(
        self,
        directory: Path | None = None,
        *,
        clock: Callable[[], float] = time.time,
        margin: float = REFRESH_MARGIN_SECONDS,
    ) -> None:
        self.directory = Path(directory) if directory is not None else default_token_directory()
        self._clock = clock
        self._margin = margin

    def _path(self, key: str) -> Path:
        # Keys are sha256 hex digests; anything else is hashed so it cannot escape the directory.
        name = key if _SAFE_KEY.match(key) else hashlib.sha256(key.encode()).hexdigest()
        return self.directory / f"{name}.json"

    def load(self, key: str) -> Token | None:
        """The cached token for ``key``, or ``None`` if missing, unreadable or about to expire."""
        path = self._path(key)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError:
            self._remove(path)
            return None
        token = _parse(raw)
        if token is None:
            self._remove(path)
            return None
        if not token.is_fresh(self._clock(), self._margin):
            return None
        return token

    def save(self, key: str, token: Token) -> None:
        """Store ``token`` under ``key`` (atomically, mode 0600). Failures are ignored: a cache
        that cannot be written only costs a token request next time."""
        with contextlib.suppress(OSError):
            self._ensure_directory()
            payload = json.dumps(
                {"access_token": token.access_token, "expires_at": token.expires_at}
            )
            fd, temp_name = tempfile.mkstemp(dir=self.directory, prefix=".token.", suffix=".tmp")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    if os.name == "posix":
                        os.fchmod(handle.fileno(), 0o600)
                    handle.write(payload)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(temp_name, self._path(key))
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temp_name)
                raise

    def discard(self, key: str) -> None:
        """Forget the token for ``key`` (e.g. after the API answered 401 with it)."""
        self._remove(self._path(key))

    def clear(self) -> None:
        """Forget every cached token."""
        with contextlib.suppress(OSError):
            for path in self.directory.glob("*.json"):
                self._remove(path)

    def _ensure_directory(self) -> None:
        if not self.directory.is_dir():
            self.directory.mkdir(parents=True, mode=0o700, exist_ok=True)
        if os.name == "posix" and (self.directory.stat().st_mode & 0o077):
            self.directory.chmod(0o700)

    @staticmethod
    def _remove(path: Path) -> None:
        with contextlib.suppress(OSError):
            path.unlink()


def _parse(raw: bytes) -> Token | None:
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    access_token = data.get("access_token")
    expires_at = data.get("expires_at")
    if not isinstance(access_token, str) or not access_token:
        return None
    if isinstance(expires_at, bool) or not isinstance(expires_at, int | float):
        return None
    if not math.isfinite(expires_at):
        return None
    return Token(access_token=access_token, expires_at=float(expires_at))
