package io.portolan.cluster.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Keeping the last render's order and merging new ids in gives exactly the sorted ids. */
class OrderedIdsTest {

  @Test
  void mergingIntoThePreviousOrderEqualsSortingFromScratch() {
    SplittableRandom random = new SplittableRandom(42);
    List<String> previous = List.of();
    for (int round = 0; round < 200; round++) {
      Set<String> ids = new HashSet<>();
      for (String id : previous) {
        if (random.nextInt(10) > 0) {
          ids.add(id); // most ids stay
        }
      }
      int fresh = random.nextInt(round % 7 == 0 ? 300 : 5);
      for (int i = 0; i < fresh; i++) {
        ids.add("process:sim-h" + random.nextInt(100) + ";" + random.nextInt(100_000));
      }
      List<String> ordered = Renderers.ordered(previous, ids);
      assertThat(ordered).as("round %d", round).containsExactlyElementsOf(new ArrayList<>(new TreeSet<>(ids)));
      if (ids.size() == previous.size() && ids.containsAll(previous)) {
        assertThat(ordered).isSameAs(previous);
      }
      previous = ordered;
    }
  }
}
