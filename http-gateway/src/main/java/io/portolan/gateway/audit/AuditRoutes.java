package io.portolan.gateway.audit;

import io.portolan.gateway.openapi.ApiEndpoint;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.portolan.cluster.access.Role;
import io.portolan.gateway.auth.AuthDirectives;
import io.portolan.gateway.http.BadRequestException;
import io.portolan.gateway.http.Json;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.ContentDisposition;
import org.apache.pekko.http.javadsl.model.headers.ContentDispositionTypes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /api/audit?from=&to=&user=&target=&action=&limit=&format=json|csv} (admin). Times are
 * ISO-8601 instants; the default range is the last 24 hours, the longest 92 days.
 */
public final class AuditRoutes extends AllDirectives {

  /** What {@link #routes} answers, for the OpenAPI check and the metrics (see {@link ApiEndpoint}). */
  public static final java.util.List<ApiEndpoint> ENDPOINTS = java.util.List.of(
      ApiEndpoint.get("/api/audit"));

  private static final CsvMapper CSV = CsvMapper.builder().addModule(new JavaTimeModule())
      .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
  private static final CsvSchema SCHEMA = CSV.schemaFor(AuditLog.AuditEvent.class).withHeader();

  private final AuditLog audit;
  private final AuthDirectives auth;

  public AuditRoutes(AuditLog audit, AuthDirectives auth) {
    this.audit = audit;
    this.auth = auth;
  }

  public Route routes() {
    return pathPrefix("api", () -> path("audit", () -> get(() -> auth.authorized(Role.ADMIN, admin ->
        parameterMap(params -> {
          AuditLog.Query query = query(params);
          boolean csv = "csv".equalsIgnoreCase(params.getOrDefault("format", "json"));
          return onSuccess(audit.query(query), events -> csv ? complete(csv(events)) : complete(json(events)));
        })))));
  }

  static AuditLog.Query query(Map<String, String> params) {
    Instant to = instant(params, "to", Instant.now());
    Instant from = instant(params, "from", to.minus(Duration.ofHours(24)));
    if (from.isAfter(to)) {
      throw new BadRequestException("'from' must be before 'to'");
    }
    if (Duration.between(from, to).compareTo(AuditLog.MAX_RANGE) > 0) {
      throw new BadRequestException("the range may span at most " + AuditLog.MAX_RANGE.toDays() + " days");
    }
    int limit;
    try {
      limit = Integer.parseInt(params.getOrDefault("limit", "1000"));
    } catch (NumberFormatException e) {
      throw new BadRequestException("'limit' must be a whole number");
    }
    if (limit < 1 || limit > AuditLog.MAX_LIMIT) {
      throw new BadRequestException("'limit' must be between 1 and " + AuditLog.MAX_LIMIT);
    }
    return new AuditLog.Query(from, to, Optional.ofNullable(params.get("user")), Optional.ofNullable(params.get("target")),
        Optional.ofNullable(params.get("action")), limit);
  }

  private static Instant instant(Map<String, String> params, String name, Instant otherwise) {
    String value = params.get(name);
    if (value == null) {
      return otherwise;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new BadRequestException("'" + name + "' must be an ISO-8601 instant such as 2026-11-23T10:00:00Z");
    }
  }

  private static HttpResponse json(List<AuditLog.AuditEvent> events) {
    try {
      return HttpResponse.create().withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON,
          Json.MAPPER.writeValueAsString(Map.of("events", events, "count", events.size()))));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static HttpResponse csv(List<AuditLog.AuditEvent> events) {
    StringWriter out = new StringWriter();
    try (SequenceWriter writer = CSV.writer(SCHEMA).writeValues(out)) {
      writer.writeAll(events);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return HttpResponse.create()
        .withEntity(HttpEntities.create(ContentTypes.TEXT_CSV_UTF8, out.toString()))
        .addHeader(ContentDisposition.create(ContentDispositionTypes.ATTACHMENT, Map.of("filename", "portolan-audit.csv")));
  }
}
