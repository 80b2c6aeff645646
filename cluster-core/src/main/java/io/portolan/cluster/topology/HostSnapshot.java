package io.portolan.cluster.topology;

import io.portolan.protocol.Entry;
import io.portolan.protocol.Payload;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * One host as a node's read model holds it: the merged {@link LatestMap} (with tombstones, so that
 * reordered or repeated deltas converge), the live payloads derived from it, the latest metric
 * values per key ({@link MetricValues}), and the host's status. Immutable: {@link #apply} returns a
 * new snapshot that shares with this one everything the delta did not change.
 */
public record HostSnapshot(
    String hostId,
    long epoch,
    long version,
    HostStatus status,
    String agentId,
    String servedBy,
    long lastHeardAt,
    LatestMap state,
    Map<String, Payload> live,
    MetricValues metrics) {

  public static HostSnapshot empty(String hostId) {
    return new HostSnapshot(hostId, 0, 0, HostStatus.LIVE, null, null, 0, LatestMap.EMPTY, Map.of(), MetricValues.EMPTY);
  }

  /** This snapshot with {@code delta} merged in, heard at {@code now}. */
  public HostSnapshot apply(HostDelta delta, long now) {
    LatestMap.Merged merged = delta.full()
        ? state.applyFull(delta.entries(), delta.asOf())
        : state.mergeEntries(delta.entries());
    Map<String, Payload> nextLive = live;
    if (!merged.changed().isEmpty()) {
      Map<String, Payload> copy = new HashMap<>(live);
      for (Entry e : merged.changed()) {
        if (e.isTombstone()) {
          copy.remove(e.key());
        } else {
          copy.put(e.key(), e.payload());
        }
      }
      nextLive = Collections.unmodifiableMap(copy);
    }
    // What did not change is shared with this snapshot: the live map (unless entries changed), the
    // payloads, the metrics' layout; a delta that only carries metric values costs one array.
    boolean dropGone = delta.full() || merged.changed().stream().anyMatch(Entry::isTombstone);
    Map<String, Payload> finalLive = nextLive;
    MetricValues nextMetrics = !delta.hasMetrics() && !dropGone ? metrics
        : metrics.with(delta::forEachMetric, dropGone ? finalLive::containsKey : null);
    return new HostSnapshot(hostId, delta.epoch(), Math.max(delta.version(), delta.epoch() == epoch ? version : 0),
        delta.status(), delta.agentId() != null ? delta.agentId() : agentId, delta.servedBy(), now,
        merged.map(), nextLive, nextMetrics);
  }

  public HostSnapshot withStatus(HostStatus newStatus) {
    return new HostSnapshot(hostId, epoch, version, newStatus, agentId, servedBy, lastHeardAt, state, live, metrics);
  }

  /** The host's own payload, or null before the first report that carried it. */
  public Payload.Host host() {
    return live.get(io.portolan.protocol.Keys.host(hostId)) instanceof Payload.Host h ? h : null;
  }

  public String hostname() {
    Payload.Host h = host();
    return h != null && h.hostname() != null ? h.hostname() : hostId;
  }

  /** The latest metric values of {@code key} (sorted by name; empty when there are none). */
  public MetricMap metricsOf(String key) {
    return metrics.of(key);
  }
}
