package io.portolan.gateway.metrics;

import io.portolan.cluster.topology.HostSnapshot;
import io.portolan.cluster.topology.TopologyStore;
import io.portolan.protocol.Keys;
import io.portolan.protocol.Payload;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import kamon.Kamon;
import kamon.metric.Metric;
import kamon.tag.TagSet;

/**
 * The topology's metrics as Prometheus gauges, from this node's read model (the latest value the
 * agents reported): per host {@code portolan_host_*} labelled {@code host}, per container
 * {@code portolan_container_*} labelled {@code host}, {@code container} (name), {@code image}.
 * Only hosts and containers, never processes or connections, and at most {@code max-containers}
 * containers (the rest are counted in {@code portolan_metrics_containers_dropped}) so that the
 * number of series stays bounded. Series of hosts and containers that went away are removed.
 *
 * <p>Cheap at scale: a refresh does nothing unless {@code /metrics} was scraped within
 * {@link #IDLE_AFTER} (a node nobody scrapes spends nothing on it) or when the read model did
 * not change, and a host whose snapshot is the same object as at the last refresh keeps its
 * gauges as they are (its values cannot have changed). After an idle spell the first scrape
 * shows values up to one refresh plus one Kamon tick old.
 */
public final class TopologyMetrics {

  /** Agent metric name → Prometheus name part; metrics not listed here are not exported. */
  static final Map<String, String> EXPORTED = exported();

  private static Map<String, String> exported() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("cpu_percent", "cpu.percent");
    m.put("memory_bytes", "memory.bytes");
    m.put("memory_limit_bytes", "memory.limit.bytes");
    m.put("net_rx_bytes_per_s", "network.receive.bytes.per.second");
    m.put("net_tx_bytes_per_s", "network.transmit.bytes.per.second");
    m.put("disk_read_bytes_per_s", "disk.read.bytes.per.second");
    m.put("disk_write_bytes_per_s", "disk.write.bytes.per.second");
    return Map.copyOf(m);
  }

  private static final Metric.Gauge DROPPED = Kamon.gauge("portolan.metrics.containers.dropped",
      "Containers left out of the container metrics because of portolan.metrics.max-containers");

  /** Refreshes stop this long after the last scrape. */
  static final long IDLE_AFTER_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(2);

  private final TopologyStore store;
  private final int maxContainers;
  /** The series set at the last refresh: gauge name → tag sets. */
  private Map<String, Set<TagSet>> previous = Map.of();
  /** Per host: the snapshot exported at the last refresh and the series it made. */
  private Map<String, Exported> exported = Map.of();
  private long exportedVersion = -1;
  private volatile long lastScrapeNanos = System.nanoTime() - IDLE_AFTER_NANOS - 1;

  private record Exported(HostSnapshot snapshot, int containers, int dropped, Map<String, Set<TagSet>> series) {}

  public TopologyMetrics(TopologyStore store, int maxContainers) {
    this.store = store;
    this.maxContainers = maxContainers;
  }

  /** Someone scraped {@code /metrics}: keep the gauges fresh for a while. */
  public void scraped() {
    lastScrapeNanos = System.nanoTime();
  }

  /** Whether the last refresh was skipped because nobody scrapes (for tests). */
  boolean idle() {
    return System.nanoTime() - lastScrapeNanos > IDLE_AFTER_NANOS;
  }

  public synchronized void refresh() {
    if (closed || idle()) {
      return; // a refresh that raced clear() must not export series again; nobody scrapes: nothing to do
    }
    long version = store.version();
    if (version == exportedVersion) {
      return;
    }
    Map<String, Set<TagSet>> now = new HashMap<>();
    Map<String, Exported> nextExported = new HashMap<>();
    int containers = 0;
    int dropped = 0;
    for (HostSnapshot h : store.hosts()) {
      Exported last = exported.get(h.hostId());
      Exported e = last != null && last.snapshot() == h && last.dropped() == 0
          && containers + last.containers() <= maxContainers ? last : export(h, maxContainers - containers);
      nextExported.put(h.hostId(), e);
      containers += e.containers();
      dropped += e.dropped();
      e.series().forEach((gauge, tags) -> now.computeIfAbsent(gauge, g -> new HashSet<>()).addAll(tags));
    }
    DROPPED.withoutTags().update(dropped);
    previous.forEach((gauge, tagSets) -> {
      Set<TagSet> still = now.getOrDefault(gauge, Set.of());
      for (TagSet tags : tagSets) {
        if (!still.contains(tags)) {
          Kamon.gauge(gauge).remove(tags);
        }
      }
    });
    previous = now;
    exported = nextExported;
    exportedVersion = version;
  }

  /** Updates the gauges of one host and at most {@code room} of its containers. */
  private static Exported export(HostSnapshot h, int room) {
    Map<String, Set<TagSet>> series = new HashMap<>();
    String host = h.hostname();
    export("portolan.host.", TagSet.of("host", host), h.metricsOf(Keys.host(h.hostId())), series);
    int containers = 0;
    int dropped = 0;
    for (Map.Entry<String, Payload> e : h.live().entrySet()) {
      if (!(e.getValue() instanceof Payload.Container c)) {
        continue;
      }
      if (containers >= room) {
        dropped++;
        continue;
      }
      containers++;
      TagSet tags = TagSet.from(Map.<String, Object>of("host", host,
          "container", c.name() == null ? shortId(c.id()) : c.name(), "image", c.image() == null ? "" : c.image()));
      export("portolan.container.", tags, h.metricsOf(e.getKey()), series);
    }
    return new Exported(h, containers, dropped, series);
  }

  private boolean closed;

  /** Removes every series this instance created and exports no more (the node stops). */
  public synchronized void clear() {
    closed = true;
    previous.forEach((gauge, tagSets) -> tagSets.forEach(tags -> Kamon.gauge(gauge).remove(tags)));
    previous = Map.of();
    exported = Map.of();
  }

  private static void export(String prefix, TagSet tags, Map<String, Double> values, Map<String, Set<TagSet>> now) {
    values.forEach((metric, value) -> {
      String part = EXPORTED.get(metric);
      if (part == null || value == null || !Double.isFinite(value)) {
        return;
      }
      String gauge = prefix + part;
      Kamon.gauge(gauge).withTags(tags).update(value);
      now.computeIfAbsent(gauge, g -> new HashSet<>()).add(tags);
    });
  }

  private static String shortId(String id) {
    return id == null ? "" : id.length() > 12 ? id.substring(0, 12) : id;
  }
}
