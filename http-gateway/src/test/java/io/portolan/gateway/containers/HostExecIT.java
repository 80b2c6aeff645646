package io.portolan.gateway.containers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.portolan.gateway.http.Json;
import io.portolan.gateway.testing.AgentTestbed;
import io.portolan.gateway.testing.HttpCalls;
import io.portolan.gateway.testing.WsClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Host exec is its own permission, checked twice: the node lets only admins open
 * {@code /api/hosts/{hostId}/exec/ws}, and the agent runs a shell on its host only when it was started
 * with host exec allowed ({@code --allow-host-exec}, {@code PORTOLAN_AGENT_HOST_EXEC=true}; here the
 * setting {@code portolan.node.agent.host-exec} itself, since the real agent runs in this JVM).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostExecIT {

  private static final String HOST_EXEC = "portolan.node.agent.host-exec";
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static AgentTestbed bed;

  @BeforeAll
  static void start() throws Exception {
    bed = AgentTestbed.start("hostexec");
  }

  @AfterAll
  static void stop() throws Exception {
    if (bed != null) {
      bed.close();
    }
  }

  @Test
  @Order(1)
  void anAgentWithoutTheOptInIsRefusedWithA403AndTheReason() throws Exception {
    bed.startAgent("hostexec-off", Map.of());
    String url = bed.baseUri() + "/api/hosts/hostexec-off/exec/ws?cmd=/bin/sh";
    HttpCalls.Reply refused = awaitConnected(url);
    assertThat(refused.status()).as(refused.body()).isEqualTo(403);
    assertThat(refused.body()).contains("host exec is off on this agent", "--allow-host-exec",
        "PORTOLAN_AGENT_HOST_EXEC=true");
    try {
      WsClient.open(url, bed.admin.token()).close();
      throw new AssertionError("a host shell opened on an agent without host exec");
    } catch (java.util.concurrent.ExecutionException e) {
      assertThat(e).hasStackTraceContaining("403");
    }
    bed.stopAgent();
  }

  @Test
  @Order(2)
  void onlyAnAdminRunsAShellOnAnAgentThatOptedIn() throws Exception {
    bed.startAgent("hostexec-on", Map.of(HOST_EXEC, true));
    try (WsClient ws = openWhenConnected("hostexec-on", bed.admin.token())) {
      ws.send("echo host-$((6*7)) $(cat /proc/sys/kernel/hostname)\n");
      String out = ws.awaitOutput(o -> o.contains("host-42 "), WAIT);
      assertThat(out).contains("host-42 " + java.nio.file.Files.readString(
          java.nio.file.Path.of("/proc/sys/kernel/hostname")).strip());
      ws.send("exit 3\n");
      JsonNode exit = Json.MAPPER.readTree(ws.awaitText(t -> t.contains("\"exit\""), WAIT));
      assertThat(exit.get("code").asInt()).isEqualTo(3);
    }
    String route = bed.baseUri() + "/api/hosts/hostexec-on/exec/ws";
    assertThat(bed.operator.get(route).status()).isEqualTo(403);
    assertThat(bed.viewer.get(route).status()).isEqualTo(403);
    assertThat(HttpCalls.get(route).status()).isEqualTo(401);
    for (HttpCalls.Client notAdmin : List.of(bed.operator, bed.viewer)) {
      try {
        WsClient.open(route, notAdmin.token()).close();
        throw new AssertionError("a non-admin opened a host shell");
      } catch (java.util.concurrent.ExecutionException e) {
        assertThat(e).hasStackTraceContaining("403");
      }
    }
  }

  @Test
  @Order(3)
  void hostExecSessionsAreAudited() {
    long deadline = System.nanoTime() + WAIT.toNanos();
    JsonNode events = null;
    while (System.nanoTime() < deadline) {
      events = bed.admin.get(bed.baseUri() + "/api/audit?user=admin&limit=200").json().get("events");
      if (events.findValuesAsText("action").containsAll(List.of("host.exec.start", "host.exec.end"))
          && events.toString().contains("exit code 3") && events.toString().contains("host exec is off")) {
        return;
      }
      HttpCalls.sleep(200);
    }
    throw new AssertionError("audit log lacks the host exec sessions: " + events);
  }

  /** Opens the host shell once the agent's link is up (503 until then). */
  private static WsClient openWhenConnected(String hostId, String token) throws Exception {
    String url = bed.baseUri() + "/api/hosts/" + hostId + "/exec/ws?cmd=/bin/sh&cols=100&rows=30";
    awaitConnected(url);
    return WsClient.open(url, token);
  }

  /** Probes the route with a plain GET (no upgrade) until the host's agent is connected (no more 503). */
  private static HttpCalls.Reply awaitConnected(String url) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      HttpCalls.Reply probe = bed.admin.get(url);
      if (probe.status() != 503) {
        return probe;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the agent of " + url + " did not connect: " + probe.body());
      }
      HttpCalls.sleep(300);
    }
  }
}
