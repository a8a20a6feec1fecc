"""The run spinner of the hunting commands: drawn on stderr only when stderr is a terminal."""

from __future__ import annotations

import io
import sys
from types import SimpleNamespace

import pytest

from pysophoscentralapi.cli.commands._hunting import _spinner


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_no_spinner_off_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    with _spinner("XDR query") as show:
        assert show is None
    assert sys.stderr.getvalue() == ""


def test_the_spinner_shows_the_runs_status(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with _spinner("XDR query") as show:
        assert show is not None
        show(SimpleNamespace(id="run-1", status="started"))  # type: ignore[arg-type]
    assert "XDR query run-1: started" in terminal.getvalue()
