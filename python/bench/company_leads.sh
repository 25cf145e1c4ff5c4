#!/usr/bin/env bash
# company_leads from Python against the command on one lake, alternating,
# ROUNDS rounds each (default 3), with wall time and peak RSS from
# /usr/bin/time -v. The wheel must be installed in PYTHON's environment,
# built in release to compare with a release command.
#
#   python/bench/company_leads.sh LAKE_FOLDER LEADLAKE_BIN PYTHON [AS_OF]
set -euo pipefail
folder=$1 cli=$2 python=$3 as_of=${4:-2027-01-01}
rounds=${ROUNDS:-3}
here=$(cd "$(dirname "$0")" && pwd)
ipdb=()
for db in "$folder"/ipdb/*.mmdb; do ipdb+=(--ipdb "$db"); done
measure() {
  local label=$1; shift
  local log
  log=$(mktemp)
  /usr/bin/time -v "$@" >/dev/null 2>"$log"
  awk -v label="$label" -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = (n == 3) ? t[1] * 3600 + t[2] * 60 + t[3] : t[1] * 60 + t[2] }
    /Maximum resident set size/ { rss = $2 }
    END { printf "%-7s %7.1f s %8.0f MB\n", label, s, rss / 1024 }' "$log"
  rm -f "$log"
}
echo "company_leads on $folder as of $as_of ($rounds rounds each, alternating)"
for _ in $(seq "$rounds"); do
  measure command "$cli" run company_leads --lake "$folder/lake" "${ipdb[@]}" \
    --overrides "$folder/ipdb/overrides.csv" --as-of "$as_of" --format csv
  measure python "$python" "$here/company_leads.py" "$folder" "$as_of"
done
