package io.portolan.cluster.topology;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The latest value of every metric of every entry of one host, as a read model keeps it: a
 * {@link Layout} (which keys, and which metric names each has, in slots) shared by every version
 * of the host while its keys and metric names stay the same, and one {@code double[]} of values per
 * version. An agent reports every metric of every entry each second, so the read model makes a new
 * version of each host every second: as maps of maps that was ~500 small objects per host (a map
 * per key, an entry and a boxed double per value) living about a second — the whole model younger
 * than the last young collection, copied by each one and promoted by the next. Here a new version
 * is one array; the layout is made again only when a key or a metric name comes or goes (a process
 * restarted). Immutable.
 */
public final class MetricValues {

  public static final MetricValues EMPTY = new MetricValues(Layout.EMPTY, new double[0]);

  /** Receives one sample of a delta: entry key, metric name, value. */
  @FunctionalInterface
  public interface Sink {
    void accept(String key, String metric, double value);
  }

  /** Something that lists samples (a delta's metric values). */
  @FunctionalInterface
  public interface Samples {
    void forEach(Sink sink);
  }

  /** Which keys there are, and the slots of each key's metric names (sorted within a key). */
  static final class Layout {
    static final Layout EMPTY = new Layout(new String[0], new int[] {0}, new String[0]);

    final String[] keys;
    /** Key i's slots are {@code start[i]..start[i+1]}. */
    final int[] start;
    final String[] names;
    final Map<String, Integer> index;

    Layout(String[] keys, int[] start, String[] names) {
      this.keys = keys;
      this.start = start;
      this.names = names;
      Map<String, Integer> ix = new HashMap<>(Math.max(4, keys.length * 2));
      for (int i = 0; i < keys.length; i++) {
        ix.put(keys[i], i);
      }
      this.index = ix;
    }

    /** The slot of {@code metric} of {@code key}, or -1. */
    int slot(String key, String metric) {
      Integer k = index.get(key);
      if (k == null) {
        return -1;
      }
      for (int s = start[k]; s < start[k + 1]; s++) {
        if (names[s] == metric || names[s].equals(metric)) {
          return s;
        }
      }
      return -1;
    }
  }

  private final Layout layout;
  private final double[] values;

  private MetricValues(Layout layout, double[] values) {
    this.layout = layout;
    this.values = values;
  }

  /** The values of the given maps (key → metric → value). */
  public static MetricValues of(Map<String, ? extends Map<String, Double>> maps) {
    return EMPTY.with(sink -> maps.forEach((key, byMetric) -> byMetric.forEach((m, v) -> sink.accept(key, m, v))));
  }

  /** The latest values of {@code key} (sorted by name), empty when it has none. Shares this version's arrays. */
  public MetricMap of(String key) {
    Integer k = layout.index.get(key);
    if (k == null) {
      return MetricMap.EMPTY;
    }
    return new MetricMap(layout.names, values, layout.start[k], layout.start[k + 1]);
  }

  public boolean isEmpty() {
    return layout.keys.length == 0;
  }

  /** How many keys have values. */
  public int size() {
    return layout.keys.length;
  }

  public Set<String> keys() {
    return Collections.unmodifiableSet(layout.index.keySet());
  }

  /** Whether {@code other} has the same layout object (the same keys and names: versions of one host). */
  boolean sameLayout(MetricValues other) {
    return other.layout == layout;
  }

  /**
   * These values with {@code samples} merged in: per key and metric the new value; keys and
   * metrics the samples do not mention keep theirs. One new array when the samples' keys and names
   * are all known; a new layout otherwise.
   */
  public MetricValues with(Samples samples) {
    return with(samples, null);
  }

  /**
   * As {@link #with(Samples)}, then without the keys {@code keep} rejects (null: keep all), laid
   * out again at most once (a worker restart brings a new key and drops an old one in one delta).
   */
  public MetricValues with(Samples samples, Predicate<String> keep) {
    double[] next = values.clone();
    List<String> unknownKeys = new ArrayList<>(0);
    List<String> unknownNames = new ArrayList<>(0);
    List<Double> unknownValues = new ArrayList<>(0);
    int[] written = {0};
    samples.forEach((key, metric, value) -> {
      int s = layout.slot(key, metric);
      if (s < 0) {
        unknownKeys.add(key);
        unknownNames.add(metric);
        unknownValues.add(value);
      } else {
        next[s] = value;
        written[0]++;
      }
    });
    boolean drops = false;
    if (keep != null) {
      for (String key : layout.keys) {
        if (!keep.test(key)) {
          drops = true;
          break;
        }
      }
    }
    if (unknownKeys.isEmpty() && !drops) {
      return written[0] == 0 ? this : new MetricValues(layout, next);
    }
    // Lay out again: the known keys in their order (with their new names, if any), then the new keys.
    Map<String, TreeMap<String, Double>> extra = new LinkedHashMap<>();
    for (int i = 0; i < unknownKeys.size(); i++) {
      extra.computeIfAbsent(unknownKeys.get(i), x -> new TreeMap<>()).put(unknownNames.get(i), unknownValues.get(i));
    }
    List<String> keys = new ArrayList<>(layout.keys.length + extra.size());
    int[] start = new int[layout.keys.length + extra.size() + 1];
    List<String> names = new ArrayList<>(layout.names.length + unknownNames.size());
    double[] vs = new double[layout.names.length + unknownNames.size()];
    int n = 0;
    for (int k = 0; k < layout.keys.length; k++) {
      String key = layout.keys[k];
      TreeMap<String, Double> more = extra.remove(key);
      if (keep != null && !keep.test(key)) {
        continue;
      }
      start[keys.size()] = n;
      keys.add(key);
      if (more == null) {
        for (int s = layout.start[k]; s < layout.start[k + 1]; s++) {
          names.add(layout.names[s]);
          vs[n++] = next[s];
        }
      } else {
        TreeMap<String, Double> merged = new TreeMap<>(more);
        for (int s = layout.start[k]; s < layout.start[k + 1]; s++) {
          merged.put(layout.names[s], next[s]);
        }
        for (Map.Entry<String, Double> e : merged.entrySet()) {
          names.add(e.getKey().intern());
          vs[n++] = e.getValue();
        }
      }
    }
    for (Map.Entry<String, TreeMap<String, Double>> e : extra.entrySet()) {
      if (keep != null && !keep.test(e.getKey())) {
        continue;
      }
      start[keys.size()] = n;
      keys.add(e.getKey());
      for (Map.Entry<String, Double> m : e.getValue().entrySet()) {
        names.add(m.getKey().intern()); // a handful of names shared by every host's layout
        vs[n++] = m.getValue();
      }
    }
    if (keys.isEmpty()) {
      return EMPTY;
    }
    start[keys.size()] = n;
    return new MetricValues(new Layout(keys.toArray(new String[0]), Arrays.copyOf(start, keys.size() + 1),
        names.toArray(new String[0])), n == vs.length ? vs : Arrays.copyOf(vs, n));
  }

  /** These values without the keys {@code keep} rejects ({@code this} when it keeps them all). */
  public MetricValues retainKeys(Predicate<String> keep) {
    return with(sink -> { }, keep);
  }

  /** As maps (tests, and callers that want every value). */
  public Map<String, Map<String, Double>> toMap() {
    Map<String, Map<String, Double>> out = new HashMap<>(layout.keys.length * 2);
    for (String key : layout.keys) {
      out.put(key, of(key));
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof MetricValues other)) {
      return false;
    }
    if (other.layout == layout) {
      return Arrays.equals(values, other.values);
    }
    return toMap().equals(other.toMap());
  }

  @Override
  public int hashCode() {
    return toMap().hashCode();
  }

  @Override
  public String toString() {
    return "MetricValues" + toMap();
  }
}
