#!/usr/bin/env bash
# Agent benchmark: 33 busybox containers (~630 processes) talking to each other, the agent in its own JVM
# for 60 s; prints agent CPU (% of one core), RSS and event -> report latency, then removes its containers.
#
# Usage: node-actor/bench/agent-bench.sh [--containers 33] [--sleepers 16] [--seconds 60] [--warmup 20]
# Env:   SKIP_BUILD=1    use what the last build left in node-actor/target
#        AGENT_JVM_FLAGS  the agent's JVM flags (default in AgentBench.DEFAULT_FLAGS)
#        AGENT_ARGS       extra agent CLI arguments
#        MVN              maven command (default: mvn -B -q -o)
# Needs: a running Docker engine and the portolan/busybox:test image (make test-image).
set -euo pipefail
cd "$(dirname "$0")/../.."
MVN="${MVN:-mvn -B -q -o}"
if [[ -z "${SKIP_BUILD:-}" ]]; then
  # install writes target/runtime-classpath.txt (compile + runtime scope: what the agent ships with).
  # Note: the dependency plugin's scope filter is -DincludeScope; "-Dmdep.includeScope" is silently ignored,
  # which is how an earlier version of this script ran the agent on the test classpath.
  $MVN -pl protocol,node-actor -am install -DskipTests
  $MVN -pl node-actor dependency:build-classpath -DincludeScope=test -Dmdep.outputFile=target/test.cp
fi
cd node-actor
AGENT_CP="$PWD/target/classes:$(cat target/runtime-classpath.txt)"
if tr ':' '\n' <<<"$AGENT_CP" | grep -Eq 'junit|testkit|server-mock'; then
  echo "agent classpath contains test jars; refusing to measure" >&2; exit 2
fi
BENCH_CP="$PWD/target/test-classes:$AGENT_CP:$(cat target/test.cp)"
exec java -Dlogback.configurationFile="$PWD/src/test/resources/logback-test.xml" -cp "$BENCH_CP" \
  io.portolan.node.bench.AgentBench --agent-classpath "$AGENT_CP" "$@"
