package io.portolan.node.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.portolan.protocol.Keys;
import io.portolan.protocol.Payload;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns what the informers hold into protocol entries, keyed by {@link Keys}: a pure function of the
 * objects, so it is tested without an API server. It also makes the joins the views need:
 *
 * <ul>
 *   <li>pod → its containers: {@code containerStatuses[].containerID} without the runtime scheme is the
 *       id the node's agent reports under {@code container:<id>};</li>
 *   <li>pod → host: {@code spec.nodeName} is the host id of the agent on that node;</li>
 *   <li>pod → owners → controller: ownerReferences, followed through ReplicaSet → Deployment and
 *       Job → CronJob;</li>
 *   <li>service → pods: the service's selector over the pods of its namespace, plus the target pods of
 *       its EndpointSlices (which is all a selector-less service has).</li>
 * </ul>
 */
public final class InventoryBuilder {

  /** Everything the informers hold at one moment. */
  public record Objects(
      Collection<io.fabric8.kubernetes.api.model.Namespace> namespaces,
      Collection<Node> nodes,
      Collection<Pod> pods,
      Collection<Service> services,
      Collection<EndpointSlice> endpointSlices,
      Collection<Deployment> deployments,
      Collection<ReplicaSet> replicaSets,
      Collection<StatefulSet> statefulSets,
      Collection<DaemonSet> daemonSets,
      Collection<Job> jobs,
      Collection<CronJob> cronJobs,
      Collection<Event> events) {

    public static Objects empty() {
      return new Objects(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
          List.of(), List.of(), List.of(), List.of());
    }
  }

  static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
  /** Owner chains are short (Pod → ReplicaSet → Deployment); the bound only guards against cycles. */
  private static final int MAX_OWNER_DEPTH = 8;

  private final String cluster;
  private final int maxEvents;

  public InventoryBuilder(String cluster, int maxEvents) {
    this.cluster = cluster;
    this.maxEvents = maxEvents;
  }

  public Map<String, Payload> build(Objects o) {
    Map<String, Payload> out = new HashMap<>();
    for (var ns : o.namespaces()) {
      out.put(Keys.namespace(cluster, name(ns)), namespace(ns));
    }
    for (Node n : o.nodes()) {
      out.put(Keys.kubeNode(cluster, name(n)), node(n));
    }
    // Workloads first: the pods' controller chains are resolved against their owner references.
    Map<String, String> controllerOf = new HashMap<>();
    List<Payload.Workload> workloads = new ArrayList<>();
    o.deployments().forEach(d -> workloads.add(deployment(d)));
    o.replicaSets().forEach(r -> workloads.add(replicaSet(r)));
    o.statefulSets().forEach(s -> workloads.add(statefulSet(s)));
    o.daemonSets().forEach(d -> workloads.add(daemonSet(d)));
    o.jobs().forEach(j -> workloads.add(job(j)));
    o.cronJobs().forEach(c -> workloads.add(cronJob(c)));
    for (Payload.Workload w : workloads) {
      String key = Keys.workload(cluster, w.namespace(), w.kind(), w.name());
      out.put(key, w);
    }
    for (ReplicaSet r : o.replicaSets()) {
      linkController(controllerOf, r, "ReplicaSet");
    }
    for (Job j : o.jobs()) {
      linkController(controllerOf, j, "Job");
    }
    Map<String, List<Pod>> podsByNamespace = new HashMap<>();
    for (Pod p : o.pods()) {
      out.put(Keys.pod(cluster, p.getMetadata().getNamespace(), name(p)), pod(p, controllerOf));
      podsByNamespace.computeIfAbsent(p.getMetadata().getNamespace(), k -> new ArrayList<>()).add(p);
    }
    Map<String, List<EndpointSlice>> slicesByService = new HashMap<>();
    for (EndpointSlice s : o.endpointSlices()) {
      String svc = labels(s.getMetadata()).get(SERVICE_NAME_LABEL);
      if (svc != null) {
        slicesByService.computeIfAbsent(s.getMetadata().getNamespace() + "/" + svc, k -> new ArrayList<>()).add(s);
      }
    }
    for (Service s : o.services()) {
      String ns = s.getMetadata().getNamespace();
      out.put(Keys.service(cluster, ns, name(s)), service(s, podsByNamespace.getOrDefault(ns, List.of()),
          slicesByService.getOrDefault(ns + "/" + name(s), List.of())));
    }
    o.events().stream()
        .sorted(Comparator.comparingLong(InventoryBuilder::eventLastSeen).reversed())
        .limit(maxEvents)
        .forEach(e -> out.put(Keys.kubeEvent(cluster, e.getMetadata().getNamespace(), name(e)), event(e)));
    return out;
  }

  Payload.Namespace namespace(io.fabric8.kubernetes.api.model.Namespace ns) {
    return new Payload.Namespace(cluster, name(ns), uid(ns),
        ns.getStatus() == null ? "" : str(ns.getStatus().getPhase()), labels(ns.getMetadata()),
        created(ns.getMetadata()));
  }

  Payload.KubeNode node(Node n) {
    Map<String, String> addresses = new TreeMap<>();
    boolean ready = false;
    String kubelet = "";
    String runtime = "";
    String cpu = "";
    String memory = "";
    if (n.getStatus() != null) {
      for (NodeAddress a : nullSafe(n.getStatus().getAddresses())) {
        addresses.merge(a.getType(), a.getAddress(), (x, y) -> x + "," + y);
      }
      for (NodeCondition c : nullSafe(n.getStatus().getConditions())) {
        if ("Ready".equals(c.getType())) {
          ready = "True".equals(c.getStatus());
        }
      }
      if (n.getStatus().getNodeInfo() != null) {
        kubelet = str(n.getStatus().getNodeInfo().getKubeletVersion());
        runtime = str(n.getStatus().getNodeInfo().getContainerRuntimeVersion());
      }
      Map<String, Quantity> capacity = n.getStatus().getCapacity();
      if (capacity != null) {
        cpu = capacity.containsKey("cpu") ? capacity.get("cpu").toString() : "";
        memory = capacity.containsKey("memory") ? capacity.get("memory").toString() : "";
      }
    }
    boolean unschedulable = n.getSpec() != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable());
    return new Payload.KubeNode(cluster, name(n), uid(n), Keys.host(name(n)), addresses, ready, unschedulable,
        kubelet, runtime, cpu, memory, labels(n.getMetadata()), created(n.getMetadata()));
  }

  Payload.Pod pod(Pod p, Map<String, String> controllerOf) {
    ObjectMeta m = p.getMetadata();
    String nodeName = p.getSpec() == null ? "" : str(p.getSpec().getNodeName());
    Map<String, String> conditions = new TreeMap<>();
    List<Payload.PodContainer> containers = new ArrayList<>();
    int restarts = 0;
    String phase = "";
    String reason = "";
    String podIp = "";
    String hostIp = "";
    String qos = "";
    long started = 0;
    if (p.getStatus() != null) {
      var st = p.getStatus();
      phase = str(st.getPhase());
      reason = str(st.getReason());
      podIp = str(st.getPodIP());
      hostIp = str(st.getHostIP());
      qos = str(st.getQosClass());
      started = time(st.getStartTime());
      for (PodCondition c : nullSafe(st.getConditions())) {
        conditions.put(c.getType(), str(c.getStatus()));
      }
      for (ContainerStatus cs : nullSafe(st.getInitContainerStatuses())) {
        containers.add(container(cs, true));
      }
      for (ContainerStatus cs : nullSafe(st.getContainerStatuses())) {
        containers.add(container(cs, false));
        restarts += cs.getRestartCount() == null ? 0 : cs.getRestartCount();
      }
    }
    if (containers.isEmpty() && p.getSpec() != null) {
      // Not scheduled yet: no statuses, but the spec names the containers.
      p.getSpec().getContainers().forEach(c -> containers.add(
          new Payload.PodContainer(c.getName(), str(c.getImage()), "", "", "", false, 0, "waiting", "", false)));
    }
    List<String> owners = ownerKeys(m);
    String controller = controllerOwnerKey(p);
    for (int i = 0; i < MAX_OWNER_DEPTH && controllerOf.containsKey(controller); i++) {
      controller = controllerOf.get(controller);
    }
    return new Payload.Pod(cluster, m.getNamespace(), m.getName(), str(m.getUid()), nodeName,
        nodeName.isEmpty() ? "" : Keys.host(nodeName), podIp, hostIp, phase, reason, conditions,
        containers, restarts, labels(m), annotations(m), owners, controller,
        p.getSpec() == null ? "" : str(p.getSpec().getServiceAccountName()), qos, created(m), started);
  }

  static Payload.PodContainer container(ContainerStatus cs, boolean init) {
    String runtimeId = str(cs.getContainerID());
    String runtime = "";
    String id = runtimeId;
    int sep = runtimeId.indexOf("://");
    if (sep >= 0) {
      runtime = runtimeId.substring(0, sep);
      id = runtimeId.substring(sep + 3);
    }
    String state = "waiting";
    String reason = "";
    if (cs.getState() != null) {
      if (cs.getState().getRunning() != null) {
        state = "running";
      } else if (cs.getState().getTerminated() != null) {
        state = "terminated";
        reason = str(cs.getState().getTerminated().getReason());
      } else if (cs.getState().getWaiting() != null) {
        reason = str(cs.getState().getWaiting().getReason());
      }
    }
    return new Payload.PodContainer(cs.getName(), str(cs.getImage()), runtime, id,
        id.isEmpty() ? "" : Keys.container(id), Boolean.TRUE.equals(cs.getReady()),
        cs.getRestartCount() == null ? 0 : cs.getRestartCount(), state, reason, init);
  }

  Payload.Service service(Service s, List<Pod> namespacePods, List<EndpointSlice> slices) {
    ObjectMeta m = s.getMetadata();
    var spec = s.getSpec();
    Map<String, String> selector = spec == null || spec.getSelector() == null ? Map.of() : Map.copyOf(spec.getSelector());
    Set<String> podKeys = new LinkedHashSet<>();
    if (!selector.isEmpty()) {
      for (Pod p : namespacePods) {
        if (matches(selector, labels(p.getMetadata()))) {
          podKeys.add(Keys.pod(cluster, m.getNamespace(), name(p)));
        }
      }
    }
    int ready = 0;
    for (EndpointSlice slice : slices) {
      for (Endpoint e : nullSafe(slice.getEndpoints())) {
        ObjectReference t = e.getTargetRef();
        if (t != null && "Pod".equals(t.getKind()) && t.getName() != null) {
          podKeys.add(Keys.pod(cluster, t.getNamespace() == null ? m.getNamespace() : t.getNamespace(), t.getName()));
        }
        boolean isReady = e.getConditions() == null || !Boolean.FALSE.equals(e.getConditions().getReady());
        if (isReady) {
          ready++;
        }
      }
    }
    List<String> external = new ArrayList<>();
    List<Payload.ServicePort> ports = new ArrayList<>();
    String type = "";
    String clusterIp = "";
    if (spec != null) {
      type = str(spec.getType());
      clusterIp = str(spec.getClusterIP());
      external.addAll(nullSafe(spec.getExternalIPs()));
      if (spec.getExternalName() != null) {
        external.add(spec.getExternalName());
      }
      for (ServicePort p : nullSafe(spec.getPorts())) {
        ports.add(new Payload.ServicePort(str(p.getName()), str(p.getProtocol()), p.getPort() == null ? 0 : p.getPort(),
            targetPort(p),
            p.getNodePort() == null ? 0 : p.getNodePort()));
      }
    }
    if (s.getStatus() != null && s.getStatus().getLoadBalancer() != null) {
      for (var ingress : nullSafe(s.getStatus().getLoadBalancer().getIngress())) {
        external.add(ingress.getIp() != null ? ingress.getIp() : str(ingress.getHostname()));
      }
    }
    return new Payload.Service(cluster, m.getNamespace(), m.getName(), str(m.getUid()), type, clusterIp, external,
        ports, selector, labels(m), List.copyOf(podKeys), ready, created(m));
  }

  Payload.Workload deployment(Deployment d) {
    var spec = d.getSpec();
    var st = d.getStatus();
    return workload(d, "Deployment", spec == null ? 1 : intOr(spec.getReplicas(), 1),
        st == null ? 0 : intOr(st.getReadyReplicas(), 0), st == null ? 0 : intOr(st.getAvailableReplicas(), 0),
        st == null ? 0 : intOr(st.getUpdatedReplicas(), 0), spec == null ? null : spec.getSelector(),
        spec == null ? null : spec.getTemplate(), "", spec != null && Boolean.TRUE.equals(spec.getPaused()),
        st == null ? 0 : longOr(st.getObservedGeneration()));
  }

  Payload.Workload replicaSet(ReplicaSet r) {
    var spec = r.getSpec();
    var st = r.getStatus();
    return workload(r, "ReplicaSet", spec == null ? 1 : intOr(spec.getReplicas(), 1),
        st == null ? 0 : intOr(st.getReadyReplicas(), 0), st == null ? 0 : intOr(st.getAvailableReplicas(), 0),
        st == null ? 0 : intOr(st.getFullyLabeledReplicas(), 0), spec == null ? null : spec.getSelector(),
        spec == null ? null : spec.getTemplate(), "", false, st == null ? 0 : longOr(st.getObservedGeneration()));
  }

  Payload.Workload statefulSet(StatefulSet s) {
    var spec = s.getSpec();
    var st = s.getStatus();
    return workload(s, "StatefulSet", spec == null ? 1 : intOr(spec.getReplicas(), 1),
        st == null ? 0 : intOr(st.getReadyReplicas(), 0), st == null ? 0 : intOr(st.getAvailableReplicas(), 0),
        st == null ? 0 : intOr(st.getUpdatedReplicas(), 0), spec == null ? null : spec.getSelector(),
        spec == null ? null : spec.getTemplate(), "", false, st == null ? 0 : longOr(st.getObservedGeneration()));
  }

  Payload.Workload daemonSet(DaemonSet d) {
    var spec = d.getSpec();
    var st = d.getStatus();
    return workload(d, "DaemonSet", st == null ? 0 : intOr(st.getDesiredNumberScheduled(), 0),
        st == null ? 0 : intOr(st.getNumberReady(), 0), st == null ? 0 : intOr(st.getNumberAvailable(), 0),
        st == null ? 0 : intOr(st.getUpdatedNumberScheduled(), 0), spec == null ? null : spec.getSelector(),
        spec == null ? null : spec.getTemplate(), "", false, st == null ? 0 : longOr(st.getObservedGeneration()));
  }

  /** Desired: parallelism; ready: active pods that are ready; available: succeeded pods (of completions). */
  Payload.Workload job(Job j) {
    var spec = j.getSpec();
    var st = j.getStatus();
    boolean suspended = spec != null && Boolean.TRUE.equals(spec.getSuspend());
    boolean finished = st != null && st.getCompletionTime() != null;
    int desired = suspended || finished ? 0 : spec == null ? 1 : intOr(spec.getParallelism(), 1);
    return workload(j, "Job", desired, st == null ? 0 : intOr(st.getReady(), intOr(st.getActive(), 0)),
        st == null ? 0 : intOr(st.getSucceeded(), 0), st == null ? 0 : intOr(st.getActive(), 0),
        spec == null ? null : spec.getSelector(), spec == null ? null : spec.getTemplate(), "", suspended, 0);
  }

  /** Desired: 1 while not suspended (a schedule to keep); ready: jobs running now. */
  Payload.Workload cronJob(CronJob c) {
    var spec = c.getSpec();
    var st = c.getStatus();
    boolean suspended = spec != null && Boolean.TRUE.equals(spec.getSuspend());
    int active = st == null ? 0 : nullSafe(st.getActive()).size();
    PodTemplateSpec template = spec == null || spec.getJobTemplate() == null || spec.getJobTemplate().getSpec() == null
        ? null : spec.getJobTemplate().getSpec().getTemplate();
    return workload(c, "CronJob", suspended ? 0 : 1, active, active, 0, null, template,
        spec == null ? "" : str(spec.getSchedule()), suspended, 0);
  }

  private Payload.Workload workload(HasMetadata o, String kind, int desired, int ready, int available, int updated,
      LabelSelector selector, PodTemplateSpec template, String schedule, boolean suspended, long observedGeneration) {
    ObjectMeta m = o.getMetadata();
    Map<String, String> sel = selector == null || selector.getMatchLabels() == null ? Map.of()
        : Map.copyOf(selector.getMatchLabels());
    Map<String, String> templateAnnotations = template == null || template.getMetadata() == null ? Map.of()
        : annotations(template.getMetadata());
    return new Payload.Workload(cluster, m.getNamespace(), m.getName(), str(m.getUid()), kind, desired, ready,
        available, updated, sel, labels(m), templateAnnotations, ownerKeys(m), schedule, suspended,
        longOr(m.getGeneration()), observedGeneration, created(m));
  }

  Payload.KubeEvent event(Event e) {
    ObjectReference involved = e.getInvolvedObject();
    String kind = involved == null ? "" : str(involved.getKind());
    String objName = involved == null ? "" : str(involved.getName());
    String objNs = involved == null || involved.getNamespace() == null ? str(e.getMetadata().getNamespace())
        : involved.getNamespace();
    String objectKey = kind.isEmpty() || objName.isEmpty() ? "" : Keys.kubeObject(cluster, kind, objNs, objName);
    long last = eventLastSeen(e);
    long first = time(e.getFirstTimestamp());
    return new Payload.KubeEvent(cluster, str(e.getMetadata().getNamespace()), name(e), str(e.getType()),
        str(e.getReason()), str(e.getMessage()), kind, objName, objectKey, intOr(e.getCount(), 1),
        first == 0 ? last : first, last);
  }

  static long eventLastSeen(Event e) {
    long t = time(e.getLastTimestamp());
    if (t == 0 && e.getEventTime() != null) {
      t = time(e.getEventTime().getTime());
    }
    if (t == 0 && e.getSeries() != null && e.getSeries().getLastObservedTime() != null) {
      t = time(e.getSeries().getLastObservedTime().getTime());
    }
    return t == 0 ? created(e.getMetadata()) : t;
  }

  /** A label selector's matchLabels against labels (every pair present). */
  static boolean matches(Map<String, String> selector, Map<String, String> labels) {
    for (var e : selector.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  private List<String> ownerKeys(ObjectMeta m) {
    List<String> keys = new ArrayList<>();
    for (OwnerReference r : nullSafe(m.getOwnerReferences())) {
      String key = Keys.kubeObject(cluster, str(r.getKind()), m.getNamespace(), str(r.getName()));
      if (!key.isEmpty()) {
        keys.add(key);
      }
    }
    return keys;
  }

  /** The key of the owner marked {@code controller: true} (else the first reportable owner), or "". */
  private String controllerOwnerKey(HasMetadata o) {
    ObjectMeta m = o.getMetadata();
    String first = "";
    for (OwnerReference r : nullSafe(m.getOwnerReferences())) {
      String key = Keys.kubeObject(cluster, str(r.getKind()), m.getNamespace(), str(r.getName()));
      if (key.isEmpty()) {
        continue;
      }
      if (Boolean.TRUE.equals(r.getController())) {
        return key;
      }
      if (first.isEmpty()) {
        first = key;
      }
    }
    return first;
  }

  private void linkController(Map<String, String> controllerOf, HasMetadata o, String kind) {
    String controller = controllerOwnerKey(o);
    if (!controller.isEmpty()) {
      controllerOf.put(Keys.workload(cluster, o.getMetadata().getNamespace(), kind, name(o)), controller);
    }
  }

  private static String targetPort(ServicePort p) {
    if (p.getTargetPort() == null) {
      return "";
    }
    return p.getTargetPort().getIntVal() != null ? String.valueOf(p.getTargetPort().getIntVal())
        : str(p.getTargetPort().getStrVal());
  }

  private static String name(HasMetadata o) {
    return o.getMetadata().getName();
  }

  private static String uid(HasMetadata o) {
    return str(o.getMetadata().getUid());
  }

  static Map<String, String> labels(ObjectMeta m) {
    return m == null || m.getLabels() == null ? Map.of() : Map.copyOf(m.getLabels());
  }

  /** Annotations minus kubectl's last-applied-configuration, which repeats the whole object. */
  static Map<String, String> annotations(ObjectMeta m) {
    if (m == null || m.getAnnotations() == null || m.getAnnotations().isEmpty()) {
      return Map.of();
    }
    Map<String, String> a = new HashMap<>(m.getAnnotations());
    a.remove("kubectl.kubernetes.io/last-applied-configuration");
    return Map.copyOf(a);
  }

  private static long created(ObjectMeta m) {
    return m == null ? 0 : time(m.getCreationTimestamp());
  }

  /** RFC 3339 to epoch millis; 0 when absent or unreadable. */
  static long time(String rfc3339) {
    if (rfc3339 == null || rfc3339.isEmpty()) {
      return 0;
    }
    try {
      return Instant.parse(rfc3339).toEpochMilli();
    } catch (DateTimeParseException e) {
      try {
        return java.time.OffsetDateTime.parse(rfc3339).toInstant().toEpochMilli();
      } catch (DateTimeParseException e2) {
        return 0;
      }
    }
  }

  private static String str(String s) {
    return s == null ? "" : s;
  }

  private static int intOr(Integer i, int fallback) {
    return i == null ? fallback : i;
  }

  private static long longOr(Long l) {
    return l == null ? 0 : l;
  }

  private static <T> List<T> nullSafe(List<T> list) {
    return list == null ? List.of() : list;
  }
}
