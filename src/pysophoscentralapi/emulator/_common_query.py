"""Query-parameter helpers shared by the Common API handlers: sort, search, fields, ids, times."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from pysophoscentralapi._timeparams import parse_iso_duration

from ._http import BadRequest, check_enum, json_response, number_page, split_csv


def parse_moment(name: str, raw: str, now: datetime | None = None) -> datetime:
    """An ISO-8601 datetime (``Z``, offset or naive = UTC) or a duration relative to now (``-P7D``)."""
    text = raw.strip()
    try:
        delta = parse_iso_duration(text)
    except ValueError:  # years or months have no fixed length: not a moment either
        delta = None
    if delta is not None:
        return (now or datetime.now(UTC)) + delta
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise BadRequest(
            f"Invalid value for {name}: {raw!r}; expected an ISO-8601 date-time or duration."
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def parse_stamp(value: str) -> datetime:
    """A timestamp written by the emulator, back to a datetime."""
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def csv_param(request: Request, name: str) -> list[str] | None:
    """A comma-separated query parameter as a list (``None`` when absent, empty or blank)."""
    raw = request.query_params.get(name)
    if raw is None or not raw.strip():
        return None
    return split_csv(raw)


def optional_string(body: dict[str, Any], name: str) -> str | None:
    """``body[name]``: a string or ``None`` (absent); 400 ``Invalid value for NAME: expected a
    string.`` otherwise (the Common API's wording; the Endpoint API's is ``_http.optional_str``)."""
    value = body.get(name)
    if value is not None and not isinstance(value, str):
        raise BadRequest(f"Invalid value for {name}: expected a string.")
    return value


def sort_items(
    items: list[dict[str, Any]],
    spec: Sequence[str] | None,
    fields: dict[str, Callable[[dict[str, Any]], Any]],
    default: Sequence[str],
) -> list[dict[str, Any]]:
    """Sort by ``field[:asc|desc]`` criteria (first criterion most significant); 400 for unknown ones."""
    criteria = list(spec) if spec else list(default)
    parsed: list[tuple[str, bool]] = []
    for criterion in criteria:
        name, _, direction = criterion.partition(":")
        direction = direction.lower() or "asc"
        if name not in fields or direction not in ("asc", "desc"):
            raise BadRequest(
                f"Invalid sort criterion {criterion!r}. Valid fields: {', '.join(fields)}; "
                "append ':asc' or ':desc'."
            )
        parsed.append((name, direction == "desc"))
    result = list(items)
    for name, descending in reversed(parsed):
        key = fields[name]
        result.sort(key=lambda item, key=key: _sortable(key(item)), reverse=descending)  # type: ignore[misc]
    return result


def _sortable(value: Any) -> tuple[int, Any]:
    # None sorts first and never compares with other types.
    if value is None:
        return (0, "")
    if isinstance(value, str):
        return (1, value.lower())
    return (1, value)


def search_items(
    items: list[dict[str, Any]],
    terms: str | None,
    search_fields: Sequence[str] | None,
    allowed: dict[str, Callable[[dict[str, Any]], Any]],
    default: Sequence[str],
) -> list[dict[str, Any]]:
    """Items where every whitespace-separated term is a case-insensitive substring of a field."""
    if search_fields:
        check_enum("searchFields", search_fields, list(allowed))
    if not terms or not terms.strip():
        return items
    getters = [allowed[f] for f in (search_fields or default)]
    words = terms.lower().split()

    def matches(item: dict[str, Any]) -> bool:
        haystack = " ".join(str(g(item) or "") for g in getters).lower()
        return all(w in haystack for w in words)

    return [item for item in items if matches(item)]


def select_fields(item: dict[str, Any], fields: Sequence[str] | None) -> dict[str, Any]:
    """A partial response: only the named top-level fields (``id`` always kept)."""
    if not fields:
        return item
    wanted = set(fields) | {"id"}
    return {k: v for k, v in item.items() if k in wanted}


def sorted_page(
    request: Request,
    items: list[dict[str, Any]],
    sortable: dict[str, Callable[[dict[str, Any]], Any]],
    default_sort: Sequence[str],
    *,
    max_size: int,
    view: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> Response:
    """The number-paged answer of a listing: ``items`` sorted by the ``sort`` parameter
    (``default_sort`` without one), each shown through ``view`` and cut to the ``fields`` parameter."""
    items = sort_items(items, csv_param(request, "sort"), sortable, default_sort)
    fields = csv_param(request, "fields")
    shown = [select_fields(view(item) if view else item, fields) for item in items]
    return json_response(number_page(request, shown, max_size=max_size))
