"""pysophoscentralapi: an async-first client for the Sophos Central public API, with a sync twin.

>>> from pysophoscentralapi import SophosCentral
>>> with SophosCentral(client_id="...", client_secret="...") as central:  # doctest: +SKIP
...     for endpoint in central.endpoints.list(health_status=["bad"]):
...         print(endpoint.hostname)

The clients, models and settings are imported on first use, so ``import pysophoscentralapi`` (and
the CLI's start-up) stays cheap.
"""

from typing import TYPE_CHECKING

from pysophoscentralapi._errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConfigError,
    ConflictError,
    NotFoundError,
    OutcomeUnknownError,
    PaginationError,
    PermissionDeniedError,
    QueryFailedError,
    QueryTimeoutError,
    RateLimitError,
    ResponseValidationError,
    ServerError,
    SophosCentralError,
    TenantRequiredError,
)
from pysophoscentralapi._exports import lazy_exports
from pysophoscentralapi._version import __version__

if TYPE_CHECKING:
    from pysophoscentralapi._async._client import AsyncSophosCentral
    from pysophoscentralapi._async._pagination import AsyncPaginator
    from pysophoscentralapi._page import Page
    from pysophoscentralapi._paging import PageInfo
    from pysophoscentralapi._settings import LoadedSettings, Settings, load_settings
    from pysophoscentralapi._siem import (
        JsonStateFile,
        MemoryStateStore,
        SiemCheckpoint,
        SiemStateStore,
    )
    from pysophoscentralapi._sync._client import SophosCentral
    from pysophoscentralapi._sync._pagination import Paginator

_LAZY = {
    "AsyncSophosCentral": "pysophoscentralapi._async._client",
    "SophosCentral": "pysophoscentralapi._sync._client",
    "AsyncPaginator": "pysophoscentralapi._async._pagination",
    "Paginator": "pysophoscentralapi._sync._pagination",
    "Page": "pysophoscentralapi._page",
    "PageInfo": "pysophoscentralapi._paging",
    "Settings": "pysophoscentralapi._settings",
    "LoadedSettings": "pysophoscentralapi._settings",
    "load_settings": "pysophoscentralapi._settings",
    "JsonStateFile": "pysophoscentralapi._siem",
    "MemoryStateStore": "pysophoscentralapi._siem",
    "SiemCheckpoint": "pysophoscentralapi._siem",
    "SiemStateStore": "pysophoscentralapi._siem",
}


__getattr__ = lazy_exports(__name__, _LAZY, globals())


__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AsyncPaginator",
    "AsyncSophosCentral",
    "AuthenticationError",
    "BadRequestError",
    "ConfigError",
    "ConflictError",
    "JsonStateFile",
    "LoadedSettings",
    "MemoryStateStore",
    "NotFoundError",
    "OutcomeUnknownError",
    "Page",
    "PageInfo",
    "PaginationError",
    "Paginator",
    "PermissionDeniedError",
    "QueryFailedError",
    "QueryTimeoutError",
    "RateLimitError",
    "ResponseValidationError",
    "ServerError",
    "Settings",
    "SiemCheckpoint",
    "SiemStateStore",
    "SophosCentral",
    "SophosCentralError",
    "TenantRequiredError",
    "__version__",
    "load_settings",
]
