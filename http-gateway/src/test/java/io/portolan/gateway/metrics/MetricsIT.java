package io.portolan.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.portolan.gateway.testing.HttpCalls;
import io.portolan.gateway.testing.TestNode;
import io.portolan.loadgen.Profile;
import io.portolan.loadgen.SimAgent;
import io.portolan.loadgen.SimHost;
import io.portolan.persistence.testing.TestCassandra;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /metrics} after simulated agents reported: the platform's and the topology's metric
 * names with their labels and non-zero values, in Prometheus text format; a token is required.
 */
class MetricsIT {

  private static final String TOKEN = "metrics-it-token";
  private static final Profile SMALL = new Profile("it", 2, 1, 1, 1, Duration.ofSeconds(1), 30);
  /** One sample line of the text exposition format 0.0.4: name, optional labels, value, optional timestamp. */
  private static final Pattern SAMPLE = Pattern.compile(
      "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\"\\\\n])*\",?)*})?"
          + " ([-+]?(?:[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?|NaN|[+-]?Inf))( -?[0-9]+)?");

  private static TestNode node;
  private static final List<SimAgent> agents = new ArrayList<>();
  private static final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);

  @BeforeAll
  static void start() {
    node = TestNode.start(TestCassandra.shared(), TestCassandra.uniqueKeyspace("metrics"), ConfigFactory.parseMap(Map.of(
        "portolan.agents.token", TOKEN,
        "kamon.metric.tick-interval", "1s",
        "kamon.modules.jvm-metrics.interval", "1s",
        "portolan.metrics.refresh-interval", "500ms")));
    HttpClient http = HttpClient.newHttpClient();
    for (int i = 0; i < 2; i++) {
      SimAgent agent = new SimAgent(new SimHost(i, 2, SMALL), List.of(URI.create(node.baseUri())), 0, TOKEN, http,
          scheduler, new SimAgent.Counters());
      agents.add(agent);
      agent.start(SMALL, Duration.ofMillis(100));
    }
  }

  @AfterAll
  static void stop() {
    agents.forEach(SimAgent::stop);
    scheduler.shutdownNow();
    if (node != null) {
      node.close();
    }
  }

  @Test
  void scrapeShowsPlatformAndTopologyMetrics() {
    HttpCalls.Client admin = node.admin();
    assertThat(HttpCalls.get(node.baseUri() + "/metrics").status()).isEqualTo(401);

    String[] text = new String[1];
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      HttpCalls.Reply reply = admin.get(node.baseUri() + "/metrics");
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.headers().get("content-type").get(0)).startsWith("text/plain");
      text[0] = reply.body();
      if ((value(text[0], "portolan_container_cpu_percent", "host") > 0
          && value(text[0], "portolan_agent_reports_total", null) > 0
          && value(text[0], "portolan_topology_hosts", null) >= 2
          && value(text[0], "jvm_threads_total", null) > 0) || System.nanoTime() > deadline) {
        break;
      }
      HttpCalls.sleep(500);
    }
    String body = text[0];
    try {
      // Kept for reading: what a scrape looks like.
      java.nio.file.Files.writeString(java.nio.file.Path.of("target", "metrics-scrape.txt"), body);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }

    List<String> bad = new ArrayList<>();
    for (String line : body.split("\n")) {
      if (!line.isEmpty() && !line.startsWith("#") && !SAMPLE.matcher(line).matches()) {
        bad.add(line);
      }
    }
    assertThat(bad).as("lines that are not Prometheus text format").isEmpty();

    // Platform: ingest, read model, WebSocket clients, HTTP latency, JVM.
    assertThat(value(body, "portolan_agent_reports_total", null)).isPositive();
    assertThat(value(body, "portolan_agent_samples_total", null)).isPositive();
    assertThat(value(body, "portolan_topology_hosts", null)).isEqualTo(2);
    assertThat(value(body, "portolan_topology_entries", "kind=\"container\"")).isEqualTo(4);
    assertThat(value(body, "portolan_websocket_clients", "kind=\"agent\"")).isEqualTo(2);
    assertThat(body).contains("portolan_websocket_clients{kind=\"topology\"}");
    assertThat(value(body, "portolan_http_request_seconds_count", "route=\"/api/auth/login\"")).isPositive();
    assertThat(value(body, "portolan_http_request_seconds_count", "route=\"/metrics\"")).isPositive();
    assertThat(value(body, "jvm_memory_used_bytes_count", "region=\"heap\"")).isPositive();
    assertThat(value(body, "jvm_memory_committed_bytes", "region=\"heap\"")).isPositive();
    assertThat(value(body, "jvm_threads_total", null)).isPositive();
    assertThat(body).contains("jvm_gc_seconds_count");

    // Topology: hosts and containers, labelled; no processes.
    for (String name : List.of("portolan_host_cpu_percent", "portolan_host_memory_bytes",
        "portolan_host_network_receive_bytes_per_second", "portolan_host_network_transmit_bytes_per_second",
        "portolan_container_cpu_percent", "portolan_container_memory_bytes",
        "portolan_container_network_receive_bytes_per_second",
        "portolan_container_network_transmit_bytes_per_second")) {
      assertThat(value(body, name, "host=\"")).as(name).isPositive();
    }
    Matcher container = Pattern.compile("portolan_container_memory_bytes\\{([^}]*)}").matcher(body);
    assertThat(container.find()).isTrue();
    assertThat(container.group(1)).contains("host=\"").contains("container=\"").contains("image=\"");
    assertThat(body).doesNotContain("portolan_process");
    // A series for each container of this test's two simulated hosts. Not an exact count: Kamon's
    // Prometheus reporter is global to the JVM and keeps the last values of series that nodes of
    // earlier tests in this JVM removed (a known limitation, see docs/operations.md).
    for (String simulated : List.of("app-0-sim-h00000-0", "app-1-sim-h00000-1", "app-0-sim-h00001-0",
        "app-1-sim-h00001-1")) {
      assertThat(body).contains("portolan_container_memory_bytes{image=\"loadgen/"
          + simulated.substring(0, 5) + ":1.0\",container=\"" + simulated + "\"");
    }
  }

  /** The largest value among the samples of {@code name} whose labels contain {@code labelPart}; -1 if none. */
  private static double value(String body, String name, String labelPart) {
    double best = -1;
    for (String line : body.split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (m.matches() && m.group(1).equals(name)
          && (labelPart == null || (m.group(2) != null && m.group(2).contains(labelPart)))) {
        best = Math.max(best, Double.parseDouble(m.group(3)));
      }
    }
    return best;
  }
}
