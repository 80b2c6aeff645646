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
    return base(model, CONTAINER_NODES::of, CONTAINER_EDGES, CONTAINER_ORDER, CONTAINER_LAST);
  }

  public static Topology processes(Model model) {
    return base(model, PROCESS_NODES::of, PROCESS_EDGES, PROCESS_ORDER, PROCESS_LAST);
  }

  public static Topology hosts(Model model) {
    return base(model, host -> List.of(hostNode(host)), HOST_EDGES, HOST_ORDER, HOST_LAST);
  }

  /**
   * A base view: each host's nodes, and edges from its resolved outbound connections. When the
   * last render was of the same hosts with the same endpoint index, and the hosts that changed
   * since kept their node ids and edges (metrics moved, a container was renamed, a process
   * restarted without touching this view's ids), the render is the last one with those hosts'
   * nodes put in their places: no map of every id is built again. Otherwise it is made whole.
   */
  private static Topology base(Model model, Function<HostSnapshot, List<ViewNode>> nodesOf, EdgeMemo edgeMemo,
      Order order, Last last) {
    Endpoints endpoints = Endpoints.of(model);
    synchronized (last) {
      Topology quick = last.patched(model, endpoints, nodesOf, edgeMemo);
      if (quick != null) {
        return quick;
      }
      List<List<ViewNode>> nodesByHost = new ArrayList<>(model.hosts().size());
      Map<String, ViewNode> nodes = new HashMap<>();
      for (HostSnapshot host : model.hosts()) {
        List<ViewNode> hostNodes = nodesOf.apply(host);
        nodesByHost.add(hostNodes);
        for (ViewNode n : hostNodes) {
          nodes.put(n.id(), n);
        }
      }
      List<HostEdges> edgesByHost = new ArrayList<>(model.hosts().size());
      Topology t = assemble(nodes, edges(model, endpoints, edgeMemo, nodes.keySet(), edgesByHost), order);
      last.remember(model, endpoints, nodesByHost, edgesByHost, t);
      return t;
    }
  }

  /** A base view's last render and what it was made of (see {@link #base}). */
  static final class Last {
    private List<HostSnapshot> hosts = List.of();
    private Endpoints endpoints;
    private List<List<ViewNode>> nodesByHost = List.of();
    private List<HostEdges> edgesByHost = List.of();
    private Topology topology;
    /** No two hosts made a node with the same id (else the later one won, and a patch could not tell). */
    private boolean unique;
    /**
     * Every node id some host's resolved connections name as an end (whether or not that node
     * exists): a node with such an id that comes or goes changes the edges, so no patch then.
     */
    private Set<String> edgeEnds = Set.of();

    void remember(Model model, Endpoints index, List<List<ViewNode>> nodes, List<HostEdges> edges, Topology t) {
      Set<String> ends = new java.util.HashSet<>();
      for (HostEdges he : edges) {
        for (HostEdge e : he.edges()) {
          ends.add(e.source());
          ends.add(e.target());
        }
      }
      remember(model, index, nodes, edges, t, ends);
    }

    private void remember(Model model, Endpoints index, List<List<ViewNode>> nodes, List<HostEdges> edges, Topology t,
        Set<String> ends) {
      hosts = model.hosts();
      endpoints = index;
      nodesByHost = nodes;
      edgesByHost = edges;
      topology = t;
      edgeEnds = ends;
      int made = 0;
      for (List<ViewNode> hostNodes : nodes) {
        made += hostNodes.size();
      }
      unique = made == t.nodes().size();
    }

    /**
     * The last render with the changed hosts' nodes put in place, or null when it must be made
     * whole: the hosts are not the same, the endpoint index changed, a host's edges changed, or a
     * node id that came or went is an end of some connection. Node ids that come and go otherwise
     * (a process restarted with a new pid) are merged into the sorted list.
     */
    Topology patched(Model model, Endpoints index, Function<HostSnapshot, List<ViewNode>> nodesOf, EdgeMemo edgeMemo) {
      if (topology == null || !unique || index != endpoints || model.hosts().size() != hosts.size()) {
        return null;
      }
      List<HostSnapshot> now = model.hosts();
      List<List<ViewNode>> nextNodes = null;
      List<HostEdges> nextEdges = null;
      for (int i = 0; i < now.size(); i++) {
        HostSnapshot host = now.get(i);
        HostSnapshot before = hosts.get(i);
        if (host == before) {
          continue;
        }
        if (!host.hostId().equals(before.hostId())) {
          return null;
        }
        List<ViewNode> fresh = nodesOf.apply(host);
        List<ViewNode> old = nodesByHost.get(i);
        if (fresh != old && !sameIds(fresh, old) && touchesEdges(fresh, old)) {
          return null;
        }
        HostEdges edges = hostEdgesOf(host, index, edgeMemo);
        if (edges != edgesByHost.get(i) && !edges.edges().equals(edgesByHost.get(i).edges())) {
          return null;
        }
        if (nextNodes == null) {
          nextNodes = new ArrayList<>(nodesByHost);
          nextEdges = new ArrayList<>(edgesByHost);
        }
        nextNodes.set(i, fresh);
        nextEdges.set(i, edges);
      }
      if (nextNodes == null) {
        hosts = now;
        return topology;
      }
      List<ViewNode> current = topology.nodes();
      ViewNode[] nodes = current.toArray(new ViewNode[0]);
      Set<String> removed = null;
      List<ViewNode> added = null;
      for (int i = 0; i < now.size(); i++) {
        List<ViewNode> fresh = nextNodes.get(i);
        List<ViewNode> old = nodesByHost.get(i);
        if (fresh == old) {
          continue;
        }
        Set<String> oldIds = null;
        if (!sameIds(fresh, old)) {
          oldIds = new java.util.HashSet<>(old.size() * 2);
          for (ViewNode n : old) {
            oldIds.add(n.id());
          }
          Set<String> freshIds = new java.util.HashSet<>(fresh.size() * 2);
          for (ViewNode n : fresh) {
            freshIds.add(n.id());
          }
          for (String id : oldIds) {
            if (!freshIds.contains(id)) {
              if (removed == null) {
                removed = new java.util.HashSet<>();
              }
              removed.add(id);
            }
          }
        }
        for (ViewNode n : fresh) {
          if (oldIds != null && !oldIds.contains(n.id())) {
            if (added == null) {
              added = new ArrayList<>();
            }
            added.add(n);
            continue;
          }
          int at = indexOf(current, n.id());
          if (at < 0) {
            return null; // a node of a host that had it hidden (a duplicate id elsewhere): make it whole
          }
          nodes[at] = n;
        }
      }
      List<ViewNode> list;
      if (removed == null && added == null) {
        list = List.of(nodes);
      } else {
        list = merged(nodes, removed == null ? Set.of() : removed, added == null ? List.of() : added);
        if (list == null) {
          return null; // a new id that another host has too: make it whole
        }
      }
      remember(model, index, nextNodes, nextEdges, new Topology(list, topology.edges()), edgeEnds);
      return topology;
    }

    /** Whether an id that is in one of the lists and not in the other is an end of some connection. */
    private boolean touchesEdges(List<ViewNode> fresh, List<ViewNode> old) {
      for (ViewNode n : fresh) {
        if (edgeEnds.contains(n.id())) {
          return !sameIdSet(fresh, old, true);
        }
      }
      for (ViewNode n : old) {
        if (edgeEnds.contains(n.id())) {
          return !sameIdSet(fresh, old, true);
        }
      }
      return false;
    }

    /** Whether the ids that are edge ends are the same in both lists ({@code endsOnly}) or all ids are. */
    private boolean sameIdSet(List<ViewNode> a, List<ViewNode> b, boolean endsOnly) {
      Set<String> x = new java.util.HashSet<>();
      for (ViewNode n : a) {
        if (!endsOnly || edgeEnds.contains(n.id())) {
          x.add(n.id());
        }
      }
      Set<String> y = new java.util.HashSet<>();
      for (ViewNode n : b) {
        if (!endsOnly || edgeEnds.contains(n.id())) {
          y.add(n.id());
        }
      }
      return x.equals(y);
    }

    /** The place of {@code id} in {@code sorted} (sorted by id), or a negative number. */
    static int indexOf(List<ViewNode> sorted, String id) {
      int lo = 0;
      int hi = sorted.size() - 1;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        int c = sorted.get(mid).id().compareTo(id);
        if (c < 0) {
          lo = mid + 1;
        } else if (c > 0) {
          hi = mid - 1;
        } else {
          return mid;
        }
      }
      return -1;
    }

    /** {@code nodes} (sorted by id) without {@code removed}, with {@code added} merged in; null on a duplicate id. */
    private static List<ViewNode> merged(ViewNode[] nodes, Set<String> removed, List<ViewNode> added) {
      List<ViewNode> in = new ArrayList<>(added);
      in.sort(Comparator.comparing(ViewNode::id));
      List<ViewNode> out = new ArrayList<>(nodes.length + in.size());
      int j = 0;
      for (ViewNode n : nodes) {
        if (removed.contains(n.id())) {
          continue;
        }
        while (j < in.size() && in.get(j).id().compareTo(n.id()) < 0) {
          out.add(in.get(j++));
        }
        if (j < in.size() && in.get(j).id().equals(n.id())) {
          return null;
        }
        out.add(n);
      }
      while (j < in.size()) {
        if (j > 0 && in.get(j).id().equals(in.get(j - 1).id())) {
          return null;
        }
        out.add(in.get(j++));
      }
      for (int k = 1; k < in.size(); k++) {
        if (in.get(k).id().equals(in.get(k - 1).id())) {
          return null;
        }
      }
      return List.copyOf(out);
    }

    /** Forgets the last render (tests compare a patched render with a whole one). */
    synchronized void clear() {
      topology = null;
    }

    private static boolean sameIds(List<ViewNode> a, List<ViewNode> b) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!a.get(i).id().equals(b.get(i).id())) {
          return false;
        }
      }
      return true;
    }
  }

  static final Last CONTAINER_LAST = new Last();
  static final Last PROCESS_LAST = new Last();
  static final Last HOST_LAST = new Last();

  // ---- memos ----------------------------------------------------------------------------------

  /**
   * Per host, what a view made of the host's last snapshot, reused while the snapshot is the same
   * object (snapshots are immutable, and the read model replaces a host's snapshot when anything
   * of it changes): at a thousand hosts a render recomputes only the hosts that changed since the
   * last one. Memoisation keeps the render functions pure; a memo holds one entry per host.
   */
  static final class HostMemo<V> {
    private record Memo<V>(HostSnapshot input, V value) {}

    /** Makes the value of {@code host}; {@code before} and {@code previous}: the last input and value, or null. */
    interface Maker<V> {
      V make(HostSnapshot host, HostSnapshot before, V previous);
    }

    private final Map<String, Memo<V>> byHost = new java.util.concurrent.ConcurrentHashMap<>();
    private final Maker<V> make;

    HostMemo(Function<HostSnapshot, V> make) {
      this((host, before, previous) -> make.apply(host));
    }

    HostMemo(Maker<V> make) {
      this.make = make;
    }

    V of(HostSnapshot host) {
      Memo<V> m = byHost.get(host.hostId());
      if (m == null || m.input() != host) {
        m = new Memo<>(host, m == null ? make.make(host, null, null) : make.make(host, m.input(), m.value()));
        byHost.put(host.hostId(), m);
        if (byHost.size() > 64 && byHost.size() > 2 * LAST_MODEL_SIZE) {
          byHost.clear(); // hosts that went away; rebuilt on the next render
        }
      }
      return m.value();
    }
  }

  /** The number of hosts in the last model rendered (bounds the memos). */
  private static volatile int LAST_MODEL_SIZE = 0;

  /** Makes a view node from one live payload of a host. */
  private interface NodeMaker<P extends Payload> {
    ViewNode make(HostSnapshot host, String key, P payload);
  }

  /**
   * Makes a view node again for the same payload object: {@code previous} is the node made from it
   * for an earlier snapshot of the same host with the same live payloads (so the same host name).
   * Returns {@code previous} itself when the node would be equal to it.
   */
  private interface NodeRemaker<P extends Payload> {
    ViewNode remake(HostSnapshot host, String key, P payload, ViewNode previous);
  }

  /**
   * Per host, a node for each live payload of one type. When only metric values or the status
   * changed since the host's last snapshot (its live payloads are the same map: the common case, an
   * agent reports every entry's metrics every second), each node is made again from the previous
   * one: what comes from the payload (labels, names) is shared, and a node whose visible fields did
   * not change is the previous object itself, so that its JSON is not made again either.
   */
  private static <P extends Payload> HostMemo<List<ViewNode>> liveNodes(Class<P> type, NodeMaker<P> maker,
      NodeRemaker<P> remaker) {
    return new HostMemo<List<ViewNode>>((host, before, previous) -> {
      if (before != null && before.live() == host.live() && host.hostId().equals(before.hostId())) {
        List<ViewNode> again = remade(host, type, remaker, previous);
        if (again != null) {
          return again;
        }
      }
      List<ViewNode> out = new ArrayList<>();
      for (Map.Entry<String, Payload> e : host.live().entrySet()) {
        if (type.isInstance(e.getValue())) {
          out.add(maker.make(host, e.getKey(), type.cast(e.getValue())));
        }
      }
      return List.copyOf(out);
    });
  }

  /**
   * The nodes of {@code host} made again from {@code previous}, made from the same live map (which
   * iterates in the same order, so node i is of the same entry); {@code previous} itself when no node
   * changed; null when the lists do not line up.
   */
  private static <P extends Payload> List<ViewNode> remade(HostSnapshot host, Class<P> type, NodeRemaker<P> remaker,
      List<ViewNode> previous) {
    ViewNode[] out = new ViewNode[previous.size()];
    boolean changed = false;
    int i = 0;
    for (Map.Entry<String, Payload> e : host.live().entrySet()) {
      if (!type.isInstance(e.getValue())) {
        continue;
      }
      if (i >= out.length || !previous.get(i).id().equals(e.getKey())) {
        return null;
      }
      ViewNode old = previous.get(i);
      ViewNode n = remaker.remake(host, e.getKey(), type.cast(e.getValue()), old);
      changed |= n != old;
      out[i++] = n;
    }
    if (i != out.length) {
      return null;
    }
    return changed ? List.of(out) : previous;
  }

  private static final HostMemo<List<ViewNode>> CONTAINER_NODES = liveNodes(Payload.Container.class,
      Renderers::containerNode, Renderers::containerNodeAgain);
  private static final HostMemo<List<ViewNode>> PROCESS_NODES = liveNodes(Payload.Process.class,
      Renderers::processNode, Renderers::processNodeAgain);

  /** How a view maps a connection's owner to its node id. */
  private static final Function<Endpoints.Owner, String> CONTAINER_OF = owner -> owner.containerId() == null ? null
      : Keys.container(owner.containerId());
  private static final Function<Endpoints.Owner, String> PROCESS_OF = owner -> owner.pid() <= 0 ? null
      : Keys.process(owner.hostId(), owner.pid());
  private static final Function<Endpoints.Owner, String> HOST_OF = owner -> Keys.host(owner.hostId());

  /** A view's edge memo: per host, its outbound connections resolved with one {@link Endpoints}. */
  private record EdgeMemo(Function<Endpoints.Owner, String> nodeOf, Map<String, HostEdges> byHost) {}

  /** A host's resolved outbound connections, and what they were computed from. */
  private record HostEdges(Map<String, Payload> live, Endpoints endpoints, List<HostEdge> edges) {}

  private static final EdgeMemo CONTAINER_EDGES = new EdgeMemo(CONTAINER_OF, new java.util.concurrent.ConcurrentHashMap<>());
  private static final EdgeMemo PROCESS_EDGES = new EdgeMemo(PROCESS_OF, new java.util.concurrent.ConcurrentHashMap<>());
  private static final EdgeMemo HOST_EDGES = new EdgeMemo(HOST_OF, new java.util.concurrent.ConcurrentHashMap<>());

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

  /** The metrics a container's or a host's node shows, sorted. */
  private static final String[] CONTAINER_METRICS = {"cpu_percent", "memory_bytes", "net_rx_bytes_per_s",
      "net_tx_bytes_per_s"};
  /** The metrics a process's node shows, sorted. */
  private static final String[] PROCESS_METRICS = {"cpu_percent", "memory_bytes", "rss_bytes"};

  static ViewNode containerNode(HostSnapshot host, String key, Payload.Container c) {
    Map<String, Double> metrics = host.metricsOf(key);
    return new ViewNode(key, Facts.containerName(c), host.hostname(), "hexagon", Facts.status(host, metrics, c),
        "container", host.hostId(), 1, Facts.summary(metrics, CONTAINER_METRICS),
        Facts.running(c), Facts.system(c), new TreeMap<>(Facts.labels(c)), Facts.namespace(c));
  }

  /** {@link #containerNode} for the payload {@code previous} was made from, sharing what comes from the payload. */
  private static ViewNode containerNodeAgain(HostSnapshot host, String key, Payload.Container c, ViewNode previous) {
    Map<String, Double> metrics = host.metricsOf(key);
    return withLive(previous, Facts.status(host, metrics, c), Facts.summary(metrics, CONTAINER_METRICS));
  }

  static ViewNode processNode(HostSnapshot host, String key, Payload.Process p) {
    Map<String, Double> metrics = host.metricsOf(key);
    return new ViewNode(key, Facts.processLabel(p), host.hostname() + " (" + p.pid() + ")", "square",
        Facts.status(host, metrics, p), "process", host.hostId(), 1,
        Facts.summary(metrics, PROCESS_METRICS), Facts.running(p), Facts.system(p),
        Map.of(), null);
  }

  /** {@link #processNode} for the payload {@code previous} was made from, sharing what comes from the payload. */
  private static ViewNode processNodeAgain(HostSnapshot host, String key, Payload.Process p, ViewNode previous) {
    Map<String, Double> metrics = host.metricsOf(key);
    return withLive(previous, Facts.status(host, metrics, p), Facts.summary(metrics, PROCESS_METRICS));
  }

  /** {@code previous} itself when its status and metrics are these, else a copy with them. */
  private static ViewNode withLive(ViewNode previous, String status, Map<String, Double> summary) {
    if (status.equals(previous.status()) && summary.equals(previous.metrics())) {
      return previous;
    }
    return new ViewNode(previous.id(), previous.label(), previous.labelMinor(), previous.shape(), status,
        previous.kind(), previous.hostId(), previous.count(), summary, previous.running(), previous.system(),
        previous.labels(), previous.namespace());
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
        Facts.summary(metrics, CONTAINER_METRICS), true, false, Map.of(), null);
  }

  // ---- edges ----------------------------------------------------------------------------------

  /** An edge being summed up. */
  private record Acc(String source, String target, int[] count) {}

  /** One resolved outbound connection of a host: its edge id, ends and connection count. */
  private record HostEdge(String id, String source, String target, int count) {}

  /**
   * Edges from connections observed on the client side. Each host's resolved connections are
   * memoised on (its live payloads, the endpoint index) and only the existence check of both ends
   * is done again per render.
   */
  private static Map<String, Acc> edges(Model model, Endpoints endpoints, EdgeMemo memo, Set<String> existing,
      List<HostEdges> byHost) {
    LAST_MODEL_SIZE = model.hosts().size();
    Map<String, Acc> edges = new HashMap<>();
    for (HostSnapshot host : model.hosts()) {
      HostEdges m = hostEdgesOf(host, endpoints, memo);
      byHost.add(m);
      for (HostEdge e : m.edges()) {
        if (existing.contains(e.source()) && existing.contains(e.target())) {
          edges.computeIfAbsent(e.id(), x -> new Acc(e.source(), e.target(), new int[1])).count()[0] += e.count();
        }
      }
    }
    if (memo.byHost().size() > 64 && memo.byHost().size() > 2 * model.hosts().size()) {
      memo.byHost().clear();
    }
    return edges;
  }

  /** A host's resolved outbound connections, memoised on (its live payloads, the endpoint index). */
  private static HostEdges hostEdgesOf(HostSnapshot host, Endpoints endpoints, EdgeMemo memo) {
    HostEdges m = memo.byHost().get(host.hostId());
    if (m == null || m.live() != host.live() || m.endpoints() != endpoints) {
      m = new HostEdges(host.live(), endpoints, hostEdges(host, endpoints, memo.nodeOf()));
      memo.byHost().put(host.hostId(), m);
    }
    return m;
  }

  private static List<HostEdge> hostEdges(HostSnapshot host, Endpoints endpoints,
      Function<Endpoints.Owner, String> nodeOf) {
    List<HostEdge> out = new ArrayList<>();
    for (Payload p : host.live().values()) {
      if (!(p instanceof Payload.Connection c) || !c.outbound()) {
        continue;
      }
      String source = nodeOf.apply(new Endpoints.Owner(host.hostId(), Endpoints.blankToNull(c.containerId()), c.pid()));
      if (source == null) {
        continue;
      }
      Endpoints.Owner owner = endpoints.resolve(host.hostId(), c.remoteAddress(), c.remotePort());
      if (owner == null) {
        continue;
      }
      String target = nodeOf.apply(owner);
      if (target == null || target.equals(source)) {
        continue;
      }
      out.add(new HostEdge(source + "->" + target, source, target, Math.max(1, c.count())));
    }
    return List.copyOf(out);
  }

  private static Topology assemble(Map<String, ViewNode> nodes, Map<String, Acc> edges) {
    return assemble(nodes, edges, new Order());
  }

  /**
   * The ids of a view's last render in order, and its edges: the next render sorts only the ids that
   * are new and merges them in (ids share long prefixes, so sorting all of them again is most of a
   * render at a thousand hosts), and reuses an edge object whose count did not change.
   */
  static final class Order {
    private List<String> nodeIds = List.of();
    private List<String> edgeIds = List.of();
    private Map<String, ViewEdge> edges = Map.of();
  }

  private static final Order CONTAINER_ORDER = new Order();
  private static final Order PROCESS_ORDER = new Order();
  private static final Order HOST_ORDER = new Order();

  private static Topology assemble(Map<String, ViewNode> nodes, Map<String, Acc> edges, Order order) {
    synchronized (order) {
      List<String> nodeIds = ordered(order.nodeIds, nodes.keySet());
      List<String> edgeIds = ordered(order.edgeIds, edges.keySet());
      List<ViewNode> nodeList = new ArrayList<>(nodeIds.size());
      for (String id : nodeIds) {
        nodeList.add(nodes.get(id));
      }
      List<ViewEdge> edgeList = new ArrayList<>(edgeIds.size());
      Map<String, ViewEdge> edgeById = new HashMap<>(edgeIds.size() * 2);
      for (String id : edgeIds) {
        Acc acc = edges.get(id);
        ViewEdge last = order.edges.get(id);
        ViewEdge e = last != null && last.connections() == acc.count()[0] && last.source().equals(acc.source())
            && last.target().equals(acc.target()) ? last
            : new ViewEdge(id, acc.source(), acc.target(), acc.count()[0]);
        edgeList.add(e);
        edgeById.put(id, e);
      }
      order.nodeIds = nodeIds;
      order.edgeIds = edgeIds;
      order.edges = edgeById;
      return new Topology(List.copyOf(nodeList), List.copyOf(edgeList));
    }
  }

  /** {@code ids} sorted, using that {@code previous} is sorted: keep what is still there, merge in the new ones. */
  static List<String> ordered(List<String> previous, Set<String> ids) {
    List<String> kept = new ArrayList<>(ids.size());
    for (String id : previous) {
      if (ids.contains(id)) {
        kept.add(id);
      }
    }
    if (kept.size() == ids.size()) {
      return kept.size() == previous.size() ? previous : List.copyOf(kept);
    }
    Set<String> old = new java.util.HashSet<>(kept);
    List<String> added = new ArrayList<>(ids.size() - kept.size());
    for (String id : ids) {
      if (!old.contains(id)) {
        added.add(id);
      }
    }
    added.sort(Comparator.naturalOrder());
    List<String> merged = new ArrayList<>(ids.size());
    int i = 0;
    int j = 0;
    while (i < kept.size() || j < added.size()) {
      if (j == added.size() || (i < kept.size() && kept.get(i).compareTo(added.get(j)) < 0)) {
        merged.add(kept.get(i++));
      } else {
        merged.add(added.get(j++));
      }
    }
    return List.copyOf(merged);
  }

}
