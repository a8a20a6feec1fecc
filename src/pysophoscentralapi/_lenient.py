"""Lenient validation of the answer to a state-changing request (sans-I/O).

A 2xx answer means the change happened, so an answer of an unexpected shape must not become an
error (the caller would retry or escalate a change that was made). :func:`validate_leniently`
types every field that fits and keeps each value that does not *as sent*, under its API name in
the extras of the model that holds it (``model.model_extra``), so ``to_api()`` gives it back
unchanged. It also says what did not fit, for a warning.

>>> from pysophoscentralapi.models.endpoints import ScanResult
>>> result, problems = validate_leniently(ScanResult, {"id": "s1", "requestedAt": "13/08/2021"})
>>> result.id, result.requested_at, result.model_extra["requestedAt"]
('s1', None, '13/08/2021')
>>> problems[0].split(" (")[0]
'requestedAt'
"""

from __future__ import annotations

import copy
import logging
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from pysophoscentralapi.models._base import parse_api_bool

ModelT = TypeVar("ModelT", bound=BaseModel)

Path = tuple[str | int, ...]

#: Where answers accepted although they did not fit are reported (the CLI shows it with --debug).
logger = logging.getLogger("pysophoscentralapi.responses")
logger.addHandler(logging.NullHandler())  # not on stderr unless the application configures logging

#: Each pass sets at least one value aside; a bound keeps a pathological answer from looping long.
_MAX_PASSES = 50


def validate_leniently(model: type[ModelT], body: Any) -> tuple[ModelT, list[str]]:
    """``model`` from ``body`` with what fits typed and the rest kept raw; and what did not fit,
    each as its dotted API path and the reason (``"isolation.lastEnabledAt (...)"``;
    ``"(answer) (...)"`` when the answer as a whole did not fit, e.g. it is not a JSON object or
    lacks a required field: then every field is kept raw)."""
    if not isinstance(body, dict):
        return model.model_construct(), [f"(answer) (not a JSON object: {type(body).__name__})"]
    data = copy.deepcopy(body)
    set_aside: dict[Path, tuple[Any, str]] = {}  # path -> (value as sent, why it did not fit)
    for _ in range(_MAX_PASSES):
        try:
            instance = model.model_validate(data)
        except ValidationError as exc:
            found = [(_removable(data, tuple(e["loc"])), _reason(e["msg"])) for e in exc.errors()]
            if not found or any(path is None for path, _ in found):
                break
            for path, reason in sorted(found, key=lambda item: len(item[0] or ())):
                assert path is not None
                if _pop(data, path):
                    # Take the value from the original: an outer value keeps its inner parts.
                    set_aside = {p: v for p, v in set_aside.items() if p[: len(path)] != path}
                    set_aside[path] = (copy.deepcopy(_get(body, path)), reason)
            continue
        for path, (value, _) in set_aside.items():
            _keep_raw(instance, path, value)
        return instance, [f"{_dotted(path)} ({reason})" for path, (_, reason) in set_aside.items()]
    whole = model.model_construct()
    whole.__pydantic_extra__ = copy.deepcopy(body)
    return whole, [f"(answer) (does not fit {model.__name__})"]


def _removable(data: dict[str, Any], loc: Path) -> Path | None:
    """The path of the object key to set aside for an error at ``loc``: as far as ``loc`` exists
    in the data, cut back to an object key (an error inside a list sets the whole list aside;
    a missing field sets its parent object aside). ``None`` when that is the answer itself."""
    walked: list[str | int] = []
    node: Any = data
    for part in loc:
        present = (isinstance(node, dict) and isinstance(part, str) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        )
        if not present:
            break
        node = node[part]
        walked.append(part)
    while walked and not isinstance(walked[-1], str):
        walked.pop()
    return tuple(walked) or None


def _get(node: Any, path: Path) -> Any:
    for part in path:
        node = node[part]
    return node


def _pop(data: dict[str, Any], path: Path) -> bool:
    try:
        parent = _get(data, path[:-1])
    except (KeyError, IndexError, TypeError):  # already set aside with an outer value
        return False
    if not isinstance(parent, dict) or path[-1] not in parent:
        return False
    del parent[path[-1]]
    return True


def _keep_raw(instance: BaseModel, path: Path, value: Any) -> None:
    """Put ``value`` in the extras of the model holding ``path`` (the top model's extras, under
    the dotted path, when the walk does not end on a model)."""
    holder: Any = instance
    for part in path[:-1]:
        holder = _child(holder, part)
        if holder is None:
            break
    target, key = (holder, path[-1]) if isinstance(holder, BaseModel) else (instance, _dotted(path))
    if target.__pydantic_extra__ is None:
        target.__pydantic_extra__ = {}
    target.__pydantic_extra__[str(key)] = value


def _child(holder: Any, part: str | int) -> Any:
    if isinstance(part, int):
        return holder[part] if isinstance(holder, list) and part < len(holder) else None
    if not isinstance(holder, BaseModel):
        return None
    for name, info in type(holder).model_fields.items():
        if part in (name, info.alias):
            return getattr(holder, name)
    return (holder.__pydantic_extra__ or {}).get(part)


def _dotted(path: Path) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def _reason(message: str) -> str:
    return message.removeprefix("Value error, ")


def warn_unfitting(what: str, problems: list[str]) -> None:
    """Log that a 2xx answer was accepted although parts of it did not fit ``what``."""
    if problems:
        logger.warning(
            "the API accepted the request, but its answer did not fit %s; kept as sent: %s",
            what,
            "; ".join(problems),
        )


#: what an answer's confirming key is the answer to (for the warning)
_REQUEST_CONFIRMED_BY = {"deleted": "delete", "removed": "removal", "canceled": "cancel"}


def answer_confirms(body: Any, key: str = "deleted", *, dry_run: bool) -> bool:
    """Whether a 2xx answer to a removal says it happened (``{"deleted": true}``,
    ``{"removed": true}``): the one reading of every delete's and removal's answer.

    ``key`` is read as an API boolean (``"False"`` is false). A 2xx answer without a readable
    ``key`` means the API accepted the request: ``True``, with a warning. In a dry run nothing
    was sent: ``False``.

    >>> answer_confirms({"deleted": "False"}, dry_run=False)
    False
    >>> answer_confirms({"removed": True}, "removed", dry_run=False)
    True
    """
    if dry_run and body == {}:
        return False
    value = body.get(key) if isinstance(body, dict) else None
    try:
        return parse_api_bool(value)
    except ValueError as error:
        logger.warning(
            "the API accepted the %s, but its answer's %r is not a boolean (%s); taken as %s",
            _REQUEST_CONFIRMED_BY.get(key, "request"),
            key,
            error,
            key,
        )
        return True
