package io.portolan.gateway.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.portolan.gateway.testing.HttpCalls;
import io.portolan.gateway.testing.TestNode;
import io.portolan.loadgen.Profile;
import io.portolan.loadgen.SimAgent;
import io.portolan.loadgen.SimHost;
import io.portolan.persistence.testing.TestCassandra;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The web UI in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core from
 * ui/node_modules) against a running node with simulated agents: {@code node --test ui/e2e/ui.e2e.mjs}.
 * The spec asks for the node to be stopped (it writes {@code stop-node} into the signal folder) and
 * then expects the connection-lost banner. Screenshots: ui/target/e2e-screenshots/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UiE2EIT {

  private static final String TOKEN = "e2e-agent-token";
  private static final Profile PROFILE = new Profile("e2e", 3, 1, 1, 1, Duration.ofSeconds(1), 10);
  private static final Path UI = Path.of("..", "ui").toAbsolutePath().normalize();

  private TestNode node;
  private final List<SimAgent> agents = new ArrayList<>();
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);

  @BeforeAll
  void start() {
    assertThat(Path.of("/usr/bin/chromium")).as("the UI suite needs Debian's chromium (apt-get install chromium)").exists();
    assertThat(UI.resolve("node_modules/playwright-core")).as("run the ui module's build first (npm ci)").exists();
    node = TestNode.start(TestCassandra.shared(), TestCassandra.uniqueKeyspace("ui"),
        ConfigFactory.parseMap(Map.of("portolan.agents.token", TOKEN)));
    HttpCalls.Reply created = node.admin().post(node.baseUri() + "/api/users",
        "{\"username\":\"vera\",\"password\":\"viewer-pass-1\",\"role\":\"viewer\"}");
    assertThat(created.status()).as(created.body()).isIn(200, 201);
    HttpClient http = HttpClient.newHttpClient();
    for (int i = 0; i < 2; i++) {
      SimAgent agent = new SimAgent(new SimHost(i, 2, PROFILE), List.of(URI.create(node.baseUri())), 0, TOKEN, http,
          scheduler, new SimAgent.Counters());
      agents.add(agent);
      agent.start(PROFILE, Duration.ofMillis(100));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      JsonNode view = node.admin().get(node.baseUri() + "/api/topology/containers").json();
      if (view.get("nodeCount").asInt() >= 6 && view.get("edgeCount").asInt() >= 1) {
        break;
      }
      assertThat(System.nanoTime()).as("containers and an edge in the view: " + view).isLessThan(deadline);
      HttpCalls.sleep(300);
    }
  }

  @AfterAll
  void stop() {
    agents.forEach(SimAgent::stop);
    scheduler.shutdownNow();
    if (node != null) {
      node.close();
    }
  }

  @Test
  void browserSuitePasses() throws Exception {
    Path signals = Files.createTempDirectory("portolan-e2e");
    Path log = UI.resolve("target/e2e.log");
    Files.createDirectories(log.getParent());
    ProcessBuilder pb = new ProcessBuilder("node", "--test", "--test-reporter=spec", "e2e/ui.e2e.mjs")
        .directory(UI.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().putAll(Map.of("PORTOLAN_URL", node.baseUri(), "PORTOLAN_ADMIN_PASSWORD", TestNode.ADMIN_PASSWORD,
        "PORTOLAN_VIEWER", "vera:viewer-pass-1", "E2E_SIGNALS", signals.toString()));
    Process browser = pb.start();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    boolean stopped = false;
    while (browser.isAlive() && System.nanoTime() < deadline) {
      if (!stopped && Files.exists(signals.resolve("stop-node"))) {
        agents.forEach(SimAgent::stop);
        node.close();
        node = null;
        stopped = true;
      }
      browser.waitFor(200, TimeUnit.MILLISECONDS);
    }
    if (browser.isAlive()) {
      browser.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    String output = Files.readString(log);
    System.out.println(output);
    assertThat(browser.exitValue()).as("node --test ui/e2e/ui.e2e.mjs (log: %s)%n%s", log, output).isZero();
  }
}
