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
    double[] next = values.clone();
    boolean[] unknown = {false};
    int[] written = {0};
    samples.forEach((key, metric, value) -> {
      int s = layout.slot(key, metric);
      if (s < 0) {
        unknown[0] = true;
      } else {
        next[s] = value;
        written[0]++;
      }
    });
    if (!unknown[0]) {
      return written[0] == 0 ? this : new MetricValues(layout, next);
    }
    // A key or a metric name this layout has not got: lay everything out again.
    Map<String, TreeMap<String, Double>> all = new LinkedHashMap<>(layout.keys.length * 2);
    for (int k = 0; k < layout.keys.length; k++) {
      TreeMap<String, Double> m = new TreeMap<>();
      for (int s = layout.start[k]; s < layout.start[k + 1]; s++) {
        m.put(layout.names[s], values[s]);
      }
      all.put(layout.keys[k], m);
    }
    samples.forEach((key, metric, value) -> all.computeIfAbsent(key, x -> new TreeMap<>()).put(metric, value));
    return laidOut(all);
  }

  /** These values without the keys {@code keep} rejects ({@code this} when it keeps them all). */
  public MetricValues retainKeys(Predicate<String> keep) {
    int dropped = 0;
    for (String key : layout.keys) {
      if (!keep.test(key)) {
        dropped++;
      }
    }
    if (dropped == 0) {
      return this;
    }
    Map<String, TreeMap<String, Double>> kept = new LinkedHashMap<>();
    for (int k = 0; k < layout.keys.length; k++) {
      if (!keep.test(layout.keys[k])) {
        continue;
      }
      TreeMap<String, Double> m = new TreeMap<>();
      for (int s = layout.start[k]; s < layout.start[k + 1]; s++) {
        m.put(layout.names[s], values[s]);
      }
      kept.put(layout.keys[k], m);
    }
    return laidOut(kept);
  }

  private static MetricValues laidOut(Map<String, TreeMap<String, Double>> all) {
    if (all.isEmpty()) {
      return EMPTY;
    }
    String[] keys = new String[all.size()];
    int[] start = new int[all.size() + 1];
    List<String> names = new ArrayList<>();
    List<Double> vs = new ArrayList<>();
    int k = 0;
    for (Map.Entry<String, TreeMap<String, Double>> e : all.entrySet()) {
      keys[k] = e.getKey();
      start[k] = names.size();
      e.getValue().forEach((name, v) -> {
        names.add(name.intern()); // a handful of names shared by every host's layout
        vs.add(v);
      });
      k++;
    }
    start[k] = names.size();
    double[] values = new double[vs.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = vs.get(i);
    }
    return new MetricValues(new Layout(keys, start, names.toArray(new String[0])), values);
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
