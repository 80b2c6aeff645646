package io.portolan.gateway.health;

import io.portolan.gateway.openapi.ApiEndpoint;
import io.portolan.gateway.http.Json;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code GET /health/alive} (the process answers) and {@code GET /health/ready} (it can serve). */
public final class HealthRoutes extends AllDirectives {

  /** What {@link #routes} answers, for the OpenAPI check and the metrics (see {@link ApiEndpoint}). */
  public static final java.util.List<ApiEndpoint> ENDPOINTS = java.util.List.of(
      ApiEndpoint.get("/health/alive"),
      ApiEndpoint.get("/health/ready"));

  private final ReadinessCheck readiness;

  public HealthRoutes(ReadinessCheck readiness) {
    this.readiness = readiness;
  }

  public Route routes() {
    return pathPrefix("health", () -> concat(
        path("alive", () -> get(() ->
            complete(StatusCodes.OK, Map.of("status", "alive"), Json.marshaller()))),
        path("ready", () -> get(() ->
            onSuccess(readiness.check(), result -> complete(
                result.ready() ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE, result, Json.marshaller()))))));
  }
}
