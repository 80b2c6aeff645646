package io.portolan.node.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.typesafe.config.ConfigFactory;
import io.portolan.node.docker.DockerSettings;
import io.portolan.node.testkit.TestAgent;
import io.portolan.node.testkit.TestClusterServer;
import io.portolan.node.testkit.TestContainers;
import io.portolan.protocol.Entry;
import io.portolan.protocol.Keys;
import io.portolan.protocol.Payload;
import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The one test that restarts the Docker engine: stops the local dockerd (SIGTERM, as `pkill -x dockerd`),
 * starts it again with its default arguments, and checks that the agent resyncs (the container that was
 * running is reported exited) and re-subscribes to events (a container started afterwards shows up).
 * Needs a local dockerd this test may restart (root, unix socket).
 */
class DockerRestartIT {

  static final String LOG = "/tmp/dockerd-test.log";

  @Test
  void theAgentSurvivesAnEngineRestartAndResyncs() throws Exception {
    DockerSettings docker = DockerSettings.fromConfig(ConfigFactory.load());
    assumeThat(docker.host().getScheme()).as("a local engine on a unix socket").isEqualTo("unix");
    assumeThat(run("pgrep", "-x", "dockerd")).as("a dockerd process this test can restart").isZero();

    String before;
    try (TestContainers containers = new TestContainers();
        TestClusterServer cluster = new TestClusterServer("t")) {
      before = containers.run("before-restart", "exec sleep 3600", Map.of(), List.of());
      cluster.start(0);
      try (TestAgent agent = new TestAgent(List.of(cluster.address()), "t", Map.of(
          "portolan.node.agent.collector-backoff.min", "200ms",
          "portolan.node.agent.collector-backoff.max", "2s"))) {
        cluster.awaitView("the container running", Duration.ofSeconds(20), v -> state(v, before, "running"));

        restartDockerd();

        cluster.awaitView("the container exited after the engine restart (resync)", Duration.ofSeconds(30),
            v -> state(v, before, "exited"));
        try (TestContainers after = new TestContainers()) {
          String fresh = after.run("after-restart", "exec sleep 3600", Map.of(), List.of());
          cluster.awaitView("a container started after the restart (events re-subscribed)", Duration.ofSeconds(10),
              v -> state(v, fresh, "running"));
          // the agent never lost the cluster connection
          assertThat(cluster.connections()).isEqualTo(1);
        }
      }
    }
  }

  static boolean state(Map<String, Entry> view, String id, String state) {
    Entry e = view.get(Keys.container(id));
    return e != null && ((Payload.Container) e.payload()).state().equals(state);
  }

  /** SIGTERM dockerd, wait until it is gone, start it again detached with its default arguments, wait for it. */
  static void restartDockerd() throws Exception {
    assertThat(run("pkill", "-x", "dockerd")).isZero();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (run("pgrep", "-x", "dockerd") == 0) {
      assertThat(System.nanoTime()).as("dockerd still running 60 s after SIGTERM").isLessThan(deadline);
      Thread.sleep(200);
    }
    new ProcessBuilder("setsid", "sh", "-c", "nohup dockerd >" + LOG + " 2>&1 &")
        .directory(new File("/")).inheritIO().start().waitFor();
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (run("docker", "info") != 0) {
      assertThat(System.nanoTime()).as("dockerd did not answer within 60 s; see " + LOG).isLessThan(deadline);
      Thread.sleep(500);
    }
  }

  static int run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
  }
}
