"""A click group whose named sub-commands are imported when used, not when the group is.

``pysophos endpoint --help`` lists its sub-groups from a table of summaries; a sub-group's module
(its declared collections, its click commands) is imported only when that sub-group runs or
prints its own help.
"""

from __future__ import annotations

import functools
import gc
import importlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import click

from pysophoscentralapi._decode import gc_paused

__all__ = ["DeferredGroup", "LazySubcommands", "age_start_up", "freeze_start_up", "import_command"]

#: whether this process froze its start-up (:func:`freeze_start_up`); a flag, because asking
#: ``gc.get_freeze_count()`` counts every frozen object (~1 ms at a help text's size)
_START_UP = {"frozen": False}


def age_start_up() -> None:
    """Move what the process has built so far to the collector's oldest generation, unscanned.

    Called at the end of an import done with the collector paused: otherwise the first
    collection after the pause would scan all of it at once, young as it all is (~1 ms of every
    ``pysophos`` run). ``gc.freeze`` then ``gc.unfreeze`` is that move; it is skipped in a
    process that froze objects itself (unfreezing would hand them back to the collector).
    """
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()


def freeze_start_up() -> None:
    """:func:`gc.freeze` what is imported by now (it lives until exit: no collection, the one at
    exit included, need scan it again), and what :func:`import_command` imports later too."""
    gc.freeze()
    _START_UP["frozen"] = True


@contextmanager
def _building_commands() -> Iterator[None]:
    """Build commands: thousands of objects that live until exit (their options, the modules
    they import), which the cyclic garbage collector would only rescan: it is paused meanwhile.
    In a process that froze its start-up (the ``pysophos`` entry point, :func:`freeze_start_up`)
    they are frozen too, so that no later collection, the one at exit included, scans them again.
    """
    with gc_paused():
        yield
        if _START_UP["frozen"]:
            gc.freeze()


def import_command(module_name: str, attribute: str) -> click.Command:
    """The click command ``attribute`` of the module ``module_name``, imported now (with the
    collector paused: :func:`_building_commands`)."""
    with _building_commands():
        command = getattr(importlib.import_module(module_name), attribute)
    assert isinstance(command, click.Command)
    return command


def _built(build: Callable[[], click.Command]) -> click.Command:
    with _building_commands():
        return build()


class LazySubcommands(click.Group):
    """A :class:`click.Group` with ``lazy_commands``: name -> (module, attribute, summary),
    imported when used, and ``built_commands``: name -> (build, summary), built when used by
    ``build()`` (from a declaration); its ``--help`` lists them by their summaries.

    The summary is the first paragraph of the command's help (a test checks they agree).

    Example::

        @click.group("endpoint", cls=LazySubcommands, lazy_commands={
            "policies": ("pysophoscentralapi.cli.commands.policies", "policies", "Policies."),
        })
        def endpoint() -> None: ...
    """

    def __init__(
        self,
        *args: Any,
        lazy_commands: Mapping[str, tuple[str, str, str]] = {},
        built_commands: Mapping[str, tuple[Callable[[], click.Command], str]] = {},
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        #: name -> (what makes the command, its summary)
        self.lazy_commands: dict[str, tuple[Callable[[], click.Command], str]] = {
            name: (functools.partial(import_command, module, attribute), summary)
            for name, (module, attribute, summary) in lazy_commands.items()
        }
        for name, (build, summary) in built_commands.items():
            self.lazy_commands[name] = (functools.partial(_built, build), summary)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.lazy_commands:
            return super().get_command(ctx, cmd_name)
        if cmd_name not in self.commands:
            make, _ = self.lazy_commands[cmd_name]
            self.add_command(make(), cmd_name)
        # Not through super(): beside a DeferredGroup, a lazy command's lookup populates nothing.
        return self.commands[cmd_name]

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        names = [
            name
            for name in self.list_commands(ctx)
            if name in self.lazy_commands or not self.commands[name].hidden
        ]
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            if name in self.lazy_commands and name not in self.commands:
                # Worded as click words a loaded command's (a stand-in with the same help).
                stand_in = click.Command(name, help=self.lazy_commands[name][1])
                rows.append((name, stand_in.get_short_help_str(limit)))
            else:
                rows.append((name, self.commands[name].get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


class DeferredGroup(click.Group):
    """A :class:`click.Group` whose sub-commands ``populate(group)`` adds the first time one is
    listed or looked up (with the collector paused, as :func:`import_command` imports): a
    parent's ``--help`` lists the group by its own help alone.

    Commands added before that (``group.add_command``, ``@group.command``) are kept.

    Example::

        group = DeferredGroup("allowed-items", help="...", populate=add_operations)
    """

    def __init__(self, *args: Any, populate: Callable[[click.Group], None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._populate: Callable[[click.Group], None] | None = populate

    def _populated(self) -> None:
        if self._populate is not None:
            populate, self._populate = self._populate, None
            with _building_commands():
                populate(self)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._populated()
        return super().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        self._populated()
        return super().get_command(ctx, cmd_name)
