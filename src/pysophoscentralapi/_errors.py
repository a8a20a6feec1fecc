"""The exceptions raised by pysophoscentralapi.

Every error the library raises derives from :class:`SophosCentralError`::

    SophosCentralError
    ├── ConfigError                  settings missing or invalid; the message names the setting and the fix
    │   └── TenantRequiredError      a tenant-scoped call made with partner/organization credentials
    ├── APIError                     the service answered with an error status
    │   ├── AuthenticationError      401, or the token endpoint refused the credentials
    │   ├── BadRequestError          400 / 422
    │   ├── PermissionDeniedError    403
    │   ├── NotFoundError            404
    │   ├── ConflictError            409
    │   ├── RateLimitError           429 still answered after every retry
    │   ├── ServerError              5xx
    │   └── QueryFailedError         a query run (XDR, Live Discover, detections) finished unsuccessfully
    ├── APIConnectionError           the service could not be reached
    │   ├── APITimeoutError          no answer in time
    │   │   └── QueryTimeoutError    a query run did not finish in time (it carries the run id)
    │   └── OutcomeUnknownError      a state-changing request was lost in flight: it may have been applied
    ├── ResponseValidationError      the service answered something that is not what the API documents
    └── PaginationError              the service repeated a page key or page number (an endless loop)

No message, ``repr`` or attribute of these errors holds a client secret or token.
"""

from __future__ import annotations

from typing import Any


class SophosCentralError(Exception):
    """Base class of every error raised by this package."""

    #: A short suggestion of what to do about it, shown by the CLI under the message.
    hint: str | None = None

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if hint is not None:
            self.hint = hint

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"


class ConfigError(SophosCentralError):
    """A setting is missing or invalid (credentials, config file, profile, tenant id, region)."""


class TenantRequiredError(ConfigError):
    """A tenant-scoped operation was called with partner or organization credentials and no tenant."""

    hint = "pass a tenant: central.for_tenant(tenant_id) in Python, --tenant ID|NAME in the CLI"


class APIError(SophosCentralError):
    """The API answered with an error status.

    Attributes mirror the API's error body (``error``, ``message``, ``correlationId``, ``requestId``);
    any of them may be ``None`` when the body was empty or not JSON.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        error_code: str | None = None,
        api_message: str | None = None,
        correlation_id: str | None = None,
        request_id: str | None = None,
        method: str | None = None,
        url: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.status_code = status_code
        self.error_code = error_code
        self.api_message = api_message
        self.correlation_id = correlation_id
        self.request_id = request_id
        self.method = method
        self.url = url

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self.message!r}, status_code={self.status_code!r}, "
            f"error_code={self.error_code!r}, correlation_id={self.correlation_id!r})"
        )


class AuthenticationError(APIError):
    """The credentials were refused: by the token endpoint, or by the API (401) after a token refresh."""

    hint = (
        "check the client id and secret (pysophos config test); credentials deleted in "
        "Sophos Central stop working at once"
    )

    def __init__(self, message: str, *, tracking_id: str | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        #: The token endpoint's ``trackingId``, for Sophos support.
        self.tracking_id = tracking_id


class BadRequestError(APIError):
    """400 or 422: the API rejected the request's parameters or body."""


class PermissionDeniedError(APIError):
    """403: the credential's role does not allow this, or the tenant does not allow partner access."""

    hint = (
        "check the API credential's role in Sophos Central, and for partner/organization "
        "credentials that the tenant allows access"
    )


class NotFoundError(APIError):
    """404: no such resource in this tenant."""


class ConflictError(APIError):
    """409: the request conflicts with the resource's state (e.g. removing the last Super admin)."""


class RateLimitError(APIError):
    """429 answered even after the retries ran out."""

    hint = "lower the request rate (rate_limit setting) or retry later"


class ServerError(APIError):
    """A 5xx answer, after retries for safe requests."""

    hint = "Sophos Central had a problem; retry later, quoting the correlation id to Sophos support if it persists"


class QueryFailedError(APIError):
    """A query run finished without success (bad SQL, timed out or canceled on the service side).

    ``run_id`` names the run, ``result`` is its ``result`` (``failed``, ``timedOut``, ``canceled``).
    """

    def __init__(
        self, message: str, *, run_id: str, result: str | None = None, hint: str | None = None
    ) -> None:
        super().__init__(message, hint=hint)
        self.run_id = run_id
        self.result = result


class APIConnectionError(SophosCentralError):
    """The API could not be reached (DNS, TCP, TLS, proxy, dropped connection)."""

    hint = "check the network, proxy settings (HTTPS_PROXY) and CA bundle (SSL_CERT_FILE)"


class APITimeoutError(APIConnectionError):
    """The API did not answer within the configured timeout."""

    hint = "retry later or raise the timeout setting"


class QueryTimeoutError(APITimeoutError):
    """A query run was still going when the wait gave up; it goes on and its results can be read later."""

    def __init__(self, message: str, *, run_id: str, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.run_id = run_id


class OutcomeUnknownError(APIConnectionError):
    """A state-changing request failed in flight; the server may or may not have applied it.

    It is never re-sent automatically. Read the resource back to learn its state before retrying.
    """

    hint = "read the resource back (e.g. pysophos endpoint get ID) to see whether the change was applied"


class ResponseValidationError(SophosCentralError):
    """The API answered with a body that is not JSON or not of the documented shape."""


class PaginationError(ResponseValidationError):
    """The API repeated a page key or page number: iterating would never end."""
