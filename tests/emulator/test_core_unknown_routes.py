"""Routes the emulator does not serve answer as Sophos Central does: its own 404 error body,
after the checks of the host they are on (so ``pysophos --emulator api ...`` is a safe place to try)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from pysophoscentralapi.emulator import EmulatorConfig, run_emulator
from pysophoscentralapi.emulator._runner import RunningEmulator
from tests.emulator.core_helpers import Api, assert_api_error


@pytest.fixture(scope="module")
def emu() -> Iterator[RunningEmulator]:
    with run_emulator(EmulatorConfig(endpoints=3)) as running:
        yield running


@pytest.mark.parametrize("method", ["GET", "POST", "PATCH", "PUT", "DELETE"])
@pytest.mark.parametrize(
    "path",
    [
        "/firewall/v1/firewalls",
        "/email/v1/quarantine/messages/search",
        "/endpoint/v1/no-such-collection",
        "/common/v1/nothing-here",
    ],
)
def test_unknown_data_region_apis_are_the_apis_404(
    emu: RunningEmulator, method: str, path: str
) -> None:
    api = Api(emu)
    body = assert_api_error(api.tenant_call(method, path, json={}), 404, "notFound")
    assert body["message"] == "Resource not found."
    api.close()


def test_they_are_checked_like_any_data_region_call_first(emu: RunningEmulator) -> None:
    api = Api(emu)
    host = api.whoami["apiHosts"]["dataRegion"]
    assert_api_error(httpx.get(f"{host}/firewall/v1/firewalls"), 401, "notAuthorized")
    missing_tenant = api.client.get(f"{host}/firewall/v1/firewalls", headers=api.auth)
    assert_api_error(missing_tenant, 400, "badRequest")
    other = emu.state.tenants[1]
    wrong = api.client.get(
        f"{host}/firewall/v1/firewalls", headers={**api.auth, "X-Tenant-ID": other.id}
    )
    assert_api_error(wrong, 403)
    api.close()


def test_unknown_global_apis_are_the_apis_404(emu: RunningEmulator) -> None:
    api = Api(emu)
    body = assert_api_error(
        api.client.get(f"{emu.url}/no-such-api/v1/things", headers=api.auth), 404, "notFound"
    )
    assert body["message"] == "Resource not found."
    api.close()
