"""Partner and Organization APIs: tenants."""

from __future__ import annotations

from pysophoscentralapi._async._resource import AsyncResource
from pysophoscentralapi._routing import Scope


class AsyncTenants(AsyncResource):
    """Partner and Organization APIs: tenants."""

    scope = Scope.PARTNER_OR_ORG
