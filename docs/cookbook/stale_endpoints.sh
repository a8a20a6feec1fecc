#!/bin/sh
# Endpoints not seen for 30 days (or the age given), as a CSV file to review before cleaning up.
#
#   sh docs/cookbook/stale_endpoints.sh [AGE] [FILE]       # defaults: 30d stale-endpoints.csv
set -eu
age="${1:-30d}"
out="${2:-stale-endpoints.csv}"
pysophos endpoint list --last-seen-before "$age" \
    --fields id,hostname,type,os.name,lastSeenAt,associatedPerson.name \
    -o csv --output-file "$out"
echo "wrote $out" >&2
