"""Reports written from API data: the account health report (HTML) of every tenant.

``render_health_report(tenants)`` needs Jinja2, the optional extra ``report``
(``pip install 'pysophoscentralapi[report]'``).
"""

from pysophoscentralapi.report._data import TenantHealth, fleet_health
from pysophoscentralapi.report._html import ReportUnavailable, render_health_report

__all__ = ["ReportUnavailable", "TenantHealth", "fleet_health", "render_health_report"]
