"""A warm ``pysophos`` for crash tests: imports once, then forks a CLI run per request.

A test starts it as a subprocess (one thread, so forking is safe) and speaks JSON lines on its
stdin/stdout::

    {"run": ["siem", "events", ...], "stdout": "out.jsonl", "stderr": "err.txt"}  -> {"pid": 123}
    {"wait": 123}                                                              -> {"status": 0}

Each run is a real process that the test may ``kill -9`` at any moment, costing milliseconds
instead of an interpreter start-up.
"""

from __future__ import annotations

import json
import os
import signal
import sys

import pysophoscentralapi._sync.siem
import pysophoscentralapi.cli._siem_sinks
import pysophoscentralapi.cli.commands.siem  # noqa: F401 - imported before forking
from pysophoscentralapi.cli import cli
from pysophoscentralapi.cli._errors import run_main


def _child(request: dict[str, object]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    out = request.get("stdout") or os.devnull
    err = request.get("stderr") or os.devnull
    os.dup2(os.open(str(out), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600), 1)
    os.dup2(os.open(str(err), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600), 2)
    code = 1
    try:
        run_main(cli, [str(a) for a in request["run"]])  # type: ignore[union-attr]
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else 1
    finally:
        sys.stdout.flush()
        os._exit(code)


def main() -> None:
    for line in sys.stdin:
        request = json.loads(line)
        if "run" in request:
            sys.stdout.flush()
            pid = os.fork()
            if pid == 0:
                _child(request)
            answer: dict[str, int] = {"pid": pid}
        else:
            _, status = os.waitpid(int(request["wait"]), 0)
            answer = {"status": os.waitstatus_to_exitcode(status)}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
