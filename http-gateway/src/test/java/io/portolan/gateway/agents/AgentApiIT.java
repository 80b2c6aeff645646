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
  private static HttpCalls.Client api;
  private static String agents;

  @BeforeAll
  static void startNode() {
    node = TestNode.start(TestCassandra.shared(), TestCassandra.uniqueKeyspace("agent_api"));
    agents = node.baseUri() + "/api/agents/";
    api = node.admin();
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void registersReadsRelabelsAndRetires() {
    Reply registered = api.put(agents + "good-1", "{\"hostname\":\"host-1.example\",\"labels\":{\"zone\":\"eu-1\"}}");
    assertThat(registered.status()).isEqualTo(200);
    assertThat(registered.json().at("/agent/status").asText()).isEqualTo("REGISTERED");

    JsonNode read = api.get(agents + "good-1").json();
    assertThat(read.at("/agent/hostname").asText()).isEqualTo("host-1.example");
    assertThat(read.at("/agent/labels/zone").asText()).isEqualTo("eu-1");
    assertThat(read.at("/servedBy").asText()).startsWith("pekko://portolan@127.0.0.1:");

    Reply relabelled = api.put(agents + "good-1/labels", "{\"labels\":{\"zone\":\"eu-2\",\"rack\":\"r1\"}}");
    assertThat(relabelled.status()).isEqualTo(200);
    assertThat(relabelled.json().at("/agent/labels/rack").asText()).isEqualTo("r1");

    Reply retired = api.delete(agents + "good-1");
    assertThat(retired.status()).isEqualTo(200);
    assertThat(retired.json().at("/agent/status").asText()).isEqualTo("RETIRED");

    Reply refused = api.put(agents + "good-1/labels", "{\"labels\":{}}");
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().at("/error").asText()).contains("retired");
  }

  @Test
  void unknownAgentIs404WithWhatToDo() {
    for (Reply reply : new Reply[] {
        api.get(agents + "never-registered"),
        api.delete(agents + "never-registered"),
        api.put(agents + "never-registered/labels", "{\"labels\":{}}")}) {
      assertThat(reply.status()).isEqualTo(404);
      assertThat(reply.json().at("/error").asText()).contains("not registered").contains("PUT /api/agents/never-registered");
    }
  }

  @Test
  void badInputIsRejectedWithAReasonAndLeavesStoredStateIntact() {
    String url = agents + "victim";
    assertThat(api.put(url, "{\"hostname\":\"victim.example\",\"labels\":{\"zone\":\"eu-1\"}}").status())
        .isEqualTo(200);
    String before = api.get(url).json().get("agent").toString();

    assertRejected(api.put(url, "{\"hostname\":"), 400, "not valid JSON");
    assertRejected(api.put(url, "{\"hostname\":\"victim.example\"} trailing"), 400, "not valid JSON");
    assertRejected(api.put(url, "{\"hostname\":5}"), 400, "field 'hostname' has the wrong type: expected a string");
    assertRejected(api.put(url, "{\"hostname\":\"victim.example\",\"labels\":[1]}"), 400, "field 'labels'");
    assertRejected(api.put(url, "{\"hostname\":\"victim.example\",\"labels\":{\"zone\":7}}"), 400, "labels.zone");
    assertRejected(api.put(url, "{\"hostname\":\"victim.example\",\"labelz\":{}}"), 400, "unknown field 'labelz'");
    assertRejected(api.put(url, "[]"), 400, "must be a JSON object");
    assertRejected(api.put(url, "null"), 400, "not null");
    assertRejected(api.put(url, ""), 400, "empty");
    assertRejected(api.put(url, "{\"hostname\":\"not a hostname!\"}"), 400, "'hostname' must be a DNS name");
    assertRejected(api.put(url, "{\"hostname\":\"victim.example\",\"labels\":{\"bad key\":\"v\"}}"), 400, "label key 'bad key'");
    assertRejected(api.put(url, "{\"hostname\":\"elsewhere.example\"}"), 400, "retire it before");
    assertRejected(api.put(url + "/labels", "{\"labels\":\"zone=eu-9\"}"), 400, "field 'labels' has the wrong type");

    byte[] huge = new byte[200_000];
    Arrays.fill(huge, (byte) 'x');
    assertRejected(api.put(url, huge), 413, "larger than the limit");
    assertRejected(api.get(agents + "Not_A_Valid_Id"), 400, "agent id must be");

    Reply after = api.get(url);
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

    // Outside /api the UI answers (single-page app); unknown API routes are JSON 404s.
    assertRejected(HttpCalls.get(node.baseUri() + "/api/no/such/thing"), 404, "no such route");
    assertRejected(api.delete(node.baseUri() + "/api/cluster"), 405, "supported methods: GET");

    Reply cluster = api.get(node.baseUri() + "/api/cluster");
    assertThat(cluster.json().get("members")).hasSize(1);
    assertThat(cluster.json().at("/members/0/status").asText()).isEqualTo("Up");

    Reply ui = HttpCalls.get(node.baseUri() + "/");
    assertThat(ui.status()).isEqualTo(200);
    assertThat(ui.body()).contains("<title>Portolan</title>");
  }

  @Test
  void readsNeedAViewerAndChangesAnAdmin() {
    assertRejected(HttpCalls.get(agents + "anyone"), 401, "log in first");
    assertRejected(HttpCalls.put(agents + "anyone", "{\"hostname\":\"a.example\"}"), 401, "log in first");
    assertRejected(new HttpCalls.Client("ptk_0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
        .get(agents + "anyone"), 401, "not valid");
    assertThat(api.post(node.baseUri() + "/api/users",
        "{\"username\":\"agent-viewer\",\"password\":\"viewer-password\",\"role\":\"VIEWER\"}").status())
        .isEqualTo(201);
    HttpCalls.Client viewer = HttpCalls.login(node.baseUri(), "agent-viewer", "viewer-password");
    assertThat(api.put(agents + "seen-by-viewer", "{\"hostname\":\"seen.example\"}").status()).isEqualTo(200);
    assertThat(viewer.get(agents + "seen-by-viewer").status()).isEqualTo(200);
    assertThat(viewer.get(node.baseUri() + "/api/cluster").status()).isEqualTo(200);
    assertRejected(viewer.put(agents + "seen-by-viewer/labels", "{\"labels\":{}}"), 403, "needs the admin role");
    assertRejected(viewer.delete(agents + "seen-by-viewer"), 403, "needs the admin role");
  }

  private static void assertRejected(Reply reply, int status, String messagePart) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    assertThat(reply.json().get("error").asText()).contains(messagePart);
    assertThat(reply.body()).doesNotContain("Exception").doesNotContain("\tat ");
  }
}
