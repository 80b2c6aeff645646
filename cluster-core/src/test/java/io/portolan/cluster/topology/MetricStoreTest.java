package io.portolan.cluster.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The bfloat16 rings: values within 0.4 %, gaps left empty, the window bounded. */
class MetricStoreTest {

  @Test
  void bfloat16KeepsAboutThreeSignificantDigits() {
    for (double v : new double[] {0, 1, 12.5, 99.9, 1234.5, 3.7e9, 5_000_000, -42.25, 1e-3}) {
      double back = MetricStore.fromBfloat16(MetricStore.toBfloat16((float) v));
      assertThat(back).as("round trip of %s", v).isCloseTo(v, within(Math.abs(v) * 0.004 + 1e-12));
    }
    assertThat(MetricStore.fromBfloat16(MetricStore.toBfloat16(Float.NaN))).isNaN();
    assertThat(MetricStore.fromBfloat16(MetricStore.toBfloat16(Float.POSITIVE_INFINITY))).isInfinite();
  }

  @Test
  void seriesHasOneSamplePerSecondWithGapsAndForgetsWhatFellOutOfTheWindow() {
    MetricStore store = new MetricStore(10);
    store.add("container:a", "cpu_percent", 1_000, 10);
    store.add("container:a", "cpu_percent", 2_000, 20);
    store.add("container:a", "cpu_percent", 4_000, 40); // 3 s missing
    MetricStore.Series s = store.series("container:a", 10, 4_500).get("cpu_percent");
    assertThat(s.samples()).extracting(MetricStore.Sample::t).containsExactly(1_000L, 2_000L, 4_000L);
    assertThat(s.min()).isEqualTo(10);
    assertThat(s.max()).isEqualTo(40);
    assertThat(s.latest()).isEqualTo(40);
    assertThat(s.avg()).isCloseTo(70 / 3.0, within(1e-9));

    store.add("container:a", "cpu_percent", 13_000, 130); // 1 and 2 are now older than 10 s
    assertThat(store.series("container:a", 10, 13_000).get("cpu_percent").samples())
        .extracting(MetricStore.Sample::t).containsExactly(4_000L, 13_000L);
    assertThat(store.seriesCount()).isEqualTo(1);
    store.retainKeys(java.util.Set.of());
    assertThat(store.series("container:a", 10, 13_000)).isEmpty();
    assertThat(store.seriesCount()).isZero();
  }

  @Test
  void drainLatestGivesTheLastValueOfEachSeriesAddedToSinceTheLastDrainUnrounded() {
    MetricStore store = new MetricStore(10);
    assertThat(store.drainLatest()).isEmpty();
    store.add("container:a", "cpu_percent", 1_000, 10.123456);
    store.add("container:a", "cpu_percent", 2_000, 20.123456);
    store.add("container:a", "memory_bytes", 2_000, 123_456_789);
    store.add("process:h:1", "cpu_percent", 2_000, 1.5);
    assertThat(store.drainLatest()).isEqualTo(java.util.Map.of(
        "container:a", java.util.Map.of("cpu_percent", 20.123456, "memory_bytes", 123_456_789.0),
        "process:h:1", java.util.Map.of("cpu_percent", 1.5)));
    assertThat(store.drainLatest()).isEmpty();
    store.add("container:a", "memory_bytes", 3_000, 7);
    assertThat(store.drainLatest()).isEqualTo(java.util.Map.of("container:a", java.util.Map.of("memory_bytes", 7.0)));
    // a key that is gone is not drained
    store.add("process:h:1", "cpu_percent", 4_000, 2.5);
    store.retainKeys(java.util.Set.of("container:a"));
    assertThat(store.drainLatest()).isEmpty();
  }
}
