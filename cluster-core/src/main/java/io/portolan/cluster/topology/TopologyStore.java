package io.portolan.cluster.topology;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This node's merged model of every host: written only by {@link TopologyReadModel}, read by any
 * thread (HTTP routes, streams) without asking an actor. Each value is an immutable
 * {@link HostSnapshot}, so a reader always sees whole hosts; {@link #version} changes with every write.
 */
public final class TopologyStore {

  /** The hosts at one moment, sorted by id, and the store version they belong to. */
  public record Model(List<HostSnapshot> hosts, long version) {
    public static Model of(List<HostSnapshot> hosts) {
      return new Model(hosts.stream().sorted(Comparator.comparing(HostSnapshot::hostId)).toList(), 0);
    }
  }

  private final ConcurrentHashMap<String, HostSnapshot> hosts = new ConcurrentHashMap<>();
  private final AtomicLong version = new AtomicLong();

  public HostSnapshot get(String hostId) {
    return hosts.get(hostId);
  }

  void put(HostSnapshot snapshot) {
    hosts.put(snapshot.hostId(), snapshot);
    version.incrementAndGet();
  }

  void remove(String hostId) {
    if (hosts.remove(hostId) != null) {
      version.incrementAndGet();
    }
  }

  /** Drops every host (this node stopped or started being a view node). */
  public void clear() {
    hosts.clear();
    version.incrementAndGet();
  }

  public long version() {
    return version.get();
  }

  public int size() {
    return hosts.size();
  }

  public Iterable<HostSnapshot> hosts() {
    return hosts.values();
  }

  public Model model() {
    long v = version.get();
    List<HostSnapshot> list = new ArrayList<>(hosts.values());
    list.sort(Comparator.comparing(HostSnapshot::hostId));
    return new Model(List.copyOf(list), v);
  }
}
