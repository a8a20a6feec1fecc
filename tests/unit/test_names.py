"""The one name matcher: whole names, ignoring case; ambiguity and unknown names refused."""

from __future__ import annotations

import click
import pytest

from pysophoscentralapi.cli._names import match_name, resolve_id

ROLES = [
    {"id": "r1", "name": "Help Desk"},
    {"id": "r2", "name": "Admin"},
    {"id": "r3", "name": "admin"},
]


def test_names_match_whole_ignoring_case() -> None:
    assert match_name(ROLES, "  HELP desk ", what="role")["id"] == "r1"


def test_a_shared_name_is_refused_with_the_candidates() -> None:
    with pytest.raises(click.BadParameter, match=r"2 roles are named 'ADMIN'.*r2 \(Admin\), r3"):
        match_name(ROLES, "ADMIN", what="role")


def test_an_unknown_name_lists_close_names_or_all_of_them() -> None:
    with pytest.raises(click.BadParameter, match="did you mean: 'Help Desk'"):
        match_name(ROLES, "help", what="role", list_command="pysophos roles list")
    with pytest.raises(click.BadParameter, match="roles: Admin, Help Desk, admin"):
        match_name(ROLES, "zzz", what="role")


def test_ids_pass_through_without_a_lookup() -> None:
    def no_lookup() -> list[dict[str, str]]:
        raise AssertionError("an id needs no lookup")

    assert resolve_id("3F2C1D6E-8F7A-4B7E-9A55-1C2D3E4F5A6B", no_lookup, what="role") == (
        "3f2c1d6e-8f7a-4b7e-9a55-1c2d3e4f5a6b"
    )
    with pytest.raises(click.BadParameter, match="give a role id or name"):
        resolve_id("  ", no_lookup, what="role")
