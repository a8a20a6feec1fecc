"""Endpoint API settings: allowed/blocked items, web-control local sites, tamper protection, exclusions."""

from __future__ import annotations

from pysophoscentralapi._async._resource import AsyncResource


class AsyncEndpointSettings(AsyncResource):
    """Endpoint API settings: allowed/blocked items, web-control local sites, tamper protection, exclusions."""
