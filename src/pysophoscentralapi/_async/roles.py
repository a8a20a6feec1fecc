"""Common API: roles and permission sets."""

from __future__ import annotations

from pysophoscentralapi._async._resource import AsyncResource


class AsyncRoles(AsyncResource):
    """Common API: roles and permission sets."""
