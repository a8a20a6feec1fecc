"""Extract a compact fixture of API facts from the official Sophos Central Postman collections.

Usage::

    python scripts/extract_api_facts.py [--source DIR] [--output FILE] [--check]

``DIR`` (default ``../shared/sophos-api`` relative to the repository root) holds the latest
collection, the 2025-01-21 one and ``operations.json`` (whose ``_source`` names the upstream commit).
The output (default ``tests/fidelity/api_facts.json``) lists, for each operation the emulator
serves: method, normalised path template, success status codes, the top-level response keys of the
latest collection's success example (plus one nested level for ``pages``, list ``items`` and small
objects) and which response fields carry enums. Enum members come from both collections' examples
and query-parameter samples (the 2025 one holds random members of the real enums), plus a few
members the collection never shows, each cited from API_NOTES. ``--check`` exits 1 when the file on
disk differs from what would be written. The collections themselves are not shipped.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = REPO.parent / "shared" / "sophos-api"
DEFAULT_OUTPUT = REPO / "tests" / "fidelity" / "api_facts.json"
LATEST = "sophos-central-apis.postman_collection.json"
OLDER = "sophos-central-apis.postman_collection.2025-01-21.json"
OPERATIONS = "operations.json"

# --- which operations ---------------------------------------------------------------------------

_ENDPOINT = "/endpoint/v1"
_SETTINGS = _ENDPOINT + "/settings"
_COMMON = "/common/v1"
_HEALTH = "/account-health-check/v1"
_PARTNER = "/partner/v1"
_ACCOUNTS = "/accounts/v1"

#: (method, path) of every operation the fixture covers; ``name`` disambiguates two on one path.
OPERATIONS_WANTED: list[tuple[str, str]] = [
    ("POST", "/api/v2/oauth2/token"),
    ("GET", "/whoami/v1"),
    ("GET", "/partner/v1/tenants"),
    ("POST", "/partner/v1/tenants"),
    ("GET", "/partner/v1/tenants/{tenantId}"),
    ("GET", "/organization/v1/tenants"),
    ("GET", "/organization/v1/tenants/{tenantId}"),
    # Endpoint API (API_NOTES §7.1, the part the emulator serves)
    ("GET", _ENDPOINT + "/endpoints"),
    ("POST", _ENDPOINT + "/endpoints/delete"),
    ("GET", _ENDPOINT + "/endpoints/{endpointId}"),
    ("DELETE", _ENDPOINT + "/endpoints/{endpointId}"),
    ("GET", _ENDPOINT + "/endpoints/{endpointId}/tamper-protection"),
    ("POST", _ENDPOINT + "/endpoints/{endpointId}/tamper-protection"),
    ("POST", _ENDPOINT + "/endpoints/{endpointId}/scans"),
    ("POST", _ENDPOINT + "/endpoints/{endpointId}/update-checks"),
    ("POST", _ENDPOINT + "/endpoints/isolation"),
    ("GET", _ENDPOINT + "/endpoints/{endpointId}/isolation"),
    ("PATCH", _ENDPOINT + "/endpoints/{endpointId}/isolation"),
    ("GET", _ENDPOINT + "/downloads"),
    ("GET", _ENDPOINT + "/endpoints/{endpointId}/adaptive-attack-protection"),
    ("POST", _ENDPOINT + "/endpoints/{endpointId}/adaptive-attack-protection"),
    ("POST", _ENDPOINT + "/endpoints/{endpointId}/forensic-logs"),
    ("GET", _ENDPOINT + "/endpoints/{endpointId}/forensic-logs/{forensicLogRequestId}"),
    ("POST", _ENDPOINT + "/endpoints/{endpointId}/memory-dumps"),
    ("GET", _ENDPOINT + "/endpoints/{endpointId}/memory-dumps/{memoryDumpRequestId}"),
    ("GET", _SETTINGS + "/tamper-protection"),
    ("GET", _SETTINGS + "/allowed-items"),
    ("POST", _SETTINGS + "/allowed-items"),
    ("GET", _SETTINGS + "/allowed-items/{allowedItemId}"),
    ("PATCH", _SETTINGS + "/allowed-items/{allowedItemId}"),
    ("DELETE", _SETTINGS + "/allowed-items/{allowedItemId}"),
    ("GET", _SETTINGS + "/blocked-items"),
    ("POST", _SETTINGS + "/blocked-items"),
    ("GET", _SETTINGS + "/blocked-items/{blockedItemId}"),
    ("DELETE", _SETTINGS + "/blocked-items/{blockedItemId}"),
    ("GET", _SETTINGS + "/web-control/local-sites"),
    ("POST", _SETTINGS + "/web-control/local-sites"),
    ("GET", _SETTINGS + "/web-control/local-sites/{localSiteId}"),
    ("PATCH", _SETTINGS + "/web-control/local-sites/{localSiteId}"),
    ("DELETE", _SETTINGS + "/web-control/local-sites/{localSiteId}"),
    ("GET", _SETTINGS + "/exclusions/scanning"),
    ("POST", _SETTINGS + "/exclusions/scanning"),
    ("GET", _SETTINGS + "/exclusions/scanning/{exclusionId}"),
    ("PATCH", _SETTINGS + "/exclusions/scanning/{exclusionId}"),
    ("DELETE", _SETTINGS + "/exclusions/scanning/{exclusionId}"),
    *[
        (method, _SETTINGS + f"/exclusions/{kind}" + tail)
        for kind in ("isolation", "intrusion-prevention")
        for method, tail in (
            ("GET", ""),
            ("POST", ""),
            ("GET", "/{exclusionId}"),
            ("PATCH", "/{exclusionId}"),
            ("DELETE", "/{exclusionId}"),
        )
    ],
    ("GET", _SETTINGS + "/blocked-addresses"),
    ("POST", _SETTINGS + "/blocked-addresses/bulk"),
    ("POST", _SETTINGS + "/blocked-addresses/bulk/delete"),
    ("GET", _SETTINGS + "/exploit-mitigation/applications"),
    ("POST", _SETTINGS + "/exploit-mitigation/applications"),
    ("GET", _SETTINGS + "/exploit-mitigation/applications/{exploitMitigationApplicationId}"),
    ("PATCH", _SETTINGS + "/exploit-mitigation/applications/{exploitMitigationApplicationId}"),
    ("DELETE", _SETTINGS + "/exploit-mitigation/applications/{exploitMitigationApplicationId}"),
    ("GET", _SETTINGS + "/exploit-mitigation/categories"),
    ("GET", _SETTINGS + "/exploit-mitigation/detected-exploits"),
    ("GET", _SETTINGS + "/exploit-mitigation/detected-exploits/{detectedExploitId}"),
    ("GET", _SETTINGS + "/peripheral-control/peripherals"),
    ("GET", _SETTINGS + "/peripheral-control/peripherals/{peripheralId}"),
    ("GET", _SETTINGS + "/web-control/categories"),
    ("GET", _SETTINGS + "/web-control/tls-decryption"),
    ("PATCH", _SETTINGS + "/web-control/tls-decryption"),
    ("GET", _SETTINGS + "/web-control/tls-decryption/excluded-websites"),
    ("PATCH", _SETTINGS + "/web-control/tls-decryption/excluded-websites"),
    ("DELETE", _SETTINGS + "/web-control/tls-decryption/excluded-websites"),
    ("GET", _SETTINGS + "/event-journal/{endpointType}"),
    ("PATCH", _SETTINGS + "/event-journal/{endpointType}"),
    ("GET", _ENDPOINT + "/migrations"),
    ("POST", _ENDPOINT + "/migrations"),
    ("GET", _ENDPOINT + "/migrations/{migrationJobId}"),
    ("PUT", _ENDPOINT + "/migrations/{migrationJobId}"),
    ("GET", _ENDPOINT + "/migrations/{migrationJobId}/endpoints"),
    ("GET", _ENDPOINT + "/software/packages/recommended"),
    ("GET", _ENDPOINT + "/software/packages/static"),
    ("GET", _ENDPOINT + "/software/packages/static/{staticPackageId}"),
    ("POST", _ENDPOINT + "/software/packages/static/{staticPackageId}/add"),
    ("GET", _ENDPOINT + "/software/comments"),
    ("GET", _ENDPOINT + "/software/comments/{staticPackageId}"),
    ("PUT", _ENDPOINT + "/software/comments/{staticPackageId}"),
    ("DELETE", _ENDPOINT + "/software/comments/{staticPackageId}"),
    # endpoint groups
    ("GET", _ENDPOINT + "/endpoint-groups"),
    ("POST", _ENDPOINT + "/endpoint-groups"),
    ("GET", _ENDPOINT + "/endpoint-groups/types/{groupType}"),
    ("GET", _ENDPOINT + "/endpoint-groups/{groupId}"),
    ("PATCH", _ENDPOINT + "/endpoint-groups/{groupId}"),
    ("DELETE", _ENDPOINT + "/endpoint-groups/{groupId}"),
    ("GET", _ENDPOINT + "/endpoint-groups/{groupId}/endpoints"),
    ("POST", _ENDPOINT + "/endpoint-groups/{groupId}/endpoints"),
    ("DELETE", _ENDPOINT + "/endpoint-groups/{groupId}/endpoints"),
    ("DELETE", _ENDPOINT + "/endpoint-groups/{groupId}/endpoints/{endpointId}"),
    # policies
    ("GET", _ENDPOINT + "/policies"),
    ("POST", _ENDPOINT + "/policies"),
    ("GET", _ENDPOINT + "/policies/settings"),
    ("GET", _ENDPOINT + "/policies/{policyId}"),
    ("PATCH", _ENDPOINT + "/policies/{policyId}"),
    ("DELETE", _ENDPOINT + "/policies/{policyId}"),
    ("GET", _ENDPOINT + "/policies/{policyId}/settings"),
    ("PATCH", _ENDPOINT + "/policies/{policyId}/settings"),
    ("POST", _ENDPOINT + "/policies/{policyId}/settings/reset"),
    ("GET", _ENDPOINT + "/policies/{policyId}/settings/{settingKey}"),
    ("POST", _ENDPOINT + "/policies/{policyId}/settings/{settingKey}/reset"),
    ("POST", _ENDPOINT + "/policies/{policyId}/clone"),
    ("GET", _ENDPOINT + "/policies/{policyType}/base"),
    ("PATCH", _ENDPOINT + "/policies/{policyType}/base"),
    ("GET", _ENDPOINT + "/policies/{policyType}/base/settings"),
    ("PATCH", _ENDPOINT + "/policies/{policyType}/base/settings"),
    ("POST", _ENDPOINT + "/policies/{policyType}/base/settings/reset"),
    ("GET", _ENDPOINT + "/policies/{policyType}/base/settings/{settingKey}"),
    ("PATCH", _ENDPOINT + "/policies/{policyType}/base/settings/{settingKey}"),
    ("POST", _ENDPOINT + "/policies/{policyType}/base/settings/{settingKey}/reset"),
    ("POST", _ENDPOINT + "/policies/{policyType}/base/clone"),
    # Common API (API_NOTES §8)
    ("GET", _COMMON + "/alerts"),
    ("POST", _COMMON + "/alerts/search"),
    ("GET", _COMMON + "/alerts/{alertId}"),
    ("POST", _COMMON + "/alerts/{alertId}/actions"),
    ("GET", _COMMON + "/admins"),
    ("POST", _COMMON + "/admins"),
    ("GET", _COMMON + "/admins/{adminId}"),
    ("DELETE", _COMMON + "/admins/{adminId}"),
    ("GET", _COMMON + "/admins/{adminId}/role-assignments"),
    ("POST", _COMMON + "/admins/{adminId}/role-assignments"),
    ("GET", _COMMON + "/admins/{adminId}/role-assignments/{assignmentId}"),
    ("DELETE", _COMMON + "/admins/{adminId}/role-assignments/{assignmentId}"),
    ("GET", _COMMON + "/roles"),
    ("POST", _COMMON + "/roles"),
    ("GET", _COMMON + "/roles/{roleId}"),
    ("PATCH", _COMMON + "/roles/{roleId}"),
    ("DELETE", _COMMON + "/roles/{roleId}"),
    ("GET", _COMMON + "/roles/permission-sets"),
    ("GET", _COMMON + "/directory/users"),
    ("POST", _COMMON + "/directory/users"),
    ("GET", _COMMON + "/directory/users/{userId}"),
    ("PATCH", _COMMON + "/directory/users/{userId}"),
    ("DELETE", _COMMON + "/directory/users/{userId}"),
    ("GET", _COMMON + "/directory/users/{userId}/groups"),
    ("POST", _COMMON + "/directory/users/{userId}/groups"),
    ("DELETE", _COMMON + "/directory/users/{userId}/groups"),
    ("DELETE", _COMMON + "/directory/users/{userId}/groups/{groupId}"),
    ("GET", _COMMON + "/directory/user-groups"),
    ("POST", _COMMON + "/directory/user-groups"),
    ("GET", _COMMON + "/directory/user-groups/{groupId}"),
    ("PATCH", _COMMON + "/directory/user-groups/{groupId}"),
    ("DELETE", _COMMON + "/directory/user-groups/{groupId}"),
    ("GET", _COMMON + "/directory/user-groups/{groupId}/users"),
    ("POST", _COMMON + "/directory/user-groups/{groupId}/users"),
    ("DELETE", _COMMON + "/directory/user-groups/{groupId}/users"),
    ("DELETE", _COMMON + "/directory/user-groups/{groupId}/users/{userId}"),
    # --- issue 17: Account Health Check, Partner (beyond tenants), Licensing, Account Management
    *[
        ("GET", _HEALTH + "/health-check"),
        ("GET", _HEALTH + "/scores/regional"),
        ("GET", _HEALTH + "/scores/historical"),
        ("POST", _HEALTH + "/snooze"),
        ("GET", _PARTNER + "/roles"),
        ("POST", _PARTNER + "/roles"),
        ("GET", _PARTNER + "/roles/{roleId}"),
        ("PATCH", _PARTNER + "/roles/{roleId}"),
        ("DELETE", _PARTNER + "/roles/{roleId}"),
        ("GET", _PARTNER + "/roles/permission-sets"),
        ("GET", _PARTNER + "/admins"),
        ("POST", _PARTNER + "/admins"),
        ("GET", _PARTNER + "/admins/{adminId}"),
        ("GET", _PARTNER + "/admins/{adminId}/role-assignments"),
        ("POST", _PARTNER + "/admins/{adminId}/role-assignments"),
        ("GET", _PARTNER + "/admins/{adminId}/role-assignments/{assignmentId}"),
        ("DELETE", _PARTNER + "/admins/{adminId}/role-assignments/{assignmentId}"),
        ("GET", _PARTNER + "/billing/usage/{year}/{month}"),
        ("GET", "/licenses/v1/licenses"),
        ("GET", "/licenses/v1/licenses/firewalls"),
        ("GET", _ACCOUNTS + "/access-tokens"),
        ("POST", _ACCOUNTS + "/access-tokens"),
        ("PATCH", _ACCOUNTS + "/access-tokens/{tokenId}"),
        ("DELETE", _ACCOUNTS + "/access-tokens/{tokenId}"),
    ],
    # SIEM Integration API (API_NOTES §10)
    ("GET", "/siem/v1/events"),
    ("GET", "/siem/v1/alerts"),
]

# Threat hunting (issue 15): XDR Query API, Live Discover API, Detections API, Cases API --------
_XDR = "/xdr-query/v1/queries"
_LD = "/live-discover/v1"
_DET = "/detections/v1/queries"
_CASES = "/cases/v1/cases"
OPERATIONS_WANTED += [
    ("GET", _XDR + "/runs"),
    ("POST", _XDR + "/runs"),
    ("GET", _XDR + "/runs/{runId}"),
    ("POST", _XDR + "/runs/{runId}/cancel"),
    ("GET", _XDR + "/runs/{runId}/results"),
    ("GET", _XDR + "/categories"),
    ("GET", _XDR + "/categories/{categoryId}"),
    ("GET", _XDR),
    ("GET", _XDR + "/{queryId}"),
    ("GET", _LD + "/queries/categories"),
    ("GET", _LD + "/queries/categories/{categoryId}"),
    ("GET", _LD + "/queries"),
    ("GET", _LD + "/queries/{queryId}"),
    ("GET", _LD + "/queries/runs"),
    ("POST", _LD + "/queries/runs"),
    ("GET", _LD + "/queries/runs/{runId}"),
    ("GET", _LD + "/queries/runs/{runId}/endpoints"),
    ("GET", _LD + "/queries/runs/{runId}/results"),
    ("GET", _LD + "/enrichment-pivots"),
    ("POST", _LD + "/enrichment-pivots"),
    ("PATCH", _LD + "/enrichment-pivots/{enrichmentPivotId}"),
    ("DELETE", _LD + "/enrichment-pivots/{enrichmentPivotId}"),
    ("POST", _DET + "/detections"),
    ("GET", _DET + "/detections/{runId}"),
    ("GET", _DET + "/detections/{runId}/results"),
    ("GET", _DET + "/detections/counts"),
    ("POST", _DET + "/detection-groups"),
    ("GET", _DET + "/detection-groups/{runId}"),
    ("GET", _DET + "/detection-groups/{runId}/results"),
    ("GET", _CASES),
    ("POST", _CASES),
    ("GET", _CASES + "/{caseId}"),
    ("PATCH", _CASES + "/{caseId}"),
    ("DELETE", _CASES + "/{caseId}"),
    ("GET", _CASES + "/{caseId}/impacted-entities"),
    ("GET", _CASES + "/{caseId}/detections"),
    ("GET", _CASES + "/{caseId}/mitre-attack-summary"),
    ("GET", _CASES + "/{caseId}/detections/{detectionId}"),
]

#: Where two collection requests share method and path, the one to use.
PREFERRED_NAME = {("POST", "/api/v2/oauth2/token"): "Authenticate"}

#: Facts the collection leaves out, each from API_NOTES with its source.
OPERATION_SUPPLEMENTS: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/api/v2/oauth2/token"): {
        "success": [200],
        "keys": ["access_token", "expires_in", "token_type"],
        "source": "API_NOTES §2 ([XSF:auth_token.json]); the collection has no example",
    },
}

# --- which enums ----------------------------------------------------------------------------------

#: name -> (operation path pattern, response field paths, query parameter names).
#: Field paths use ``.`` for nesting and ``[]`` for list elements.
ENUM_SPECS: dict[str, tuple[str, list[str], list[str]]] = {
    "whoami.idType": (r"^/whoami/v1$", ["idType"], []),
    "tenant.billingType": (
        r"^/(partner|organization)/v1/tenants",
        ["billingType", "items[].billingType"],
        [],
    ),
    "tenant.dataGeography": (
        r"^/(partner|organization)/v1/tenants",
        ["dataGeography", "items[].dataGeography"],
        [],
    ),
    "endpoint.type": (r"^/endpoint/v1/endpoints", ["type", "items[].type"], ["type"]),
    "endpoint.health": (
        r"^/endpoint/v1/endpoints",
        [
            "health.overall",
            "items[].health.overall",
            "health.threats.status",
            "items[].health.threats.status",
            "health.services.status",
            "items[].health.services.status",
        ],
        ["healthStatus"],
    ),
    "endpoint.os.platform": (
        r"^/endpoint/v1/endpoints",
        ["os.platform", "items[].os.platform"],
        [],
    ),
    "endpoint.isolation.status": (
        r"^/endpoint/v1/endpoints",
        ["isolation.status", "items[].isolation.status"],
        ["isolationStatus"],
    ),
    "endpoint.action.status": (
        r"^/endpoint/v1/endpoints/[^/]+/(scans|update-checks)$",
        ["status"],
        [],
    ),
    "settings.item.type": (
        r"^/endpoint/v1/settings/(allowed|blocked)-items",
        ["type", "items[].type"],
        [],
    ),
    "settings.exclusion.type": (
        r"^/endpoint/v1/settings/exclusions/scanning",
        ["type", "items[].type"],
        ["type"],
    ),
    "settings.exclusion.scanMode": (
        r"^/endpoint/v1/settings/exclusions/scanning",
        ["scanMode", "items[].scanMode"],
        [],
    ),
    "settings.networkExclusion.direction": (
        r"^/endpoint/v1/settings/exclusions/(isolation|intrusion-prevention)",
        ["direction", "items[].direction"],
        [],
    ),
    "settings.networkExclusion.type": (
        r"^/endpoint/v1/settings/exclusions/(isolation|intrusion-prevention)",
        ["type", "items[].type"],
        [],
    ),
    "exploitMitigation.application.type": (
        r"^/endpoint/v1/settings/exploit-mitigation/applications",
        ["type", "items[].type"],
        ["type"],
    ),
    "migration.mode": (r"^/endpoint/v1/migrations", ["mode", "items[].mode"], ["mode"]),
    "endpointGroup.type": (
        r"^/endpoint/v1/endpoint-groups(/types/[^/]+|/\{groupId\})?$",
        ["type", "items[].type"],
        ["groupType"],
    ),
    "alert.severity": (r"^/common/v1/alerts", ["severity", "items[].severity"], ["severity"]),
    "alert.category": (r"^/common/v1/alerts", ["category", "items[].category"], ["category"]),
    "alert.product": (r"^/common/v1/alerts", ["product", "items[].product"], ["product"]),
    "alert.action": (
        r"^/common/v1/alerts",
        ["allowedActions[]", "items[].allowedActions[]", "action"],
        [],
    ),
    "alert.managedAgent.type": (
        r"^/common/v1/alerts",
        ["managedAgent.type", "items[].managedAgent.type"],
        [],
    ),
    "alert.action.status": (r"^/common/v1/alerts/[^/]+/actions$", ["status"], []),
    "role.type": (r"^/common/v1/roles(/\{roleId\})?$", ["type", "items[].type"], ["type"]),
    "role.principalType": (
        r"^/common/v1/roles",
        ["principalType", "items[].principalType", "items[].principalTypes[]"],
        ["principalType"],
    ),
    "permissionSet.type": (r"^/common/v1/roles/permission-sets$", ["items[].type"], ["type"]),
    "permissionSet.access": (r"^/common/v1/roles/permission-sets$", ["items[].access"], ["access"]),
    "directory.sourceType": (
        r"^/common/v1/directory",
        ["source.type", "items[].source.type"],
        ["sourceType"],
    ),
    # --- issue 17
    "health.checks": (r"^/account-health-check/v1/health-check$", [], ["checks"]),
    "health.products": (r"^/account-health-check/v1/health-check$", [], ["products"]),
    "health.exclusion.type": (
        r"^/account-health-check/v1/health-check$",
        [
            "endpoint.exclusions.global.scanningExclusions[].type",
            *[
                f"endpoint.exclusions.policy.{kind}.exclusions[].scanningExclusions[].type"
                for kind in ("computer", "server")
            ],
        ],
        [],
    ),
    "health.exclusion.scanMode": (
        r"^/account-health-check/v1/health-check$",
        [
            "endpoint.exclusions.global.scanningExclusions[].scanMode",
            *[
                f"endpoint.exclusions.policy.{kind}.exclusions[].scanningExclusions[].scanMode"
                for kind in ("computer", "server")
            ],
        ],
        [],
    ),
    "health.exclusion.reasonCode": (
        r"^/account-health-check/v1/health-check$",
        [
            "endpoint.exclusions.global.scanningExclusions[].reasonCode",
            *[
                f"endpoint.exclusions.policy.{kind}.exclusions[].scanningExclusions[].reasonCode"
                for kind in ("computer", "server")
            ],
        ],
        [],
    ),
    "partner.role.type": (r"^/partner/v1/roles(/\{roleId\})?$", ["type", "items[].type"], ["type"]),
    "partner.role.principalType": (
        r"^/partner/v1/roles",
        ["principalType", "items[].principalType", "items[].principalTypes[]"],
        ["principalType"],
    ),
    "partner.permissionSet.type": (
        r"^/partner/v1/roles/permission-sets$",
        ["items[].type"],
        ["type"],
    ),
    "partner.permissionSet.access": (r"^/partner/v1/roles/permission-sets$", [], ["access"]),
    "partner.roleAssignment.scope.type": (
        r"^/partner/v1/admins",
        [
            "scope.type",
            "items[].scope.type",
            "roleAssignments[].scope.type",
            "items[].roleAssignments[].scope.type",
        ],
        [],
    ),
    "billing.accountStatus": (r"^/partner/v1/billing/usage", ["items[].accountStatus"], []),
    "license.type": (
        r"^/licenses/v1/licenses",
        ["licenses[].type", "items[].licenses[].type"],
        [],
    ),
    "firewall.modelType": (r"^/licenses/v1/licenses/firewalls$", ["items[].modelType"], []),
    "firewall.owner.type": (r"^/licenses/v1/licenses/firewalls$", ["items[].owner.type"], []),
    "accessToken.type": (r"^/accounts/v1/access-tokens", ["type", "items[].type"], []),
    "accessToken.createdBy.type": (
        r"^/accounts/v1/access-tokens",
        ["createdBy.type", "items[].createdBy.type"],
        [],
    ),
    "accessToken.createdBy.accountType": (
        r"^/accounts/v1/access-tokens",
        ["createdBy.accountType", "items[].createdBy.accountType"],
        [],
    ),
    "siem.severity": (r"^/siem/v1/", ["items[].severity"], []),
    "siem.remedy.result": (
        r"^/siem/v1/events$",
        ["items[].core_remedy_items.items[].result"],
        [],
    ),
    "siem.detail.type": (r"^/siem/v1/events$", ["items[].details[].type"], []),
}

# Threat hunting (issue 15)
_RUNS = r"^/((xdr-query|live-discover)/v1/queries/runs|detections/v1/queries/detection)"
ENUM_SPECS.update(
    {
        "queryRun.status": (_RUNS, ["status", "items[].status"], ["statuses", "status"]),
        "queryRun.result": (_RUNS, ["result", "items[].result"], ["result"]),
        "query.type": (
            r"^/(xdr-query|live-discover)/v1/queries(/categories)?(/\{[a-zA-Z]+\})?$",
            ["type", "items[].type"],
            [],
        ),
        "query.variable.dataType": (
            r"^/(xdr-query|live-discover)/v1/queries",
            ["variables[].dataType", "items[].variables[].dataType"],
            [],
        ),
        "liveDiscover.supportedOS": (
            r"^/live-discover/v1/queries",
            ["supportedOSes[]", "items[].supportedOSes[]"],
            [],
        ),
        "liveDiscover.endpoint.type": (
            r"^/live-discover/v1/queries/runs/[^/]+/endpoints$",
            ["items[].type"],
            [],
        ),
        "enrichment.type": (r"^/live-discover/v1/enrichment-pivots", ["type", "items[].type"], []),
        "enrichment.sourceType": (
            r"^/live-discover/v1/enrichment-pivots",
            ["sourceType", "items[].sourceType"],
            [],
        ),
        "detection.type": (
            r"^/(detections/v1|cases/v1/cases/[^/]+/detections)",
            ["items[].type", "type"],
            [],
        ),
        "detections.resolution": (
            r"^/detections/v1/queries/detections/counts$",
            ["resolution"],
            ["resolution"],
        ),
        "case.type": (r"^/cases/v1/cases(/\{caseId\})?$", ["type", "items[].type"], ["type"]),
        "case.severity": (
            r"^/cases/v1/cases(/\{caseId\})?$",
            ["severity", "items[].severity"],
            ["severity"],
        ),
        "case.status": (
            r"^/cases/v1/cases(/\{caseId\})?$",
            ["status", "items[].status"],
            ["status"],
        ),
        "case.managedBy": (
            r"^/cases/v1/cases(/\{caseId\})?$",
            ["managedBy", "items[].managedBy"],
            ["managedBy"],
        ),
        "case.verdict": (
            r"^/cases/v1/cases(/\{caseId\})?$",
            ["verdict", "items[].verdict"],
            ["verdict"],
        ),
        "case.entity.type": (r"^/cases/v1/cases/[^/]+/impacted-entities$", ["items[].type"], []),
    }
)

#: Enum members the collections never show, from API_NOTES (which cites its sources).
ENUM_SUPPLEMENTS: dict[str, tuple[list[str], str]] = {
    "alert.severity": (["high", "medium", "low"], "API_NOTES §8.1 ([XS])"),
    "alert.category": (
        [
            "azure",
            "adSync",
            "applicationControl",
            "appReputation",
            "blockListed",
            "connectivity",
            "cwg",
            "denc",
            "downloadReputation",
            "endpointFirewall",
            "fenc",
            "forensicSnapshot",
            "general",
            "iaas",
            "iaasAzure",
            "isolation",
            "malware",
            "mtr",
            "mobiles",
            "policy",
            "protection",
            "pua",
            "runtimeDetections",
            "security",
            "smc",
            "systemHealth",
            "uav",
            "uncategorized",
            "updating",
            "utm",
            "virt",
            "wireless",
            "xgEmail",
        ],
        "API_NOTES §8.1 ([XS])",
    ),
    "alert.product": (
        [
            "other",
            "endpoint",
            "server",
            "mobile",
            "encryption",
            "emailGateway",
            "webGateway",
            "phishThreat",
            "wireless",
            "iaas",
            "firewall",
        ],
        "API_NOTES §8.1 ([XS])",
    ),
    "alert.action": (
        [
            "acknowledge",
            "cleanPua",
            "cleanVirus",
            "authPua",
            "clearThreat",
            "clearHmpa",
            "sendMsgPua",
            "sendMsgThreat",
        ],
        "API_NOTES §8.1 ([XS])",
    ),
    "alert.managedAgent.type": (["computer", "server"], "API_NOTES §8.1 ([XSF], Go client)"),
    "endpoint.health": (
        ["good", "bad", "suspicious", "unknown", "running", "stopped", "missing"],
        "API_NOTES §7.2/§7.3 ([XS], [PM25])",
    ),
    "whoami.idType": (["tenant", "partner", "organization"], "API_NOTES §3 ([PM] test script)"),
    "settings.item.type": (
        ["path", "sha256", "certificateSigner"],
        "API_NOTES §7.6 ([PM] allowed-item body, [XS])",
    ),
    "settings.exclusion.type": (
        [
            "path",
            "posixPath",
            "virtualPath",
            "process",
            "web",
            "pua",
            "amsi",
            "behavioral",
        ],
        "API_NOTES §7.6 ([XS])",
    ),
    "settings.exclusion.scanMode": (
        ["onDemand", "onAccess", "onDemandAndOnAccess"],
        "API_NOTES §7.6 ([XS])",
    ),
    "accessToken.createdBy.accountType": (
        ["tenant", "partner", "organization"],
        "API_NOTES §7.4 (actor accountType, [PM23]/[PM25] samples)",
    ),
    "siem.severity": (
        ["LOW", "MEDIUM", "HIGH", "CRITICAL"],
        "API_NOTES §8.1 ([XS]) severities high/medium/low, upper-cased as the SIEM examples write "
        "them (INFERRED: the collection's SIEM examples show LOW, HIGH and CRITICAL)",
    ),
}

# Threat hunting (issue 15): members the collection's descriptions name but its examples do not show.
ENUM_SUPPLEMENTS.update(
    {
        "queryRun.status": (["pending", "started", "finished"], "[PM] query run examples"),
        "queryRun.result": (
            ["notAvailable", "succeeded", "failed", "timedOut", "canceled"],
            "[PM]/[PM25] run examples of the three query APIs (one run object)",
        ),
        "case.status": (
            ["new", "investigating", "onHold", "resolved", "actionRequired"],
            "[PM] GET /cases/v1/cases, description of the status parameter",
        ),
        "case.severity": (
            ["medium", "critical"],
            "[PM25] create-case body (critical); medium INFERRED",
        ),
        "case.type": (["exposure"], "[PM25] update-case body"),
        "enrichment.type": (
            ["sha256", "domain", "url", "filePath", "deviceName"],
            "INFERRED: what a $$placeholder$$ of the url names ([PM] shows ipAddress)",
        ),
        "enrichment.sourceType": (["custom"], "INFERRED: as saved queries (canned/custom)"),
        "case.entity.type": (
            ["device", "user", "networkFlow", "ipAddress"],
            "[PM]/[PM25] examples",
        ),
        "detection.type": (["Threat"], "[PM] examples"),
        "detections.resolution": (["day", "hour", "minute"], "[PM] counts description"),
    }
)

#: Values that are schema placeholders in the latest collection, not enum members.
_PLACEHOLDERS = {"string", "Example Name", ""}


# --- reading the collections ----------------------------------------------------------------------


def _requests(collection: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every request of a collection as ``{name, method, path, query, responses}``."""
    stack = list(reversed(collection.get("item") or []))
    while stack:
        item = stack.pop()
        if not item:
            continue
        if item.get("item") is not None:
            stack.extend(reversed(item["item"]))
            continue
        request = item.get("request") or {}
        url = request.get("url") or {}
        if isinstance(url, str):
            continue
        yield {
            "name": item.get("name", ""),
            "method": request.get("method", "GET"),
            "path": _full_path(url),
            "query": url.get("query") or [],
            "responses": item.get("response") or [],
        }


def _full_path(url: dict[str, Any]) -> str:
    host = ".".join(url.get("host") or [])
    prefix = ""
    if "/" in host.split("://", 1)[-1]:
        prefix = "/" + host.split("://", 1)[-1].split("/", 1)[1]
    path = "/".join(url.get("path") or [])
    full = (prefix.rstrip("/") + "/" + path).replace("//", "/")
    return re.sub(r":([A-Za-z][A-Za-z0-9]*)", r"{\1}", full)


def _body(response: dict[str, Any]) -> Any:
    raw = response.get("body")
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


def _values(data: Any, path: str) -> Iterator[Any]:
    """Values at a field path (``a.b``, ``items[].c``, ``tags[]``)."""
    head, _, rest = path.partition(".")
    is_list = head.endswith("[]")
    key = head.removesuffix("[]")
    if not isinstance(data, dict) or key not in data:
        return
    value = data[key]
    children = value if is_list and isinstance(value, list) else [value] if not is_list else []
    for child in children:
        if rest:
            yield from _values(child, rest)
        else:
            yield child


def _keys(body: Any) -> tuple[list[str], dict[str, list[str]]]:
    """Top-level keys, and the keys one level down for objects and lists of objects.

    A bare array of objects (``GET /settings/web-control/categories``) has no top-level keys;
    its elements' keys are listed under ``"[]"``.
    """
    if isinstance(body, list) and body and isinstance(body[0], dict):
        return [], {"[]": sorted(body[0])}
    if not isinstance(body, dict):
        return [], {}
    nested: dict[str, list[str]] = {}
    for key, value in body.items():
        if isinstance(value, dict) and value:
            nested[key] = sorted(value)
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            nested[key + "[]"] = sorted(value[0])
    return sorted(body), nested


def _enum_strings(values: Iterator[Any]) -> set[str]:
    return {v for v in values if isinstance(v, str) and v not in _PLACEHOLDERS}


def extract(source: Path) -> dict[str, Any]:
    """The fixture's content, from the collections in ``source``."""
    latest = json.loads((source / LATEST).read_text(encoding="utf-8"))
    older = json.loads((source / OLDER).read_text(encoding="utf-8"))
    derived = json.loads((source / OPERATIONS).read_text(encoding="utf-8"))
    latest_requests = list(_requests(latest))
    older_requests = list(_requests(older))

    operations = []
    for method, path in OPERATIONS_WANTED:
        found = [r for r in latest_requests if r["method"] == method and r["path"] == path]
        preferred = PREFERRED_NAME.get((method, path))
        if preferred:
            found = [r for r in found if r["name"] == preferred]
        if not found:
            raise SystemExit(f"{method} {path} is not in {LATEST}")
        request = found[0]
        successes = [r for r in request["responses"] if 200 <= int(r.get("code") or 0) < 300]
        entry: dict[str, Any] = {
            "method": method,
            "path": path,
            "name": request["name"],
            "success": sorted({int(r["code"]) for r in successes}),
        }
        example = next((_body(r) for r in successes if _body(r) is not None), None)
        keys, nested = _keys(example)
        entry["keys"] = keys
        if nested:
            entry["nested"] = nested
        supplement = OPERATION_SUPPLEMENTS.get((method, path))
        if supplement:
            entry.update(supplement)
        entry["enums"] = {
            name: fields
            for name, (pattern, fields, _) in ENUM_SPECS.items()
            if re.search(pattern, path)
        }
        operations.append(entry)

    enums: dict[str, Any] = {}
    for name, (pattern, fields, params) in ENUM_SPECS.items():
        members: set[str] = set()
        for request in latest_requests + older_requests:
            if not re.search(pattern, request["path"]):
                continue
            for response in request["responses"]:
                body = _body(response)
                for field in fields:
                    members |= _enum_strings(_values(body, field))
            for param in request["query"]:
                if param.get("key") in params and param.get("value"):
                    members |= _enum_strings(v.strip() for v in str(param["value"]).split(","))
        entry = {"collection": sorted(members)}
        if name in ENUM_SUPPLEMENTS:
            extra, cited = ENUM_SUPPLEMENTS[name]
            entry["notes"] = sorted(set(extra) - members)
            entry["notes_source"] = cited
        enums[name] = entry

    return {
        "_comment": "Generated by scripts/extract_api_facts.py; do not edit by hand.",
        "_source": {
            "upstream": derived.get("_source", ""),
            "files": [LATEST, OLDER, OPERATIONS],
            "keys_from": LATEST,
            "enums_from": [LATEST, OLDER],
        },
        "operations": operations,
        "enums": enums,
    }


def render(facts: dict[str, Any]) -> str:
    """The fixture as written to disk (stable, one operation per few lines)."""
    return json.dumps(facts, indent=1, sort_keys=False, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write (or ``--check``) the fixture."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--check", action="store_true", help="fail if the output is stale")
    args = parser.parse_args(argv)
    text = render(extract(args.source))
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is stale; run scripts/extract_api_facts.py", file=sys.stderr)
            return 1
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output} ({len(text)} bytes, {len(facts_ops(text))} operations)")
    return 0


def facts_ops(text: str) -> list[Any]:
    """The operations of a rendered fixture."""
    return list(json.loads(text)["operations"])


if __name__ == "__main__":
    sys.exit(main())
