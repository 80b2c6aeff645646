package io.portolan.gateway.agents;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.portolan.gateway.testing.HttpCalls;
import io.portolan.gateway.testing.HttpCalls.Reply;
import io.portolan.gateway.testing.TestNode;
import io.portolan.persistence.testing.TestCassandra;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The agent API on a real node and a real Cassandra, with the bad input a user can send. */
class AgentApiIT {

  private static TestNode node;
  private static String agents;

  @BeforeAll
  static void startNode() {
    node = TestNode.start(TestCassandra.shared(), TestCassandra.uniqueKeyspace("agent_api"));
    agents = node.baseUri() + "/api/agents/";
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void registersReadsRelabelsAndRetires() {
    Reply registered = HttpCalls.put(agents + "good-1", "{\"hostname\":\"host-1.example\",\"labels\":{\"zone\":\"eu-1\"}}");
    assertThat(registered.status()).isEqualTo(200);
    assertThat(registered.json().at("/agent/status").asText()).isEqualTo("REGISTERED");

    JsonNode read = HttpCalls.get(agents + "good-1").json();
    assertThat(read.at("/agent/hostname").asText()).isEqualTo("host-1.example");
    assertThat(read.at("/agent/labels/zone").asText()).isEqualTo("eu-1");
    assertThat(read.at("/servedBy").asText()).startsWith("pekko://portolan@127.0.0.1:");

    Reply relabelled = HttpCalls.put(agents + "good-1/labels", "{\"labels\":{\"zone\":\"eu-2\",\"rack\":\"r1\"}}");
    assertThat(relabelled.status()).isEqualTo(200);
    assertThat(relabelled.json().at("/agent/labels/rack").asText()).isEqualTo("r1");

    Reply retired = HttpCalls.delete(agents + "good-1");
    assertThat(retired.status()).isEqualTo(200);
    assertThat(retired.json().at("/agent/status").asText()).isEqualTo("RETIRED");

    Reply refused = HttpCalls.put(agents + "good-1/labels", "{\"labels\":{}}");
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().at("/error").asText()).contains("retired");
  }

  @Test
  void unknownAgentIs404WithWhatToDo() {
    for (Reply reply : new Reply[] {
        HttpCalls.get(agents + "never-registered"),
        HttpCalls.delete(agents + "never-registered"),
        HttpCalls.put(agents + "never-registered/labels", "{\"labels\":{}}")}) {
      assertThat(reply.status()).isEqualTo(404);
      assertThat(reply.json().at("/error").asText()).contains("not registered").contains("PUT /api/agents/never-registered");
    }
  }

  @Test
  void badInputIsRejectedWithAReasonAndLeavesStoredStateIntact() {
    String url = agents + "victim";
    assertThat(HttpCalls.put(url, "{\"hostname\":\"victim.example\",\"labels\":{\"zone\":\"eu-1\"}}").status())
        .isEqualTo(200);
    String before = HttpCalls.get(url).json().get("agent").toString();

    assertRejected(HttpCalls.put(url, "{\"hostname\":"), 400, "not valid JSON");
    assertRejected(HttpCalls.put(url, "{\"hostname\":\"victim.example\"} trailing"), 400, "not valid JSON");
    assertRejected(HttpCalls.put(url, "{\"hostname\":5}"), 400, "field 'hostname' has the wrong type: expected a string");
    assertRejected(HttpCalls.put(url, "{\"hostname\":\"victim.example\",\"labels\":[1]}"), 400, "field 'labels'");
    assertRejected(HttpCalls.put(url, "{\"hostname\":\"victim.example\",\"labels\":{\"zone\":7}}"), 400, "labels.zone");
    assertRejected(HttpCalls.put(url, "{\"hostname\":\"victim.example\",\"labelz\":{}}"), 400, "unknown field 'labelz'");
    assertRejected(HttpCalls.put(url, "[]"), 400, "must be a JSON object");
    assertRejected(HttpCalls.put(url, "null"), 400, "not null");
    assertRejected(HttpCalls.put(url, ""), 400, "empty");
    assertRejected(HttpCalls.put(url, "{\"hostname\":\"not a hostname!\"}"), 400, "'hostname' must be a DNS name");
    assertRejected(HttpCalls.put(url, "{\"hostname\":\"victim.example\",\"labels\":{\"bad key\":\"v\"}}"), 400, "label key 'bad key'");
    assertRejected(HttpCalls.put(url, "{\"hostname\":\"elsewhere.example\"}"), 400, "retire it before");
    assertRejected(HttpCalls.put(url + "/labels", "{\"labels\":\"zone=eu-9\"}"), 400, "field 'labels' has the wrong type");

    byte[] huge = new byte[200_000];
    Arrays.fill(huge, (byte) 'x');
    assertRejected(HttpCalls.put(url, huge), 413, "larger than the limit");
    assertRejected(HttpCalls.get(agents + "Not_A_Valid_Id"), 400, "agent id must be");

    Reply after = HttpCalls.get(url);
    assertThat(after.status()).isEqualTo(200);
    assertThat(after.json().get("agent").toString()).isEqualTo(before);
  }

  @Test
  void healthAndUnknownRoutesAnswerJson() {
    assertThat(HttpCalls.get(node.baseUri() + "/health/alive").status()).isEqualTo(200);
    Reply ready = HttpCalls.get(node.baseUri() + "/health/ready");
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json().get("memberStatus").asText()).isEqualTo("Up");
    assertThat(ready.json().get("cassandraReachable").asBoolean()).isTrue();

    assertRejected(HttpCalls.get(node.baseUri() + "/no/such/thing"), 404, "no such route");
    assertRejected(HttpCalls.delete(node.baseUri() + "/api/cluster"), 405, "supported methods: GET");

    Reply cluster = HttpCalls.get(node.baseUri() + "/api/cluster");
    assertThat(cluster.json().get("members")).hasSize(1);
    assertThat(cluster.json().at("/members/0/status").asText()).isEqualTo("Up");

    Reply ui = HttpCalls.get(node.baseUri() + "/");
    assertThat(ui.status()).isEqualTo(200);
    assertThat(ui.body()).contains("<title>Portolan</title>");
  }

  private static void assertRejected(Reply reply, int status, String messagePart) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    assertThat(reply.json().get("error").asText()).contains(messagePart);
    assertThat(reply.body()).doesNotContain("Exception").doesNotContain("\tat ");
  }
}
