#!/bin/sh
# Export every endpoint of every tenant to one CSV file (partner or organization credentials).
#
#   sh docs/cookbook/export_all_endpoints.sh [FILE]        # default: all-endpoints.csv
#
# Each row gets tenant_id and tenant_name columns. Tenants that cannot be read (no partner access,
# inactive) are listed on stderr and skipped; pysophos then exits with status 6, which this script
# passes on after the file is written.
set -u
out="${1:-all-endpoints.csv}"
pysophos --all-tenants endpoint list -o csv --output-file "$out"
status=$?
echo "wrote $out" >&2
exit $status
