package io.portolan.cluster.topology;

import io.portolan.protocol.MetricSample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One-second metric samples of one host, per key and metric, in fixed-size ring buffers of
 * {@code capacity} seconds (900 = 15 min). Memory is bounded: 2 bytes per slot (bfloat16: a float's
 * sign, exponent and top 7 mantissa bits, rounded to nearest: about 3 significant digits, the
 * relative error at most 0.4 %, which a sparkline cannot show), allocated once per series, so
 * 1.8 KB per series for 15 minutes. History is neither downsampled nor persisted: older samples
 * fall out of the ring, and a host's history starts again when its entity moves or restarts.
 * Mutable on purpose: an immutable copy per sample would cost more than the host's whole topology;
 * it lives inside one actor and never leaves it (readers get {@link Series} copies).
 */
public final class MetricStore {

  /** A copy of one series for readers: the samples of the last seconds, with min/max/avg over them. */
  public record Series(String metric, double latest, double min, double max, double avg, List<Sample> samples)
      implements io.portolan.cluster.CborSerializable {}

  public record Sample(long t, double v) implements io.portolan.cluster.CborSerializable {}

  private final int capacity;
  private final Map<String, Map<String, Ring>> byKey = new HashMap<>();

  public MetricStore(int capacitySeconds) {
    this.capacity = Math.max(1, capacitySeconds);
  }

  public void add(MetricSample sample) {
    add(sample.key(), sample.metric(), sample.timestamp(), sample.value());
  }

  public void add(String key, String metric, long timestampMillis, double value) {
    Map<String, Ring> rings = byKey.get(key);
    if (rings == null) {
      rings = new HashMap<>(8);
      byKey.put(key, rings);
    }
    Ring ring = rings.get(metric);
    if (ring == null) {
      ring = new Ring(capacity);
      rings.put(metric, ring);
    }
    ring.put(Math.floorDiv(timestampMillis, 1000), toBfloat16((float) value));
    ring.latest = value;
    ring.fresh = true;
  }

  /**
   * The latest value (as added, not rounded) of every series that got a sample since the last call,
   * by key and metric, or an empty map. What a host entity publishes to the read models: kept here
   * with the series instead of in a map of maps filled per sample (which lived for seconds, long
   * enough to be promoted and then die in the old generation).
   */
  public Map<String, Map<String, Double>> drainLatest() {
    Map<String, Map<String, Double>> out = null;
    for (Map.Entry<String, Map<String, Ring>> byMetric : byKey.entrySet()) {
      Map<String, Double> values = null;
      for (Map.Entry<String, Ring> e : byMetric.getValue().entrySet()) {
        Ring ring = e.getValue();
        if (ring.fresh) {
          ring.fresh = false;
          if (values == null) {
            values = new HashMap<>(8);
          }
          values.put(e.getKey(), ring.latest);
        }
      }
      if (values != null) {
        if (out == null) {
          out = new HashMap<>(byKey.size() * 2);
        }
        out.put(byMetric.getKey(), values);
      }
    }
    return out == null ? Map.of() : out;
  }

  /** The empty slot: a quiet NaN. */
  static final short EMPTY = (short) 0x7FC0;

  /** A float rounded to the nearest bfloat16 (ties to even); NaN stays NaN. */
  static short toBfloat16(float value) {
    if (Float.isNaN(value)) {
      return EMPTY;
    }
    int bits = Float.floatToRawIntBits(value);
    int rounded = bits + 0x7FFF + ((bits >>> 16) & 1);
    return (short) (rounded >>> 16);
  }

  static float fromBfloat16(short value) {
    return Float.intBitsToFloat((value & 0xFFFF) << 16);
  }

  /** Forgets the series of keys that are gone. */
  public void retainKeys(java.util.Set<String> live) {
    byKey.keySet().retainAll(live);
  }

  public int seriesCount() {
    int n = 0;
    for (Map<String, Ring> m : byKey.values()) {
      n += m.size();
    }
    return n;
  }

  /** The series of {@code key} over the last {@code seconds} up to {@code nowMillis}, by metric name. */
  public Map<String, Series> series(String key, int seconds, long nowMillis) {
    Map<String, Ring> rings = byKey.get(key);
    Map<String, Series> out = new TreeMap<>();
    if (rings == null) {
      return out;
    }
    long nowSecond = Math.floorDiv(nowMillis, 1000);
    rings.forEach((metric, ring) -> out.put(metric, ring.series(metric, nowSecond, Math.min(seconds, capacity))));
    return out;
  }

  private static final class Ring {
    private final short[] values;
    private long lastSecond = Long.MIN_VALUE;
    /** The last value added, and whether it was added since the last {@link #drainLatest}. */
    private double latest = Double.NaN;
    private boolean fresh;

    Ring(int capacity) {
      values = new short[capacity];
      java.util.Arrays.fill(values, EMPTY);
    }

    void put(long second, short value) {
      int n = values.length;
      if (lastSecond == Long.MIN_VALUE) {
        lastSecond = second;
      } else if (second > lastSecond) {
        long gap = Math.min(second - lastSecond - 1, n);
        for (long s = second - gap; s < second; s++) {
          values[(int) Math.floorMod(s, (long) n)] = EMPTY;
        }
        lastSecond = second;
      } else if (second <= lastSecond - n) {
        return; // older than the window
      }
      values[(int) Math.floorMod(second, (long) n)] = value;
    }

    Series series(String metric, long nowSecond, int seconds) {
      List<Sample> samples = new ArrayList<>();
      double min = Double.NaN;
      double max = Double.NaN;
      double sum = 0;
      int count = 0;
      double latest = Double.NaN;
      long end = Math.min(nowSecond, lastSecond);
      for (long s = end - seconds + 1; s <= end; s++) {
        if (s <= lastSecond - values.length) {
          continue;
        }
        float v = fromBfloat16(values[(int) Math.floorMod(s, (long) values.length)]);
        if (Float.isNaN(v)) {
          continue;
        }
        samples.add(new Sample(s * 1000, v));
        min = count == 0 ? v : Math.min(min, v);
        max = count == 0 ? v : Math.max(max, v);
        sum += v;
        count++;
        latest = v;
      }
      return new Series(metric, latest, min, max, count == 0 ? Double.NaN : sum / count, samples);
    }
  }
}
