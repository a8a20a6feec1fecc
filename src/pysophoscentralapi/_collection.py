"""One declaration per same-shaped API collection: the library, CLI and emulator derive from it.

A *collection* is a list of items under one path that the API lets you list (paged), get, add,
update and delete by id: the settings lists, the exclusions, endpoint groups... Each is declared
once as a :class:`Collection`; then

- the library's namespace is a class naming the operations it has
  (``class AsyncAllowedItems(AsyncCrud[AllowedItem]): collection = ALLOWED_ITEMS``,
  :mod:`pysophoscentralapi._async._collection`);
- the CLI's ``list|get|add|update|delete`` commands are built from :attr:`Collection.cli`
  (:mod:`pysophoscentralapi.cli._collection`);
- the emulator's routes, paging and error answers are built from the same declaration plus the
  server-side rules (:mod:`pysophoscentralapi.emulator._collections`).

This module is pure data and checks: no I/O, no click, no HTTP. Its records are named tuples
(immutable, compared by value, shown as ``Filter(name=..., ...)``): cheaper to declare than
frozen dataclasses, and declaring them is on every ``--help`` of the CLI that lists a collection.
"""

from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, Generic, NamedTuple

from pysophoscentralapi._page import ModelRef, ModelT, resolve_model
from pysophoscentralapi._paging_style import PagingStyle
from pysophoscentralapi._validation import (
    check_choice,
    check_sort,
    check_text,
    check_uuid,
    check_uuids,
    split_values,
)

#: A body builder: the library method's keyword arguments -> the JSON body (checks included).
BodyBuilder = Callable[..., dict[str, Any]]


class Filter(NamedTuple):
    """A query parameter of the listing: ``name`` in Python and on the CLI (``--name``),
    ``param`` in the API, ``field`` the item field it matches (the emulator's equality filter).

    ``kind``: ``text``; ``choice`` (one of ``choices``); ``choices`` (several, sent
    comma-separated); ``csv`` (several texts, comma-separated); ``ids`` (UUIDs, comma-separated);
    ``bool`` (sent ``true``/``false``); ``sort`` (``field[:asc|:desc]`` of ``choices``).
    """

    name: str
    help: str
    param: str = ""
    choices: tuple[str, ...] | None = None
    kind: str = ""
    field: str = ""
    #: Whether the CLI offers it (``sort`` is not: the output layer's ``--sort`` sorts).
    on_cli: bool = True

    @property
    def api_name(self) -> str:
        return self.param or self.name

    @property
    def item_field(self) -> str:
        return self.field or self.api_name

    @property
    def how(self) -> str:
        return self.kind or ("choice" if self.choices else "text")

    @property
    def multiple(self) -> bool:
        """Whether the CLI option is repeatable (several values)."""
        return self.how in ("choices", "csv", "ids", "sort")

    def check(self, value: Any) -> Any:
        """The value to send, checked (``ValueError`` naming the filter and the valid values)."""
        how = self.how
        if how == "choice":
            return check_choice(value, self.name, self.choices or ())
        if how == "choices":
            values = split_values(value, self.name, required=True)
            return ",".join(check_choice(v, self.name, self.choices or ()) for v in values)
        if how == "ids":
            return ",".join(check_uuids(split_values(value, self.name), self.name, noun="an id"))
        if how == "sort":
            return check_sort(value, self.choices)
        if how == "csv":
            return ",".join(split_values(value, self.name, required=True))
        if how == "bool":
            if not isinstance(value, bool):
                raise ValueError(f"{self.name}: must be True or False")
            return "true" if value else "false"
        return check_text(value, self.name)


class Option(NamedTuple):
    """A CLI option (or the positional argument) feeding one keyword of a body builder.

    ``kind`` picks the parsing: ``text`` (not blank), ``free`` (any text), ``id`` (a UUID),
    ``sha256``, ``choice`` (of ``choices``), ``int`` (``minimum``..``maximum``), ``ints``
    (repeatable ``int``), ``tags`` (repeatable or comma-separated) or ``bool`` (``--x/--no-x``).
    """

    name: str
    help: str
    kind: str = "text"
    choices: tuple[str, ...] = ()
    required: bool = False
    argument: bool = False
    metavar: str | None = None
    default: Any = None
    minimum: int = 1
    maximum: int | None = None
    #: The CLI flag when not ``--name`` (a repeatable option is named for one value).
    cli_flag: str = ""

    @property
    def flag(self) -> str:
        if self.cli_flag:
            return self.cli_flag
        return "--" + ("tag" if self.kind == "tags" else self.name.replace("_", "-"))


#: A command's help: ``(summary, example lines)``, or only the example lines (a list) where
#: the command's default summary fits (``list``, ``get`` and ``delete``: :meth:`Cli.help_for`).
CommandHelp = tuple[str, Sequence[str]] | list[str]


class Cli(NamedTuple):
    """How a collection appears in ``pysophos``: its group, nouns, columns and help examples.

    ``help`` maps a command (``group``, ``list``, ``get``, ``add``/its verb, ``update``,
    ``delete``) to its help text's first paragraph and example lines (:data:`CommandHelp`);
    ``list``, ``get`` and ``delete`` have a default (:meth:`help_for`), and their summary
    ("List {nouns}.", "Show one {noun}.", "Delete {nouns}.") is taken when only the example
    lines are given. ``describe_add`` / ``describe_update`` word the confirmation from the
    command's values (default: "add the {noun} {arguments}", "change the {noun} {id}");
    ``infer`` completes the add values (e.g. a type from the one option given), raising
    ``ValueError`` worded for the command line.
    """

    group: str
    noun: str
    columns: tuple[str, ...]
    help: Mapping[str, CommandHelp]
    #: The command the group hangs under (its examples start with ``parent group``).
    parent: str = "pysophos endpoint settings"
    add_options: tuple[Option, ...] = ()
    update_options: tuple[Option, ...] = ()
    describe_add: Callable[[dict[str, Any]], str] | None = None
    describe_update: Callable[[str, dict[str, Any]], str] | None = None
    infer: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    #: The update command's values as the library takes them (``ValueError`` if bad).
    adapt_update: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    #: Why there is no ``update`` (a command that says so, and what to do, is added).
    no_update: str | None = None
    #: Fields ``list`` and ``get`` leave out (secrets such as a migration's token).
    hidden: tuple[str, ...] = ()
    #: Operations whose commands the CLI module writes itself (the others are built).
    hand_written: tuple[str, ...] = ()
    #: Command names where they differ from the operation's (``{"add": "create"}``).
    verbs: Mapping[str, str] = MappingProxyType({})

    @property
    def nouns(self) -> str:
        """The noun's plural ("policies", "allowed items")."""
        return self.noun[:-1] + "ies" if self.noun.endswith("y") else self.noun + "s"

    def verb(self, operation: str) -> str:
        return self.verbs.get(operation, operation)

    def help_for(self, command: str) -> tuple[str, Sequence[str]]:
        """A command's help (summary, examples): the declared one, else the plain default of
        ``list``, ``get`` and ``delete`` (declared example lines alone take its summary).

        >>> sites = Cli("web-control", "local site", ("id",), {"get": ["... get 7"]})
        >>> sites.help_for("get")
        ('Show one local site.', ['... get 7'])
        >>> sites.help_for("delete")
        ('Delete local sites.', ['pysophos endpoint settings web-control delete ID --yes'])
        >>> sites.help_for("update")
        Traceback (most recent call last):
        KeyError: "web-control: declare the help of 'update' (summary, examples)"
        """
        declared = self.help.get(command)
        if isinstance(declared, tuple):
            return declared
        path = f"{self.parent} {self.group}"
        if command == "list":
            summary, examples = f"List {self.nouns}.", [f"{path} list", f"{path} list -o csv"]
        elif command == "get":
            summary, examples = f"Show one {self.noun}.", [f"{path} get ID -o json"]
        elif command == "delete":
            summary, examples = f"Delete {self.nouns}.", [f"{path} delete ID --yes"]
        else:
            raise KeyError(f"{self.group}: declare the help of {command!r} (summary, examples)")
        return summary, examples if declared is None else declared


class Collection(NamedTuple, Generic[ModelT]):
    """The declaration of one collection (see the module docs).

    ``model``: the items' model, named ``"module:Name"`` so that importing a declaration (and so
    the CLI's ``--help``) does not import pydantic (:attr:`model_class` is the class);
    ``attribute``: where it hangs off the client (``"settings.allowed_items"``); ``add`` /
    ``update``: body builders (their keyword arguments are the library method's, also what the
    CLI options are named after); an operation without a builder (or ``listable=False``...) is
    absent from the library, the CLI and the emulator alike.
    """

    path: str
    model: ModelRef
    attribute: str
    cli: Cli
    paging: PagingStyle = PagingStyle.NUMBER
    max_page_size: int = 100
    id_noun: str = "an id"
    filters: tuple[Filter, ...] = ()
    add: BodyBuilder | None = None
    update: BodyBuilder | None = None
    gettable: bool = True
    deletable: bool = True
    #: The item field people name items by (``"name"``): the CLI then takes a name for an id.
    name_field: str | None = None
    #: The filter narrowing a listing to names containing a text (used to find a name).
    name_filter: str | None = None
    #: An id check other than a UUID's (``(value, name) -> value``, ``ValueError`` if bad).
    id_check: Callable[[str, str], str] | None = None

    @property
    def model_class(self) -> type[ModelT]:
        """The items' model class (its module is imported on first use)."""
        model: type[ModelT] = resolve_model(self.model)
        return model

    @property
    def operations(self) -> tuple[str, ...]:
        """The operations the API has for this collection, in CLI order."""
        present = {
            "list": True,
            "get": self.gettable,
            "add": self.add is not None,
            "update": self.update is not None,
            "delete": self.deletable,
        }
        return tuple(name for name, there in present.items() if there)

    def check_id(self, value: str, name: str = "id") -> str:
        """``value`` as a lower-case UUID (or the declared id check), else ``ValueError``."""
        if self.id_check is not None:
            return self.id_check(value, name)
        return check_uuid(value, name, noun=self.id_noun)

    def list_params(self, filters: Mapping[str, Any]) -> dict[str, Any]:
        """The query parameters of a listing, each filter checked (``TypeError`` for unknown)."""
        known = {f.name: f for f in self.filters}
        unknown = set(filters) - set(known)
        if unknown:
            raise TypeError(f"unexpected filter(s): {', '.join(sorted(unknown))}")
        return {
            known[name].api_name: known[name].check(value)
            for name, value in filters.items()
            if value is not None
        }


def matching_names(rows: Sequence[Mapping[str, Any]], name: str, field: str = "name") -> list[Any]:
    """The rows whose ``field`` is ``name``, ignoring case (exact otherwise).

    >>> matching_names([{"name": "Sales"}, {"name": "sales"}, {"name": "Sales EU"}], "SALES")
    [{'name': 'Sales'}, {'name': 'sales'}]
    """
    wanted = name.strip().casefold()
    return [row for row in rows if str(row.get(field) or "").casefold() == wanted]


def one_named(rows: Sequence[Mapping[str, Any]], name: str, nouns: str) -> Any:
    """The one row named ``name`` (ignoring case), else :class:`LookupError` saying how many
    ``nouns`` have that name, and which ("id (name)").

    >>> one_named([{"id": "7", "name": "Sales"}, {"id": "8", "name": "HR"}], "sales", "groups")
    {'id': '7', 'name': 'Sales'}
    >>> one_named([{"id": "7", "name": "Sales"}, {"id": "9", "name": "SALES"}], "sales", "groups")
    Traceback (most recent call last):
    LookupError: 2 groups are named 'sales': 7 (Sales), 9 (SALES)
    """
    matches = matching_names(rows, name)
    if len(matches) != 1:
        found = ", ".join(f"{row.get('id')} ({row.get('name')})" for row in matches)
        raise LookupError(
            f"{len(matches)} {nouns} are named {name!r}" + (f": {found}" if found else "")
        )
    return matches[0]


def nothing_to_update(body: dict[str, Any], names: str) -> dict[str, Any]:
    """``body`` unless it is empty (then ``ValueError``: "nothing to update: give ...")."""
    if not body:
        raise ValueError(f"nothing to update: give {names}")
    return body


__all__ = [
    "BodyBuilder",
    "Cli",
    "Collection",
    "CommandHelp",
    "Filter",
    "Option",
    "matching_names",
    "nothing_to_update",
    "one_named",
]
