package io.portolan.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Map;

/**
 * What an {@link Entry} describes: one host, container, process or connection. Each kind is a plain
 * record; a new kind is one more record here and one line in {@link JsonSubTypes}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Payload.Host.class, name = "host"),
    @JsonSubTypes.Type(value = Payload.Container.class, name = "container"),
    @JsonSubTypes.Type(value = Payload.Process.class, name = "process"),
    @JsonSubTypes.Type(value = Payload.Connection.class, name = "connection"),
    @JsonSubTypes.Type(value = Payload.Namespace.class, name = "namespace"),
    @JsonSubTypes.Type(value = Payload.KubeNode.class, name = "kube-node"),
    @JsonSubTypes.Type(value = Payload.Pod.class, name = "pod"),
    @JsonSubTypes.Type(value = Payload.Service.class, name = "service"),
    @JsonSubTypes.Type(value = Payload.Workload.class, name = "workload"),
    @JsonSubTypes.Type(value = Payload.KubeEvent.class, name = "kube-event")
})
public sealed interface Payload {

  /** The host the agent runs on. Key: {@code host:<hostId>}. */
  record Host(
      String hostname,
      List<NetInterface> interfaces,
      String os,
      String kernel,
      String arch,
      int cores,
      long memoryTotalBytes,
      List<Mount> mounts,
      double load1,
      double load5,
      double load15,
      long uptimeSeconds) implements Payload {}

  record NetInterface(String name, List<String> addresses) {}

  record Mount(String path, String device, String fsType, long totalBytes, long usedBytes) {}

  /** A container from the engine API. Key: {@code container:<full id>}. Env values are already masked. */
  record Container(
      String id,
      String name,
      String image,
      String imageId,
      String state,
      long createdAt,
      long startedAt,
      Map<String, String> labels,
      Map<String, String> env,
      List<Port> ports,
      List<String> mounts,
      Map<String, String> networks,
      String networkMode,
      int restartCount,
      String health,
      long memoryLimitBytes,
      double cpuLimit) implements Payload {

    public static final String COMPOSE_PROJECT = "com.docker.compose.project";
    public static final String COMPOSE_SERVICE = "com.docker.compose.service";

    /** The Compose project from the standard label, or "" (derived, not sent on the wire). */
    public String composeProject() {
      return labels == null ? "" : labels.getOrDefault(COMPOSE_PROJECT, "");
    }

    /** The Compose service from the standard label, or "". */
    public String composeService() {
      return labels == null ? "" : labels.getOrDefault(COMPOSE_SERVICE, "");
    }
  }

  record Port(String ip, int privatePort, int publicPort, String protocol) {}

  /** A process from /proc. Key: {@code process:<hostId>;<pid>}. */
  record Process(
      int pid,
      int ppid,
      String name,
      String cmdline,
      int uid,
      String user,
      String cwd,
      String state,
      int threads,
      String containerId) implements Payload {}

  /**
   * A connection (or a group of identical ones) seen from this host. Key:
   * {@code connection:<hostId>;<proto>;<local>;<remote>}. {@code outbound} is true when this host's
   * side is the client.
   */
  record Connection(
      String protocol,
      String localAddress,
      int localPort,
      String remoteAddress,
      int remotePort,
      boolean outbound,
      int pid,
      String containerId,
      int count,
      String source) implements Payload {}

  // ---- Kubernetes (issue 7). Reported by the one agent that holds the cluster's watcher lease. Every
  // key carries the Kubernetes cluster name so that several clusters can report to one Portolan.

  /** A Kubernetes namespace. Key: {@code namespace:<cluster>/<name>}. */
  record Namespace(
      String cluster,
      String name,
      String uid,
      String phase,
      Map<String, String> labels,
      long createdAt) implements Payload {}

  /**
   * A Kubernetes node. Key: {@code kube-node:<cluster>/<name>}. {@code hostKey} is the {@code host:}
   * key of the agent on that machine when the node name is its host id (the default: both are the
   * hostname).
   */
  record KubeNode(
      String cluster,
      String name,
      String uid,
      String hostKey,
      Map<String, String> addresses,
      boolean ready,
      boolean unschedulable,
      String kubeletVersion,
      String containerRuntime,
      String cpuCapacity,
      String memoryCapacity,
      Map<String, String> labels,
      long createdAt) implements Payload {}

  /**
   * A pod. Key: {@code pod:<cluster>/<namespace>/<name>}. {@code conditions} maps a condition type to its
   * status ("True", "False", "Unknown"). {@code ownerKeys} are the keys of its direct owners
   * ({@code workload:...}); {@code controllerKey} is the top of the owner chain (a Deployment for a pod
   * of a ReplicaSet of a Deployment), or "" for a bare pod. {@code hostKey} is {@code host:<spec.nodeName>}.
   */
  record Pod(
      String cluster,
      String namespace,
      String name,
      String uid,
      String nodeName,
      String hostKey,
      String podIp,
      String hostIp,
      String phase,
      String reason,
      Map<String, String> conditions,
      List<PodContainer> containers,
      int restarts,
      Map<String, String> labels,
      Map<String, String> annotations,
      List<String> ownerKeys,
      String controllerKey,
      String serviceAccount,
      String qosClass,
      long createdAt,
      long startedAt) implements Payload {}

  /**
   * One container of a pod. {@code containerId} is the runtime's id without its scheme
   * ({@code containerd://abc} → {@code abc}), so {@code containerKey} ({@code container:<id>}) joins the
   * pod to the container the agent on its node reports; both are "" until the container has started.
   * {@code state} is waiting, running or terminated; {@code reason} is the waiting/terminated reason.
   */
  record PodContainer(
      String name,
      String image,
      String runtime,
      String containerId,
      String containerKey,
      boolean ready,
      int restartCount,
      String state,
      String reason,
      boolean init) {}

  /**
   * A Service. Key: {@code service:<cluster>/<namespace>/<name>}. {@code podKeys} are the pods behind it:
   * the targets of its EndpointSlices and, for a service with a selector, the pods the selector matches
   * (a selector-less service has only its endpoints). {@code readyEndpoints} counts ready addresses.
   */
  record Service(
      String cluster,
      String namespace,
      String name,
      String uid,
      String type,
      String clusterIp,
      List<String> externalAddresses,
      List<ServicePort> ports,
      Map<String, String> selector,
      Map<String, String> labels,
      List<String> podKeys,
      int readyEndpoints,
      long createdAt) implements Payload {}

  record ServicePort(String name, String protocol, int port, String targetPort, int nodePort) {}

  /**
   * A controller: {@code kind} is Deployment, ReplicaSet, StatefulSet, DaemonSet, Job or CronJob. Key:
   * {@code workload:<cluster>/<namespace>/<kind lower case>/<name>}. {@code desired} vs {@code ready}:
   * replicas for Deployment/ReplicaSet/StatefulSet, scheduled nodes for DaemonSet, parallelism vs active
   * for Job (completions in {@code available}), active jobs for CronJob (desired 0 when suspended).
   * {@code ownerKeys}: a ReplicaSet's Deployment, a Job's CronJob.
   */
  record Workload(
      String cluster,
      String namespace,
      String name,
      String uid,
      String kind,
      int desired,
      int ready,
      int available,
      int updated,
      Map<String, String> selector,
      Map<String, String> labels,
      Map<String, String> podTemplateAnnotations,
      List<String> ownerKeys,
      String schedule,
      boolean suspended,
      long generation,
      long observedGeneration,
      long createdAt) implements Payload {}

  /**
   * A Kubernetes event. Key: {@code kube-event:<cluster>/<namespace>/<name>}. {@code objectKey} is the
   * entry key of the object it is about when that kind is one we report, else "".
   */
  record KubeEvent(
      String cluster,
      String namespace,
      String name,
      String type,
      String reason,
      String message,
      String objectKind,
      String objectName,
      String objectKey,
      int count,
      long firstSeen,
      long lastSeen) implements Payload {}
}
