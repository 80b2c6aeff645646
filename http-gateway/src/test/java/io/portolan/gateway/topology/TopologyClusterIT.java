package io.portolan.gateway.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.portolan.gateway.testing.HttpCalls;
import io.portolan.gateway.testing.NodeProcess;
import io.portolan.loadgen.Profile;
import io.portolan.loadgen.SimAgent;
import io.portolan.loadgen.SimHost;
import io.portolan.persistence.cassandra.RunningCassandra;
import io.portolan.persistence.testing.TestCassandra;
import io.portolan.protocol.AgentMessage;
import io.portolan.protocol.ClusterMessage;
import io.portolan.protocol.Protocol;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three nodes as JVM processes with simulated agents (the load generator's real WebSocket clients)
 * connected to different nodes: every node's views show every host, though only the view node (the
 * oldest) holds the read model and the others forward GETs and WebSockets to it; bad frames are
 * rejected without harm; after {@code kill -9} of the view node the views are complete again within
 * a bound on both survivors (its agents reconnect elsewhere, the moved entities ask for full
 * reports, a survivor becomes the view node and warms up); a silent agent's host turns stale, then
 * disappears.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TopologyClusterIT {

  private static final String TOKEN = "it-token-123";
  private static final int AGENTS = 6;
  private static final Profile SMALL = new Profile("it", 2, 2, 1, 1, Duration.ofSeconds(1), 30);
  private static final Duration RECOVERY_BOUND = Duration.ofSeconds(60);

  private final List<NodeProcess> nodes = new ArrayList<>();
  private final List<SimAgent> agents = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private final SimAgent.Counters counters = new SimAgent.Counters();
  private List<URI> uris;
  /** Tokens are cluster-wide: one admin login serves every node. */
  private static HttpCalls.Client admin;
  private List<Integer> clusterPorts;

  @BeforeAll
  void startCluster() throws Exception {
    RunningCassandra cassandra = TestCassandra.shared();
    String keyspace = TestCassandra.uniqueKeyspace("topology");
    clusterPorts = List.of(HttpCalls.freePort(), HttpCalls.freePort(), HttpCalls.freePort());
    Map<String, String> env = Map.of("PORTOLAN_AGENT_TOKEN", TOKEN, "PORTOLAN_HOST_STALE_AFTER", "3s",
        "PORTOLAN_HOST_REMOVE_AFTER", "10s");
    for (int i = 0; i < 3; i++) {
      nodes.add(NodeProcess.start("topology-node-" + (i + 1), HttpCalls.freePort(), clusterPorts.get(i), clusterPorts,
          cassandra, keyspace, env));
      if (i == 0) {
        HttpCalls.awaitReady(nodes.get(0).baseUri(), Duration.ofSeconds(90));
      }
    }
    for (NodeProcess node : nodes) {
      HttpCalls.awaitReady(node.baseUri(), Duration.ofSeconds(90));
    }
    uris = nodes.stream().map(n -> URI.create(n.baseUri())).toList();
    admin = nodes.get(0).admin();
    for (int i = 0; i < AGENTS; i++) {
      SimAgent agent = new SimAgent(new SimHost(i, AGENTS, SMALL), uris, i % 3, TOKEN, http, scheduler, counters);
      agents.add(agent);
      agent.start(SMALL, Duration.ofMillis(200));
    }
  }

  @AfterAll
  void stop() throws Exception {
    agents.forEach(SimAgent::stop);
    scheduler.shutdownNow();
    for (NodeProcess node : nodes) {
      node.close();
    }
  }

  @Test
  @Order(1)
  void everyNodeShowsEveryHostAndItsContainers() {
    for (NodeProcess node : nodes) {
      awaitView(node, "hosts", Duration.ofSeconds(60), v -> liveNodes(v) == AGENTS);
      JsonNode containers = awaitView(node, "containers", Duration.ofSeconds(30),
          v -> v.get("nodeCount").asInt() == AGENTS * SMALL.containers());
      assertThat(containers.get("edgeCount").asInt()).as("cross-host edges").isGreaterThan(0);
      HttpCalls.Reply processesReply = admin.get(node.baseUri() + "/api/topology/processes");
      JsonNode processes = processesReply.json();
      assertThat(processes.get("nodeCount").asInt()).isEqualTo(AGENTS * SMALL.processes());
      // the node's own time for the answer, as the benchmark reads it (W3C Server-Timing)
      assertThat(String.join(", ", processesReply.headers().getOrDefault("server-timing", List.of())))
          .containsPattern("request;dur=\\d+\\.\\d\\d").containsPattern("render;dur=\\d+\\.\\d\\d")
          .containsPattern("json;dur=\\d+\\.\\d\\d");
      JsonNode summary = admin.get(node.baseUri() + "/api/topology").json();
      assertThat(summary.get("views")).hasSize(6);
    }
    // a detail with metrics from the host's entity, wherever it runs
    String id = admin.get(nodes.get(1).baseUri() + "/api/topology/containers").json().at("/nodes/0/id").asText();
    JsonNode detail = admin.get(nodes.get(1).baseUri() + "/api/topology/containers/" + id).json();
    assertThat(detail.get("parents")).isNotEmpty();
    assertThat(detail.get("metrics")).isNotEmpty();
    assertThat(admin.get(nodes.get(1).baseUri() + "/api/topology/containers/container:nope").status()).isEqualTo(404);
    assertThat(admin.get(nodes.get(2).baseUri() + "/api/search?q=app-server").json().get("total").asInt())
        .isEqualTo(AGENTS * SMALL.containers());
  }

  @Test
  @Order(2)
  void theReadModelLivesOnTheViewNodeAndTheOthersForwardToIt() throws Exception {
    // one replica (the default): the oldest node, node 1, holds the model; the others hold none
    JsonNode viewStats = admin.get(nodes.get(0).baseUri() + "/api/admin/stats").json();
    assertThat(viewStats.at("/readModel/viewNode").asBoolean()).isTrue();
    assertThat(viewStats.at("/readModel/hosts").asInt()).isEqualTo(AGENTS);
    for (NodeProcess node : nodes.subList(1, 3)) {
      JsonNode stats = admin.get(node.baseUri() + "/api/admin/stats").json();
      assertThat(stats.at("/readModel/viewNode").asBoolean()).as(node.name()).isFalse();
      assertThat(stats.at("/readModel/hosts").asInt()).as(node.name() + " keeps no model").isZero();
      assertThat(stats.at("/readModel/viewNodes").get(0).asText()).isEqualTo(nodes.get(0).clusterAddress());
      // a GET is answered by the view node, through this one
      HttpCalls.Reply reply = admin.get(node.baseUri() + "/api/topology/containers?connectivity=connected");
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.headers().get("x-portolan-view-node")).containsExactly(nodes.get(0).clusterAddress());
      assertThat(reply.json().get("nodeCount").asInt()).isPositive().isEqualTo(
          admin.get(nodes.get(0).baseUri() + "/api/topology/containers?connectivity=connected").json().get("nodeCount").asInt());
      // the view node's errors come through as they are
      assertThat(admin.get(node.baseUri() + "/api/topology/containers?state=sleeping").status()).isEqualTo(400);
      // credentials are checked by the view node: none, no answer
      assertThat(HttpCalls.get(node.baseUri() + "/api/topology/containers").status()).isEqualTo(401);
      assertThat(admin.get(node.baseUri() + "/api/topology/nope").status()).isEqualTo(404);
    }
    // a topology WebSocket on a node that forwards: the view node's snapshot, then its deltas
    try (io.portolan.gateway.testing.WsClient ws = io.portolan.gateway.testing.WsClient.open(
        nodes.get(2).baseUri() + "/api/topology/hosts/ws", admin.token())) {
      String snapshot = ws.awaitText(t -> t.contains("\"snapshot\""), Duration.ofSeconds(15));
      assertThat(snapshot).contains(agents.get(0).host().hostId(), agents.get(AGENTS - 1).host().hostId());
      ws.awaitText(t -> t.contains("\"delta\""), Duration.ofSeconds(15));
    }
    // refused by the view node (no credentials): refused here too, before any upgrade
    Throwable refused = null;
    try {
      HttpClient.newHttpClient().newWebSocketBuilder()
          .buildAsync(URI.create(nodes.get(1).baseUri().replaceFirst("^http", "ws") + "/api/topology/hosts/ws"),
              new WebSocket.Listener() {}).join();
    } catch (CompletionException e) {
      refused = e.getCause();
    }
    assertThat(refused).isInstanceOf(WebSocketHandshakeException.class);
    assertThat(((WebSocketHandshakeException) refused).getResponse().statusCode()).isEqualTo(401);
  }

  @Test
  @Order(3)
  void badFramesAreRejectedWithoutHarm() throws Exception {
    NodeProcess node = nodes.get(1);
    // wrong token: 401 before any upgrade
    HttpClient client = HttpClient.newHttpClient();
    Throwable refused = null;
    try {
      client.newWebSocketBuilder().header("Authorization", "Bearer wrong")
          .buildAsync(URI.create("ws://127.0.0.1:" + URI.create(node.baseUri()).getPort() + "/agent/ws"),
              new WebSocket.Listener() {}).join();
    } catch (CompletionException e) {
      refused = e.getCause();
    }
    assertThat(refused).isInstanceOf(WebSocketHandshakeException.class);
    assertThat(((WebSocketHandshakeException) refused).getResponse().statusCode()).isEqualTo(401);
    assertThat(HttpCalls.get(node.baseUri() + "/agent/ws").status()).isEqualTo(401);

    // an agent of its own host says Hello and sends a full report, then bad frames
    SimHost host = new SimHost(99, 100, SMALL);
    SimAgent bad = new SimAgent(host, List.of(URI.create(node.baseUri())), 0, TOKEN, client, scheduler,
        new SimAgent.Counters());
    bad.connect().join();
    bad.sendReport(true);
    awaitView(node, "hosts", Duration.ofSeconds(20), v -> v.toString().contains(host.hostId()));
    int containersBefore = admin.get(node.baseUri() + "/api/topology/containers").json().get("nodeCount").asInt();

    bad.send(new byte[] {(byte) 0xbf, 0x01, 0x02, 0x03}).join(); // malformed CBOR
    bad.send(new byte[Protocol.MAX_FRAME_BYTES + 1024]).join(); // oversized
    awaitReceived(bad, m -> m instanceof ClusterMessage.Rejected r && r.reason().contains("exceeds"));
    assertThat(bad.received()).anyMatch(m -> m instanceof ClusterMessage.Rejected r && r.reason().contains("malformed")
        && !r.fatal());
    assertThat(bad.isConnected()).as("non-fatal rejections keep the connection").isTrue();
    // still reporting fine on the same connection
    bad.sendReport(false);
    // wrong version: fatal, closed
    bad.send(Protocol.encode(new AgentMessage.Report(99, host.agentId(), host.hostId(), 5, false, 1, List.of(), List.of())))
        .join();
    awaitReceived(bad, m -> m instanceof ClusterMessage.Rejected r && r.fatal() && r.reason().contains("version"));
    bad.stop();

    JsonNode stats = admin.get(node.baseUri() + "/api/admin/stats").json();
    assertThat(stats.at("/ingest/rejectedByReason/malformed").asLong()).isGreaterThanOrEqualTo(1);
    assertThat(stats.at("/ingest/rejectedByReason/oversized").asLong()).isGreaterThanOrEqualTo(1);
    assertThat(stats.at("/ingest/rejectedByReason/version").asLong()).isGreaterThanOrEqualTo(1);
    assertThat(stats.at("/ingest/unauthorized").asLong()).isGreaterThanOrEqualTo(2);
    // nothing merged was lost
    assertThat(admin.get(node.baseUri() + "/api/topology/containers").json().get("nodeCount").asInt())
        .isEqualTo(containersBefore);
  }

  @Test
  @Order(4)
  void afterKillMinus9OfTheViewNodeTheViewsAreCompleteAgainWithinABound() throws Exception {
    // node 1 is the view node (the oldest member): killing it moves the read model to a survivor,
    // which warms up (503 meanwhile) while the other survivor forwards to it
    NodeProcess victim = nodes.get(0);
    assertThat(admin.get(victim.baseUri() + "/api/admin/stats").json().at("/readModel/viewNode").asBoolean()).isTrue();
    long killedAt = System.nanoTime();
    victim.kill();
    String victimAddress = "pekko://portolan@127.0.0.1:" + clusterPorts.get(0);
    for (NodeProcess node : nodes.subList(1, 3)) {
      // The read models keep the last state, so "all hosts shown" alone proves little: wait until
      // every host is live again AND its entity runs on a survivor (moved, refilled by a full report).
      for (SimAgent agent : agents) {
        String detailUri = node.baseUri() + "/api/topology/hosts/host:" + agent.host().hostId();
        long deadline = killedAt + RECOVERY_BOUND.toNanos();
        while (true) {
          HttpCalls.Reply reply = admin.get(detailUri);
          if (reply.status() == 200) {
            String servedBy = "";
            String status = "";
            for (JsonNode row : reply.json().get("metadata")) {
              if (row.get("id").asText().equals("served_by")) {
                servedBy = row.get("value").asText();
              } else if (row.get("id").asText().equals("status")) {
                status = row.get("value").asText();
              }
            }
            if (status.equals("live") && !servedBy.isEmpty() && !servedBy.equals(victimAddress)) {
              break;
            }
          }
          if (System.nanoTime() > deadline) {
            throw new AssertionError(agent.host().hostId() + " not live on a survivor within " + RECOVERY_BOUND
                + ": " + reply.body());
          }
          HttpCalls.sleep(250);
        }
      }
      awaitView(node, "hosts", Duration.ofSeconds(10), v -> liveNodes(v) >= AGENTS
          && hasAll(v, agents.stream().map(a -> a.host().hostId()).toList()));
      awaitView(node, "containers", Duration.ofSeconds(20),
          v -> v.get("nodeCount").asInt() >= AGENTS * SMALL.containers());
    }
    double seconds = (System.nanoTime() - killedAt) / 1e9;
    System.out.printf("TOPOLOGY FAILOVER: views complete on both survivors %.1f s after kill -9%n", seconds);
    // exactly one survivor holds the model now, and the other one forwards to it
    List<JsonNode> stats = nodes.subList(1, 3).stream()
        .map(n -> admin.get(n.baseUri() + "/api/admin/stats").json()).toList();
    assertThat(stats).filteredOn(st -> st.at("/readModel/viewNode").asBoolean()).hasSize(1);
    String newViewNode = stats.stream().filter(st -> st.at("/readModel/viewNode").asBoolean()).findFirst()
        .orElseThrow().get("node").asText();
    assertThat(newViewNode).isNotEqualTo(victimAddress);
    for (NodeProcess node : nodes.subList(1, 3)) {
      HttpCalls.Reply reply = admin.get(node.baseUri() + "/api/topology/hosts");
      assertThat(reply.status()).isEqualTo(200);
      if (!node.clusterAddress().equals(newViewNode)) {
        assertThat(reply.headers().get("x-portolan-view-node")).containsExactly(newViewNode);
      }
    }
    java.nio.file.Files.writeString(java.nio.file.Path.of("target", "topology-failover-seconds.txt"),
        String.format("%.1f%n", seconds));
    assertThat(agents).allMatch(a -> !a.currentNode().equals(uris.get(0)) || !a.isConnected());
  }

  @Test
  @Order(5)
  void aSilentAgentsHostTurnsStaleThenDisappears() {
    SimAgent silent = agents.get(1);
    String hostNode = "host:" + silent.host().hostId();
    silent.abort();
    for (NodeProcess node : nodes.subList(1, 3)) {
      awaitView(node, "hosts", Duration.ofSeconds(20), v -> statusOf(v, hostNode).equals("stale"));
    }
    for (NodeProcess node : nodes.subList(1, 3)) {
      awaitView(node, "hosts", Duration.ofSeconds(40), v -> statusOf(v, hostNode).equals("absent"));
      assertThat(admin.get(node.baseUri() + "/api/topology/hosts/" + hostNode).status()).isEqualTo(404);
    }
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static int liveNodes(JsonNode view) {
    int n = 0;
    for (JsonNode node : view.get("nodes")) {
      if (!node.get("status").asText().equals("stale") && node.get("id").asText().startsWith("host:sim-h0000")) {
        n++;
      }
    }
    return n;
  }

  private static boolean hasAll(JsonNode view, List<String> hostIds) {
    String text = view.toString();
    return hostIds.stream().allMatch(text::contains);
  }

  private static String statusOf(JsonNode view, String id) {
    for (JsonNode node : view.get("nodes")) {
      if (node.get("id").asText().equals(id)) {
        return node.get("status").asText();
      }
    }
    return "absent";
  }

  private static JsonNode awaitView(NodeProcess node, String view, Duration timeout, Predicate<JsonNode> done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      HttpCalls.Reply reply = admin.get(node.baseUri() + "/api/topology/" + view);
      if (reply.status() == 200) {
        last = reply.json();
        if (done.test(last)) {
          return last;
        }
      }
      HttpCalls.sleep(250);
    }
    throw new AssertionError(node.name() + ": view " + view + " did not reach the expected state within " + timeout
        + "; last: " + (last == null ? null : last.toString().substring(0, Math.min(2000, last.toString().length()))));
  }

  private static void awaitReceived(SimAgent agent, Predicate<ClusterMessage> match) {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      if (agent.received().stream().anyMatch(match)) {
        return;
      }
      HttpCalls.sleep(100);
    }
    throw new AssertionError("no matching message; received: " + agent.received());
  }
}
