package io.portolan.gateway.topology;

import io.portolan.cluster.topology.TopologySettings;
import io.portolan.cluster.view.Filters;
import io.portolan.cluster.view.Topology;
import io.portolan.cluster.view.ViewDesc;
import io.portolan.cluster.view.ViewEdge;
import io.portolan.cluster.view.ViewNode;
import io.portolan.cluster.view.ViewService;
import io.portolan.gateway.http.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * {@code /api/topology/{view}/ws}: a {@code snapshot} message, then a {@code delta} (nodes and
 * edges added, updated, removed) whenever the view changed, checked every {@code stream-interval}
 * (250 ms), so at most one message per interval. Metric-only changes of a node are sent every 20th
 * interval (5 s) so that a live cluster does not re-send every node 4 times a second; topology
 * changes go out at once. Messages from the client are ignored.
 */
final class TopologyStream {

  public record Snapshot(String type, String view, long modelVersion, long at, List<ViewNode> nodes,
      List<ViewEdge> edges) {}

  public record Delta(String type, String view, long modelVersion, long at,
      List<ViewNode> nodesAdded, List<ViewNode> nodesUpdated, List<String> nodesRemoved,
      List<ViewEdge> edgesAdded, List<ViewEdge> edgesUpdated, List<String> edgesRemoved) {}

  private static final int METRICS_EVERY = 20;

  private final ViewService views;
  private final ViewDesc view;
  private final Filters filters;
  private final TopologySettings settings;

  TopologyStream(ViewService views, ViewDesc view, Filters filters, TopologySettings settings) {
    this.views = views;
    this.view = view;
    this.filters = filters;
    this.settings = settings;
  }

  Flow<Message, Message, NotUsed> flow() {
    Source<Message, ?> out = Source.tick(java.time.Duration.ZERO, settings.streamInterval(), "tick")
        .statefulMapConcat(() -> {
          State state = new State();
          return tick -> state.next();
        })
        .map(text -> (Message) TextMessage.create(text));
    return Flow.fromSinkAndSourceCoupled(Sink.ignore(), out);
  }

  private final class State {
    private long lastVersion = -1;
    private long ticks;
    private Map<String, ViewNode> nodes;
    private Map<String, ViewEdge> edges;

    List<String> next() throws Exception {
      ticks++;
      boolean metricsTick = ticks % METRICS_EVERY == 0;
      if (nodes != null && views.store().version() == lastVersion && !metricsTick) {
        return List.of();
      }
      ViewService.Rendered rendered = views.render(view);
      lastVersion = rendered.model().version();
      Topology t = filters.apply(rendered.topology());
      long now = System.currentTimeMillis();
      if (nodes == null) {
        nodes = new HashMap<>();
        edges = new HashMap<>();
        t.nodes().forEach(n -> nodes.put(n.id(), n));
        t.edges().forEach(e -> edges.put(e.id(), e));
        return List.of(Json.MAPPER.writeValueAsString(
            new Snapshot("snapshot", view.name(), lastVersion, now, t.nodes(), t.edges())));
      }
      List<ViewNode> added = new ArrayList<>();
      List<ViewNode> updated = new ArrayList<>();
      Map<String, ViewNode> seen = new HashMap<>(t.nodes().size() * 2);
      for (ViewNode n : t.nodes()) {
        seen.put(n.id(), n);
        ViewNode old = nodes.get(n.id());
        if (old == null) {
          added.add(n);
          nodes.put(n.id(), n);
        } else if (old != n && !old.equals(n) && (metricsTick || !sameExceptMetrics(old, n))) {
          updated.add(n);
          nodes.put(n.id(), n);
        }
      }
      List<String> removed = new ArrayList<>();
      nodes.keySet().removeIf(id -> {
        if (!seen.containsKey(id)) {
          removed.add(id);
          return true;
        }
        return false;
      });
      List<ViewEdge> edgesAdded = new ArrayList<>();
      List<ViewEdge> edgesUpdated = new ArrayList<>();
      Map<String, ViewEdge> seenEdges = new HashMap<>(t.edges().size() * 2);
      for (ViewEdge e : t.edges()) {
        seenEdges.put(e.id(), e);
        ViewEdge old = edges.put(e.id(), e);
        if (old == null) {
          edgesAdded.add(e);
        } else if (old != e && !old.equals(e)) {
          edgesUpdated.add(e);
        }
      }
      List<String> edgesRemoved = new ArrayList<>();
      edges.keySet().removeIf(id -> {
        if (!seenEdges.containsKey(id)) {
          edgesRemoved.add(id);
          return true;
        }
        return false;
      });
      if (added.isEmpty() && updated.isEmpty() && removed.isEmpty() && edgesAdded.isEmpty() && edgesUpdated.isEmpty()
          && edgesRemoved.isEmpty()) {
        return List.of();
      }
      return List.of(Json.MAPPER.writeValueAsString(new Delta("delta", view.name(), lastVersion, now, added, updated,
          removed, edgesAdded, edgesUpdated, edgesRemoved)));
    }
  }

  static boolean sameExceptMetrics(ViewNode a, ViewNode b) {
    return a.id().equals(b.id()) && Objects.equals(a.label(), b.label()) && Objects.equals(a.labelMinor(), b.labelMinor())
        && Objects.equals(a.shape(), b.shape()) && Objects.equals(a.status(), b.status())
        && Objects.equals(a.kind(), b.kind()) && Objects.equals(a.hostId(), b.hostId()) && a.count() == b.count()
        && a.running() == b.running() && a.system() == b.system() && Objects.equals(a.labels(), b.labels())
        && Objects.equals(a.namespace(), b.namespace());
  }
}
