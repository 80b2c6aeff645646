package io.portolan.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.portolan.node.docker.EnvMask;
import io.portolan.node.testkit.TestAgent;
import io.portolan.node.testkit.TestClusterServer;
import io.portolan.node.testkit.TestContainers;
import io.portolan.protocol.AgentMessage;
import io.portolan.protocol.Entry;
import io.portolan.protocol.Keys;
import io.portolan.protocol.MetricSample;
import io.portolan.protocol.Payload;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The agent on the real engine, reporting over a real WebSocket to {@link TestClusterServer}: a server
 * container (busybox httpd), a client that fetches from it every second, and an idle one.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentIT {

  static final String TOKEN = "it-token";
  static TestContainers containers;
  static TestClusterServer cluster;
  static TestAgent agent;
  static String server;
  static String client;
  static String idle;
  static String serverIp;

  @BeforeAll
  static void start() {
    containers = new TestContainers();
    server = containers.run("server", "mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 8080 -h /www",
        Map.of("com.docker.compose.project", "portolan-it", "com.docker.compose.service", "server"),
        List.of("DB_PASSWORD=hunter2", "API_TOKEN=abc", "MODE=demo"));
    serverIp = containers.ip(server);
    client = containers.run("client",
        "while true; do wget -q -O /dev/null http://" + serverIp + ":8080/ ; sleep 1; done",
        Map.of("com.docker.compose.project", "portolan-it", "com.docker.compose.service", "client"), List.of());
    idle = containers.run("idle", "exec sleep 3600", Map.of("role", "idle"), List.of());
    cluster = new TestClusterServer(TOKEN);
    cluster.start(0);
    agent = new TestAgent(List.of(cluster.address()), TOKEN, Map.of());
  }

  @AfterAll
  static void stop() {
    try {
      if (agent != null) {
        agent.close();
      }
    } finally {
      try {
        if (cluster != null) {
          cluster.close();
        }
      } finally {
        if (containers != null) {
          containers.close();
        }
      }
    }
  }

  static Payload.Container container(Map<String, Entry> view, String id) {
    Entry e = view.get(Keys.container(id));
    return e == null ? null : (Payload.Container) e.payload();
  }

  static Predicate<Map<String, Entry>> state(String id, String state) {
    return v -> container(v, id) != null && container(v, id).state().equals(state);
  }

  @Test
  @Order(1)
  void helloThenFullReport() throws Exception {
    cluster.awaitView("a first report", Duration.ofSeconds(20), v -> !v.isEmpty());
    List<TestClusterServer.Frame> frames = cluster.frames();
    assertThat(frames.get(0).message()).isInstanceOf(AgentMessage.Hello.class);
    assertThat(((AgentMessage.Hello) frames.get(0).message()).agentId()).isEqualTo(agent.settings.agentId());
    assertThat(frames.stream().map(TestClusterServer.Frame::message)
        .filter(m -> m instanceof AgentMessage.Report r && r.full()).count()).isGreaterThanOrEqualTo(1);
  }

  @Test
  @Order(2)
  void seesTheThreeContainersWithImageLabelsStateAndMaskedEnv() throws Exception {
    Map<String, Entry> v = cluster.awaitView("three running containers", Duration.ofSeconds(20),
        view -> List.of(server, client, idle).stream().allMatch(id -> state(id, "running").test(view)));
    Payload.Container s = container(v, server);
    assertThat(s.image()).isEqualTo(TestContainers.IMAGE);
    assertThat(s.imageId()).startsWith("sha256:");
    assertThat(s.name()).startsWith("portolan-test-").endsWith("-server");
    assertThat(s.labels()).containsEntry("io.portolan.test", "true")
        .containsEntry("com.docker.compose.project", "portolan-it")
        .containsEntry("com.docker.compose.service", "server");
    assertThat(s.composeProject()).isEqualTo("portolan-it");
    assertThat(s.composeService()).isEqualTo("server");
    assertThat(s.env()).containsEntry("DB_PASSWORD", EnvMask.MASK).containsEntry("API_TOKEN", EnvMask.MASK)
        .containsEntry("MODE", "demo");
    assertThat(s.networks()).containsValue(serverIp);
    assertThat(s.startedAt()).isPositive();
    assertThat(s.createdAt()).isPositive();
    assertThat(container(v, idle).labels()).containsEntry("role", "idle");
    assertThat(container(v, client).composeService()).isEqualTo("client");
  }

  @Test
  @Order(3)
  void mapsProcessesInsideEachContainer() throws Exception {
    Map<String, Entry> v = cluster.awaitView("httpd, the client's sh and sleep in their containers",
        Duration.ofSeconds(20), view ->
            hasProcess(view, server, "httpd") && hasProcess(view, client, "sh") && hasProcess(view, idle, "sleep"));
    Payload.Process httpd = processes(v, server).stream().filter(p -> p.name().equals("httpd")).findFirst().orElseThrow();
    assertThat(httpd.cmdline()).contains("httpd -f -p 8080");
    assertThat(httpd.user()).isEqualTo("root");
    assertThat(httpd.threads()).isGreaterThanOrEqualTo(1);
    assertThat(httpd.ppid()).isPositive();
  }

  @Test
  @Order(4)
  void seesTheClientToServerEdge() throws Exception {
    Map<String, Entry> v = cluster.awaitView("client → server:8080 edge (both sides)", Duration.ofSeconds(30),
        view -> outbound(view).isPresent() && inbound(view).isPresent());
    Payload.Connection out = outbound(v).orElseThrow();
    assertThat(out.outbound()).isTrue();
    assertThat(out.count()).isPositive();
    Payload.Connection in = inbound(v).orElseThrow();
    assertThat(in.outbound()).isFalse();
    assertThat(in.localPort()).isEqualTo(8080);
    System.out.println("edge (client side): " + out + "\nedge (server side): " + in);
  }

  @Test
  @Order(5)
  void reportsNonZeroCpuAndMemorySamples() throws Exception {
    long deadline = System.currentTimeMillis() + 20_000;
    boolean cpu = false;
    boolean mem = false;
    while (System.currentTimeMillis() < deadline && !(cpu && mem)) {
      List<MetricSample> all = cluster.frames().stream()
          .filter(f -> f.message() instanceof AgentMessage.Report)
          .flatMap(f -> ((AgentMessage.Report) f.message()).samples().stream()).toList();
      cpu = all.stream().anyMatch(s -> s.key().equals(Keys.container(client)) && s.metric().equals("cpu_percent")
          && s.value() > 0);
      mem = List.of(server, client, idle).stream().allMatch(id -> all.stream()
          .anyMatch(s -> s.key().equals(Keys.container(id)) && s.metric().equals("memory_bytes") && s.value() > 0));
      Thread.sleep(200);
    }
    assertThat(cpu).as("a cpu_percent > 0 sample for the client container").isTrue();
    assertThat(mem).as("memory_bytes > 0 samples for all three containers").isTrue();
    Map<String, MetricSample> latest = cluster.samples();
    String host = Keys.host(agent.settings.hostId());
    assertThat(latest).containsKeys(host + "|cpu_percent", host + "|memory_bytes", host + "|net_rx_bytes_per_s",
        host + "|disk_write_bytes_per_s");
    assertThat(latest.get(host + "|memory_bytes").value()).isPositive();
    Payload.Host h = (Payload.Host) cluster.view().get(host).payload();
    assertThat(h.cores()).isPositive();
    assertThat(h.memoryTotalBytes()).isPositive();
    assertThat(h.kernel()).isNotBlank();
    assertThat(h.interfaces()).isNotEmpty();
  }

  @Test
  @Order(6)
  void pauseUnpauseAndStopShowWithinOneSecond() throws Exception {
    long t0 = System.nanoTime();
    containers.docker().pauseContainerCmd(idle).exec();
    cluster.awaitView("idle paused", Duration.ofSeconds(1), state(idle, "paused"));
    long paused = System.nanoTime() - t0;
    t0 = System.nanoTime();
    containers.docker().unpauseContainerCmd(idle).exec();
    cluster.awaitView("idle running again", Duration.ofSeconds(1), state(idle, "running"));
    long unpaused = System.nanoTime() - t0;
    t0 = System.nanoTime();
    containers.docker().stopContainerCmd(idle).withTimeout(0).exec();
    cluster.awaitView("idle exited", Duration.ofSeconds(1), state(idle, "exited"));
    long stopped = System.nanoTime() - t0;
    System.out.printf("pause %d ms, unpause %d ms, stop %d ms (docker call + event + report)%n",
        paused / 1_000_000, unpaused / 1_000_000, stopped / 1_000_000);
    // its processes are gone (tombstoned) once the scan after the stop has run
    cluster.awaitView("idle's processes tombstoned", Duration.ofSeconds(5), view -> !hasProcess(view, idle, "sleep"));
  }

  @Test
  @Order(7)
  void requestFullReportAndControlRoundTrip() throws Exception {
    int before = cluster.frames().size();
    cluster.send(new io.portolan.protocol.ClusterMessage.RequestFullReport("test"));
    long deadline = System.currentTimeMillis() + 5_000;
    while (System.currentTimeMillis() < deadline && cluster.frames().subList(before, cluster.frames().size()).stream()
        .noneMatch(f -> f.message() instanceof AgentMessage.Report r && r.full())) {
      Thread.sleep(50);
    }
    assertThat(cluster.frames().subList(before, cluster.frames().size()))
        .anyMatch(f -> f.message() instanceof AgentMessage.Report r && r.full());

    cluster.send(new io.portolan.protocol.ClusterMessage.ControlRequest("req-1", Keys.container(idle), "start", Map.of()));
    cluster.awaitView("idle started by a control request", Duration.ofSeconds(10), state(idle, "running"));
    cluster.send(new io.portolan.protocol.ClusterMessage.ControlRequest("req-2", Keys.container(idle), "explode", Map.of()));
    deadline = System.currentTimeMillis() + 10_000;
    while (System.currentTimeMillis() < deadline && replies().size() < 2) {
      Thread.sleep(50);
    }
    assertThat(replies()).anySatisfy(r -> {
      assertThat(r.requestId()).isEqualTo("req-1");
      assertThat(r.ok()).isTrue();
    });
    assertThat(replies()).anySatisfy(r -> {
      assertThat(r.requestId()).isEqualTo("req-2");
      assertThat(r.ok()).isFalse();
      assertThat(r.message()).contains("unknown container action");
    });
  }

  static List<AgentMessage.ControlReply> replies() {
    return cluster.frames().stream().map(TestClusterServer.Frame::message)
        .filter(m -> m instanceof AgentMessage.ControlReply).map(m -> (AgentMessage.ControlReply) m).toList();
  }

  static java.util.Optional<Payload.Connection> outbound(Map<String, Entry> view) {
    return view.values().stream().map(Entry::payload)
        .filter(p -> p instanceof Payload.Connection c && c.outbound() && client.equals(c.containerId())
            && c.remoteAddress().equals(serverIp) && c.remotePort() == 8080)
        .map(p -> (Payload.Connection) p).findFirst();
  }

  static java.util.Optional<Payload.Connection> inbound(Map<String, Entry> view) {
    return view.values().stream().map(Entry::payload)
        .filter(p -> p instanceof Payload.Connection c && !c.outbound() && server.equals(c.containerId())
            && c.localPort() == 8080)
        .map(p -> (Payload.Connection) p).findFirst();
  }

  static List<Payload.Process> processes(Map<String, Entry> view, String containerId) {
    return view.values().stream().map(Entry::payload)
        .filter(p -> p instanceof Payload.Process pr && containerId.equals(pr.containerId()))
        .map(p -> (Payload.Process) p).toList();
  }

  static boolean hasProcess(Map<String, Entry> view, String containerId, String name) {
    return processes(view, containerId).stream().anyMatch(p -> p.name().equals(name));
  }
}
