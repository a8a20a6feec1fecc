"""Per-invocation CLI state (filled in by the CLI platform work)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import click


@dataclass
class CliContext:
    profile: str | None = None
    config_file: str | None = None
    tenant: str | None = None
    all_tenants: bool = False
    emulator: bool = False
    debug: bool = False
    no_color: bool = False

    @classmethod
    def from_options(cls, ctx: click.Context, **options: Any) -> CliContext:
        return cls(**{k: v for k, v in options.items() if k in cls.__dataclass_fields__})
