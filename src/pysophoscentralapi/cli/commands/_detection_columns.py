"""The table and the model of detections, shown by ``pysophos detections list`` and ``pysophos
cases detections``: a module of its own so that ``cases --help`` does not build the
``detections`` commands."""

from __future__ import annotations

from pysophoscentralapi.cli._columns import Column

__all__ = ["DETECTION_COLUMNS", "DETECTION_MODEL"]

DETECTION_COLUMNS = [
    Column("time", priority=8),
    Column("severity", priority=9),
    Column("detectionRule", key=True),
    Column("device.entity", priority=7),
    Column("detectionAttack", priority=3),
    Column("id", key=True),
]
DETECTION_MODEL = "pysophoscentralapi.models.detections:Detection"
