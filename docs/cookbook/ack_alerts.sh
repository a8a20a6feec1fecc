#!/bin/sh
# Acknowledge every alert of one category raised since a given time.
#
#   sh docs/cookbook/ack_alerts.sh [CATEGORY] [SINCE]      # defaults: updating 7d ("all": any time)
#
# `alerts action` takes one alert id; the listing prints the ids one per line (csv, no header)
# and xargs runs one action per id. --yes is needed because stdin is not a terminal.
set -eu
category="${1:-updating}"
since="${2:-7d}"
pysophos alerts list --category "$category" --from "$since" --fields id -o csv --no-headers \
    | xargs -r -I{} pysophos alerts action {} acknowledge --yes -o jsonl --fields alertId,status
