package io.portolan.node.kubernetes;

import io.portolan.protocol.AgentMessage;
import io.portolan.protocol.ClusterMessage;
import io.portolan.protocol.Keys;
import java.util.Map;

/**
 * Maps a {@link ClusterMessage.ControlRequest} on a Kubernetes entry key onto {@link KubernetesControls}
 * and answers with a {@link AgentMessage.ControlReply}. Blocking: run on the blocking dispatcher.
 *
 * <table>
 *   <caption>actions</caption>
 *   <tr><th>key kind</th><th>action</th><th>args</th><th>result</th></tr>
 *   <tr><td>workload (Deployment, StatefulSet)</td><td>{@code scale}</td><td>{@code replicas}</td><td>{@code replicas}</td></tr>
 *   <tr><td></td><td>{@code scale-up} / {@code scale-down}</td><td>{@code by} (default 1)</td><td>{@code replicas}</td></tr>
 *   <tr><td>workload (+ DaemonSet)</td><td>{@code restart}</td><td></td><td>{@code restartedAt}</td></tr>
 *   <tr><td>pod</td><td>{@code delete}</td><td></td><td></td></tr>
 *   <tr><td>pod</td><td>{@code logs}</td><td>{@code tail} (default 100), {@code container}</td><td>{@code log}</td></tr>
 *   <tr><td>any Kubernetes key</td><td>{@code describe}</td><td></td><td>{@code yaml}</td></tr>
 * </table>
 *
 * Role checks and the audit log are the cluster's job (the request only reaches the agent once allowed).
 */
public final class KubernetesControlHandler {

  public static final String SCALE = "scale";
  public static final String SCALE_UP = "scale-up";
  public static final String SCALE_DOWN = "scale-down";
  public static final String RESTART = "restart";
  public static final String DELETE = "delete";
  public static final String LOGS = "logs";
  public static final String DESCRIBE = "describe";
  static final int DEFAULT_TAIL = 100;

  private final KubernetesControls controls;
  private final String cluster;

  public KubernetesControlHandler(KubernetesControls controls, String cluster) {
    this.controls = controls;
    this.cluster = cluster;
  }

  /** Whether this handler owns the key's kind (pod, service, workload, namespace, kube-node). */
  public static boolean handles(String targetKey) {
    return switch (Keys.kindOf(targetKey == null ? "" : targetKey)) {
      case "pod", "service", "workload", "namespace", "kube-node" -> true;
      default -> false;
    };
  }

  public AgentMessage.ControlReply handle(ClusterMessage.ControlRequest request) {
    try {
      Map<String, String> result = run(KubeRef.parse(request.targetKey()), request.action(),
          request.args() == null ? Map.of() : request.args());
      return new AgentMessage.ControlReply(request.requestId(), true, request.action() + " done", result);
    } catch (KubernetesControls.ControlException | IllegalArgumentException e) {
      return new AgentMessage.ControlReply(request.requestId(), false, e.getMessage(), Map.of());
    }
  }

  private Map<String, String> run(KubeRef ref, String action, Map<String, String> args) {
    if (!ref.cluster().equals(cluster)) {
      throw new IllegalArgumentException(ref.key() + " belongs to Kubernetes cluster '" + ref.cluster()
          + "'; this agent watches '" + cluster + "'");
    }
    if (DESCRIBE.equals(action)) {
      return Map.of("yaml", controls.describe(ref.kind(), ref.namespace(), ref.name()));
    }
    switch (ref.kind()) {
      case "Pod" -> {
        if (DELETE.equals(action)) {
          controls.deletePod(ref.namespace(), ref.name());
          return Map.of();
        }
        if (LOGS.equals(action)) {
          return Map.of("log", controls.logs(ref.namespace(), ref.name(), args.getOrDefault("container", ""),
              intArg(args, "tail", DEFAULT_TAIL)));
        }
      }
      case "Deployment", "StatefulSet", "DaemonSet" -> {
        if (RESTART.equals(action)) {
          return Map.of("restartedAt", controls.rolloutRestart(
              KubernetesControls.Restartable.valueOf(ref.kind()), ref.namespace(), ref.name()));
        }
        KubernetesControls.Scale scale = switch (action) {
          case SCALE -> new KubernetesControls.Scale(KubernetesControls.Scale.Direction.TO, requiredInt(args, "replicas"));
          case SCALE_UP -> new KubernetesControls.Scale(KubernetesControls.Scale.Direction.UP, intArg(args, "by", 1));
          case SCALE_DOWN -> new KubernetesControls.Scale(KubernetesControls.Scale.Direction.DOWN, intArg(args, "by", 1));
          default -> null;
        };
        if (scale != null) {
          if (ref.kind().equals("DaemonSet")) {
            throw new IllegalArgumentException("a DaemonSet runs one pod per node and cannot be scaled");
          }
          int replicas = controls.scale(KubernetesControls.Scalable.valueOf(ref.kind()), ref.namespace(), ref.name(),
              scale);
          return Map.of("replicas", String.valueOf(replicas));
        }
      }
      default -> {
        // falls through to the error below
      }
    }
    throw new IllegalArgumentException("unknown action '" + action + "' for a " + ref.kind());
  }

  private static int intArg(Map<String, String> args, String name, int fallback) {
    String v = args.get(name);
    return v == null || v.isBlank() ? fallback : parse(name, v);
  }

  private static int requiredInt(Map<String, String> args, String name) {
    String v = args.get(name);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException("argument '" + name + "' is required");
    }
    return parse(name, v);
  }

  private static int parse(String name, String v) {
    try {
      int n = Integer.parseInt(v.strip());
      if (n < 0) {
        throw new IllegalArgumentException("argument '" + name + "' must not be negative (got " + v + ")");
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("argument '" + name + "' must be a whole number (got '" + v + "')");
    }
  }

  /** A Kubernetes entry key taken apart: {@code kind} as Kubernetes spells it. */
  record KubeRef(String key, String cluster, String kind, String namespace, String name) {

    static KubeRef parse(String key) {
      String k = key == null ? "" : key;
      String kind = Keys.kindOf(k);
      String[] parts = k.substring(Math.min(k.length(), kind.length() + 1)).split("/", -1);
      switch (kind) {
        case "pod", "service" -> {
          need(key, parts, 3);
          return new KubeRef(key, parts[0], kind.equals("pod") ? "Pod" : "Service", parts[1], parts[2]);
        }
        case "workload" -> {
          need(key, parts, 4);
          String kubeKind = switch (parts[2]) {
            case "deployment" -> "Deployment";
            case "replicaset" -> "ReplicaSet";
            case "statefulset" -> "StatefulSet";
            case "daemonset" -> "DaemonSet";
            case "job" -> "Job";
            case "cronjob" -> "CronJob";
            default -> throw new IllegalArgumentException("unknown workload kind in '" + key + "'");
          };
          return new KubeRef(key, parts[0], kubeKind, parts[1], parts[3]);
        }
        case "namespace", "kube-node" -> {
          need(key, parts, 2);
          return new KubeRef(key, parts[0], kind.equals("namespace") ? "Namespace" : "Node", "", parts[1]);
        }
        default -> throw new IllegalArgumentException("'" + key + "' is not a Kubernetes object key");
      }
    }

    private static void need(String key, String[] parts, int n) {
      if (parts.length != n) {
        throw new IllegalArgumentException("malformed key '" + key + "'");
      }
      for (String p : parts) {
        if (p.isEmpty()) {
          throw new IllegalArgumentException("malformed key '" + key + "'");
        }
      }
    }
  }
}
