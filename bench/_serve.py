"""Run an emulator in its own process (so it does not share the benchmark's GIL).

    python -m bench._serve '{"endpoints": 50000}'

prints the base URL on the first line, then serves until stdin closes.
"""

from __future__ import annotations

import json
import sys

from pysophoscentralapi.emulator import EmulatorConfig, run_emulator


def main() -> None:
    config = EmulatorConfig(**json.loads(sys.argv[1] if len(sys.argv) > 1 else "{}"))
    with run_emulator(config) as emulator:
        print(emulator.url, flush=True)
        sys.stdin.read()  # until the parent closes our stdin


if __name__ == "__main__":
    main()
