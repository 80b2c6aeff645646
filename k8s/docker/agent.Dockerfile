# syntax=docker/dockerfile:1
# Portolan agent image (one per host; the Helm chart runs it as a DaemonSet). Build from the repository root:
#   docker build -f k8s/docker/agent.Dockerfile -t portolan/agent:0.1.0 .
# Not built in this repository's CI (no registry access there): see k8s/README.md.

# ---- build
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY protocol/pom.xml protocol/
COPY persistence/pom.xml persistence/
COPY persistence/cassandra-server/pom.xml persistence/cassandra-server/
COPY cluster-core/pom.xml cluster-core/
COPY node-actor/pom.xml node-actor/
COPY ui/pom.xml ui/
COPY http-gateway/pom.xml http-gateway/
COPY loadgen/pom.xml loadgen/
COPY k8s/pom.xml k8s/
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -pl node-actor -am dependency:go-offline -DskipTests || true
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -pl node-actor -am package -DskipTests \
 && mkdir -p /out/lib \
 && cp node-actor/target/portolan-node-actor-*.jar /out/lib/ \
 && rm -f /out/lib/*-tests.jar \
 && mvn -B -q -pl node-actor dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=/out/lib

# ---- runtime: a small JRE plus conntrack (the agent falls back to `conntrack -L` without /proc/net/nf_conntrack)
FROM eclipse-temurin:17-jre
RUN apt-get update \
 && apt-get install -y --no-install-recommends conntrack \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/lib /opt/portolan/lib
ENV PORTOLAN_PROC_ROOT=/host/proc \
    PORTOLAN_AGENT_JAVA_OPTS="-Xms8m -Xmx160m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:+UseSerialGC -Xss256k -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:ReservedCodeCacheSize=12m -XX:-UsePerfData -XX:+ExitOnOutOfMemoryError" \
    MALLOC_ARENA_MAX=2
# Root on purpose. The agent reads /proc/<pid>/{fd,cwd,environ,net} of every process on the host; the
# kernel allows that only to the process's owner or to a reader that passes the ptrace access check
# (CAP_SYS_PTRACE) and can traverse other users' directories (CAP_DAC_READ_SEARCH). Capabilities of a
# non-root user are dropped at exec unless granted as ambient capabilities, which Kubernetes cannot set,
# so the image runs as uid 0 and the DaemonSet drops ALL capabilities and adds back only these two
# (plus NET_ADMIN for netlink conntrack when enabled), with no privilege escalation and a read-only root.
USER 0
ENTRYPOINT ["/bin/sh", "-c", "exec java $PORTOLAN_AGENT_JAVA_OPTS -cp '/opt/portolan/lib/*' io.portolan.node.agent.AgentMain \"$@\"", "--"]
