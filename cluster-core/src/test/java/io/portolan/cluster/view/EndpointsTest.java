package io.portolan.cluster.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.portolan.cluster.topology.HostSnapshot;
import io.portolan.cluster.topology.HostStatus;
import io.portolan.cluster.topology.TopologyStore.Model;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The endpoint index is built again only when some host's addresses changed. */
class EndpointsTest {

  static HostSnapshot beta(String apiIp, int workerPid) {
    return Fixtures.snapshot("beta", List.of(
        Fixtures.host("beta", "10.0.0.2/24"),
        Fixtures.container("api0000000000000000000005", "/api", "portolan/api:2.0", "running", null, Map.of(),
            Map.of("net", apiIp)),
        Fixtures.process("beta", 301, 1, "api-server", "/usr/bin/api-server", 1000, "api0000000000000000000005"),
        Fixtures.process("beta", workerPid, 301, "api-worker", "", 1000, "api0000000000000000000005"),
        Fixtures.conn("beta", apiIp, 8080, "172.17.0.2", 40001, false, 301, "api0000000000000000000005", 1)),
        Map.of(), HostStatus.LIVE);
  }

  @Test
  void aHostThatChangedWithoutChangingAddressesKeepsTheIndex() {
    Endpoints first = Endpoints.of(Model.of(List.of(Fixtures.alpha(), beta("10.0.1.5", 302))));
    assertThat(first.resolve("alpha", "10.0.1.5", 8080).pid()).isEqualTo(301);

    // every host's payloads are new objects and a worker restarted with a new pid: same addresses
    Endpoints restarted = Endpoints.of(Model.of(List.of(Fixtures.alpha(), beta("10.0.1.5", 303))));
    assertThat(restarted).isSameAs(first);

    // the api container moved to another address: a new index that finds it there, and not at the old one
    Endpoints moved = Endpoints.of(Model.of(List.of(Fixtures.alpha(), beta("10.0.1.9", 303))));
    assertThat(moved).isNotSameAs(first);
    assertThat(moved.resolve("alpha", "10.0.1.9", 8080).containerId()).isEqualTo("api0000000000000000000005");
    assertThat(moved.resolve("alpha", "10.0.1.5", 8080)).isNull();

    // a host that goes away takes its addresses along
    Endpoints alone = Endpoints.of(Model.of(List.of(Fixtures.alpha())));
    assertThat(alone.resolve("alpha", "10.0.1.9", 8080)).isNull();
  }
}
