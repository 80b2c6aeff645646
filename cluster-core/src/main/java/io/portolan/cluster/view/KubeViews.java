package io.portolan.cluster.view;

import io.portolan.cluster.topology.HostSnapshot;
import io.portolan.cluster.topology.TopologyStore.Model;
import io.portolan.protocol.Keys;
import io.portolan.protocol.Payload;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The Kubernetes views ({@code pods}, {@code services}, {@code deployments}, {@code namespaces}),
 * pure functions of the merged model. Kubernetes objects come from the one agent that holds the
 * cluster's watcher lease; containers and connections from the agents on every node. Pods are joined
 * to containers by runtime id and to traffic by container or pod IP; pod edges roll up to services,
 * controllers and namespaces.
 */
final class KubeViews {

  private KubeViews() {}

  /** Whether any host reports Kubernetes objects: the views are listed only then. */
  static boolean present(Model model) {
    for (HostSnapshot host : model.hosts()) {
      for (Payload p : host.live().values()) {
        if (p instanceof Payload.Pod || p instanceof Payload.Namespace || p instanceof Payload.Workload) {
          return true;
        }
      }
    }
    return false;
  }

  // ---- renderers ------------------------------------------------------------------------------

  static Topology pods(Model model) {
    Index ix = Index.of(model);
    Map<String, ViewNode> nodes = new HashMap<>();
    ix.pods.forEach((key, pod) -> nodes.put(key, podNode(key, pod, ix)));
    return assemble(nodes, ix.podEdges, key -> key);
  }

  static Topology services(Model model) {
    Index ix = Index.of(model);
    Map<String, ViewNode> nodes = new HashMap<>();
    ix.services.forEach((key, s) -> {
      boolean ready = s.readyEndpoints() > 0 || "ExternalName".equals(s.type());
      String status = ready ? "healthy" : s.podKeys() == null || s.podKeys().isEmpty() ? "warning" : "critical";
      nodes.put(key, new ViewNode(key, s.name(), s.namespace() + " · " + s.type() + " " + nullToEmpty(s.clusterIp()),
          "heptagon", ix.stale(key, status), "service", ix.hostOf.get(key), 1, Map.of(), true, false,
          labels(s.labels()), s.namespace()));
    });
    Map<String, int[]> edges = new HashMap<>();
    ix.podEdges.forEach((edge, count) -> {
      String[] ends = edge.split("->", 2);
      for (String from : ix.servicesOfPod.getOrDefault(ends[0], List.of())) {
        for (String to : ix.servicesOfPod.getOrDefault(ends[1], List.of())) {
          add(edges, from, to, count[0]);
        }
      }
    });
    ix.podToService.forEach((edge, count) -> {
      String[] ends = edge.split("->", 2);
      for (String from : ix.servicesOfPod.getOrDefault(ends[0], List.of())) {
        add(edges, from, ends[1], count[0]);
      }
    });
    return assemble(nodes, edges, key -> key);
  }

  static Topology deployments(Model model) {
    Index ix = Index.of(model);
    Map<String, ViewNode> nodes = new HashMap<>();
    ix.workloads.forEach((key, w) -> {
      if (!ix.rollUp(key).equals(key)) {
        return; // an owned ReplicaSet or Job: part of its Deployment or CronJob
      }
      String status = w.desired() == 0 || w.ready() >= w.desired() ? "healthy" : w.ready() == 0 ? "critical" : "warning";
      nodes.put(key, new ViewNode(key, w.name(), w.namespace() + " · " + w.kind() + " " + w.ready() + "/" + w.desired(),
          "triangle", ix.stale(key, status), "workload", ix.hostOf.get(key), 1, Map.of(), w.desired() > 0,
          false, labels(w.labels()), w.namespace()));
    });
    return assemble(nodes, ix.podEdges, pod -> {
      Payload.Pod p = ix.pods.get(pod);
      return p == null || p.controllerKey() == null || p.controllerKey().isBlank() ? null : ix.rollUp(p.controllerKey());
    });
  }

  static Topology namespaces(Model model) {
    Index ix = Index.of(model);
    Map<String, ViewNode> nodes = new HashMap<>();
    ix.namespaces.forEach((key, ns) -> {
      long pods = ix.pods.values().stream().filter(p -> ns.name().equals(p.namespace())).count();
      long failing = ix.pods.values().stream().filter(p -> ns.name().equals(p.namespace()))
          .filter(p -> "Failed".equals(p.phase()) || "Pending".equals(p.phase())).count();
      String status = !"Active".equals(ns.phase()) ? "warning" : failing > 0 ? "warning" : "healthy";
      nodes.put(key, new ViewNode(key, ns.name(), pods + " pods", "square", ix.stale(key, status), "namespace",
          ix.hostOf.get(key), 1, Map.of(), "Active".equals(ns.phase()), ns.name().startsWith("kube-"),
          labels(ns.labels()), ns.name()));
    });
    return assemble(nodes, ix.podEdges, pod -> {
      Payload.Pod p = ix.pods.get(pod);
      return p == null ? null : ix.namespaceKey(p.cluster(), p.namespace());
    });
  }

  private static ViewNode podNode(String key, Payload.Pod pod, Index ix) {
    boolean allReady = pod.containers() != null && !pod.containers().isEmpty()
        && pod.containers().stream().filter(c -> !c.init()).allMatch(Payload.PodContainer::ready);
    boolean crashing = pod.containers() != null && pod.containers().stream()
        .anyMatch(c -> "CrashLoopBackOff".equals(c.reason()) || "ImagePullBackOff".equals(c.reason()));
    String status = switch (nullToEmpty(pod.phase())) {
      case "Running" -> crashing ? "critical" : allReady ? "healthy" : "warning";
      case "Succeeded" -> "healthy";
      case "Failed" -> "critical";
      default -> crashing ? "critical" : "warning";
    };
    Map<String, Double> metrics = new TreeMap<>();
    if (pod.containers() != null) {
      for (Payload.PodContainer c : pod.containers()) {
        HostSnapshot host = ix.hostOfContainer.get(c.containerKey());
        if (host != null) {
          host.metricsOf(c.containerKey()).forEach((m, v) -> {
            if (m.equals("cpu_percent") || m.equals("memory_bytes")) {
              metrics.merge(m, v, Double::sum);
            }
          });
        }
      }
    }
    return new ViewNode(key, pod.name(), pod.namespace() + " · " + nullToEmpty(pod.nodeName()), "hexagon",
        ix.stale(key, status), "pod", ix.hostOf.get(key), 1, metrics, "Running".equals(pod.phase()),
        pod.namespace() != null && pod.namespace().startsWith("kube-"), labels(pod.labels()), pod.namespace());
  }

  // ---- details --------------------------------------------------------------------------------

  /** The detail of a Kubernetes node, or null when {@code payload} is not a Kubernetes object. */
  static NodeDetail detail(ViewDesc view, ViewNode node, Model model, Payload payload) {
    if (!(payload instanceof Payload.Pod || payload instanceof Payload.Service || payload instanceof Payload.Workload
        || payload instanceof Payload.Namespace)) {
      return null; // before building the index: every container and process detail passes through here
    }
    List<NodeDetail.Row> rows = new ArrayList<>();
    List<NodeDetail.Ref> parents = new ArrayList<>();
    List<NodeDetail.Ref> children = new ArrayList<>();
    Map<String, String> labels = node.labels();
    Index ix = Index.of(model);
    if (payload instanceof Payload.Pod p) {
      row(rows, "namespace", "Namespace", p.namespace());
      row(rows, "phase", "Phase", p.phase());
      row(rows, "reason", "Reason", p.reason());
      row(rows, "node", "Node", p.nodeName());
      row(rows, "pod_ip", "Pod IP", p.podIp());
      row(rows, "restarts", "Restarts", Integer.toString(p.restarts()));
      row(rows, "qos", "QoS class", p.qosClass());
      row(rows, "controller", "Controller", p.controllerKey());
      if (p.conditions() != null) {
        p.conditions().forEach((type, value) -> row(rows, "condition_" + type, type, value));
      }
      if (p.hostKey() != null && !p.hostKey().isBlank()) {
        parents.add(new NodeDetail.Ref(p.hostKey(), p.nodeName(), "host", "hosts"));
      }
      if (p.controllerKey() != null && !p.controllerKey().isBlank()) {
        String top = ix.rollUp(p.controllerKey());
        parents.add(new NodeDetail.Ref(top, top.substring(top.lastIndexOf('/') + 1), "workload", "deployments"));
      }
      for (String service : ix.servicesOfPod.getOrDefault(node.id(), List.of())) {
        parents.add(new NodeDetail.Ref(service, service.substring(service.lastIndexOf('/') + 1), "service", "services"));
      }
      if (p.containers() != null) {
        for (Payload.PodContainer c : p.containers()) {
          if (c.containerKey() != null && !c.containerKey().isBlank()) {
            children.add(new NodeDetail.Ref(c.containerKey(), c.name() + " (" + c.image() + ")", "container",
                "containers"));
          }
          row(rows, "container_" + c.name(), "Container " + c.name(), c.state() + (c.ready() ? ", ready" : "")
              + (c.restartCount() > 0 ? ", " + c.restartCount() + " restarts" : ""));
        }
      }
    } else if (payload instanceof Payload.Service s) {
      row(rows, "namespace", "Namespace", s.namespace());
      row(rows, "type", "Type", s.type());
      row(rows, "cluster_ip", "Cluster IP", s.clusterIp());
      row(rows, "ready_endpoints", "Ready endpoints", Integer.toString(s.readyEndpoints()));
      if (s.ports() != null) {
        row(rows, "ports", "Ports", String.join(", ", s.ports().stream()
            .map(p -> p.port() + "/" + p.protocol() + (p.targetPort() == null ? "" : "→" + p.targetPort())).toList()));
      }
      if (s.selector() != null && !s.selector().isEmpty()) {
        row(rows, "selector", "Selector", new TreeMap<>(s.selector()).toString());
      }
      for (String pod : s.podKeys() == null ? List.<String>of() : s.podKeys()) {
        children.add(new NodeDetail.Ref(pod, pod.substring(pod.lastIndexOf('/') + 1), "pod", "pods"));
      }
    } else if (payload instanceof Payload.Workload w) {
      row(rows, "namespace", "Namespace", w.namespace());
      row(rows, "kind", "Kind", w.kind());
      row(rows, "desired", "Desired", Integer.toString(w.desired()));
      row(rows, "ready", "Ready", Integer.toString(w.ready()));
      row(rows, "updated", "Updated", Integer.toString(w.updated()));
      row(rows, "schedule", "Schedule", w.schedule());
      row(rows, "suspended", "Suspended", w.suspended() ? "yes" : null);
      ix.pods.forEach((podKey, pod) -> {
        if (pod.controllerKey() != null && ix.rollUp(pod.controllerKey()).equals(node.id())) {
          children.add(new NodeDetail.Ref(podKey, pod.name(), "pod", "pods"));
        }
      });
    } else if (payload instanceof Payload.Namespace ns) {
      row(rows, "phase", "Phase", ns.phase());
      ix.pods.forEach((podKey, pod) -> {
        if (ns.name().equals(pod.namespace())) {
          children.add(new NodeDetail.Ref(podKey, pod.name(), "pod", "pods"));
        }
      });
    }
    children.sort(Comparator.comparing(NodeDetail.Ref::id));
    return new NodeDetail(view.name(), node, node.hostId(), node.id(), rows, labels, parents, children, List.of(),
        List.of(), List.of());
  }

  // ---- the index ------------------------------------------------------------------------------

  /** Everything the views join on, built once per render from the model. */
  private static final class Index {
    final Map<String, Payload.Pod> pods = new HashMap<>();
    final Map<String, Payload.Service> services = new HashMap<>();
    final Map<String, Payload.Workload> workloads = new HashMap<>();
    final Map<String, Payload.Namespace> namespaces = new HashMap<>();
    final Map<String, String> hostOf = new HashMap<>();
    final Map<String, Boolean> staleHost = new HashMap<>();
    final Map<String, HostSnapshot> hostOfContainer = new HashMap<>();
    final Map<String, String> podOfContainer = new HashMap<>();
    final Map<String, String> podOfIp = new HashMap<>();
    final Map<String, String> serviceOfVip = new HashMap<>();
    final Map<String, List<String>> servicesOfPod = new HashMap<>();
    final Map<String, int[]> podEdges = new HashMap<>();
    final Map<String, int[]> podToService = new HashMap<>();

    static Index of(Model model) {
      Index ix = new Index();
      for (HostSnapshot host : model.hosts()) {
        boolean stale = host.status() != io.portolan.cluster.topology.HostStatus.LIVE;
        host.live().forEach((key, p) -> {
          if (p instanceof Payload.Container) {
            ix.hostOfContainer.put(key, host);
            return;
          }
          if (p instanceof Payload.Pod pod) {
            ix.pods.put(key, pod);
          } else if (p instanceof Payload.Service s) {
            ix.services.put(key, s);
          } else if (p instanceof Payload.Workload w) {
            ix.workloads.put(key, w);
          } else if (p instanceof Payload.Namespace ns) {
            ix.namespaces.put(key, ns);
          } else {
            return;
          }
          ix.hostOf.put(key, host.hostId());
          ix.staleHost.put(key, stale);
        });
      }
      ix.pods.forEach((key, pod) -> {
        if (pod.containers() != null) {
          pod.containers().forEach(c -> {
            if (c.containerKey() != null && !c.containerKey().isBlank()) {
              ix.podOfContainer.put(c.containerKey(), key);
            }
          });
        }
        if (pod.podIp() != null && !pod.podIp().isBlank() && !pod.podIp().equals(pod.hostIp())) {
          ix.podOfIp.put(pod.podIp(), key);
        }
      });
      ix.services.forEach((key, s) -> {
        if (s.clusterIp() != null && !s.clusterIp().isBlank() && s.ports() != null) {
          s.ports().forEach(port -> ix.serviceOfVip.put(s.clusterIp() + ":" + port.port(), key));
        }
        if (s.podKeys() != null) {
          s.podKeys().forEach(pod -> ix.servicesOfPod.computeIfAbsent(pod, x -> new ArrayList<>()).add(key));
        }
      });
      if (!ix.pods.isEmpty()) {
        ix.connect(model);
      }
      return ix;
    }

    /** Pod → pod and pod → service edges from every agent's outbound connections. */
    private void connect(Model model) {
      Endpoints endpoints = Endpoints.of(model);
      for (HostSnapshot host : model.hosts()) {
        for (Payload p : host.live().values()) {
          if (!(p instanceof Payload.Connection c) || !c.outbound()) {
            continue;
          }
          String source = c.containerId() == null ? null : podOfContainer.get(Keys.container(c.containerId()));
          if (source == null) {
            source = podOfIp.get(Facts.bareIp(c.localAddress()));
          }
          if (source == null) {
            continue;
          }
          String ip = Facts.bareIp(c.remoteAddress());
          String service = serviceOfVip.get(ip + ":" + c.remotePort());
          if (service != null) {
            add(podToService, source, service, Math.max(1, c.count()));
            continue;
          }
          String target = podOfIp.get(ip);
          if (target == null) {
            Endpoints.Owner owner = endpoints.resolve(host.hostId(), c.remoteAddress(), c.remotePort());
            target = owner == null || owner.containerId() == null ? null
                : podOfContainer.get(Keys.container(owner.containerId()));
          }
          if (target != null && !target.equals(source)) {
            add(podEdges, source, target, Math.max(1, c.count()));
          }
        }
      }
    }

    /** A ReplicaSet's Deployment, a Job's CronJob; anything else is its own top. */
    String rollUp(String workloadKey) {
      Payload.Workload w = workloads.get(workloadKey);
      if (w == null || w.ownerKeys() == null) {
        return workloadKey;
      }
      for (String owner : w.ownerKeys()) {
        if (workloads.containsKey(owner)) {
          return owner;
        }
      }
      return workloadKey;
    }

    String namespaceKey(String cluster, String namespace) {
      for (Map.Entry<String, Payload.Namespace> e : namespaces.entrySet()) {
        if (e.getValue().name().equals(namespace) && java.util.Objects.equals(e.getValue().cluster(), cluster)) {
          return e.getKey();
        }
      }
      return null;
    }

    String stale(String key, String status) {
      return Boolean.TRUE.equals(staleHost.get(key)) ? "stale" : status;
    }
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static Topology assemble(Map<String, ViewNode> nodes, Map<String, int[]> podEdges,
      Function<String, String> nodeOfPod) {
    Map<String, int[]> edges = new HashMap<>();
    podEdges.forEach((edge, count) -> {
      String[] ends = edge.split("->", 2);
      String from = nodeOfPod.apply(ends[0]);
      String to = nodeOfPod.apply(ends[1]);
      if (from != null && to != null && !from.equals(to) && nodes.containsKey(from) && nodes.containsKey(to)) {
        add(edges, from, to, count[0]);
      }
    });
    List<ViewNode> nodeList = new ArrayList<>(nodes.values());
    nodeList.sort(Comparator.comparing(ViewNode::id));
    List<ViewEdge> edgeList = new ArrayList<>();
    edges.forEach((id, count) -> {
      String[] ends = id.split("->", 2);
      edgeList.add(new ViewEdge(id, ends[0], ends[1], count[0]));
    });
    edgeList.sort(Comparator.comparing(ViewEdge::id));
    return new Topology(List.copyOf(nodeList), List.copyOf(edgeList));
  }

  private static void add(Map<String, int[]> edges, String from, String to, int count) {
    edges.computeIfAbsent(from + "->" + to, x -> new int[1])[0] += count;
  }

  private static Map<String, String> labels(Map<String, String> labels) {
    return labels == null ? Map.of() : new TreeMap<>(labels);
  }

  private static void row(List<NodeDetail.Row> rows, String id, String label, String value) {
    if (value != null && !value.isBlank()) {
      rows.add(new NodeDetail.Row(id, label, value));
    }
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  static final Set<String> NAMES = Set.of("pods", "services", "deployments", "namespaces");
}
