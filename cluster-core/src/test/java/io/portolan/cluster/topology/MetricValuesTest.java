package io.portolan.cluster.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** {@link MetricValues} and {@link MetricMap} against maps of maps, the representation they replace. */
class MetricValuesTest {

  private static final String[] METRICS = {"cpu_percent", "memory_bytes", "rss_bytes", "net_rx_bytes_per_s", "a", "z"};

  /** Merging and dropping keys in any order gives what the maps of maps gave, version after version. */
  @Property(tries = 50)
  void mergesLikeMapsOfMaps(@ForAll long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    MetricValues values = MetricValues.EMPTY;
    Map<String, Map<String, Double>> expected = new HashMap<>();
    for (int step = 0; step < 60; step++) {
      MetricValues before = values;
      if (random.nextInt(8) == 0) {
        int keep = random.nextInt(6);
        values = values.retainKeys(k -> k.hashCode() % 6 != keep);
        expected.keySet().removeIf(k -> k.hashCode() % 6 == keep);
      } else {
        Map<String, Map<String, Double>> delta = new TreeMap<>();
        int keys = random.nextInt(5);
        for (int i = 0; i < keys; i++) {
          // mostly the keys and names already there (one new array), now and then new ones (a new layout)
          String key = "process:h|" + random.nextInt(random.nextInt(10) == 0 ? 40 : 8);
          Map<String, Double> byMetric = new HashMap<>();
          int n = 1 + random.nextInt(3);
          for (int j = 0; j < n; j++) {
            byMetric.put(METRICS[random.nextInt(random.nextInt(10) == 0 ? METRICS.length : 2)],
                random.nextInt(4) == 0 ? Double.NaN : random.nextDouble() * 100);
          }
          delta.put(key, byMetric);
        }
        int drop = random.nextInt(4) == 0 ? random.nextInt(6) : -1; // now and then merged and dropped at once
        values = values.with(sink -> delta.forEach((k, m) -> m.forEach((name, v) -> sink.accept(k, name, v))),
            drop < 0 ? null : k -> k.hashCode() % 6 != drop);
        delta.forEach((k, m) -> expected.computeIfAbsent(k, x -> new HashMap<>()).putAll(m));
        expected.keySet().removeIf(k -> k.hashCode() % 6 == drop);
      }
      assertThat(values.toMap()).as("step %d", step).isEqualTo(expected);
      assertThat(values.keys()).isEqualTo(expected.keySet());
      for (String key : expected.keySet()) {
        assertThat(values.of(key)).isEqualTo(expected.get(key));
        assertThat(new ArrayList<>(values.of(key).keySet())).isSorted();
      }
      assertThat(values.of("container:none")).isEmpty();
      assertThat(before.toMap()).as("an older version is left as it was").isNotNull();
    }
  }

  @Test
  void aDeltaOfKnownKeysSharesTheLayoutAndLeavesTheOldVersionAlone() {
    MetricValues v1 = MetricValues.of(Map.of("container:a", Map.of("cpu_percent", 1.0, "memory_bytes", 2.0),
        "process:h|1", Map.of("cpu_percent", 3.0)));
    MetricValues v2 = v1.with(sink -> sink.accept("container:a", "cpu_percent", 5.0));
    assertThat(v2.sameLayout(v1)).isTrue();
    assertThat(v2.of("container:a")).isEqualTo(Map.of("cpu_percent", 5.0, "memory_bytes", 2.0));
    assertThat(v1.of("container:a")).isEqualTo(Map.of("cpu_percent", 1.0, "memory_bytes", 2.0));
    assertThat(v2.of("process:h|1")).isEqualTo(Map.of("cpu_percent", 3.0));

    MetricValues v3 = v2.with(sink -> sink.accept("process:h|2", "cpu_percent", 7.0));
    assertThat(v3.sameLayout(v2)).isFalse();
    assertThat(v3.toMap()).containsEntry("process:h|2", Map.of("cpu_percent", 7.0)).hasSize(3);
    assertThat(v3.with(sink -> { })).isSameAs(v3);
    assertThat(v3.retainKeys(k -> true)).isSameAs(v3);
    assertThat(v3.retainKeys(k -> k.startsWith("container")).toMap()).containsOnlyKeys("container:a");
  }

  @Test
  void aMetricMapIsEqualToTheTreeMapItReplacesAndSerializesTheSame() throws Exception {
    TreeMap<String, Double> tree = new TreeMap<>(Map.of("net_tx_bytes_per_s", 4.0, "cpu_percent", 1.5,
        "memory_bytes", 3.0e9));
    MetricMap compact = MetricMap.of(tree);
    assertThat(compact).isEqualTo(tree);
    assertThat(tree).isEqualTo(compact);
    assertThat(compact.hashCode()).isEqualTo(tree.hashCode());
    assertThat(compact.get("cpu_percent")).isEqualTo(1.5);
    assertThat(compact.get("nope")).isNull();
    assertThat(compact.value("nope")).isNaN();
    ObjectMapper json = new ObjectMapper();
    assertThat(json.writeValueAsString(compact)).isEqualTo(json.writeValueAsString(tree));

    String[] wanted = {"cpu_percent", "memory_bytes", "net_rx_bytes_per_s", "net_tx_bytes_per_s"};
    MetricMap selected = MetricMap.select(compact, wanted);
    TreeMap<String, Double> expected = new TreeMap<>(tree);
    assertThat(selected).isEqualTo(expected);
    assertThat(json.writeValueAsString(selected)).isEqualTo(json.writeValueAsString(expected));
    assertThat(MetricMap.select(Map.of(), wanted)).isEmpty();
    assertThat(MetricMap.select(tree, new String[] {"cpu_percent"})).isEqualTo(Map.of("cpu_percent", 1.5));
    assertThat(MetricMap.select(tree, new String[] {"x"})).isEmpty();
    MetricMap process = MetricMap.of(Map.of("cpu_percent", 1.0, "rss_bytes", 2.0));
    assertThat(MetricMap.select(process, new String[] {"cpu_percent", "memory_bytes", "rss_bytes"})).isSameAs(process);
    assertThat(MetricMap.select(process, new String[] {"cpu_percent", "memory_bytes"}))
        .isEqualTo(Map.of("cpu_percent", 1.0));
  }

  @Test
  void aSnapshotKeepsTheLatestValuesAndDropsThoseOfRemovedEntries() {
    HostDelta first = new HostDelta("h", 1, 1, true, 10, HostStatus.LIVE, "a", "n", 10,
        List.of(new io.portolan.protocol.Entry("process:h|1", 10, new io.portolan.protocol.Payload.Process(1, 0, "p",
            "p", 0, "u", "/", "S", 1, null))),
        Map.of("process:h|1", Map.of("cpu_percent", 1.0), "process:h|2", Map.of("cpu_percent", 2.0)), 10);
    HostSnapshot s1 = HostSnapshot.empty("h").apply(first, 10);
    // a full delta drops the values of keys that are not live
    assertThat(s1.metrics().keys()).containsOnly("process:h|1");
    HostDelta second = new HostDelta("h", 1, 2, false, 11, HostStatus.LIVE, "a", "n", 11, List.of(),
        Map.of("process:h|1", Map.of("cpu_percent", 4.0, "rss_bytes", 5.0)), 11);
    HostSnapshot s2 = s1.apply(second, 11);
    assertThat(s2.metricsOf("process:h|1")).isEqualTo(Map.of("cpu_percent", 4.0, "rss_bytes", 5.0));
    assertThat(s1.metricsOf("process:h|1")).isEqualTo(Map.of("cpu_percent", 1.0));
    assertThat(s2.live()).isSameAs(s1.live());
  }

  @Test
  void aDeltaFromTheWireMergesItsColumnsAsTheMapsWouldBe() throws Exception {
    Map<String, Map<String, Double>> metrics = Map.of("container:a", Map.of("cpu_percent", 1.0, "memory_bytes", 2.0),
        "process:h|1", Map.of("cpu_percent", 3.0, "rss_bytes", 4.0), "host:h", Map.of("cpu_percent", 5.0));
    HostDelta sent = new HostDelta("h", 1, 1, false, 10, HostStatus.LIVE, "a", "n", 10, List.of(), metrics, 10);
    HostDelta received = HostDelta.fromWire(sent.wireBytes());
    assertThat(received.hasMetrics()).isTrue();
    HostSnapshot fromWire = HostSnapshot.empty("h").apply(received, 10);
    HostSnapshot fromMaps = HostSnapshot.empty("h").apply(sent, 10);
    assertThat(fromWire.metrics()).isEqualTo(fromMaps.metrics());
    assertThat(fromWire.metrics().toMap()).isEqualTo(metrics);
    assertThat(received.metrics()).isEqualTo(metrics);
    HostDelta none = HostDelta.fromWire(new HostDelta("h", 1, 2, false, 10, HostStatus.LIVE, "a", "n", 10, List.of(),
        Map.of(), 10).wireBytes());
    assertThat(none.hasMetrics()).isFalse();
    assertThat(fromWire.apply(none, 11).metrics()).isSameAs(fromWire.metrics());
  }
}
