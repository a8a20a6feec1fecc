"""``pysophos xdr``: SQL over the Sophos Data Lake (see :mod:`._hunting` for the command tree)."""

from __future__ import annotations

from pysophoscentralapi.cli.commands._hunting import QuerySpec, query_group

__all__ = ["xdr"]

xdr = query_group(
    QuerySpec(
        command="xdr",
        attribute="xdr",
        label="XDR query",
        summary="XDR Data Lake: SQL over what endpoints uploaded (query, runs, queries, categories).",
        example_sql="SELECT meta_hostname, name, cmdline FROM xdr_data WHERE name = 'powershell.exe'",
        example_saved="Logons per device",
        example_run="debdea41-d9a6-4399-811a-4643396b68e2",
        time_range=True,
        can_cancel=True,
    )
)
