package io.portolan.gateway.testing;

import io.portolan.persistence.cassandra.RunningCassandra;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A Portolan node in its own JVM, started the way an operator starts one (environment variables),
 * so that a test can {@code kill -9} it. Its output goes to {@code target/<name>.log}.
 */
public final class NodeProcess implements AutoCloseable {

  private final String name;
  private final Process process;
  private final int httpPort;
  private final int clusterPort;

  private NodeProcess(String name, Process process, int httpPort, int clusterPort) {
    this.name = name;
    this.process = process;
    this.httpPort = httpPort;
    this.clusterPort = clusterPort;
  }

  public static NodeProcess start(String name, int httpPort, int clusterPort, List<Integer> seedPorts,
      RunningCassandra cassandra, String keyspace) {
    return start(name, httpPort, clusterPort, seedPorts, cassandra, keyspace, Map.of());
  }

  /** With {@code extraEnv} (e.g. an agent token, short stale times) on top of the test defaults. */
  public static NodeProcess start(String name, int httpPort, int clusterPort, List<Integer> seedPorts,
      RunningCassandra cassandra, String keyspace, Map<String, String> extraEnv) {
    try {
      Map<String, String> env = new java.util.HashMap<>();
      env.put("PORTOLAN_HTTP_PORT", Integer.toString(httpPort));
      env.put("PORTOLAN_CLUSTER_PORT", Integer.toString(clusterPort));
      env.put("PORTOLAN_SEED_NODES",
          seedPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(",")));
      env.put("PORTOLAN_CASSANDRA_CONTACT_POINTS", cassandra.contactPoint());
      env.put("PORTOLAN_CASSANDRA_AUTOCREATE", "true");
      env.put("PORTOLAN_ADMIN_PASSWORD", TestNode.ADMIN_PASSWORD);
      env.putAll(extraEnv);
      ProcessBuilder builder = builder(env, Path.of("target", name + ".log"),
          "-Dpekko.persistence.cassandra.journal.keyspace=" + keyspace,
          "-Dpekko.persistence.cassandra.snapshot.keyspace=" + keyspace);
      return new NodeProcess(name, builder.start(), httpPort, clusterPort);
    } catch (IOException e) {
      throw new AssertionError("could not start " + name, e);
    }
  }

  /**
   * The command that runs {@code PortolanServer} in a new JVM with {@code env} added to this JVM's
   * environment and its output going to {@code log}.
   */
  public static ProcessBuilder builder(Map<String, String> env, Path log, String... jvmArgs) throws IOException {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xms64m", "-Xmx256m", "-XX:TieredStopAtLevel=1"));
    command.addAll(List.of(jvmArgs));
    command.addAll(List.of("-cp", runtimeClasspath(), "io.portolan.gateway.PortolanServer"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    return builder;
  }

  /** The module's classes and runtime dependencies, as written by the build (not the test's own). */
  private static String runtimeClasspath() throws IOException {
    Path dependencies = Path.of("target", "runtime-classpath.txt");
    if (!Files.exists(dependencies)) {
      throw new AssertionError(dependencies + " is missing: run the tests through Maven (mvn verify)");
    }
    return Path.of("target", "classes").toAbsolutePath() + java.io.File.pathSeparator
        + Files.readString(dependencies).trim();
  }

  public String baseUri() {
    return "http://127.0.0.1:" + httpPort;
  }

  /** The cluster address this node has, as entities report it in {@code servedBy}. */
  public String clusterAddress() {
    return "pekko://portolan@127.0.0.1:" + clusterPort;
  }

  /** A client logged in as the admin. */
  public HttpCalls.Client admin() {
    return HttpCalls.login(baseUri(), "admin", TestNode.ADMIN_PASSWORD);
  }

  public String name() {
    return name;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL: no shutdown hooks, no leaving the cluster. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
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
