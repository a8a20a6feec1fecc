"""Isolation and intrusion-prevention exclusions: their own checks (the CRUD round trip is in
``test_collections.py``)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.integration.conftest import sync_client

S = ("endpoint", "settings")
IPS_ID = "9a3bcc49162be5f51b4c4f2210e4965c4856a88d225a4a9ce79239e144869fdf"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s: s.isolation_exclusions.add(direction="both"), "at least one"),
        (lambda s: s.isolation_exclusions.add(direction="up", local_ports=[1]), "direction"),
        (lambda s: s.isolation_exclusions.add(direction="both", local_ports=[0]), "1..65535"),
        (lambda s: s.isolation_exclusions.add(direction="both", local_ports=80), "local_ports"),
        (lambda s: s.isolation_exclusions.update(IPS_ID, comment="x"), "id"),
        (lambda s: s.intrusion_prevention_exclusions.get("3f2c1d6e"), "64 hexadecimal"),
        (lambda s: s.intrusion_prevention_exclusions.update(IPS_ID), "nothing to update"),
    ],
)
def test_bad_arguments_raise_before_any_request(call: Any, message: str) -> None:
    sent: list[httpx.Request] = []
    transport = httpx.MockTransport(lambda request: sent.append(request) or httpx.Response(500))
    from pysophoscentralapi import SophosCentral

    with (
        SophosCentral("id", "secret", transport=transport) as central,
        pytest.raises(ValueError, match=message),
    ):
        call(central.settings)
    assert sent == []


def test_ips_exclusion_ids_are_hex_and_seeded_items_are_listed(make_emulator: Any) -> None:
    with sync_client(make_emulator()) as central:
        seeded, _ = central.settings.intrusion_prevention_exclusions.list()
        assert len(seeded.id) == 64
        assert (seeded.type, seeded.local_ports) == ("intrusionPrevention", [3389])
        assert (
            central.settings.intrusion_prevention_exclusions.get(seeded.id.upper()).id == seeded.id
        )
        assert {e.type for e in central.settings.isolation_exclusions.list()} == {"isolation"}


def test_the_emulator_refuses_bad_bodies(make_emulator: Any) -> None:
    from pysophoscentralapi import BadRequestError

    emulator = make_emulator()
    with sync_client(emulator) as central:
        path = "/endpoint/v1/settings/exclusions/isolation"
        for body in (
            {"direction": "sideways", "localPorts": [1]},
            {"direction": "both"},
            {"direction": "both", "localPorts": [70000]},
        ):
            with pytest.raises(BadRequestError):
                central.settings.isolation_exclusions._request("POST", path, json=body)


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (("isolation-exclusions", "add", "--local-port", "80"), "--direction"),
        (("isolation-exclusions", "add", "--direction", "both", "--local-port", "70000"), "65535"),
        (("isolation-exclusions", "add", "--direction", "both", "--yes"), "at least one"),
        (("ips-exclusions", "get", "3f2c1d6e-8f7a-4b7e-9a55-1c2d3e4f5a6b"), "64 hexadecimal"),
        (("ips-exclusions", "update", IPS_ID, "--yes"), "nothing to change"),
    ],
)
def test_cli_bad_input_exits_2(cli_run: Any, args: tuple[str, ...], complaint: str) -> None:
    result = cli_run(*S, *args)
    assert result.exit_code == 2, result.stderr
    assert complaint in result.stderr


def test_cli_add_with_several_ports(emulator_cli: Any) -> None:
    added = emulator_cli(
        *S, "isolation-exclusions", "add", "--direction", "inbound", "--local-port", "80",
        "--local-port", "443", "--remote-address", "10.0.0.9", "--yes", "-o", "json",
    )  # fmt: skip
    assert added.exit_code == 0, added.stderr
    row = json.loads(added.stdout)
    assert (row["localPorts"], row["remoteAddresses"]) == ([80, 443], ["10.0.0.9"])
    emulator_cli(*S, "isolation-exclusions", "delete", row["id"], "--yes")
