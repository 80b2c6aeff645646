package io.portolan.cluster.view;

import io.portolan.cluster.topology.HostSnapshot;
import io.portolan.cluster.topology.HostStatus;
import io.portolan.cluster.topology.MetricMap;
import io.portolan.protocol.Payload;
import java.util.Map;
import java.util.Set;

/** Small derived facts about payloads, shared by renderers, details, filters and search. */
final class Facts {

  static final String NAMESPACE_LABEL = "io.kubernetes.pod.namespace";
  static final String POD_LABEL = "io.kubernetes.pod.name";
  static final String HOSTNAME_LABEL = "io.portolan.hostname";
  static final String SYSTEM_LABEL = "io.portolan.system";

  private static final Set<String> SYSTEM_PROCESSES = Set.of("systemd", "init", "kthreadd", "sshd", "dockerd",
      "containerd", "containerd-shim", "containerd-shim-runc-v2", "kubelet", "kube-proxy", "journald",
      "systemd-journald", "systemd-udevd", "systemd-logind", "systemd-resolved", "systemd-networkd", "cron",
      "crond", "rsyslogd", "dbus-daemon", "agetty", "portolan-agent", "udevd", "chronyd", "ntpd");

  private Facts() {}

  static String containerName(Payload.Container c) {
    String name = c.name() == null || c.name().isBlank() ? shortId(c.id()) : c.name();
    return name.startsWith("/") ? name.substring(1) : name;
  }

  static String shortId(String id) {
    return id == null ? "" : id.length() > 12 ? id.substring(0, 12) : id;
  }

  /** The image name without tag or digest ({@code nginx} for {@code docker.io/library/nginx:1.27}). */
  static String imageName(Payload.Container c) {
    String image = c.image() == null ? "" : c.image();
    int at = image.indexOf('@');
    if (at >= 0) {
      image = image.substring(0, at);
    }
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    if (colon > slash) {
      image = image.substring(0, colon);
    }
    if (image.startsWith("docker.io/library/")) {
      image = image.substring("docker.io/library/".length());
    }
    return image.isEmpty() ? "(no image)" : image;
  }

  /**
   * The container's DNS name: the {@code io.portolan.hostname} label, else its {@code HOSTNAME}
   * environment entry, else its name. (The protocol's Container record has no hostname field yet.)
   */
  static String containerHostname(Payload.Container c) {
    Map<String, String> labels = labels(c);
    if (labels.containsKey(HOSTNAME_LABEL)) {
      return labels.get(HOSTNAME_LABEL);
    }
    if (c.env() != null && c.env().get("HOSTNAME") != null && !c.env().get("HOSTNAME").isBlank()) {
      return c.env().get("HOSTNAME");
    }
    return containerName(c);
  }

  static Map<String, String> labels(Payload.Container c) {
    return c.labels() == null ? Map.of() : c.labels();
  }

  static String namespace(Payload.Container c) {
    return labels(c).get(NAMESPACE_LABEL);
  }

  static boolean running(Payload.Container c) {
    return "running".equalsIgnoreCase(c.state()) || "paused".equalsIgnoreCase(c.state());
  }

  static boolean running(Payload.Process p) {
    return p.state() == null || !(p.state().startsWith("Z") || p.state().startsWith("X"));
  }

  /** Infrastructure rather than workload: pause containers, Kubernetes/system namespaces, labelled ones. */
  static boolean system(Payload.Container c) {
    Map<String, String> labels = labels(c);
    if ("true".equalsIgnoreCase(labels.get(SYSTEM_LABEL))) {
      return true;
    }
    String ns = labels.get(NAMESPACE_LABEL);
    if (ns != null && (ns.equals("kube-system") || ns.equals("portolan-system"))) {
      return true;
    }
    String image = imageName(c);
    return image.endsWith("/pause") || image.equals("pause") || containerName(c).startsWith("k8s_POD");
  }

  /** Kernel threads, and well-known daemons outside containers. */
  static boolean system(Payload.Process p) {
    if (p.cmdline() == null || p.cmdline().isBlank()) {
      return true;
    }
    return (p.containerId() == null || p.containerId().isBlank()) && SYSTEM_PROCESSES.contains(p.name());
  }

  static String processLabel(Payload.Process p) {
    return p.name() == null || p.name().isBlank() ? "pid " + p.pid() : p.name();
  }

  static double metric(Map<String, Double> metrics, String name) {
    if (metrics instanceof MetricMap m) {
      return m.value(name);
    }
    Double v = metrics.get(name);
    return v == null ? Double.NaN : v;
  }

  /** healthy, warning, critical or stale. */
  static String status(HostSnapshot host, Map<String, Double> metrics, Payload payload) {
    if (host.status() != HostStatus.LIVE) {
      return "stale";
    }
    double cpu = metric(metrics, "cpu_percent");
    if (payload instanceof Payload.Container c) {
      if ("unhealthy".equalsIgnoreCase(c.health()) || "dead".equalsIgnoreCase(c.state())
          || "restarting".equalsIgnoreCase(c.state())) {
        return "critical";
      }
      double mem = metric(metrics, "memory_bytes");
      double limit = c.memoryLimitBytes() > 0 ? c.memoryLimitBytes() : metric(metrics, "memory_limit_bytes");
      if (limit > 0 && mem / limit >= 0.95) {
        return "critical";
      }
      // Paused: alive but doing nothing, which the map should not show as healthy.
      if ("paused".equalsIgnoreCase(c.state()) || c.restartCount() >= 3 || (limit > 0 && mem / limit >= 0.8)) {
        return worst("warning", cpuStatus(cpu));
      }
    } else if (payload instanceof Payload.Process p) {
      if (p.state() != null && p.state().startsWith("Z")) {
        return worst("warning", cpuStatus(cpu));
      }
    } else if (payload instanceof Payload.Host h && h.cores() > 0 && h.load1() / h.cores() >= 2.0) {
      return worst("warning", cpuStatus(cpu));
    }
    return cpuStatus(cpu);
  }

  private static String cpuStatus(double cpu) {
    if (cpu >= 90) {
      return "critical";
    }
    return cpu >= 75 ? "warning" : "healthy";
  }

  static int rank(String status) {
    return switch (status) {
      case "critical" -> 3;
      case "warning" -> 2;
      case "stale" -> 1;
      default -> 0;
    };
  }

  static String worst(String a, String b) {
    return rank(a) >= rank(b) ? a : b;
  }

  /**
   * The metrics a node shows in lists (CPU and memory, and network for containers and hosts):
   * those of {@code sortedNames} that {@code metrics} has, in that order (as a TreeMap orders them),
   * as a compact map of two arrays.
   */
  static Map<String, Double> summary(Map<String, Double> metrics, String[] sortedNames) {
    return MetricMap.select(metrics, sortedNames);
  }

  /** An address without a CIDR suffix. */
  static String bareIp(String address) {
    if (address == null) {
      return "";
    }
    int slash = address.indexOf('/');
    return slash >= 0 ? address.substring(0, slash) : address;
  }

  static boolean loopback(String ip) {
    return ip.startsWith("127.") || ip.equals("::1");
  }

  static boolean unspecified(String ip) {
    return ip == null || ip.isEmpty() || ip.equals("0.0.0.0") || ip.equals("::");
  }
}
