# syntax=docker/dockerfile:1
# Portolan cluster node image. Build from the repository root:
#   docker build -f k8s/docker/server.Dockerfile -t portolan/server:0.1.0 .
# Not built in this repository's CI (no registry access there): see k8s/README.md.

# ---- build: compile the reactor and collect the node's runtime classpath
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# POMs first, so dependency downloads are cached while only sources change.
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
    mvn -B -q -pl http-gateway -am dependency:go-offline -DskipTests || true
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -pl http-gateway -am package -DskipTests \
 && mkdir -p /out/lib \
 && cp http-gateway/target/portolan-http-gateway-*.jar /out/lib/ \
 && rm -f /out/lib/*-tests.jar \
 && mvn -B -q -pl http-gateway dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=/out/lib

# ---- runtime: JRE only, non-root, read-only root filesystem friendly
FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 portolan \
 && useradd --system --uid 10001 --gid portolan --home-dir /var/lib/portolan --shell /usr/sbin/nologin portolan \
 && mkdir -p /var/lib/portolan && chown portolan:portolan /var/lib/portolan
COPY --from=build /out/lib /opt/portolan/lib
ENV PORTOLAN_DATA_DIR=/var/lib/portolan \
    PORTOLAN_HTTP_INTERFACE=0.0.0.0 \
    PORTOLAN_JAVA_OPTS="-Xms256m -Xmx768m -XX:+ExitOnOutOfMemoryError"
USER 10001:10001
WORKDIR /var/lib/portolan
# 4040: UI, API, agent WebSocket, health. 25520: Artery. 8558: Pekko Management (cluster bootstrap).
EXPOSE 4040 25520 8558
# exec: java is PID 1 and gets SIGTERM, so CoordinatedShutdown leaves the cluster cleanly.
ENTRYPOINT ["/bin/sh", "-c", "exec java $PORTOLAN_JAVA_OPTS -cp '/opt/portolan/lib/*' io.portolan.gateway.PortolanServer \"$@\"", "--"]
