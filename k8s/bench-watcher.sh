#!/usr/bin/env bash
# Kubernetes watcher benchmark: fabric8's CRUD mock API in one JVM holding PODS pods, DEPLOYMENTS
# deployments, SERVICES services in NAMESPACES namespaces; the agent's leader-elected watcher in another
# JVM, measured alone (time to a complete inventory, CPU over STEADY seconds, heap after GC).
# Needs a build: mvn -B -q -pl protocol,node-actor -am install -DskipTests && mvn -q -pl node-actor test-compile
set -euo pipefail
cd "$(dirname "$0")/.."
PODS=${PODS:-3000}
DEPLOYMENTS=${DEPLOYMENTS:-2500}
SERVICES=${SERVICES:-500}
NAMESPACES=${NAMESPACES:-50}
STEADY=${STEADY:-60}
WATCHER_OPTS=${WATCHER_OPTS:--Xmx512m -XX:+UseSerialGC}

cp_file=node-actor/target/bench-classpath.txt
mvn -B -q -o -pl node-actor dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$cp_file" >/dev/null
cp="node-actor/target/test-classes:node-actor/target/classes:$(cat "$cp_file")"
main=io.portolan.node.kubernetes.KubernetesWatcherBenchmark
url_file=$(mktemp -u /tmp/portolan-bench-url.XXXXXX)

java -Xmx2g -cp "$cp" "$main" server "$PODS" "$DEPLOYMENTS" "$SERVICES" "$NAMESPACES" "$url_file" \
  &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true; rm -f "$url_file"' EXIT
while [[ ! -f "$url_file" ]]; do
  kill -0 $server_pid 2>/dev/null || { echo "mock API server exited" >&2; exit 1; }
  sleep 0.5
done
expected=$((PODS + DEPLOYMENTS + SERVICES + NAMESPACES))
echo "watcher JVM: $WATCHER_OPTS; expecting $expected entries"
java $WATCHER_OPTS -cp "$cp" "$main" watch "$url_file" "$expected" "$STEADY"
