package io.portolan.gateway.metrics;

import com.typesafe.config.Config;
import kamon.Kamon;
import kamon.prometheus.PrometheusReporter;

/**
 * Kamon is one per JVM: the first node of the JVM initialises it (without the instrumentation
 * agent) and registers the one Prometheus reporter whose scrape data {@code GET /metrics} serves on
 * the node's own port. Kamon's embedded HTTP server and its auto-started reporter module are off
 * (metrics.conf). Later nodes of the same JVM (tests) share both and reconfigure Kamon with their settings.
 */
final class Kamons {

  private static PrometheusReporter reporter;

  private Kamons() {}

  static synchronized PrometheusReporter start(Config config) {
    if (reporter == null) {
      Kamon.initWithoutAttaching(config);
      reporter = new PrometheusReporter("kamon.prometheus", Kamon.config());
      Kamon.addReporter("portolan-prometheus", reporter);
    } else {
      // Another node of this JVM (a test) started Kamon: the latest node's settings apply to all.
      Kamon.reconfigure(config);
    }
    return reporter;
  }
}
