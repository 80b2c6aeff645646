#!/usr/bin/env bash
# Benchmark: time from `make run` to GET /health/ready = 200, then the idle RSS of the node and of
# its embedded Cassandra after 30 s. Stops what it started.
#   bench/startup.sh cold   # mvn clean + empty data dir: full build and Cassandra's first start
#   bench/startup.sh warm   # built tree and existing data: what a second `make run` costs
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-warm}
port=${PORTOLAN_HTTP_PORT:-4040}
data=${BENCH_DATA_DIR:-$PWD/data}
log=$(mktemp /tmp/portolan-bench-XXXX.log)

if [[ $mode == cold ]]; then
  mvn -B -q clean >/dev/null
  rm -rf "$data"
fi

start=$(date +%s.%N)
PORTOLAN_DATA_DIR=$data make run >"$log" 2>&1 &
make_pid=$!
cleanup() {
  pkill -TERM -f 'io.portolan.gateway.PortolanServer' 2>/dev/null || true
  wait "$make_pid" 2>/dev/null || true
}
trap cleanup EXIT

for _ in $(seq 1 600); do
  if [[ $(curl -s -o /dev/null -w '%{http_code}' "localhost:$port/health/ready") == 200 ]]; then break; fi
  if ! kill -0 "$make_pid" 2>/dev/null; then echo "make run exited; log: $log" >&2; tail -20 "$log" >&2; exit 1; fi
  sleep 0.2
done
ready=$(date +%s.%N)
cassandra_ms=$(grep -oE 'ready at [0-9.:]+ \(pid [0-9]+\) after [0-9]+ ms' "$log" | grep -oE '[0-9]+ ms' | head -1)

sleep 30
node_pid=$(pgrep -f 'io.portolan.gateway.PortolanServer' | head -1)
cass_pid=$(pgrep -f 'CassandraChildMain' | head -1)
rss() { awk '/VmRSS/ {printf "%.0f MB", $2/1024}' "/proc/$1/status"; }

printf 'mode=%s make-run-to-ready=%.1fs cassandra-start=%s node-rss-idle=%s cassandra-rss-idle=%s\n' \
  "$mode" "$(awk -v a="$start" -v b="$ready" 'BEGIN{print b-a}')" "${cassandra_ms:-n/a}" "$(rss "$node_pid")" "$(rss "$cass_pid")"
