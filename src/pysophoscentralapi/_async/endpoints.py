"""Endpoint API: endpoints, scans, update checks, isolation, tamper protection."""

from __future__ import annotations

from pysophoscentralapi._async._resource import AsyncResource


class AsyncEndpoints(AsyncResource):
    """Endpoint API: endpoints, scans, update checks, isolation, tamper protection."""
