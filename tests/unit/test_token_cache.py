"""The on-disk token cache: round trip, expiry margin, corruption, permissions, no secrets."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from pysophoscentralapi._token_cache import FileTokenCache, default_token_directory
from pysophoscentralapi._tokens import Token, TokenCache, cache_key

NOW = 1_700_000_000.0
KEY = cache_key("client-id", "https://id.sophos.com/api/v2/oauth2/token")
ACCESS = "eyJ-access-token-value"
SECRET = "client-secret-never-cached"


class Clock:
    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def cache(tmp_path: Path, clock: Clock) -> FileTokenCache:
    return FileTokenCache(tmp_path / "cache" / "tokens", clock=clock)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_is_a_token_cache(cache: FileTokenCache) -> None:
    protocol_user: TokenCache = cache
    assert protocol_user is cache


def test_round_trip(cache: FileTokenCache) -> None:
    assert cache.load(KEY) is None
    token = Token(access_token=ACCESS, expires_at=NOW + 3600)
    cache.save(KEY, token)
    assert cache.load(KEY) == token
    # a second cache object (another process) sees it too
    assert FileTokenCache(cache.directory, clock=lambda: NOW).load(KEY) == token


def test_file_holds_only_token_and_expiry(cache: FileTokenCache) -> None:
    cache.save(KEY, Token(access_token=ACCESS, expires_at=NOW + 3600))
    files = list(cache.directory.iterdir())
    assert [f.name for f in files] == [f"{KEY}.json"]
    data = json.loads(files[0].read_text(encoding="utf-8"))
    assert data == {"access_token": ACCESS, "expires_at": NOW + 3600}
    assert SECRET not in files[0].read_text(encoding="utf-8")
    assert "client-id" not in files[0].name


def test_expiry_margin(cache: FileTokenCache, clock: Clock) -> None:
    cache.save(KEY, Token(access_token=ACCESS, expires_at=NOW + 120))
    assert cache.load(KEY) is not None
    clock.now = NOW + 59  # 61 s left
    assert cache.load(KEY) is not None
    clock.now = NOW + 60  # exactly 60 s left: too close
    assert cache.load(KEY) is None
    clock.now = NOW + 500  # expired
    assert cache.load(KEY) is None


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not json",
        b"[]",
        b'{"access_token": "x"}',
        b'{"access_token": "", "expires_at": 9999999999}',
        b'{"access_token": 3, "expires_at": 9999999999}',
        b'{"access_token": "x", "expires_at": "soon"}',
        b'{"access_token": "x", "expires_at": true}',
        b'{"access_token": "x", "expires_at": NaN}',
    ],
)
def test_corrupt_file_is_a_miss_and_removed(cache: FileTokenCache, content: bytes) -> None:
    cache.save(KEY, Token(access_token=ACCESS, expires_at=NOW + 3600))
    path = cache.directory / f"{KEY}.json"
    path.write_bytes(content)
    assert cache.load(KEY) is None
    assert not path.exists()


def test_unreadable_entry_is_a_miss(cache: FileTokenCache) -> None:
    cache.directory.mkdir(parents=True)
    (cache.directory / f"{KEY}.json").mkdir()  # a directory where a file should be
    assert cache.load(KEY) is None


def test_discard_and_clear(cache: FileTokenCache) -> None:
    other = cache_key("other", "https://id.sophos.com/api/v2/oauth2/token")
    cache.save(KEY, Token(access_token=ACCESS, expires_at=NOW + 3600))
    cache.save(other, Token(access_token="t2", expires_at=NOW + 3600))
    cache.discard(KEY)
    assert cache.load(KEY) is None
    assert cache.load(other) is not None
    cache.discard(KEY)  # discarding twice is fine
    cache.clear()
    assert cache.load(other) is None


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_modes(cache: FileTokenCache) -> None:
    cache.save(KEY, Token(access_token=ACCESS, expires_at=NOW + 3600))
    assert mode(cache.directory) == 0o700
    assert mode(cache.directory / f"{KEY}.json") == 0o600
    cache.directory.chmod(0o755)  # tightened again on the next save
    cache.save(KEY, Token(access_token=ACCESS, expires_at=NOW + 7200))
    assert mode(cache.directory) == 0o700


def test_no_temp_files_left(cache: FileTokenCache) -> None:
    for i in range(5):
        cache.save(KEY, Token(access_token=f"t{i}", expires_at=NOW + 3600 + i))
    assert [p.name for p in cache.directory.iterdir()] == [f"{KEY}.json"]
    token = cache.load(KEY)
    assert token is not None
    assert token.access_token == "t4"


def test_odd_keys_cannot_escape_the_directory(cache: FileTokenCache, tmp_path: Path) -> None:
    cache.save("../../escape", Token(access_token=ACCESS, expires_at=NOW + 3600))
    assert not (tmp_path / "escape.json").exists()
    assert cache.load("../../escape") is not None
    assert all(p.parent == cache.directory for p in cache.directory.iterdir())


def test_unwritable_directory_is_not_an_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    cache = FileTokenCache(blocker / "tokens", clock=lambda: NOW)
    cache.save(KEY, Token(access_token=ACCESS, expires_at=NOW + 3600))  # silently skipped
    assert cache.load(KEY) is None


def test_repr_of_loaded_token_hides_it(cache: FileTokenCache) -> None:
    cache.save(KEY, Token(access_token=ACCESS, expires_at=NOW + 3600))
    assert ACCESS not in repr(cache.load(KEY))


def test_default_directory(isolated_env: dict[str, str]) -> None:
    assert default_token_directory() == Path(isolated_env["XDG_CACHE_HOME"]) / "pysophos" / "tokens"
    assert FileTokenCache().directory == default_token_directory()
