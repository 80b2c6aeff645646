package io.portolan.node.report;

import io.portolan.protocol.Entry;
import io.portolan.protocol.MetricSample;
import io.portolan.protocol.Payload;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The agent's latest-state map: one {@link Entry} per key (newest wins), the keys each collector owns,
 * the latest sample per (key, metric), and what changed since the last report was taken.
 *
 * <p>Immutable: every method returns a new instance. Size is bounded by what is live on the host:
 * while {@code tracking} is off (no cluster connection) nothing accumulates besides the latest
 * state, and the next connection starts with a full report.
 *
 * <p>Change detection is by payload equality, so an entry's timestamp is the time it last changed.
 * Samples are sent in deltas only when their value changed; every full report carries all of them.
 */
public final class ReportState {

  /** A sample's identity: which entry and which metric. */
  public record SampleKey(String key, String metric) {}

  /** What {@link #takeDelta} and {@link #takeFull} hand out, and the state after taking it. */
  public record Taken(List<Entry> entries, List<MetricSample> samples, ReportState next) {
    public boolean isEmpty() {
      return entries.isEmpty() && samples.isEmpty();
    }
  }

  private static final ReportState EMPTY =
      new ReportState(Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), false);

  private final Map<String, Entry> latest;
  private final Map<String, Set<String>> keysBySource;
  private final Map<String, Entry> pending;
  private final Map<SampleKey, MetricSample> samples;
  private final Map<SampleKey, MetricSample> pendingSamples;
  private final boolean tracking;

  private ReportState(Map<String, Entry> latest, Map<String, Set<String>> keysBySource,
      Map<String, Entry> pending, Map<SampleKey, MetricSample> samples,
      Map<SampleKey, MetricSample> pendingSamples, boolean tracking) {
    this.latest = latest;
    this.keysBySource = keysBySource;
    this.pending = pending;
    this.samples = samples;
    this.pendingSamples = pendingSamples;
    this.tracking = tracking;
  }

  public static ReportState empty() {
    return EMPTY;
  }

  public Map<String, Entry> latest() {
    return latest;
  }

  public Map<SampleKey, MetricSample> samples() {
    return samples;
  }

  public int pendingCount() {
    return pending.size() + pendingSamples.size();
  }

  public boolean tracking() {
    return tracking;
  }

  /**
   * Turns change tracking on (connected: deltas will be taken) or off (disconnected: keep only the
   * latest state; what is pending is dropped because the next connection begins with a full report).
   */
  public ReportState withTracking(boolean on) {
    return new ReportState(latest, keysBySource, on ? pending : Map.of(), samples,
        on ? pendingSamples : Map.of(), on);
  }

  /**
   * Everything {@code source} sees now. Its keys missing from {@code entries} are gone and become
   * tombstones. A key is owned by one source; a source never reports another's keys.
   */
  public ReportState observe(String source, Map<String, ? extends Payload> entries, long now) {
    Map<String, Entry> nextLatest = new HashMap<>(latest);
    Map<String, Entry> nextPending = tracking ? new HashMap<>(pending) : null;
    Map<SampleKey, MetricSample> nextSamples = null;
    for (Map.Entry<String, ? extends Payload> e : entries.entrySet()) {
      Entry old = latest.get(e.getKey());
      if (old == null || !old.payload().equals(e.getValue())) {
        Entry changed = new Entry(e.getKey(), now, e.getValue());
        nextLatest.put(e.getKey(), changed);
        if (tracking) {
          nextPending.put(e.getKey(), changed);
        }
      }
    }
    Set<String> before = keysBySource.getOrDefault(source, Set.of());
    Set<String> gone = new HashSet<>();
    for (String key : before) {
      if (!entries.containsKey(key)) {
        gone.add(key);
        nextLatest.remove(key);
        if (tracking) {
          nextPending.put(key, Entry.tombstone(key, now));
        }
      }
    }
    Map<SampleKey, MetricSample> nextPendingSamples = pendingSamples;
    if (!gone.isEmpty()) {
      nextSamples = new HashMap<>(samples);
      nextSamples.keySet().removeIf(k -> gone.contains(k.key()));
      if (!pendingSamples.isEmpty()) {
        nextPendingSamples = new HashMap<>(pendingSamples);
        nextPendingSamples.keySet().removeIf(k -> gone.contains(k.key()));
      }
    }
    Map<String, Set<String>> nextOwners = new HashMap<>(keysBySource);
    nextOwners.put(source, Set.copyOf(entries.keySet()));
    return new ReportState(nextLatest, nextOwners, tracking ? nextPending : Map.of(),
        nextSamples == null ? samples : nextSamples, nextPendingSamples, tracking);
  }

  /** New samples; a sample whose value equals the last one for its (key, metric) is not re-sent in deltas. */
  public ReportState sample(Collection<MetricSample> batch) {
    if (batch.isEmpty()) {
      return this;
    }
    Map<SampleKey, MetricSample> nextSamples = new HashMap<>(samples);
    Map<SampleKey, MetricSample> nextPending = tracking ? new HashMap<>(pendingSamples) : null;
    for (MetricSample s : batch) {
      if (!Double.isFinite(s.value())) {
        continue;
      }
      SampleKey k = new SampleKey(s.key(), s.metric());
      MetricSample old = nextSamples.put(k, s);
      if (tracking && (old == null || old.value() != s.value())) {
        nextPending.put(k, s);
      }
    }
    return new ReportState(latest, keysBySource, pending, nextSamples,
        tracking ? nextPending : Map.of(), tracking);
  }

  /** Changed entries and tombstones, and changed samples, since the last take. */
  public Taken takeDelta() {
    List<Entry> entries = sorted(pending.values());
    List<MetricSample> s = new ArrayList<>(pendingSamples.values());
    return new Taken(entries, s,
        new ReportState(latest, keysBySource, Map.of(), samples, Map.of(), tracking));
  }

  /**
   * Every live entry and the latest sample of each metric of a live entry. Also drops samples whose
   * entry is not live (a collector may sample a key before its owner reports it; this bounds them).
   */
  public Taken takeFull() {
    Map<SampleKey, MetricSample> live = new HashMap<>(samples);
    live.keySet().removeIf(k -> !latest.containsKey(k.key()));
    return new Taken(sorted(latest.values()), new ArrayList<>(live.values()),
        new ReportState(latest, keysBySource, Map.of(), live, Map.of(), tracking));
  }

  /** Hosts first, then containers, processes and connections: if a report must be split, the first frame holds the most useful part. */
  static final Comparator<Entry> BY_KIND = Comparator
      .comparingInt((Entry e) -> kindRank(e.key()))
      .thenComparing(Entry::key);

  static int kindRank(String key) {
    if (key.startsWith("host:")) {
      return 0;
    } else if (key.startsWith("container:")) {
      return 1;
    } else if (key.startsWith("process:")) {
      return 2;
    }
    return 3;
  }

  private static List<Entry> sorted(Collection<Entry> entries) {
    List<Entry> list = new ArrayList<>(entries);
    list.sort(BY_KIND);
    return list;
  }
}
