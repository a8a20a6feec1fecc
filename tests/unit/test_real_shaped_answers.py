"""Answers in the shapes the real API sends (tests/unit/answers, written for this project):
every model reads them strictly, types every field they carry, and round-trips what it read.

Each file names the operation, the model (and the key holding the items of a list answer) or,
for a delete, what ``deleted`` means.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from pysophoscentralapi import models
from pysophoscentralapi._lenient import answer_confirms
from pysophoscentralapi._page import validate_items

ANSWERS = sorted((Path(__file__).parent / "answers").glob("*.json"))


def _load(path: Path) -> dict[str, Any]:
    answer: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return answer


def _untyped(model: BaseModel, where: str = "") -> list[str]:
    """Every field of the answer that the models do not type (kept only as an extra)."""
    found = [f"{where}{key}" for key in model.model_extra or {}]
    for name in type(model).model_fields:
        value = getattr(model, name)
        children = value if isinstance(value, list) else [value]
        for child in children:
            if isinstance(child, BaseModel):
                found += _untyped(child, f"{where}{name}.")
    return found


MODEL_ANSWERS = [p for p in ANSWERS if "model" in _load(p)]


def test_there_are_answers_of_each_kind() -> None:
    assert len(MODEL_ANSWERS) >= 8
    assert len(ANSWERS) > len(MODEL_ANSWERS)  # delete answers too


@pytest.mark.parametrize("path", MODEL_ANSWERS, ids=lambda p: p.stem)
def test_every_model_reads_the_answer_and_round_trips_it(path: Path) -> None:
    answer = _load(path)
    model: type[BaseModel] = getattr(models, answer["model"])
    body = answer["body"]
    rows = body[answer["items"]] if "items" in answer else [body]
    parsed = validate_items(model, rows)  # strict, as a read
    assert len(parsed) == len(rows)
    for item, row in zip(parsed, rows, strict=True):
        assert _untyped(item) == [], f"fields the model does not type in {path.name}"
        written = item.to_api()  # type: ignore[attr-defined]
        assert set(written) == set(row)
        assert model.model_validate(written) == item
        assert model.model_validate(written).to_api() == written  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "path", [p for p in ANSWERS if "deleted" in _load(p)], ids=lambda p: p.stem
)
def test_delete_answers_read_deleted_as_an_api_boolean(path: Path) -> None:
    answer = _load(path)
    assert answer_confirms(answer["body"], dry_run=False) is answer["deleted"]


def test_string_booleans_and_real_world_timestamps_become_typed_values() -> None:
    body = _load(Path(__file__).parent / "answers" / "isolate_endpoints.json")["body"]
    (item,) = validate_items(models.EndpointIsolation, body["items"])
    assert item.isolation is not None
    assert item.isolation.enabled is True
    assert item.isolation.last_enabled_at is not None
    assert item.isolation.last_enabled_at.isoformat() == "2021-08-13T09:07:03+00:00"
    assert item.to_api()["isolation"]["lastEnabledAt"] == "2021-08-13T09:07:03.000Z"
    group = validate_items(
        models.UserGroup, [_load(Path(__file__).parent / "answers" / "user_group.json")["body"]]
    )[0]
    assert group.display_name == "Finance (FIN)"
    assert group.groups is not None
    assert [ref.display_name for ref in group.groups.items] == ["All Staff"]
