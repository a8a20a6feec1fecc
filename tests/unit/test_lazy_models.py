"""A listing's models (built a row at a time, nested objects validated when first read) behave
exactly as fully validated ones wherever a program can look."""

from __future__ import annotations

import copy
import pickle
from typing import Any

import pytest
from pydantic import BaseModel, TypeAdapter

from pysophoscentralapi import ResponseValidationError
from pysophoscentralapi._page import validate_row
from pysophoscentralapi.models import Alert, Endpoint, EndpointGroup, Health, HealthStatus

ROW: dict[str, Any] = {
    "id": "e1",
    "hostname": "WS-01",
    "type": "computer",
    "tenant": {"id": "t1"},
    "health": {
        "overall": "bad",
        "threats": {"status": "good"},
        "services": {"status": "bad", "serviceDetails": [{"name": "MCS", "status": "stopped"}]},
    },
    "os": {"isServer": "false", "platform": "windows", "build": 19045},
    "assignedProducts": [{"code": "interceptX", "version": "2024.2", "status": "installed"}],
    "lastSeenAt": "2026-11-30 10.00.00 GMT",
    "isolation": {"status": "notIsolated", "adminIsolated": False},
    "futureField": {"nested": [1, 2]},
}


def listed() -> Endpoint:
    return validate_row(Endpoint, copy.deepcopy(ROW))


FULL = Endpoint.model_validate(ROW)


def test_nested_objects_are_validated_when_first_read_and_kept() -> None:
    endpoint = listed()
    assert type(endpoint.__dict__["health"]) is dict  # not built yet
    health = endpoint.health
    assert isinstance(health, Health)
    assert health.overall is HealthStatus.BAD
    assert health.services is not None
    assert health.services.service_details is not None
    assert health.services.service_details[0].status == "stopped"
    assert endpoint.health is health  # built once
    assert endpoint.assigned_products is not None
    assert endpoint.assigned_products[0].code == "interceptX"
    assert endpoint.os is not None
    assert endpoint.os.is_server is False


@pytest.mark.parametrize(
    "look",
    [
        lambda e: e,
        lambda e: e.model_dump(),
        lambda e: e.model_dump(mode="json", by_alias=True),
        lambda e: e.model_dump_json(),
        lambda e: e.to_api(),
        repr,
        str,
        dict,
        lambda e: pickle.loads(pickle.dumps(e)),
        copy.deepcopy,
        lambda e: e.model_copy(update={"hostname": "X"}),
        lambda e: (e.model_fields_set, e.model_extra),
    ],
    ids=[
        "eq",
        "dump",
        "dump-json-mode",
        "dump-json",
        "to_api",
        "repr",
        "str",
        "dict",
        "pickle",
        "deepcopy",
        "copy",
        "fields-set",
    ],
)
def test_a_listed_model_looks_like_a_fully_validated_one(look: Any) -> None:
    assert look(listed()) == look(FULL)


def test_an_unpickled_listed_model_has_its_nested_models() -> None:
    endpoint = pickle.loads(pickle.dumps(listed()))
    assert isinstance(endpoint.__dict__["health"], Health)


def test_a_nested_value_that_does_not_fit_is_reported_when_read_naming_the_field() -> None:
    endpoint = validate_row(Endpoint, {"id": "e1", "health": {"overall": 5}})
    assert endpoint.id == "e1"
    with pytest.raises(ResponseValidationError, match=r"Endpoint data .* in health"):
        _ = endpoint.health
    with pytest.raises(ResponseValidationError, match="in health"):
        endpoint.model_dump()


def test_a_nested_value_of_the_wrong_kind_fails_the_row_at_once() -> None:
    with pytest.raises(ResponseValidationError, match="Endpoint data of an unexpected shape"):
        validate_row(Endpoint, {"id": "e1", "assignedProducts": {"code": "x"}})


def test_listed_models_handed_to_other_pydantic_types_are_finished_there() -> None:
    class Report(BaseModel):
        endpoints: list[Endpoint]

    report = Report(endpoints=[listed()])
    assert isinstance(report.endpoints[0].__dict__["health"], Health)
    assert report.model_dump() == Report(endpoints=[FULL]).model_dump()
    adapter = TypeAdapter(list[Endpoint])
    assert adapter.dump_python(adapter.validate_python([listed()])) == adapter.dump_python([FULL])


def test_assigning_a_nested_field_replaces_the_raw_value() -> None:
    endpoint = listed()
    endpoint.health = Health(overall=HealthStatus.GOOD)
    assert endpoint.health.overall is HealthStatus.GOOD
    assert endpoint.to_api()["health"] == {"overall": "good"}


def test_models_built_in_python_or_by_model_validate_are_whole() -> None:
    listed()  # the class has been listed lazily at least once
    endpoint = Endpoint.model_validate(ROW)
    assert isinstance(endpoint.__dict__["health"], Health)
    assert not hasattr(Endpoint, "health")  # the class looks to pydantic as it did


def test_a_subclass_field_that_is_a_plain_dict_stays_a_dict() -> None:
    class LooseEndpoint(Endpoint):
        health: dict[str, Any] | None = None  # type: ignore[assignment]

    endpoint = validate_row(LooseEndpoint, copy.deepcopy(ROW))
    assert endpoint.health == ROW["health"]
    assert endpoint.os is not None
    assert endpoint.os.platform == "windows"


def test_only_big_listings_models_are_lazy() -> None:
    group = validate_row(EndpointGroup, {"id": "g1", "name": "Servers", "endpoints": {"total": 2}})
    assert not isinstance(group.__dict__.get("endpoints"), dict)
    alert = validate_row(Alert, {"id": "a1", "managedAgent": {"id": "e1", "type": "computer"}})
    assert type(alert.__dict__["managed_agent"]) is dict
    assert alert.managed_agent is not None
    assert alert.managed_agent.id == "e1"


def test_a_list_of_the_wrong_items_is_reported_when_read() -> None:
    endpoint = validate_row(Endpoint, {"id": "e1", "assignedProducts": ["interceptX"]})
    with pytest.raises(ResponseValidationError, match="in assigned_products"):
        _ = endpoint.assigned_products
