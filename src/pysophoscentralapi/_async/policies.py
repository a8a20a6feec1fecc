"""Endpoint policies: ``central.policies``.

The policy list (list/get/create/update/delete) is the declared collection; each policy's
settings, its clone and the base policy of each type are methods here::

    async with AsyncSophosCentral.from_config() as central:
        policy = await central.policies.find("Developers")
        await central.policies.update_settings(policy.id, {"endpoint.malware.enabled": True})
        copy = await central.policies.clone(policy.id, "Developers (copy)")
        base = await central.policies.base("threat-protection")
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pysophoscentralapi._async._collection import AsyncCrud
from pysophoscentralapi._collection import one_named
from pysophoscentralapi._families.policies import (
    POLICIES,
    POLICIES_PATH,
    check_policy_type,
    check_setting_key,
    policy_update_body,
    settings_body,
)
from pysophoscentralapi._page import validate_item
from pysophoscentralapi._validation import check_text, check_uuid
from pysophoscentralapi.models.policies import Policy, PolicySetting, PolicySettingsCatalogue

__all__ = ["AsyncPolicies"]

Settings = dict[str, PolicySetting]


def _settings(body: Any) -> Settings:
    if not isinstance(body, dict):
        return {}
    return {key: validate_item(PolicySetting, value) for key, value in body.items()
            if isinstance(value, dict)}  # fmt: skip


class AsyncPolicies(AsyncCrud[Policy]):
    """Endpoint policies (``add`` is also ``create``).

    Example::

        async for policy in central.policies.list(policy_type="threat-protection"):
            print(policy.name, policy.enabled, policy.priority)
    """

    collection = POLICIES
    create = AsyncCrud.add

    def _policy(self, policy_id: str) -> str:
        return f"{POLICIES_PATH}/{check_uuid(policy_id, 'policy_id', noun='a policy id')}"

    def _base(self, policy_type: str) -> str:
        return f"{POLICIES_PATH}/{check_policy_type(policy_type)}/base"

    async def _settings_call(self, method: str, path: str, json: Any = None) -> Settings:
        answer = await self._request(method, path, json=json)
        return {} if self._dry_run else _settings(answer)

    async def find(self, name: str) -> Policy:
        """The one policy named ``name`` (ignoring case); :class:`LookupError` otherwise.

        Example::

            policy = await central.policies.find("developers")
        """
        rows = [row async for row in self.list().raw_items()]
        return validate_item(Policy, one_named(rows, name, "policies"))

    async def catalogue(self, policy_type: str) -> PolicySettingsCatalogue:
        """The settings a policy type has (``GET /policies/settings?policyType=``).

        Example::

            keys = [d.name for d in (await central.policies.catalogue("threat-protection")).definitions()]
        """
        params = {"policyType": check_policy_type(policy_type)}
        body = await self._request("GET", f"{POLICIES_PATH}/settings", params=params)
        return validate_item(PolicySettingsCatalogue, body)

    # --- one policy's settings ---------------------------------------------------------------

    async def settings(self, policy_id: str) -> Settings:
        """A policy's settings, by key.

        Example::

            enabled = (await central.policies.settings(policy.id))["endpoint.malware.enabled"].value
        """
        return await self._settings_call("GET", f"{self._policy(policy_id)}/settings")

    async def setting(self, policy_id: str, key: str) -> PolicySetting:
        """One setting of a policy (:class:`~pysophoscentralapi.NotFoundError` if unknown)."""
        path = f"{self._policy(policy_id)}/settings/{check_setting_key(key)}"
        return validate_item(PolicySetting, await self._request("GET", path))

    async def update_settings(self, policy_id: str, settings: Mapping[str, Any]) -> Settings:
        """Change some settings of a policy (``{key: value}``); the answer is all its settings.

        Example::

            await central.policies.update_settings(policy.id, {"endpoint.malware.enabled": False})
        """
        path = f"{self._policy(policy_id)}/settings"
        return await self._settings_call("PATCH", path, settings_body(settings))

    async def reset_settings(self, policy_id: str) -> Settings:
        """Put every setting of a policy back to its recommended value."""
        return await self._settings_call("POST", f"{self._policy(policy_id)}/settings/reset")

    async def reset_setting(self, policy_id: str, key: str) -> PolicySetting:
        """Put one setting of a policy back to its recommended value."""
        path = f"{self._policy(policy_id)}/settings/{check_setting_key(key)}/reset"
        return self._result(PolicySetting, await self._request("POST", path))

    async def clone(self, policy_id: str, name: str) -> Policy:
        """A copy of a policy under a new name.

        Example::

            copy = await central.policies.clone(policy.id, "Developers (copy)")
        """
        body = {"name": check_text(name, "name")}
        answer = await self._request("POST", f"{self._policy(policy_id)}/clone", json=body)
        return self._result(Policy, answer)

    # --- the base policy of a type ---------------------------------------------------------------

    async def base(self, policy_type: str) -> Policy:
        """The base policy of a type (it applies where no other policy does).

        Example::

            base = await central.policies.base("threat-protection")
        """
        return validate_item(Policy, await self._request("GET", self._base(policy_type)))

    async def update_base(self, policy_type: str, **fields: Any) -> Policy:
        """Change the base policy (``settings={key: value}``...: the arguments of ``update``)."""
        body = policy_update_body(**fields)
        return self._result(
            Policy, await self._request("PATCH", self._base(policy_type), json=body)
        )

    async def base_settings(self, policy_type: str) -> Settings:
        """The base policy's settings, by key."""
        return await self._settings_call("GET", f"{self._base(policy_type)}/settings")

    async def base_setting(self, policy_type: str, key: str) -> PolicySetting:
        """One setting of the base policy."""
        path = f"{self._base(policy_type)}/settings/{check_setting_key(key)}"
        return validate_item(PolicySetting, await self._request("GET", path))

    async def update_base_settings(self, policy_type: str, settings: Mapping[str, Any]) -> Settings:
        """Change some settings of the base policy; the answer is all its settings."""
        path = f"{self._base(policy_type)}/settings"
        return await self._settings_call("PATCH", path, settings_body(settings))

    async def update_base_setting(self, policy_type: str, key: str, value: Any) -> PolicySetting:
        """Change one setting of the base policy (``PATCH .../base/settings/{key}``).

        Example::

            await central.policies.update_base_setting("threat-protection", "endpoint.malware.enabled", True)
        """
        key = check_setting_key(key)
        path = f"{self._base(policy_type)}/settings/{key}"
        answer = await self._request("PATCH", path, json=settings_body({key: value}))
        return self._result(PolicySetting, answer)

    async def reset_base_settings(self, policy_type: str) -> Settings:
        """Put every setting of the base policy back to its recommended value."""
        return await self._settings_call("POST", f"{self._base(policy_type)}/settings/reset")

    async def reset_base_setting(self, policy_type: str, key: str) -> PolicySetting:
        """Put one setting of the base policy back to its recommended value."""
        path = f"{self._base(policy_type)}/settings/{check_setting_key(key)}/reset"
        return self._result(PolicySetting, await self._request("POST", path))

    async def clone_base(self, policy_type: str, name: str) -> Policy:
        """A new policy copied from the base policy of a type.

        Example::

            servers = await central.policies.clone_base("threat-protection", "Servers")
        """
        body = {"name": check_text(name, "name")}
        answer = await self._request("POST", f"{self._base(policy_type)}/clone", json=body)
        return self._result(Policy, answer)
