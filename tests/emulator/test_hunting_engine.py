"""The emulator's hunting SQL engine: synthetic tables from the endpoints, and its guard."""

from __future__ import annotations

import time

import pytest

from pysophoscentralapi.emulator._hunting_sql import (
    HuntingDatabase,
    hunting_db,
    substitute_variables,
)
from pysophoscentralapi.emulator._state import EmulatorConfig, EmulatorState


@pytest.fixture(scope="module")
def tenant() -> object:
    return EmulatorState(EmulatorConfig(endpoints=30)).tenants[0]


@pytest.fixture(scope="module")
def db(tenant: object) -> HuntingDatabase:
    return hunting_db(tenant)


def everything(db: HuntingDatabase, sql: str) -> list[dict[str, object]]:
    outcome = db.data_lake(sql, 0, time.time() + 60, None)
    assert outcome.error is None, outcome.error
    return outcome.rows


def test_tables_are_built_from_the_tenants_endpoints(tenant: object, db: HuntingDatabase) -> None:
    endpoints = {e["hostname"]: e for _, e in tenant.endpoints.rows()}  # type: ignore[attr-defined]
    rows = everything(
        db, "SELECT DISTINCT meta_hostname, meta_ip_address, meta_os_platform FROM xdr_data"
    )
    assert {r["meta_hostname"] for r in rows} == set(endpoints)
    for row in rows:
        endpoint = endpoints[str(row["meta_hostname"])]
        assert row["meta_ip_address"] == endpoint["ipv4Addresses"][0]
        assert row["meta_os_platform"] == endpoint["os"]["platform"]


def test_the_time_range_and_endpoints_scope_the_data_lake(db: HuntingDatabase) -> None:
    now = db.anchor
    week = db.data_lake("SELECT time FROM xdr_data", now - 7 * 86400, now + 1, None).rows
    day = db.data_lake("SELECT time FROM xdr_data", now - 86400, now + 1, None).rows
    assert 0 < len(day) < len(week)
    assert all(now - 86400 <= int(r["time"]) for r in day)  # type: ignore[call-overload]
    one = db.endpoints[0]["id"]
    mine = db.data_lake("SELECT DISTINCT meta_hostname FROM xdr_data", 0, now + 1, [one]).rows
    assert mine == [{"meta_hostname": db.endpoints[0]["hostname"]}]


def test_live_discover_sees_one_endpoint_and_its_tables_join(db: HuntingDatabase) -> None:
    endpoint = db.endpoints[1]
    outcome = db.live_discover(
        "SELECT p.name, s.remote_address FROM processes p JOIN process_open_sockets s USING (pid) "
        "WHERE s.state = 'ESTABLISHED'",
        endpoint,
    )
    assert outcome.error is None
    assert outcome.rows
    info = db.live_discover("SELECT hostname FROM system_info", endpoint).rows
    assert info == [{"hostname": endpoint["hostname"]}]


@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM main._xdr_data",
        "INSERT INTO main._ld_users VALUES (1, 2, 3, 4, 5, 6, 7, 8)",
        "CREATE TABLE loot (x)",
        "DROP TABLE main._xdr_data",
        "ATTACH DATABASE '/tmp/x.db' AS other",
        "PRAGMA table_info(_xdr_data)",
    ],
)
def test_the_guard_refuses_anything_but_reading(db: HuntingDatabase, sql: str) -> None:
    outcome = db.data_lake(sql, 0, time.time(), None)
    assert outcome.error is not None
    assert "not authorized" in outcome.error
    assert everything(db, "SELECT COUNT(*) AS n FROM xdr_data")[0]["n"]  # still all there


def test_a_runaway_statement_is_stopped(tenant: object) -> None:
    small = HuntingDatabase(hunting_db(tenant).endpoints[:2], time.time(), 1)
    small.max_steps = 200_000
    started = time.monotonic()
    outcome = small.data_lake(
        "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT COUNT(*) FROM n",
        0, time.time(), None,
    )  # fmt: skip
    assert outcome.error is not None
    assert "limit" in outcome.error
    assert time.monotonic() - started < 2
    assert small.data_lake("SELECT 1 AS ok", 0, time.time(), None).rows == [{"ok": 1}]


def test_bad_sql_gives_the_engines_message(db: HuntingDatabase) -> None:
    assert db.data_lake("SELECT nope FROM xdr_data", 0, 1, None).error == "no such column: nope"
    assert "one statement" in str(db.data_lake("SELECT 1; SELECT 2", 0, 1, None).error)


def test_variables_are_substituted_as_sql_text() -> None:
    assert (
        substitute_variables(
            "x = '$$a$$' AND y = $$b$$", [{"name": "a", "value": "it's"}, {"name": "b", "value": 3}]
        )
        == "x = 'it''s' AND y = 3"
    )
    assert substitute_variables("x = '$$missing$$'", []) == "x = '$$missing$$'"
