package io.portolan.gateway.agents;

import io.portolan.gateway.openapi.ApiEndpoint;
import io.portolan.cluster.access.Role;
import io.portolan.cluster.agent.AgentEntity;
import io.portolan.cluster.agent.AgentValidation;
import io.portolan.gateway.auth.AuthDirectives;
import io.portolan.gateway.http.BadRequestException;
import io.portolan.gateway.http.JsonDirectives;
import io.portolan.gateway.http.NotFoundException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The agent registry API: reads need the viewer role, changes the admin role.
 * <pre>
 * PUT    /api/agents/{id}          {"hostname": "...", "labels": {...}}  register (idempotent)
 * GET    /api/agents/{id}                                                 the agent, or 404
 * PUT    /api/agents/{id}/labels   {"labels": {...}}                      replace the labels
 * DELETE /api/agents/{id}          optional {"reason": "..."}             retire
 * </pre>
 */
public final class AgentRoutes extends JsonDirectives {

  /** What {@link #routes} answers, for the OpenAPI check and the metrics (see {@link ApiEndpoint}). */
  public static final java.util.List<ApiEndpoint> ENDPOINTS = java.util.List.of(
      ApiEndpoint.get("/api/agents/{id}"),
      ApiEndpoint.put("/api/agents/{id}"),
      ApiEndpoint.delete("/api/agents/{id}"),
      ApiEndpoint.put("/api/agents/{id}/labels"));

  /** Body of {@code PUT /api/agents/{id}}. */
  public record RegisterRequest(String hostname, Map<String, String> labels) {}

  /** Body of {@code PUT /api/agents/{id}/labels}. */
  public record LabelsRequest(Map<String, String> labels) {}

  /** Optional body of {@code DELETE /api/agents/{id}}. */
  public record RetireRequest(String reason) {}

  private final ClusterSharding sharding;
  private final AuthDirectives auth;
  private final Duration timeout;

  public AgentRoutes(ClusterSharding sharding, AuthDirectives auth, Duration timeout, long maxBodyBytes) {
    super(maxBodyBytes);
    this.sharding = sharding;
    this.auth = auth;
    this.timeout = timeout;
  }

  public Route routes() {
    return pathPrefix("api", () -> pathPrefix("agents", () -> pathPrefix(PathMatchers.segment(), id -> concat(
        pathEnd(() -> concat(
            get(() -> auth.authorized(Role.VIEWER, viewer -> onSuccess(existing(id), this::ok))),
            put(() -> auth.authorized(Role.ADMIN, admin -> jsonBody(RegisterRequest.class, req -> {
              List<String> problems = AgentValidation.checkRegistration(req.hostname(), req.labels());
              if (!problems.isEmpty()) {
                throw new BadRequestException(String.join("; ", problems));
              }
              return onSuccess(entity(id).<AgentEntity.Summary>askWithStatus(
                  r -> new AgentEntity.Register(req.hostname(), req.labels(), r), timeout), this::ok);
            }))),
            delete(() -> auth.authorized(Role.ADMIN, admin -> optionalJsonBody(RetireRequest.class,
                new RetireRequest(null), req -> onSuccess(existing(id).thenCompose(s -> entity(id)
                    .<AgentEntity.Summary>askWithStatus(r -> new AgentEntity.Retire(req.reason(), r), timeout)),
                    this::ok)))))),
        path("labels", () -> put(() -> auth.authorized(Role.ADMIN, admin -> jsonBody(LabelsRequest.class, req -> {
          List<String> problems = AgentValidation.checkLabels(req.labels());
          if (!problems.isEmpty()) {
            throw new BadRequestException(String.join("; ", problems));
          }
          return onSuccess(existing(id).thenCompose(s -> entity(id).<AgentEntity.Summary>askWithStatus(
              r -> new AgentEntity.UpdateLabels(req.labels(), r), timeout)), this::ok);
        }))))))));
  }

  private Route ok(AgentEntity.Summary summary) {
    return json(StatusCodes.OK, summary);
  }

  private EntityRef<AgentEntity.Command> entity(String id) {
    String problem = AgentValidation.checkAgentId(id);
    if (problem != null) {
      throw new BadRequestException(problem);
    }
    return sharding.entityRefFor(AgentEntity.ENTITY_KEY, id);
  }

  /** The agent's summary, failing with 404 when it was never registered. */
  private CompletionStage<AgentEntity.Summary> existing(String id) {
    return entity(id).<AgentEntity.Summary>ask(AgentEntity.Get::new, timeout).thenApply(summary -> {
      if (summary.agent().status() == AgentEntity.Status.UNKNOWN) {
        throw new NotFoundException("agent '" + id + "' is not registered; register it with PUT /api/agents/" + id);
      }
      return summary;
    });
  }
}
