package io.portolan.gateway.metrics;

import com.typesafe.config.Config;
import java.time.Duration;

/** The {@code portolan.metrics} block, read once. */
public record MetricsSettings(boolean publicEndpoint, boolean topology, int maxContainers, Duration refreshInterval) {

  public static MetricsSettings from(Config config) {
    Config m = config.getConfig("portolan.metrics");
    return new MetricsSettings(m.getBoolean("public"), m.getBoolean("topology"), m.getInt("max-containers"),
        m.getDuration("refresh-interval"));
  }
}
