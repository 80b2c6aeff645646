package io.portolan.node.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.portolan.node.testkit.TestAgent;
import io.portolan.node.testkit.TestClusterServer;
import io.portolan.protocol.AgentMessage;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reconnects, backoff, address failover and token refusal against a real WebSocket server on loopback. */
class ClusterLinkIT {

  static final Map<String, Object> FAST = Map.of(
      "portolan.node.agent.reconnect.min", "200ms",
      "portolan.node.agent.reconnect.max", "1s");

  @Test
  void reconnectsAfterTheClusterGoesAwayAndStartsWithHelloAndAFullReport() throws Exception {
    try (TestClusterServer cluster = new TestClusterServer("t")) {
      int port = cluster.start(0);
      try (TestAgent agent = new TestAgent(List.of(cluster.address()), "t", FAST)) {
        awaitFull(cluster, 1, Duration.ofSeconds(20));
        cluster.stop();
        Thread.sleep(2_000); // a few failed attempts while it is away
        cluster.start(port);
        awaitFull(cluster, 2, Duration.ofSeconds(10));
        List<TestClusterServer.Frame> second = cluster.frames().stream().filter(f -> f.connection() == 2).toList();
        assertThat(second.get(0).message()).isInstanceOf(AgentMessage.Hello.class);
        assertThat(second.get(1).message()).isInstanceOfSatisfying(AgentMessage.Report.class,
            r -> assertThat(r.full()).isTrue());
        // seq keeps rising across connections
        long lastSeqBefore = cluster.frames().stream().filter(f -> f.connection() == 1)
            .filter(f -> f.message() instanceof AgentMessage.Report)
            .mapToLong(f -> ((AgentMessage.Report) f.message()).seq()).max().orElseThrow();
        assertThat(((AgentMessage.Report) second.get(1).message()).seq()).isGreaterThan(lastSeqBefore);
      }
    }
  }

  @Test
  void triesTheNextAddressWhenOneIsDown() throws Exception {
    int deadPort;
    try (ServerSocket s = new ServerSocket(0)) {
      deadPort = s.getLocalPort();
    }
    try (TestClusterServer cluster = new TestClusterServer("t")) {
      cluster.start(0);
      try (TestAgent agent = new TestAgent(List.of("ws://127.0.0.1:" + deadPort, cluster.address()), "t", FAST)) {
        awaitFull(cluster, 1, Duration.ofSeconds(20));
      }
    }
  }

  @Test
  void aRefusedTokenIsRetriedWithBackoffAndNeverConnects() throws Exception {
    try (TestClusterServer cluster = new TestClusterServer("right")) {
      cluster.start(0);
      try (TestAgent agent = new TestAgent(List.of(cluster.address()), "wrong", FAST)) {
        Thread.sleep(3_000);
        // 200 ms, 400 ms, 800 ms, then 1 s steps (plus up to 30 % jitter): about 4-6 attempts in 3 s
        assertThat(cluster.rejectedAuth()).isBetween(2, 8);
        assertThat(cluster.connections()).isZero();
      }
    }
  }

  static void awaitFull(TestClusterServer cluster, int connection, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (cluster.frames().stream().anyMatch(f -> f.connection() == connection
          && f.message() instanceof AgentMessage.Report r && r.full() && !r.entries().isEmpty())) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no full report on connection " + connection + " within " + timeout + "; frames: "
        + cluster.frames().size() + ", connections: " + cluster.connections());
  }
}
