package io.portolan.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The node's Server-Timing headers are read back into durations by name. */
class ServerTimingTest {

  @Test
  void readsEveryDurationOfSeveralHeaders() {
    var timing = ServerTiming.parse(List.of(
        "render;dur=12.50, json;dur=3.25, total;dur=15.75, age;dur=40.0",
        "request;dur=17.01"));

    assertThat(timing).containsEntry("render", 12.5).containsEntry("json", 3.25).containsEntry("total", 15.75)
        .containsEntry("age", 40.0).containsEntry("request", 17.01).hasSize(5);
  }

  @Test
  void leavesOutEntriesWithoutAReadableDuration() {
    var timing = ServerTiming.parse(List.of("cache;desc=hit, db;dur=x, app;desc=\"a\";dur=\"2.5\""));

    assertThat(timing).containsOnlyKeys("app").containsEntry("app", 2.5);
  }
}
