"""Query runs, saved queries and categories: XDR Data Lake, Live Discover and detections runs.

The three query APIs share the run object (``status``, ``result``, timestamps) and the XDR and
Live Discover APIs share saved queries and categories, so their models live here once.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from pysophoscentralapi._enums.hunting import RUN_RESULTS, RUN_STATUSES, RunResult, RunStatus
from pysophoscentralapi.models._base import IdNameRef, SophosModel, Timestamp

__all__ = [
    "FINISHED_RESULTS",
    "RUN_RESULTS",
    "RUN_STATUSES",
    "Enrichment",
    "QueryActor",
    "QueryCategory",
    "QueryRef",
    "QueryVariable",
    "ResultRow",
    "RunEndpoint",
    "RunInfo",
    "RunResult",
    "RunStatus",
    "SavedQuery",
]


#: Results of a finished run that carry no rows to trust.
FINISHED_RESULTS = {"failed": "failed", "timedOut": "timed out", "canceled": "was canceled"}


class QueryRef(IdNameRef):
    """The saved query or category a run came from."""

    code: str | None = None


class QueryActor(SophosModel):
    """Who started or changed something."""

    id: str | None = None
    type: str | None = None
    name: str | None = None
    account_id: str | None = None
    account_type: str | None = None


class QueryVariable(SophosModel):
    """A ``$$name$$`` placeholder of a query template, with its type (and value in a run)."""

    name: str
    data_type: str | None = None
    value: Any = None
    pivot_type: str | None = None


class RunInfo(SophosModel):
    """A query run as the API shows it (``GET .../runs/{id}``)."""

    id: str
    status: RunStatus | None = None
    result: RunResult | None = None
    name: str | None = None
    template: str | None = None
    query: QueryRef | None = None
    category: QueryRef | None = None
    variables: list[QueryVariable] = Field(default_factory=list)
    created_at: Timestamp | None = None
    created_by: QueryActor | None = None
    finished_at: Timestamp | None = None
    expires_at: Timestamp | None = None
    result_count: int | None = None
    match_endpoints: dict[str, Any] | None = None
    endpoint_counts: dict[str, Any] | None = None
    max_duration_in_seconds: int | None = None
    time_remaining_in_seconds: int | None = None
    performance: dict[str, Any] | None = None
    from_: Timestamp | None = Field(default=None, alias="from")
    to: Timestamp | None = None
    #: Why a failed run failed, where the service says (the emulator does).
    error: dict[str, Any] | None = None


class SavedQuery(SophosModel):
    """A saved (canned or custom) query of the XDR or Live Discover library."""

    id: str
    name: str | None = None
    code: str | None = None
    description: str | None = None
    template: str | None = None
    variables: list[QueryVariable] = Field(default_factory=list)
    categories: list[QueryRef] = Field(default_factory=list)
    type: str | None = None
    supported_oses: list[str] = Field(default_factory=list, alias="supportedOSes")
    performance: dict[str, Any] | None = None
    tenant: dict[str, Any] | None = None
    created_at: Timestamp | None = None
    created_by: QueryActor | None = None
    updated_at: Timestamp | None = None
    updated_by: QueryActor | None = None


class QueryCategory(SophosModel):
    """A category of saved queries."""

    id: str
    name: str | None = None
    code: str | None = None
    description: str | None = None
    type: str | None = None
    query_count: int | None = None
    icon: str | None = None
    tenant: dict[str, Any] | None = None
    created_at: Timestamp | None = None
    created_by: dict[str, Any] | None = None
    updated_at: Timestamp | None = None
    updated_by: dict[str, Any] | None = None


class RunEndpoint(SophosModel):
    """An endpoint of a Live Discover run and how it fared."""

    id: str
    type: str | None = None
    hostname: str | None = None
    status: str | None = None
    result: str | None = None
    os: dict[str, Any] | None = None


class Enrichment(SophosModel):
    """A Live Discover enrichment (a link template to look a value up elsewhere)."""

    id: str | None = None
    name: str | None = None
    description: str | None = None
    type: str | None = None
    url: str | None = None
    source_type: str | None = None
    tenant: dict[str, Any] | None = None
    created_at: Timestamp | None = None
    created_by: QueryActor | None = None
    updated_at: Timestamp | None = None
    updated_by: QueryActor | None = None


class ResultRow(BaseModel):
    """One result row: its columns as attributes, under the names the query gave them."""

    model_config = ConfigDict(extra="allow")
