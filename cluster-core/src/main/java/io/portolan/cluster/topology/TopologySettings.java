package io.portolan.cluster.topology;

import com.typesafe.config.Config;
import java.time.Duration;

/** The {@code portolan.topology} block, read once. */
public record TopologySettings(
    Duration staleAfter,
    Duration removeAfter,
    Duration metricsRetention,
    Duration tombstoneRetention,
    Duration fullReportRequestInterval,
    Duration streamInterval,
    Duration viewMaxAge,
    int sparklineSeconds) {

  public static TopologySettings from(Config config) {
    Config t = config.getConfig("portolan.topology");
    return new TopologySettings(
        t.getDuration("stale-after"),
        t.getDuration("remove-after"),
        t.getDuration("metrics-retention"),
        t.getDuration("tombstone-retention"),
        t.getDuration("full-report-request-interval"),
        t.getDuration("stream-interval"),
        t.getDuration("view-max-age"),
        t.getInt("sparkline-seconds"));
  }

  public static TopologySettings defaults() {
    return new TopologySettings(Duration.ofSeconds(15), Duration.ofMinutes(5), Duration.ofMinutes(15),
        Duration.ofMinutes(2), Duration.ofSeconds(5), Duration.ofMillis(250), Duration.ofMillis(100), 60);
  }
}
