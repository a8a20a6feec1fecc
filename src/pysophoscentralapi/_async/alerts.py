"""Common API: alerts."""

from __future__ import annotations

from pysophoscentralapi._async._resource import AsyncResource


class AsyncAlerts(AsyncResource):
    """Common API: alerts."""
