package io.portolan.cluster.view;

import io.portolan.cluster.topology.TopologySettings;
import io.portolan.cluster.topology.TopologyStore;
import io.portolan.cluster.topology.TopologyStore.Model;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Views over this node's {@link TopologyStore}, memoised: a view is re-rendered only when the model
 * changed, and at most once per {@code view-max-age} while it keeps changing (callers then see a
 * render at most that old). Concurrent callers share one render. Thread-safe.
 */
public final class ViewService {

  /** A render and the model it was made from. */
  public record Rendered(ViewDesc view, Model model, Topology topology, long renderedAtNanos) {}

  /** A view's entry in {@code GET /api/topology}. */
  public record ViewSummary(String name, String label, String nodeKind, int nodes, int edges) {}

  private final TopologyStore store;
  private final long maxAgeNanos;
  private final Map<String, Object> locks = new HashMap<>();
  private final Map<String, Rendered> cache = new java.util.concurrent.ConcurrentHashMap<>();

  public ViewService(TopologyStore store, TopologySettings settings) {
    this.store = store;
    this.maxAgeNanos = settings.viewMaxAge().toNanos();
    Views.REGISTRY.forEach(v -> locks.put(v.name(), new Object()));
  }

  public TopologyStore store() {
    return store;
  }

  public Rendered render(ViewDesc view) {
    Rendered last = cache.get(view.name());
    if (fresh(last)) {
      return last;
    }
    synchronized (locks.get(view.name())) {
      last = cache.get(view.name());
      if (fresh(last)) {
        return last;
      }
      Model model = store.model();
      Rendered next = new Rendered(view, model, view.render().apply(model), System.nanoTime());
      cache.put(view.name(), next);
      return next;
    }
  }

  private boolean fresh(Rendered r) {
    return r != null && (r.model().version() == store.version() || System.nanoTime() - r.renderedAtNanos() < maxAgeNanos);
  }

  public Topology topology(ViewDesc view, Filters filters) {
    return filters.apply(render(view).topology());
  }

  public List<ViewSummary> summaries() {
    Model model = store.model();
    return Views.REGISTRY.stream().filter(v -> v.shown().test(model)).map(v -> {
      Topology t = render(v).topology();
      return new ViewSummary(v.name(), v.label(), v.nodeKind(), t.nodes().size(), t.edges().size());
    }).toList();
  }

  public Optional<NodeDetail> detail(ViewDesc view, String nodeId) {
    Rendered r = render(view);
    return Details.detail(view, r.model(), r.topology(), nodeId);
  }

  public Search.Results search(String query, int limit) {
    return Search.run(store.model(), query, limit);
  }
}
