package io.portolan.gateway.containers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.portolan.gateway.testing.HttpCalls;
import io.portolan.gateway.testing.HttpCalls.Reply;
import io.portolan.gateway.testing.TestNode;
import io.portolan.node.agent.Agent;
import io.portolan.persistence.testing.TestCassandra;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.pekko.actor.typed.ActorSystem;
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

  private static final String IMAGE = "portolan/busybox:test";
  private static final String TOKEN = "control-it-" + UUID.randomUUID();
  private static final String NAME = "portolan-test-ctl-" + UUID.randomUUID().toString().substring(0, 8);

  private static TestNode node;
  private static HttpCalls.Client operator;
  private static HttpCalls.Client viewer;
  private static ActorSystem<?> agent;
  private static String id;
  private static final List<String> started = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    if (!docker("image", "inspect", IMAGE).startsWith("[")) {
      throw new AssertionError("the test image " + IMAGE + " is missing: run `make test-image`");
    }
    node = TestNode.start(TestCassandra.shared(), TestCassandra.uniqueKeyspace("control"),
        ConfigFactory.parseMap(Map.of("portolan.agents.token", TOKEN)));
    HttpCalls.Client admin = node.admin();
    for (String[] user : new String[][] {{"ops", "operator"}, {"watcher", "viewer"}}) {
      assertThat(admin.post(node.baseUri() + "/api/users", "{\"username\":\"" + user[0]
          + "\",\"password\":\"password-" + user[0] + "\",\"role\":\"" + user[1] + "\"}").status()).isEqualTo(201);
    }
    operator = HttpCalls.login(node.baseUri(), "ops", "password-ops");
    viewer = HttpCalls.login(node.baseUri(), "watcher", "password-watcher");

    id = run(NAME);
    agent = Agent.start(agentConfig());
    awaitState(s -> s.equals("running"), Duration.ofSeconds(60));
  }

  @AfterAll
  static void stop() throws Exception {
    if (agent != null) {
      agent.terminate();
    }
    for (String container : started) {
      docker("rm", "-f", container);
    }
    if (node != null) {
      node.close();
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
    run(second);
    awaitContainer(second, Duration.ofSeconds(30));
    Reply bulk = operator.post(node.baseUri() + "/api/containers/_bulk/stop?timeout=1",
        "{\"ids\":[\"" + NAME + "\",\"" + second + "\",\"not-there\"]}");
    assertThat(bulk.status()).isEqualTo(200);
    assertThat(bulk.json().get("ok").asInt()).as(bulk.body()).isEqualTo(2);
    assertThat(bulk.json().get("failed").asInt()).isEqualTo(1);
    assertThat(bulk.json().get("results").findValuesAsText("ref")).containsExactly(NAME, second, "not-there");
    assertThat(bulk.json().at("/results/2/status").asInt()).isEqualTo(404);
    assertThat(docker("inspect", "-f", "{{.State.Status}}", second).trim()).isEqualTo("exited");

    control(second, "remove", 200);
    assertThat(docker("ps", "-a", "-q", "--filter", "name=" + second).trim()).isEmpty();
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
    agent.terminate();
    agent.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    agent = null;
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

  private static Config agentConfig() {
    return ConfigFactory.parseMap(Map.of(
            "portolan.node.agent.agent-id", "control-it",
            "portolan.node.agent.cluster", List.of("ws://127.0.0.1:" + node.baseUri().replaceAll(".*:", "")),
            "portolan.node.agent.token", TOKEN,
            "pekko.loglevel", "INFO"))
        .withFallback(ConfigFactory.defaultReference())
        .resolve();
  }

  private static String engineState() throws Exception {
    return docker("inspect", "-f", "{{.State.Status}}", id).trim();
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

  private static void awaitContainer(String name, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (viewer.get(node.baseUri() + "/api/search?q=type:container%20" + name).json().get("total").asInt() > 0) {
        return;
      }
      HttpCalls.sleep(200);
    }
    throw new AssertionError(name + " did not show up");
  }

  private static String run(String name) throws Exception {
    String out = docker("run", "-d", "--name", name, "--label", "io.portolan.test=true", IMAGE, "sleep", "600").trim();
    started.add(name);
    return out;
  }

  private static String docker(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("docker");
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(60, TimeUnit.SECONDS);
    return out;
  }
}
