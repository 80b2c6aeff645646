package io.portolan.gateway.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.portolan.gateway.testing.AgentTestbed;
import io.portolan.gateway.testing.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The web UI in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core from
 * ui/node_modules) against a running node with this machine's real agent and real containers:
 * {@code node --test ui/e2e/ui.e2e.mjs}. The containers are a busybox httpd ({@code -server}), a
 * client that fetches from it every second and logs each fetch ({@code -client}), and one the suite
 * stops from the UI ({@code -victim}), all labelled {@code io.portolan.e2e=<prefix>}; the engine is
 * shared, so the suite finds them by name.
 *
 * <p>The suite asks for the node to be stopped and started again (it writes {@code stop-node}, then
 * {@code start-node} into the signal folder) to see the connection-lost and restored banners.
 * Screenshots: ui/target/e2e-screenshots/; the suite's output: ui/target/e2e.log.
 *
 * <p>Then, on the same node and containers, a short smoke of the main path in Firefox (Debian's
 * firefox-esr) and WebKit (Debian's webkit2gtk-driver), under xvfb-run: {@code ui/e2e/browsers.e2e.mjs},
 * output in ui/target/e2e-browsers.log, screenshots ui/target/e2e-screenshots/{firefox,webkit}-*.png.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UiE2EIT {

  private static final Path UI = Path.of("..", "ui").toAbsolutePath().normalize();
  private static final String PREFIX = "portolan-test-ui-" + UUID.randomUUID().toString().substring(0, 8);
  private static final String SERVER = PREFIX + "-server";
  private static final String CLIENT = PREFIX + "-client";
  private static final String VICTIM = PREFIX + "-victim";

  private AgentTestbed bed;

  @BeforeAll
  void start() throws Exception {
    assertThat(Path.of("/usr/bin/chromium")).as("the UI suite needs Debian's chromium (apt-get install chromium)").exists();
    assertThat(UI.resolve("node_modules/playwright-core")).as("run the ui module's build first (npm ci)").exists();
    bed = AgentTestbed.start("ui");
    List<String> mine = List.of("--label", "io.portolan.e2e=" + PREFIX); // the suite's label filter
    bed.run(SERVER, mine, "sh", "-c", "mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 8080 -h /www");
    String serverIp = AgentTestbed.docker("inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}",
        SERVER).trim();
    assertThat(serverIp).as("the server container's IP").matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
    bed.run(CLIENT, mine, "sh", "-c", "i=0; while true; do wget -q -O /dev/null http://" + serverIp
        + ":8080/ && echo \"fetch $i ok\"; echo \"note $i\" >&2; i=$((i+1)); sleep 1; done");
    // Exits on SIGTERM within a second, so a stop from the UI does not wait for Docker's 10 s kill.
    bed.run(VICTIM, mine, "sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done");
    bed.startAgent("ui-e2e", Map.of());
    for (String name : List.of(SERVER, CLIENT, VICTIM)) {
      bed.awaitContainer(name, Duration.ofSeconds(60));
    }
  }

  @AfterAll
  void stop() throws Exception {
    if (bed != null) {
      bed.close();
    }
  }

  @Test
  @Order(1)
  void browserSuitePasses() throws Exception {
    Path signals = Files.createTempDirectory("portolan-e2e");
    Path log = UI.resolve("target/e2e.log");
    Files.createDirectories(log.getParent());
    ProcessBuilder pb = new ProcessBuilder("node", "--test", "--test-reporter=spec", "--test-concurrency=1",
        "e2e/ui.e2e.mjs")
        .directory(UI.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().putAll(Map.of("PORTOLAN_URL", bed.baseUri(), "PORTOLAN_ADMIN_PASSWORD",
        TestNode.ADMIN_PASSWORD, "PORTOLAN_VIEWER", "watcher:password-watcher",
        "E2E_CONTAINERS", PREFIX, "E2E_SIGNALS", signals.toString()));
    long started = System.nanoTime();
    Process browser = pb.start();
    long deadline = started + TimeUnit.MINUTES.toNanos(5);
    boolean stopped = false;
    boolean restarted = false;
    while (browser.isAlive() && System.nanoTime() < deadline) {
      if (!stopped && Files.exists(signals.resolve("stop-node"))) {
        bed.stopNode();
        stopped = true;
      }
      if (stopped && !restarted && Files.exists(signals.resolve("start-node"))) {
        bed.restartNode();
        restarted = true;
      }
      browser.waitFor(200, TimeUnit.MILLISECONDS);
    }
    if (browser.isAlive()) {
      browser.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    String output = Files.readString(log);
    System.out.println(output);
    System.out.printf("UI E2E: the browser suite took %d s%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
    assertThat(browser.exitValue()).as("node --test ui/e2e/ui.e2e.mjs (log: %s)%n%s", log, output).isZero();
    assertThat(output).as("every step ran, none skipped").containsPattern("\\bfail 0\\b").containsPattern("\\bskipped 0\\b")
        .containsPattern("\\btodo 0\\b");
    // What the UI showed is what the engine did.
    assertThat(AgentTestbed.docker("inspect", "-f", "{{.State.Status}}", VICTIM).trim()).isEqualTo("exited");
    assertThat(AgentTestbed.docker("inspect", "-f", "{{.State.Status}}", CLIENT).trim()).isEqualTo("running");
    JsonNode audit = bed.admin.get(bed.baseUri() + "/api/audit?user=admin&limit=200").json().get("events");
    assertThat(audit.findValuesAsText("action")).as(audit.toString()).contains("container.stop", "container.pause",
        "container.unpause", "container.exec.start");
  }

  /** Firefox and WebKit: log in, the containers and their edge in graph and table, details (see browsers.e2e.mjs). */
  @Test
  @Order(2)
  void otherEnginesSmoke() throws Exception {
    for (String exe : List.of("/usr/bin/firefox-esr", "/usr/bin/WebKitWebDriver", "/usr/bin/xvfb-run")) {
      assertThat(Path.of(exe)).as("the cross-browser smoke needs Debian's firefox-esr, webkit2gtk-driver and xvfb").exists();
    }
    Path log = UI.resolve("target/e2e-browsers.log");
    Files.createDirectories(log.getParent());
    // Both engines need a display for WebGL (see ui/e2e/engines.mjs); 24-bit, not xvfb-run's default 8.
    // -noreset: by default Xvfb resets when its last client disconnects, and a browser started during
    // the reset fails with "cannot open display" (CI: the third browser, right after WebKit closed).
    ProcessBuilder pb = new ProcessBuilder("xvfb-run", "-a", "-s", "-screen 0 1600x1000x24 -noreset",
        "node", "--test", "--test-reporter=spec", "--test-concurrency=1", "e2e/browsers.e2e.mjs")
        .directory(UI.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().remove("E2E_ENGINES"); // both, always
    pb.environment().putAll(Map.of("PORTOLAN_URL", bed.baseUri(), "PORTOLAN_ADMIN_PASSWORD", TestNode.ADMIN_PASSWORD,
        "E2E_CONTAINERS", PREFIX));
    long started = System.nanoTime();
    Process smoke = pb.start();
    if (!smoke.waitFor(4, TimeUnit.MINUTES)) {
      smoke.descendants().forEach(ProcessHandle::destroyForcibly); // Xvfb, node and the browsers
      smoke.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    String output = Files.readString(log);
    System.out.println(output);
    System.out.printf("UI E2E: the Firefox and WebKit smoke took %d s%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
    assertThat(smoke.exitValue()).as("xvfb-run node --test ui/e2e/browsers.e2e.mjs (log: %s)%n%s", log, output).isZero();
    assertThat(output).as("both engines and Firefox without WebGL ran, none skipped").containsPattern("\\bpass 3\\b").containsPattern("\\bfail 0\\b")
        .containsPattern("\\bskipped 0\\b");
  }
}
