"""Common API: directory users and user groups."""

from __future__ import annotations

from pysophoscentralapi._async._resource import AsyncResource


class AsyncUsers(AsyncResource):
    """Common API: directory users and user groups."""
