"""A local Sophos Central: token endpoint, global APIs and data regions on one loopback port.

For trying the CLI without credentials, developing scripts safely, and as the target of
integration tests (like moto for AWS). Needs the ``[emulator]`` extra (starlette, uvicorn).

Example::

    from pysophoscentralapi.emulator import EmulatorConfig, run_emulator

    with run_emulator(EmulatorConfig(endpoints=1000, fault_rate=0.1)) as emu:
        print(emu.env("tenant"))     # SOPHOS_CLIENT_ID, ..._SECRET, ..._AUTH_URL, ..._API_URL
        emu.state.faults.latency_ms = 50

Names are imported lazily, so importing this package (as the pytest plugin does in every test
run) costs nothing and does not need starlette or uvicorn.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pysophoscentralapi.emulator._app import EmulatorApp, create_app
    from pysophoscentralapi.emulator._faults import FaultControls
    from pysophoscentralapi.emulator._runner import RunningEmulator, run_emulator
    from pysophoscentralapi.emulator._state import (
        DEMO_CREDENTIALS,
        Credential,
        EmulatorConfig,
        EmulatorState,
        Principal,
        RequestRecord,
        TenantState,
    )

__all__ = [
    "DEMO_CREDENTIALS",
    "Credential",
    "EmulatorApp",
    "EmulatorConfig",
    "EmulatorState",
    "FaultControls",
    "Principal",
    "RequestRecord",
    "RunningEmulator",
    "TenantState",
    "create_app",
    "run_emulator",
]

_HOME = {
    "EmulatorApp": "_app",
    "create_app": "_app",
    "FaultControls": "_faults",
    "RunningEmulator": "_runner",
    "run_emulator": "_runner",
}


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module(f"{__name__}.{_HOME.get(name, '_state')}")
    return getattr(module, name)
