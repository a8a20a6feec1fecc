"""Generate a new tamper-protection password on every endpoint that has tamper protection on.

    python docs/cookbook/rotate_tamper_passwords.py --dry-run
    python docs/cookbook/rotate_tamper_passwords.py

The new passwords are not printed (they unlock the Sophos agent). Read one when you need it:
``pysophos endpoint tamper password ID``. Endpoints are updated a few at a time, concurrently;
one that fails is reported and the others go on (exit status 1 if any failed).
"""

from __future__ import annotations

import argparse
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from pysophoscentralapi import SophosCentral, SophosCentralError
from pysophoscentralapi.models import Endpoint


def print_request(method: str, url: str, body: Any) -> None:
    print(f"DRY RUN: {method} {url} {body}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", help="settings profile (default: SOPHOS_PROFILE or default)")
    parser.add_argument("--workers", type=int, default=8, help="endpoints updated at once")
    parser.add_argument("--dry-run", action="store_true", help="print the requests, send nothing")
    args = parser.parse_args(argv)

    options: dict[str, Any] = {"dry_run_sink": print_request} if args.dry_run else {}
    try:
        with SophosCentral.from_config(profile=args.profile, **options) as central:
            endpoints = list(
                central.endpoints.list(
                    tamper_protection_enabled=True, view="basic", fields=["id", "hostname"]
                )
            )

            def rotate(endpoint: Endpoint) -> str | None:
                try:
                    central.endpoints.update_tamper_protection(
                        endpoint.id, regenerate_password=True
                    )
                except SophosCentralError as error:
                    return f"{endpoint.hostname} ({endpoint.id}): {error.message}"
                return None

            with ThreadPoolExecutor(max_workers=args.workers) as pool:
                failures = [problem for problem in pool.map(rotate, endpoints) if problem]
    except SophosCentralError as error:
        print(f"error: {error.message}", file=sys.stderr)
        return 1
    for problem in failures:
        print(f"failed: {problem}", file=sys.stderr)
    done = len(endpoints) - len(failures)
    verb = "would rotate" if args.dry_run else "rotated"
    print(f"{verb} the tamper-protection password of {done} of {len(endpoints)} endpoint(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
