#!/usr/bin/env bash
# What `make run` does after the build: one Portolan cluster node on the embedded Cassandra, and
# once it is ready, an agent for this machine that reports to it. Ctrl-C stops both.
# Every PORTOLAN_* setting in docs/operations.md applies; PORTOLAN_NO_AGENT=1 starts the node alone.
set -euo pipefail
cd "$(dirname "$0")/.."

classpath() { # module → its jar plus runtime dependencies, as written by the build
  local jar cp_file="$1/target/runtime-classpath.txt"
  jar=$(ls "$1"/target/portolan-*.jar 2>/dev/null | grep -v -- '-tests' | head -n 1 || true)
  if [[ -z "$jar" || ! -f "$cp_file" ]]; then
    echo "Portolan is not built yet: run 'make run' (it builds first) or 'mvn -DskipTests install'." >&2
    exit 1
  fi
  echo "$jar:$(cat "$cp_file")"
}

java_bin=java
if [[ -x /usr/lib/jvm/java-17-openjdk-amd64/bin/java ]]; then
  java_bin=/usr/lib/jvm/java-17-openjdk-amd64/bin/java
fi

# Dev defaults: data under ./data, keyspace created on first start, one agent token for both.
export PORTOLAN_DATA_DIR=${PORTOLAN_DATA_DIR:-$PWD/data}
export PORTOLAN_CASSANDRA_AUTOCREATE=${PORTOLAN_CASSANDRA_AUTOCREATE:-true}
export PORTOLAN_AGENT_TOKEN=${PORTOLAN_AGENT_TOKEN:-$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')}
port=${PORTOLAN_HTTP_PORT:-4040}

node_pid=""
agent_pid=""
stop() {
  trap - INT TERM EXIT
  [[ -n "$agent_pid" ]] && kill -TERM "$agent_pid" 2>/dev/null || true
  [[ -n "$node_pid" ]] && kill -TERM "$node_pid" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

echo "Starting Portolan (data in $PORTOLAN_DATA_DIR). The UI will be on http://localhost:$port/ once ready."
"$java_bin" ${PORTOLAN_JAVA_OPTS:--Xms128m -Xmx512m} -cp "$(classpath http-gateway)" io.portolan.gateway.PortolanServer &
node_pid=$!

until curl -fs -o /dev/null "http://127.0.0.1:$port/health/ready"; do
  if ! kill -0 "$node_pid" 2>/dev/null; then
    echo "The Portolan node exited before it was ready; its log is above." >&2
    exit 1
  fi
  sleep 1
done
echo "Portolan is ready: http://localhost:$port/  (user 'admin'; the password is PORTOLAN_ADMIN_PASSWORD, or the one printed above on the first start)"

if [[ -z "${PORTOLAN_NO_AGENT:-}" ]]; then
  # The agent's JVM flags (node-actor/BENCHMARK.md), and its AppCDS archive: the first run after a build
  # writes it when the agent exits (-XX:ArchiveClassesAtExit), later runs map it (-XX:SharedArchiveFile).
  # A stale or unusable archive is ignored by the JVM; PORTOLAN_AGENT_CDS=0 leaves CDS out.
  # ArchiveRelocationMode=0: map the archives where they were made to go, not relocated (which would
  # write to every archived page: more resident memory than CDS saves).
  agent_opts=${PORTOLAN_AGENT_JAVA_OPTS:--Xms8m -Xmx36m -Xmn4m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:+UseSerialGC -Xss256k -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:ReservedCodeCacheSize=12m -XX:MaxMetaspaceSize=48m -XX:CompressedClassSpaceSize=16m -XX:-UsePerfData -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0}
  agent_cp="$(classpath node-actor)"
  cds=node-actor/target/agent-cds.jsa
  if [[ "${PORTOLAN_AGENT_CDS:-1}" != 0 ]]; then
    agent_jar=${agent_cp%%:*}
    # The archive records the class path: a rewritten runtime-classpath.txt (e.g. protocol resolved from the
    # local repository instead of the reactor) makes the JVM drop it silently, so it is remade then too.
    if [[ -s "$cds" && "$cds" -nt "$agent_jar" && "$cds" -nt node-actor/target/runtime-classpath.txt ]]; then
      agent_opts="$agent_opts -XX:SharedArchiveFile=$cds -Xshare:auto"
    else
      rm -f "$cds"
      agent_opts="$agent_opts -XX:ArchiveClassesAtExit=$cds"
    fi
  fi
  # The local agent of a dev setup allows host exec (admins only); PORTOLAN_AGENT_HOST_EXEC=false turns it off.
  PORTOLAN_AGENT_HOST_EXEC="${PORTOLAN_AGENT_HOST_EXEC:-true}" \
  MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2} "$java_bin" $agent_opts \
    -cp "$agent_cp" io.portolan.node.agent.AgentMain --cluster "ws://127.0.0.1:$port" &
  agent_pid=$!
  echo "Started the local agent (pid $agent_pid): this machine's containers and processes appear in the UI."
fi
wait "$node_pid"
