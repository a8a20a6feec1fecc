"""``pysophos endpoint policies``: list, read, change, clone and reset endpoint policies.

``list|create|delete`` come from the declaration
(:data:`~pysophoscentralapi._families.policies.POLICIES`); ``get``, ``settings``, ``update``,
``reset`` and ``clone`` take a policy (id or name, ignoring case) or ``--base TYPE`` for the base
policy of a type::

    pysophos endpoint policies settings Developers
    pysophos endpoint policies update --base threat-protection --set endpoint.pua.enabled=false --yes
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from pysophoscentralapi._families.policies import POLICIES, check_policy_type
from pysophoscentralapi.cli._collection import (
    collection_group,
    help_text,
    resolve_id,
    with_options,
)
from pysophoscentralapi.cli._context import CliContext
from pysophoscentralapi.cli._output import OutputOptions, output_options, record_options
from pysophoscentralapi.cli._params import one_record, value_errors_as_usage
from pysophoscentralapi.cli._safety import Change, one_change, pass_change

__all__ = ["policies"]

F = TypeVar("F", bound=Callable[..., Any])

_CLI = "pysophos endpoint policies"
COLUMNS = list(POLICIES.cli.columns)
SETTING_COLUMNS = ["key", "value", "recommendedValue", "unit", "format"]

policies = collection_group(POLICIES)

_policy_argument = click.argument("policy", metavar="[POLICY]", required=False)
_base_option = click.option(
    "--base", "base", metavar="TYPE", help="The base policy of TYPE instead of POLICY."
)


def _settings_parameters(command: F) -> F:
    """What ``settings`` and ``reset`` take: POLICY or ``--base TYPE``, ``--key KEY`` for one
    setting, and the output options of the settings table."""
    command = output_options(columns=SETTING_COLUMNS)(command)
    command = click.option("--key", metavar="KEY", help="Only this setting.")(command)
    return _policy_argument(_base_option(command))


#: The base-policy twin of each per-policy method of ``central.policies``.
_BASE_METHODS = {
    "get": "base",
    "settings": "base_settings",
    "setting": "base_setting",
    "update": "update_base",
    "reset_settings": "reset_base_settings",
    "reset_setting": "reset_base_setting",
    "clone": "clone_base",
}


class _Target:
    """A policy (by id) or the base policy of a type: exactly one of POLICY and --base."""

    def __init__(self, cli: CliContext, policy: str | None, base: str | None) -> None:
        if (policy is None) == (base is None):
            raise click.UsageError("give a POLICY (id or name) or --base TYPE, not both")
        self.policy_type: str | None = None
        self.policy_id: str | None = None
        if base is not None:
            with value_errors_as_usage():
                self.policy_type = check_policy_type(base, "--base")
        else:
            assert policy is not None
            self.policy_id = resolve_id(cli, POLICIES, policy)

    @property
    def label(self) -> str:
        return self.policy_id or f"base {self.policy_type}"

    def call(self, resource: Any, method: str, *args: Any, **kwargs: Any) -> Any:
        """``resource.<method>(policy_id, ...)``, or its base twin with the type."""
        if self.policy_id is not None:
            return getattr(resource, method)(self.policy_id, *args, **kwargs)
        with value_errors_as_usage():
            return getattr(resource, _BASE_METHODS[method])(self.policy_type, *args, **kwargs)


def _setting_rows(settings: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"key": key, **setting.to_api()} for key, setting in settings.items()]


@policies.command(
    "get",
    help=help_text(
        "Show one policy (by id or name), or the base policy of a type.",
        [f"{_CLI} get Developers -o json", f"{_CLI} get --base threat-protection"],
    ),
)
@_policy_argument
@_base_option
@record_options(model=POLICIES.model)
@click.pass_obj
def get_policy(
    cli: CliContext, output: OutputOptions, policy: str | None, base: str | None
) -> None:
    found = _Target(cli, policy, base).call(cli.client().policies, "get")
    cli.write_object(output, found.to_api(), title="Policy")


@policies.command(
    "settings",
    help=help_text(
        "Show a policy's settings (one row per key), or one setting with --key.",
        [
            f"{_CLI} settings Developers",
            f"{_CLI} settings --base threat-protection --key endpoint.malware.enabled -o json",
        ],
    ),
)
@_settings_parameters
@click.pass_obj
def show_settings(
    cli: CliContext,
    *,
    output: OutputOptions,
    policy: str | None,
    base: str | None,
    key: str | None,
) -> None:
    target = _Target(cli, policy, base)
    resource = cli.client().policies
    if key is not None:
        one_record(output, form="settings --key KEY")
        one = target.call(resource, "setting", key)
        cli.write_object(output, {"key": key, **one.to_api()}, title="Setting")
        return
    cli.write_rows(output, _setting_rows(target.call(resource, "settings")), title="Settings")


@_policy_argument
@_base_option
@one_change(model=POLICIES.model)
def update_policy(
    change: Change,
    /,
    policy: str | None,
    base: str | None,
    **values: Any,
) -> None:
    given = {k: v for k, v in values.items() if v is not None}
    if not given:
        raise click.UsageError("nothing to change: give --name, --enabled, --priority or --set")
    assert POLICIES.update is not None
    with value_errors_as_usage():
        POLICIES.update(**given)  # every check, before confirming
    target = _Target(change.cli, policy, base)
    change.confirm(f"change the policy {target.label}")
    changed = target.call(change.client().policies, "update", **given)
    change.show(changed, title="Policy updated")


policies.command("update", help=help_text(*POLICIES.cli.help_for("update")))(
    with_options(update_policy, POLICIES.cli.update_options)
)


@policies.command(
    "reset",
    help=help_text(
        "Put a policy's settings (or one, with --key) back to their recommended values.",
        [
            f"{_CLI} reset Developers --yes",
            f"{_CLI} reset --base threat-protection --key endpoint.pua.enabled --yes",
        ],
    ),
)
@_settings_parameters
@pass_change
def reset(
    change: Change,
    *,
    policy: str | None,
    base: str | None,
    key: str | None,
) -> None:
    target = _Target(change.cli, policy, base)
    what = f"setting {key}" if key else "every setting"
    change.confirm(f"reset {what} of the policy {target.label}")
    resource = change.client().policies
    if key is not None:
        rows = [{"key": key, **target.call(resource, "reset_setting", key).to_api()}]
    else:
        rows = _setting_rows(target.call(resource, "reset_settings"))
    if not change.dry_run:
        change.cli.write_rows(change.output, rows)


@policies.command(
    "clone",
    help=help_text(
        "Copy a policy (or the base policy of a type) under a new name.",
        [
            f'{_CLI} clone Developers --name "Developers (EU)" --yes',
            f'{_CLI} clone --base threat-protection --name "Servers" --yes',
        ],
    ),
)
@_policy_argument
@_base_option
@click.option("--name", required=True, metavar="NAME", help="The new policy's name.")
@one_change(model=POLICIES.model)
def clone(
    change: Change,
    *,
    policy: str | None,
    base: str | None,
    name: str,
) -> None:
    if not name.strip():
        raise click.BadParameter("must not be empty.", param_hint="--name")
    target = _Target(change.cli, policy, base)
    change.confirm(f"clone the policy {target.label} as {name}")
    copy = target.call(change.client().policies, "clone", name)
    change.show(copy, title="Policy created")
