package io.portolan.gateway.metrics;

import io.portolan.cluster.topology.HostSnapshot;
import io.portolan.cluster.topology.TopologyCounters;
import io.portolan.cluster.topology.TopologyStore;
import io.portolan.gateway.agentlink.IngestStats;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import kamon.Kamon;
import kamon.metric.Counter;
import kamon.metric.Metric;
import kamon.tag.TagSet;

/**
 * The platform's own metrics. The agent link and the read model keep their own counters
 * ({@link IngestStats}, {@link TopologyCounters}, {@link TopologyStore}); every refresh copies them
 * into Kamon instruments (counters get the increase since the last refresh), so the hot paths do not
 * change. HTTP latency is recorded per request by {@link HttpMetrics}, which also records each
 * single-container control's round trip in {@link #recordControl} (tagged by action and status).
 */
public final class PlatformMetrics {

  private static final Metric.Counter REPORTS = Kamon.counter("portolan.agent.reports",
      "Agent reports accepted (full and delta)");
  private static final Metric.Counter REJECTED = Kamon.counter("portolan.agent.frames.rejected",
      "Agent frames rejected, by reason");
  private static final Metric.Counter FRAMES = Kamon.counter("portolan.agent.frames", "Agent frames received");
  private static final Metric.Counter BYTES = Kamon.counter("portolan.agent.received.bytes",
      "Bytes of agent frames received");
  private static final Metric.Counter ENTRIES = Kamon.counter("portolan.agent.entries",
      "Topology entries accepted from agents");
  private static final Metric.Counter SAMPLES = Kamon.counter("portolan.agent.samples",
      "Metric samples accepted from agents");
  private static final Metric.Counter UNAUTHORIZED = Kamon.counter("portolan.agent.unauthorized",
      "Agent connections refused for a missing or wrong token");
  private static final Metric.Gauge HOSTS = Kamon.gauge("portolan.topology.hosts", "Hosts in this node's read model");
  private static final Metric.Gauge ENTITIES = Kamon.gauge("portolan.topology.entries",
      "Live topology entries (hosts, containers, processes, connections, Kubernetes objects) in the read model, by kind");
  private static final Metric.Gauge HOST_ENTITIES = Kamon.gauge("portolan.host.entities",
      "Host entities running on this node");
  private static final Metric.Gauge WEBSOCKETS = Kamon.gauge("portolan.websocket.clients",
      "Open WebSocket clients, by kind (agent, topology)");
  private static final Metric.Timer CONTROL = Kamon.timer("portolan.control.latency",
      "Container control round trip: API call to the agent's answer, by action and HTTP status");

  private final IngestStats ingest;
  private final TopologyStore store;
  private final Map<String, Long> last = new HashMap<>();
  private final Map<String, Long> lastRejected = new HashMap<>();
  private java.util.Set<String> lastKinds = java.util.Set.of();

  public PlatformMetrics(IngestStats ingest, TopologyStore store) {
    this.ingest = ingest;
    this.store = store;
  }

  /** Records one control round trip (for the container controls). */
  public static void recordControl(String action, String outcome, Duration took) {
    CONTROL.withTag("action", action).withTag("outcome", outcome).record(took.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Copies the current counters into Kamon; called every refresh interval. */
  public synchronized void refresh() {
    increase(REPORTS.withoutTags(), "reports", ingest.reportsAccepted.sum());
    increase(FRAMES.withoutTags(), "frames", ingest.framesReceived.sum());
    increase(BYTES.withoutTags(), "bytes", ingest.bytesReceived.sum());
    increase(ENTRIES.withoutTags(), "entries", ingest.entriesAccepted.sum());
    increase(SAMPLES.withoutTags(), "samples", ingest.samplesAccepted.sum());
    increase(UNAUTHORIZED.withoutTags(), "unauthorized", ingest.unauthorized.sum());
    ingest.rejectedByReason().forEach((reason, total) -> {
      long before = lastRejected.getOrDefault(reason, 0L);
      if (total > before) {
        REJECTED.withTag("reason", reason).increment(total - before);
      }
      lastRejected.put(reason, total);
    });

    int hosts = 0;
    Map<String, Integer> byKind = new HashMap<>();
    for (HostSnapshot h : store.hosts()) {
      hosts++;
      for (String key : h.live().keySet()) {
        byKind.merge(io.portolan.protocol.Keys.kindOf(key), 1, Integer::sum);
      }
    }
    HOSTS.withoutTags().update(hosts);
    for (String gone : lastKinds) {
      if (!byKind.containsKey(gone)) {
        ENTITIES.remove(TagSet.of("kind", gone));
      }
    }
    byKind.forEach((kind, n) -> ENTITIES.withTag("kind", kind).update(n));
    lastKinds = java.util.Set.copyOf(byKind.keySet());
    HOST_ENTITIES.withoutTags().update(TopologyCounters.HOST_ENTITIES.get());
    WEBSOCKETS.withTag("kind", "agent").update(ingest.connections.get());
    WEBSOCKETS.withTag("kind", "topology").update(WebSocketClients.TOPOLOGY.get());
  }

  private void increase(Counter counter, String name, long total) {
    long before = last.getOrDefault(name, 0L);
    if (total > before) {
      counter.increment(total - before);
    }
    last.put(name, total);
  }
}
