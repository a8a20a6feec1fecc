"""Endpoint policies (``/endpoint/v1/policies``), declared once.

The policy list is a :class:`~pysophoscentralapi._collection.Collection`; settings, clones and
the base policy of each type are the namespace's own methods.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pysophoscentralapi._collection import Cli, Collection, Filter, Option, nothing_to_update
from pysophoscentralapi._enums.endpoint_collections import KNOWN_POLICY_TYPES
from pysophoscentralapi._validation import check_form, check_text, check_uuids

if TYPE_CHECKING:
    from pysophoscentralapi.models.policies import Policy

POLICIES_PATH = "/endpoint/v1/policies"
_CLI = "pysophos endpoint policies"
#: The forms a policy type and a setting key take (patterns: compiled by ``re`` on first use).
_TYPE_FORM = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
_KEY_FORM = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
#: ``appliesTo`` lists: people, groups of people, endpoints and endpoint groups.
APPLIES_TO_KEYS = ("users", "userGroups", "endpoints", "endpointGroups")


def check_policy_type(value: str, name: str = "policy_type") -> str:
    """A policy type (``threat-protection``...): lower-case words joined by hyphens.

    >>> check_policy_type("threat-protection")
    'threat-protection'
    """
    known = ", ".join(KNOWN_POLICY_TYPES)
    return check_form(value, name, _TYPE_FORM, f"a policy type (such as {known})")


def check_setting_key(value: str, name: str = "key") -> str:
    """A setting key such as ``endpoint.malware.enabled``."""
    return check_form(value, name, _KEY_FORM, "a setting key (like endpoint.malware.enabled)")


def settings_body(settings: Mapping[str, Any]) -> dict[str, Any]:
    """``{key: value}`` (or ``{key: {"value": value}}``) as the API's settings object."""
    if not isinstance(settings, Mapping) or not settings:
        raise ValueError("settings: give at least one {key: value}")
    body: dict[str, Any] = {}
    for key, value in settings.items():
        wrapped = value if isinstance(value, Mapping) and "value" in value else {"value": value}
        body[check_setting_key(key, "settings")] = dict(wrapped)
    return body


def parse_setting(text: str) -> tuple[str, Any]:
    """``KEY=VALUE`` of the CLI's ``--set``: the value as JSON when it is JSON, else a string.

    >>> parse_setting("endpoint.malware.enabled=false")
    ('endpoint.malware.enabled', False)
    >>> parse_setting("endpoint.scans.scheduled.hour=21:00")
    ('endpoint.scans.scheduled.hour', '21:00')
    """
    import json  # here: every `endpoint policies` --help imports this module (json ~2 ms)

    key, sep, raw = text.partition("=")
    if not sep:
        raise ValueError(f"--set: {text!r} is not KEY=VALUE")
    try:
        value = json.loads(raw)
    except ValueError:
        value = raw
    return check_setting_key(key, "--set"), value


def _applies_to(applies_to: Mapping[str, Any]) -> dict[str, list[str]]:
    unknown = set(applies_to) - set(APPLIES_TO_KEYS)
    if unknown:
        raise ValueError(f"applies_to: unknown key(s) {', '.join(sorted(unknown))}")
    return {key: check_uuids(list(ids), f"applies_to.{key}", noun="an id", allow_empty=True)
            for key, ids in applies_to.items()}  # fmt: skip


def policy_update_body(
    *,
    name: str | None = None,
    enabled: bool | None = None,
    priority: int | None = None,
    disable_at: datetime | str | None = None,
    applies_to: Mapping[str, Any] | None = None,
    settings: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Change a policy; only the arguments given are sent (``settings``: ``{key: value}``)."""
    body: dict[str, Any] = {}
    if name is not None:
        body["name"] = check_text(name, "name")
    if enabled is not None:
        if not isinstance(enabled, bool):
            raise ValueError("enabled: must be True or False")
        body["enabled"] = enabled
    if priority is not None:
        if isinstance(priority, bool) or not isinstance(priority, int) or priority < 1:
            raise ValueError(f"priority: {priority!r} is not a positive whole number")
        body["priority"] = priority
    if disable_at is not None:
        body["disableAt"] = (
            disable_at.isoformat() if isinstance(disable_at, datetime) else str(disable_at)
        )
    if applies_to is not None:
        body["appliesTo"] = _applies_to(applies_to)
    if settings is not None:
        body["settings"] = settings_body(settings)
    return nothing_to_update(body, "name, enabled, priority, disable_at, applies_to or settings")


def policy_body(name: str, *, type: str, **fields: Any) -> dict[str, Any]:
    """Create a policy of ``type`` (its settings start as the base policy's); ``fields`` are
    those of :func:`policy_update_body` (``enabled``, ``priority``, ``settings``...)."""
    body = {"name": check_text(name, "name"), "type": check_policy_type(type, "type")}
    given = {key: value for key, value in fields.items() if value is not None}
    if given:
        body.update(policy_update_body(**given))
    return body


POLICIES: Collection[Policy] = Collection(
    path=POLICIES_PATH,
    model="pysophoscentralapi.models.policies:Policy",
    attribute="policies",
    name_field="name",
    filters=(
        Filter("policy_type", "Only policies of this type.", param="policyType", field="type"),
    ),
    add=policy_body,
    update=policy_update_body,
    cli=Cli(
        group="policies",
        noun="policy",
        parent="pysophos endpoint",
        columns=("id", "name", "type", "enabled", "priority", "lockedByManagingAccount"),
        verbs={"add": "create"},
        hand_written=("get", "update"),
        add_options=(
            Option("name", "The policy's name.", argument=True),
            Option("type", f"Its type ({', '.join(KNOWN_POLICY_TYPES)}...).", required=True),
            Option("enabled", "Turn it on / off.", kind="bool"),
            Option("priority", "Its priority (1 is the highest).", kind="int"),
        ),
        update_options=(
            Option("name", "The new name."),
            Option("enabled", "Turn it on / off.", kind="bool"),
            Option("priority", "The new priority.", kind="int"),
            Option(
                "settings",
                "A setting: KEY=VALUE (repeatable; VALUE is JSON or text).",
                kind="settings",
                cli_flag="--set",
                metavar="KEY=VALUE",
            ),
        ),
        describe_add=lambda v: f"create the {v['type']} policy {v['name']}",
        help={
            "group": (
                "Endpoint policies: list them, read and change their settings, clone them. "
                "Policies are named by id or by name (ignoring case); --base TYPE picks the "
                "base policy of a type.",
                [
                    f"{_CLI} list --policy-type threat-protection",
                    f"{_CLI} settings --base threat-protection",
                    f'{_CLI} clone --base threat-protection --name "Servers" --yes',
                ],
            ),
            "list": [f"{_CLI} list", f"{_CLI} list --policy-type peripheral-control -o csv"],
            "get": (
                "Show one policy (by id or name).",
                [f'{_CLI} get "Developers" -o json'],
            ),
            "create": (
                "Create a policy of a type (its settings start as the base policy's).",
                [f'{_CLI} create "Kiosk lockdown" --type peripheral-control --enabled --yes'],
            ),
            "update": (
                "Change a policy: its name, state, priority or settings (--set KEY=VALUE). "
                "With --base TYPE, the base policy's settings.",
                [
                    f"{_CLI} update Developers --set endpoint.malware.enabled=true --yes",
                    f"{_CLI} update --base threat-protection "
                    "--set endpoint.scans.scheduled.hour='\"21:00\"' --yes",
                    f"{_CLI} update Developers --no-enabled --yes",
                ],
            ),
            "delete": (
                "Delete policies (a base policy cannot be deleted: exit 4).",
                [f"{_CLI} delete Developers --yes"],
            ),
        },
    ),
)
