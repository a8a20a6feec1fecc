"""The exit codes the docs promise are the ones the CLI uses (``cli/_status.py``, ``cli/_errors.py``)."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from pysophoscentralapi import _errors as library_errors
from pysophoscentralapi.cli._errors import exit_status_for
from pysophoscentralapi.cli._status import ExitStatus

PAGE = Path(__file__).resolve().parent.parent / "docs" / "troubleshooting.md"


def test_the_exit_code_table_is_the_code() -> None:
    rows = re.findall(r"^\| (\d+) \| (.+) \|$", PAGE.read_text(), re.MULTILINE)
    assert sorted(int(code) for code, _ in rows) == sorted(status.value for status in ExitStatus)


def _documented_errors() -> list[tuple[str, int]]:
    """``SomeError`` ... ``exit N`` pairs in the page's headings and sentences."""
    text = PAGE.read_text()
    pairs = re.findall(r"`(\w+Error)`[^`\n]{0,30}?\(?exit (\d+)", text)
    return [(name, int(code)) for name, code in pairs]


@pytest.mark.parametrize(("name", "code"), _documented_errors())
def test_each_documented_error_exits_as_documented(name: str, code: int) -> None:
    error_class = getattr(library_errors, name)
    error = error_class.__new__(error_class)  # the class decides the code, not its fields
    assert exit_status_for(error) == code, f"{name}: docs say exit {code}"


def test_the_page_names_errors() -> None:
    names = {name for name, _ in _documented_errors()}
    assert {"AuthenticationError", "PermissionDeniedError", "TenantRequiredError"} <= names
    assert all(inspect.isclass(getattr(library_errors, name)) for name in names)
