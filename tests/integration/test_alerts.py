"""``central.alerts`` against the emulator over real HTTP (tenant and partner credentials)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from pysophoscentralapi import (
    NotFoundError,
    PermissionDeniedError,
    SophosCentral,
)
from pysophoscentralapi.models import Alert, AlertAction, AlertSeverity
from tests.integration.conftest import async_client, seeded_alerts, stamp, sync_client

Emulator = Any


def api_calls(emu: Emulator, method: str, path_end: str) -> list[Any]:
    return [r for r in emu.state.requests if r.method == method and r.path.endswith(path_end)]


@pytest.fixture
def emu(make_emulator: Callable[..., Emulator]) -> Emulator:
    return make_emulator(alerts=23)


@pytest.fixture
def central(emu: Emulator) -> Iterator[SophosCentral]:
    with sync_client(emu) as client:
        yield client


def test_list_walks_every_page_newest_first(emu: Emulator, central: SophosCentral) -> None:
    alerts = list(central.alerts.list(page_size=5, sort="raisedAt:desc"))
    assert all(isinstance(a, Alert) for a in alerts)
    assert [a.id for a in alerts] == [a["id"] for a in seeded_alerts(emu)]
    assert [a.raised_at for a in alerts] == sorted((a.raised_at for a in alerts), reverse=True)
    assert len(api_calls(emu, "GET", "/common/v1/alerts")) == 5  # 23 alerts, 5 per page


def test_first_page_gives_the_paging_info(central: SophosCentral) -> None:
    page = central.alerts.list(page_size=10).first_page()
    assert len(page) == 10
    assert page.info.next_key is not None
    assert page.info.max_size == 100


def test_severity_and_category_filters(emu: Emulator, central: SophosCentral) -> None:
    expected = {a["id"] for a in seeded_alerts(emu) if a["severity"] in ("high", "low")}
    got = list(central.alerts.list(severity=["high", "low"], page_size=4))
    assert {a.id for a in got} == expected
    assert all(a.severity in (AlertSeverity.HIGH, AlertSeverity.LOW) for a in got)

    category = seeded_alerts(emu)[0]["category"]
    by_category = list(central.alerts.list(category=category))
    assert {a.id for a in by_category} == {
        a["id"] for a in seeded_alerts(emu) if a["category"] == category
    }


def test_from_and_to_select_a_time_window(emu: Emulator, central: SophosCentral) -> None:
    times = sorted(stamp(a["raisedAt"]) for a in seeded_alerts(emu))
    start, end = times[5], times[15]
    got = list(central.alerts.list(from_=start, to=end.isoformat()))
    assert len(got) == 10  # raised on or after start, before end
    assert all(a.raised_at is not None and start <= a.raised_at < end for a in got)


def test_a_duration_counts_back_from_now(emu: Emulator, central: SophosCentral) -> None:
    since = datetime.now(UTC) - timedelta(days=7)
    got = central.alerts.list(from_=timedelta(days=7)).to_list()
    assert {a.id for a in got} == {
        a["id"] for a in seeded_alerts(emu) if stamp(a["raisedAt"]) >= since
    }
    assert central.alerts.list(from_="-P7D").to_list() == got


def test_search_posts_and_pages_like_list(emu: Emulator, central: SophosCentral) -> None:
    listed = [a.id for a in central.alerts.list(severity="medium")]
    searched = [a.id for a in central.alerts.search(severity="medium", page_size=3)]
    assert searched == listed
    assert listed
    posts = api_calls(emu, "POST", "/common/v1/alerts/search")
    assert len(posts) == -(-len(listed) // 3)


def test_ids_filter_and_get(emu: Emulator, central: SophosCentral) -> None:
    wanted = [a["id"] for a in seeded_alerts(emu)[3:6]]
    assert {a.id for a in central.alerts.search(ids=wanted)} == set(wanted)
    alert = central.alerts.get(wanted[0])
    assert alert.id == wanted[0]
    assert alert.tenant is not None
    assert alert.tenant.id == emu.state.tenants[0].id


def _alert_allowing(emu: Emulator, action: str) -> dict[str, Any]:
    return next(a for a in seeded_alerts(emu) if action in a["allowedActions"])


def test_an_allowed_action_resolves_the_alert(emu: Emulator, central: SophosCentral) -> None:
    target = _alert_allowing(emu, "acknowledge")
    result = central.alerts.act(target["id"], AlertAction.ACKNOWLEDGE, message="seen, INC-7")
    assert result.alert_id == target["id"]
    assert result.action is AlertAction.ACKNOWLEDGE
    assert result.status == "started"
    with pytest.raises(NotFoundError):
        central.alerts.get(target["id"])
    assert target["id"] not in {a.id for a in central.alerts.list()}


def test_a_message_action_leaves_the_alert_open(make_emulator: Callable[..., Emulator]) -> None:
    emu = make_emulator(alerts=80)
    with sync_client(emu) as central:
        target = _alert_allowing(emu, "sendMsgPua")
        central.alerts.act(target["id"], "sendMsgPua")
        assert central.alerts.get(target["id"]).id == target["id"]


def test_a_disallowed_action_is_refused_before_posting(
    emu: Emulator, central: SophosCentral
) -> None:
    target = next(a for a in seeded_alerts(emu) if "clearThreat" not in a["allowedActions"])
    with pytest.raises(ValueError, match="allowed actions: " + ", ".join(target["allowedActions"])):
        central.alerts.act(target["id"], "clearThreat")
    assert api_calls(emu, "POST", "/actions") == []
    assert central.alerts.get(target["id"]).id == target["id"]


def test_bad_arguments_send_nothing(emu: Emulator, central: SophosCentral) -> None:
    with pytest.raises(ValueError, match="valid values: high, medium, low"):
        central.alerts.list(severity="critical")
    with pytest.raises(ValueError, match="product"):
        central.alerts.search(product="antivirus")
    assert emu.state.requests == []


def test_partner_credentials_reach_a_tenants_alerts(emu: Emulator) -> None:
    with sync_client(emu, "partner") as partner:
        tenants = partner.tenants.list().to_list()
        first = partner.for_tenant(tenants[1].id)
        alerts = first.alerts.list(page_size=10).to_list()
        assert {a.id for a in alerts} == {a["id"] for a in seeded_alerts(emu, 1)}
        assert all(a.tenant is not None and a.tenant.id == tenants[1].id for a in alerts)
        # the second-to-last tenant does not allow partner access
        with pytest.raises(PermissionDeniedError):
            partner.for_tenant(tenants[-2].id).alerts.list().first_page()


async def test_the_async_client_pages_and_acts(emu: Emulator) -> None:
    async with async_client(emu) as central:
        pages = [page async for page in central.alerts.search(page_size=10).pages()]
        assert [len(p) for p in pages] == [10, 10, 3]
        target = _alert_allowing(emu, "acknowledge")
        result = await central.alerts.act(target["id"], "acknowledge")
        assert result.alert_id == target["id"]
        remaining = [a.id async for a in central.alerts.list()]
    assert len(remaining) == 22
    assert target["id"] not in remaining
