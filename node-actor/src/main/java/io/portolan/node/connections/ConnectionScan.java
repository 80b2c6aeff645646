package io.portolan.node.connections;

import io.portolan.node.proc.FdSummary;
import io.portolan.protocol.Keys;
import io.portolan.protocol.MetricSample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One pass: every process's network namespace and socket inodes, then the socket tables of ONE pid per
 * distinct namespace (so 30 processes in one container cost one read of tcp/tcp6/udp/udp6, not 30).
 */
public final class ConnectionScan {

  public record Result(Map<String, Edges.Namespace> namespaces, Map<Long, Integer> inodeOwner,
      Map<Integer, String> pidContainer, List<MetricSample> fdSamples, Map<Integer, String> containerCache) {}

  private ConnectionScan() {}

  /** {@code containerCache}: pid → container id ("" for host processes) from earlier passes. */
  public static Result scan(SocketPort port, String hostId, Map<Integer, String> containerCache, long now) {
    Map<String, Integer> pidOfNs = new HashMap<>();
    Map<String, String> containerOfNs = new HashMap<>();
    Map<Long, Integer> inodeOwner = new HashMap<>();
    Map<Integer, String> pidContainer = new HashMap<>();
    List<MetricSample> fdSamples = new ArrayList<>();
    for (int pid : port.pids()) {
      Optional<String> ns = port.netns(pid);
      if (ns.isEmpty()) {
        continue; // gone, or a kernel thread (no ns link readable)
      }
      String container = containerCache.get(pid);
      if (container == null) {
        container = port.containerId(pid).orElse("");
      }
      pidContainer.put(pid, container);
      pidOfNs.merge(ns.get(), pid, Math::min);
      if (!container.isEmpty()) {
        containerOfNs.putIfAbsent(ns.get(), container);
      }
      Optional<FdSummary> fds = port.fds(pid);
      if (fds.isPresent()) {
        for (Long inode : fds.get().socketInodes()) {
          inodeOwner.merge(inode, pid, Math::min);
        }
        if (fds.get().count() > 0) {
          fdSamples.add(new MetricSample(Keys.process(hostId, pid), "open_fds", now, fds.get().count()));
        }
      }
    }
    Map<String, Edges.Namespace> namespaces = new HashMap<>();
    pidOfNs.forEach((ns, pid) -> port.sockets(pid).ifPresent(sockets ->
        namespaces.put(ns, new Edges.Namespace(containerOfNs.get(ns), sockets))));
    return new Result(namespaces, inodeOwner, pidContainer, fdSamples, Map.copyOf(pidContainer));
  }
}
