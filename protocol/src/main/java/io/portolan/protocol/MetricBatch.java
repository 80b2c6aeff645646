package io.portolan.protocol;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The metric samples of one report in columns: the entry keys once, and per metric two arrays
 * (which keys, which values), all taken at {@code timestamp}. The same samples as a list of
 * {@link MetricSample}s, without an object, a key string and four field names per sample: a
 * Scope-sized host's ~740 samples decode as 6 arrays instead of ~740 objects. Metric names as in
 * {@link MetricSample}.
 */
public record MetricBatch(long timestamp, List<String> keys, List<Column> columns) {

  /** One metric: {@code values[i]} is the value of the entry {@code keys().get(keyIndex[i])}. */
  public record Column(String metric, int[] keyIndex, double[] values) {

    @Override
    public boolean equals(Object o) {
      return o instanceof Column c && Objects.equals(metric, c.metric) && Arrays.equals(keyIndex, c.keyIndex)
          && Arrays.equals(values, c.values);
    }

    @Override
    public int hashCode() {
      return Objects.hash(metric, Arrays.hashCode(keyIndex), Arrays.hashCode(values));
    }

    @Override
    public String toString() {
      return "Column[" + metric + ", " + (values == null ? 0 : values.length) + " values]";
    }
  }

  /** How many samples the batch holds. */
  public int size() {
    int n = 0;
    if (columns != null) {
      for (Column c : columns) {
        n += c == null || c.values() == null ? 0 : c.values().length;
      }
    }
    return n;
  }

  /** Calls {@code sink} with every sample: key, metric, timestamp, value. */
  public void forEach(Sink sink) {
    for (Column c : columns) {
      for (int i = 0; i < c.values().length; i++) {
        sink.accept(keys.get(c.keyIndex()[i]), c.metric(), timestamp, c.values()[i]);
      }
    }
  }

  /** A receiver of samples without boxing. */
  @FunctionalInterface
  public interface Sink {
    void accept(String key, String metric, long timestamp, double value);
  }
}
