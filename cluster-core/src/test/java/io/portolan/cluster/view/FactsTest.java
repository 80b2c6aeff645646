package io.portolan.cluster.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.portolan.cluster.topology.HostSnapshot;
import io.portolan.protocol.Payload;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FactsTest {

  private static Payload.Container container(String state) {
    return (Payload.Container) Fixtures.container("c000000000000000000000001", "/c", "busybox:1.36", state, null,
        Map.of(), Map.of()).payload();
  }

  @Test
  void aPausedContainerIsAWarningNotHealthy() {
    HostSnapshot host = Fixtures.alpha();
    assertThat(Facts.status(host, Map.of(), container("running"))).isEqualTo("healthy");
    assertThat(Facts.status(host, Map.of(), container("paused"))).isEqualTo("warning");
    assertThat(Facts.status(host, Map.of("cpu_percent", 99.0), container("paused"))).isEqualTo("critical");
  }
}
