"""A migration between two tenants of the emulator's partner, end to end over HTTP: the
receiving tenant starts the job, the sending tenant accepts it with the token, the endpoints go
pending -> inProgress -> succeeded and move from one tenant to the other."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from pysophoscentralapi import BadRequestError
from tests.integration.conftest import sync_client


def _two_tenants(emulator: Any) -> tuple[Any, Any]:
    usable = [t for t in emulator.state.tenants
              if t.api_host(emulator.url) is not None and t.partner_access]  # fmt: skip
    return usable[0], usable[1]


def test_migration_between_two_tenants(make_emulator: Any) -> None:
    emulator = make_emulator()
    receiving_state, sending_state = _two_tenants(emulator)
    with sync_client(emulator, "partner") as partner:
        receiving = partner.for_tenant(receiving_state.id)
        sending = partner.for_tenant(sending_state.id)
        moved = [e.id for e in sending.endpoints.list().first_page().items[:2]]
        unknown = str(uuid.uuid4())
        job = receiving.migrations.receive(
            from_tenant=sending_state.id, endpoint_ids=[*moved, unknown]
        )
        assert (job.mode, bool(job.token)) == ("receiving", True)
        assert job.token not in repr(job)
        # Before the sending side accepts, every endpoint waits.
        assert {e.status for e in receiving.migrations.endpoints(job.id)} == {"pending"}
        with pytest.raises(BadRequestError):
            sending.migrations.send(job.id, token="wrong", endpoint_ids=moved)
        accepted = sending.migrations.send(
            job.id, token=job.token or "", endpoint_ids=[*moved, unknown]
        )
        assert accepted.mode == "sending"
        assert [j.id for j in sending.migrations.list(mode="sending")] == [job.id]
        assert receiving.migrations.get(job.id).mode == "receiving"
        # Each read moves the endpoints on: inProgress, then succeeded (or failed).
        first = {e.id: e.status for e in receiving.migrations.endpoints(job.id)}
        assert first == {moved[0]: "inProgress", moved[1]: "inProgress", unknown: "failed"}
        done = {e.id: e.status for e in sending.migrations.endpoints(job.id)}
        assert done == {moved[0]: "succeeded", moved[1]: "succeeded", unknown: "failed"}
        # The endpoints left the sending tenant and arrived in the receiving one.
        assert not set(moved) & {e.id for e in sending.endpoints.list()}
        arrived = {e.id: e for e in receiving.endpoints.list(ids=moved)}
        assert set(arrived) == set(moved)
        assert receiving.endpoints.get(moved[0]).id == moved[0]


def test_a_job_needs_another_tenant(make_emulator: Any) -> None:
    emulator = make_emulator()
    receiving_state, _ = _two_tenants(emulator)
    with sync_client(emulator, "partner") as partner:
        receiving = partner.for_tenant(receiving_state.id)
        with pytest.raises(BadRequestError):
            receiving.migrations.receive(
                from_tenant=receiving_state.id, endpoint_ids=[str(uuid.uuid4())]
            )
        with pytest.raises(ValueError, match="endpoint_ids"):
            receiving.migrations.receive(from_tenant=receiving_state.id, endpoint_ids=[])


def test_cli_migration_end_to_end(cli_run: Any, make_emulator: Any) -> None:
    emulator = make_emulator()
    receiving_state, sending_state = _two_tenants(emulator)
    env = emulator.env("partner")
    endpoint_id = next(row["id"] for _, row in sending_state.endpoints.rows())
    M = ("endpoint", "migrations")
    started = cli_run("--tenant", receiving_state.name, *M, "receive", "--from-tenant",
                      sending_state.name, endpoint_id, "--yes", "-o", "json", env=env)  # fmt: skip
    assert started.exit_code == 0, started.stderr
    job = json.loads(started.stdout)  # the job's record
    sent = cli_run("--tenant", sending_state.id, *M, "send", job["id"], "--token", job["token"],
                   endpoint_id, "--yes", "-o", "json", env=env)  # fmt: skip
    assert sent.exit_code == 0, sent.stderr
    assert json.loads(sent.stdout)["id"] == job["id"]
    assert "token" not in json.loads(sent.stdout)
    for expected in ("inProgress", "succeeded"):
        shown = cli_run("--tenant", receiving_state.id, *M, "status", job["id"], "-o", "json",
                        env=env)  # fmt: skip
        assert json.loads(shown.stdout) == [{"id": endpoint_id, "status": expected}]
    listed = cli_run("--tenant", receiving_state.id, *M, "list", "-o", "csv", env=env)
    assert job["id"] in listed.stdout
    assert job["token"] not in listed.stdout
