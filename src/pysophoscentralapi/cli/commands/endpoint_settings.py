"""``pysophos endpoint settings``: allowed and blocked applications, web-control local sites,
scanning exclusions and the global tamper protection switch.

Every value is checked before anything is sent (exit 2 naming the option and the valid values).
Adding, changing and deleting ask for confirmation on a terminal, need ``--yes`` otherwise, and
show the requests instead of sending them with ``--dry-run``::

    pysophos endpoint settings blocked-items add --sha256 <64 hex> --comment "ransomware" --yes
    pysophos endpoint settings allowed-items list -o csv --output-file allowed.csv

The settings lists are declared in :mod:`pysophoscentralapi._families.endpoint_settings`; their
commands are built by :func:`~pysophoscentralapi.cli._collection.collection_group`. The commands
written by hand are in :mod:`.endpoint_settings_commands` (a module per group), imported when
their group is used.
"""

from __future__ import annotations

import click

from pysophoscentralapi.cli._lazy import DeferredGroup, LazySubcommands

__all__ = ["HAND_WRITTEN_COMMANDS", "HAND_WRITTEN_GROUPS", "settings"]

_HAND_WRITTEN = "pysophoscentralapi.cli.commands.endpoint_settings_commands"
#: The groups written by hand: name -> (module, attribute, summary), imported when used.
HAND_WRITTEN_GROUPS: dict[str, tuple[str, str, str]] = {
    "tls-decryption": (
        f"{_HAND_WRITTEN}.tls_decryption",
        "tls_decryption",
        "Web-control TLS decryption per web category.",
    ),
    "event-journal": (
        f"{_HAND_WRITTEN}.event_journal",
        "event_journal",
        "How much disk the event journal of computers or servers may use.",
    ),
    "tamper-protection": (
        f"{_HAND_WRITTEN}.tamper_protection",
        "tamper_protection",
        "The tenant-wide tamper protection switch (read-only in the API).",
    ),
}


def _hand_written(
    group: str, commands: dict[str, tuple[str, str]]
) -> dict[str, tuple[str, str, str]]:
    module = f"{_HAND_WRITTEN}.{group.replace('-', '_')}"
    return {name: (module, attribute, summary) for name, (attribute, summary) in commands.items()}


#: The commands written by hand beside a declared collection's: group -> name -> (module,
#: attribute, summary), imported when used (the module: ``endpoint_settings_commands.<group>``).
HAND_WRITTEN_COMMANDS = {
    group: _hand_written(group, commands)
    for group, commands in {
        "blocked-addresses": {
            "add": (
                "block_addresses",
                "Block IP addresses, networks (a.b.c.d/n) or ranges (a-b), IPv4 or IPv6, in one "
                "request.",
            ),
            "delete": (
                "unblock_addresses",
                "Unblock addresses by id, in one request; one result row per id (exit 4 when some "
                "could not be deleted).",
            ),
        },
        "exploit-mitigation": {
            "categories": (
                "exploit_categories",
                "List the application categories and their mitigation settings.",
            ),
        },
        "tls-excluded-websites": {
            "add": ("add_websites", "Exclude websites from TLS decryption."),
            "remove": (
                "remove_websites",
                "Decrypt websites again: remove them from the exclusions (or all with --all).",
            ),
        },
    }.items()
}


class _SettingsGroup(LazySubcommands, DeferredGroup):
    """The hand-written groups are imported when used (a :class:`LazySubcommands`); the declared
    collections' groups are added when the commands are listed or any other is looked up (a
    :class:`DeferredGroup`): a hand-written group's ``--help`` imports no declaration."""


def _add_collection_groups(settings: click.Group) -> None:
    from pysophoscentralapi._families.endpoint_settings import SETTINGS_COLLECTIONS
    from pysophoscentralapi.cli._collection import collection_group

    for collection in SETTINGS_COLLECTIONS:
        hand_written = HAND_WRITTEN_COMMANDS.get(collection.cli.group, {})
        settings.add_command(collection_group(collection, hand_written=hand_written))


@click.group(
    "settings",
    cls=_SettingsGroup,
    lazy_commands=HAND_WRITTEN_GROUPS,
    populate=_add_collection_groups,
)
def settings() -> None:
    """Endpoint settings: allowed and blocked applications, web-control local sites, scanning
    exclusions, global tamper protection.

    \b
    Examples:
      pysophos endpoint settings allowed-items list
      pysophos endpoint settings blocked-items add --sha256 <64 hex> --comment "malware" --yes
      pysophos endpoint settings web-control add intranet.example.com --category-id 50 --yes
      pysophos endpoint settings exclusions list --type process
      pysophos endpoint settings tamper-protection get
    """
