package io.portolan.cluster.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.portolan.cluster.topology.HostDelta;
import io.portolan.cluster.topology.HostSnapshot;
import io.portolan.cluster.topology.HostStatus;
import io.portolan.cluster.topology.TopologyStore.Model;
import io.portolan.protocol.Entry;
import io.portolan.protocol.Keys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** A base view patched from its last render equals the same view made whole, change after change. */
class PatchedRenderTest {

  static final int HOSTS = 6;

  static String cid(int h, int c) {
    return String.format("c%02d%02d00000000000000000000", h, c);
  }

  static String ip(int h, int c) {
    return "172.20." + h + "." + (c + 2);
  }

  /** Host h: 3 containers with 2 processes each, container c calls container c on host h+1. */
  static List<Entry> entries(int h, int restart) {
    List<Entry> e = new ArrayList<>();
    e.add(Fixtures.host("h" + h, "10.0.0." + (h + 1) + "/24"));
    for (int c = 0; c < 3; c++) {
      e.add(Fixtures.container(cid(h, c), "/app-" + c, "app:1", "running", null, Map.of("app", "a" + c),
          Map.of("bridge", ip(h, c))));
      e.add(Fixtures.process("h" + h, 100 + c * 10, 1, "server", "server", 0, cid(h, c)));
      e.add(Fixtures.process("h" + h, 101 + c * 10 + restart * 1000, 100 + c * 10, "worker", "worker", 0, cid(h, c)));
      int other = (h + 1) % HOSTS;
      e.add(Fixtures.conn("h" + h, ip(h, c), 40000 + c, ip(other, c), 8080, true, 100 + c * 10, cid(h, c), 1));
      int client = (h + HOSTS - 1) % HOSTS;
      e.add(Fixtures.conn("h" + h, ip(h, c), 8080, ip(client, c), 40000 + c, false, 100 + c * 10, cid(h, c), 1));
    }
    return e;
  }

  static HostDelta delta(int h, long version, boolean full, List<Entry> entries, Map<String, Map<String, Double>> m) {
    return new HostDelta("h" + h, 1, version, full, Fixtures.T + version, HostStatus.LIVE, "agent-h" + h, "x",
        Fixtures.T + version, entries, m, Fixtures.T + version);
  }

  /** Returns how many renders after a worker restart (new process ids) were patched. */
  static int check(String view, Function<Model, Topology> render, Renderers.Last last) {
    return check(view, render, last, 7);
  }

  static int check(String view, Function<Model, Topology> render, Renderers.Last last, long seed) {
    last.clear();
    SplittableRandom random = new SplittableRandom(seed);
    HostSnapshot[] hosts = new HostSnapshot[HOSTS];
    int[] restarts = new int[HOSTS];
    for (int h = 0; h < HOSTS; h++) {
      hosts[h] = HostSnapshot.empty("h" + h).apply(delta(h, 1, true, entries(h, 0), Map.of()), Fixtures.T);
    }
    long version = 2;
    int patched = 0;
    int patchedRestarts = 0;
    Topology previous = null;
    for (int step = 0; step < 300; step++) {
      int h = random.nextInt(HOSTS);
      int kind = random.nextInt(10);
      List<Entry> change = new ArrayList<>();
      Map<String, Map<String, Double>> metrics = new TreeMap<>();
      if (kind < 5) { // metrics only
        metrics.put("container:" + cid(h, random.nextInt(3)), Map.of("cpu_percent", (double) random.nextInt(100)));
        metrics.put(Keys.process("h" + h, 100), Map.of("cpu_percent", (double) random.nextInt(100)));
      } else if (kind < 7) { // a rename
        int c = random.nextInt(3);
        change.add(Fixtures.container(cid(h, c), "/renamed-" + step, "app:1", "running", null, Map.of("app", "a" + c),
            Map.of("bridge", ip(h, c))));
      } else if (kind < 9) { // a worker restarts: new process ids
        int before = restarts[h]++;
        for (int c = 0; c < 3; c++) {
          change.add(Entry.tombstone(Keys.process("h" + h, 101 + c * 10 + before * 1000), Fixtures.T + version));
          change.add(Fixtures.process("h" + h, 101 + c * 10 + restarts[h] * 1000, 100 + c * 10, "worker", "worker", 0,
              cid(h, c)));
        }
      } else { // a container stops: its state changes, not its id
        change.add(Fixtures.container(cid(h, 2), "/app-2", "app:1", "exited", null, Map.of("app", "a2"),
            Map.of("bridge", ip(h, 2))));
      }
      long at = Fixtures.T + version;
      List<Entry> stamped = change.stream().map(e -> new Entry(e.key(), at, e.payload())).toList();
      hosts[h] = hosts[h].apply(delta(h, version, false, stamped, metrics), Fixtures.T + version);
      version++;
      Model model = new Model(List.of(hosts), version);

      Topology got = render.apply(model);
      if (previous != null && got.edges() == previous.edges()) {
        patched++;
        patchedRestarts += kind == 7 || kind == 8 ? 1 : 0;
      }
      last.clear();
      Topology whole = render.apply(model);
      assertThat(got).as("%s step %d", view, step).isEqualTo(whole);
      previous = whole;
    }
    assertThat(patched).as("renders of %s patched from the last one", view).isGreaterThan(50);
    return patchedRestarts;
  }

  @Test
  void containersPatchedEqualContainersMadeWhole() {
    check("containers", Renderers::containers, Renderers.CONTAINER_LAST);
  }

  @Test
  void processesPatchedEqualProcessesMadeWhole() {
    // a worker restart replaces process ids that no connection names: patched, not made whole
    assertThat(check("processes", Renderers::processes, Renderers.PROCESS_LAST)).isGreaterThan(20);
  }

  @Test
  void hostsPatchedEqualHostsMadeWhole() {
    check("hosts", Renderers::hosts, Renderers.HOST_LAST);
  }

  /** The same for any sequence of changes: patched renders equal whole ones (jqwik draws the seeds). */
  @net.jqwik.api.Property(tries = 25)
  synchronized void patchedRendersEqualWholeOnesForAnySequenceOfChanges(@net.jqwik.api.ForAll long seed) {
    check("containers", Renderers::containers, Renderers.CONTAINER_LAST, seed);
    check("processes", Renderers::processes, Renderers.PROCESS_LAST, seed);
    check("hosts", Renderers::hosts, Renderers.HOST_LAST, seed);
  }
}
