"""Option and argument parsing shared by the command modules (all of it runs before any request).

A bad value is a usage error (exit 2) naming the option and what would be right. Most helpers are
click callbacks, or factories of them::

    @click.option("--severity", multiple=True, callback=enum_list(ALERT_SEVERITIES))
    @click.argument("alert_id", metavar="ID", callback=one_id("an alert id", hint="ID"))
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import click

from pysophoscentralapi._timeparams import CLI_TIME_FORMS, parse_cli_time
from pysophoscentralapi._validation import EXAMPLE_UUID, canonical_uuid, check_uuid

if TYPE_CHECKING:
    from pathlib import Path

    from pysophoscentralapi.cli._output import OutputOptions


def argument_text(value: str, *, what: str = "input") -> str:
    """What an argument stands for: ``-`` is stdin, ``@FILE`` a file's text, anything else itself."""
    if value == "-":
        return sys.stdin.read()
    if value.startswith("@"):
        try:
            with open(value[1:], encoding="utf-8") as handle:
                return handle.read()
        except OSError as error:
            raise click.BadParameter(
                f"cannot read {what} from {value[1:]}: {error.strerror}"
            ) from None
    return value


def iter_ids(values: Iterable[str]) -> Iterator[str]:
    """Ids from arguments; ``-`` and ``@FILE`` give more, one per line or separated by spaces/commas."""
    for value in values:
        if value == "-" or value.startswith("@"):
            yield from (
                part for part in re.split(r"[\s,]+", argument_text(value, what="ids")) if part
            )
        else:
            yield value


__all__ = [
    "ENDPOINT_IDS",
    "Callback",
    "as_path",
    "check_id",
    "check_time_range",
    "checked_list",
    "either",
    "enum_list",
    "id_argument_callback",
    "id_option",
    "ids_callback",
    "ids_filter_option",
    "ids_from_arguments",
    "one_id",
    "one_record",
    "require_a_change",
    "search_options",
    "split",
    "time_option",
    "usage_errors",
    "value_callback",
    "value_errors_as_usage",
]

#: A click parameter callback.
Callback = Callable[[click.Context, click.Parameter, Any], Any]
#: a function a click decorator is applied to
FC = TypeVar("FC", bound=Callable[..., Any])
T = TypeVar("T")


def value_callback(
    parse: Callable[[str], T],
) -> Callable[[click.Context, click.Parameter, str | None], T | None]:
    """A click callback applying ``parse`` to a given value (an absent one stays ``None``); the
    ``ValueError`` of a bad value is a usage error naming the parameter.

    Example::

        @click.option("--email", callback=value_callback(check_email))
    """

    def callback(ctx: click.Context, param: click.Parameter, value: str | None) -> T | None:
        if value is None:
            return None
        try:
            return parse(value)
        except ValueError as error:
            raise click.BadParameter(str(error), ctx, param) from None

    return callback


def as_path(ctx: click.Context, param: click.Parameter, value: str | None) -> Path | None:
    """A click callback: a given value as a :class:`~pathlib.Path`, what ``click.Path``'s
    ``path_type=Path`` makes of it, but with :mod:`pathlib` (some 4 ms of start-up, which
    ``--help`` does not need) imported only once there is a value.

    Example::

        @click.option("--state", type=click.Path(dir_okay=False), callback=as_path)
    """
    if value is None:
        return None
    from pathlib import Path

    return Path(value)


def split(values: Iterable[str], *, unique: bool = False) -> list[str]:
    """Repeatable, comma-separated option values as one list (order kept; ``unique``: duplicates
    dropped).

    >>> split(["a,b", " c ", "a"]), split(["a,b", "a"], unique=True)
    (['a', 'b', 'c', 'a'], ['a', 'b'])
    """
    parts = [part.strip() for value in values for part in value.split(",") if part.strip()]
    return list(dict.fromkeys(parts)) if unique else parts


def enum_list(valid: Sequence[str]) -> Callback:
    """A callback for a comma-separated, repeatable enum option (case-insensitive)."""
    canonical = {value.lower(): value for value in valid}

    def parse(ctx: click.Context, param: click.Parameter, value: Any) -> list[str] | None:
        if not value:
            return None
        chosen = []
        for item in split(value):
            if item.lower() not in canonical:
                raise click.BadParameter(f"{item!r} is not one of: {', '.join(valid)}.", ctx, param)
            chosen.append(canonical[item.lower()])
        return list(dict.fromkeys(chosen))

    return parse


def enum_list_option(
    *param_decls: str, values: Sequence[str], metavar: str, label: str
) -> Callable[[FC], FC]:
    """A repeatable, comma-separated option checked by :func:`enum_list`, its help listing the
    values: ``--severity LEVEL[,LEVEL]`` "Severity: low, medium, high.".

    Example::

        @enum_list_option("--severity", values=ALERT_SEVERITIES, metavar="LEVEL", label="Severity")
    """
    return click.option(
        *param_decls,
        multiple=True,
        metavar=f"{metavar}[,{metavar}]",
        callback=enum_list(values),
        help=f"{label}: {', '.join(values)}.",
    )


def search_options(search_help: str, fields_help: str) -> Callable[[FC], FC]:
    """``--search WORDS`` and the repeatable ``--search-field FIELD`` (passed as
    ``search_fields``: a list, comma-separated values split, or ``None`` when not given) naming
    where it looks: a listing whose API searches chosen fields."""

    def decorate(function: FC) -> FC:
        function = click.option(
            "--search-field", "search_fields", multiple=True, metavar="FIELD",
            callback=_search_fields, help=fields_help,
        )(function)  # fmt: skip
        return click.option("--search", help=search_help)(function)

    return decorate


def _search_fields(
    ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> list[str] | None:
    return split(values, unique=True) or None


def checked_list(is_valid: Callable[[str], bool], kind: str) -> Callback:
    """A callback for a repeatable, comma-separated option whose every value must pass
    ``is_valid``: "'x' is not ``kind``." otherwise; ``None`` when not given."""

    def parse(ctx: click.Context, param: click.Parameter, value: Any) -> list[str] | None:
        if not value:
            return None
        items = split(value)
        for item in items:
            if not is_valid(item):
                raise click.BadParameter(f"{item!r} is not {kind}.", ctx, param)
        return items

    return parse


def one_of(valid: Sequence[str]) -> Callback:
    """A callback for one enum value, matched ignoring case, returned and listed as the API
    spells it (``cleanPua``; click's case-insensitive Choice would list ``cleanpua``)."""
    canonical = {value.lower(): value for value in valid}

    def parse(ctx: click.Context, param: click.Parameter, value: Any) -> str | None:
        if value is None:
            return None
        if str(value).lower() not in canonical:
            raise click.BadParameter(f"{value!r} is not one of: {', '.join(valid)}.", ctx, param)
        return canonical[str(value).lower()]

    return parse


def time_option(*, allow_all: bool = False) -> Callback:
    """A callback for a time option (``24h``, ``7d``, ISO duration or date): the API time, ``None``
    when not given; with ``allow_all``, ``all`` (no bound) gives ``""``."""

    def parse(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
        if value is None:
            return None
        if allow_all and value.strip().lower() == "all":
            return ""
        option = "--" + (param.name or "").rstrip("_").replace("_", "-")
        try:
            return parse_cli_time(value, name=option)
        except ValueError as error:
            if "too large" in str(error):
                raise click.BadParameter(
                    str(error).removeprefix(f"{option}: "), ctx, param
                ) from None
            raise click.BadParameter(
                f"{value!r} is not a time: use {CLI_TIME_FORMS}.", ctx, param
            ) from None

    return parse


def check_time_range(
    start: str | None, end: str | None, start_option: str, end_option: str
) -> None:
    """A usage error (exit 2) when a time range given by two options is empty (start not
    before end), e.g. ``--from 7d --to 30d``; the values are the parsed API times."""
    from pysophoscentralapi._timeparams import check_time_range as check

    try:
        check(start, end, start_name=start_option, end_name=end_option)
    except ValueError as error:
        raise click.UsageError(str(error)) from None


# --- ids -------------------------------------------------------------------------------------------


def check_id(
    value: str, ctx: click.Context | None, param: click.Parameter | str | None, *, noun: str
) -> str:
    """``value`` as a lower-case UUID, or a usage error: "'x' is not ``noun`` (a UUID such as ...)".

    ``param`` is the parameter, or the hint naming it (``"ID"``).
    """
    canonical = canonical_uuid(value)
    if canonical is not None:
        return canonical
    message = f"{value!r} is not {noun} (a UUID such as {EXAMPLE_UUID})."
    if isinstance(param, str):
        raise click.BadParameter(message, ctx, param_hint=param)
    raise click.BadParameter(message, ctx, param)


def one_id(noun: str, *, hint: str | None = None) -> Callback:
    """A callback checking one id (``None`` when the option is not given); ``hint`` names the
    parameter in the message instead of click's own name for it."""

    def parse(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
        return None if value is None else check_id(value, ctx, hint or param, noun=noun)

    return parse


def id_option(noun: str, *, read_ids: bool = False) -> Callback:
    """A callback for a repeatable, comma-separated id option: the ids checked, de-duplicated,
    order kept; ``None`` when not given. ``read_ids``: ``-`` reads ids from stdin, ``@FILE`` from
    a file."""

    def parse(ctx: click.Context, param: click.Parameter, value: Any) -> list[str] | None:
        if not value:
            return None
        items = split(iter_ids(value) if read_ids else value)
        if not items:
            # An empty stdin or file must not silently drop the filter (and list everything).
            raise click.BadParameter("no ids given (stdin or the file was empty).", ctx, param)
        return list(dict.fromkeys(check_id(item, ctx, param, noun=noun) for item in items))

    return parse


def ids_filter_option(noun: str, what: str) -> Callable[[FC], FC]:
    """``--id ID[,ID]``, passed as ``ids``: a listing of only these ids (``noun`` names one,
    ``what`` them in the help); repeatable, ``-`` reads them from stdin, ``@FILE`` from a file."""
    return click.option(
        "--id",
        "ids",
        multiple=True,
        metavar="ID[,ID]",
        callback=id_option(noun, read_ids=True),
        help=f"Only these {what} ids (repeatable; '-' reads ids from stdin, @FILE from a file).",
    )


def ids_from_arguments(
    values: Sequence[str],
    *,
    noun: str = "an id",
    plural: str = "ids",
    hint: str = "ID",
    check: Callable[[str], str] | None = None,
) -> list[str]:
    """Ids from arguments, ``-`` (stdin) and ``@FILE``: checked, de-duplicated, order kept; a
    usage error when there are none (``plural`` names them). ``check``: the id check when the
    ids are not UUIDs (it returns the id or raises ``ValueError``/``click.BadParameter``)."""
    ctx = click.get_current_context()

    def checked(item: str) -> str:
        if check is None:
            return check_id(item, ctx, hint, noun=noun)
        try:
            return check(item)
        except ValueError as error:
            raise click.BadParameter(str(error), ctx, param_hint=hint) from None

    ids = list(dict.fromkeys(checked(item) for item in iter_ids(values)))
    if not ids:
        raise click.BadParameter(
            f"no {plural} given (stdin or the file was empty).", ctx, param_hint=hint
        )
    return ids


def ids_callback(noun: str, *, hint: str = "ID") -> Callback:
    """A callback for an argument of several ids (``ID...``): :func:`ids_from_arguments` as the
    arguments are parsed (``-`` and ``@FILE`` read, each id checked as ``noun``)."""

    def parse(ctx: click.Context, param: click.Parameter, value: Sequence[str]) -> list[str]:
        return ids_from_arguments(value, noun=noun, hint=hint)

    return parse


#: the callback of an ``ENDPOINT_ID...`` argument
ENDPOINT_IDS = ids_callback("an endpoint id", hint="ENDPOINT_ID")


def id_argument_callback(what: str) -> Callback:
    """A callback checking that a value (or each of several, comma-separated) is a UUID; the
    message is the library's, naming ``what`` ("user id: 'x' is not a valid id ...")."""

    def check(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        if value is None:
            return None
        several = isinstance(value, tuple | list)
        checked = []
        for item in split(value, unique=True) if several else [value]:
            try:
                checked.append(check_uuid(item, what))
            except ValueError as error:
                raise click.BadParameter(str(error), ctx, param) from None
        return checked if several else checked[0]

    return check


def either(flags: Sequence[str]) -> str:
    """The options one of which is wanted, for a message.

    >>> either(["--name"]), either(["--name", "--email", "--group"])
    ('--name', '--name, --email or --group')
    """
    return flags[0] if len(flags) == 1 else f"{', '.join(flags[:-1])} or {flags[-1]}"


def require_a_change(options: Mapping[str, Any]) -> None:
    """A usage error (exit 2) for an update given none of its ``options`` (flag -> value; not
    given: ``None``, or no values of a repeatable option): "nothing to change: give --name or
    --description"."""
    if all(value is None or value in ((), []) for value in options.values()):
        raise click.UsageError(f"nothing to change: give {either(list(options))}")


def one_record(output: OutputOptions, *, form: str) -> None:
    """A usage error when a listing command that shows one record in ``form`` (its argument
    given, e.g. ``"cases detections CASE DETECTION"``) got options that only a listing has."""
    given = [
        flag
        for flag, is_set in (
            ("--limit", output.limit is not None),
            ("--sort", output.sort is not None),
            ("--count-by", output.count_by is not None),
            ("--wide", output.wide),
        )
        if is_set
    ]
    if given:
        raise click.UsageError(f"{', '.join(given)}: only for the listing; {form} shows one record")


# --- the library's argument errors ------------------------------------------------------------------


@contextmanager
def usage_errors(param_hint: str | None = None) -> Iterator[None]:
    """Turn the library's argument errors (``ValueError``) into bad-parameter errors (exit 2)."""
    try:
        yield
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint=param_hint) from None


@contextmanager
def value_errors_as_usage() -> Iterator[None]:
    """Turn the library's argument errors (``ValueError``) into plain usage errors (exit 2)."""
    try:
        yield
    except ValueError as error:
        raise click.UsageError(str(error)) from None
