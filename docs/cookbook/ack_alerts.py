"""Acknowledge a batch of alerts: every alert matching the filters that allows ``acknowledge``.

    python docs/cookbook/ack_alerts.py --category updating --severity low --dry-run
    python docs/cookbook/ack_alerts.py --category updating --days 30

Alerts that do not allow acknowledging are skipped and counted.
"""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from typing import Any

from pysophoscentralapi import SophosCentral, SophosCentralError


def print_request(method: str, url: str, body: Any) -> None:
    print(f"DRY RUN: {method} {url} {body}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", help="settings profile (default: SOPHOS_PROFILE or default)")
    parser.add_argument("--category", action="append", help="alert category (repeatable)")
    parser.add_argument("--severity", action="append", help="high, medium or low (repeatable)")
    parser.add_argument("--days", type=int, default=7, help="alerts raised in the last N days")
    parser.add_argument("--message", help="a note recorded with each action")
    parser.add_argument("--dry-run", action="store_true", help="print the requests, send nothing")
    args = parser.parse_args(argv)

    options: dict[str, Any] = {"dry_run_sink": print_request} if args.dry_run else {}
    acknowledged = skipped = 0
    try:
        with SophosCentral.from_config(profile=args.profile, **options) as central:
            # Collect first: acknowledged alerts leave the listing, which must not shift under
            # the pages still to be read.
            alerts = central.alerts.list(
                category=args.category, severity=args.severity, from_=timedelta(days=args.days)
            ).to_list()
            for alert in alerts:
                if "acknowledge" not in alert.allowed_actions:
                    skipped += 1
                    continue
                central.alerts.act(alert.id, "acknowledge", message=args.message)
                acknowledged += 1
    except (SophosCentralError, ValueError) as error:
        print(f"error: {getattr(error, 'message', error)}", file=sys.stderr)
        return 1
    verb = "would acknowledge" if args.dry_run else "acknowledged"
    print(f"{verb} {acknowledged} alert(s); {skipped} do not allow it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
