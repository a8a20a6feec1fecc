"""Every declared collection (``_families.all_collections()``), against the emulator over HTTP.

The round trip is derived from the declaration: list every page, add, get, update, delete, get
again (404), through the library and through the CLI. Each collection gives one sample of its
add/update values here (what the CLI would be given); its own rules have their own tests.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

import pytest

from pysophoscentralapi import NotFoundError
from pysophoscentralapi._collection import Collection
from pysophoscentralapi._families import all_collections
from pysophoscentralapi._families.endpoint_settings import DELETE_NOTE, SETTINGS_COLLECTIONS
from pysophoscentralapi._paging import PagingStyle
from pysophoscentralapi.cli._collection import resource_of
from tests.integration.conftest import sync_client


def _sha() -> str:
    return hashlib.sha256(uuid.uuid4().bytes).hexdigest()


def _unique(label: str) -> str:
    return f"{label}-{uuid.uuid4().hex[:8]}"


# group -> (add args, add keywords, update keywords, (field, expected after update))
def _samples() -> dict[str, tuple[list[Any], dict[str, Any], dict[str, Any], tuple[str, Any]]]:
    return {
        "allowed-items": ([], {"type": "sha256", "sha256": _sha(), "comment": "x"},
                          {"comment": "changed"}, ("comment", "changed")),
        "blocked-items": ([], {"sha256": _sha(), "comment": "x"}, {}, ("comment", "x")),
        "web-control": ([_unique("site") + ".example"], {"tags": ["t"]},
                        {"comment": "changed"}, ("comment", "changed")),
        "exclusions": ([_unique("C:\\dir") + "\\"], {"type": "path"},
                       {"scan_mode": "onAccess"}, ("scanMode", "onAccess")),
        "isolation-exclusions": ([], {"direction": "inbound", "local_ports": [3389, 443]},
                                 {"direction": "both"}, ("direction", "both")),
        "ips-exclusions": ([], {"direction": "outbound", "remote_addresses": ["10.1.2.3"]},
                           {"remote_ports": [8443]}, ("remotePorts", [8443])),
        "policies": ([_unique("Policy")], {"type": "threat-protection"}, {"priority": 5},
                     ("priority", 5)),
        "exploit-mitigation": ([], {"paths": [f"$programfiles\\{_unique('App')}\\app.exe"]},
                               {"paths": ["C:\\Apps\\new.exe"]}, ("paths", ["C:\\Apps\\new.exe"])),
        "groups": ([_unique("Group")], {"type": "computer"}, {"description": "changed"},
                   ("description", "changed")),
    }  # fmt: skip


#: The collections one can add to (a list-only one, such as blocked addresses, has its own tests).
COLLECTIONS = tuple(c for c in all_collections() if c.add is not None)


def test_every_declared_collection_has_a_sample() -> None:
    assert {c.cli.group for c in COLLECTIONS} == set(_samples())


def _cli_args(collection: Collection[Any], args: list[Any], kwargs: dict[str, Any]) -> list[str]:
    options = {o.name: o for o in (*collection.cli.add_options, *collection.cli.update_options)}
    words = [str(a) for a in args]
    for name, value in kwargs.items():
        flag = options[name].flag
        for one in value if isinstance(value, list) else [value]:
            words += [flag, str(one)]
    return words


@pytest.mark.parametrize("collection", COLLECTIONS, ids=lambda c: c.cli.group)
def test_library_round_trip(make_emulator: Any, collection: Collection[Any]) -> None:
    args, kwargs, changes, (field, expected) = _samples()[collection.cli.group]
    with sync_client(make_emulator()) as central:
        resource = resource_of(central, collection.attribute)
        before = [row["id"] for row in resource.list().raw_items()]
        # Every page, one item a page: the same items as one big page.
        assert [item.id for item in resource.list(page_size=1)] == before
        item = resource.add(*args, **kwargs)
        assert resource.get(item.id).id == item.id
        assert item.id in {row.id for row in resource.list()}
        if collection.update is not None:
            updated = resource.update(item.id, **changes)
            assert updated.to_api()[field] == expected
        else:
            assert not hasattr(resource, "update")
        assert resource.get(item.id).to_api()[field] == expected
        assert resource.delete(item.id) is True
        with pytest.raises(NotFoundError):
            resource.get(item.id)
        assert [row["id"] for row in resource.list().raw_items()] == before


@pytest.mark.parametrize(
    "collection", [c for c in SETTINGS_COLLECTIONS if c.deletable], ids=lambda c: c.cli.group
)
def test_a_delete_the_api_confirms_for_any_id_warns_in_its_help(
    make_emulator: Any, collection: Collection[Any]
) -> None:
    # Sophos answers 200 {"deleted": true} for an id it does not have ("Can't find ... or it has
    # been successfully deleted"), so the command's help must say that a typo goes unreported.
    unknown = _sha() if collection.id_check is not None else str(uuid.uuid4())
    with sync_client(make_emulator()) as central:
        assert resource_of(central, collection.attribute).delete(unknown) is True
    summary, _ = collection.cli.help_for("delete")
    assert DELETE_NOTE in summary


def _path(collection: Collection[Any]) -> list[str]:
    return (
        ["endpoint", "settings", collection.cli.group]
        if collection.attribute.startswith("settings.")
        else ["endpoint", collection.cli.group]
    )


@pytest.mark.parametrize("collection", COLLECTIONS, ids=lambda c: c.cli.group)
def test_cli_round_trip(emulator_cli: Any, collection: Collection[Any]) -> None:
    args, kwargs, changes, (field, expected) = _samples()[collection.cli.group]
    group = _path(collection)
    verb = collection.cli.verb("add")
    added = emulator_cli(*group, verb, *_cli_args(collection, args, kwargs), "--yes", "-o", "json")
    assert added.exit_code == 0, added.stderr
    row = json.loads(added.stdout)  # one record, not a list
    assert isinstance(row, dict)
    item_id = row["id"]
    listed = emulator_cli(*group, "list", "-o", "json")
    assert item_id in {r["id"] for r in json.loads(listed.stdout)}
    if collection.update is not None:
        changed = emulator_cli(
            *group, "update", item_id, *_cli_args(collection, [], changes), "--yes", "-o", "json"
        )
        assert changed.exit_code == 0, changed.stderr
        assert json.loads(changed.stdout)[field] == expected
    got = emulator_cli(*group, "get", item_id, "-o", "json")
    assert json.loads(got.stdout)[field] == expected
    deleted = emulator_cli(*group, "delete", item_id, "--yes", "-o", "json")
    assert [(r["id"], r["status"]) for r in json.loads(deleted.stdout)] == [(item_id, "ok")]
    gone = emulator_cli(*group, "get", item_id)
    assert gone.exit_code == 4
    assert "404" in gone.stderr


@pytest.mark.parametrize("collection", all_collections(), ids=lambda c: c.cli.group)
def test_every_page_is_listed(make_emulator: Any, collection: Collection[Any]) -> None:
    emulator = make_emulator()
    with sync_client(emulator) as central:
        resource = resource_of(central, collection.attribute)
        if collection.add is not None:
            args, kwargs, _, _ = _samples()[collection.cli.group]
            resource.add(*args, **kwargs)
        elif collection.cli.group == "migrations":  # a tenant has no jobs until it starts one
            state = emulator.state
            sender = next(t.id for t in state.tenants if t.id != state.demo_tenant.id)
            for _ in range(2):
                resource.receive(from_tenant=sender, endpoint_ids=[str(uuid.uuid4())])
        one_page = list(resource.list().raw_items())
        assert len(one_page) >= 2, "seed the emulator with items on two pages at least"
        assert list(resource.list(page_size=1).raw_items()) == one_page


@pytest.mark.parametrize(
    "collection",
    [c for c in all_collections() if c.paging is not PagingStyle.NONE],
    ids=lambda c: c.cli.group,
)
def test_list_refuses_a_page_larger_than_the_api_allows(collection: Collection[Any]) -> None:
    central = sync_client_offline()
    resource = resource_of(central, collection.attribute)
    with pytest.raises(ValueError, match=f"within 1..{collection.max_page_size}"):
        resource.list(page_size=collection.max_page_size + 1)


def sync_client_offline() -> Any:
    from pysophoscentralapi import SophosCentral

    return SophosCentral(
        "id", "secret", api_url="http://127.0.0.1:9", auth_url="http://127.0.0.1:9"
    )
