"""Endpoint API models: the collection's shapes parse, unknown values survive, passwords stay hidden."""

from __future__ import annotations

from datetime import UTC, datetime

from pysophoscentralapi.models import (
    Endpoint,
    EndpointIsolation,
    EndpointType,
    HealthStatus,
    IsolationStatus,
    LockdownStatus,
    ScanResult,
    TamperProtection,
)
from pysophoscentralapi.models.endpoints import HEALTH_STATUSES, LOCKDOWN_STATUSES, SEARCH_FIELDS

# The collection's `view=full` example (GET /endpoints/{id}), with realistic values.
FULL_ENDPOINT = {
    "id": "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
    "type": "computer",
    "tenant": {"id": "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5e"},
    "hostname": "WS-ACME-0001",
    "health": {
        "overall": "good",
        "threats": {"status": "good"},
        "services": {
            "status": "good",
            "serviceDetails": [{"name": "Sophos MCS Agent", "status": "running"}],
        },
    },
    "os": {
        "isServer": False,
        "platform": "windows",
        "name": "Windows 10 Pro",
        "majorVersion": 10,
        "minorVersion": 0,
        "build": 19045,
    },
    "ipv4Addresses": ["10.0.0.1"],
    "ipv6Addresses": ["fe80::1"],
    "macAddresses": ["00:50:56:35:53:A2"],
    "group": {"name": "Workstations", "id": "b1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"},
    "associatedPerson": {
        "name": "ACME\\ann",
        "viaLogin": "ACME\\ann",
        "id": "c1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
    },
    "tamperProtectionSupported": True,
    "tamperProtectionEnabled": True,
    "assignedProducts": [{"code": "interceptX", "version": "2024.2.1.6", "status": "installed"}],
    "lastSeenAt": "2020-11-15T13:14:39.357Z",
    "lastOsUpdateAt": "2021-02-12T15:04:53.780",
    "serialNumber": "VMware-42",
    "encryption": {
        "volumes": [{"volumeId": "v1", "status": "notEncrypted"}],
        "overallStatus": "notEncrypted",
    },
    "lockdown": {"status": "notInstalled", "updateStatus": "notInstalled"},
    "online": True,
    "cloud": {"provider": "aws", "instanceId": "i-0abc"},
    "isolation": {"status": "notIsolated", "adminIsolated": False, "selfIsolated": False},
    "cloned": False,
}


def test_full_endpoint_parses_into_nested_snake_case_attributes() -> None:
    ep = Endpoint.model_validate(FULL_ENDPOINT)
    assert ep.type is EndpointType.COMPUTER
    assert ep.health is not None
    assert ep.health.services is not None
    assert ep.health.services.service_details is not None
    assert ep.health.services.service_details[0].status == "running"
    assert ep.os is not None
    assert (ep.os.platform, ep.os.major_version, ep.os.build) == ("windows", 10, 19045)
    assert ep.associated_person is not None
    assert ep.associated_person.via_login == "ACME\\ann"
    assert ep.assigned_products is not None
    assert ep.assigned_products[0].code == "interceptX"
    assert ep.lockdown is not None
    assert ep.lockdown.status is LockdownStatus.NOT_INSTALLED
    assert ep.isolation is not None
    assert ep.isolation.status is IsolationStatus.NOT_ISOLATED
    assert ep.cloud is not None
    assert ep.cloud.instance_id == "i-0abc"
    assert ep.last_seen_at == datetime(2020, 11, 15, 13, 14, 39, 357000, tzinfo=UTC)
    # a timestamp without "Z" is UTC
    assert ep.last_os_update_at == datetime(2021, 2, 12, 15, 4, 53, 780000, tzinfo=UTC)
    # written back in the API's own form; the zone-less one gains its "Z"
    assert ep.to_api() == {**FULL_ENDPOINT, "lastOsUpdateAt": "2021-02-12T15:04:53.780Z"}


def test_basic_view_and_unknown_values_are_accepted() -> None:
    ep = Endpoint.model_validate(
        {
            "id": "e1",
            "type": "mobile",
            "hostname": "x",
            "health": {"overall": "critical"},
            "os": {"build": "17763.1"},
            "newField": {"a": 1},
        }
    )
    assert ep.type == "mobile"
    assert ep.health is not None
    assert ep.health.overall == "critical"
    assert isinstance(ep.health.overall, HealthStatus)
    assert ep.os is not None
    assert ep.os.build == "17763.1"
    assert ep.to_api()["newField"] == {"a": 1}
    assert ep.lockdown is None
    assert ep.last_seen_at is None


def test_tamper_protection_hides_passwords_from_repr_but_not_from_attributes() -> None:
    tp = TamperProtection.model_validate(
        {
            "enabled": True,
            "password": "123456789012",
            "previousPasswords": [
                {"password": "210987654321", "invalidatedAt": "2024-01-15T10:30:00.000Z"}
            ],
        }
    )
    shown = repr(tp) + str(tp) + f"{tp}" + repr(tp.previous_passwords)
    assert "123456789012" not in shown
    assert "210987654321" not in shown
    assert "enabled=True" in repr(tp)
    assert tp.password == "123456789012"
    assert tp.previous_passwords is not None
    assert tp.previous_passwords[0].password == "210987654321"
    assert tp.to_api()["password"] == "123456789012"  # explicit serialisation still has it


def test_bulk_isolation_item_and_action_results() -> None:
    item = EndpointIsolation.model_validate(
        {
            "id": "e1",
            "isolation": {
                "enabled": True,
                "lastEnabledBy": {"type": "user", "accountType": "partner"},
            },
        }
    )
    assert item.isolation is not None
    assert item.isolation.last_enabled_by is not None
    assert item.isolation.last_enabled_by.account_type == "partner"
    assert ScanResult.model_validate({}).id is None  # what a dry run gives


def test_known_value_tuples_match_the_api_notes() -> None:
    assert set(HEALTH_STATUSES) == {"good", "bad", "suspicious", "unknown"}
    assert {"locked", "locking", "unlocked", "creatingWhitelist"} <= set(LOCKDOWN_STATUSES)
    assert SEARCH_FIELDS == (
        "hostname",
        "groupName",
        "associatedPersonName",
        "ipAddresses",
        "osName",
    )
