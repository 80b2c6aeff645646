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
 * The render functions of {@link Views#REGISTRY}: pure functions from the merged model to a
 * {@link Topology}. Edges come from connections observed on the client side ({@code outbound}),
 * resolved to the other end with {@link Endpoints}; grouped views aggregate their members' edges.
 */
public final class Renderers {

  private Renderers() {}

  // ---- base views -----------------------------------------------------------------------------

  public static Topology containers(Model model) {
    Map<String, ViewNode> nodes = new HashMap<>();
    for (HostSnapshot host : model.hosts()) {
      for (Map.Entry<String, Payload> e : host.live().entrySet()) {
        if (e.getValue() instanceof Payload.Container c) {
          nodes.put(e.getKey(), containerNode(host, e.getKey(), c));
        }
      }
    }
    Endpoints endpoints = Endpoints.of(model);
    return assemble(nodes, edges(model, endpoints, owner -> owner.containerId() == null ? null
        : Keys.container(owner.containerId()), nodes.keySet()));
  }

  public static Topology processes(Model model) {
    Map<String, ViewNode> nodes = new HashMap<>();
    for (HostSnapshot host : model.hosts()) {
      for (Map.Entry<String, Payload> e : host.live().entrySet()) {
        if (e.getValue() instanceof Payload.Process p) {
          nodes.put(e.getKey(), processNode(host, e.getKey(), p));
        }
      }
    }
    Endpoints endpoints = Endpoints.of(model);
    return assemble(nodes, edges(model, endpoints, owner -> owner.pid() <= 0 ? null
        : Keys.process(owner.hostId(), owner.pid()), nodes.keySet()));
  }

  public static Topology hosts(Model model) {
    Map<String, ViewNode> nodes = new HashMap<>();
    for (HostSnapshot host : model.hosts()) {
      nodes.put(Keys.host(host.hostId()), hostNode(host));
    }
    Endpoints endpoints = Endpoints.of(model);
    return assemble(nodes, edges(model, endpoints, owner -> Keys.host(owner.hostId()), nodes.keySet()));
  }

  // ---- grouped views --------------------------------------------------------------------------

  public static Topology containersByImage(Model model) {
    return groupContainers(model, "image", Facts::imageName);
  }

  public static Topology containersByHostname(Model model) {
    return groupContainers(model, "dns", Facts::containerHostname);
  }

  public static Topology processesByName(Model model) {
    Topology base = processes(model);
    Map<String, String> groupOf = new HashMap<>();
    Map<String, String> labelOf = new HashMap<>();
    for (HostSnapshot host : model.hosts()) {
      for (Map.Entry<String, Payload> e : host.live().entrySet()) {
        if (e.getValue() instanceof Payload.Process p) {
          String label = Facts.processLabel(p);
          String group = "process-name:" + label;
          groupOf.put(e.getKey(), group);
          labelOf.put(group, label);
        }
      }
    }
    return group(base, groupOf, labelOf, "process", "square-stack", "processes");
  }

  private static Topology groupContainers(Model model, String prefix, Function<Payload.Container, String> key) {
    Topology base = containers(model);
    Map<String, String> groupOf = new HashMap<>();
    Map<String, String> labelOf = new HashMap<>();
    for (HostSnapshot host : model.hosts()) {
      for (Map.Entry<String, Payload> e : host.live().entrySet()) {
        if (e.getValue() instanceof Payload.Container c) {
          String label = key.apply(c);
          String group = prefix + ":" + label;
          groupOf.put(e.getKey(), group);
          labelOf.put(group, label);
        }
      }
    }
    return group(base, groupOf, labelOf, "container", "hexagon-stack", "containers");
  }

  /** Aggregates member nodes into groups: counts, summed metrics, worst status, merged edges. */
  static Topology group(Topology base, Map<String, String> groupOf, Map<String, String> labelOf, String kind,
      String shape, String noun) {
    Map<String, List<ViewNode>> members = new TreeMap<>();
    for (ViewNode n : base.nodes()) {
      String g = groupOf.get(n.id());
      if (g != null) {
        members.computeIfAbsent(g, x -> new ArrayList<>()).add(n);
      }
    }
    Map<String, ViewNode> nodes = new HashMap<>();
    members.forEach((g, list) -> {
      Map<String, Double> metrics = new TreeMap<>();
      String status = "healthy";
      boolean anyRunning = false;
      boolean allSystem = true;
      Set<String> hosts = new java.util.TreeSet<>();
      Set<String> namespaces = new java.util.TreeSet<>();
      int stale = 0;
      for (ViewNode m : list) {
        m.metrics().forEach((k, v) -> metrics.merge(k, v, Double::sum));
        status = Facts.worst(status, m.status());
        anyRunning |= m.running();
        allSystem &= m.system();
        hosts.add(m.hostId());
        if (m.namespace() != null) {
          namespaces.add(m.namespace());
        }
        stale += "stale".equals(m.status()) ? 1 : 0;
      }
      if (stale == list.size()) {
        status = "stale";
      } else if ("stale".equals(status)) {
        status = "healthy";
      }
      String minor = list.size() + " " + (list.size() == 1 ? noun.substring(0, noun.length() - 1) : noun)
          + (hosts.size() > 1 ? " on " + hosts.size() + " hosts" : "");
      nodes.put(g, new ViewNode(g, labelOf.get(g), minor, shape, status, kind,
          hosts.size() == 1 ? hosts.iterator().next() : null, list.size(), metrics, anyRunning, allSystem, Map.of(),
          namespaces.size() == 1 ? namespaces.iterator().next() : null));
    });
    Map<String, Acc> edges = new HashMap<>();
    for (ViewEdge e : base.edges()) {
      String s = groupOf.get(e.source());
      String t = groupOf.get(e.target());
      if (s != null && t != null && !s.equals(t)) {
        edges.computeIfAbsent(s + "->" + t, x -> new Acc(s, t, new int[1])).count()[0] += e.connections();
      }
    }
    return assemble(nodes, edges);
  }

  // ---- nodes ----------------------------------------------------------------------------------

  static ViewNode containerNode(HostSnapshot host, String key, Payload.Container c) {
    Map<String, Double> metrics = host.metricsOf(key);
    return new ViewNode(key, Facts.containerName(c), host.hostname(), "hexagon", Facts.status(host, metrics, c),
        "container", host.hostId(), 1,
        Facts.summary(metrics, "cpu_percent", "memory_bytes", "net_rx_bytes_per_s", "net_tx_bytes_per_s"),
        Facts.running(c), Facts.system(c), new TreeMap<>(Facts.labels(c)), Facts.namespace(c));
  }

  static ViewNode processNode(HostSnapshot host, String key, Payload.Process p) {
    Map<String, Double> metrics = host.metricsOf(key);
    return new ViewNode(key, Facts.processLabel(p), host.hostname() + " (" + p.pid() + ")", "square",
        Facts.status(host, metrics, p), "process", host.hostId(), 1,
        Facts.summary(metrics, "cpu_percent", "rss_bytes", "memory_bytes"), Facts.running(p), Facts.system(p),
        Map.of(), null);
  }

  static ViewNode hostNode(HostSnapshot host) {
    int containers = 0;
    int processes = 0;
    for (Payload p : host.live().values()) {
      if (p instanceof Payload.Container) {
        containers++;
      } else if (p instanceof Payload.Process) {
        processes++;
      }
    }
    String key = Keys.host(host.hostId());
    Map<String, Double> metrics = host.metricsOf(key);
    Payload.Host h = host.host();
    return new ViewNode(key, host.hostname(), containers + " containers, " + processes + " processes", "circle",
        Facts.status(host, metrics, h), "host", host.hostId(), 1,
        Facts.summary(metrics, "cpu_percent", "memory_bytes", "net_rx_bytes_per_s", "net_tx_bytes_per_s"),
        true, false, Map.of(), null);
  }

  // ---- edges ----------------------------------------------------------------------------------

  /** An edge being summed up. */
  private record Acc(String source, String target, int[] count) {}

  private static Map<String, Acc> edges(Model model, Endpoints endpoints,
      Function<Endpoints.Owner, String> nodeOf, Set<String> existing) {
    Map<String, Acc> edges = new HashMap<>();
    for (HostSnapshot host : model.hosts()) {
      for (Payload p : host.live().values()) {
        if (!(p instanceof Payload.Connection c) || !c.outbound()) {
          continue;
        }
        String source = nodeOf.apply(new Endpoints.Owner(host.hostId(), Endpoints.blankToNull(c.containerId()), c.pid()));
        if (source == null || !existing.contains(source)) {
          continue;
        }
        Endpoints.Owner owner = endpoints.resolve(host.hostId(), c.remoteAddress(), c.remotePort());
        if (owner == null) {
          continue;
        }
        String target = nodeOf.apply(owner);
        if (target == null || target.equals(source) || !existing.contains(target)) {
          continue;
        }
        edges.computeIfAbsent(source + "->" + target, x -> new Acc(source, target, new int[1])).count()[0]
            += Math.max(1, c.count());
      }
    }
    return edges;
  }

  private static Topology assemble(Map<String, ViewNode> nodes, Map<String, Acc> edges) {
    List<ViewNode> nodeList = new ArrayList<>(nodes.values());
    nodeList.sort(Comparator.comparing(ViewNode::id));
    List<ViewEdge> edgeList = new ArrayList<>(edges.size());
    edges.forEach((id, acc) -> edgeList.add(new ViewEdge(id, acc.source(), acc.target(), acc.count()[0])));
    edgeList.sort(Comparator.comparing(ViewEdge::id));
    return new Topology(List.copyOf(nodeList), List.copyOf(edgeList));
  }
}
