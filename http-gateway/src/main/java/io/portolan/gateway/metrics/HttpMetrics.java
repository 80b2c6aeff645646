package io.portolan.gateway.metrics;

import io.portolan.gateway.containers.ContainerRoutes;
import io.portolan.gateway.openapi.ApiEndpoint;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import kamon.Kamon;
import kamon.metric.Metric;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Times every request, tagged with the endpoint's path template (never the concrete path, so that
 * ids do not become label values), the method and the status. Requests that fit no declared
 * endpoint are tagged {@code ui} (static files) or {@code unmatched}. The duration also goes back to
 * the client in a {@code Server-Timing: request;dur=<ms>} header.
 */
public final class HttpMetrics extends AllDirectives {

  private static final Metric.Timer REQUESTS = Kamon.timer("portolan.http.request",
      "HTTP requests until the response started, by route template, method and status");

  /** A single control's round trip (API call → the agent's answer) also goes to portolan_control_latency. */
  private static final String CONTROL_ROUTE = "/api/containers/{id}/{action}";

  private final List<ApiEndpoint> endpoints;

  public HttpMetrics(List<ApiEndpoint> endpoints) {
    this.endpoints = endpoints.stream()
        .sorted(Comparator.comparingInt(ApiEndpoint::literalSegments).reversed())
        .toList();
  }

  public Route timed(Route inner) {
    return extractRequest(request -> {
      long start = System.nanoTime();
      String method = request.method().value();
      String route = routeOf(method, request.getUri().path());
      return mapResponse(response -> {
        long nanos = System.nanoTime() - start;
        REQUESTS.withTag("route", route).withTag("method", method)
            .withTag("status", String.valueOf(response.status().intValue()))
            .record(nanos, TimeUnit.NANOSECONDS);
        if (CONTROL_ROUTE.equals(route)) {
          String path = request.getUri().path();
          String action = path.substring(path.lastIndexOf('/') + 1);
          if (ContainerRoutes.ACTIONS.contains(action)) {
            PlatformMetrics.recordControl(action, String.valueOf(response.status().intValue()),
                java.time.Duration.ofNanos(System.nanoTime() - start));
          }
        }
        // The same duration for the client (W3C Server-Timing), so that a client can tell the
        // server's part of what it measured from the network's and its own.
        return response.addHeader(RawHeader.create("Server-Timing",
            String.format(Locale.ROOT, "request;dur=%.2f", nanos / 1e6)));
      }, () -> inner);
    });
  }

  String routeOf(String method, String path) {
    for (ApiEndpoint e : endpoints) {
      if (e.method().equals(method) && e.matches(path)) {
        return e.path();
      }
    }
    boolean api = path.startsWith("/api/") || path.startsWith("/health/") || path.startsWith("/agent/")
        || path.equals("/metrics");
    return api ? "unmatched" : "ui";
  }
}
