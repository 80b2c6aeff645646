package io.portolan.cluster.topology;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The {@code portolan.topology} block, read once. A host entity publishes structure changes at
 * once, metric-only updates at most every {@code metricsPublishInterval} (and at least that often
 * as a heartbeat, or every third of {@code staleAfter} if shorter), and its whole state every
 * {@code fullPublishInterval}.
 */
public record TopologySettings(
    Duration staleAfter,
    Duration removeAfter,
    Duration metricsRetention,
    Duration tombstoneRetention,
    Duration fullReportRequestInterval,
    Duration streamInterval,
    Duration viewMaxAge,
    int sparklineSeconds,
    Duration metricsPublishInterval,
    Duration fullPublishInterval,
    Duration viewRefreshInterval,
    Duration viewKeepWarm) {

  /** With the default background rendering of views (every 250 ms, kept warm 5 s after a request). */
  public TopologySettings(Duration staleAfter, Duration removeAfter, Duration metricsRetention,
      Duration tombstoneRetention, Duration fullReportRequestInterval, Duration streamInterval, Duration viewMaxAge,
      int sparklineSeconds, Duration metricsPublishInterval, Duration fullPublishInterval) {
    this(staleAfter, removeAfter, metricsRetention, tombstoneRetention, fullReportRequestInterval, streamInterval,
        viewMaxAge, sparklineSeconds, metricsPublishInterval, fullPublishInterval, Duration.ofMillis(250),
        Duration.ofSeconds(5));
  }

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
        t.getInt("sparkline-seconds"),
        t.getDuration("metrics-publish-interval"),
        t.getDuration("full-publish-interval"),
        t.getDuration("view-refresh-interval"),
        t.getDuration("view-keep-warm"));
  }

  /** How often a host entity publishes when only metrics changed (or nothing did: a heartbeat). */
  public Duration heartbeatInterval() {
    Duration third = staleAfter.dividedBy(3);
    return third.compareTo(metricsPublishInterval) < 0 ? third : metricsPublishInterval;
  }

  public static TopologySettings defaults() {
    return new TopologySettings(Duration.ofSeconds(15), Duration.ofMinutes(5), Duration.ofMinutes(15),
        Duration.ofMinutes(2), Duration.ofSeconds(5), Duration.ofMillis(250), Duration.ofMillis(300), 60,
        Duration.ofSeconds(5), Duration.ofMinutes(5));
  }
}
