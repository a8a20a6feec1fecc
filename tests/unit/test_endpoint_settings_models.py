"""Endpoint settings models and argument checks (no I/O)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pysophoscentralapi._async.endpoint_settings import check_choice, check_id
from pysophoscentralapi._validation import check_sha256
from pysophoscentralapi.models import (
    AllowedItem,
    AllowedItemType,
    BlockedItem,
    LocalSite,
    ScanMode,
    ScanningExclusion,
    ScanningExclusionType,
)
from pysophoscentralapi.models.endpoint_settings import (
    ALLOWED_ITEM_TYPES,
    BLOCKED_ITEM_TYPES,
    SCAN_MODES,
    SCANNING_EXCLUSION_TYPES,
)

HEX = "0123456789abcdefABCDEF"


def test_known_values_match_the_collection() -> None:
    assert ALLOWED_ITEM_TYPES == ("path", "sha256", "certificateSigner")
    assert BLOCKED_ITEM_TYPES == ("sha256",)
    assert SCAN_MODES == ("onDemand", "onAccess", "onDemandAndOnAccess")
    for value in ("path", "posixPath", "virtualPath", "process", "web", "pua", "amsi"):
        assert value in SCANNING_EXCLUSION_TYPES
    for value in ("exploitMitigation", "behavioral", "journalHashingProcess"):
        assert value in SCANNING_EXCLUSION_TYPES


def test_allowed_item_from_a_real_looking_list_row() -> None:
    # Shape of a real list item: upper-case sha256, no createdBy, unknown extra field.
    row = {
        "id": "c68f1abc-986d-43eb-b050-d9113959207a",
        "createdAt": "2020-11-25T10:47:32.082Z",
        "updatedAt": "2020-11-25T10:47:32.082Z",
        "properties": {"fileName": "putty.exe", "sha256": "CAF4" * 16},
        "comment": "hello world1",
        "type": "sha256",
        "someNewField": {"x": 1},
    }
    item = AllowedItem.model_validate(row)
    assert item.type is AllowedItemType.SHA256
    assert item.properties.file_name == "putty.exe"
    assert item.created_by is None
    assert item.to_api()["someNewField"] == {"x": 1}
    assert item.to_api()["properties"] == row["properties"]


def test_unknown_enum_values_are_kept() -> None:
    allowed = AllowedItem.model_validate({"id": "1", "type": "posixPath"})
    assert allowed.type == "posixPath"
    exclusion = ScanningExclusion.model_validate(
        {"id": "1", "type": "somethingNew", "scanMode": "onBoot"}
    )
    assert exclusion.type == "somethingNew"
    assert exclusion.scan_mode == "onBoot"
    assert ScanningExclusion.model_validate({"id": "1", "type": "amsi"}).type is (
        ScanningExclusionType.AMSI
    )
    assert ScanMode("onAccess") is ScanMode.ON_ACCESS


def test_blocked_item_and_local_site_defaults() -> None:
    blocked = BlockedItem.model_validate({"id": "1"})
    assert blocked.properties.sha256 is None
    site = LocalSite.model_validate({"id": "1", "url": "files.partner.example"})
    assert site.tags == []
    assert site.category_id is None


@given(st.text(alphabet=HEX, min_size=64, max_size=64))
def test_any_64_hex_digits_is_a_sha256(value: str) -> None:
    assert check_sha256(value) == value


@given(st.text(alphabet=HEX, max_size=80).filter(lambda text: len(text) != 64))
def test_other_lengths_are_refused_with_the_length(value: str) -> None:
    with pytest.raises(ValueError, match=f"sha256: .* got {len(value)} characters"):
        check_sha256(value)


def test_sha256_with_a_non_hex_character_is_refused() -> None:
    with pytest.raises(ValueError, match="64 hexadecimal"):
        check_sha256("z" + "a" * 63)


def test_ids_are_normalised_or_refused_by_name() -> None:
    assert check_id(" 3F2C1D6E-8F7A-4B7E-9A55-1C2D3E4F5A6B ") == (
        "3f2c1d6e-8f7a-4b7e-9a55-1c2d3e4f5a6b"
    )
    with pytest.raises(ValueError, match=r"^origin_person_id: 'bob' is not an id"):
        check_id("bob", "origin_person_id")


def test_choice_errors_list_the_valid_values() -> None:
    with pytest.raises(
        ValueError, match="scan_mode: 'always' is not valid; valid values: onDemand, onAccess"
    ):
        check_choice("always", "scan_mode", SCAN_MODES)
