"""The plurals the CLI writes in questions and name errors ("delete 2 policies", not "policys")."""

from __future__ import annotations

import click
import pytest

from pysophoscentralapi.cli._names import match_name, plural
from pysophoscentralapi.cli._safety import ids_summary


@pytest.mark.parametrize(
    ("noun", "expected"),
    [
        ("policy", "policies"),
        ("role", "roles"),
        ("access token", "access tokens"),
        ("key", "keys"),
        ("address", "addresses"),
        ("software package", "software packages"),
    ],
)
def test_plural(noun: str, expected: str) -> None:
    assert plural(noun) == expected
    assert plural(noun, 1) == noun


def test_the_question_and_the_name_errors_use_the_plural() -> None:
    assert ids_summary("delete", "policy", ["p1", "p2"]) == "delete 2 policies (p1, p2)"
    assert ids_summary("delete", "policy", ["p1"]) == "delete 1 policy (p1)"
    rows = [{"id": "p1", "name": "Base"}, {"id": "p2", "name": "Base"}]
    with pytest.raises(click.BadParameter, match="2 policies are named 'base'"):
        match_name(rows, "base", what="policy")
    with pytest.raises(click.BadParameter, match="; policies: Base"):
        match_name(rows, "Zzzzzz", what="policy")
