#!/usr/bin/env bash
# The cluster's overhead: the same queries on a Ballista cluster of two
# executors running one task each, and on one node with two threads, on
# the same machine, alternating, several rounds. See docs/cluster.md.
#
#   LEADLAKE=<binary built --features cluster> benches/cluster/run.sh DIR [ROUNDS] [QUERY...]
#
# DIR is a folder written by `leadlake generate` (lake/, ipdb/,
# manifest.json). Prints, for each query and mode, the median wall time,
# and the executors' peak memory and shuffle files.
set -euo pipefail
die() { echo "cluster bench: $*" >&2; exit 1; }
[ $# -ge 1 ] || die "usage: LEADLAKE=<binary> $0 DIR [ROUNDS] [QUERY...]"
dir="$(cd "$1" && pwd)"; shift
rounds="${1:-3}"; [ $# -ge 1 ] && shift
queries=("$@"); [ ${#queries[@]} -gt 0 ] || queries=(company_leads --all)
bin="${LEADLAKE:-}"; [ -x "$bin" ] || die "set LEADLAKE to a leadlake binary built with --features cluster"
as_of="$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['as_of'])" "$dir/manifest.json")"
args=(--lake "$dir/lake" --as-of "$as_of")
for db in "$dir"/ipdb/*.mmdb; do args+=(--ipdb "$db"); done
[ -f "$dir/ipdb/overrides.csv" ] && args+=(--overrides "$dir/ipdb/overrides.csv")

work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 300); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return; sleep 0.1; done; die "nothing on port $1"; }

sched="$(port)"
"$bin" cluster scheduler --bind "127.0.0.1:$sched" 2>"$work/scheduler.log" & pids+=($!)
wait_port "$sched"
execs=()
for i in 0 1; do
  p="$(port)"; mkdir -p "$work/ex$i"
  # one core each: executor i on core i, one task at a time
  taskset -c "$i" "$bin" cluster executor --scheduler "127.0.0.1:$sched" --bind "127.0.0.1:$p" \
    --concurrent-tasks 1 --work-dir "$work/ex$i" 2>"$work/ex$i.log" & pids+=($!); execs+=($!)
  wait_port "$p"
done
sleep 4  # executors register with their first heartbeat

run() {  # mode query -> seconds
  local mode="$1" q="$2" out="$work/out-$1"
  local extra=(--threads 2); [ "$mode" = cluster ] && extra=(--cluster "df://127.0.0.1:$sched" --threads 2)
  rm -rf "$out"
  local start end
  start=$(date +%s.%N)
  if [ "$q" = --all ]; then
    "$bin" run --all --output-dir "$out" --format csv "${args[@]}" "${extra[@]}" 2>/dev/null
  else
    mkdir -p "$out"; "$bin" run "$q" --output "$out/$q.csv" "${args[@]}" "${extra[@]}" 2>/dev/null
  fi
  end=$(date +%s.%N)
  python3 -c "print(f'{$end - $start:.2f}')"
}
written() {  # bytes the executors have written to storage (their shuffle files)
  local t=0; for p in "${execs[@]}"; do t=$((t + $(awk '/^write_bytes/ {print $2}' "/proc/$p/io"))); done; echo "$t"
}
median() { python3 -c 'import statistics,sys; print(f"{statistics.median(map(float, sys.argv[1:])):.2f}")' "$@"; }

events="$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['events'])" "$dir/manifest.json")"
printf '| query | one node, 2 threads | cluster, 2 executors x 1 task | ratio | shuffle written |\n| --- | --- | --- | --- | --- |\n'
for q in "${queries[@]}"; do
  one=(); clu=()
  for _ in $(seq "$rounds"); do
    one+=("$(run one "$q")")
    before="$(written)"; clu+=("$(run cluster "$q")"); shuffled=$(( $(written) - before ))
    # the answers must agree
    for f in "$work"/out-one/*.csv; do
      diff -q <(sort "$f") <(sort "$work/out-cluster/$(basename "$f")") >/dev/null \
        || die "$q: $(basename "$f") differs between one node and the cluster"
    done
  done
  m1="$(median "${one[@]}")"; m2="$(median "${clu[@]}")"
  printf '| `%s` | %s s (%s) | %s s (%s) | %s | %s |\n' "$q" "$m1" "${one[*]}" "$m2" "${clu[*]}" \
    "$(python3 -c "print(f'{$m2 / $m1:.2f}x')")" \
    "$(python3 -c "print(f'{$shuffled/1e6:.0f} MB, {$shuffled/$events:.1f} B/event')")"
done
for i in 0 1; do
  echo "executor $i: peak RSS $(awk '/VmHWM/ {printf "%.0f MB", $2/1024}' "/proc/${execs[$i]}/status"), shuffle files now $(du -sh "$work/ex$i" | cut -f1)"
done
