package io.portolan.gateway.metrics;

import io.portolan.cluster.access.Role;
import io.portolan.cluster.topology.TopologyStore;
import io.portolan.gateway.agentlink.IngestStats;
import io.portolan.gateway.auth.AuthDirectives;
import io.portolan.gateway.openapi.ApiEndpoint;
import java.util.List;
import kamon.prometheus.PrometheusReporter;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /metrics}: Prometheus text format from Kamon's Prometheus reporter, on the node's own
 * port. Needs a viewer token (Prometheus sends it with {@code authorization: {credentials: ...}})
 * unless {@code portolan.metrics.public = true}. Every {@code refresh-interval} the platform and
 * topology counters are copied into Kamon; Kamon snapshots them every {@code kamon.metric.tick-interval}.
 */
public final class MetricsRoutes extends AllDirectives {

  public static final List<ApiEndpoint> ENDPOINTS = List.of(ApiEndpoint.get("/metrics"));

  /** Prometheus reads {@code text/plain} as its text format 0.0.4. */
  private static final ContentType.NonBinary PROMETHEUS_TEXT = ContentTypes.TEXT_PLAIN_UTF8;

  private final PrometheusReporter reporter;
  private final AuthDirectives auth;
  private final MetricsSettings settings;
  private final TopologyMetrics topology;

  public MetricsRoutes(ActorSystem<?> system, AuthDirectives auth, IngestStats ingest, TopologyStore store) {
    this.settings = MetricsSettings.from(system.settings().config());
    this.reporter = Kamons.start(system.settings().config());
    this.auth = auth;
    PlatformMetrics platform = new PlatformMetrics(ingest, store);
    this.topology = settings.topology() ? new TopologyMetrics(store, settings.maxContainers()) : null;
    Runnable refresh = () -> {
      try {
        platform.refresh();
        if (topology != null) {
          topology.refresh();
        }
      } catch (RuntimeException e) {
        system.log().warn("Refreshing the metrics failed: {}", e.toString());
      }
    };
    Cancellable task = system.scheduler().scheduleAtFixedRate(java.time.Duration.ZERO, settings.refreshInterval(),
        refresh, system.executionContext());
    system.getWhenTerminated().thenRun(() -> {
      task.cancel();
      if (topology != null) {
        topology.clear();
      }
    });
  }

  public Route routes() {
    Route scrape = get(() -> {
      if (topology != null) {
        topology.scraped();
      }
      return complete(HttpEntities.create(PROMETHEUS_TEXT, reporter.scrapeData()));
    });
    return path("metrics", () -> settings.publicEndpoint() ? scrape : auth.authorized(Role.VIEWER, p -> scrape));
  }
}
