"""``pysophos endpoint``: list, inspect, scan, isolate and delete endpoints; tamper protection.

Every filter and id is checked before anything is sent: a bad value is a usage error (exit 2)
naming the option and the valid values. Commands that take ids read them from arguments, from
``-`` (stdin, one or more per line) or ``@FILE``, so listings pipe into actions::

    pysophos endpoint list --health-status bad -o json | jq -r '.[].id' | pysophos endpoint scan - --yes

This module is the group alone: its commands are imported when used (see ``cli._lazy``), the
group's own from :mod:`.endpoint_commands`, so that ``pysophos endpoint settings --help`` does
not build ``endpoint list``'s options.
"""

from __future__ import annotations

import click

from pysophoscentralapi.cli._lazy import LazySubcommands

__all__ = ["LAZY_SUBGROUPS", "OWN_COMMANDS", "endpoint"]

_COMMANDS = "pysophoscentralapi.cli.commands"
_OWN = f"{_COMMANDS}.endpoint_commands"
#: The group's own commands (:mod:`.endpoint_commands`): name -> (module, attribute, summary).
OWN_COMMANDS: dict[str, tuple[str, str, str]] = {
    "list": (_OWN, "list_endpoints", "List endpoints, filtered by the API."),
    "get": (_OWN, "get_endpoint", "Show one endpoint."),
    "scan": (_OWN, "scan", "Start a scan on endpoints."),
    "update-check": (_OWN, "update_check", "Ask endpoints to check for Sophos agent updates."),
    "isolate": (
        _OWN,
        "isolate",
        "Isolate endpoints from the network (they keep talking to Sophos Central).",
    ),
    "unisolate": (_OWN, "unisolate", "Take endpoints out of isolation."),
    "delete": (
        _OWN,
        "delete_endpoints",
        "Delete endpoints from Sophos Central (the software on them is not uninstalled).",
    ),
    "tamper": (_OWN, "tamper", "Tamper protection of one endpoint: status, turn on/off, password."),
}
#: The sub-commands declared in their own modules, imported when used (see ``cli._lazy``).
LAZY_SUBGROUPS: dict[str, tuple[str, str, str]] = {
    "aap": (f"{_COMMANDS}.endpoint_requests", "aap", "Adaptive attack protection of one endpoint."),
    "downloads": (
        f"{_COMMANDS}.endpoint_requests",
        "downloads",
        "List the tenant's endpoint installers and their download URLs.",
    ),
    "forensic-log": (
        f"{_COMMANDS}.endpoint_requests",
        "forensic_log",
        "Forensic logs of one endpoint: ask for one, then follow it.",
    ),
    "memory-dump": (
        f"{_COMMANDS}.endpoint_requests",
        "memory_dump",
        "Memory dumps of one endpoint: ask for one, then follow it.",
    ),
    "groups": (
        f"{_COMMANDS}.endpoint_groups",
        "groups",
        "Endpoint groups: computers or servers managed together.",
    ),
    "migrations": (
        f"{_COMMANDS}.migrations",
        "migrations",
        "Move endpoints between two tenants of the same partner: the receiving tenant starts a "
        "job (receive), the sending tenant accepts it with the job's token (send), then status "
        "shows each endpoint's progress.",
    ),
    "policies": (
        f"{_COMMANDS}.policies",
        "policies",
        "Endpoint policies: list them, read and change their settings, clone them.",
    ),
    "settings": (
        f"{_COMMANDS}.endpoint_settings",
        "settings",
        "Endpoint settings: allowed and blocked applications, web-control local sites, "
        "scanning exclusions, global tamper protection.",
    ),
    "software": (
        f"{_COMMANDS}.software",
        "software",
        "Software packages: Sophos Recommended, static (fixed versions), and comments on them.",
    ),
}


@click.group("endpoint", cls=LazySubcommands, lazy_commands={**OWN_COMMANDS, **LAZY_SUBGROUPS})
def endpoint() -> None:
    """Endpoints: list, get, scan, isolate, delete; tamper protection; settings.

    \b
    Examples:
      pysophos endpoint list --health-status bad,suspicious --last-seen-after 7d
      pysophos endpoint get 6f1c0e1a-2b3c-4d5e-8f90-112233445566 -o json
      pysophos endpoint scan ID... --yes
      pysophos endpoint update-check ID... --yes
      pysophos endpoint isolate ID... --comment "INC-42" --yes
      pysophos endpoint unisolate ID... --comment "cleaned" --yes
      pysophos endpoint delete ID... --dry-run
      pysophos endpoint tamper get ID
      pysophos endpoint tamper update ID --enable --regenerate-password --yes
      pysophos endpoint tamper password ID
      pysophos endpoint settings --help
      pysophos endpoint list --health-status bad -o json | jq -r '.[].id' | pysophos endpoint scan - --yes
    """
