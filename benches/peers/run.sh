#!/usr/bin/env bash
# leadlake's lead pipeline beside DuckDB, chDB and the floor: see README.md.
#
#   benches/peers/run.sh [--events 1M|10M|100M ...] [--rounds N] [--timeout S] [--no-write]
#
# Installs the peers into their own virtualenv on first use, builds the
# release binary if needed (or uses $LEADLAKE), then hands over to driver.py.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
die() { echo "peers: $*" >&2; exit 1; }

venv="${LEADLAKE_PEERS_VENV:-$HOME/.cache/leadlake-peers-venv}"
if ! "$venv/bin/python" -c 'import duckdb, chdb, maxminddb' 2>/dev/null; then
  echo "peers: installing DuckDB, chDB and maxminddb into $venv (once)" >&2
  [ -x "$venv/bin/pip" ] || python3 -m venv "$venv" || die "could not create the virtualenv $venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check \
    'duckdb>=2,<3' 'chdb>=4,<5' 'maxminddb>=3,<4' || die "pip could not install the peers into $venv"
fi

# check the arguments (and answer --help) before a build that can take long
for arg in "$@"; do
  case "$arg" in -h|--help) exec "$venv/bin/python" "$here/driver.py" --help ;; esac
done
"$venv/bin/python" "$here/driver.py" --check-args "$@"

if [ -z "${LEADLAKE:-}" ]; then
  target="${CARGO_TARGET_DIR:-target}"
  case "$target" in /*) ;; *) target="$repo/$target" ;; esac
  echo "peers: cargo build --release --bin leadlake (into $target)" >&2
  (cd "$repo" && cargo build --release --bin leadlake) || die "the release build of leadlake failed"
  LEADLAKE="$target/release/leadlake"
fi
[ -x "$LEADLAKE" ] || die "no leadlake binary at $LEADLAKE"

exec "$venv/bin/python" "$here/driver.py" --leadlake "$LEADLAKE" "$@"
