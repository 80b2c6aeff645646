package io.portolan.node.connections;

import io.portolan.node.proc.FdSummary;
import io.portolan.protocol.Keys;
import io.portolan.protocol.MetricSample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One pass: every process's network namespace and socket inodes, then the socket tables of ONE pid per
 * distinct namespace (so 30 processes in one container cost one read of tcp/tcp6/udp/udp6, not 30).
 *
 * <p>Reading a namespace's tables is the expensive part (the kernel walks its whole socket hash for each
 * file), so a namespace whose set of process-owned socket inodes is the same as in the previous pass
 * keeps the tables read then; every {@link #FULL_EVERY}th pass reads all of them again. The price: a
 * change that keeps the inode set (a connection's state, TIME_WAIT sockets, which no process owns) shows
 * up to ten socket-scan intervals late.
 */
public final class ConnectionScan {

  public record Result(Map<String, Edges.Namespace> namespaces, Map<Long, Integer> inodeOwner,
      Map<Integer, String> pidContainer, List<MetricSample> fdSamples, Map<Integer, String> containerCache,
      Map<String, Set<Long>> inodesByNamespace, int pass, int tablesRead) {}

  static final int FULL_EVERY = 10;

  private ConnectionScan() {}

  /** {@code containerCache}: pid → container id ("" for host processes) from earlier passes. */
  public static Result scan(SocketPort port, String hostId, Map<Integer, String> containerCache, long now) {
    return scan(port, hostId, containerCache, null, now);
  }

  /** {@code previous}: the last pass (null for none), whose tables are kept for unchanged namespaces. */
  public static Result scan(SocketPort port, String hostId, Map<Integer, String> containerCache, Result previous,
      long now) {
    int pass = previous == null ? 0 : previous.pass() + 1;
    boolean full = previous == null || pass % FULL_EVERY == 0;
    Map<String, Set<Long>> inodesByNs = new HashMap<>();
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
        inodesByNs.computeIfAbsent(ns.get(), k -> new HashSet<>()).addAll(fds.get().socketInodes());
        if (fds.get().count() > 0) {
          fdSamples.add(new MetricSample(Keys.process(hostId, pid), "open_fds", now, fds.get().count()));
        }
      }
    }
    Map<String, Edges.Namespace> namespaces = new HashMap<>();
    int[] read = {0};
    pidOfNs.forEach((ns, pid) -> {
      Set<Long> inodes = inodesByNs.getOrDefault(ns, Set.of());
      Edges.Namespace before = previous == null ? null : previous.namespaces().get(ns);
      if (!full && before != null && inodes.equals(previous.inodesByNamespace().get(ns))) {
        namespaces.put(ns, new Edges.Namespace(containerOfNs.get(ns), before.sockets()));
        return;
      }
      read[0]++;
      port.sockets(pid).ifPresent(sockets -> namespaces.put(ns, new Edges.Namespace(containerOfNs.get(ns), sockets)));
    });
    pidOfNs.keySet().forEach(ns -> inodesByNs.putIfAbsent(ns, Set.of()));
    return new Result(namespaces, inodeOwner, pidContainer, fdSamples, Map.copyOf(pidContainer), inodesByNs, pass,
        read[0]);
  }
}
