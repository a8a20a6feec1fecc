"""Common API: admins and their role assignments."""

from __future__ import annotations

from pysophoscentralapi._async._resource import AsyncResource


class AsyncAdmins(AsyncResource):
    """Common API: admins and their role assignments."""
