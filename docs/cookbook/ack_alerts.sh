#!/bin/sh
# Acknowledge every alert of one category raised since a given time.
#
#   sh docs/cookbook/ack_alerts.sh [CATEGORY] [SINCE]      # defaults: updating 7d ("all": any time)
#
# The listing prints the ids one per line (csv, no header); `alerts action -` reads them from
# stdin and prints one result row per alert (id,status). --yes is needed because stdin is not a
# terminal. The exit status is that of the worst outcome (0 only if every alert was acknowledged).
set -eu
category="${1:-updating}"
since="${2:-7d}"
ids=$(pysophos alerts list --category "$category" --from "$since" --fields id -o csv --no-headers)
[ -n "$ids" ] || exit 0    # nothing to do (an empty id list would be a usage error)
printf '%s\n' "$ids" | pysophos alerts action - acknowledge --yes -o csv --no-headers --fields id,status
