package io.portolan.gateway.containers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.portolan.gateway.testing.AgentTestbed;
import io.portolan.gateway.testing.HttpCalls;
import io.portolan.gateway.testing.HttpCalls.Reply;
import io.portolan.gateway.openapi.ApiEndpoint;
import io.portolan.gateway.testing.TestNode;
import io.portolan.gateway.testing.WsClient;
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

  /** The bound: the view shows a control's outcome within this after the call returned. */
  private static final Duration VIEW_WITHIN = Duration.ofSeconds(1);

  @Test
  @Order(1)
  void everyControlChangesTheRealContainerAndTheViewFollowsWithinASecond() throws Exception {
    // {id} as a name, a unique prefix and the full id, as the docker CLI takes them.
    control(NAME, "stop?timeout=1", 200);
    assertThat(engineState()).isEqualTo("exited");
    awaitState(s -> s.equals("exited"), VIEW_WITHIN);

    control(id.substring(0, 10), "start", 200);
    assertThat(engineState()).isEqualTo("running");
    awaitState(s -> s.equals("running"), VIEW_WITHIN);

    control(id, "pause", 200);
    assertThat(engineState()).isEqualTo("paused");
    awaitState(s -> s.equals("paused"), VIEW_WITHIN);

    control(NAME, "unpause", 200);
    assertThat(engineState()).isEqualTo("running");
    awaitState(s -> s.equals("running"), VIEW_WITHIN);

    String startedBefore = AgentTestbed.docker("inspect", "-f", "{{.State.StartedAt}}", id).trim();
    String shownBefore = detail("started");
    control(NAME, "restart?timeout=1", 200);
    assertThat(engineState()).isEqualTo("running");
    assertThat(AgentTestbed.docker("inspect", "-f", "{{.State.StartedAt}}", id).trim()).isNotEqualTo(startedBefore);
    awaitDetail("started", v -> v != null && !v.equals(shownBefore), VIEW_WITHIN);
    awaitState(s -> s.equals("running"), VIEW_WITHIN);
  }

  @Test
  @Order(2)
  void aStateThatForbidsTheActionIs409WithTheReason() {
    control(id, "pause", 200);
    assertThat(control(id, "pause", 409).json().get("error").asText()).contains("paused");
    control(id, "unpause", 200);
    assertThat(control(id, "unpause", 409).json().get("error").asText()).containsIgnoringCase("not paused");
    // The result names the container it resolved to.
    Reply refused = control(NAME, "unpause", 409);
    assertThat(refused.json().at("/result/id").asText()).isEqualTo(id);
    assertThat(refused.json().at("/result/name").asText()).isEqualTo(NAME);
  }

  @Test
  @Order(3)
  void removeRefusesARunningContainerThenForceAndVolumesRemoveItAndItsVolume() throws Exception {
    String name = "portolan-test-ctl-rm-" + UUID.randomUUID().toString().substring(0, 8);
    String rmId = bed.run(name, List.of("-v", "/data"), "sleep", "600");
    String volume = AgentTestbed.docker("inspect", "-f", "{{range .Mounts}}{{.Name}}{{end}}", name).trim();
    assertThat(volume).isNotEmpty();
    bed.awaitContainer(name, Duration.ofSeconds(30));

    Reply refused = control(name, "remove", 409);
    assertThat(refused.json().get("error").asText()).containsIgnoringCase("running");
    assertThat(AgentTestbed.docker("inspect", "-f", "{{.State.Status}}", name).trim()).isEqualTo("running");

    control(name, "remove?force=true&volumes=true", 200);
    assertThat(AgentTestbed.docker("ps", "-a", "-q", "--filter", "name=" + name).trim()).isEmpty();
    assertThat(AgentTestbed.docker("volume", "inspect", volume)).containsIgnoringCase("no such volume");
    long deadline = System.nanoTime() + VIEW_WITHIN.toNanos();
    int status = 200;
    while (System.nanoTime() < deadline && status == 200) {
      status = viewer.get(node.baseUri() + "/api/topology/containers/container:" + rmId).status();
      if (status == 200) {
        HttpCalls.sleep(25);
      }
    }
    assertThat(status).as("the removed container is gone from the view within " + VIEW_WITHIN).isEqualTo(404);
    assertThat(control(name, "start", 404).json().get("error").asText()).contains("no container");
  }

  @Test
  @Order(4)
  void badRequestsAreRefusedWithAReason() {
    assertThat(control("no-such-container", "stop", 404).json().get("error").asText()).contains("no container");
    assertThat(control(NAME, "explode", 400).json().get("error").asText()).contains("unknown action");
    assertThat(control(NAME, "stop?timeout=soon", 400).json().get("error").asText()).contains("timeout");
    assertThat(control(NAME, "stop?timeout=-1", 400).json().get("error").asText()).contains("timeout");
    assertThat(control(NAME, "restart?timeout=9999", 400).json().get("error").asText()).contains("timeout");
    assertThat(control(NAME, "remove?force=maybe", 400).json().get("error").asText()).contains("true or false");
    assertThat(control(NAME, "remove?volumes=1", 400).json().get("error").asText()).contains("true or false");
    String bulk = node.baseUri() + "/api/containers/_bulk/stop";
    for (String body : List.of("{\"ids\":[]}", "{}", "{\"ids\":", "not json", "{\"ids\":\"abc\"}", "[1,2]",
        "{\"ids\":[" + "\"x\",".repeat(100) + "\"x\"]}")) {
      Reply r = operator.post(bulk, body);
      assertThat(r.status()).as(body + " → " + r.body()).isEqualTo(400);
      assertThat(r.json().get("error").asText()).as(body).isNotBlank();
    }
    Reply unknownAction = operator.post(node.baseUri() + "/api/containers/_bulk/explode", "{\"ids\":[\"" + NAME + "\"]}");
    assertThat(unknownAction.status()).isEqualTo(400);
  }

  /**
   * Every control, exec, logs, inspect, env and file route, taken from the route classes' own
   * endpoint lists (a route added there is covered here too): a viewer gets 403, no token 401, and
   * nothing happens to the container.
   */
  @Test
  @Order(5)
  void aViewerIsForbiddenAndAStrangerUnauthorizedOnEveryControlExecAndLogsRoute() throws Exception {
    List<String[]> routes = new java.util.ArrayList<>();
    for (ApiEndpoint e : ContainerRoutes.ENDPOINTS) {
      for (String action : ContainerRoutes.ACTIONS) {
        routes.add(new String[] {e.method(), e.path().replace("{id}", NAME).replace("{action}", action)});
      }
    }
    for (ApiEndpoint e : ContainerPipeRoutes.ENDPOINTS) {
      routes.add(new String[] {e.method(), e.path().replace("{id}", NAME).replace("{hostId}", "control-it")
          + "?path=/etc/passwd"});
    }
    assertThat(routes).hasSizeGreaterThanOrEqualTo(20);
    String before = engineState();
    for (String[] route : routes) {
      String url = node.baseUri() + route[1];
      String body = route[1].contains("_bulk") ? "{\"ids\":[\"" + NAME + "\"]}" : "";
      Reply asViewer = route[0].equals("POST") ? viewer.post(url, body) : viewer.get(url);
      assertThat(asViewer.status()).as("viewer " + route[0] + " " + route[1] + " → " + asViewer.body()).isEqualTo(403);
      assertThat(asViewer.json().get("error").asText()).contains("needs the", "role");
      Reply anonymous = route[0].equals("POST") ? HttpCalls.post(url, body) : HttpCalls.get(url);
      assertThat(anonymous.status()).as("no token " + route[0] + " " + route[1]).isEqualTo(401);
      if (route[1].endsWith("/ws") || route[1].contains("/ws?")) {
        try {
          WsClient.open(url, viewer.token()).close();
          throw new AssertionError("a viewer opened " + route[1]);
        } catch (java.util.concurrent.ExecutionException e) {
          assertThat(e).hasStackTraceContaining("403");
        }
      }
    }
    assertThat(engineState()).isEqualTo(before);
  }

  @Test
  @Order(6)
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
  @Order(7)
  void controlsAreAudited() {
    JsonNode events = node.admin().get(node.baseUri() + "/api/audit?user=ops&limit=100").json().get("events");
    assertThat(events.findValuesAsText("action")).contains("container.stop", "container.start", "container.pause",
        "container.unpause", "container.restart", "container.remove");
    assertThat(events.findValuesAsText("outcome")).contains("ok", "failed");
    assertThat(events.findValuesAsText("target")).contains("no-such-container");
  }

  @Test
  @Order(8)
  void anOfflineAgentIs503() throws Exception {
    bed.stopAgent();
    Reply reply = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      reply = operator.post(node.baseUri() + "/api/containers/" + NAME + "/start", "");
      // A call that reached the agent just before it went away is answered 503 "disconnected before it
      // answered" (also right); wait for the state the test is about: no agent at all.
      if (reply.status() == 503 && reply.body().contains("not connected")) {
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

  /** Waits (from now, i.e. from when the control call returned) until the view's detail shows the state. */
  private static void awaitState(Predicate<String> wanted, Duration timeout) {
    awaitDetail("state", v -> v != null && wanted.test(v), timeout);
  }

  private static void awaitDetail(String row, Predicate<String> wanted, Duration timeout) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    String value = null;
    do {
      value = detail(row);
      if (wanted.test(value)) {
        System.out.printf("CONTROL: the view showed %s=%s %d ms after the call returned%n", row, value,
            (System.nanoTime() - start) / 1_000_000);
        return;
      }
      HttpCalls.sleep(25);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("the view did not show the wanted " + row + " within " + timeout + "; last: " + value);
  }

  /** A row of the container's detail in the containers view (null when absent). */
  private static String detail(String row) {
    Reply detail = viewer.get(node.baseUri() + "/api/topology/containers/container:" + id);
    if (detail.status() == 200) {
      for (JsonNode r : detail.json().get("metadata")) {
        if (r.get("id").asText().equals(row)) {
          return r.get("value").asText();
        }
      }
    }
    return null;
  }

}
