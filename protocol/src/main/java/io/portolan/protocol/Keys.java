package io.portolan.protocol;

/** Entry keys: {@code <kind>:<id>}, unique across the whole cluster. */
public final class Keys {

  private Keys() {}

  public static String host(String hostId) {
    return "host:" + hostId;
  }

  public static String container(String containerId) {
    return "container:" + containerId;
  }

  public static String process(String hostId, int pid) {
    return "process:" + hostId + ";" + pid;
  }

  public static String connection(String hostId, String protocol, String local, int localPort,
      String remote, int remotePort) {
    return "connection:" + hostId + ";" + protocol + ";" + local + ":" + localPort + ";" + remote + ":" + remotePort;
  }

  /** The kind of a key ({@code container} for {@code container:abc}), or "" when it has none. */
  public static String kindOf(String key) {
    int colon = key.indexOf(':');
    return colon <= 0 ? "" : key.substring(0, colon);
  }

  /** A Kubernetes namespace. */
  public static String namespace(String cluster, String name) {
    return "namespace:" + cluster + "/" + name;
  }

  /** A Kubernetes node (the machine's agent reports it as {@code host:<name>}). */
  public static String kubeNode(String cluster, String name) {
    return "kube-node:" + cluster + "/" + name;
  }

  public static String pod(String cluster, String namespace, String name) {
    return "pod:" + cluster + "/" + namespace + "/" + name;
  }

  public static String service(String cluster, String namespace, String name) {
    return "service:" + cluster + "/" + namespace + "/" + name;
  }

  /** A controller; {@code kind} as Kubernetes spells it (Deployment), lower-cased in the key. */
  public static String workload(String cluster, String namespace, String kind, String name) {
    return "workload:" + cluster + "/" + namespace + "/" + kind.toLowerCase(java.util.Locale.ROOT) + "/" + name;
  }

  public static String kubeEvent(String cluster, String namespace, String name) {
    return "kube-event:" + cluster + "/" + namespace + "/" + name;
  }

  /**
   * The entry key of a Kubernetes object of {@code kind} (as Kubernetes spells it), or "" when it is not
   * a kind Portolan reports. {@code namespace} is ignored for cluster-scoped kinds.
   */
  public static String kubeObject(String cluster, String kind, String namespace, String name) {
    return switch (kind) {
      case "Namespace" -> namespace(cluster, name);
      case "Node" -> kubeNode(cluster, name);
      case "Pod" -> pod(cluster, namespace, name);
      case "Service" -> service(cluster, namespace, name);
      case "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob" ->
          workload(cluster, namespace, kind, name);
      default -> "";
    };
  }

  /** The kind name a payload is keyed under. */
  public static String kindOf(Payload payload) {
    if (payload instanceof Payload.Host) {
      return "host";
    } else if (payload instanceof Payload.Container) {
      return "container";
    } else if (payload instanceof Payload.Process) {
      return "process";
    } else if (payload instanceof Payload.Namespace) {
      return "namespace";
    } else if (payload instanceof Payload.KubeNode) {
      return "kube-node";
    } else if (payload instanceof Payload.Pod) {
      return "pod";
    } else if (payload instanceof Payload.Service) {
      return "service";
    } else if (payload instanceof Payload.Workload) {
      return "workload";
    } else if (payload instanceof Payload.KubeEvent) {
      return "kube-event";
    } else {
      return "connection";
    }
  }
}
