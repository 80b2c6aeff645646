package io.portolan.gateway.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.portolan.gateway.http.Json;
import io.portolan.gateway.testing.NodeProcess;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A node started with {@code PORTOLAN_LOG_FORMAT=json} writes one JSON object per line, and a node
 * whose HTTP port is taken says so and exits with status 2 instead of lingering.
 */
class NodeStartupFailureIT {

  @Test
  void jsonLogsAndAClearExitWhenTheHttpPortIsTaken() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
         ServerSocket clusterPort = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int artery = clusterPort.getLocalPort();
      clusterPort.close();
      Path log = Path.of("target", "startup-failure.log");
      Process node = NodeProcess.builder(Map.of(
              "PORTOLAN_LOG_FORMAT", "json",
              "PORTOLAN_HTTP_PORT", Integer.toString(taken.getLocalPort()),
              "PORTOLAN_CLUSTER_PORT", Integer.toString(artery),
              "PORTOLAN_SEED_NODES", "127.0.0.1:" + artery,
              // An external (unreachable) Cassandra: no embedded one starts, and none is needed to fail.
              "PORTOLAN_CASSANDRA_CONTACT_POINTS", "127.0.0.1:1"), log)
          .start();

      assertThat(node.waitFor(60, TimeUnit.SECONDS)).as("node exits by itself").isTrue();
      assertThat(node.exitValue()).isEqualTo(2);

      List<JsonNode> lines = new ArrayList<>();
      for (String line : Files.readAllLines(log)) {
        if (!line.isBlank()) {
          lines.add(Json.MAPPER.readTree(line));
        }
      }
      assertThat(lines).isNotEmpty().allSatisfy(l -> {
        assertThat(l.has("@timestamp")).isTrue();
        assertThat(l.has("level")).isTrue();
        assertThat(l.has("message")).isTrue();
      });
      assertThat(lines).anySatisfy(l -> {
        assertThat(l.get("level").asText()).isEqualTo("ERROR");
        assertThat(l.get("message").asText())
            .contains("Could not listen on 127.0.0.1:" + taken.getLocalPort())
            .contains("PORTOLAN_HTTP_PORT");
      });
    }
  }
}
