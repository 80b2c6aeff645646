package io.portolan.gateway.containers;

import io.portolan.cluster.access.Role;
import io.portolan.cluster.topology.HostSnapshot;
import io.portolan.cluster.topology.TopologyStore;
import io.portolan.gateway.audit.AuditLog;
import io.portolan.gateway.auth.AuthDirectives;
import io.portolan.gateway.auth.Principal;
import io.portolan.gateway.control.ControlSender;
import io.portolan.gateway.http.BadRequestException;
import io.portolan.gateway.http.JsonDirectives;
import io.portolan.gateway.http.NotFoundException;
import io.portolan.gateway.openapi.ApiEndpoint;
import io.portolan.protocol.Keys;
import io.portolan.protocol.Payload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Container controls, routed to the agent of the container's host and run there through the
 * Docker API (operator role, every call audited).
 * <pre>
 * POST /api/containers/{id}/{action}       start, stop[?timeout=s], restart[?timeout=s], pause, unpause,
 *                                          remove[?force=true][&amp;volumes=true]
 * POST /api/containers/_bulk/{action}      {"ids": [...]} (same query parameters) → a result per container
 * </pre>
 * {@code {id}} is the full id, a unique id prefix or the name, as the docker CLI takes them. Views
 * show the outcome when the agent's Docker events arrive.
 */
public final class ContainerRoutes extends JsonDirectives {

  /** What {@link #routes} answers, for the OpenAPI check and the metrics (see {@link ApiEndpoint}). */
  public static final List<ApiEndpoint> ENDPOINTS = List.of(
      ApiEndpoint.post("/api/containers/{id}/{action}"),
      ApiEndpoint.post("/api/containers/_bulk/{action}"));

  public static final Set<String> ACTIONS = Set.of("start", "stop", "restart", "pause", "unpause", "remove");
  private static final int MAX_BULK = 100;

  /** Where a control went and how it ended. */
  public record ControlResult(String ref, int status, String id, String name, String hostId, String action,
      String message) {}

  public record BulkRequest(List<String> ids) {}

  public record BulkResult(String action, int ok, int failed, List<ControlResult> results) {}

  /** A container found in the read model. */
  record Found(String id, String name, String hostId) {}

  private final TopologyStore store;
  private final AuthDirectives auth;
  private final ControlSender controls;
  private final AuditLog audit;

  public ContainerRoutes(ClusterSharding sharding, TopologyStore store, AuthDirectives auth, AuditLog audit,
      long maxBodyBytes) {
    super(maxBodyBytes);
    this.store = store;
    this.auth = auth;
    this.controls = new ControlSender(sharding, audit);
    this.audit = audit;
  }

  public Route routes() {
    return pathPrefix("api", () -> pathPrefix("containers", () -> concat(
        path(PathMatchers.segment("_bulk").slash(PathMatchers.segment()), action -> post(() ->
            auth.authorized(Role.OPERATOR, user -> parameterMap(params -> jsonBody(BulkRequest.class, req ->
                bulk(user, action, params, req)))))),
        path(PathMatchers.segment().slash(PathMatchers.segment()), (ref, action) -> post(() ->
            auth.authorized(Role.OPERATOR, user -> parameterMap(params -> {
              Map<String, String> args = args(action, params);
              return onSuccess(control(user, ref, action, args), result -> result.status() == 200
                  ? json(StatusCodes.OK, result)
                  : json(StatusCodes.get(result.status()), Map.of("error", result.message(), "status",
                      result.status(), "result", result)));
            })))))));
  }

  private Route bulk(Principal user, String action, Map<String, String> params, BulkRequest req) {
    Map<String, String> args = args(action, params);
    if (req.ids() == null || req.ids().isEmpty()) {
      throw new BadRequestException("'ids' must list at least one container");
    }
    if (req.ids().size() > MAX_BULK) {
      throw new BadRequestException("at most " + MAX_BULK + " containers per bulk call (got " + req.ids().size() + ")");
    }
    List<CompletableFuture<ControlResult>> all = req.ids().stream()
        .map(ref -> control(user, ref, action, args).toCompletableFuture()).toList();
    CompletionStage<BulkResult> done = CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(v -> {
      List<ControlResult> results = all.stream().map(CompletableFuture::join).toList();
      int ok = (int) results.stream().filter(r -> r.status() == 200).count();
      return new BulkResult(action, ok, results.size() - ok, results);
    });
    return onSuccess(done, result -> json(StatusCodes.OK, result));
  }

  /** Resolves, sends and audits one control; never fails: a problem is a result with a status. */
  CompletionStage<ControlResult> control(Principal user, String ref, String action, Map<String, String> args) {
    Found found;
    try {
      found = resolve(ref);
    } catch (NotFoundException | BadRequestException e) {
      // Audited too: a control on a container that is not there is worth knowing about.
      audit.record(user.name(), "container." + action, ref, "failed", e.getMessage(), "");
      return CompletableFuture.completedFuture(new ControlResult(ref, e instanceof NotFoundException ? 404 : 400,
          null, null, null, action, e.getMessage()));
    }
    Duration timeout = Duration.ofSeconds(30 + Long.parseLong(args.getOrDefault("timeout", "0")));
    return controls.send(user, found.hostId(), Keys.container(found.id()), action, args, timeout,
            found.name() + " (" + shortId(found.id()) + ")")
        .thenApply(sent -> new ControlResult(ref, sent.status(), found.id(), found.name(), found.hostId(), action,
            sent.message()));
  }

  /** The container a reference names: full id, then name, then a unique id prefix. */
  Found resolve(String ref) {
    String name = ref.startsWith("/") ? ref.substring(1) : ref;
    List<Found> byPrefix = new ArrayList<>();
    Found byName = null;
    for (HostSnapshot host : store.hosts()) {
      for (Payload payload : host.live().values()) {
        if (payload instanceof Payload.Container c) {
          String cName = c.name() == null ? "" : c.name().startsWith("/") ? c.name().substring(1) : c.name();
          Found f = new Found(c.id(), cName, host.hostId());
          if (c.id().equals(ref)) {
            return f;
          }
          if (cName.equals(name)) {
            byName = f;
          }
          if (c.id().startsWith(ref)) {
            byPrefix.add(f);
          }
        }
      }
    }
    if (byName != null) {
      return byName;
    }
    if (byPrefix.size() == 1) {
      return byPrefix.get(0);
    }
    if (byPrefix.size() > 1) {
      throw new BadRequestException("'" + ref + "' matches " + byPrefix.size() + " containers ("
          + String.join(", ", byPrefix.stream().limit(5).map(f -> f.name() + " " + shortId(f.id())).toList())
          + "); give more of the id");
    }
    throw new NotFoundException("no container '" + ref + "' (by id, id prefix or name) on any reporting host");
  }

  private static Map<String, String> args(String action, Map<String, String> params) {
    if (!ACTIONS.contains(action)) {
      throw new BadRequestException("unknown action '" + action + "'; one of " + ACTIONS.stream().sorted().toList());
    }
    Map<String, String> args = new HashMap<>();
    if (action.equals("stop") || action.equals("restart")) {
      String timeout = params.getOrDefault("timeout", "10");
      try {
        int seconds = Integer.parseInt(timeout);
        if (seconds < 0 || seconds > 600) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        throw new BadRequestException("'timeout' must be a whole number of seconds from 0 to 600");
      }
      args.put("timeout", timeout);
    }
    if (action.equals("remove")) {
      args.put("force", Boolean.toString(flag(params, "force")));
      args.put("volumes", Boolean.toString(flag(params, "volumes")));
    }
    return args;
  }

  private static boolean flag(Map<String, String> params, String name) {
    String value = params.getOrDefault(name, "false");
    if (!value.equals("true") && !value.equals("false")) {
      throw new BadRequestException("'" + name + "' must be true or false");
    }
    return value.equals("true");
  }

  private static String shortId(String id) {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }
}
