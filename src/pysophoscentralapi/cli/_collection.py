"""The CLI side of a declared collection: ``list|get|add|update|delete`` built from its
:class:`~pysophoscentralapi._collection.Collection`.

``collection_group(ALLOWED_ITEMS)`` is the whole ``allowed-items`` group. Every value is checked
before anything is sent or confirmed: the options by click, then the declaration's body builder
(the library's own checks) — a bad value exits 2 without a request.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import click

from pysophoscentralapi._validation import check_sha256
from pysophoscentralapi.cli._lazy import LazySubcommands
from pysophoscentralapi.cli._params import (
    either,
    ids_from_arguments,
    iter_ids,
    one_id,
    split,
    value_errors_as_usage,
)

# The output, results and confirmation layers are imported where the commands are built: a
# parent's --help (``pysophos endpoint settings --help``) declares the groups alone.
if TYPE_CHECKING:
    from pysophoscentralapi._collection import Collection, Option
    from pysophoscentralapi.cli._context import CliContext
    from pysophoscentralapi.cli._output import OutputOptions
    from pysophoscentralapi.cli._safety import Change

__all__ = [
    "collection_group",
    "help_text",
    "id_argument",
    "resolve_id",
    "resource_of",
    "shown_fields",
    "with_options",
]

_one_id = one_id("an id")


def help_text(summary: str, examples: Sequence[str]) -> str:
    """A command's help: its summary and an ``Examples:`` block click keeps as written."""
    lines = "\n".join(f"  {example}" for example in examples)
    return f"{summary}\n\n\b\nExamples:\n{lines}\n"


def resource_of(central: Any, attribute: str) -> Any:
    """``central.settings.allowed_items`` from ``"settings.allowed_items"``."""
    for name in attribute.split("."):
        central = getattr(central, name)
    return central


def id_argument(collection: Collection[Any], name: str = "item_id") -> Callable[[Any], Any]:
    """The ``ID`` argument of one item: a UUID (or the declared id), or a name where the
    collection is named by people (resolved by :func:`resolve_id` when the command runs)."""
    if collection.name_field is not None:
        return click.argument(name, metavar="ID|NAME")
    if collection.id_check is None:
        return click.argument(name, metavar="ID", callback=_one_id)

    def check(ctx: click.Context, param: click.Parameter, value: str) -> str:
        try:
            return collection.check_id(value, "ID")
        except ValueError as error:
            raise click.BadParameter(str(error), ctx, param) from None

    return click.argument(name, metavar="ID", callback=check)


def resolve_id(cli: CliContext, collection: Collection[Any], text: str) -> str:
    """The id of the item ``text`` names: itself when an id, else the one item whose name is
    ``text`` ignoring case (none or several: a usage error naming the candidates)."""
    from pysophoscentralapi.cli import _names as names

    text = text.strip()
    if collection.name_field is None:
        return text.lower() if collection.id_check is None else text
    filters = {collection.name_filter: text} if collection.name_filter else {}

    def rows() -> Any:
        return resource_of(cli.client(), collection.attribute).list(**filters).raw_items()

    return names.resolve_id(
        text,
        rows,
        what=collection.cli.noun,
        keys=(collection.name_field,),
        list_command=f"{_group_path()} list",
    )


def _group_path() -> str:
    return click.get_current_context().command_path.rsplit(" ", 1)[0]


def _item_ids(cli: CliContext, collection: Collection[Any], values: Sequence[str]) -> list[str]:
    """The ids of a multi-target command: ``-``/``@FILE`` read, each checked or resolved."""
    if collection.name_field is None and collection.id_check is None:
        return ids_from_arguments(values)
    ids: list[str] = []
    for value in iter_ids(values):
        if collection.name_field is None:
            try:
                ids.append(collection.check_id(value, "ID"))
            except ValueError as error:
                raise click.BadParameter(str(error), param_hint="ID") from None
        else:
            ids.append(resolve_id(cli, collection, value))
    if not ids:
        raise click.BadParameter("no ids given (stdin or the file was empty).", param_hint="ID")
    return list(dict.fromkeys(ids))


def _sha256(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return check_sha256(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a SHA-256 hash (64 hexadecimal characters, got "
            f"{len(value.strip())}).",
            ctx,
            param,
        ) from None


def _not_blank(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not value.strip():
        raise click.BadParameter("must not be empty.", ctx, param)
    return value


def _tags(ctx: click.Context, param: click.Parameter, value: Sequence[str]) -> list[str] | None:
    return split(value) if value else None


def _several(ctx: click.Context, param: click.Parameter, value: Sequence[Any]) -> list[Any] | None:
    return list(value) if value else None


def _key_values(
    ctx: click.Context, param: click.Parameter, value: Sequence[str]
) -> dict[str, Any] | None:
    from pysophoscentralapi._families.policies import parse_setting

    if not value:
        return None
    try:
        return dict(parse_setting(text) for text in value)
    except ValueError as error:
        raise click.BadParameter(str(error), ctx, param) from None


def _click_param(option: Option) -> Callable[[Any], Any]:
    """The click decorator of one declared option."""
    settings: dict[str, Any] = {"help": option.help}
    if option.metavar:
        settings["metavar"] = option.metavar
    kind = option.kind
    if kind == "choice":
        settings["type"] = click.Choice(option.choices)
    elif kind in ("int", "ints"):
        settings["type"] = click.IntRange(min=option.minimum, max=option.maximum)
        if kind == "ints":
            settings.update(multiple=True, callback=_several)
    elif kind == "texts":
        settings.update(multiple=True, callback=_several)
    elif kind == "settings":
        settings.update(multiple=True, callback=_key_values)
    elif kind == "id":
        settings["callback"] = _one_id
    elif kind == "sha256":
        settings["callback"] = _sha256
    elif kind == "tags":
        settings.update(multiple=True, callback=_tags)
    elif kind == "text":
        settings["callback"] = _not_blank
    if option.argument:
        settings.pop("help")
        return click.argument(option.name, **settings)
    if kind == "bool":
        flag = option.flag
        return click.option(f"{flag}/--no-{flag[2:]}", option.name, default=None, **settings)
    if option.default is not None:
        settings.update(default=option.default, show_default=True)
    return click.option(option.flag, option.name, required=option.required, **settings)


def with_options(function: Callable[..., Any], options: Sequence[Option]) -> Callable[..., Any]:
    """``function`` with the click options (and argument) of the declared ``options``."""
    for option in reversed(options):
        function = _click_param(option)(function)
    return function


class _Hiding:
    """A listing whose rows leave out some fields (``Cli.hidden``)."""

    def __init__(self, listing: Any, hidden: Sequence[str]) -> None:
        self._listing = listing
        self._hidden = set(hidden)

    def raw_items(self) -> Any:
        for row in self._listing.raw_items():
            yield {k: v for k, v in row.items() if k not in self._hidden}


def _title(collection: Collection[Any]) -> str:
    noun = collection.cli.noun
    return noun[0].upper() + noun[1:]


def shown_fields(collection: Collection[Any]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """An item as the API returns it (``item.to_api()``) without the fields its commands hide."""
    hidden = collection.cli.hidden
    return lambda record: {k: v for k, v in record.items() if k not in hidden}


def collection_group(
    collection: Collection[Any], *, hand_written: Mapping[str, tuple[str, str, str]] = {}
) -> click.Group:
    """The CLI group of ``collection``: a command per operation it has, and the ``hand_written``
    ones its CLI module writes (name -> (module, attribute, summary)), each built or imported
    when first used: a ``--help`` lists them by their summaries, a command's builds it alone."""
    return LazySubcommands(
        collection.cli.group,
        help=help_text(*collection.cli.help_for("group")),
        lazy_commands=hand_written,
        built_commands=_operations(collection),
    )


def _operations(
    collection: Collection[Any],
) -> dict[str, tuple[Callable[[], click.Command], str]]:
    """The commands of ``collection``'s operations (not the hand-written): name -> (build,
    summary)."""
    cli_spec = collection.cli

    def target(cli: CliContext, *, dry_run: bool = False) -> Any:
        return resource_of(cli.client(dry_run=dry_run), collection.attribute)

    def summary(command: str) -> str:
        return cli_spec.help_for(command)[0]

    built = [name for name in collection.operations if name not in cli_spec.hand_written]
    commands: dict[str, tuple[Callable[[], click.Command], str]] = {
        "list": (functools.partial(_list_command, collection), summary("list"))
    }
    if "get" in built:
        commands["get"] = (functools.partial(_get_command, collection, target), summary("get"))
    if "add" in built:
        verb = cli_spec.verb("add")
        commands[verb] = (functools.partial(_add_command, collection, target), summary(verb))
    if "update" in built:
        commands["update"] = (functools.partial(_update_command, collection, target),
                              summary("update"))  # fmt: skip
    elif cli_spec.no_update:
        no_update = functools.partial(
            _no_update_command, cli_spec.no_update, cli_spec.help_for("update")
        )
        commands["update"] = (no_update, summary("update"))
    if "delete" in built:
        commands["delete"] = (functools.partial(_delete_command, collection, target),
                              summary("delete"))  # fmt: skip
    return commands


def _list_command(collection: Collection[Any]) -> click.Command:
    from pysophoscentralapi.cli._output import output_options

    cli_spec = collection.cli

    @output_options(columns=list(cli_spec.columns))
    @click.pass_obj
    def list_command(cli: CliContext, /, output: OutputOptions, **filters: Any) -> None:
        wanted = output.fetch_limit()
        page_size = min(wanted, collection.max_page_size) if wanted else None

        def fetch(central: Any) -> Any:
            listing = resource_of(central, collection.attribute).list(
                page_size=page_size, **filters
            )
            return _Hiding(listing, cli_spec.hidden) if cli_spec.hidden else listing

        cli.write_listing(output, fetch, title=_title(collection)[0] + cli_spec.nouns[1:])

    for spec in reversed([f for f in collection.filters if f.on_cli]):
        choice = click.Choice(spec.choices) if spec.choices and spec.how != "sort" else None
        flag = f"--{spec.name.replace('_', '-')}"
        if spec.how == "bool":
            list_command = click.option(f"{flag}/--not-{flag[2:]}", spec.name, default=None,
                                        help=spec.help)(list_command)  # fmt: skip
        elif spec.multiple:
            list_command = click.option(flag, spec.name, type=choice, multiple=True,
                                        callback=_tags, help=spec.help)(list_command)  # fmt: skip
        else:
            list_command = click.option(flag, spec.name, type=choice,
                                        help=spec.help)(list_command)  # fmt: skip
    return click.command("list", help=help_text(*cli_spec.help_for("list")))(list_command)


def _get_command(collection: Collection[Any], target: Callable[..., Any]) -> click.Command:
    from pysophoscentralapi.cli._output import record_options

    @id_argument(collection)
    @record_options(model=collection.model)
    @click.pass_obj
    def get_command(cli: CliContext, output: OutputOptions, item_id: str) -> None:
        item = target(cli).get(resolve_id(cli, collection, item_id))
        cli.write_object(output, shown_fields(collection)(item.to_api()), title=_title(collection))

    return click.command("get", help=help_text(*collection.cli.help_for("get")))(get_command)


def _add_command(collection: Collection[Any], target: Callable[..., Any]) -> click.Command:
    from pysophoscentralapi.cli._safety import one_change

    cli_spec = collection.cli
    build = collection.add
    assert build is not None
    positional = [o.name for o in cli_spec.add_options if o.argument]

    @one_change(model=collection.model)
    def add(change: Change, /, **values: Any) -> None:
        with value_errors_as_usage():
            if cli_spec.infer is not None:
                values = cli_spec.infer(values)
            args = [values.pop(name) for name in positional]
            given = {k: v for k, v in values.items() if v is not None}
            build(*args, **given)  # every check, before the confirmation
        described = dict(zip(positional, args, strict=True)) | given
        change.confirm(
            cli_spec.describe_add(described)
            if cli_spec.describe_add
            else f"add the {cli_spec.noun} {', '.join(map(str, args))}"
        )
        with value_errors_as_usage():
            item = target(change.cli, dry_run=change.dry_run).add(*args, **given)
        change.show(item, title=f"{_title(collection)} added", shown=shown_fields(collection))

    command = with_options(add, cli_spec.add_options)
    verb = cli_spec.verb("add")
    return click.command(verb, help=help_text(*cli_spec.help_for(verb)))(command)


def _update_command(collection: Collection[Any], target: Callable[..., Any]) -> click.Command:
    from pysophoscentralapi.cli._safety import one_change

    cli_spec = collection.cli
    build = collection.update
    assert build is not None
    flags = [o.flag for o in cli_spec.update_options]

    @id_argument(collection)
    @one_change(model=collection.model)
    def update(change: Change, /, item_id: str, **values: Any) -> None:
        given = {k: v for k, v in values.items() if v is not None}
        if not given:
            raise click.UsageError(f"nothing to change: give {either(flags)}")
        with value_errors_as_usage():
            if cli_spec.adapt_update is not None:
                given = cli_spec.adapt_update(given)
            build(**given)
        item_id = resolve_id(change.cli, collection, item_id)
        change.confirm(
            cli_spec.describe_update(item_id, given)
            if cli_spec.describe_update
            else f"change the {cli_spec.noun} {item_id}"
        )
        with value_errors_as_usage():
            item = target(change.cli, dry_run=change.dry_run).update(item_id, **given)
        change.show(item, title=f"{_title(collection)} updated", shown=shown_fields(collection))

    command = with_options(update, cli_spec.update_options)
    return click.command("update", help=help_text(*cli_spec.help_for("update")))(command)


def _no_update_command(reason: str, helped: tuple[str, Sequence[str]]) -> click.Command:
    @click.argument("ignored", nargs=-1, type=click.UNPROCESSED, metavar="[ID]")
    def update(ignored: tuple[str, ...]) -> None:
        raise click.UsageError(reason)

    return click.command(
        "update",
        help=help_text(*helped),
        context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    )(update)


def _delete_command(collection: Collection[Any], target: Callable[..., Any]) -> click.Command:
    from pysophoscentralapi.cli._results import attempt, many_targets, require_deleted
    from pysophoscentralapi.cli._safety import ids_summary

    noun = collection.cli.noun
    metavar = "ID|NAME..." if collection.name_field else "ID..."

    @many_targets("item_ids", metavar)
    def delete(change: Change, item_ids: tuple[str, ...]) -> None:
        # One DELETE per id, one result row each (streamed; exit code of the worst).
        ids = _item_ids(change.cli, collection, item_ids)
        change.confirm(ids_summary("delete", noun, ids))
        resource = target(change.cli, dry_run=change.dry_run)

        def delete_one(item_id: str) -> None:
            require_deleted(resource.delete(item_id), dry_run=change.dry_run)

        rows = (attempt(item_id, delete_one) for item_id in ids)
        change.write_results(rows, done="deleted", total=len(ids))

    return click.command("delete", help=help_text(*collection.cli.help_for("delete")))(delete)
