package io.portolan.cluster.topology;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An immutable map of metric name to value over two arrays: names sorted as a {@code TreeMap} sorts
 * them (so it iterates and serializes in the same order), values unboxed. Two objects and no entry
 * objects, where a {@code TreeMap} of four metrics is nine objects and four boxed doubles: the read
 * model and the view nodes replace these every second for every entry, and what lives that long
 * is what a young collection copies. {@code names[from..to)} and {@code values[from..to)} are
 * this map's; the arrays may be shared with other maps and are never written after construction.
 * Equal to any {@link Map} with the same entries.
 */
public final class MetricMap extends AbstractMap<String, Double> {

  public static final MetricMap EMPTY = new MetricMap(new String[0], new double[0], 0, 0);

  private final String[] names;
  private final double[] values;
  private final int from;
  private final int to;

  /** {@code names[from..to)} must be sorted by {@link String#compareTo} and distinct; nothing is copied. */
  MetricMap(String[] names, double[] values, int from, int to) {
    this.names = names;
    this.values = values;
    this.from = from;
    this.to = to;
  }

  /** A map of the given entries (names in any order, distinct), copied and sorted. */
  public static MetricMap of(Map<String, Double> entries) {
    if (entries instanceof MetricMap m) {
      return m;
    }
    String[] names = entries.keySet().toArray(new String[0]);
    Arrays.sort(names);
    double[] values = new double[names.length];
    for (int i = 0; i < names.length; i++) {
      values[i] = entries.get(names[i]);
    }
    return new MetricMap(names, values, 0, names.length);
  }

  /**
   * The entries of {@code source} whose names are in {@code wanted} (sorted and distinct): the
   * summary a view node shows. {@code source} itself when it is a {@code MetricMap} and every name of it
   * is wanted; shares {@code wanted} as its names when every one is present.
   */
  public static MetricMap select(Map<String, Double> source, String[] wanted) {
    if (wanted.length > 64) {
      throw new IllegalArgumentException("at most 64 names");
    }
    if (source.isEmpty()) {
      return EMPTY;
    }
    if (source instanceof MetricMap m && m.within(wanted)) {
      return m; // all of it is wanted (a process's cpu and rss): shared, nothing copied
    }
    double[] values = new double[wanted.length];
    int n = 0;
    long present = 0; // wanted has at most a handful of names
    MetricMap compact = source instanceof MetricMap m ? m : null;
    for (int i = 0; i < wanted.length; i++) {
      if (compact != null) {
        int at = compact.indexOf(wanted[i]);
        if (at >= 0) {
          values[i] = compact.values[at];
          present |= 1L << i;
          n++;
        }
        continue;
      }
      Double v = source.get(wanted[i]);
      if (v != null) {
        values[i] = v;
        present |= 1L << i;
        n++;
      }
    }
    if (n == wanted.length) {
      return new MetricMap(wanted, values, 0, n);
    }
    if (n == 0) {
      return EMPTY;
    }
    String[] names = new String[n];
    double[] vs = new double[n];
    int j = 0;
    for (int i = 0; i < wanted.length; i++) {
      if ((present & (1L << i)) != 0) {
        names[j] = wanted[i];
        vs[j++] = values[i];
      }
    }
    return new MetricMap(names, vs, 0, n);
  }

  /** Whether every name of this map is one of {@code wanted}. */
  private boolean within(String[] wanted) {
    for (int i = from; i < to; i++) {
      boolean found = false;
      for (String w : wanted) {
        if (w == names[i] || w.equals(names[i])) {
          found = true;
          break;
        }
      }
      if (!found) {
        return false;
      }
    }
    return true;
  }

  private int indexOf(Object name) {
    for (int i = from; i < to; i++) {
      if (names[i].equals(name)) {
        return i;
      }
    }
    return -1;
  }

  /** The value of {@code name}, or NaN when there is none (no boxing). */
  public double value(String name) {
    int i = indexOf(name);
    return i < 0 ? Double.NaN : values[i];
  }

  @Override
  public int size() {
    return to - from;
  }

  @Override
  public boolean isEmpty() {
    return to == from;
  }

  @Override
  public boolean containsKey(Object key) {
    return indexOf(key) >= 0;
  }

  @Override
  public Double get(Object key) {
    int i = indexOf(key);
    return i < 0 ? null : values[i];
  }

  /** Whether both maps hold the same names with the same values (bit for bit, as {@link Double#equals}). */
  public boolean sameAs(MetricMap other) {
    if (other == this) {
      return true;
    }
    if (other.size() != size()) {
      return false;
    }
    for (int i = 0; i < size(); i++) {
      if (!names[from + i].equals(other.names[other.from + i])
          || Double.doubleToLongBits(values[from + i]) != Double.doubleToLongBits(other.values[other.from + i])) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    if (o instanceof MetricMap m) {
      return sameAs(m);
    }
    return super.equals(o);
  }

  @Override
  public int hashCode() {
    int h = 0;
    for (int i = from; i < to; i++) {
      h += names[i].hashCode() ^ Double.hashCode(values[i]);
    }
    return h;
  }

  @Override
  public Set<Map.Entry<String, Double>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<String, Double>> iterator() {
        return new Iterator<>() {
          private int i = from;

          @Override
          public boolean hasNext() {
            return i < to;
          }

          @Override
          public Map.Entry<String, Double> next() {
            if (i >= to) {
              throw new NoSuchElementException();
            }
            int at = i++;
            return new SimpleImmutableEntry<>(names[at], values[at]);
          }
        };
      }

      @Override
      public int size() {
        return to - from;
      }
    };
  }

  @Override
  public void forEach(java.util.function.BiConsumer<? super String, ? super Double> action) {
    for (int i = from; i < to; i++) {
      action.accept(names[i], values[i]);
    }
  }
}
