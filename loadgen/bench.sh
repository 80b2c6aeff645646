#!/usr/bin/env bash
# The live-topology benchmark of issue 4 in one command: starts N Portolan nodes (3 by default) as
# JVM processes on loopback (node 1 runs the embedded Cassandra), runs the load generator against
# them, prints its figures and the nodes' RSS over time, and stops everything it started.
#
#   flock -x /tmp/portolan-cpu.lock loadgen/bench.sh HOSTS PROFILE DURATION WARMUP
#   flock -x /tmp/portolan-cpu.lock loadgen/bench.sh 100 scope 60s 20s
#
# PROFILE: default (issue 4's host) or scope (Weave Scope's host size). Environment:
#   BENCH_NODES=3            how many nodes
#   BENCH_HEAP=1g            node heap (-Xms = -Xmx)
#   BENCH_GC="-XX:+UseParallelGC"  the nodes' collector flags (e.g. "-XX:+UseG1GC -XX:MaxGCPauseMillis=50")
#   BENCH_JFR=1              record each node with JDK Flight Recorder; a hot-method summary is printed
#                            (loadgen/jfr-top.sh) and the recordings stay in the run directory
#   BENCH_PORT_BASE=14040    HTTP ports BASE..BASE+N-1 (Artery on 25620+, Cassandra on 19042)
#   BENCH_MARKDOWN=file      append the figures to this markdown file too
#   BENCH_MEASURE=shared     time the view GETs on the agents' HTTP client, as before 2026-12-03 12:00
#                            (default: a dedicated client; see BENCHMARK.md, "200-host tail")
#   BENCH_WARM_VIEWS=no      do not request the views during the warm-up (as before 2026-12-03 12:00)
# Build first: mvn -B -DskipTests install (the nodes run http-gateway/target, the generator loadgen/target).
set -euo pipefail
cd "$(dirname "$0")/.."

hosts=${1:-100}
profile=${2:-default}
duration=${3:-60s}
warmup=${4:-20s}
nodes=${BENCH_NODES:-3}
heap=${BENCH_HEAP:-1g}
base=${BENCH_PORT_BASE:-14040}
cluster_base=$((base - 14040 + 25620))
cql_port=$((base - 14040 + 19042))
run_dir=$(mktemp -d /tmp/portolan-bench-XXXXXX)
java_bin=java
[[ -x /usr/lib/jvm/java-17-openjdk-amd64/bin/java ]] && java_bin=/usr/lib/jvm/java-17-openjdk-amd64/bin/java

for f in http-gateway/target/runtime-classpath.txt loadgen/target/runtime-classpath.txt; do
  [[ -f $f ]] || { echo "$f is missing: run 'mvn -B -DskipTests install' first" >&2; exit 1; }
done
gateway_cp="$(ls http-gateway/target/portolan-http-gateway-*.jar | grep -v -- -tests | head -1):$(cat http-gateway/target/runtime-classpath.txt)"
loadgen_cp="loadgen/target/classes:$(cat loadgen/target/runtime-classpath.txt)"

export PORTOLAN_AGENT_TOKEN=bench-agent-token-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
export PORTOLAN_ADMIN_PASSWORD=bench-admin-password
export PORTOLAN_CASSANDRA_AUTOCREATE=true
export PORTOLAN_LOG_LEVEL=${PORTOLAN_LOG_LEVEL:-WARN}
seeds="127.0.0.1:$cluster_base"

pids=()
rss_pid=""
loadgen_pid=""
cleanup() {
  trap - EXIT INT TERM
  [[ -n $rss_pid ]] && kill "$rss_pid" 2>/dev/null || true
  [[ -n $loadgen_pid ]] && kill "$loadgen_pid" 2>/dev/null || true
  # Stop the nodes in reverse order (node 1 owns the embedded Cassandra) and wait for each.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill -TERM "${pids[$i]}" 2>/dev/null || true; done
  for p in "${pids[@]}"; do
    for _ in $(seq 1 60); do kill -0 "$p" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$p" 2>/dev/null || true
  done
  echo "bench: logs and recordings in $run_dir"
}
trap cleanup EXIT INT TERM

node_urls=()
for ((i = 0; i < nodes; i++)); do
  port=$((base + i))
  node_urls+=("http://127.0.0.1:$port")
  read -r -a gc_flags <<<"${BENCH_GC:--XX:+UseParallelGC}"
  # The GC log (wall-clock time) lets a slow request of the load generator be matched with a pause.
  jvm=(-Xms"$heap" -Xmx"$heap" "${gc_flags[@]}" "-Xlog:gc:file=$run_dir/node$((i + 1))-gc.log:time,uptime")
  if [[ -n ${BENCH_JFR:-} ]]; then
    jvm+=("-XX:StartFlightRecording=filename=$run_dir/node$((i + 1)).jfr,settings=profile,dumponexit=true")
  fi
  env_extra=(PORTOLAN_HTTP_PORT=$port PORTOLAN_CLUSTER_PORT=$((cluster_base + i)) PORTOLAN_SEED_NODES=$seeds
    PORTOLAN_MANAGEMENT_PORT=$((base - 14040 + 18558 + i)) PORTOLAN_DATA_DIR=$run_dir/data$((i + 1)))
  if ((i == 0)); then
    env_extra+=(PORTOLAN_CASSANDRA_NATIVE_PORT=$cql_port PORTOLAN_CASSANDRA_STORAGE_PORT=0)
  else
    env_extra+=(PORTOLAN_CASSANDRA_CONTACT_POINTS=127.0.0.1:$cql_port)
  fi
  env "${env_extra[@]}" "$java_bin" "${jvm[@]}" -cp "$gateway_cp" io.portolan.gateway.PortolanServer \
    >"$run_dir/node$((i + 1)).log" 2>&1 &
  pids+=($!)
  # Node 1 first (it starts Cassandra and forms the cluster), the others once it is ready.
  if ((i == 0)); then
    for _ in $(seq 1 240); do
      curl -fs -o /dev/null "http://127.0.0.1:$port/health/ready" && break
      kill -0 "${pids[0]}" 2>/dev/null || { echo "node 1 exited; log:" >&2; tail -30 "$run_dir/node1.log" >&2; exit 1; }
      sleep 0.5
    done
  fi
done
for url in "${node_urls[@]}"; do
  for _ in $(seq 1 240); do curl -fs -o /dev/null "$url/health/ready" && break; sleep 0.5; done
  curl -fs -o /dev/null "$url/health/ready" || { echo "$url never got ready; logs in $run_dir" >&2; exit 1; }
done
echo "bench: $nodes nodes ready (${node_urls[*]}), heap $heap each, ${BENCH_GC:--XX:+UseParallelGC}; load average $(cut -d' ' -f1-3 /proc/loadavg)"

api_token=$(curl -fs "${node_urls[0]}/api/auth/login" -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$PORTOLAN_ADMIN_PASSWORD\"}" | sed -E 's/.*"token":"([^"]+)".*/\1/')

markdown_args=()
[[ -n ${BENCH_MARKDOWN:-} ]] && markdown_args=(--markdown "$BENCH_MARKDOWN")
[[ -n ${BENCH_MEASURE:-} ]] && markdown_args+=(--measure-client "$BENCH_MEASURE")
[[ -n ${BENCH_WARM_VIEWS:-} ]] && markdown_args+=(--warm-views "$BENCH_WARM_VIEWS")
"$java_bin" -Xmx1g -cp "$loadgen_cp" io.portolan.loadgen.LoadGen \
  --nodes "$(IFS=,; echo "${node_urls[*]}")" --hosts "$hosts" --profile "$profile" \
  --duration "$duration" --warmup "$warmup" --rampup 10s \
  --token "$PORTOLAN_AGENT_TOKEN" --api-token "$api_token" "${markdown_args[@]}" &
loadgen_pid=$!

# CPU seconds (user + system, from /proc/PID/stat) of a process so far.
cpu_seconds() {
  awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / hz }' "/proc/$1/stat" 2>/dev/null || echo gone
}
# Every 10 s: RSS of every node (what the kernel charges, heap + off-heap) and the CPU seconds
# used so far by every node and by the load generator (the difference between two lines is the
# CPU each one used in those 10 s: 20 s of CPU per 10 s is both cores).
(
  while true; do
    line="bench: t=$(date +%H:%M:%S) rss MiB"
    for p in "${pids[@]}"; do
      line+=" $(awk '/VmRSS/ {printf "%.0f", $2/1024}' /proc/$p/status 2>/dev/null || echo gone)"
    done
    line+="; cpu s nodes"
    for p in "${pids[@]}"; do line+=" $(cpu_seconds "$p")"; done
    line+=" loadgen $(cpu_seconds "$loadgen_pid")"
    echo "$line"
    sleep 10
  done
) &
rss_pid=$!
wait "$loadgen_pid"
echo "bench: load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
# GC pauses per node over the whole run (ramp-up and warm-up included; not the System.gc() the load
# generator asks for before and after, for its heap figures); the logs stay in the run directory.
for ((i = 0; i < nodes; i++)); do
  awk -v node=$((i + 1)) '/Pause/ && !/System.gc/ && match($0, /[0-9.]+ms$/) {
      ms = substr($0, RSTART, RLENGTH - 2) + 0; n++; sum += ms; if (ms > max) max = ms; if (ms >= 50) long++ }
    END { printf "bench: node %d GC pauses: %d, %.0f ms in all, max %.0f ms, %d of 50 ms or more\n", node, n, sum, max, long }' \
    "$run_dir/node$((i + 1))-gc.log" 2>/dev/null || true
done

if [[ -n ${BENCH_JFR:-} ]]; then
  kill "$rss_pid" 2>/dev/null || true
  rss_pid=""
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill -TERM "${pids[$i]}" 2>/dev/null || true; done
  for p in "${pids[@]}"; do for _ in $(seq 1 60); do kill -0 "$p" 2>/dev/null || break; sleep 0.5; done; done
  for f in "$run_dir"/node*.jfr; do
    [[ -f $f ]] && { echo "== $f"; loadgen/jfr-top.sh "$f" 25; }
  done
fi
