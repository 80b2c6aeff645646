#!/usr/bin/env bash
# Starts one Portolan cluster node on the embedded Cassandra: what `make run` does after the build.
# Everything is overridable with the PORTOLAN_* environment variables listed in docs/operations.md.
set -euo pipefail
cd "$(dirname "$0")/.."

jar=$(ls http-gateway/target/portolan-http-gateway-*.jar 2>/dev/null | grep -v -- '-tests' | head -n 1 || true)
cp_file=http-gateway/target/runtime-classpath.txt
if [[ -z "$jar" || ! -f "$cp_file" ]]; then
  echo "Portolan is not built yet: run 'make run' (it builds first) or 'mvn -DskipTests install'." >&2
  exit 1
fi

java_bin=java
if [[ -x /usr/lib/jvm/java-17-openjdk-amd64/bin/java ]]; then
  java_bin=/usr/lib/jvm/java-17-openjdk-amd64/bin/java
fi

# Dev defaults: data under ./data, keyspace created on first start.
export PORTOLAN_DATA_DIR=${PORTOLAN_DATA_DIR:-$PWD/data}
export PORTOLAN_CASSANDRA_AUTOCREATE=${PORTOLAN_CASSANDRA_AUTOCREATE:-true}
port=${PORTOLAN_HTTP_PORT:-4040}

echo "Starting Portolan (data in $PORTOLAN_DATA_DIR). The UI will be on http://localhost:$port/ once ready."
exec "$java_bin" ${PORTOLAN_JAVA_OPTS:--Xms128m -Xmx512m} -cp "$jar:$(cat "$cp_file")" io.portolan.gateway.PortolanServer
