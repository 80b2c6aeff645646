package io.portolan.gateway.kubernetes;

import io.portolan.cluster.access.Role;
import io.portolan.cluster.topology.HostSnapshot;
import io.portolan.cluster.topology.TopologyStore;
import io.portolan.gateway.audit.AuditLog;
import io.portolan.gateway.auth.AuthDirectives;
import io.portolan.gateway.control.ControlSender;
import io.portolan.gateway.http.BadRequestException;
import io.portolan.gateway.http.JsonDirectives;
import io.portolan.gateway.http.NotFoundException;
import io.portolan.gateway.openapi.ApiEndpoint;
import io.portolan.protocol.Keys;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Kubernetes controls, run by the agent that holds the cluster's watcher lease (the host whose
 * report carries the object), every call role-checked and audited.
 * <pre>
 * POST /api/kubernetes/{action}   {"target": "&lt;entry key&gt;", "replicas"?, "by"?, "tail"?, "container"?}
 *   describe                     any object (YAML)              viewer
 *   logs                         a pod (tail, container)        operator
 *   scale / scale-up / scale-down  a Deployment or StatefulSet   operator
 *   restart                      a Deployment, StatefulSet or DaemonSet (rollout restart)   operator
 *   delete                       a pod                           operator
 * </pre>
 */
public final class KubernetesRoutes extends JsonDirectives {

  public static final List<ApiEndpoint> ENDPOINTS = List.of(ApiEndpoint.post("/api/kubernetes/{action}"));

  private static final Map<String, Role> ACTIONS = Map.of(
      "describe", Role.VIEWER,
      "logs", Role.OPERATOR,
      "scale", Role.OPERATOR,
      "scale-up", Role.OPERATOR,
      "scale-down", Role.OPERATOR,
      "restart", Role.OPERATOR,
      "delete", Role.OPERATOR);
  private static final Set<String> KINDS = Set.of("pod", "service", "workload", "namespace", "kube-node");
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  /** The body: what to act on, and the action's arguments. */
  public record Request(String target, Integer replicas, Integer by, Integer tail, String container) {}

  public record Result(String target, String action, String hostId, String message, Map<String, String> output) {}

  private final TopologyStore store;
  private final AuthDirectives auth;
  private final ControlSender controls;

  public KubernetesRoutes(ClusterSharding sharding, TopologyStore store, AuthDirectives auth, AuditLog audit,
      long maxBodyBytes) {
    super(maxBodyBytes);
    this.store = store;
    this.auth = auth;
    this.controls = new ControlSender(sharding, audit);
  }

  public Route routes() {
    return pathPrefix("api", () -> path(PathMatchers.segment("kubernetes").slash(PathMatchers.segment()), action ->
        post(() -> {
          Role required = ACTIONS.get(action);
          if (required == null) {
            throw new BadRequestException("unknown action '" + action + "'; one of "
                + ACTIONS.keySet().stream().sorted().toList());
          }
          return auth.authorized(required, user -> jsonBody(Request.class, req -> {
            String target = checkTarget(req.target());
            String hostId = holderOf(target);
            return onSuccess(controls.send(user, hostId, target, action, args(req), TIMEOUT, target), sent ->
                sent.status() == 200
                    ? json(StatusCodes.OK, new Result(target, action, hostId, sent.message(), sent.output()))
                    : json(StatusCodes.get(sent.status()), Map.of("error", sent.message(), "status", sent.status())));
          }));
        })));
  }

  private static String checkTarget(String target) {
    if (target == null || !KINDS.contains(Keys.kindOf(target))) {
      throw new BadRequestException("'target' must be a Kubernetes entry key such as"
          + " workload:<cluster>/<namespace>/deployment/<name> or pod:<cluster>/<namespace>/<name>");
    }
    return target;
  }

  /** The host whose agent reported the object: the one holding the watcher lease. */
  private String holderOf(String target) {
    for (HostSnapshot host : store.hosts()) {
      if (host.live().containsKey(target)) {
        return host.hostId();
      }
    }
    throw new NotFoundException("no Kubernetes object '" + target + "' is reported by any agent");
  }

  private static Map<String, String> args(Request req) {
    Map<String, String> args = new HashMap<>();
    if (req.replicas() != null) {
      if (req.replicas() < 0 || req.replicas() > 10_000) {
        throw new BadRequestException("'replicas' must be between 0 and 10000");
      }
      args.put("replicas", req.replicas().toString());
    }
    if (req.by() != null) {
      args.put("by", req.by().toString());
    }
    if (req.tail() != null) {
      args.put("tail", req.tail().toString());
    }
    if (req.container() != null) {
      args.put("container", req.container());
    }
    return args;
  }
}
