"""Account Health Check API (``/account-health-check/v1``): the tenant's security posture.

The API scores each area of a tenant's set-up from 0 to 100 (100 = nothing to fix): endpoint
protection, threat-protection policies, scanning exclusions and tamper protection, separately
for computers and servers. :meth:`HealthCheck.scores` flattens them into one list, worst first,
each with a sentence saying what is wrong::

    >>> check = HealthCheck.model_validate({
    ...     "tenant": {"id": "t1"},
    ...     "endpoint": {"tamperProtection": {"computer": {"total": 20, "disabled": 5,
    ...                                                    "score": 75, "snoozed": False}}}})
    >>> [(s.area, s.score, s.finding) for s in check.scores()]
    [('tamperProtection.computer', 75, '5 of 20 computers have tamper protection off')]
    >>> check.overall_score
    75
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from pydantic import Field

from pysophoscentralapi._enums.hunting import HEALTH_CHECKS, HEALTH_PRODUCTS
from pysophoscentralapi.models._base import (
    ApiBool,
    IdNameRef,
    RequiredIdNameRef,
    SophosModel,
    Timestamp,
)

__all__ = [
    "HEALTH_CHECKS",
    "HEALTH_PRODUCTS",
    "AreaScore",
    "EndpointHealth",
    "EndpointScores",
    "ExclusionChecks",
    "ExclusionRisk",
    "GlobalExclusionsCheck",
    "GlobalTamperProtectionCheck",
    "HealthCheck",
    "HealthTenant",
    "HistoricalScore",
    "HistoricalScores",
    "PolicyCheck",
    "PolicyExclusions",
    "PolicyExclusionsCheck",
    "PolicyRef",
    "ProtectionCheck",
    "RegionalBand",
    "RegionalScores",
    "SnoozeDetail",
    "TamperProtectionCheck",
]


class HealthTenant(RequiredIdNameRef):
    """``tenant``: whose health this is."""


class SnoozeDetail(SophosModel):
    """Why and until when reminders about an area are snoozed."""

    start: Timestamp | None = None
    end: Timestamp | None = None
    expiry: Timestamp | None = None
    expired: ApiBool | None = None
    comment: str | None = None


class _Scored(SophosModel):
    score: int | None = None
    snoozed: ApiBool | None = None
    snooze_detail: SnoozeDetail | None = None


class _CountedCheck(_Scored):
    """A scored area that counts what it checked (``total``)."""

    total: int | None = None


class ProtectionCheck(_CountedCheck):
    """``endpoint.protection.computer|server``: endpoints without every product they should run."""

    not_fully_protected: int | None = None


class PolicyRef(IdNameRef):
    """A threat-protection policy and how many of its settings differ from Sophos' recommended."""

    not_on_recommended: int | None = None
    locked_by_managing_account: ApiBool | None = None


class PolicyCheck(_CountedCheck):
    """``endpoint.policy.computer|server.<policy type>``: policies not on recommended settings."""

    not_on_recommended: int | None = None
    policies: list[PolicyRef] = []


class ExclusionRisk(SophosModel):
    """A scanning exclusion the health check considers a security risk, and why (``reasonCode``)."""

    id: str | None = None
    value: str | None = None
    type: str | None = None
    scan_mode: str | None = None
    reason_code: str | None = None


class PolicyExclusions(SophosModel):
    """The risky exclusions of one threat-protection policy."""

    policy_id: str | None = None
    policy_name: str | None = None
    locked_by_managing_account: ApiBool | None = None
    snooze_comment: str | None = None
    scanning_exclusions: list[ExclusionRisk] = []


class PolicyExclusionsCheck(_CountedCheck):
    """``endpoint.exclusions.policy.computer|server``."""

    number_of_security_risks: int | None = None
    exclusions: list[PolicyExclusions] = []


class GlobalExclusionsCheck(_Scored):
    """``endpoint.exclusions.global``: risky global scanning exclusions."""

    number_of_security_risks: int | None = None
    locked_by_managing_account: ApiBool | None = None
    scanning_exclusions: list[ExclusionRisk] = []


class ExclusionChecks(SophosModel):
    """``endpoint.exclusions``."""

    policy: dict[str, PolicyExclusionsCheck] = {}
    global_: GlobalExclusionsCheck | None = Field(default=None, alias="global")


class TamperProtectionCheck(_CountedCheck):
    """``endpoint.tamperProtection.computer|server``: endpoints with tamper protection off."""

    disabled: int | None = None


class GlobalTamperProtectionCheck(_Scored):
    """``endpoint.tamperProtection.globalDetail``: the tenant-wide tamper protection setting."""

    enabled: ApiBool | None = None


class TamperProtectionChecks(SophosModel):
    """``endpoint.tamperProtection``."""

    computer: TamperProtectionCheck | None = None
    server: TamperProtectionCheck | None = None
    global_detail: GlobalTamperProtectionCheck | None = None
    global_: ApiBool | None = Field(default=None, alias="global")


class EndpointHealth(SophosModel):
    """``endpoint``: the areas checked for endpoint protection."""

    protection: dict[str, ProtectionCheck] = {}
    policy: dict[str, dict[str, PolicyCheck]] = {}
    exclusions: ExclusionChecks | None = None
    tamper_protection: TamperProtectionChecks | None = None


@dataclass(frozen=True)
class AreaScore:
    """One scored area of a health check (see :meth:`HealthCheck.scores`)."""

    #: Dotted path of the area in the answer, e.g. ``tamperProtection.server``.
    area: str
    score: int
    snoozed: ApiBool
    #: What is wrong, in words ("3 of 12 servers have tamper protection off"); empty when
    #: nothing is.
    finding: str


def _of(count: int | None, total: int | None, noun: str, what: str) -> str:
    if not count:
        return ""
    plural = noun if total == 1 else (f"{noun[:-1]}ies" if noun.endswith("y") else f"{noun}s")
    return f"{count} of {total} {plural} {what}" if total is not None else f"{count} {what}"


class HealthCheck(SophosModel):
    """``GET /account-health-check/v1/health-check``: the tenant's scores and what lowers them."""

    tenant: HealthTenant | None = None
    endpoint: EndpointHealth | None = None
    network_device: dict[str, dict[str, object]] | None = None

    def scores(self) -> list[AreaScore]:
        """Every scored area, worst (lowest score) first; ties keep the API's order."""
        found: list[AreaScore] = []
        endpoint = self.endpoint or EndpointHealth()

        def add(area: str, check: _Scored | None, finding: str) -> None:
            if check is not None and check.score is not None:
                found.append(AreaScore(area, check.score, bool(check.snoozed), finding))

        for kind, prot in endpoint.protection.items():
            what = "are not fully protected"
            add(f"protection.{kind}", prot, _of(prot.not_fully_protected, prot.total, kind, what))
        for kind, by_type in endpoint.policy.items():
            for policy_type, policy in by_type.items():
                what = "are not on recommended settings"
                finding = _of(policy.not_on_recommended, policy.total, f"{kind} policy", what)
                add(f"policy.{kind}.{policy_type}", policy, finding)
        exclusions = endpoint.exclusions or ExclusionChecks()
        for kind, excl in exclusions.policy.items():
            risks = excl.number_of_security_risks
            add(
                f"exclusions.{kind}",
                excl,
                f"{risks} risky scanning exclusions in {kind} policies" if risks else "",
            )
        if exclusions.global_ is not None:
            risks = exclusions.global_.number_of_security_risks
            add(
                "exclusions.global",
                exclusions.global_,
                f"{risks} risky global scanning exclusions" if risks else "",
            )
        tamper = endpoint.tamper_protection or TamperProtectionChecks()
        for kind, tp in (("computer", tamper.computer), ("server", tamper.server)):
            if tp is not None:
                what = "have tamper protection off"
                add(f"tamperProtection.{kind}", tp, _of(tp.disabled, tp.total, kind, what))
        detail = tamper.global_detail
        if detail is not None:
            off = "global tamper protection is off" if detail.enabled is False else ""
            add("tamperProtection.global", detail, off)
        return sorted(found, key=lambda s: s.score)

    @property
    def overall_score(self) -> int | None:
        """The mean of the area scores, rounded (``None`` when nothing was scored)."""
        scores = [s.score for s in self.scores()]
        return round(sum(scores) / len(scores)) if scores else None


class EndpointScores(SophosModel):
    """Scores per area in ``scores/regional`` bands and ``scores/historical`` datapoints."""

    protection_computer_score: int | None = None
    protection_server_score: int | None = None
    policy_threat_protection_computer_score: int | None = None
    policy_threat_protection_server_score: int | None = None
    exclusions_global_score: int | None = None
    exclusions_computer_score: int | None = None
    exclusions_server_score: int | None = None
    tamper_protection_global_score: int | None = None
    tamper_protection_computer_score: int | None = None
    tamper_protection_server_score: int | None = None


class RegionalBand(SophosModel):
    """Average scores of the organizations in the region whose size is in this band."""

    lower_bound: int | None = None
    upper_bound: int | None = None
    endpoint: EndpointScores | None = None


class RegionalScores(SophosModel):
    """``GET /scores/regional``: how other organizations in the region score."""

    bands: list[RegionalBand] = []


class HistoricalScore(SophosModel):
    """One day of ``GET /scores/historical``."""

    date: _dt.date | None = None
    computer_total: int | None = None
    server_total: int | None = None
    endpoint: EndpointScores | None = None


class HistoricalScores(SophosModel):
    """``GET /scores/historical``: the tenant's scores day by day."""

    tenant: HealthTenant | None = None
    datapoints: list[HistoricalScore] = []
