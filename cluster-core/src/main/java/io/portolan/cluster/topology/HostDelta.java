package io.portolan.cluster.topology;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import io.portolan.cluster.CborSerializable;
import io.portolan.protocol.Entry;
import io.portolan.protocol.MetricBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link HostEntity} publishes to every node's read model after each report: the entries
 * that changed (tombstones for removed keys), the latest metric values, and the host's status.
 * {@code full}: the entries are the host's complete live state as of {@code asOf} (agent clock) and
 * are applied like a full report (keys the reader holds and the snapshot lacks are removed).
 * {@code epoch} names one incarnation of the entity; {@code version} counts its publications, so a
 * reader can detect a gap (a lost message, a new incarnation) and ask for a snapshot. Readers merge
 * with {@link LatestMap}, so a duplicate or reordered delta does no harm.
 *
 * <p>On the wire (pub-sub to the other nodes) a delta is one CBOR byte string, encoded once however
 * many nodes it goes to, with the metric values in columns ({@link MetricBatch}: the entry keys as
 * values). As a map of maps every entry key would be a CBOR field name, and Jackson keeps field
 * names in a symbol table that each parser copies when it meets a new one: with thousands of hosts'
 * keys that copying was a third of a node's allocation.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.NONE, getterVisibility = JsonAutoDetect.Visibility.NONE,
    isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public final class HostDelta implements CborSerializable {

  private static final ObjectMapper WIRE = CBORMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private final String hostId;
  private final long epoch;
  private final long version;
  private final boolean full;
  private final long asOf;
  private final HostStatus status;
  private final String agentId;
  private final String servedBy;
  private final long lastReportAt;
  private final List<Entry> entries;
  /** The metric values as maps: given, or made from {@link #batch} when first asked for. */
  private volatile Map<String, Map<String, Double>> metrics;
  /** The metric values as they arrived over the wire (columns), or null. */
  private final MetricBatch batch;
  private final long publishedAt;
  /** The wire form, made on first use (racing threads may both make it; they make the same bytes). */
  private volatile byte[] wire;

  public HostDelta(String hostId, long epoch, long version, boolean full, long asOf, HostStatus status, String agentId,
      String servedBy, long lastReportAt, List<Entry> entries, Map<String, Map<String, Double>> metrics,
      long publishedAt) {
    this.hostId = hostId;
    this.epoch = epoch;
    this.version = version;
    this.full = full;
    this.asOf = asOf;
    this.status = status;
    this.agentId = agentId;
    this.servedBy = servedBy;
    this.lastReportAt = lastReportAt;
    this.entries = entries;
    this.metrics = metrics;
    this.batch = null;
    this.publishedAt = publishedAt;
  }

  private HostDelta(Wire w) {
    this.hostId = w.hostId();
    this.epoch = w.epoch();
    this.version = w.version();
    this.full = w.full();
    this.asOf = w.asOf();
    this.status = w.status();
    this.agentId = w.agentId();
    this.servedBy = w.servedBy();
    this.lastReportAt = w.lastReportAt();
    this.entries = w.entries() == null ? List.of() : w.entries();
    this.batch = w.metrics() == null || w.metrics().keys() == null || w.metrics().keys().isEmpty() ? null : w.metrics();
    this.metrics = batch == null ? Map.of() : null;
    this.publishedAt = w.publishedAt();
  }

  public String hostId() {
    return hostId;
  }

  public long epoch() {
    return epoch;
  }

  public long version() {
    return version;
  }

  public boolean full() {
    return full;
  }

  public long asOf() {
    return asOf;
  }

  public HostStatus status() {
    return status;
  }

  public String agentId() {
    return agentId;
  }

  public String servedBy() {
    return servedBy;
  }

  public long lastReportAt() {
    return lastReportAt;
  }

  public List<Entry> entries() {
    return entries;
  }

  public Map<String, Map<String, Double>> metrics() {
    Map<String, Map<String, Double>> m = metrics;
    if (m == null) {
      m = maps(batch);
      metrics = m;
    }
    return m;
  }

  /** Whether the delta carries any metric value. */
  public boolean hasMetrics() {
    Map<String, Map<String, Double>> m = metrics;
    return m == null ? batch != null : !m.isEmpty();
  }

  /**
   * Every metric value (entry key, metric, value), from the columns as they arrived when the delta
   * came over the wire: a read model merges them without a map per key and a boxed double per value.
   */
  public void forEachMetric(MetricValues.Sink sink) {
    Map<String, Map<String, Double>> m = metrics;
    if (m != null) {
      m.forEach((key, byMetric) -> byMetric.forEach((metric, value) -> sink.accept(key, metric, value)));
      return;
    }
    if (batch == null) {
      return;
    }
    List<String> keys = batch.keys();
    for (MetricBatch.Column c : batch.columns()) {
      int[] ix = c.keyIndex();
      double[] vs = c.values();
      for (int i = 0; i < vs.length; i++) {
        sink.accept(keys.get(ix[i]), c.metric(), vs[i]);
      }
    }
  }

  public long publishedAt() {
    return publishedAt;
  }

  /** The fields as they travel; metric values in columns. */
  record Wire(String hostId, long epoch, long version, boolean full, long asOf, HostStatus status, String agentId,
      String servedBy, long lastReportAt, List<Entry> entries, MetricBatch metrics, long publishedAt) {}

  @JsonProperty("b")
  byte[] wireBytes() {
    byte[] bytes = wire;
    if (bytes == null) {
      try {
        bytes = WIRE.writeValueAsBytes(new Wire(hostId, epoch, version, full, asOf, status, agentId, servedBy,
            lastReportAt, entries, batch != null ? batch : columns(metrics, publishedAt), publishedAt));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      wire = bytes;
    }
    return bytes;
  }

  @JsonCreator
  static HostDelta fromWire(@JsonProperty("b") byte[] bytes) throws IOException {
    HostDelta d = new HostDelta(WIRE.readValue(bytes, Wire.class));
    d.wire = bytes;
    return d;
  }

  static MetricBatch columns(Map<String, Map<String, Double>> metrics, long timestamp) {
    if (metrics == null || metrics.isEmpty()) {
      return new MetricBatch(timestamp, List.of(), List.of());
    }
    List<String> keys = new ArrayList<>(metrics.size());
    Map<String, int[]> index = new LinkedHashMap<>();
    Map<String, double[]> values = new LinkedHashMap<>();
    Map<String, Integer> sizes = new HashMap<>();
    metrics.forEach((key, byMetric) -> {
      int k = keys.size();
      keys.add(key);
      byMetric.forEach((metric, value) -> {
        int n = sizes.getOrDefault(metric, 0);
        int[] ix = index.get(metric);
        double[] vs = values.get(metric);
        if (ix == null || n == ix.length) {
          int size = ix == null ? Math.max(4, metrics.size()) : n * 2;
          ix = ix == null ? new int[size] : java.util.Arrays.copyOf(ix, size);
          vs = vs == null ? new double[size] : java.util.Arrays.copyOf(vs, size);
          index.put(metric, ix);
          values.put(metric, vs);
        }
        ix[n] = k;
        vs[n] = value;
        sizes.put(metric, n + 1);
      });
    });
    List<MetricBatch.Column> columns = new ArrayList<>(index.size());
    index.forEach((metric, ix) -> {
      int n = sizes.get(metric);
      columns.add(new MetricBatch.Column(metric, java.util.Arrays.copyOf(ix, n),
          java.util.Arrays.copyOf(values.get(metric), n)));
    });
    return new MetricBatch(timestamp, keys, columns);
  }

  static Map<String, Map<String, Double>> maps(MetricBatch batch) {
    if (batch == null || batch.keys() == null || batch.keys().isEmpty()) {
      return Map.of();
    }
    Map<String, Map<String, Double>> out = new HashMap<>(batch.keys().size() * 2);
    for (MetricBatch.Column c : batch.columns()) {
      for (int i = 0; i < c.values().length; i++) {
        out.computeIfAbsent(batch.keys().get(c.keyIndex()[i]), k -> new HashMap<>(8)).put(c.metric(), c.values()[i]);
      }
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HostDelta d && epoch == d.epoch && version == d.version && full == d.full && asOf == d.asOf
        && lastReportAt == d.lastReportAt && publishedAt == d.publishedAt && Objects.equals(hostId, d.hostId)
        && status == d.status && Objects.equals(agentId, d.agentId) && Objects.equals(servedBy, d.servedBy)
        && Objects.equals(entries, d.entries) && Objects.equals(metrics(), d.metrics());
  }

  @Override
  public int hashCode() {
    return Objects.hash(hostId, epoch, version, full, asOf, status, agentId, servedBy, lastReportAt, entries, metrics(),
        publishedAt);
  }

  @Override
  public String toString() {
    return "HostDelta[" + hostId + " epoch " + epoch + " v" + version + (full ? " full" : "") + " " + status + ", "
        + (entries == null ? 0 : entries.size()) + " entries, " + metrics().size()
        + " keys with metrics]";
  }
}
