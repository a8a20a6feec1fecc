"""``pysophos endpoint settings ...`` against the emulator, through the real entry point.

Items are created by each test and removed again; assertions only concern those items, since the
session emulator is shared.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

import pytest

S = ("endpoint", "settings")
UNREACHABLE = {
    "SOPHOS_CLIENT_ID": "someone",
    "SOPHOS_CLIENT_SECRET": "something",
    "SOPHOS_AUTH_URL": "http://127.0.0.1:9/api/v2/oauth2/token",
    "SOPHOS_API_URL": "http://127.0.0.1:9",
}


def digest() -> str:
    return hashlib.sha256(uuid.uuid4().bytes).hexdigest()


def as_json(result: Any) -> Any:
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def ids_of(result: Any) -> set[str]:
    return {row["id"] for row in as_json(result)}


# --- allowed items ------------------------------------------------------------------------------


def test_allowed_item_add_get_update_delete(emulator_cli: Any) -> None:
    sha = digest()
    added = emulator_cli(
        *S,
        "allowed-items",
        "add",
        "--sha256",
        sha,
        "--file-name",
        "tool.exe",
        "--comment",
        "in-house",
        "--yes",
        "-o",
        "json",
    )
    row = as_json(added)  # the record of the item added
    assert row["type"] == "sha256"
    assert row["properties"] == {"sha256": sha, "fileName": "tool.exe"}
    item_id = row["id"]

    got = as_json(emulator_cli(*S, "allowed-items", "get", item_id, "-o", "json"))
    assert (got["id"], got["comment"]) == (item_id, "in-house")
    assert item_id in ids_of(emulator_cli(*S, "allowed-items", "list", "-o", "json"))

    updated = emulator_cli(
        *S, "allowed-items", "update", item_id, "--comment", "approved", "--yes", "-o", "json"
    )
    assert as_json(updated)["comment"] == "approved"
    assert (
        as_json(emulator_cli(*S, "allowed-items", "get", item_id, "-o", "json"))["comment"]
        == "approved"
    )

    deleted = emulator_cli(*S, "allowed-items", "delete", item_id, "--yes", "-o", "json")
    assert [(r["id"], r["status"]) for r in as_json(deleted)] == [(item_id, "ok")]
    assert item_id not in ids_of(emulator_cli(*S, "allowed-items", "list", "-o", "json"))
    gone = emulator_cli(*S, "allowed-items", "get", item_id)
    assert gone.exit_code == 4
    assert "404" in gone.stderr


def test_allowed_item_type_is_inferred_from_the_option_given(emulator_cli: Any) -> None:
    path = f"/opt/{uuid.uuid4().hex}/bin/app"
    row = as_json(
        emulator_cli(
            *S, "allowed-items", "add", "--path", path, "--comment", "x", "--yes", "-o", "json"
        )
    )
    try:
        assert row["type"] == "path"
        assert row["properties"]["path"] == path
    finally:
        emulator_cli(*S, "allowed-items", "delete", row["id"], "--yes")


def test_explicit_type_picks_between_several_properties(emulator_cli: Any) -> None:
    sha = digest()
    row = as_json(
        emulator_cli(
            *S,
            "allowed-items",
            "add",
            "--sha256",
            sha,
            "--path",
            "C:\\x.exe",
            "--type",
            "sha256",
            "--comment",
            "x",
            "--yes",
            "-o",
            "json",
        )
    )
    try:
        assert row["type"] == "sha256"
        assert row["properties"]["path"] == "C:\\x.exe"
    finally:
        emulator_cli(*S, "allowed-items", "delete", row["id"], "--yes")


def test_adding_the_same_sha256_twice_exits_4(emulator_cli: Any) -> None:
    sha = digest()
    add = (*S, "blocked-items", "add", "--sha256", sha, "--comment", "bad", "--yes", "-o", "json")
    row = as_json(emulator_cli(*add))
    try:
        again = emulator_cli(*add)
        assert again.exit_code == 4
        assert "409" in again.stderr
        assert again.stdout == ""
    finally:
        emulator_cli(*S, "blocked-items", "delete", row["id"], "--yes")


def test_without_yes_nothing_is_changed_and_exit_is_2(emulator_cli: Any) -> None:
    sha = digest()
    before = emulator_cli(*S, "blocked-items", "list", "-o", "json").stdout
    refused = emulator_cli(*S, "blocked-items", "add", "--sha256", sha, "--comment", "x")
    assert refused.exit_code == 2
    assert "--yes" in refused.stderr
    assert emulator_cli(*S, "blocked-items", "list", "-o", "json").stdout == before

    some_id = json.loads(before)[0]["id"]
    refused_delete = emulator_cli(*S, "blocked-items", "delete", some_id)
    assert refused_delete.exit_code == 2
    assert emulator_cli(*S, "blocked-items", "list", "-o", "json").stdout == before


def test_dry_run_prints_the_request_and_sends_nothing(emulator_cli: Any) -> None:
    sha = digest()
    before = emulator_cli(*S, "allowed-items", "list", "-o", "json").stdout
    shown = emulator_cli(*S, "allowed-items", "add", "--sha256", sha, "--comment", "x", "--dry-run")
    assert shown.exit_code == 0, shown.stderr
    assert shown.stdout.startswith("DRY RUN: POST http://127.0.0.1:")
    assert "/endpoint/v1/settings/allowed-items" in shown.stdout
    assert sha in shown.stdout
    assert emulator_cli(*S, "allowed-items", "list", "-o", "json").stdout == before


# --- blocked items ------------------------------------------------------------------------------


def test_blocked_items_add_list_and_delete_several_from_stdin(emulator_cli: Any) -> None:
    hashes = [digest() for _ in range(3)]
    created = []
    for sha in hashes:
        row = as_json(
            emulator_cli(
                *S, "blocked-items", "add", "--sha256", sha, "--comment", "c", "--yes", "-o", "json"
            )
        )
        created.append(row["id"])
    listed = as_json(
        emulator_cli(*S, "blocked-items", "list", "-o", "json", "--fields", "id,properties.sha256")
    )
    assert set(hashes) <= {row["properties"]["sha256"] for row in listed}

    result = emulator_cli(
        *S, "blocked-items", "delete", "-", "--yes", "-o", "json", input="\n".join(created) + "\n"
    )
    assert [(r["id"], r["status"]) for r in as_json(result)] == [(i, "ok") for i in created]
    assert not set(created) & ids_of(emulator_cli(*S, "blocked-items", "list", "-o", "json"))


def test_blocked_items_cannot_be_updated(emulator_cli: Any) -> None:
    result = emulator_cli(*S, "blocked-items", "update", str(uuid.uuid4()), "--comment", "x")
    assert result.exit_code == 2
    assert "cannot update a blocked item" in result.stderr
    assert "delete" in result.stderr


# --- web control --------------------------------------------------------------------------------


def test_web_control_local_site_crud(emulator_cli: Any) -> None:
    url = f"{uuid.uuid4().hex[:8]}.intranet.example"
    row = as_json(
        emulator_cli(
            *S,
            "web-control",
            "add",
            url,
            "--category-id",
            "50",
            "--tag",
            "intranet,docs",
            "--comment",
            "wiki",
            "--yes",
            "-o",
            "json",
        )
    )
    site_id = row["id"]
    assert (row["url"], row["categoryId"], row["tags"]) == (url, 50, ["intranet", "docs"])

    table = emulator_cli(*S, "web-control", "list", "-o", "csv", "--fields", "id,url")
    assert f"{site_id},{url}" in table.stdout.splitlines()

    updated = as_json(
        emulator_cli(
            *S, "web-control", "update", site_id, "--comment", "moved", "--yes", "-o", "json"
        )
    )
    assert (updated["comment"], updated["url"]) == ("moved", url)

    deleted = as_json(emulator_cli(*S, "web-control", "delete", site_id, "--yes", "-o", "json"))
    assert [(r["id"], r["status"]) for r in deleted] == [(site_id, "ok")]
    assert emulator_cli(*S, "web-control", "get", site_id).exit_code == 4


# --- tamper protection --------------------------------------------------------------------------


def test_tamper_protection_get(emulator_cli: Any) -> None:
    assert as_json(emulator_cli(*S, "tamper-protection", "get", "-o", "json")) == {"enabled": True}


def test_tamper_protection_get_for_a_tenant_of_a_partner(
    partner_cli: Any, sophos_emulator: Any
) -> None:
    tenants = as_json(partner_cli("tenants", "list", "-o", "json"))
    result = partner_cli("--tenant", tenants[0]["id"], *S, "tamper-protection", "get", "-o", "json")
    assert as_json(result) == {"enabled": True}


def test_tamper_protection_update_explains_the_api_cannot(emulator_cli: Any) -> None:
    result = emulator_cli(*S, "tamper-protection", "update", "--disable", "--yes")
    assert result.exit_code == 2
    assert "cannot change global tamper protection" in result.stderr
    assert as_json(emulator_cli(*S, "tamper-protection", "get", "-o", "json")) == {"enabled": True}


# --- scanning exclusions ------------------------------------------------------------------------


def test_exclusions_crud_with_type_filter(emulator_cli: Any) -> None:
    marker = uuid.uuid4().hex[:8]
    proc = as_json(
        emulator_cli(
            *S,
            "exclusions",
            "add",
            f"C:\\{marker}.exe",
            "--type",
            "process",
            "--comment",
            "tool",
            "--yes",
            "-o",
            "json",
        )
    )
    path = as_json(
        emulator_cli(
            *S,
            "exclusions",
            "add",
            f"D:\\{marker}\\",
            "--type",
            "path",
            "--scan-mode",
            "onDemand",
            "--yes",
            "-o",
            "json",
        )
    )
    try:
        assert (proc["type"], proc["scanMode"]) == ("process", "onAccess")
        assert (path["type"], path["scanMode"]) == ("path", "onDemand")

        processes = as_json(
            emulator_cli(*S, "exclusions", "list", "--type", "process", "-o", "json")
        )
        assert proc["id"] in {row["id"] for row in processes}
        assert {row["type"] for row in processes} == {"process"}

        changed = emulator_cli(
            *S, "exclusions", "update", path["id"], "--scan-mode", "onAccess", "--yes", "-o", "json"
        )
        assert as_json(changed)["scanMode"] == "onAccess"
        got = as_json(emulator_cli(*S, "exclusions", "get", path["id"], "-o", "json"))
        assert got["scanMode"] == "onAccess"
    finally:
        deleted = emulator_cli(*S, "exclusions", "delete", proc["id"], path["id"], "--yes")
        assert deleted.exit_code == 0, deleted.stderr
    remaining = ids_of(emulator_cli(*S, "exclusions", "list", "-o", "json"))
    assert not {proc["id"], path["id"]} & remaining


def test_deleting_a_locked_exclusion_is_reported_and_exits_4(
    make_emulator: Any, cli_run: Any
) -> None:
    emulator = make_emulator()
    env = emulator.env("tenant")
    rows = as_json(cli_run(*S, "exclusions", "list", "-o", "json", env=env))
    locked = next(row["id"] for row in rows if row["lockedByManagingAccount"])
    free = next(row["id"] for row in rows if not row["lockedByManagingAccount"])

    result = cli_run(*S, "exclusions", "delete", locked, free, "--yes", "-o", "json", env=env)
    assert result.exit_code == 4
    assert "partner or enterprise" in result.stderr
    statuses = {row["id"]: row["status"] for row in json.loads(result.stdout)}
    assert statuses == {locked: "refused", free: "ok"}
    assert ids_of(cli_run(*S, "exclusions", "list", "-o", "json", env=env)) == (
        {row["id"] for row in rows} - {free}
    )


# --- usage errors come before any request -------------------------------------------------------

SHA = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
SOME_ID = "3f2c1d6e-8f7a-4b7e-9a55-1c2d3e4f5a6b"


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (("allowed-items", "add", "--sha256", "abc123", "--comment", "x", "--yes"), "SHA-256"),
        (("allowed-items", "add", "--sha256", "g" * 64, "--comment", "x", "--yes"), "SHA-256"),
        (("allowed-items", "add", "--sha256", SHA, "--type", "md5", "--comment", "x"), "md5"),
        (("allowed-items", "add", "--comment", "x", "--yes"), "--certificate-signer"),
        (("allowed-items", "add", "--sha256", SHA, "--path", "/x", "--comment", "x"), "--type"),
        (("allowed-items", "add", "--type", "path", "--sha256", SHA, "--comment", "x"), "--path"),
        (("allowed-items", "add", "--sha256", SHA, "--yes"), "--comment"),
        (("allowed-items", "add", "--sha256", SHA, "--comment", " ", "--yes"), "empty"),
        (
            (
                "allowed-items",
                "add",
                "--sha256",
                SHA,
                "--comment",
                "x",
                "--origin-endpoint-id",
                "pc1",
            ),
            "not an id",
        ),
        (("allowed-items", "get", "not-a-uuid"), "not an id"),
        (("allowed-items", "update", "12345", "--comment", "x", "--yes"), "not an id"),
        (("allowed-items", "delete", SOME_ID, "nope", "--yes"), "not an id"),
        (("blocked-items", "add", "--sha256", SHA[:-1], "--comment", "x", "--yes"), "got 63"),
        (("blocked-items", "add", "--sha256", SHA, "--type", "path", "--comment", "x"), "sha256"),
        (("blocked-items", "update", SOME_ID, "--comment", "x", "--yes"), "cannot update"),
        (("web-control", "add", "x.example", "--category-id", "0", "--yes"), "category"),
        (("web-control", "update", SOME_ID, "--yes"), "nothing to change"),
        (("web-control", "get", "x"), "not an id"),
        (("exclusions", "list", "--type", "folder"), "posixPath"),
        (("exclusions", "add", "C:\\x", "--type", "path", "--scan-mode", "always"), "onDemand"),
        (
            ("exclusions", "add", "x", "--type", "behavioral", "--scan-mode", "onAccess"),
            "scan mode",
        ),
        (("exclusions", "update", SOME_ID, "--yes"), "nothing to change"),
        (("tamper-protection", "update", "--enable", "--disable", "--yes"), "together"),
        (("tamper-protection", "update", "--yes"), "--enable or --disable"),
    ],
)
def test_bad_input_exits_2_before_any_request(
    cli_run: Any, args: tuple[str, ...], complaint: str
) -> None:
    # Nothing listens on port 9: reaching the network would exit 5, not 2.
    result = cli_run(*S, *args, env=UNREACHABLE)
    assert result.exit_code == 2, result.stderr
    assert complaint in result.stderr
    assert result.stdout == ""


def test_the_unreachable_service_really_is_unreachable(cli_run: Any) -> None:
    # The control for the test above: a valid command does reach for the network, and fails.
    result = cli_run(*S, "tamper-protection", "get", env=UNREACHABLE)
    assert result.exit_code == 5


def test_every_command_has_an_example_in_its_help(cli_run: Any) -> None:
    groups = {
        "allowed-items": ["list", "get", "add", "update", "delete"],
        "blocked-items": ["list", "get", "add", "update", "delete"],
        "web-control": ["list", "get", "add", "update", "delete"],
        "exclusions": ["list", "get", "add", "update", "delete"],
        "tamper-protection": ["get", "update"],
    }
    for group, commands in groups.items():
        for command in [None, *commands]:
            args = [*S, group] + ([command] if command else []) + ["--help"]
            result = cli_run(*args)
            assert result.exit_code == 0, (args, result.stderr)
            assert "pysophos endpoint settings" in result.stdout or "pysophos endpoint tamper" in (
                result.stdout
            ), args


def test_all_tenants_listing_tags_rows_with_their_tenant(partner_cli: Any) -> None:
    result = partner_cli("--all-tenants", *S, "blocked-items", "list", "-o", "json")
    # The emulator's partner has tenants that cannot be reached: a partial failure (exit 6).
    assert result.exit_code == 6, result.stderr
    rows = json.loads(result.stdout)
    assert rows
    assert all(row["tenant_id"] and row["tenant_name"] for row in rows)
    assert len({row["tenant_id"] for row in rows}) > 1
