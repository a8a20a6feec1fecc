"""The settings models (pydantic), apart from :mod:`._settings` so that reading its constants
(what ``pysophos config --help`` shows) does not import pydantic. Import them from there."""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from pysophoscentralapi._regions import KNOWN_REGIONS
from pysophoscentralapi._settings import DEFAULT_API_URL, DEFAULT_AUTH_URL
from pysophoscentralapi._validation import is_uuid_text

__all__ = ["ExportSettings", "OutputSettings", "Settings", "SiemSettings"]


def _check_url(value: str) -> str:
    value = value.strip()
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in value):
        raise ValueError("must be an http:// or https:// URL with a host")
    return value


class OutputSettings(BaseModel):
    """How the CLI prints results: ``format`` (``None``: table on a terminal, json when piped).

    >>> OutputSettings(format="json").format
    'json'
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    format: Literal["table", "json", "jsonl", "csv"] | None = None
    color: bool | None = None


class ExportSettings(BaseModel):
    """How rows are written as CSV / JSON.

    >>> ExportSettings(csv_delimiter=";").csv_delimiter
    ';'
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    csv_delimiter: str = ","
    json_indent: int | None = Field(default=2, ge=0, le=16)
    list_separator: str = ";"

    @field_validator("csv_delimiter")
    @classmethod
    def _one_character(cls, value: str) -> str:
        if len(value) != 1 or value in '\r\n"':
            raise ValueError("must be a single character other than a quote or line break")
        return value


class SiemSettings(BaseModel):
    """``pysophos siem`` delivery settings: the Splunk HEC token (a secret, masked in ``repr``).

    >>> SiemSettings(splunk_hec_token="abc").splunk_hec_token
    SecretStr('**********')
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    splunk_hec_token: SecretStr | None = None


class Settings(BaseModel):
    """Everything needed to talk to Sophos Central. Immutable; the secret is masked in ``repr``.

    >>> s = Settings(client_id="abc", client_secret="s3cret", region="EU01")
    >>> s.region, s.client_secret
    ('eu01', SecretStr('**********'))
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    client_id: str | None = None
    client_secret: SecretStr | None = None
    auth_url: str = DEFAULT_AUTH_URL
    api_url: str = DEFAULT_API_URL
    tenant_id: str | None = None
    region: str | None = None
    timeout: float = Field(default=30.0, gt=0)
    max_retries: int = Field(default=3, ge=0, le=10)
    rate_limit: float | None = Field(default=None, gt=0)
    #: PEM file of CA certificates to trust instead of the default ones (TLS-inspecting proxies)
    ca_bundle: str | None = None
    output: OutputSettings = Field(default_factory=OutputSettings)
    export: ExportSettings = Field(default_factory=ExportSettings)
    siem: SiemSettings = Field(default_factory=SiemSettings)

    @field_validator("client_id")
    @classmethod
    def _non_empty_id(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip()
        if not value:
            raise ValueError("must not be empty")
        return value

    @field_validator("auth_url")
    @classmethod
    def _auth_url(cls, value: str) -> str:
        return _check_url(value)

    @field_validator("api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        return _check_url(value).rstrip("/")

    @field_validator("tenant_id")
    @classmethod
    def _tenant_uuid(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip().lower()
        if not is_uuid_text(value):
            raise ValueError("must be a UUID (8-4-4-4-12 hex digits)")
        return value

    @field_validator("region")
    @classmethod
    def _known_region(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip().lower()
        if value not in KNOWN_REGIONS:
            raise ValueError("must be one of " + ", ".join(KNOWN_REGIONS))
        return value
