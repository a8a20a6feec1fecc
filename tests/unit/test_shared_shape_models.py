"""The shapes families share (``models/_base.py``, ``_FileRequest``, ``_CountedCheck``): each
family's class keeps its own name, docstring and field order, so reprs, schemas and the key order
of ``to_api()`` (what get views and empty CSV headers show) are those of the family's model."""

from __future__ import annotations

from typing import Any

import pytest

from pysophoscentralapi.models.account import AccessTokenCreator
from pysophoscentralapi.models.alerts import AlertTenant
from pysophoscentralapi.models.directory import DirectoryRef
from pysophoscentralapi.models.endpoint_requests import ForensicLogRequest
from pysophoscentralapi.models.endpoints import AssociatedPerson, IsolationActor, TenantRef
from pysophoscentralapi.models.health import PolicyCheck


@pytest.mark.parametrize(
    ("model", "fields"),
    [
        (TenantRef, ["id"]),
        (AssociatedPerson, ["id", "name", "via_login"]),
        (DirectoryRef, ["id", "name", "display_name"]),
        (AccessTokenCreator, ["id", "type", "name", "account_type", "account_id"]),
        (ForensicLogRequest, ["id", "status", "received_at", "expires_at", "forensic_log_file"]),
        (
            PolicyCheck,
            ["score", "snoozed", "snooze_detail", "total", "not_on_recommended", "policies"],
        ),
    ],
)
def test_the_shared_fields_come_first_in_the_family_order(model: Any, fields: list[str]) -> None:
    assert list(model.model_fields) == fields


def test_a_family_class_keeps_its_name_and_docstring() -> None:
    tenant = AlertTenant.model_validate({"name": "Acme", "id": "t1"})
    assert repr(tenant) == "AlertTenant(id='t1', name='Acme')"
    schema = AlertTenant.model_json_schema()
    assert (schema["title"], schema["description"]) == (
        "AlertTenant",
        "The tenant an alert belongs to.",
    )


def test_to_api_writes_the_fields_in_declaration_order_and_keeps_unknown_ones() -> None:
    actor = IsolationActor.model_validate({"accountId": "a1", "id": "u1", "email": "x@example.com"})
    assert list(actor.to_api()) == ["id", "accountId", "email"]
