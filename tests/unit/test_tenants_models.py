"""Tenant model: the collection's examples parse; a tenant without apiHost is fine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pysophoscentralapi.models import Tenant, TenantBillingType

OPERATIONS = Path("/work/shared/sophos-api/operations.json")


@pytest.mark.parametrize("folder", ["Partner API / Tenants", "Organization API / Tenants"])
def test_the_collections_tenant_details_parse(folder: str) -> None:
    if not OPERATIONS.exists():
        pytest.skip("the Postman extraction is not available here")
    operations = json.loads(OPERATIONS.read_text())["operations"]
    (op,) = [o for o in operations if o["folder"] == folder and o["name"] == "Get tenant details"]
    body = next(r["body"] for r in op["responses"] if r["code"] == 200)
    tenant = Tenant.model_validate(body)
    assert tenant.show_as == "Example Name"
    assert tenant.data_geography == "US"
    assert tenant.data_region == "eu01"
    assert tenant.billing_type is TenantBillingType.TERM
    assert tenant.organization is not None
    assert tenant.organization.id
    assert tenant.api_host == "https://api.example.com/resource"


def test_an_inactive_tenant_without_api_host_parses() -> None:
    tenant = Tenant.model_validate(
        {"id": "t1", "name": "Gone Ltd", "billingType": "perpetual", "status": "inactive"}
    )
    assert tenant.api_host is None
    assert tenant.data_region is None
    assert tenant.billing_type == "perpetual"
    assert tenant.to_api() == {
        "id": "t1",
        "name": "Gone Ltd",
        "billingType": "perpetual",
        "status": "inactive",
    }
