"""One page of a listing: raw JSON rows, models made from them on demand, and paging facts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cached_property
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pysophoscentralapi._errors import ResponseValidationError

if TYPE_CHECKING:
    from pydantic import BaseModel, TypeAdapter, ValidationError

    from pysophoscentralapi._paging import PageInfo

# pydantic is imported where models are validated, not here: declaring the CLI's commands
# imports this module (through the resources' types), and their --help needs no pydantic.
ModelT = TypeVar("ModelT", bound="BaseModel")

_ADAPTERS: dict[type[BaseModel], TypeAdapter[list[Any]]] = {}
_LAZY_VALIDATORS: dict[type[Any], Callable[[Any], Any]] = {}


def validate_items(model: type[ModelT], raw: list[dict[str, Any]]) -> list[ModelT]:
    """Models from raw rows in one pass; :class:`ResponseValidationError` when they do not fit."""
    from pydantic import TypeAdapter, ValidationError

    adapter = _ADAPTERS.get(model)
    if adapter is None:
        adapter = _ADAPTERS[model] = TypeAdapter(list[model])  # type: ignore[valid-type]
    try:
        items: list[ModelT] = adapter.validate_python(raw)
    except ValidationError as exc:
        raise unexpected_shape(model, exc) from None
    return items


def validate_row(model: type[ModelT], row: dict[str, Any]) -> ModelT:
    """One model from one listing row (what iterating a listing yields, a row at a time).

    Nested objects are validated when first read (:mod:`pysophoscentralapi.models._lazy`).
    """
    build = _LAZY_VALIDATORS.get(model)
    if build is None:
        from pysophoscentralapi.models._lazy import lazy_validator

        build = _LAZY_VALIDATORS[model] = lazy_validator(model)
    try:
        return build(row)  # type: ignore[no-any-return]
    except Exception as exc:
        # Imported only on failure: ``from pydantic import ...`` goes through pydantic's lazy
        # module ``__getattr__``, a cost per row on the listing's hot path.
        from pydantic import ValidationError

        if not isinstance(exc, ValidationError):
            raise
        raise unexpected_shape(model, exc) from None


def unexpected_shape(
    model: type[BaseModel], exc: ValidationError, *, field: str | None = None
) -> ResponseValidationError:
    """The error for API data that does not fit ``model`` (in its ``field``, when given)."""
    first = exc.errors()[0]
    where = f" in {field}" if field else ""
    return ResponseValidationError(
        f"the API answered with {model.__name__} data of an unexpected shape: "
        f"{exc.error_count()} problem(s){where}, first: {first['loc']} {first['msg']}"
    )


#: A pydantic model, or ``"module:Name"`` naming it: declarations (a collection's, a command's)
#: name their model so that importing them (and so any ``--help``) does not import pydantic.
ModelRef = type[Any] | str


def resolve_model(model: ModelRef) -> type[Any]:
    """The model class of a :data:`ModelRef` (imported on first use).

    >>> resolve_model("pysophoscentralapi.models.tenants:Tenant").__name__
    'Tenant'
    """
    if not isinstance(model, str):
        return model
    import importlib

    module, _, name = model.partition(":")
    resolved: type[Any] = getattr(importlib.import_module(module), name)
    return resolved


def validate_item(model: type[ModelT], raw: Any) -> ModelT:
    """One model from a raw JSON object; :class:`ResponseValidationError` when it does not fit."""
    if not isinstance(raw, dict):
        raise ResponseValidationError(f"expected a {model.__name__} JSON object from the API")
    return validate_items(model, [raw])[0]


def parse_result(model: type[ModelT], body: Any, *, dry_run: bool) -> ModelT:
    """The model of a state-changing call's 2xx answer: never an error for the answer's shape.

    The change was made, so an answer that does not fit the model is parsed leniently (what fits
    is typed, the rest kept as sent in the model's extras, see :mod:`._lenient`) and a warning
    on the ``pysophoscentralapi.responses`` logger names what did not fit. In a dry run nothing
    was sent and the transport answers ``{}``: that gives an empty model (fields unset).
    """
    if dry_run and body == {}:
        return model.model_construct()
    if isinstance(body, dict):
        try:
            return validate_items(model, [body])[0]
        except ResponseValidationError:
            pass
    from pysophoscentralapi._lenient import validate_leniently, warn_unfitting

    result, problems = validate_leniently(model, body)
    warn_unfitting(model.__name__, problems)
    return result


def parse_results(model: type[ModelT], bodies: list[Any]) -> list[ModelT]:
    """:func:`parse_result` for the items of one answer (one warning for all that did not fit)."""
    try:
        return validate_items(model, bodies)
    except ResponseValidationError:
        pass
    from pysophoscentralapi._lenient import validate_leniently, warn_unfitting

    results: list[ModelT] = []
    problems: list[str] = []
    for index, body in enumerate(bodies):
        result, found = validate_leniently(model, body)
        results.append(result)
        problems.extend(f"item {index}: {problem}" for problem in found)
    warn_unfitting(model.__name__, problems)
    return results


class Page(Generic[ModelT]):
    """A page of results.

    ``raw`` holds the rows exactly as the API sent them (what the CLI streams); ``items`` the
    models, validated on first access; ``info`` the paging facts (next key, page number, totals).
    """

    __slots__ = ("__dict__", "info", "model", "raw")

    def __init__(self, raw: list[dict[str, Any]], info: PageInfo, model: type[ModelT]) -> None:
        self.raw = raw
        self.info = info
        self.model = model

    @cached_property
    def items(self) -> list[ModelT]:
        return validate_items(self.model, self.raw)

    def __iter__(self) -> Iterator[ModelT]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.raw)

    def __repr__(self) -> str:
        return f"Page({self.model.__name__}, {len(self.raw)} items, {self.info})"
