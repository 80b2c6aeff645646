package io.portolan.gateway.logging;

import static org.assertj.core.api.Assertions.assertThat;

import io.portolan.gateway.testing.HttpCalls;
import io.portolan.gateway.testing.NodeProcess;
import io.portolan.gateway.testing.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node started as {@code make run} starts it (embedded Cassandra, no contact points) stops
 * cleanly on SIGTERM: it exits 0 and takes its Cassandra with it; its data stays for the next start.
 */
class GracefulShutdownIT {

  @Test
  void sigtermStopsTheNodeThenItsEmbeddedCassandra(@TempDir Path data) throws Exception {
    int http = HttpCalls.freePort();
    int artery = HttpCalls.freePort();
    Process node = NodeProcess.builder(Map.of(
            "PORTOLAN_DATA_DIR", data.toString(),
            "PORTOLAN_CASSANDRA_AUTOCREATE", "true",
            "PORTOLAN_CASSANDRA_NATIVE_PORT", "0",
            "PORTOLAN_CASSANDRA_STORAGE_PORT", "0",
            "PORTOLAN_CASSANDRA_HEAP_MAX", "768m",
            "PORTOLAN_HTTP_PORT", Integer.toString(http),
            "PORTOLAN_CLUSTER_PORT", Integer.toString(artery),
            "PORTOLAN_SEED_NODES", "127.0.0.1:" + artery,
            "PORTOLAN_ADMIN_PASSWORD", TestNode.ADMIN_PASSWORD), Path.of("target", "graceful-shutdown.log"))
        .start();
    try {
      HttpCalls.awaitReady("http://127.0.0.1:" + http, Duration.ofSeconds(120));
      HttpCalls.Client admin = HttpCalls.login("http://127.0.0.1:" + http, "admin", TestNode.ADMIN_PASSWORD);
      assertThat(admin.put("http://127.0.0.1:" + http + "/api/agents/survivor",
          "{\"hostname\":\"survivor.example\"}").status()).isEqualTo(200);
      ProcessHandle cassandra = node.toHandle().descendants()
          .filter(p -> p.info().commandLine().orElse("").contains("CassandraChildMain"))
          .findFirst().orElseThrow(() -> new AssertionError("no embedded Cassandra under the node"));

      node.destroy(); // SIGTERM
      assertThat(node.waitFor(60, TimeUnit.SECONDS)).as("node exits after SIGTERM").isTrue();
      // 143 = 128 + SIGTERM: how a JVM exits after running its shutdown hooks on SIGTERM.
      assertThat(node.exitValue()).isEqualTo(143);
      assertThat(cassandra.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
      assertThat(Files.isDirectory(data.resolve("cassandra").resolve("data"))).isTrue();
      String log = Files.readString(Path.of("target", "graceful-shutdown.log"));
      assertThat(log).contains("Portolan UI and API on http://localhost:" + http);
      // The node's own ERROR lines (logback's "HH:mm:ss.SSS ERROR" and Pekko's "[ERROR]"), not
      // Cassandra's log lines that the launcher quotes while it waits for it to start.
      assertThat(log.lines().filter(line -> line.matches("^(\\S+ ERROR |\\[ERROR\\]).*")))
          .as("ERROR lines in the node's log during start and SIGTERM").isEmpty();
      // Cassandra stops only after the node left the cluster and began shutting its remoting down.
      // ("Remoting shut down", logged last, can be lost: the logger stops with the actor system.)
      int clusterDown = log.indexOf("Successfully shut down");
      int remotingDown = log.indexOf("Shutting down remote daemon");
      assertThat(clusterDown).as("cluster shut down logged").isPositive();
      assertThat(remotingDown).as("remoting shutdown logged").isGreaterThan(clusterDown);
      assertThat(log.indexOf("Cassandra (pid " + cassandra.pid() + ") stopped")).isGreaterThan(remotingDown);
    } finally {
      node.destroyForcibly();
    }
  }
}
