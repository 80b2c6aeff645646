package io.portolan.gateway.containers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portolan.gateway.testing.AgentTestbed;
import io.portolan.gateway.testing.HttpCalls;
import io.portolan.gateway.testing.HttpCalls.Reply;
import io.portolan.gateway.testing.TestNode;
import io.portolan.gateway.testing.WsClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Logs, exec, inspect, env and files end to end: API → pipe → the real agent's WebSocket → the real
 * Docker engine, with credit-based flow control on the way back.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipesIT {

  private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
  private static final String COUNTER = "portolan-test-pipe-counter-" + SUFFIX;
  private static final String FIXED = "portolan-test-pipe-fixed-" + SUFFIX;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(15);

  private static AgentTestbed bed;
  private static TestNode node;
  private static HttpCalls.Client admin;
  private static HttpCalls.Client operator;
  private static HttpCalls.Client viewer;

  @BeforeAll
  static void start() throws Exception {
    bed = AgentTestbed.start("pipes");
    node = bed.node;
    admin = bed.admin;
    operator = bed.operator;
    viewer = bed.viewer;
    bed.run(COUNTER, List.of("-e", "DB_PASSWORD=hunter2", "-e", "API_KEY=k-123", "-e", "PLAIN=visible"),
        "sh", "-c", "i=0; while true; do echo line $i; echo err $i >&2; i=$((i+1)); sleep 0.1; done");
    bed.run(FIXED, List.of(), "sh", "-c", "for i in 1 2 3 4 5; do echo out$i; done; echo bad >&2; sleep 600");
    bed.startAgent("pipes-it", Map.of());
    bed.awaitContainer(COUNTER, Duration.ofSeconds(60));
    bed.awaitContainer(FIXED, Duration.ofSeconds(60));
  }

  @AfterAll
  static void stop() throws Exception {
    if (bed != null) {
      bed.close();
    }
  }

  @Test
  @Order(1)
  void aFollowedLogShowsLinesPrintedAfterSubscribingWithStreamsAndTimestamps() throws Exception {
    Instant subscribed = Instant.now();
    try (WsClient ws = WsClient.open(url(COUNTER, "logs/ws?follow=true&tail=0&timestamps=true"), operator.token())) {
      JsonNode out = JSON.readTree(ws.awaitText(t -> t.contains("\"stdout\""), WAIT));
      JsonNode err = JSON.readTree(ws.awaitText(t -> t.contains("\"stderr\""), WAIT));
      assertThat(out.get("line").asText()).startsWith("line ");
      assertThat(err.get("line").asText()).startsWith("err ");
      assertThat(Instant.parse(out.get("ts").asText())).isAfter(subscribed.minusSeconds(1));
      long first = Long.parseLong(out.get("line").asText().substring(5));
      JsonNode later = JSON.readTree(ws.awaitText(t -> t.contains("line " + (first + 10) + "\""), WAIT));
      assertThat(later.get("stream").asText()).isEqualTo("stdout");
    }
  }

  @Test
  @Order(2)
  void tailSinceTimestampsAndDownload() throws Exception {
    Reply tail = operator.get(url(FIXED, "logs?tail=2"));
    assertThat(tail.status()).as(tail.body()).isEqualTo(200);
    assertThat(tail.headers().get("content-disposition").get(0)).contains("attachment");
    // The engine copies stdout and stderr separately, so "bad" may land before or after out4/out5.
    assertThat(tail.body().lines().toList()).hasSize(2).isSubsetOf("out3", "out4", "out5", "bad");

    Reply all = operator.get(url(FIXED, "logs?timestamps=true"));
    assertThat(all.body().lines().toList()).hasSize(6).allMatch(l -> l.matches("^20\\d\\d-\\d\\d-\\d\\dT.*Z (out\\d|bad)$"));

    Reply future = operator.get(url(FIXED, "logs?since=" + Instant.now().plusSeconds(3600)));
    assertThat(future.status()).isEqualTo(200);
    assertThat(future.body()).isEmpty();

    try (WsClient ws = WsClient.open(url(FIXED, "logs/ws?follow=false&tail=all"), operator.token())) {
      String end = ws.awaitText(t -> t.contains("\"end\""), WAIT);
      assertThat(end).contains("the log ended");
      List<String> lines = new ArrayList<>(ws.all);
      assertThat(lines).contains("{\"stream\":\"stdout\",\"line\":\"out1\"}", "{\"stream\":\"stderr\",\"line\":\"bad\"}");
      assertThat(ws.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1000);
    }
  }

  @Test
  @Order(3)
  void execEchoesResizesAndReportsTheExitCode() throws Exception {
    try (WsClient ws = WsClient.open(url(COUNTER, "exec/ws?cmd=sh"), operator.token())) {
      ws.sendBinary("echo h\"\"i\n".getBytes(StandardCharsets.UTF_8));
      ws.awaitOutput(o -> o.contains("hi\r\n"), WAIT);
      ws.send("{\"type\":\"resize\",\"cols\":123,\"rows\":45}");
      HttpCalls.sleep(300);
      ws.send("stty size\n");
      ws.awaitOutput(o -> o.contains("45 123"), WAIT);
      ws.send("exit 7\n");
      JsonNode exit = JSON.readTree(ws.awaitText(t -> t.contains("exit"), WAIT));
      assertThat(exit.get("type").asText()).isEqualTo("exit");
      assertThat(exit.get("code").asInt()).isEqualTo(7);
      assertThat(ws.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1000);
    }
  }

  @Test
  @Order(4)
  void twoExecSessionsAtOnceAndAClosedClientKillsItsExec() throws Exception {
    try (WsClient a = WsClient.open(url(COUNTER, "exec/ws?cmd=sh&cols=80&rows=24"), operator.token());
        WsClient b = WsClient.open(url(COUNTER, "exec/ws?cmd=sh"), operator.token())) {
      a.send("echo A$((40+2))\n");
      b.send("echo B$((50+5))\n");
      a.awaitOutput(o -> o.contains("A42"), WAIT);
      b.awaitOutput(o -> o.contains("B55"), WAIT);
      assertThat(a.output()).doesNotContain("B55");
      assertThat(b.output()).doesNotContain("A42");
      a.send("sleep 4321\n");
      HttpCalls.sleep(500);
      assertThat(AgentTestbed.docker("exec", COUNTER, "ps")).contains("sleep 4321");
    }
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (AgentTestbed.docker("exec", COUNTER, "ps").contains("sleep 4321") && System.nanoTime() < deadline) {
      HttpCalls.sleep(200);
    }
    assertThat(AgentTestbed.docker("exec", COUNTER, "ps")).doesNotContain("sleep 4321");
  }

  @Test
  @Order(5)
  void envIsMaskedUnlessAnAdminAsks() {
    Reply masked = operator.get(url(COUNTER, "env"));
    assertThat(masked.status()).as(masked.body()).isEqualTo(200);
    assertThat(masked.body()).contains("\"PLAIN\"", "visible", "****").doesNotContain("hunter2", "k-123");
    assertThat(operator.get(url(COUNTER, "env?unmasked=true")).status()).isEqualTo(403);
    Reply unmasked = admin.get(url(COUNTER, "env?unmasked=true"));
    assertThat(unmasked.status()).isEqualTo(200);
    assertThat(unmasked.body()).contains("hunter2", "k-123");
    Reply inspect = operator.get(url(COUNTER, "inspect"));
    assertThat(inspect.status()).isEqualTo(200);
    assertThat(inspect.json().at("/Config/Image").asText()).isEqualTo(AgentTestbed.IMAGE);
    assertThat(inspect.body()).doesNotContain("hunter2").contains("DB_PASSWORD=****");
    assertThat(admin.get(url(COUNTER, "inspect?unmasked=true")).body()).contains("DB_PASSWORD=hunter2");
  }

  @Test
  @Order(6)
  void filesListAndDownload() {
    Reply list = operator.get(url(COUNTER, "files?path=/etc"));
    assertThat(list.status()).as(list.body()).isEqualTo(200);
    assertThat(list.json().get("entries").findValuesAsText("name")).contains("passwd", "hosts");
    assertThat(list.json().get("directory").asBoolean()).isTrue();
    Reply passwd = operator.get(url(COUNTER, "files/download?path=/etc/passwd"));
    assertThat(passwd.status()).isEqualTo(200);
    assertThat(passwd.body()).contains("root:");
    assertThat(passwd.headers().get("content-disposition").get(0)).contains("passwd");
    assertThat(operator.get(url(COUNTER, "files/download?path=/etc")).status()).isEqualTo(400);
    assertThat(operator.get(url(COUNTER, "files/download?path=/no/such/file")).status()).isEqualTo(404);
    assertThat(operator.get(url(COUNTER, "files?path=/no/such/dir")).status()).isEqualTo(404);
  }

  @Test
  @Order(7)
  void viewersAreForbiddenAndStrangersUnauthorized() throws Exception {
    for (String route : List.of("logs/ws", "logs", "exec/ws", "inspect", "env", "files?path=/etc",
        "files/download?path=/etc/passwd")) {
      assertThat(viewer.get(url(COUNTER, route)).status()).as(route).isEqualTo(403);
      assertThat(HttpCalls.get(url(COUNTER, route)).status()).as(route).isEqualTo(401);
    }
    assertThat(operator.get(node.baseUri() + "/api/hosts/any-host/exec/ws").status()).isEqualTo(403);
    try {
      WsClient.open(url(COUNTER, "exec/ws?cmd=sh"), viewer.token()).close();
      throw new AssertionError("a viewer opened an exec WebSocket");
    } catch (java.util.concurrent.ExecutionException e) {
      assertThat(e).hasStackTraceContaining("403");
    }
  }

  @Test
  @Order(8)
  void malformedRequestsAre400AndUnknownContainers404() {
    for (String bad : List.of("logs?tail=-1", "logs?tail=many", "logs?since=yesterday", "logs/ws?follow=maybe",
        "files", "files?path=etc", "files/download", "exec/ws?cmd=", "exec/ws?cols=0", "env?unmasked=perhaps")) {
      Reply r = operator.get(url(COUNTER, bad));
      assertThat(r.status()).as(bad + " → " + r.body()).isEqualTo(400);
    }
    for (String route : List.of("logs/ws", "logs", "exec/ws", "inspect", "env", "files?path=/etc")) {
      assertThat(operator.get(url("no-such-container-" + SUFFIX, route)).status()).as(route).isEqualTo(404);
    }
  }

  @Test
  @Order(9)
  void execSessionsLogsInspectEnvAndFilesAreAudited() {
    long deadline = System.nanoTime() + WAIT.toNanos();
    List<String> actions = List.of();
    while (System.nanoTime() < deadline) {
      JsonNode events = admin.get(node.baseUri() + "/api/audit?user=ops&limit=500").json().get("events");
      actions = events.findValuesAsText("action");
      if (actions.containsAll(List.of("container.exec.start", "container.exec.end", "container.logs.open",
          "container.logs.download", "container.inspect", "container.env", "container.files.list",
          "container.files.download"))) {
        assertThat(events.toString()).contains("exit code 7", "follow=true tail=0", "/etc/passwd");
        assertThat(events.findValuesAsText("target")).anyMatch(t -> t.startsWith(COUNTER + " ("));
        JsonNode adminEvents = admin.get(node.baseUri() + "/api/audit?user=admin&limit=500").json().get("events");
        assertThat(adminEvents.toString()).contains("\"container.env\"", "unmasked");
        return;
      }
      HttpCalls.sleep(200);
    }
    throw new AssertionError("audit log lacks exec/logs/inspect/env/files events: " + actions);
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static String url(String container, String rest) {
    return node.baseUri() + "/api/containers/" + container + "/" + rest;
  }

}
