"""The listings of the hunting, cases, partner, licensing and software families fit an
80-column terminal with the emulator's rows, keeping their key columns (the ones that name a row)."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from typing import Any

import pytest

from pysophoscentralapi.cli._output import Column, OutputOptions, write_rows
from pysophoscentralapi.cli.commands import account, detections, licenses, partner, software
from pysophoscentralapi.cli.commands.cases import CASE_COLUMNS
from tests.conftest import Cli
from tests.integration.test_partner import _last_month

_YEAR, _MONTH = _last_month()

#: (credentials, command, its declared columns, the key columns the header must keep)
LISTINGS: list[tuple[str, list[str], Sequence[str | Column], list[str]]] = [
    ("tenant", ["detections", "list", "--since", "30d"], detections.DETECTION_COLUMNS,
     ["detectionRule", "id"]),
    ("tenant", ["detections", "groups", "--since", "30d"], detections.GROUP_COLUMNS,
     ["detectionRule"]),
    ("tenant", ["cases", "list"], CASE_COLUMNS, ["id", "name"]),
    ("tenant", ["licenses"], licenses.LICENSE_COLUMNS, ["product.name"]),
    ("tenant", ["account", "tokens", "list"], account.TOKEN_COLUMNS, ["label", "id"]),
    ("tenant", ["endpoint", "software", "comments", "list"], software.COMMENT_COLUMNS,
     ["package.id"]),
    ("partner", ["partner", "admins", "list"], partner.ADMIN_COLUMNS, ["username", "id"]),
    ("partner", ["partner", "billing", "usage", f"{_YEAR}-{_MONTH:02d}"], partner.USAGE_COLUMNS,
     ["accountId", "productCode"]),
    ("partner", ["licenses", "firewalls"], licenses.FIREWALL_COLUMNS, ["serialNumber"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "args", "columns", "keys"), LISTINGS, ids=[" ".join(c[1][:2]) for c in LISTINGS]
)
def test_listing_fits_80_columns_with_its_key_columns(
    kind: str,
    args: list[str],
    columns: Sequence[str | Column],
    keys: list[str],
    isolated_env: dict[str, str],
    sophos_emulator: Any,
) -> None:
    result = Cli(env={**isolated_env, **sophos_emulator.env(kind)})(*args, "-o", "json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert rows, "the emulator has rows for this listing"
    out = io.StringIO()
    write_rows(
        OutputOptions(format="table", columns=tuple(columns)), rows, stdout=out,
        stderr=io.StringIO(), stdout_is_terminal=True, color=False, width=80,
    )  # fmt: skip
    lines = out.getvalue().splitlines()
    assert max(len(line) for line in lines) <= 80, out.getvalue()
    assert all(key in lines[0].split() for key in keys), lines[0]
