package io.portolan.gateway.topology;

import io.portolan.persistence.cassandra.RunningCassandra;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A Portolan node in its own JVM with extra environment (agent token, short stale/remove times), so
 * a test can {@code kill -9} it. Like {@code testing.NodeProcess}, which takes no extra environment.
 */
final class NodeJvm implements AutoCloseable {

  private final String name;
  private final Process process;
  private final int httpPort;

  private NodeJvm(String name, Process process, int httpPort) {
    this.name = name;
    this.process = process;
    this.httpPort = httpPort;
  }

  static NodeJvm start(String name, int httpPort, int clusterPort, List<Integer> seedPorts, RunningCassandra cassandra,
      String keyspace, Map<String, String> extraEnv) throws IOException {
    Path deps = Path.of("target", "runtime-classpath.txt");
    if (!Files.exists(deps)) {
      throw new AssertionError(deps + " is missing: run the tests through Maven (mvn verify)");
    }
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xms64m", "-Xmx256m", "-XX:TieredStopAtLevel=1",
        "-Dpekko.persistence.cassandra.journal.keyspace=" + keyspace,
        "-Dpekko.persistence.cassandra.snapshot.keyspace=" + keyspace,
        "-cp", Path.of("target", "classes").toAbsolutePath() + java.io.File.pathSeparator + Files.readString(deps).trim(),
        "io.portolan.gateway.PortolanServer"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(Path.of("target", name + ".log").toFile());
    Map<String, String> env = builder.environment();
    env.put("PORTOLAN_HTTP_PORT", Integer.toString(httpPort));
    env.put("PORTOLAN_CLUSTER_PORT", Integer.toString(clusterPort));
    env.put("PORTOLAN_SEED_NODES", seedPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(",")));
    env.put("PORTOLAN_CASSANDRA_CONTACT_POINTS", cassandra.contactPoint());
    env.put("PORTOLAN_CASSANDRA_AUTOCREATE", "true");
    env.putAll(extraEnv);
    return new NodeJvm(name, builder.start(), httpPort);
  }

  String baseUri() {
    return "http://127.0.0.1:" + httpPort;
  }

  String name() {
    return name;
  }

  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
