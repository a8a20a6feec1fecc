"""The emulated Common API v1 (alerts, admins, roles, directory), mounted by the core app.

The routes are relative to ``/region/{region}/common/v1``; the core mounts them behind
authentication and puts the tenant in ``request.state.tenant``. State lives in that tenant's
``store["common"]`` (see :mod:`._common_state`), seeded from its ``rng_seed`` on first use.
"""

from __future__ import annotations

from starlette.routing import BaseRoute

from ._common_admins import admin_routes
from ._common_alerts import alert_routes
from ._common_directory import directory_routes
from ._common_state import CommonState, common_state

__all__ = ["CommonState", "common_routes", "common_state"]


def common_routes() -> list[BaseRoute]:
    """Every Common API route, with paths relative to ``/region/{region}/common/v1``."""
    return [*alert_routes(), *admin_routes(), *directory_routes()]
