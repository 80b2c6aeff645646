package io.portolan.cluster.view;

import io.portolan.cluster.topology.HostSnapshot;
import io.portolan.cluster.topology.TopologyStore.Model;
import io.portolan.protocol.Keys;
import io.portolan.protocol.Payload;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Node details as a pure function of the model and the rendered view the node belongs to. */
public final class Details {

  private Details() {}

  public static Optional<NodeDetail> detail(ViewDesc view, Model model, Topology rendered, String nodeId) {
    ViewNode node = rendered.nodes().stream().filter(n -> n.id().equals(nodeId)).findFirst().orElse(null);
    if (node == null) {
      return Optional.empty();
    }
    Map<String, ViewNode> byId = new HashMap<>();
    rendered.nodes().forEach(n -> byId.put(n.id(), n));
    List<NodeDetail.Link> inbound = new ArrayList<>();
    List<NodeDetail.Link> outbound = new ArrayList<>();
    for (ViewEdge e : rendered.edges()) {
      if (e.target().equals(nodeId)) {
        inbound.add(new NodeDetail.Link(e.source(), labelOf(byId, e.source()), e.connections()));
      } else if (e.source().equals(nodeId)) {
        outbound.add(new NodeDetail.Link(e.target(), labelOf(byId, e.target()), e.connections()));
      }
    }
    HostSnapshot host = node.hostId() == null ? null
        : model.hosts().stream().filter(h -> h.hostId().equals(node.hostId())).findFirst().orElse(null);
    Payload payload = host == null ? null : host.live().get(nodeId);
    NodeDetail kube = payload == null ? null : KubeViews.detail(view, node, model, payload);
    NodeDetail base;
    if (kube != null) {
      base = kube;
    } else if (payload instanceof Payload.Container c) {
      base = container(view, node, host, c);
    } else if (payload instanceof Payload.Process p) {
      base = process(view, node, host, p);
    } else if (payload instanceof Payload.Host h || nodeId.startsWith("host:") && host != null) {
      base = host(view, node, host);
    } else {
      base = group(view, node, model);
    }
    return Optional.of(new NodeDetail(base.view(), base.node(), base.hostId(), base.metricsKey(), base.metadata(),
        base.labels(), base.parents(), base.children(), inbound, outbound, List.of()));
  }

  private static NodeDetail container(ViewDesc view, ViewNode node, HostSnapshot host, Payload.Container c) {
    List<NodeDetail.Row> rows = new ArrayList<>();
    row(rows, "id", "ID", Facts.shortId(c.id()));
    row(rows, "image", "Image", c.image());
    row(rows, "image_id", "Image ID", Facts.shortId(strip(c.imageId())));
    row(rows, "state", "State", c.state());
    row(rows, "health", "Health", c.health());
    row(rows, "created", "Created", time(c.createdAt()));
    row(rows, "started", "Started", time(c.startedAt()));
    row(rows, "restart_count", "Restart count", Integer.toString(c.restartCount()));
    row(rows, "network_mode", "Network mode", c.networkMode());
    row(rows, "ips", "IPs", c.networks() == null ? null : String.join(", ", new TreeMap<>(c.networks()).values()));
    row(rows, "ports", "Ports", c.ports() == null ? null : c.ports().stream()
        .map(p -> (p.publicPort() > 0 ? (Facts.unspecified(p.ip()) ? "" : p.ip() + ":") + p.publicPort() + "->" : "")
            + p.privatePort() + "/" + p.protocol())
        .collect(Collectors.joining(", ")));
    row(rows, "mounts", "Mounts", c.mounts() == null ? null : String.join(", ", c.mounts()));
    row(rows, "memory_limit", "Memory limit", c.memoryLimitBytes() > 0 ? bytes(c.memoryLimitBytes()) : null);
    row(rows, "cpu_limit", "CPU limit", c.cpuLimit() > 0 ? c.cpuLimit() + " cores" : null);
    row(rows, "hostname", "DNS name", Facts.containerHostname(c));
    row(rows, "host", "Host", host.hostname());
    List<NodeDetail.Ref> parents = new ArrayList<>();
    parents.add(new NodeDetail.Ref(Keys.host(host.hostId()), host.hostname(), "host", "hosts"));
    String image = Facts.imageName(c);
    parents.add(new NodeDetail.Ref("image:" + image, image, "image", "containers-by-image"));
    String pod = Facts.labels(c).get(Facts.POD_LABEL);
    if (pod != null) {
      String ns = Facts.namespace(c);
      parents.add(new NodeDetail.Ref("pod:" + (ns == null ? "" : ns + "/") + pod, pod, "pod", null));
    }
    List<NodeDetail.Ref> children = new ArrayList<>();
    host.live().forEach((key, p) -> {
      if (p instanceof Payload.Process proc && c.id().equals(proc.containerId())) {
        children.add(new NodeDetail.Ref(key, Facts.processLabel(proc) + " (" + proc.pid() + ")", "process", "processes"));
      }
    });
    children.sort(Comparator.comparing(NodeDetail.Ref::id));
    return new NodeDetail(view.name(), node, host.hostId(), node.id(), rows, new TreeMap<>(Facts.labels(c)), parents,
        children, List.of(), List.of(), List.of());
  }

  private static NodeDetail process(ViewDesc view, ViewNode node, HostSnapshot host, Payload.Process p) {
    List<NodeDetail.Row> rows = new ArrayList<>();
    row(rows, "pid", "PID", Integer.toString(p.pid()));
    row(rows, "ppid", "Parent PID", Integer.toString(p.ppid()));
    row(rows, "name", "Name", p.name());
    row(rows, "cmdline", "Command", p.cmdline());
    row(rows, "user", "User", (p.user() == null ? "" : p.user() + " ") + "(uid " + p.uid() + ")");
    row(rows, "cwd", "Working directory", p.cwd());
    row(rows, "state", "State", p.state());
    row(rows, "threads", "Threads", Integer.toString(p.threads()));
    row(rows, "host", "Host", host.hostname());
    List<NodeDetail.Ref> parents = new ArrayList<>();
    parents.add(new NodeDetail.Ref(Keys.host(host.hostId()), host.hostname(), "host", "hosts"));
    if (p.containerId() != null && !p.containerId().isBlank()) {
      String key = Keys.container(p.containerId());
      String label = host.live().get(key) instanceof Payload.Container c ? Facts.containerName(c) : Facts.shortId(p.containerId());
      parents.add(new NodeDetail.Ref(key, label, "container", "containers"));
      row(rows, "container", "Container", label);
    }
    List<NodeDetail.Ref> children = new ArrayList<>();
    host.live().forEach((key, other) -> {
      if (other instanceof Payload.Process child && child.ppid() == p.pid() && child.pid() != p.pid()) {
        children.add(new NodeDetail.Ref(key, Facts.processLabel(child) + " (" + child.pid() + ")", "process", "processes"));
      }
    });
    children.sort(Comparator.comparing(NodeDetail.Ref::id));
    return new NodeDetail(view.name(), node, host.hostId(), node.id(), rows, Map.of(), parents, children,
        List.of(), List.of(), List.of());
  }

  private static NodeDetail host(ViewDesc view, ViewNode node, HostSnapshot host) {
    Payload.Host h = host.host();
    List<NodeDetail.Row> rows = new ArrayList<>();
    row(rows, "hostname", "Hostname", host.hostname());
    row(rows, "status", "Agent status", host.status().name().toLowerCase(java.util.Locale.ROOT));
    row(rows, "agent", "Agent", host.agentId());
    row(rows, "served_by", "Entity on", host.servedBy());
    if (h != null) {
      row(rows, "os", "OS", h.os());
      row(rows, "kernel", "Kernel", h.kernel());
      row(rows, "arch", "Architecture", h.arch());
      row(rows, "cores", "Cores", Integer.toString(h.cores()));
      row(rows, "memory", "Memory", bytes(h.memoryTotalBytes()));
      row(rows, "load", "Load", h.load1() + " " + h.load5() + " " + h.load15());
      row(rows, "uptime", "Uptime", h.uptimeSeconds() / 3600 + " h");
      row(rows, "ips", "IPs", h.interfaces() == null ? null : h.interfaces().stream()
          .flatMap(i -> i.addresses() == null ? java.util.stream.Stream.empty() : i.addresses().stream())
          .collect(Collectors.joining(", ")));
    }
    List<NodeDetail.Ref> children = new ArrayList<>();
    host.live().forEach((key, p) -> {
      if (p instanceof Payload.Container c) {
        children.add(new NodeDetail.Ref(key, Facts.containerName(c), "container", "containers"));
      }
    });
    children.sort(Comparator.comparing(NodeDetail.Ref::id));
    return new NodeDetail(view.name(), node, host.hostId(), node.id(), rows, Map.of(), List.of(), children,
        List.of(), List.of(), List.of());
  }

  /** A grouped node (by image, by DNS name, by process name): its members are its children. */
  private static NodeDetail group(ViewDesc view, ViewNode node, Model model) {
    List<NodeDetail.Row> rows = new ArrayList<>();
    row(rows, "count", "Members", Integer.toString(node.count()));
    List<NodeDetail.Ref> children = new ArrayList<>();
    ViewDesc members = Views.byName(node.kind().equals("process") ? "processes" : "containers").orElseThrow();
    Topology base = members.render().apply(model);
    Map<String, String> groupOf = groupsOf(view, model);
    for (ViewNode n : base.nodes()) {
      if (node.id().equals(groupOf.get(n.id()))) {
        children.add(new NodeDetail.Ref(n.id(), n.label() + " on " + n.labelMinor(), n.kind(), members.name()));
      }
    }
    return new NodeDetail(view.name(), node, null, null, rows, Map.of(), List.of(), children,
        List.of(), List.of(), List.of());
  }

  private static Map<String, String> groupsOf(ViewDesc view, Model model) {
    Map<String, String> out = new HashMap<>();
    for (HostSnapshot host : model.hosts()) {
      host.live().forEach((key, p) -> {
        if (p instanceof Payload.Container c) {
          out.put(key, view.name().equals("containers-by-hostname") ? "dns:" + Facts.containerHostname(c)
              : "image:" + Facts.imageName(c));
        } else if (p instanceof Payload.Process proc) {
          out.put(key, "process-name:" + Facts.processLabel(proc));
        }
      });
    }
    return out;
  }

  private static String labelOf(Map<String, ViewNode> byId, String id) {
    ViewNode n = byId.get(id);
    return n == null ? id : n.label();
  }

  private static void row(List<NodeDetail.Row> rows, String id, String label, String value) {
    if (value != null && !value.isBlank()) {
      rows.add(new NodeDetail.Row(id, label, value));
    }
  }

  private static String time(long epochMillis) {
    return epochMillis <= 0 ? null : Instant.ofEpochMilli(epochMillis).toString();
  }

  private static String strip(String imageId) {
    return imageId != null && imageId.startsWith("sha256:") ? imageId.substring(7) : imageId;
  }

  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
