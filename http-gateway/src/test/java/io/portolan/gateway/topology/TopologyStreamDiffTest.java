package io.portolan.gateway.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.portolan.cluster.view.ViewEdge;
import io.portolan.cluster.view.ViewNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The one-pass diff of the topology WebSocket against a plain map-based diff. */
class TopologyStreamDiffTest {

  static ViewNode node(String id, String label, double cpu) {
    return new ViewNode(id, label, "host-a", "hexagon", "healthy", "container", "host-a", 1,
        new TreeMap<>(Map.of("cpu_percent", cpu)), true, false, Map.of(), null);
  }

  @Test
  void findsAddedUpdatedAndRemovedNodesAndHoldsBackMetricOnlyChanges() {
    ViewNode a = node("container:a", "a", 1);
    ViewNode b = node("container:b", "b", 1);
    ViewNode c = node("container:c", "c", 1);
    ViewNode d = node("container:d", "d", 1);
    List<ViewNode> before = List.of(a, b, c);
    ViewNode bMetric = node("container:b", "b", 50); // metric-only change
    ViewNode cRenamed = node("container:c", "c2", 1);
    List<ViewNode> after = List.of(bMetric, cRenamed, d); // a removed, d added

    TopologyStream.Changes<ViewNode> changes = TopologyStream.diff(before, after, ViewNode::id,
        (old, next) -> !old.equals(next) && !TopologyStream.sameExceptMetrics(old, next));
    assertThat(changes.added()).containsExactly(d);
    assertThat(changes.updated()).containsExactly(cRenamed);
    assertThat(changes.removed()).extracting(ViewNode::id).containsExactly("container:a");
    // b is kept as the client has it (the metric change is held back), so a later tick still sees it
    assertThat(changes.kept()).containsExactly(b, cRenamed, d);

    TopologyStream.Changes<ViewNode> metricsTick = TopologyStream.diff(changes.kept(), after, ViewNode::id,
        (old, next) -> !old.equals(next));
    assertThat(metricsTick.updated()).containsExactly(bMetric);
    assertThat(metricsTick.added()).isEmpty();
    assertThat(metricsTick.removed()).isEmpty();
    assertThat(metricsTick.kept()).containsExactly(bMetric, cRenamed, d);
  }

  @Test
  void agreesWithAMapBasedDiffOnRandomEdgeLists() {
    Random random = new Random(42);
    List<ViewEdge> previous = new ArrayList<>();
    for (int round = 0; round < 200; round++) {
      TreeMap<String, ViewEdge> next = new TreeMap<>();
      for (ViewEdge e : previous) {
        int roll = random.nextInt(10);
        if (roll == 0) {
          continue; // removed
        }
        next.put(e.id(), roll == 1 ? new ViewEdge(e.id(), e.source(), e.target(), e.connections() + 1)
            : roll == 2 ? new ViewEdge(e.id(), e.source(), e.target(), e.connections()) : e);
      }
      for (int k = random.nextInt(8); k > 0; k--) {
        String id = "e" + random.nextInt(100);
        next.putIfAbsent(id, new ViewEdge(id, "s", "t", 1));
      }
      List<ViewEdge> current = List.copyOf(next.values());

      TopologyStream.Changes<ViewEdge> changes = TopologyStream.diff(previous, current, ViewEdge::id,
          (old, e) -> !old.equals(e));
      Map<String, ViewEdge> before = new HashMap<>();
      previous.forEach(e -> before.put(e.id(), e));
      List<ViewEdge> added = new ArrayList<>();
      List<ViewEdge> updated = new ArrayList<>();
      for (ViewEdge e : current) {
        ViewEdge old = before.remove(e.id());
        if (old == null) {
          added.add(e);
        } else if (!old.equals(e)) {
          updated.add(e);
        }
      }
      assertThat(changes.added()).as("round %d", round).isEqualTo(added);
      assertThat(changes.updated()).as("round %d", round).isEqualTo(updated);
      assertThat(changes.removed().stream().map(ViewEdge::id).toList()).as("round %d", round).containsExactlyInAnyOrderElementsOf(before.keySet());
      assertThat(changes.kept()).isEqualTo(current);
      previous = changes.kept();
    }
  }

  @Test
  void anUnsortedListIsSortedFirst() {
    List<ViewEdge> unsorted = List.of(new ViewEdge("b", "s", "t", 1), new ViewEdge("a", "s", "t", 1));
    assertThat(TopologyStream.sortedById(unsorted, ViewEdge::id)).extracting(ViewEdge::id).containsExactly("a", "b");
    List<ViewEdge> sorted = List.of(unsorted.get(1), unsorted.get(0));
    assertThat(TopologyStream.sortedById(sorted, ViewEdge::id)).isSameAs(sorted);
  }
}
