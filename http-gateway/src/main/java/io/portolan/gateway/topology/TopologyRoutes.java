package io.portolan.gateway.topology;

import io.portolan.gateway.openapi.ApiEndpoint;
import io.portolan.cluster.topology.HostEntity;
import io.portolan.cluster.topology.MetricStore;
import io.portolan.cluster.topology.TopologySettings;
import io.portolan.cluster.view.Filters;
import io.portolan.cluster.view.NodeDetail;
import io.portolan.cluster.view.Search;
import io.portolan.cluster.view.Topology;
import io.portolan.cluster.view.ViewDesc;
import io.portolan.cluster.view.ViewEdge;
import io.portolan.cluster.view.ViewNode;
import io.portolan.cluster.view.ViewService;
import io.portolan.cluster.view.Views;
import io.portolan.gateway.http.BadRequestException;
import io.portolan.gateway.http.Json;
import io.portolan.gateway.http.NotFoundException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The topology API.
 * <pre>
 * GET /api/topology                      the views with node and edge counts
 * GET /api/topology/{view}               nodes and edges; filters: state, category, connectivity, label, namespace
 * GET /api/topology/{view}/{nodeId}      node detail with metrics (window=seconds, default 60, max 900)
 * GET /api/topology/{view}/ws            WebSocket: a snapshot, then deltas (see {@link TopologyStream})
 * GET /api/search?q=...                  search (see {@link Search}); limit=1..1000
 * </pre>
 */
public final class TopologyRoutes extends AllDirectives {

  /** What {@link #routes} answers, for the OpenAPI check and the metrics (see {@link ApiEndpoint}). */
  public static final java.util.List<ApiEndpoint> ENDPOINTS = java.util.List.of(
      ApiEndpoint.get("/api/topology"),
      ApiEndpoint.get("/api/topology/{view}"),
      ApiEndpoint.get("/api/topology/{view}/ws"),
      ApiEndpoint.get("/api/topology/{view}/{nodeId}"),
      ApiEndpoint.get("/api/search"));

  /** The answer of {@code GET /api/topology/{view}}: edges as positions in {@code nodes} ({@link EdgePositions}). */
  public record ViewResponse(String view, String label, long modelVersion, int nodeCount, int edgeCount,
      List<ViewNode> nodes, EdgePositions edges) {}

  private final ViewService views;
  private final TopologySettings settings;
  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final Map<String, ViewJson> json = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, Body> bodies = new java.util.concurrent.ConcurrentHashMap<>();
  /** When each view was last requested without filters (nanoTime). */
  private final Map<String, Long> askedAt = new java.util.concurrent.ConcurrentHashMap<>();

  public TopologyRoutes(ActorSystem<?> system, ViewService views, TopologySettings settings, Duration askTimeout) {
    this.views = views;
    this.settings = settings;
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
    views.onRender(this::prepare);
  }

  public Route routes() {
    return pathPrefix("api", () -> concat(
        path("search", () -> get(() -> parameterMultiMap(params -> search(params)))),
        pathPrefix("topology", () -> concat(
            pathEnd(() -> get(() -> complete(StatusCodes.OK, Map.of("views", views.summaries()), Json.marshaller()))),
            pathPrefix(PathMatchers.segment(), name -> concat(
                pathEnd(() -> get(() -> parameterMultiMap(params -> view(name, params)))),
                path("ws", () -> get(() -> parameterMultiMap(params ->
                    handleWebSocketMessages(io.portolan.gateway.metrics.WebSocketClients.counted(
                        io.portolan.gateway.metrics.WebSocketClients.TOPOLOGY,
                        new TopologyStream(views, view(name), filters(params), settings).flow()))))),
                path(PathMatchers.segment(), nodeId -> get(() -> parameterMultiMap(params ->
                    onSuccess(detail(view(name), nodeId, params), d -> complete(StatusCodes.OK, d, Json.marshaller())))))))))));
  }

  private Route view(String name, Map<String, List<String>> params) {
    long start = System.nanoTime();
    ViewDesc view = view(name);
    Filters filters = filters(params);
    boolean unfiltered = filters.equals(Filters.NONE);
    if (unfiltered) {
      askedAt.put(view.name(), start);
    }
    ViewService.Rendered rendered = views.render(view);
    long renderEnd = System.nanoTime();
    ViewJson.Answer body;
    if (unfiltered) {
      body = body(rendered); // usually put together already by the background renderer
    } else {
      Topology t = filters.apply(rendered.topology());
      body = json(view).response(view.name(), view.label(), rendered.model().version(), t, false);
    }
    long end = System.nanoTime();
    return complete(HttpResponse.create().withStatus(StatusCodes.OK)
        .addHeader(serverTiming(renderEnd - start, end - renderEnd, end - rendered.modelAtNanos()))
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body.length(),
            Source.from(body.slices()))));
  }

  private ViewJson json(ViewDesc view) {
    return json.computeIfAbsent(view.name(), v -> new ViewJson());
  }

  /** The unfiltered answer of a render, made once per render (by whoever needs it first). */
  private ViewJson.Answer body(ViewService.Rendered rendered) {
    ViewDesc view = rendered.view();
    ViewJson j = json(view);
    synchronized (j) {
      Body last = bodies.get(view.name());
      if (last != null && last.rendered() == rendered) {
        return last.bytes();
      }
      if (last != null && last.rendered().seq() > rendered.seq()) {
        // a newer render's answer exists already (this caller took its render a moment earlier)
        return j.response(view.name(), view.label(), rendered.model().version(), rendered.topology(), false);
      }
      ViewJson.Answer bytes = j.response(view.name(), view.label(), rendered.model().version(), rendered.topology(), true);
      bodies.put(view.name(), new Body(rendered, bytes));
      return bytes;
    }
  }

  /**
   * Called by the background renderer with each new render: the answer of a view that is
   * requested often (and unfiltered within {@code view-keep-warm}) is made there, off the request path.
   */
  private void prepare(ViewService.Rendered rendered) {
    Long asked = askedAt.get(rendered.view().name());
    if (asked != null && System.nanoTime() - asked < settings.viewKeepWarm().toNanos()
        && views.askedOften(rendered.view())) {
      body(rendered);
    }
  }

  /**
   * {@code Server-Timing} (W3C) of a view answer, so that a client can tell the server's share of
   * what it measured: {@code render} is the time to get the render (a cached one, waiting for a
   * concurrent render, or rendering), {@code json} the time to encode it, {@code age} how old the
   * render answered is. Durations in milliseconds.
   */
  static HttpHeader serverTiming(long renderNanos, long jsonNanos, long ageNanos) {
    return RawHeader.create("Server-Timing", String.format(java.util.Locale.ROOT,
        "render;dur=%.2f, json;dur=%.2f, total;dur=%.2f, age;dur=%.1f", renderNanos / 1e6, jsonNanos / 1e6,
        (renderNanos + jsonNanos) / 1e6, ageNanos / 1e6));
  }

  /** The last unfiltered answer of a view and the render it came from. */
  private record Body(ViewService.Rendered rendered, ViewJson.Answer bytes) {}

  private Route search(Map<String, List<String>> params) {
    String q = params.getOrDefault("q", List.of("")).get(0);
    int limit = intParam(params, "limit", 200, 1, 1000);
    try {
      return complete(StatusCodes.OK, views.search(q, limit), Json.marshaller());
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(e.getMessage());
    }
  }

  private CompletionStage<NodeDetail> detail(ViewDesc view, String nodeId, Map<String, List<String>> params) {
    int window = intParam(params, "window", settings.sparklineSeconds(),
        1, (int) settings.metricsRetention().toSeconds());
    NodeDetail detail = views.detail(view, nodeId).orElseThrow(() -> new NotFoundException(
        "no node '" + nodeId + "' in view '" + view.name() + "'; list the nodes with GET /api/topology/" + view.name()));
    if (detail.metricsKey() == null || detail.hostId() == null) {
      return CompletableFuture.completedFuture(detail);
    }
    return sharding.entityRefFor(HostEntity.ENTITY_KEY, detail.hostId())
        .<HostEntity.MetricsReply>ask(r -> new HostEntity.GetMetrics(detail.metricsKey(), window, r), askTimeout)
        .thenApply(reply -> detail.withMetrics(metricViews(reply.series())))
        // Metrics are an extra: the topology part of the detail is still worth showing.
        .exceptionally(e -> detail);
  }

  private static List<NodeDetail.MetricView> metricViews(Map<String, MetricStore.Series> series) {
    List<NodeDetail.MetricView> out = new ArrayList<>();
    series.forEach((metric, s) -> out.add(new NodeDetail.MetricView(metric, finite(s.latest()), finite(s.min()),
        finite(s.max()), finite(s.avg()), s.samples().stream().map(x -> new double[] {x.t(), x.v()}).toList())));
    return out;
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }

  static ViewDesc view(String name) {
    return Views.byName(name).orElseThrow(() -> new NotFoundException(
        "no view '" + name + "'; the views are " + Views.names()));
  }

  static Filters filters(Map<String, List<String>> params) {
    try {
      return Filters.parse(params);
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(e.getMessage());
    }
  }

  private static int intParam(Map<String, List<String>> params, String name, int dflt, int min, int max) {
    List<String> values = params.get(name);
    if (values == null || values.isEmpty()) {
      return dflt;
    }
    try {
      int v = Integer.parseInt(values.get(0));
      if (v < min || v > max) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new BadRequestException("'" + name + "' must be a whole number from " + min + " to " + max
          + " (got '" + values.get(0) + "')");
    }
  }
}
