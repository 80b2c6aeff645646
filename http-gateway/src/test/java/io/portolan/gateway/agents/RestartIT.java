package io.portolan.gateway.agents;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.portolan.gateway.testing.HttpCalls;
import io.portolan.gateway.testing.TestNode;
import io.portolan.persistence.cassandra.CassandraLauncher;
import io.portolan.persistence.cassandra.LauncherSettings;
import io.portolan.persistence.cassandra.RunningCassandra;
import io.portolan.persistence.testing.TestCassandra;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agent events survive a restart of the node and then of Cassandra itself. One agent gets more than
 * 100 events so that its recovery goes through a snapshot plus the events after it.
 */
class RestartIT {

  private static final int RELABELS = 130;

  @Test
  void agentStateSurvivesNodeAndCassandraRestarts(@TempDir Path cassandraDir) {
    LauncherSettings settings = LauncherSettings.of(cassandraDir).withHeap("256m", "768m");
    String keyspace = TestCassandra.uniqueKeyspace("restart");

    RunningCassandra cassandra = CassandraLauncher.start(settings);
    try {
      try (TestNode node = TestNode.start(cassandra, keyspace)) {
        HttpCalls.Client api = node.admin();
        String agents = node.baseUri() + "/api/agents/";
        for (int i = 0; i < 5; i++) {
          assertThat(api.put(agents + "keep-" + i, "{\"hostname\":\"keep-" + i + ".example\"}").status())
              .isEqualTo(200);
        }
        for (int n = 0; n < RELABELS; n++) {
          assertThat(api.put(agents + "keep-0/labels", "{\"labels\":{\"generation\":\"" + n + "\"}}").status())
              .isEqualTo(200);
        }
        assertThat(api.delete(agents + "keep-4").status()).isEqualTo(200);
      }

      try (TestNode node = TestNode.start(cassandra, keyspace)) {
        assertPersisted(node);
      }
    } finally {
      cassandra.stop();
    }

    RunningCassandra restarted = CassandraLauncher.start(settings);
    try (TestNode node = TestNode.start(restarted, keyspace)) {
      assertPersisted(node);
      // And it keeps writing after the restarts.
      assertThat(node.admin().put(node.baseUri() + "/api/agents/keep-1/labels", "{\"labels\":{\"after\":\"restart\"}}")
          .json().at("/agent/labels/after").asText()).isEqualTo("restart");
    } finally {
      restarted.stop();
    }
  }

  private static void assertPersisted(TestNode node) {
    HttpCalls.Client api = node.admin();
    String agents = node.baseUri() + "/api/agents/";
    JsonNode relabelled = api.get(agents + "keep-0").json().get("agent");
    assertThat(relabelled.at("/labels/generation").asText()).isEqualTo(Integer.toString(RELABELS - 1));
    for (int i = 1; i < 4; i++) {
      JsonNode agent = api.get(agents + "keep-" + i).json().get("agent");
      assertThat(agent.get("status").asText()).isEqualTo("REGISTERED");
      assertThat(agent.get("hostname").asText()).isEqualTo("keep-" + i + ".example");
    }
    JsonNode retired = api.get(agents + "keep-4").json().get("agent");
    assertThat(retired.get("status").asText()).isEqualTo("RETIRED");
  }
}
