"""``pysophos api``'s -f / -F / -H / --input parsing, as gh api does it (pure)."""

from __future__ import annotations

import pytest

from pysophoscentralapi.cli import _api_input as api_input


def raw(text: str) -> tuple[tuple[str | None, ...], object]:
    return api_input.parse_field(text, typed=False)


def typed(text: str, files: dict[str, str] | None = None, stdin: str = "") -> object:
    def read_file(path: str) -> str:
        if files is None or path not in files:
            raise api_input.InputError(f"cannot read {path}")
        return files[path]

    return api_input.parse_field(text, typed=True, read_file=read_file, read_stdin=lambda: stdin)[1]


def test_raw_fields_are_strings() -> None:
    assert raw("pageSize=10") == (("pageSize",), "10")
    assert raw("enabled=true") == (("enabled",), "true")
    assert raw("note=a=b") == (("note",), "a=b")
    assert raw("empty=") == (("empty",), "")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("n=10", 10),
        ("n=-3", -3),
        ("n=007", "007"),
        ("n=1.5", "1.5"),  # like gh: integers only
        ("b=true", True),
        ("b=false", False),
        ("b=True", "True"),
        ("x=null", None),
        ("s=hello", "hello"),
    ],
)
def test_typed_fields_become_json_values(text: str, value: object) -> None:
    assert typed(text) == value


def test_typed_fields_read_files_and_stdin() -> None:
    assert typed("comment=@note.txt", files={"note.txt": "cleaned\n"}) == "cleaned\n"
    assert typed("comment=@-", stdin="from stdin") == "from stdin"
    assert typed("comment=-", stdin="from stdin") == "from stdin"
    with pytest.raises(api_input.InputError, match=r"cannot read missing\.txt"):
        typed("comment=@missing.txt", files={})
    with pytest.raises(api_input.InputError, match="file name after @"):
        typed("comment=@")
    with pytest.raises(api_input.InputError, match="not available"):
        api_input.parse_field("x=@file", typed=True)  # no reader given: nothing is read


def test_lists_and_objects() -> None:
    fields = api_input.build_fields(
        [
            raw("ids[]=e1"),
            raw("ids[]=e2"),
            api_input.parse_field("settings[enabled]=true", typed=True),
            api_input.parse_field("a[b][]=1", typed=True),
            api_input.parse_field("a[b][]=2", typed=True),
            raw("name=first"),
            raw("name=second"),
        ]
    )
    assert fields == {
        "ids": ["e1", "e2"],
        "settings": {"enabled": True},
        "a": {"b": [1, 2]},
        "name": "second",
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("novalue", "expected KEY=VALUE"),
        ("=value", "is not a field name"),
        ("a[=1", "is not a field name"),
        ("a]=1", "is not a field name"),
        ("a[][b]=1", r"\[\] may only end"),
    ],
)
def test_malformed_fields_are_refused(text: str, message: str) -> None:
    with pytest.raises(api_input.InputError, match=message):
        raw(text)


def test_conflicting_fields_are_refused() -> None:
    with pytest.raises(api_input.InputError, match="a is not an object"):
        api_input.build_fields([raw("a=1"), raw("a[b]=2")])
    with pytest.raises(api_input.InputError, match="a is a list"):
        api_input.build_fields([raw("a[]=1"), raw("a[b]=2")])
    with pytest.raises(api_input.InputError, match="a is not a list"):
        api_input.build_fields([raw("a[b]=1"), raw("a[]=2")])


def test_query_params_use_the_apis_list_form() -> None:
    fields = {"ids": ["e1", "e2"], "online": True, "pageSize": 10, "skip": None}
    assert api_input.query_params(fields) == {"ids": "e1,e2", "online": "true", "pageSize": "10"}
    with pytest.raises(api_input.InputError, match="query string"):
        api_input.query_params({"filter": {"a": 1}})
    with pytest.raises(api_input.InputError, match="nested"):
        api_input.query_params({"ids": [["a"]]})


def test_headers() -> None:
    assert api_input.parse_header("Accept-Language: de") == ("Accept-Language", "de")
    assert api_input.parse_header("X-Thing:a:b") == ("X-Thing", "a:b")
    for bad in ("no colon", ": value", "bad name: v"):
        with pytest.raises(api_input.InputError, match="expected 'Name: value'"):
            api_input.parse_header(bad)


def test_bodies() -> None:
    assert api_input.parse_body('{"a": [1]}', "body.json") == {"a": [1]}
    assert api_input.parse_body("  \n", "-") is None
    with pytest.raises(api_input.InputError, match=r"--input body\.json: not JSON"):
        api_input.parse_body("{nope", "body.json")
