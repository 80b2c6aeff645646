package io.portolan.node.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.core.command.WaitContainerResultCallback;
import io.portolan.node.testkit.TestContainers;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs against the real engine at DOCKER_HOST (default unix:///var/run/docker.sock). */
class DockerEngineIT {

  static final String IMAGE = TestContainers.IMAGE;
  static final String NAME_PREFIX = "portolan-test-";
  static final Map<String, String> TEST_LABELS = Map.of("io.portolan.test", "true");

  static DockerClient docker;

  @BeforeAll
  static void connect() {
    docker = TestContainers.connect();
  }

  @AfterAll
  static void close() throws Exception {
    if (docker != null) {
      docker.close();
    }
  }

  @Test
  void pingsTheEngine() {
    docker.pingCmd().exec();
    Version v = docker.versionCmd().exec();
    assertThat(v.getApiVersion()).isNotBlank();
  }

  @Test
  void runsEchoInTheBusyboxImageAndReadsItsLogs() throws Exception {
    String id = create(List.of("echo", "portolan-ok"));
    try {
      docker.startContainerCmd(id).exec();
      int exit = docker.waitContainerCmd(id).exec(new WaitContainerResultCallback())
          .awaitStatusCode(30, TimeUnit.SECONDS);
      assertThat(exit).isZero();
      assertThat(logsOf(id)).isEqualTo("portolan-ok\n");
    } finally {
      docker.removeContainerCmd(id).withForce(true).exec();
    }
  }

  private static String create(List<String> cmd) {
    return docker.createContainerCmd(IMAGE)
        .withName(NAME_PREFIX + UUID.randomUUID().toString().substring(0, 8))
        .withLabels(TEST_LABELS)
        .withCmd(cmd)
        .exec()
        .getId();
  }

  private static String logsOf(String id) throws InterruptedException {
    var out = new StringBuilder();
    docker.logContainerCmd(id).withStdOut(true).withStdErr(true)
        .exec(new ResultCallback.Adapter<Frame>() {
          @Override
          public void onNext(Frame frame) {
            out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
          }
        })
        .awaitCompletion(10, TimeUnit.SECONDS);
    return out.toString();
  }
}
