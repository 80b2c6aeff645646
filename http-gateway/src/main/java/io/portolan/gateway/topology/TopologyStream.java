package io.portolan.gateway.topology;

import io.portolan.cluster.topology.TopologySettings;
import io.portolan.cluster.view.Filters;
import io.portolan.cluster.view.Topology;
import io.portolan.cluster.view.ViewDesc;
import io.portolan.cluster.view.ViewEdge;
import io.portolan.cluster.view.ViewNode;
import io.portolan.cluster.view.ViewService;
import io.portolan.gateway.http.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * {@code /api/topology/{view}/ws}: a {@code snapshot} message, then a {@code delta} (nodes and
 * edges added, updated, removed) whenever the view changed: the stream keeps its view rendered in
 * the background ({@link ViewService#watch}) and sends each new render's changes as soon as it is
 * made, at most one message per {@code stream-interval} (250 ms). Metric-only changes of a node are
 * sent every 20th interval (5 s) so that a live cluster does not re-send every node 4 times a
 * second; topology changes go out at once. Messages from the client are ignored.
 *
 * <p>The snapshot's edges are positions in its node list ({@link EdgePositions}); a delta's edges
 * name their ends by id ({@code {"source","target","connections"}}, connections left out when 1),
 * and {@code edgesRemoved} holds {@code [source, target]} pairs.
 */
final class TopologyStream {

  public record Snapshot(String type, String view, long modelVersion, long at, List<ViewNode> nodes,
      EdgePositions edges) {}

  public record Delta(String type, String view, long modelVersion, long at,
      List<ViewNode> nodesAdded, List<ViewNode> nodesUpdated, List<String> nodesRemoved,
      List<ViewEdge> edgesAdded, List<ViewEdge> edgesUpdated, List<List<String>> edgesRemoved) {}

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

  /** How often a stream looks for a new render: a small fraction of the coalescing interval. */
  static final Duration POLL = Duration.ofMillis(20);

  Flow<Message, Message, NotUsed> flow() {
    Source<Message, ?> out = Source.tick(Duration.ZERO, POLL, "tick")
        .statefulMapConcat(() -> {
          State state = new State();
          return tick -> state.next();
        })
        .map(text -> (Message) TextMessage.create(text))
        // The view is kept rendered in the background while this stream lives.
        .watchTermination((mat, done) -> {
          AutoCloseable watching = views.watch(view);
          done.whenComplete((d, e) -> {
            try {
              watching.close();
            } catch (Exception ignored) {
              // nothing to release
            }
          });
          return mat;
        });
    return Flow.fromSinkAndSourceCoupled(Sink.ignore(), out);
  }

  /**
   * What a stream sends: a new render of the view (made by the background renderer, shared with
   * every other stream and request of this node) as soon as there is one, but at most one message
   * per {@code stream-interval}. Metric-only changes of nodes go out every {@code METRICS_EVERY}
   * intervals.
   */
  private final class State {
    private long lastSeq = -1;
    private long lastSentAt = Long.MIN_VALUE / 2;
    private long lastMetricsAt;
    /** What the client has, sorted by id (a node whose metric-only change is held back stays as sent). */
    private List<ViewNode> nodes;
    private List<ViewEdge> edges;

    List<String> next() throws Exception {
      long nowNanos = System.nanoTime();
      long interval = settings.streamInterval().toNanos();
      if (nodes != null && nowNanos - lastSentAt < interval) {
        return List.of();
      }
      boolean metricsTick = nodes != null && nowNanos - lastMetricsAt >= interval * METRICS_EVERY;
      ViewService.Rendered rendered = nodes == null ? views.render(view) : views.latest(view);
      if (rendered == null || (rendered.seq() == lastSeq && !metricsTick)) {
        return List.of();
      }
      if (metricsTick) {
        lastMetricsAt = nowNanos;
      }
      lastSeq = rendered.seq();
      long version = rendered.model().version();
      Topology t = filters.apply(rendered.topology());
      long now = System.currentTimeMillis();
      List<ViewNode> currentNodes = sortedById(t.nodes(), ViewNode::id);
      List<ViewEdge> currentEdges = sortedById(t.edges(), ViewEdge::id);
      if (nodes == null) {
        nodes = currentNodes;
        edges = currentEdges;
        lastSentAt = nowNanos;
        lastMetricsAt = nowNanos;
        return List.of(Json.MAPPER.writeValueAsString(
            new Snapshot("snapshot", view.name(), version, now, t.nodes(), EdgePositions.of(t.nodes(), t.edges()))));
      }
      Changes<ViewNode> n = diff(nodes, currentNodes, ViewNode::id,
          (old, next) -> !old.equals(next) && (metricsTick || !sameExceptMetrics(old, next)));
      Changes<ViewEdge> e = diff(edges, currentEdges, ViewEdge::id, (old, next) -> !old.equals(next));
      nodes = n.kept();
      edges = e.kept();
      if (n.isEmpty() && e.isEmpty()) {
        return List.of();
      }
      lastSentAt = nowNanos;
      return List.of(Json.MAPPER.writeValueAsString(new Delta("delta", view.name(), version, now, n.added(),
          n.updated(), n.removed().stream().map(ViewNode::id).toList(), e.added(), e.updated(),
          e.removed().stream().map(x -> List.of(x.source(), x.target())).toList())));
    }
  }

  /** What changed between two lists sorted by id, and what the client holds afterwards ({@code kept}, sorted). */
  record Changes<T>(List<T> added, List<T> updated, List<T> removed, List<T> kept) {
    boolean isEmpty() {
      return added.isEmpty() && updated.isEmpty() && removed.isEmpty();
    }
  }

  /**
   * One pass over two lists sorted by id: views reuse the objects of what did not change, so most
   * pairs are the same object and cost one comparison; no map of ten thousands of ids is built per
   * tick. {@code changed(old, next)} says whether a changed item is sent now; an item it holds back
   * stays in {@code kept} as the client has it, to be compared again next time.
   */
  static <T> Changes<T> diff(List<T> previous, List<T> current, Function<T, String> id,
      java.util.function.BiPredicate<T, T> changed) {
    List<T> added = new ArrayList<>();
    List<T> updated = new ArrayList<>();
    List<T> removed = new ArrayList<>();
    List<T> kept = new ArrayList<>(current.size());
    int i = 0;
    for (T next : current) {
      String nextId = id.apply(next);
      while (i < previous.size() && previous.get(i) != next && id.apply(previous.get(i)).compareTo(nextId) < 0) {
        removed.add(previous.get(i++));
      }
      T old = i < previous.size() ? previous.get(i) : null;
      if (old == next) {
        kept.add(next);
        i++;
      } else if (old != null && id.apply(old).equals(nextId)) {
        i++;
        if (changed.test(old, next)) {
          updated.add(next);
          kept.add(next);
        } else {
          kept.add(old.equals(next) ? next : old);
        }
      } else {
        added.add(next);
        kept.add(next);
      }
    }
    while (i < previous.size()) {
      removed.add(previous.get(i++));
    }
    return new Changes<>(added, updated, removed, kept);
  }

  /** {@code items} if sorted by id (every view renders them so), else a sorted copy. */
  static <T> List<T> sortedById(List<T> items, Function<T, String> id) {
    for (int k = 1; k < items.size(); k++) {
      if (id.apply(items.get(k - 1)).compareTo(id.apply(items.get(k))) > 0) {
        List<T> copy = new ArrayList<>(items);
        copy.sort(java.util.Comparator.comparing(id));
        return copy;
      }
    }
    return items;
  }

  static boolean sameExceptMetrics(ViewNode a, ViewNode b) {
    return a.id().equals(b.id()) && Objects.equals(a.label(), b.label()) && Objects.equals(a.labelMinor(), b.labelMinor())
        && Objects.equals(a.shape(), b.shape()) && Objects.equals(a.status(), b.status())
        && Objects.equals(a.kind(), b.kind()) && Objects.equals(a.hostId(), b.hostId()) && a.count() == b.count()
        && a.running() == b.running() && a.system() == b.system() && Objects.equals(a.labels(), b.labels())
        && Objects.equals(a.namespace(), b.namespace());
  }
}
