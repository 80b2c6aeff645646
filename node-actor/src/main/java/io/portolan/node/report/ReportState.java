package io.portolan.node.report;

import io.portolan.protocol.Entry;
import io.portolan.protocol.MetricSample;
import io.portolan.protocol.Payload;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

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

  /** Entry kinds by {@link #kindRank}: hosts, containers, processes, the rest (connections, Kubernetes). */
  private static final int KINDS = 4;

  @SuppressWarnings("unchecked")
  private static final ReportState EMPTY = new ReportState(Map.of(), Map.of(),
      new Map[] {Map.of(), Map.of(), Map.of(), Map.of()}, Map.of(), false);

  // The state is kept in parts so that an update copies only the part it changes: the host's samples arrive
  // every second and its entry rarely changes, while ~700 processes with ~2,000 samples change every pass.
  // Copying one map of everything for every batch was the agent's largest allocation site (BENCHMARK.md).
  /** Each source's live entries (a key is owned by one source). */
  private final Map<String, Map<String, Entry>> bySource;
  private final Map<String, Entry> pending;
  /** The latest sample per (key, metric), one map per entry kind ({@link #kindRank} of the key). */
  private final Map<SampleKey, MetricSample>[] samples;
  private final Map<SampleKey, MetricSample> pendingSamples;
  private final boolean tracking;

  private ReportState(Map<String, Map<String, Entry>> bySource, Map<String, Entry> pending,
      Map<SampleKey, MetricSample>[] samples, Map<SampleKey, MetricSample> pendingSamples, boolean tracking) {
    this.bySource = bySource;
    this.pending = pending;
    this.samples = samples;
    this.pendingSamples = pendingSamples;
    this.tracking = tracking;
  }

  public static ReportState empty() {
    return EMPTY;
  }

  /** Every live entry by key. Built on each call (a copy): for tests and snapshots, not for hot paths. */
  public Map<String, Entry> latest() {
    Map<String, Entry> all = new HashMap<>();
    bySource.values().forEach(all::putAll);
    return Collections.unmodifiableMap(all);
  }

  /** Calls {@code action} with every live entry (no copy). */
  public void forEachEntry(Consumer<Entry> action) {
    for (Map<String, Entry> m : bySource.values()) {
      m.values().forEach(action);
    }
  }

  /** The latest sample per (key, metric). Built on each call (a copy): for tests and snapshots. */
  public Map<SampleKey, MetricSample> samples() {
    Map<SampleKey, MetricSample> all = new HashMap<>();
    for (Map<SampleKey, MetricSample> kind : samples) {
      all.putAll(kind);
    }
    return Collections.unmodifiableMap(all);
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
    return new ReportState(bySource, on ? pending : Map.of(), samples, on ? pendingSamples : Map.of(), on);
  }

  /**
   * Everything {@code source} sees now. Its keys missing from {@code entries} are gone and become
   * tombstones. A key is owned by one source; a source never reports another's keys.
   */
  public ReportState observe(String source, Map<String, ? extends Payload> entries, long now) {
    Map<String, Entry> before = bySource.getOrDefault(source, Map.of());
    Map<String, Entry> mine = new HashMap<>(Math.max(4, (int) (entries.size() / 0.75f) + 1));
    Map<String, Entry> nextPending = null;
    boolean changedAny = false;
    for (Map.Entry<String, ? extends Payload> e : entries.entrySet()) {
      Entry old = before.get(e.getKey());
      if (old != null && old.payload().equals(e.getValue())) {
        mine.put(e.getKey(), old);
      } else {
        Entry changed = new Entry(e.getKey(), now, e.getValue());
        mine.put(e.getKey(), changed);
        changedAny = true;
        if (tracking) {
          nextPending = nextPending == null ? new HashMap<>(pending) : nextPending;
          nextPending.put(e.getKey(), changed);
        }
      }
    }
    Set<String> gone = new HashSet<>();
    for (String key : before.keySet()) {
      if (!entries.containsKey(key)) {
        gone.add(key);
        if (tracking) {
          nextPending = nextPending == null ? new HashMap<>(pending) : nextPending;
          nextPending.put(key, Entry.tombstone(key, now));
        }
      }
    }
    if (!changedAny && gone.isEmpty() && bySource.containsKey(source)) {
      return this; // nothing changed: keep the instance (and its maps) as it is
    }
    Map<SampleKey, MetricSample>[] nextSamples = samples;
    Map<SampleKey, MetricSample> nextPendingSamples = pendingSamples;
    if (!gone.isEmpty()) {
      nextSamples = samples.clone();
      boolean[] touched = new boolean[KINDS];
      for (String key : gone) {
        touched[kindRank(key)] = true;
      }
      for (int kind = 0; kind < KINDS; kind++) {
        if (touched[kind] && !samples[kind].isEmpty()) {
          Map<SampleKey, MetricSample> copy = new HashMap<>(samples[kind]);
          copy.keySet().removeIf(k -> gone.contains(k.key()));
          nextSamples[kind] = copy;
        }
      }
      if (!pendingSamples.isEmpty()) {
        nextPendingSamples = new HashMap<>(pendingSamples);
        nextPendingSamples.keySet().removeIf(k -> gone.contains(k.key()));
      }
    }
    Map<String, Map<String, Entry>> nextBySource = new HashMap<>(bySource);
    nextBySource.put(source, mine);
    return new ReportState(nextBySource, tracking ? (nextPending == null ? pending : nextPending) : Map.of(),
        nextSamples, nextPendingSamples, tracking);
  }

  /** New samples; a sample whose value equals the last one for its (key, metric) is not re-sent in deltas. */
  public ReportState sample(Collection<MetricSample> batch) {
    if (batch.isEmpty()) {
      return this;
    }
    Map<SampleKey, MetricSample>[] nextSamples = samples.clone();
    boolean[] copied = new boolean[KINDS];
    Map<SampleKey, MetricSample> nextPending = tracking ? new HashMap<>(pendingSamples) : null;
    for (MetricSample s : batch) {
      if (!Double.isFinite(s.value())) {
        continue;
      }
      int kind = kindRank(s.key());
      if (!copied[kind]) {
        nextSamples[kind] = new HashMap<>(samples[kind]);
        copied[kind] = true;
      }
      SampleKey k = new SampleKey(s.key(), s.metric());
      MetricSample old = nextSamples[kind].put(k, s);
      if (tracking && (old == null || old.value() != s.value())) {
        nextPending.put(k, s);
      }
    }
    return new ReportState(bySource, pending, nextSamples, tracking ? nextPending : Map.of(), tracking);
  }

  /** Changed entries and tombstones, and changed samples, since the last take. */
  public Taken takeDelta() {
    List<Entry> entries = sorted(pending.values());
    List<MetricSample> s = new ArrayList<>(pendingSamples.values());
    return new Taken(entries, s, new ReportState(bySource, Map.of(), samples, Map.of(), tracking));
  }

  /**
   * Every live entry and the latest sample of each metric of a live entry. Also drops samples whose
   * entry is not live (a collector may sample a key before its owner reports it; this bounds them).
   */
  public Taken takeFull() {
    List<Entry> entries = new ArrayList<>();
    bySource.values().forEach(m -> entries.addAll(m.values()));
    entries.sort(BY_KIND);
    Map<SampleKey, MetricSample>[] live = samples.clone();
    List<MetricSample> liveSamples = new ArrayList<>();
    for (int kind = 0; kind < KINDS; kind++) {
      if (samples[kind].keySet().stream().anyMatch(k -> !isLive(k.key()))) {
        Map<SampleKey, MetricSample> copy = new HashMap<>(samples[kind]);
        copy.keySet().removeIf(k -> !isLive(k.key()));
        live[kind] = copy;
      }
      liveSamples.addAll(live[kind].values());
    }
    return new Taken(entries, liveSamples, new ReportState(bySource, Map.of(), live, Map.of(), tracking));
  }

  private boolean isLive(String key) {
    for (Map<String, Entry> m : bySource.values()) {
      if (m.containsKey(key)) {
        return true;
      }
    }
    return false;
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
