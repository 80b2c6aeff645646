package io.portolan.node.kubernetes;

import io.portolan.protocol.Payload;
import java.util.Map;

/**
 * The port through which the agent reads what the Kubernetes watcher sees: the current entries
 * (namespaces, nodes, pods, services, workloads, events) keyed by {@link io.portolan.protocol.Keys}.
 * Only the agent holding the cluster's watcher lease has entries; every other agent's inventory is empty,
 * so each Kubernetes object is reported by exactly one host. Implementations are thread-safe.
 */
public interface KubernetesInventory extends AutoCloseable {

  /** The collector source name the entries are observed under. */
  String SOURCE = "kubernetes";

  /** Changes whenever {@link #entries()} may have changed; cheap, for polling. */
  long generation();

  /** The current entries; empty unless this agent is the leader and its informers have synced. */
  Map<String, Payload> entries();

  Status status();

  @Override
  void close();

  enum Role { DISABLED, FOLLOWER, LEADER }

  /**
   * {@code synced}: every informer has listed once (the inventory is complete); {@code leader}: the
   * lease holder's identity as last seen ("" when unknown); {@code unavailable}: kinds that could not be
   * watched (RBAC, API not served), reported as empty.
   */
  record Status(Role role, boolean synced, String leader, int entries, java.util.List<String> unavailable) {}

  /** The inventory of an agent outside Kubernetes (or with the watcher switched off). */
  public static KubernetesInventory disabled() {
    return new KubernetesInventory() {
      @Override
      public long generation() {
        return 0;
      }

      @Override
      public Map<String, Payload> entries() {
        return Map.of();
      }

      @Override
      public Status status() {
        return new Status(Role.DISABLED, false, "", 0, java.util.List.of());
      }

      @Override
      public void close() {}
    };
  }
}
