"""The HTML health report, written by the CLI against the emulator and opened in headless Chromium.

Chromium renders the file to a PNG and dumps the DOM after layout: the page must load without
console errors or network requests, and the charts must be there. The test skips only on a
developer machine without Chromium; in CI (``CI=true``) a missing browser is a failure.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
)


def _browser() -> str:
    found = next((path for name in BROWSERS if (path := shutil.which(name))), None)
    if found is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but no Chromium: install it (apt-get install -y chromium)")
        pytest.skip("headless Chromium is not installed (apt-get install -y chromium)")
    return found


def _run(browser: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [browser, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def report_file(make_emulator: Any, isolated_env: dict[str, str], tmp_path: Path) -> Path:
    emu = make_emulator(tenants=6, endpoints=40, endpoints_per_tenant=12, alerts=15)
    cli = Cli(env={**isolated_env, **emu.env("partner")})
    target = tmp_path / "report.html"
    result = cli("report", "health", "--all-tenants", "--output-file", str(target))
    # Of 6 tenants, one refuses partner access (403) and one is inactive: reported, exit 6.
    assert result.exit_code == 6, result.output
    assert "tenant failed: " in result.stderr
    assert "403" in result.stderr
    return target


def test_report_is_self_contained(report_file: Path) -> None:
    page = report_file.read_text(encoding="utf-8")
    assert "<style>" in page
    assert not re.search(r"<(script|link|img)\b", page), "nothing may be fetched when opened"
    assert not re.search(r"""(src|href)=["']https?:""", page)
    assert page.count('data-chart="') >= 3 + 4 * 4  # fleet charts + four per reachable tenant


def test_report_renders_in_headless_chromium(report_file: Path, tmp_path: Path) -> None:
    browser = _browser()
    png = tmp_path / "report.png"
    shot = _run(
        browser,
        tmp_path / "profile-shot",
        f"--screenshot={png}",
        "--window-size=1280,3000",
        report_file.as_uri(),
    )
    assert png.is_file(), shot.stderr[-2000:]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 50_000  # a blank page is a few KB
    dom = _run(browser, tmp_path / "profile-dom", "--dump-dom", report_file.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    for chart in ("score-distribution", "worst-tenants", "common-findings"):
        assert f'data-chart="{chart}"' in dom.stdout
    assert dom.stdout.count("<svg") >= 3 + 4 * 4
    assert "Could not be read." in dom.stdout  # the refused and the inactive tenant
    for log in (shot.stderr, dom.stderr):
        assert "CONSOLE" not in log, log[-2000:]
        assert "Uncaught" not in log, log[-2000:]
        assert "net::ERR_" not in log, log[-2000:]
