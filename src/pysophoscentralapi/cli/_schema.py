"""The fields a command's rows can have, from its pydantic model: what ``--fields`` is checked
against, and the CSV header of an export with no rows.

A listing's rows are the API's JSON, so the paths are the wire names (``lastSeenAt``,
``health.overall``); a list of objects is walked into (``assignedProducts.code``), a number
selects an item (``ipv4Addresses.0``), and below a free-form ``dict``/``Any`` field any path is
accepted. Some fields only come with a richer ``--view`` (``serialNumber`` needs
``--view full``); :class:`Schema` knows which, so ``--fields`` can say so before a request.
pydantic is imported only when a schema is built (when a command runs, not for ``--help``).
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Schema"]


@dataclass(frozen=True)
class Schema:
    """The dotted paths of a model's wire form.

    ``views``: a top-level field -> the views whose rows have it (fields not named are in every
    view); ``view_option``: the option that chooses the view.

    Example::

        >>> from pysophoscentralapi.models.endpoints import Endpoint
        >>> schema = Schema.of(Endpoint, views={"serialNumber": ("full",)})
        >>> schema.problem("health.overall", view="summary") is None
        True
        >>> schema.problem("serialNumber", view="summary")
        "'serialNumber' is only in --view full: add --view full"
        >>> schema.problem("hostnme", view=None)
        "no field 'hostnme' (did you mean: hostname, os.name?)"
    """

    paths: frozenset[str]
    #: paths of free-form values (a ``dict`` or ``Any``): any sub-path is accepted
    open_paths: frozenset[str] = frozenset()
    #: leaf paths in declaration order (lists are leaves), for a CSV header with no rows
    leaves: tuple[str, ...] = ()
    views: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    view_option: str = "--view"

    @classmethod
    def of(
        cls,
        model: type[Any],
        *,
        views: Mapping[str, Sequence[str]] | None = None,
        view_option: str = "--view",
        extra_fields: Sequence[str] = (),
    ) -> Schema:
        """The schema of a pydantic model class (its fields by their wire alias), plus
        ``extra_fields``: dotted paths the command adds to each row."""
        paths: set[str] = set()
        for extra in extra_fields:
            segments = extra.split(".")
            paths.update(".".join(segments[: n + 1]) for n in range(len(segments)))
        open_paths: set[str] = set()
        leaves: list[str] = []
        _walk(model, "", paths, open_paths, leaves, seen=())
        return cls(
            frozenset(paths),
            frozenset(open_paths),
            tuple(leaves),
            {name: tuple(allowed) for name, allowed in (views or {}).items()},
            view_option,
        )

    def knows(self, path: str) -> bool:
        """Whether ``path`` can exist in a row (list items by number included)."""
        segments = [segment for segment in path.split(".") if not segment.isdigit()]
        prefix = ""
        for segment in segments:
            prefix = f"{prefix}.{segment}" if prefix else segment
            if prefix in self.open_paths:
                return True
            if prefix not in self.paths:
                return False
        return bool(segments)

    def problem(self, path: str, *, view: str | None) -> str | None:
        """Why ``path`` cannot be in the rows (with close matches), or ``None`` when it can."""
        if not self.knows(path):
            close = difflib.get_close_matches(path, sorted(self.paths), n=3, cutoff=0.6)
            hint = f" (did you mean: {', '.join(close)}?)" if close else ""
            return f"no field {path!r}{hint}"
        allowed = self.views.get(path.split(".", 1)[0])
        if view is not None and allowed is not None and view not in allowed:
            choices = " or ".join(f"{self.view_option} {name}" for name in allowed)
            return f"{path!r} is only in {choices}: add {choices}"
        return None

    def top_level(self) -> list[str]:
        """The top-level field names, sorted (for error messages)."""
        return sorted(path for path in self.paths if "." not in path)


def _walk(
    annotation: Any,
    prefix: str,
    paths: set[str],
    open_paths: set[str],
    leaves: list[str],
    *,
    seen: tuple[type[Any], ...],
) -> None:
    fields = getattr(annotation, "model_fields", None)
    if fields is None or annotation in seen:
        return
    for name, info in fields.items():
        wire = info.alias or name
        path = f"{prefix}.{wire}" if prefix else wire
        paths.add(path)
        inner = _inner(info.annotation)
        nested = [t for t in inner if hasattr(t, "model_fields")]
        if nested:
            in_list = _is_list(info.annotation)  # a list of objects is one CSV cell
            for model in nested:
                sub_leaves = [] if in_list else leaves
                _walk(model, path, paths, open_paths, sub_leaves, seen=(*seen, annotation))
            if in_list:
                leaves.append(path)
        else:
            leaves.append(path)
            if any(t is Any or t is dict for t in inner):
                open_paths.add(path)


def _inner(annotation: Any) -> list[Any]:
    """The types inside Optional/Union/list/Annotated (``dict[...]`` as ``dict``)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _inner(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType, list, tuple, set, frozenset, Sequence, Iterable):
        return [t for arg in typing.get_args(annotation) for t in _inner(arg)]
    if origin in (dict, Mapping):
        return [dict]
    return [annotation]


def _is_list(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _is_list(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return any(_is_list(arg) for arg in typing.get_args(annotation))
    return origin in (list, tuple, set, frozenset, Sequence)
