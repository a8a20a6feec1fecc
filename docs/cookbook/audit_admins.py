"""Audit admins and their roles in every tenant (partner/organization credentials) as CSV.

    python docs/cookbook/audit_admins.py > admins.csv
    python docs/cookbook/audit_admins.py --output admins.csv

One row per admin and role: tenant, admin name, email, role. With tenant credentials it audits
that one tenant. Tenants that cannot be read (no partner access, inactive) are listed on stderr
and the exit status is 6, as for ``pysophos --all-tenants``.
"""

from __future__ import annotations

import argparse
import csv
import sys
from typing import Any

from pysophoscentralapi import SophosCentral, SophosCentralError

COLUMNS = ["tenant_id", "tenant_name", "admin_id", "name", "email", "role_id", "role_name"]


def admin_rows(client: SophosCentral, tenant_id: str, tenant_name: str) -> list[dict[str, Any]]:
    """One tenant's admins, one row per role they hold."""
    role_names = {role.id: role.name for role in client.roles.list()}
    rows = []
    for admin in client.admins.list():
        profile = admin.profile
        for role_id in admin.role_ids or [""]:
            rows.append(
                {
                    "tenant_id": tenant_id,
                    "tenant_name": tenant_name,
                    "admin_id": admin.id,
                    "name": profile.name if profile else "",
                    "email": profile.email if profile else "",
                    "role_id": role_id,
                    "role_name": role_names.get(role_id, ""),
                }
            )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", help="settings profile (default: SOPHOS_PROFILE or default)")
    parser.add_argument("--output", help="CSV file to write (default: stdout)")
    parser.add_argument("--concurrency", type=int, default=8, help="tenants read at once")
    args = parser.parse_args(argv)

    rows: list[dict[str, Any]] = []
    failed = 0
    try:
        with SophosCentral.from_config(profile=args.profile) as central:
            me = central.whoami()
            if str(me.id_type) == "tenant":
                rows = admin_rows(central, me.id, "")
            else:
                outcomes = central.each_tenant(
                    lambda client, tenant: admin_rows(client, str(tenant.id), tenant.name or ""),
                    concurrency=args.concurrency,
                )
                for outcome in outcomes:
                    if outcome.ok and outcome.result is not None:
                        rows.extend(outcome.result)
                    else:
                        failed += 1
                        reason = getattr(outcome.error, "message", outcome.error)
                        print(f"tenant failed: {outcome.tenant_name}: {reason}", file=sys.stderr)
    except SophosCentralError as error:
        print(f"error: {error.message}", file=sys.stderr)
        return 1

    rows.sort(key=lambda row: (row["tenant_name"], row["email"], row["role_name"]))
    out = open(args.output, "w", newline="") if args.output else sys.stdout  # noqa: SIM115
    try:
        writer = csv.DictWriter(out, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    finally:
        if out is not sys.stdout:
            out.close()
    return 6 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
