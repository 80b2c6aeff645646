#!/usr/bin/env bash
# Benchmark: failover time after `kill -9` of the oldest of three cluster nodes (separate JVMs on
# loopback, shared Cassandra), with the shipped settings. Runs ClusterFailoverIT RUNS times (default
# 3) and prints each time its entities took to answer again from a survivor.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-3}
mvn -B -q -DskipTests install >/dev/null
for i in $(seq 1 "$runs"); do
  mvn -B -o -q -pl http-gateway verify -Dit.test=ClusterFailoverIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
    >/tmp/portolan-failover-$i.log 2>&1 || { echo "run $i failed: /tmp/portolan-failover-$i.log" >&2; exit 1; }
  echo "run $i: failover $(cat http-gateway/target/failover-seconds.txt | tr -d '\n') s"
done
