package io.portolan.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.portolan.gateway.testing.AgentTestbed;
import io.portolan.gateway.testing.HttpCalls;
import io.portolan.gateway.testing.WsClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The audit log outlives the node: controls, an exec session, logs, inspect and env, logins, a failed
 * login, a logout and admin changes, done through the API on the real agent and engine, are all
 * still there (same time, actor, action, target, outcome) after the node restarts on the same keyspace.
 */
class AuditRestartIT {

  private static final String NAME = "portolan-test-audit-" + UUID.randomUUID().toString().substring(0, 8);
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final List<String> ACTIONS = List.of("container.pause", "container.unpause",
      "container.exec.start", "container.exec.end", "container.logs.open", "container.inspect", "container.env",
      "login", "logout", "user.create");

  private static AgentTestbed bed;

  @BeforeAll
  static void start() throws Exception {
    bed = AgentTestbed.start("auditrestart");
    bed.run(NAME, List.of(), "sh", "-c", "while true; do echo tick; sleep 0.2; done");
    bed.startAgent("audit-restart-it", Map.of());
    bed.awaitContainer(NAME, Duration.ofSeconds(60));
  }

  @AfterAll
  static void stop() throws Exception {
    if (bed != null) {
      bed.close();
    }
  }

  @Test
  void everyKindOfEventSurvivesANodeRestart() throws Exception {
    String base = bed.baseUri();
    String container = base + "/api/containers/" + NAME;
    assertThat(bed.operator.post(container + "/pause", "").status()).isEqualTo(200);
    assertThat(bed.operator.post(container + "/unpause", "").status()).isEqualTo(200);
    try (WsClient exec = WsClient.open(container + "/exec/ws?cmd=sh", bed.operator.token())) {
      exec.send("echo audited-$((2+3))\n");
      exec.awaitOutput(o -> o.contains("audited-5"), WAIT);
      exec.send("exit 4\n");
      exec.awaitText(t -> t.contains("\"exit\""), WAIT);
    }
    try (WsClient logs = WsClient.open(container + "/logs/ws?tail=1", bed.operator.token())) {
      logs.awaitText(t -> t.contains("tick"), WAIT);
    }
    assertThat(bed.operator.get(container + "/inspect").status()).isEqualTo(200);
    assertThat(bed.operator.get(container + "/env").status()).isEqualTo(200);
    assertThat(HttpCalls.post(base + "/api/auth/login", "{\"username\":\"ops\",\"password\":\"wrong-password\"}")
        .status()).isEqualTo(401);
    assertThat(bed.admin.post(base + "/api/users",
        "{\"username\":\"auditee\",\"password\":\"password-auditee\",\"role\":\"viewer\"}").status()).isEqualTo(201);
    HttpCalls.Client leaving = HttpCalls.login(base, "auditee", "password-auditee");
    assertThat(leaving.post(base + "/api/auth/logout", "").status()).isEqualTo(200);

    List<String> before = awaitAll(bed.admin, base);

    bed.restartNode();
    HttpCalls.Client admin = bed.node.admin();
    JsonNode after = admin.get(bed.baseUri() + "/api/audit?limit=10000").json().get("events");
    List<String> afterKeys = keys(after);
    assertThat(afterKeys).containsAll(before);

    // Still queryable by user, target and time after the restart.
    JsonNode failed = admin.get(bed.baseUri() + "/api/audit?user=ops&action=login").json().get("events");
    assertThat(failed.findValuesAsText("outcome")).contains("failed", "ok");
    String target = after.findValues("target").stream().map(JsonNode::asText)
        .filter(t -> t.startsWith(NAME + " (")).findFirst().orElseThrow();
    JsonNode byTarget = admin.get(bed.baseUri() + "/api/audit?target=" + URLEncoder.encode(target,
        StandardCharsets.UTF_8)).json().get("events");
    assertThat(byTarget.findValuesAsText("target")).containsOnly(target);
    assertThat(byTarget.findValuesAsText("action")).contains("container.pause", "container.exec.end");
    assertThat(byTarget.toString()).contains("exit code 4");
    JsonNode byName = admin.get(bed.baseUri() + "/api/audit?target=" + NAME).json().get("events");
    assertThat(byName.size()).isEqualTo(byTarget.size());
    JsonNode future = admin.get(bed.baseUri() + "/api/audit?from=2099-01-01T00:00:00Z&to=2099-01-02T00:00:00Z")
        .json().get("events");
    assertThat(future).isEmpty();
  }

  /** Waits until every kind of event is written; returns them as comparable keys. */
  private static List<String> awaitAll(HttpCalls.Client admin, String base) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    JsonNode events = null;
    while (System.nanoTime() < deadline) {
      events = admin.get(base + "/api/audit?limit=10000").json().get("events");
      List<String> actions = events.findValuesAsText("action");
      if (actions.containsAll(ACTIONS) && hasFailedLogin(events)) {
        return keys(events);
      }
      HttpCalls.sleep(200);
    }
    throw new AssertionError("not every event was audited before the restart: " + events);
  }

  private static boolean hasFailedLogin(JsonNode events) {
    for (JsonNode e : events) {
      if (e.get("action").asText().equals("login") && e.get("outcome").asText().equals("failed")
          && e.get("actor").asText().equals("ops")) {
        return true;
      }
    }
    return false;
  }

  private static List<String> keys(JsonNode events) {
    List<String> keys = new ArrayList<>();
    for (JsonNode e : events) {
      keys.add(e.get("at").asText() + " " + e.get("actor").asText() + " " + e.get("action").asText() + " "
          + e.get("target").asText() + " " + e.get("outcome").asText());
    }
    return keys;
  }
}
