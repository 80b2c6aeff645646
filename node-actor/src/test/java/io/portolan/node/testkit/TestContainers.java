package io.portolan.node.testkit;

import static org.assertj.core.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.typesafe.config.ConfigFactory;
import io.portolan.node.docker.DockerClients;
import io.portolan.node.docker.DockerSettings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Containers a test starts on the real engine: always from the local test image, labelled
 * {@code io.portolan.test=true}, named {@code portolan-test-...}, and removed by {@link #close()}.
 */
public final class TestContainers implements AutoCloseable {

  public static final String IMAGE = System.getProperty("portolan.test-image", "portolan/busybox:test");
  public static final String LABEL = "io.portolan.test";

  private final DockerClient docker;
  private final List<String> started = new ArrayList<>();
  private final String run = UUID.randomUUID().toString().substring(0, 6);

  public TestContainers() {
    docker = connect();
  }

  /** A client of the engine the tests use, failing with what to do when it or the test image is missing. */
  public static DockerClient connect() {
    DockerSettings settings = DockerSettings.fromConfig(ConfigFactory.load());
    DockerClient docker = DockerClients.create(settings);
    try {
      docker.pingCmd().exec();
    } catch (RuntimeException e) {
      fail("Docker engine not reachable at " + settings.host()
          + ": start dockerd (or run .ci/run), or point DOCKER_HOST at a running engine", e);
    }
    try {
      docker.inspectImageCmd(IMAGE).exec();
    } catch (NotFoundException e) {
      fail("test image " + IMAGE + " is missing: run `make test-image` (scripts/build-test-image.sh)");
    }
    return docker;
  }

  public DockerClient docker() {
    return docker;
  }

  /** Creates and starts a container running {@code sh -c script}; returns its id. */
  public String run(String name, String script, Map<String, String> labels, List<String> env) {
    Map<String, String> all = new HashMap<>(labels);
    all.put(LABEL, "true");
    String id = docker.createContainerCmd(IMAGE)
        .withName("portolan-test-" + run + "-" + name)
        .withLabels(all)
        .withEnv(env)
        .withCmd("sh", "-c", script)
        .exec().getId();
    started.add(id);
    docker.startContainerCmd(id).exec();
    return id;
  }

  public String ip(String id) {
    return docker.inspectContainerCmd(id).exec().getNetworkSettings().getNetworks().values().iterator().next()
        .getIpAddress();
  }

  /** Removes what this instance started, and any leftover test container from a crashed earlier run. */
  @Override
  public void close() {
    for (String id : started) {
      try {
        docker.removeContainerCmd(id).withForce(true).exec();
      } catch (RuntimeException e) {
        // already gone
      }
    }
    try {
      docker.close();
    } catch (Exception e) {
      // ignore
    }
  }

  /** Removes every container labelled io.portolan.test=true whose name starts with {@code prefix}. */
  public static void removeLeftovers(DockerClient docker, String prefix) {
    for (Container c : docker.listContainersCmd().withShowAll(true)
        .withLabelFilter(Map.of(LABEL, "true")).exec()) {
      for (String n : c.getNames()) {
        if (n.startsWith("/" + prefix)) {
          docker.removeContainerCmd(c.getId()).withForce(true).exec();
          break;
        }
      }
    }
  }
}
