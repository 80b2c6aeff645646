package io.portolan.cluster.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.portolan.cluster.topology.HostDelta;
import io.portolan.cluster.topology.HostSnapshot;
import io.portolan.cluster.topology.HostStatus;
import io.portolan.cluster.topology.TopologyStore.Model;
import io.portolan.protocol.Keys;
import io.portolan.protocol.Payload;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A host whose live payloads did not change (only metric values or its status did) has its nodes
 * made again from the previous ones: each must equal the node made from scratch, and a node whose
 * visible fields did not change must be the previous object (its JSON is then not made again).
 */
class RemadeNodesTest {

  private static final int HOSTS = 3;

  private static HostDelta metrics(int h, long version, Map<String, Map<String, Double>> m) {
    return PatchedRenderTest.delta(h, version, false, List.of(), m);
  }

  /** Every node of the render equals the node made from scratch from the model. */
  private static void assertFresh(Topology t, Model model, boolean containers) {
    List<ViewNode> fresh = new ArrayList<>();
    for (HostSnapshot host : model.hosts()) {
      for (Map.Entry<String, Payload> e : host.live().entrySet()) {
        if (containers && e.getValue() instanceof Payload.Container c) {
          fresh.add(Renderers.containerNode(host, e.getKey(), c));
        } else if (!containers && e.getValue() instanceof Payload.Process p) {
          fresh.add(Renderers.processNode(host, e.getKey(), p));
        }
      }
    }
    assertThat(t.nodes()).containsExactlyInAnyOrderElementsOf(fresh);
  }

  @Test
  void nodesMadeAgainEqualNodesMadeFromScratchAndUnchangedOnesAreReused() {
    SplittableRandom random = new SplittableRandom(3);
    HostSnapshot[] hosts = new HostSnapshot[HOSTS];
    for (int h = 0; h < HOSTS; h++) {
      hosts[h] = HostSnapshot.empty("h" + h).apply(
          PatchedRenderTest.delta(h, 1, true, PatchedRenderTest.entries(h, 0), Map.of()), Fixtures.T);
    }
    long version = 2;
    Topology containers = Renderers.containers(new Model(List.of(hosts), version));
    Topology processes = Renderers.processes(new Model(List.of(hosts), version));
    int reused = 0;
    for (int step = 0; step < 200; step++) {
      int h = random.nextInt(HOSTS);
      String container = "container:" + PatchedRenderTest.cid(h, random.nextInt(3));
      String process = Keys.process("h" + h, 100 + 10 * random.nextInt(3));
      switch (random.nextInt(5)) {
        case 0 -> hosts[h] = hosts[h].withStatus(hosts[h].status() == HostStatus.LIVE ? HostStatus.STALE
            : HostStatus.LIVE);
        case 1 -> hosts[h] = hosts[h].apply(metrics(h, version, Map.of(container, Map.of("memory_bytes", 1e9,
            "memory_limit_bytes", 1.01e9))), Fixtures.T + version); // critical: memory at the limit
        default -> hosts[h] = hosts[h].apply(metrics(h, version, Map.of(
            container, Map.of("cpu_percent", (double) random.nextInt(100), "disk_read_bytes_per_s", 1.0),
            process, Map.of("cpu_percent", (double) random.nextInt(3)))), Fixtures.T + version);
      }
      version++;
      Model model = new Model(List.of(hosts), version);
      Topology nextContainers = Renderers.containers(model);
      Topology nextProcesses = Renderers.processes(model);
      assertFresh(nextContainers, model, true);
      assertFresh(nextProcesses, model, false);
      for (ViewNode n : nextProcesses.nodes()) {
        ViewNode before = processes.nodes().stream().filter(o -> o.id().equals(n.id())).findFirst().orElseThrow();
        if (before.equals(n)) {
          assertThat(n).as("an unchanged node is the previous object").isSameAs(before);
          reused++;
        }
      }
      for (ViewNode n : nextContainers.nodes()) {
        ViewNode before = containers.nodes().stream().filter(o -> o.id().equals(n.id())).findFirst().orElseThrow();
        if (before.equals(n)) {
          assertThat(n).as("an unchanged node is the previous object").isSameAs(before);
        } else {
          assertThat(n.labels()).as("what comes from the payload is shared").isSameAs(before.labels());
        }
      }
      containers = nextContainers;
      processes = nextProcesses;
    }
    assertThat(reused).isGreaterThan(1000);
  }
}
