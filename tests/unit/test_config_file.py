"""Editing the config file: comments and other profiles kept, validation first, atomic 0600 save."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from pysophoscentralapi._config_file import ConfigFile
from pysophoscentralapi._errors import ConfigError
from pysophoscentralapi._settings import load_settings

ORIGINAL = """\
# pysophos settings -- keep this comment
[auth]
client_id = "default-id"  # the production credential
client_secret_env = "PROD_SECRET"

[api]
timeout = 10

# the customer we manage
[profiles.acme.auth]
client_id = "acme-id"
client_secret_env = "ACME_SECRET"
"""


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    p = tmp_path / "config.toml"
    p.write_text(ORIGINAL, encoding="utf-8")
    p.chmod(0o644)
    return p


def test_missing_file_is_an_empty_document(tmp_path: Path) -> None:
    cfg = ConfigFile.load(tmp_path / "absent.toml")
    assert not cfg.existed
    assert cfg.profiles() == []
    assert cfg.dumps() == ""


def test_set_keeps_comments_other_profiles_and_order(path: Path) -> None:
    cfg = ConfigFile.load(path)
    assert cfg.profiles() == ["default", "acme"]
    assert cfg.set("default", "timeout", "60") == 60.0
    assert cfg.set("acme", "region", "EU01") == "eu01"
    assert cfg.set("default", "output.format", "json") == "json"
    assert cfg.set("newbie", "api.max_retries", "2") == 2
    cfg.save()
    text = path.read_text(encoding="utf-8")
    assert text.startswith(ORIGINAL.splitlines()[0])
    assert "# the production credential" in text
    assert "# the customer we manage" in text
    assert "timeout = 60.0" in text
    assert "timeout = 10" not in text
    assert text.index("[auth]") < text.index("[api]") < text.index("[profiles.acme.auth]")
    assert "[profiles.acme.api]" in text
    assert "[profiles.newbie.api]" in text
    assert ConfigFile.load(path).profiles() == ["default", "acme", "newbie"]
    # what the loader sees
    acme = load_settings(config_file=path, profile="acme", env={"ACME_SECRET": "x"})
    assert acme.settings.region == "eu01"
    assert acme.settings.timeout == 60.0
    assert acme.settings.output.format == "json"
    assert acme.settings.client_id == "acme-id"


def test_new_key_goes_before_trailing_comment(path: Path) -> None:
    cfg = ConfigFile.load(path)
    cfg.set("default", "auth_url", "https://id.example.com/token")
    text = cfg.dumps()
    assert text.index('auth_url = "https://id.example.com/token"') < text.index("# the customer")
    assert text.index("# the customer we manage") < text.index("[profiles.acme.auth]")


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_save_writes_0600_and_creates_dir_0700(tmp_path: Path, path: Path) -> None:
    cfg = ConfigFile.load(path)
    cfg.set("default", "region", "us01")
    cfg.save()
    assert mode(path) == 0o600  # was 0644
    fresh = tmp_path / "new" / "dir" / "config.toml"
    cfg = ConfigFile.load(fresh)
    cfg.set("default", "client_id", "abc")
    cfg.save()
    assert mode(fresh) == 0o600
    assert mode(fresh.parent) == 0o700
    assert cfg.existed


def test_unknown_key_lists_valid_keys(path: Path) -> None:
    cfg = ConfigFile.load(path)
    with pytest.raises(ConfigError, match="unknown setting 'timout'") as info:
        cfg.set("default", "timout", 3)
    assert "timeout" in (info.value.hint or "")
    assert "output.format" in (info.value.hint or "")


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("timeout", "abc", "invalid timeout 'abc'"),
        ("region", "mars", "invalid region 'mars'"),
        ("tenant_id", "123", "invalid tenant_id '123'"),
        ("max_retries", "99", "invalid max_retries"),
        ("output.format", "xml", "invalid output.format"),
    ],
)
def test_invalid_values_fail_before_writing(
    path: Path, key: str, value: str, expected: str
) -> None:
    cfg = ConfigFile.load(path)
    with pytest.raises(ConfigError, match=expected):
        cfg.set("default", key, value)
    assert cfg.dumps() == ORIGINAL


def test_secret_kinds_replace_each_other(path: Path) -> None:
    cfg = ConfigFile.load(path)
    cfg.set("acme", "secret_in_keyring", True)
    assert cfg.get("acme", "client_secret_env") is None
    assert cfg.get("acme", "secret_in_keyring") is True
    cfg.set("acme", "client_secret", "s3cret")
    assert cfg.get("acme", "secret_in_keyring") is None
    assert cfg.get("acme", "client_secret") == "s3cret"
    # the default profile is untouched
    assert cfg.get("default", "client_secret_env") == "PROD_SECRET"


def test_unset_and_none(path: Path) -> None:
    cfg = ConfigFile.load(path)
    assert cfg.unset("default", "api.timeout") is True
    assert cfg.unset("default", "timeout") is False
    assert cfg.unset("ghost", "region") is False
    cfg.set("acme", "client_id", None)
    assert cfg.get("acme", "client_id") is None
    assert "timeout" not in cfg.dumps()
    assert "# the customer we manage" in cfg.dumps()


def test_invalid_profile_name(path: Path) -> None:
    with pytest.raises(ConfigError, match="invalid profile name"):
        ConfigFile.load(path).set("bad name", "region", "eu01")


def test_section_that_is_not_a_table(tmp_path: Path) -> None:
    p = tmp_path / "c.toml"
    p.write_text("api = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="api is not a table"):
        ConfigFile.load(p).set("default", "region", "eu01")


def test_malformed_file_is_reported_with_line(tmp_path: Path) -> None:
    p = tmp_path / "c.toml"
    p.write_text('[auth]\nclient_id = "a"\nclient_secret = "oops\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        ConfigFile.load(p)
    assert str(p) in str(info.value)
    assert "line 3" in str(info.value)
    assert "oops" not in str(info.value)


def test_failed_save_leaves_old_file_and_no_temp_file(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = ConfigFile.load(path)
    cfg.set("default", "region", "eu02")

    def crash(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(ConfigError, match="cannot write config file"):
        cfg.save()
    monkeypatch.undo()
    assert path.read_text(encoding="utf-8") == ORIGINAL
    assert sorted(p.name for p in path.parent.iterdir()) == ["config.toml"]


def test_interrupted_save_leaves_old_file(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = ConfigFile.load(path)
    cfg.set("default", "region", "eu02")

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        cfg.save()
    monkeypatch.undo()
    assert path.read_text(encoding="utf-8") == ORIGINAL
    assert sorted(p.name for p in path.parent.iterdir()) == ["config.toml"]


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_save_follows_symlink(tmp_path: Path, path: Path) -> None:
    link = tmp_path / "link.toml"
    link.symlink_to(path)
    cfg = ConfigFile.load(link)
    cfg.set("default", "region", "ca01")
    cfg.save()
    assert link.is_symlink()
    assert 'region = "ca01"' in path.read_text(encoding="utf-8")
