package io.portolan.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.portolan.gateway.testing.HttpCalls;
import io.portolan.gateway.testing.NodeProcess;
import io.portolan.persistence.cassandra.RunningCassandra;
import io.portolan.persistence.testing.TestCassandra;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes with no seed nodes form one cluster through Cluster Bootstrap, here with Pekko's
 * config discovery on loopback (in Kubernetes the chart uses the Kubernetes API discovery instead).
 */
class BootstrapIT {

  private final List<NodeProcess> nodes = new ArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    for (NodeProcess node : nodes) {
      node.close();
    }
  }

  @Test
  void nodesWithoutSeedNodesFormOneClusterThroughDiscovery() {
    RunningCassandra cassandra = TestCassandra.shared();
    String keyspace = TestCassandra.uniqueKeyspace("bootstrap");
    int management1 = HttpCalls.freePort();
    int management2 = HttpCalls.freePort();
    String endpoints = "127.0.0.1:" + management1 + ",127.0.0.1:" + management2;
    for (int management : List.of(management1, management2)) {
      int artery = HttpCalls.freePort();
      nodes.add(NodeProcess.start("bootstrap-node-" + management, HttpCalls.freePort(), artery,
          // Seeds that point nowhere: bootstrap must ignore them, or the nodes never meet.
          List.of(HttpCalls.freePort()), cassandra, keyspace, Map.of(
              "PORTOLAN_DISCOVERY", "config",
              "PORTOLAN_BOOTSTRAP_ENDPOINTS", endpoints,
              "PORTOLAN_BOOTSTRAP_REQUIRED_CONTACT_POINT_NR", "2",
              "PORTOLAN_BOOTSTRAP_STABLE_MARGIN", "1s",
              "PORTOLAN_MANAGEMENT_PORT", Integer.toString(management))));
    }
    for (NodeProcess node : nodes) {
      HttpCalls.awaitReady(node.baseUri(), Duration.ofSeconds(120));
    }
    HttpCalls.Client admin = nodes.get(0).admin();
    for (NodeProcess node : nodes) {
      JsonNode members = admin.get(node.baseUri() + "/api/cluster").json().get("members");
      assertThat(members).hasSize(2);
      assertThat(members.findValuesAsText("status")).containsOnly("Up");
    }
  }
}
