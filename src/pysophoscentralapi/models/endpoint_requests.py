"""Per-endpoint requests: adaptive attack protection, forensic logs, memory dumps; and the
installer downloads (``/endpoint/v1/downloads``).

    >>> ForensicLogRequest.model_validate({"id": "r1", "status": "pending"}).status
    'pending'
"""

from __future__ import annotations

from pydantic import Field

from pysophoscentralapi._enums import ENDPOINT_PLATFORMS
from pysophoscentralapi.models._base import ApiBool, IdRef, SophosModel, Timestamp


class AapDesiredState(SophosModel):
    """What adaptive attack protection was asked to be."""

    enabled: ApiBool | None = None
    expires_after: str | None = None
    source: str | None = None


class AapActualState(SophosModel):
    """What adaptive attack protection is on the endpoint."""

    enabled: ApiBool | None = None
    last_updated_at: Timestamp | None = None
    expires_at: Timestamp | None = None


class AdaptiveAttackProtectionStatus(SophosModel):
    """An endpoint's adaptive attack protection: asked for and in effect."""

    desired_state: AapDesiredState | None = None
    actual_state: AapActualState | None = None


class RequestFile(SophosModel):
    """The file a finished forensic-log or memory-dump request produced."""

    file_name: str | None = None
    sha256: str | None = None
    size: int | None = None


class _FileRequest(SophosModel):
    """A request for a file from an endpoint (forensic logs, a memory dump) and where it is."""

    id: str
    status: str | None = None
    received_at: Timestamp | None = None
    expires_at: Timestamp | None = None


class ForensicLogRequest(_FileRequest):
    """A forensic-log collection: ``pending`` until the file is ready (``finished``)."""

    forensic_log_file: RequestFile | None = None


class MemoryDumpRequest(_FileRequest):
    """A memory-dump request: ``pending`` until the dump is ready (``finished``)."""

    memory_dump_file: RequestFile | None = None


class Installer(SophosModel):
    """One installer: its product, platform and download URL."""

    product_name: str | None = None
    platform: str | None = None
    type: str | None = None
    supported_products: list[str] = Field(default_factory=list)
    download_url: str | None = None


class DownloadsTenant(IdRef):
    """The tenant the installers are for."""


class InstallerDownloads(SophosModel):
    """``GET /endpoint/v1/downloads``: the tenant's licensed products and installers."""

    tenant: DownloadsTenant | None = None
    licensed_products: list[str] = Field(default_factory=list)
    installers: list[Installer] = Field(default_factory=list)


#: Installer platforms (the collection's example shows ``windows``; INFERRED: linux, macOS).
INSTALLER_PLATFORMS = ENDPOINT_PLATFORMS

__all__ = [
    "INSTALLER_PLATFORMS",
    "AapActualState",
    "AapDesiredState",
    "AdaptiveAttackProtectionStatus",
    "DownloadsTenant",
    "ForensicLogRequest",
    "Installer",
    "InstallerDownloads",
    "MemoryDumpRequest",
    "RequestFile",
]
