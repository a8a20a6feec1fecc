"""Names where people use names: one matcher for roles, tenants, users and groups.

Wherever a command takes an id it also takes the thing's name, matched the same way
everywhere: a UUID is used as it is; anything else must equal one name, ignoring case (no
prefix or fuzzy matching, so a script never acts on the wrong thing). An unknown name is a
usage error listing close names; a name that several things share is refused with their ids.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import click

from pysophoscentralapi._validation import canonical_uuid

__all__ = ["match_name", "plural", "resolve_id"]

#: how many known names an "unknown name" error lists at most
MAX_LISTED = 12


def plural(noun: str, count: int = 2) -> str:
    """``noun`` in the plural unless ``count`` is 1 (the nouns of our commands, not all English).

    >>> plural("policy"), plural("role"), plural("access token"), plural("match"), plural("key", 1)
    ('policies', 'roles', 'access tokens', 'matches', 'key')
    """
    if count == 1:
        return noun
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "o", "u", ""):
        return noun[:-1] + "ies"
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    return noun + "s"


def match_name(
    rows: Iterable[Mapping[str, Any]],
    value: str,
    *,
    what: str,
    keys: Sequence[str] = ("name",),
    param_hint: str | None = None,
    list_command: str | None = None,
) -> Mapping[str, Any]:
    """The one row whose name (any of ``keys``) equals ``value``, ignoring case.

    Example::

        >>> rows = [{"id": "r1", "name": "Help Desk"}, {"id": "r2", "name": "Admin"}]
        >>> match_name(rows, "help desk", what="role")["id"]
        'r1'
    """
    wanted = value.strip().casefold()
    known = list(rows)
    found = [
        row
        for row in known
        if any(str(row.get(key) or "").strip().casefold() == wanted for key in keys)
    ]
    if len(found) == 1:
        return found[0]
    if found:
        candidates = ", ".join(f"{row.get('id')} ({row.get(keys[0])})" for row in found)
        raise click.BadParameter(
            f"{len(found)} {plural(what)} are named {value!r}: give one of their ids instead: "
            f"{candidates}",
            param_hint=param_hint,
        )
    import difflib  # only to name the near misses of a name that matched nothing

    names = sorted({str(row.get(keys[0])) for row in known if row.get(keys[0])})
    close = difflib.get_close_matches(value, names, n=3, cutoff=0.5)
    close += [n for n in names if wanted and wanted in n.casefold() and n not in close][:3]
    if close:
        hint = f"; did you mean: {', '.join(repr(n) for n in close)}?"
    elif names and len(names) <= MAX_LISTED:
        hint = f"; {plural(what)}: {', '.join(names)}"
    else:
        hint = ""
    if list_command:
        hint += f" (list them with: {list_command})"
    raise click.BadParameter(
        f"no {what} is named {value!r} (names match whole, ignoring case){hint}",
        param_hint=param_hint,
    )


def resolve_id(
    value: str,
    rows: Callable[[], Iterable[Mapping[str, Any]]],
    *,
    what: str,
    keys: Sequence[str] = ("name",),
    param_hint: str | None = None,
    list_command: str | None = None,
) -> str:
    """An id from an id or a name; ``rows`` is called (one listing) only for a name.

    Example::

        >>> resolve_id("Help Desk", lambda: [{"id": "r1", "name": "Help Desk"}], what="role")
        'r1'
        >>> resolve_id("6F1C0E1A-2B3C-4D5E-8F90-112233445566", lambda: [], what="role")
        '6f1c0e1a-2b3c-4d5e-8f90-112233445566'
    """
    canonical = canonical_uuid(value.strip())
    if canonical is not None:
        return canonical
    if not value.strip():
        raise click.BadParameter(f"give a {what} id or name.", param_hint=param_hint)
    row = match_name(
        rows(), value, what=what, keys=keys, param_hint=param_hint, list_command=list_command
    )
    return str(row["id"])
