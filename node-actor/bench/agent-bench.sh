#!/usr/bin/env bash
# Agent benchmark: 33 busybox containers (~630 processes) talking to each other, the agent in its own JVM
# for 60 s; prints agent CPU (% of one core), RSS and event -> report latency, then removes its containers.
#
# Usage: node-actor/bench/agent-bench.sh [--containers 33] [--sleepers 16] [--seconds 60] [--warmup 20]
# Env:   SKIP_BUILD=1    use what the last build left in node-actor/target
#        SKIP_CDS=1      no AppCDS archive (bench/agent-cds.sh) for the agent
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
# The agent as scripts/run-node.sh runs it: the module's jar and its runtime classpath (also what an AppCDS
# archive from bench/agent-cds.sh was made for).
AGENT_JAR=$(ls "$PWD"/target/portolan-node-actor-*.jar | grep -v -- '-tests' | head -n 1)
AGENT_CP="$AGENT_JAR:$(cat target/runtime-classpath.txt)"
if tr ':' '\n' <<<"$AGENT_CP" | grep -Eq 'junit|testkit|server-mock'; then
  echo "agent classpath contains test jars; refusing to measure" >&2; exit 2
fi
# The agent's recommended JVM flags (also in scripts/run-node.sh), with an AppCDS archive made for this
# build unless SKIP_CDS=1. ArchiveRelocationMode=0 maps the archives at their base address: this JDK
# relocates them by default (ASLR), which writes to every archived page, so +33 MB of RSS instead of -20.
if [[ -z "${AGENT_JVM_FLAGS:-}" ]]; then
  AGENT_JVM_FLAGS="-Xms8m -Xmx36m -Xmn4m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:+UseSerialGC -Xss256k"
  AGENT_JVM_FLAGS+=" -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:ReservedCodeCacheSize=12m"
  AGENT_JVM_FLAGS+=" -XX:MaxMetaspaceSize=48m -XX:CompressedClassSpaceSize=16m -XX:-UsePerfData"
  AGENT_JVM_FLAGS+=" -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0"
  if [[ -z "${SKIP_CDS:-}" ]]; then
    # Also when the class path file is newer: the archive records the class path, and a build that resolves
    # protocol from the local repository instead of the reactor (mvn -pl node-actor verify) rewrites it; the
    # JVM then drops the archive with only a warning in the agent's log (2026-12-03 17:08: 103 MB RSS).
    if [[ ! -s target/agent-cds.jsa || target/agent-cds.jsa -ot "$AGENT_JAR" \
        || target/agent-cds.jsa -ot target/runtime-classpath.txt ]]; then
      bench/agent-cds.sh "$PWD/target/agent-cds.jsa" 20
    fi
    AGENT_JVM_FLAGS+=" -XX:SharedArchiveFile=$PWD/target/agent-cds.jsa"
  fi
  export AGENT_JVM_FLAGS
fi
BENCH_CP="$PWD/target/test-classes:$AGENT_CP:$(cat target/test.cp)"
exec java -Dlogback.configurationFile="$PWD/src/test/resources/logback-test.xml" -cp "$BENCH_CP" \
  io.portolan.node.bench.AgentBench --agent-classpath "$AGENT_CP" "$@"
