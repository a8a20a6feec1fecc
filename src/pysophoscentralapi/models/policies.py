"""Endpoint policies (``/endpoint/v1/policies``): settings applied to users, groups and endpoints.

Each policy type has a base policy (applies to everything not covered by another policy) and any
number of custom ones. A policy's ``settings`` map setting keys to their value::

    >>> p = Policy.model_validate({"id": "p1", "name": "Servers", "type": "threat-protection",
    ...     "settings": {"endpoint.malware.enabled": {"value": True, "recommendedValue": True}}})
    >>> p.settings["endpoint.malware.enabled"].value
    True
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from pysophoscentralapi._enums.endpoint_collections import KNOWN_POLICY_TYPES
from pysophoscentralapi.models._base import ApiBool, IdNameRef, SophosModel, Timestamp


class PolicySetting(SophosModel):
    """One setting of a policy: its ``value`` (and, where the API gives them, the recommended
    value, a ``format`` and a ``unit``)."""

    value: Any = None
    recommended_value: Any = None
    format: str | None = None
    unit: str | None = None


class PolicyTenant(IdNameRef):
    """The tenant a policy belongs to."""


class Policy(SophosModel):
    """An endpoint policy."""

    id: str
    name: str | None = None
    type: str | None = None
    locked_by_managing_account: ApiBool | None = None
    priority: int | None = None
    tenant: PolicyTenant | None = None
    enabled: ApiBool | None = None
    settings: dict[str, PolicySetting] = Field(default_factory=dict)
    applies_to: dict[str, Any] = Field(default_factory=dict)
    disable_at: Timestamp | None = None


class SettingDefinition(SophosModel):
    """A setting a policy type has: its key (``name``), kind and default."""

    name: str
    description: str | None = None
    type: str | None = None
    default_value: Any = None


class SettingGroup(SophosModel):
    """A group of setting definitions in the catalogue."""

    items: list[SettingDefinition] = Field(default_factory=list)


class PolicySettingsCatalogue(SophosModel):
    """``GET /policies/settings``: the settings a policy type has (and their JSON schemas)."""

    version: str | None = None
    schemas: dict[str, Any] = Field(default_factory=dict)
    items: list[SettingGroup] = Field(default_factory=list)

    def definitions(self) -> list[SettingDefinition]:
        """Every setting definition, all groups together."""
        return [definition for group in self.items for definition in group.items]


__all__ = [
    "KNOWN_POLICY_TYPES",
    "Policy",
    "PolicySetting",
    "PolicySettingsCatalogue",
    "PolicyTenant",
    "SettingDefinition",
    "SettingGroup",
]
