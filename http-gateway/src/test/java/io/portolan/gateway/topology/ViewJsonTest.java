package io.portolan.gateway.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.portolan.cluster.view.Topology;
import io.portolan.cluster.view.ViewEdge;
import io.portolan.cluster.view.ViewNode;
import io.portolan.gateway.http.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The view answer put together from cached pieces is exactly what Jackson writes for the whole record. */
class ViewJsonTest {

  static ViewNode node(String id, double cpu) {
    return new ViewNode(id, "web \"1\" ü", "host-a", "hexagon", "healthy", "container", "host-a", 1,
        new TreeMap<>(Map.of("cpu_percent", cpu)), true, false, new TreeMap<>(Map.of("app", "shop")), null);
  }

  static String expected(Topology t, long version) throws Exception {
    return Json.MAPPER.writeValueAsString(new TopologyRoutes.ViewResponse("containers", "Containers", version,
        t.nodes().size(), t.edges().size(), t.nodes(), EdgePositions.of(t.nodes(), t.edges())));
  }

  @Test
  void piecesMakeTheSameJsonAsJacksonAndAreReusedAcrossRenders() throws Exception {
    ViewJson json = new ViewJson();
    ViewNode a = node("container:a", 1.5);
    ViewNode b = node("container:b", 2);
    ViewEdge ab = new ViewEdge("container:a->container:b", "container:a", "container:b", 3);
    Topology first = new Topology(List.of(a, b), List.of(ab));
    assertThat(json.response("containers", "Containers", 7, first, true).whole().utf8String())
        .isEqualTo(expected(first, 7));

    // b changed (a new object), a is the same object: its cached piece is reused, b's is new.
    ViewNode b2 = node("container:b", 99);
    Topology second = new Topology(List.of(a, b2), List.of(ab));
    assertThat(json.response("containers", "Containers", 8, second, true).whole().utf8String())
        .isEqualTo(expected(second, 8)).contains("\"cpu_percent\":99}").doesNotContain("\"cpu_percent\":2}");

    // a filtered answer reads the pieces (ranges of the previous answer) without replacing them
    Topology onlyB = new Topology(List.of(b2), List.of());
    assertThat(json.response("containers", "Containers", 8, onlyB, false).whole().utf8String())
        .isEqualTo(expected(onlyB, 8));
    // pieces in another order and next to new ones, taken from the answer before
    ViewNode c = node("container:c", 0.25);
    ViewEdge ba = new ViewEdge("container:b->container:a", "container:b", "container:a", 1);
    Topology third = new Topology(List.of(c, b2, a), List.of(ba, ab));
    assertThat(json.response("containers", "Containers", 9, third, true).whole().utf8String())
        .isEqualTo(expected(third, 9));
    assertThat(json.response("containers", "Containers", 10, third, true).whole().utf8String())
        .isEqualTo(expected(third, 10));

    Topology empty = new Topology(List.of(), List.of());
    assertThat(json.response("containers", "Containers", 9, empty, false).whole().utf8String())
        .isEqualTo(expected(empty, 9));
  }

  @Test
  void edgesArePositionsInTheNodeListAndDefaultsAreLeftOut() throws Exception {
    ViewNode a = node("container:a", 1.23456);
    ViewNode b = new ViewNode("container:b", "b", null, "hexagon", "stale", "container", null, 3,
        Map.of(), false, true, Map.of(), "shop");
    ViewNode c = node("container:c", 0);
    Topology t = new Topology(List.of(a, b, c), List.of(ViewEdge.of("container:a", "container:c", 1),
        ViewEdge.of("container:c", "container:b", 4), ViewEdge.of("container:a", "container:gone", 1)));
    String json = new ViewJson().response("containers", "Containers", 1, t, false).whole().utf8String();
    assertThat(json).isEqualTo(expected(t, 1).replace("\"edgeCount\":3", "\"edgeCount\":2"))
        .contains("\"edgeCount\":2").endsWith("\"edges\":[[0,2],[2,1,4]]}")
        // a: count 1, running, not system: left out; metrics with 4 significant digits
        .contains("{\"id\":\"container:a\",\"label\":\"web \\\"1\\\" ü\",\"labelMinor\":\"host-a\",\"shape\":\"hexagon\","
            + "\"status\":\"healthy\",\"kind\":\"container\",\"hostId\":\"host-a\",\"metrics\":{\"cpu_percent\":1.235},"
            + "\"labels\":{\"app\":\"shop\"}}")
        // b: no labelMinor, hostId, metrics or labels; count, running and system at other values are written
        .contains("{\"id\":\"container:b\",\"label\":\"b\",\"shape\":\"hexagon\",\"status\":\"stale\","
            + "\"kind\":\"container\",\"count\":3,\"running\":false,\"system\":true,\"namespace\":\"shop\"}");
  }

  @Test
  void edgePositionsAreTheNodesIndexesInAnyOrder() throws Exception {
    java.util.Random random = new java.util.Random(42);
    List<ViewNode> nodes = new java.util.ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      nodes.add(node("container:" + Integer.toHexString(random.nextInt()), i));
    }
    List<ViewEdge> edges = new java.util.ArrayList<>();
    StringBuilder expected = new StringBuilder("[");
    for (int i = 0; i < 5_000; i++) {
      int s = random.nextInt(nodes.size());
      int t = random.nextInt(nodes.size());
      int c = 1 + random.nextInt(3);
      // new String objects: the lookup must not depend on the ids being the nodes' own instances
      edges.add(ViewEdge.of(new String(nodes.get(s).id()), new String(nodes.get(t).id()), c));
      int sAt = nodes.stream().map(ViewNode::id).toList().indexOf(nodes.get(s).id());
      int tAt = nodes.stream().map(ViewNode::id).toList().indexOf(nodes.get(t).id());
      expected.append(i == 0 ? "" : ",").append('[').append(sAt).append(',').append(tAt)
          .append(c == 1 ? "" : "," + c).append(']');
    }
    expected.append(']');
    assertThat(Json.MAPPER.writeValueAsString(EdgePositions.of(nodes, edges))).isEqualTo(expected.toString());
  }

  @Test
  void edgePositionsOfTheLastAnswerAreReusedOnlyWhileTheNodeIdsAreTheSame() throws Exception {
    ViewJson json = new ViewJson();
    List<ViewEdge> edges = List.of(ViewEdge.of("container:a", "container:c", 1));
    Topology first = new Topology(List.of(node("container:a", 1), node("container:c", 1)), edges);
    assertThat(json.response("containers", "Containers", 1, first, true).whole().utf8String()).endsWith("[[0,1]]}");
    // the same edge list, new node objects with the same ids (metrics moved): the same positions
    Topology moved = new Topology(List.of(node("container:a", 2), node("container:c", 3)), edges);
    assertThat(json.response("containers", "Containers", 2, moved, true).whole().utf8String())
        .isEqualTo(expected(moved, 2)).endsWith("[[0,1]]}");
    // the same edge list, a node more in front: positions found anew
    Topology grown = new Topology(List.of(node("container:0", 1), node("container:a", 2), node("container:c", 3)), edges);
    assertThat(json.response("containers", "Containers", 3, grown, true).whole().utf8String())
        .isEqualTo(expected(grown, 3)).endsWith("[[1,2]]}");
    // as many nodes, another id: the edge's source is gone, the edge is left out
    Topology renamed = new Topology(List.of(node("container:0", 1), node("container:b", 2), node("container:c", 3)),
        edges);
    assertThat(json.response("containers", "Containers", 4, renamed, true).whole().utf8String())
        .contains("\"edgeCount\":0").endsWith("\"edges\":[]}");
  }

  @Test
  void aLargeAnswerIsCutIntoSlicesThatAddUpToIt() throws Exception {
    ViewJson json = new ViewJson();
    List<ViewNode> nodes = new java.util.ArrayList<>();
    for (int i = 0; i < 8_000; i++) {
      nodes.add(node(String.format("container:%05d", i), i));
    }
    Topology t = new Topology(nodes, List.of());
    ViewJson.Answer answer = json.response("containers", "Containers", 3, t, true);
    String expected = expected(t, 3);
    assertThat(answer.whole().utf8String()).isEqualTo(expected);
    assertThat(answer.length()).isEqualTo(expected.getBytes(StandardCharsets.UTF_8).length);
    assertThat(answer.slices()).hasSizeGreaterThan(2);
    for (int i = 0; i < answer.slices().size() - 1; i++) {
      assertThat(answer.slices().get(i).length()).isGreaterThanOrEqualTo(ViewJson.SLICE);
    }
  }
}
