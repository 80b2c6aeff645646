package io.portolan.gateway.containers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.portolan.gateway.testing.AgentTestbed;
import io.portolan.gateway.testing.HttpCalls;
import io.portolan.gateway.testing.HttpCalls.Reply;
import io.portolan.gateway.testing.TestNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Container controls end to end: API → HostEntity → the real agent's WebSocket → the real Docker
 * engine, and back through the agent's events into the view.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ControlIT {

  private static final String NAME = "portolan-test-ctl-" + UUID.randomUUID().toString().substring(0, 8);

  private static AgentTestbed bed;
  private static TestNode node;
  private static HttpCalls.Client operator;
  private static HttpCalls.Client viewer;
  private static String id;

  @BeforeAll
  static void start() throws Exception {
    bed = AgentTestbed.start("control");
    node = bed.node;
    operator = bed.operator;
    viewer = bed.viewer;
    id = bed.run(NAME, List.of(), "sleep", "600");
    bed.startAgent("control-it", Map.of());
    awaitState(s -> s.equals("running"), Duration.ofSeconds(60));
  }

  @AfterAll
  static void stop() throws Exception {
    if (bed != null) {
      bed.close();
    }
  }

  @Test
  @Order(1)
  void everyControlChangesTheRealContainerAndTheViewFollows() throws Exception {
    control(NAME, "stop?timeout=1", 200);
    assertThat(engineState()).isEqualTo("exited");
    long changedAt = System.nanoTime();
    awaitState(s -> s.equals("exited"), Duration.ofSeconds(5));
    System.out.printf("CONTROL: view showed 'exited' %d ms after the stop call returned%n",
        (System.nanoTime() - changedAt) / 1_000_000);

    control(id.substring(0, 10), "start", 200);
    assertThat(engineState()).isEqualTo("running");
    awaitState(s -> s.equals("running"), Duration.ofSeconds(5));

    control(id, "pause", 200);
    assertThat(engineState()).isEqualTo("paused");
    awaitState(s -> s.equals("paused"), Duration.ofSeconds(5));
    Reply again = control(id, "pause", 409);
    assertThat(again.json().get("error").asText()).contains("paused");

    control(NAME, "unpause", 200);
    awaitState(s -> s.equals("running"), Duration.ofSeconds(5));
    control(NAME, "restart?timeout=1", 200);
    assertThat(engineState()).isEqualTo("running");
  }

  @Test
  @Order(2)
  void badRequestsAreRefusedWithAReason() {
    assertThat(control("no-such-container", "stop", 404).json().get("error").asText()).contains("no container");
    assertThat(control(NAME, "explode", 400).json().get("error").asText()).contains("unknown action");
    assertThat(control(NAME, "stop?timeout=soon", 400).json().get("error").asText()).contains("timeout");
    assertThat(control(NAME, "remove?force=maybe", 400).json().get("error").asText()).contains("true or false");
    assertThat(viewer.post(node.baseUri() + "/api/containers/" + NAME + "/stop", "").status()).isEqualTo(403);
    assertThat(HttpCalls.post(node.baseUri() + "/api/containers/" + NAME + "/stop", "").status()).isEqualTo(401);
    assertThat(operator.post(node.baseUri() + "/api/containers/_bulk/stop", "{\"ids\":[]}").status()).isEqualTo(400);
  }

  @Test
  @Order(3)
  void bulkControlsAnswerPerContainer() throws Exception {
    String second = "portolan-test-ctl-" + UUID.randomUUID().toString().substring(0, 8);
    bed.run(second, List.of(), "sleep", "600");
    bed.awaitContainer(second, Duration.ofSeconds(30));
    Reply bulk = operator.post(node.baseUri() + "/api/containers/_bulk/stop?timeout=1",
        "{\"ids\":[\"" + NAME + "\",\"" + second + "\",\"not-there\"]}");
    assertThat(bulk.status()).isEqualTo(200);
    assertThat(bulk.json().get("ok").asInt()).as(bulk.body()).isEqualTo(2);
    assertThat(bulk.json().get("failed").asInt()).isEqualTo(1);
    assertThat(bulk.json().get("results").findValuesAsText("ref")).containsExactly(NAME, second, "not-there");
    assertThat(bulk.json().at("/results/2/status").asInt()).isEqualTo(404);
    assertThat(AgentTestbed.docker("inspect", "-f", "{{.State.Status}}", second).trim()).isEqualTo("exited");

    control(second, "remove", 200);
    assertThat(AgentTestbed.docker("ps", "-a", "-q", "--filter", "name=" + second).trim()).isEmpty();
  }

  @Test
  @Order(4)
  void controlsAreAudited() {
    JsonNode events = node.admin().get(node.baseUri() + "/api/audit?user=ops&limit=100").json().get("events");
    assertThat(events.findValuesAsText("action")).contains("container.stop", "container.start", "container.pause",
        "container.unpause", "container.restart", "container.remove");
    assertThat(events.findValuesAsText("outcome")).contains("ok", "failed");
  }

  @Test
  @Order(5)
  void anOfflineAgentIs503() throws Exception {
    bed.stopAgent();
    Reply reply = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      reply = operator.post(node.baseUri() + "/api/containers/" + NAME + "/start", "");
      if (reply.status() == 503) {
        break;
      }
      HttpCalls.sleep(300);
    }
    assertThat(reply.status()).as(reply.body()).isEqualTo(503);
    assertThat(reply.json().get("error").asText()).contains("not connected");
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static Reply control(String ref, String actionAndQuery, int expected) {
    Reply reply = operator.post(node.baseUri() + "/api/containers/" + ref + "/" + actionAndQuery, "");
    assertThat(reply.status()).as(actionAndQuery + " → " + reply.body()).isEqualTo(expected);
    return reply;
  }

  private static String engineState() throws Exception {
    return AgentTestbed.docker("inspect", "-f", "{{.State.Status}}", id).trim();
  }

  /** The container's state as the containers view's detail shows it. */
  private static void awaitState(Predicate<String> wanted, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String state = null;
    while (System.nanoTime() < deadline) {
      Reply detail = viewer.get(node.baseUri() + "/api/topology/containers/container:" + id);
      if (detail.status() == 200) {
        for (JsonNode row : detail.json().get("metadata")) {
          if (row.get("id").asText().equals("state")) {
            state = row.get("value").asText();
          }
        }
        if (state != null && wanted.test(state)) {
          return;
        }
      }
      HttpCalls.sleep(50);
    }
    throw new AssertionError("the view did not show the wanted state in " + timeout + "; last: " + state);
  }

}
