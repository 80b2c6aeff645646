package io.portolan.cluster.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.portolan.protocol.Entry;
import io.portolan.protocol.Payload;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The merge laws of {@link LatestMap}: associative, commutative, idempotent, so that deltas and
 * snapshots converge whatever the order and however often they arrive. Keys, timestamps and
 * payloads are drawn from small sets so that collisions and timestamp ties are frequent.
 */
class LatestMapProperties {

  @Property(tries = 500)
  void mergeIsAssociative(@ForAll("maps") LatestMap a, @ForAll("maps") LatestMap b, @ForAll("maps") LatestMap c) {
    assertThat(a.merge(b).merge(c)).isEqualTo(a.merge(b.merge(c)));
  }

  @Property(tries = 500)
  void mergeIsCommutative(@ForAll("maps") LatestMap a, @ForAll("maps") LatestMap b) {
    assertThat(a.merge(b)).isEqualTo(b.merge(a));
  }

  @Property(tries = 500)
  void mergeIsIdempotent(@ForAll("maps") LatestMap a, @ForAll("maps") LatestMap b) {
    assertThat(a.merge(a)).isEqualTo(a);
    assertThat(a.merge(b).merge(b)).isEqualTo(a.merge(b));
  }

  @Property(tries = 300)
  void deltasInAnyOrderGiveTheSameState(@ForAll("entryLists") List<Entry> deltas, @ForAll long seed) {
    List<Entry> shuffled = new ArrayList<>(deltas);
    Collections.shuffle(shuffled, new java.util.Random(seed));
    LatestMap inOrder = LatestMap.EMPTY;
    for (Entry e : deltas) {
      inOrder = inOrder.mergeEntries(List.of(e)).map();
    }
    assertThat(LatestMap.of(shuffled)).isEqualTo(inOrder);
  }

  @Property(tries = 300)
  void mergedValueKeepsTheNewestEntryPerKey(@ForAll("maps") LatestMap a, @ForAll("maps") LatestMap b) {
    LatestMap merged = a.merge(b);
    merged.entries().forEach((key, winner) -> {
      for (LatestMap side : List.of(a, b)) {
        Entry other = side.entries().get(key);
        if (other != null) {
          assertThat(winner.timestamp()).isGreaterThanOrEqualTo(other.timestamp());
        }
      }
    });
    assertThat(merged.entries().keySet()).containsAll(a.entries().keySet()).containsAll(b.entries().keySet());
  }

  @Property(tries = 200)
  void aFullReportRemovesWhatItLacks(@ForAll("maps") LatestMap before, @ForAll("entryLists") List<Entry> report) {
    long asOf = 100; // newer than every generated timestamp
    List<Entry> fresh = report.stream().map(e -> new Entry(e.key(), asOf, e.payload())).toList();
    LatestMap after = before.applyFull(fresh, asOf).map();
    java.util.Set<String> reported = new java.util.HashSet<>();
    for (Entry e : fresh) {
      reported.add(e.key());
    }
    after.live().keySet().forEach(key -> assertThat(reported).contains(key));
  }

  @Provide
  Arbitrary<LatestMap> maps() {
    return entryLists().map(LatestMap::of);
  }

  @Provide
  Arbitrary<List<Entry>> entryLists() {
    return entries().list().ofMaxSize(12);
  }

  private Arbitrary<Entry> entries() {
    Arbitrary<String> keys = Arbitraries.of("container:a", "container:b", "container:c", "process:h;1", "process:h;2");
    Arbitrary<Long> timestamps = Arbitraries.longs().between(1, 6);
    Arbitrary<String> names = Arbitraries.of("web", "db", "cache");
    Arbitrary<Boolean> tombstone = Arbitraries.of(true, false, false);
    return Combinators.combine(keys, timestamps, names, tombstone).as((key, ts, name, dead) -> {
      if (dead) {
        return Entry.tombstone(key, ts);
      }
      Payload payload = key.startsWith("container:")
          ? new Payload.Container(key.substring(10), name, "img", "sha", "running", 1, 1, Map.of(), Map.of(),
              List.of(), List.of(), Map.of(), "bridge", 0, null, 0, 0)
          : new Payload.Process(1, 0, name, name, 0, "root", "/", "S", 1, null);
      return new Entry(key, ts, payload);
    });
  }
}
