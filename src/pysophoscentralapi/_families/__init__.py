"""The declarations of the API's same-shaped collections (see :mod:`pysophoscentralapi._collection`).

One module per API area; each collection is one :class:`~pysophoscentralapi._collection.Collection`
constant. :data:`ALL` lists every declared collection (the CLI, the emulator and the tests walk it).
"""

from __future__ import annotations

from typing import Any

from pysophoscentralapi._collection import Collection


def all_collections() -> tuple[Collection[Any], ...]:
    """Every declared collection (imports each area's module)."""
    from pysophoscentralapi._families import (
        endpoint_groups,
        endpoint_settings,
        migrations,
        policies,
        software,
    )

    return (
        *endpoint_settings.SETTINGS_COLLECTIONS,
        endpoint_groups.ENDPOINT_GROUPS,
        policies.POLICIES,
        migrations.MIGRATIONS,
        software.STATIC_PACKAGES,
    )
