#!/usr/bin/env bash
# Builds an AppCDS archive of the agent's classes (a dynamic archive on top of the JDK's default one):
# runs the agent for a while with -XX:ArchiveClassesAtExit, so that the classes it loads in steady state
# (Pekko, Jackson, docker-java's transport, the collectors) are archived, parsed and verified once.
# The agent then starts with -XX:SharedArchiveFile=<archive>: less start-up CPU and class metadata
# that is mapped from the archive instead of parsed into metaspace.
#
# Usage: node-actor/bench/agent-cds.sh [ARCHIVE] [SECONDS]
#   ARCHIVE  default node-actor/target/agent-cds.jsa;  SECONDS  how long the training run lasts (default 20)
# Env:   AGENT_CLUSTER  where the training run reports (default: a closed port; the agent then retries,
#                       which still loads every collector's classes)
# The archive is only valid for the same JDK and the same classpath (jar paths and modification times);
# the JVM ignores a stale one with a warning (-Xshare:auto), so an out-of-date archive costs nothing but
# the benefit. Needs a built node-actor (its jar and target/runtime-classpath.txt: mvn install).
set -euo pipefail
cd "$(dirname "$0")/.."
archive="${1:-$PWD/target/agent-cds.jsa}"
seconds="${2:-20}"
java_bin="${JAVA:-java}"
# CDS archives classes from jars only (a directory on the classpath would disable the dump): the module's
# jar, as scripts/run-node.sh and agent-bench.sh run it.
jar=$(ls "$PWD"/target/portolan-node-actor-*.jar | grep -v -- '-tests' | head -n 1)
cp="$jar:$(cat target/runtime-classpath.txt)"
rm -f "$archive"
"$java_bin" -XX:ArchiveClassesAtExit="$archive" -Xshare:auto -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
  -cp "$cp" io.portolan.node.agent.AgentMain --cluster "${AGENT_CLUSTER:-ws://127.0.0.1:9}" \
  --token cds-training --agent-id cds-training > "${archive%.jsa}.log" 2>&1 &
pid=$!
sleep "$seconds"
kill -TERM "$pid"
wait "$pid" || true
if [[ -s "$archive" ]]; then
  echo "AppCDS archive: $archive ($(du -h "$archive" | cut -f1))"
else
  echo "no archive written; see ${archive%.jsa}.log" >&2
  exit 1
fi
