"""Listing rows made into models lazily: a nested object is validated when it is first read.

A listed endpoint is some fifteen models (its health, its OS, each assigned product...), and
building them all costs three times what building the endpoint's own fields does. Most programs
read a few of them, so a listing's iterator (:func:`pysophoscentralapi._page.validate_row`)
validates the row's own fields (strings, numbers, enums, times) and keeps each nested object, or
list of objects, as the API sent it, after checking it is a JSON object (or array). Reading the
attribute validates it then, once and whole, into the same model full validation gives::

    endpoint = lazy_validator(Endpoint)(row)
    endpoint.health.overall      # Health (and all below it) validated here, and kept

Only the models of big listings are made so (:class:`~._base.ListedModel`: endpoints, alerts,
detections, tenants). Everything that looks at the whole model sees the finished one: comparing,
``repr``, iterating, pickling and dumping (``model_dump``, ``to_api``) validate what is still raw
first, and a pydantic type of yours that is handed such a model (a field of that type, FastAPI's
``response_model``) validates it again, whole. A nested value that does not fit its model is a
:class:`ResponseValidationError` when it is read (or dumped), naming the field. Models built in
Python, by ``model_validate`` or from a page's ``items`` are validated whole, as always.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import SchemaValidator, core_schema

from pysophoscentralapi._page import ModelT, unexpected_shape

_VALIDATORS: dict[type[Any], Callable[[Any], Any]] = {}
#: per model class: its lazily kept fields, each with what builds its model(s) from the raw value
_BUILDERS: dict[type[Any], dict[str, Callable[[Any], Any]]] = {}


def lazy_validator(model: type[ModelT]) -> Callable[[Any], ModelT]:
    """What validates a raw row into a ``model`` that keeps nested objects raw until read
    (built once per model); raises pydantic's ``ValidationError`` as full validation would.

    Only a :class:`ListedModel` is made lazily (revalidated whole when handed to another
    pydantic type); any other model is validated whole.
    """
    validator = _VALIDATORS.get(model)
    if validator is None:
        from pysophoscentralapi.models._base import ListedModel

        lazy = issubclass(model, ListedModel)
        validator = _build(model) if lazy else _one(model)
        _VALIDATORS[model] = validator
    return validator


def materialize(instance: BaseModel) -> None:
    """Validate each nested value of ``instance`` still kept raw (a
    :class:`ResponseValidationError` when one does not fit); nothing to do for other models."""
    builders = _BUILDERS.get(type(instance))
    if builders:
        values = instance.__dict__
        for name, build in builders.items():
            value = values.get(name)
            if _is_raw(value):
                values[name] = build(value)


def _is_raw(value: Any) -> bool:
    # A kept value is a JSON object or a JSON array; a built one is a model or a list of models
    # (the first element tells: every element was built together, and an empty list is done).
    kind = type(value)
    return kind is dict or (kind is list and bool(value) and not isinstance(value[0], BaseModel))


class _LazyField:
    """The attribute of a lazily kept field: builds its model(s) on first read, then keeps them.

    A data descriptor, so it comes before the instance's ``__dict__``; on the class itself it
    is invisible (``AttributeError``), so pydantic's machinery sees the class as before.
    """

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: type[Any] | None = None) -> Any:
        if instance is None:
            raise AttributeError(self.name)
        values = instance.__dict__
        try:
            value = values[self.name]
        except KeyError:
            raise AttributeError(self.name) from None
        if _is_raw(value):
            build = _BUILDERS.get(type(instance), {}).get(self.name)
            if build is not None:
                value = values[self.name] = build(value)
        return value

    def __set__(self, instance: Any, value: Any) -> None:
        # pydantic's __setattr__ writes __dict__ itself; this serves object.__setattr__.
        instance.__dict__[self.name] = value


def _build(model: type[BaseModel]) -> Callable[[Any], Any]:
    model.model_rebuild()  # a no-op once built; builds a deferred schema
    schema: dict[str, Any] = model.__pydantic_core_schema__  # type: ignore[assignment]
    definitions = {d["ref"]: d for d in schema.get("definitions", ())}
    model_schema = schema["schema"] if schema["type"] == "definitions" else schema
    fields = dict(model_schema["schema"]["fields"])
    builders: dict[str, Callable[[Any], Any]] = {}
    for name, field in fields.items():
        kept = _kept_form(field["schema"], definitions)
        if kept is not None:
            fields[name] = {**field, "schema": kept[0]}
            builders[name] = _reporting(model, name, kept[1])
    # The model's fields alone, validated in pydantic-core; the instance is put together below,
    # as pydantic's model_construct does. (A "model" schema of an already built class would be
    # swapped for the class's own full validator by pydantic-core.)
    fields_schema: dict[str, Any] = {**model_schema["schema"], "fields": fields}
    if schema["type"] == "definitions":
        fields_schema = {**schema, "schema": fields_schema}
    validator = SchemaValidator(fields_schema, model_schema.get("config"))
    if builders:
        _BUILDERS[model] = builders
        for name in builders:
            if not isinstance(model.__dict__.get(name), _LazyField):
                type.__setattr__(model, name, _LazyField(name))
    validate = validator.validate_python
    new = model.__new__
    set_slot = object.__setattr__

    def build(raw: Any) -> Any:
        values, extra, fields_set = validate(raw)
        instance = new(model)
        set_slot(instance, "__dict__", values)
        set_slot(instance, "__pydantic_extra__", extra)
        set_slot(instance, "__pydantic_fields_set__", fields_set)
        set_slot(instance, "__pydantic_private__", None)
        return instance

    return build


def _kept_form(
    schema: dict[str, Any], definitions: dict[str, dict[str, Any]]
) -> tuple[Any, Callable[[Any], Any]] | None:
    """For a field of a model type (or list of one), optional or defaulted: the schema that
    keeps the raw value, and what builds the model(s) from it. ``None`` for any other field."""
    kind = schema["type"]
    if kind in ("default", "nullable"):
        inner = _kept_form(schema["schema"], definitions)
        if inner is None:
            return None
        return {**schema, "schema": inner[0]}, inner[1]
    nested = _model_class(schema, definitions)
    if nested is not None:
        return core_schema.is_instance_schema(dict), _one(nested)
    if kind == "list" and "items_schema" in schema and len(schema) == 2:
        nested = _model_class(schema["items_schema"], definitions)
        if nested is not None:
            return core_schema.is_instance_schema(list), _each(nested)
    return None


def _model_class(schema: dict[str, Any], definitions: dict[str, dict[str, Any]]) -> Any:
    from pysophoscentralapi.models._base import SophosModel

    if schema["type"] == "definition-ref":
        schema = definitions.get(schema["schema_ref"], {})
    cls = schema.get("cls") if schema.get("type") == "model" else None
    return cls if cls is not None and issubclass(cls, SophosModel) else None


def _one(model: type[BaseModel]) -> Callable[[Any], Any]:
    model.model_rebuild()
    return model.__pydantic_validator__.validate_python


def _each(model: type[BaseModel]) -> Callable[[Any], Any]:
    from pydantic import TypeAdapter

    return TypeAdapter(list[model]).validate_python  # type: ignore[valid-type]


def _reporting(
    owner: type[BaseModel], name: str, build: Callable[[Any], Any]
) -> Callable[[Any], Any]:
    def built(raw: Any) -> Any:
        try:
            return build(raw)
        except ValidationError as exc:
            raise unexpected_shape(owner, exc, field=name) from None

    return built
