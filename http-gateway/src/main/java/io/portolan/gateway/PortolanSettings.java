package io.portolan.gateway;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** The node's settings, read once from the {@code portolan} block of the configuration. */
public record PortolanSettings(
    String httpInterface,
    int httpPort,
    long maxBodyBytes,
    Duration askTimeout,
    Duration readinessTimeout,
    String systemName) {

  public static PortolanSettings from(Config config) {
    Config p = config.getConfig("portolan");
    return new PortolanSettings(
        p.getString("http.interface"),
        p.getInt("http.port"),
        p.getBytes("http.max-body-size"),
        p.getDuration("http.ask-timeout"),
        p.getDuration("http.readiness-timeout"),
        p.getString("cluster.system-name"));
  }

  /**
   * Applies the overrides that plain HOCON cannot express: a comma-separated
   * {@code PORTOLAN_SEED_NODES} ("host:port" or full "pekko://portolan@host:port") becomes
   * {@code pekko.cluster.seed-nodes}.
   */
  public static Config withEnvironmentOverrides(Config config, java.util.Map<String, String> env) {
    return withSeedNodes(withBootstrapEndpoints(config, env), env);
  }

  /**
   * {@code PORTOLAN_BOOTSTRAP_ENDPOINTS} ("host:port" of each node's management endpoint) becomes the
   * static contact-point list of Pekko's {@code config} discovery, for Cluster Bootstrap without
   * Kubernetes: {@code PORTOLAN_DISCOVERY=config}.
   */
  static Config withBootstrapEndpoints(Config config, java.util.Map<String, String> env) {
    String endpoints = env.get("PORTOLAN_BOOTSTRAP_ENDPOINTS");
    if (endpoints == null || endpoints.isBlank()) {
      return config;
    }
    String service = config.getString("pekko.management.cluster.bootstrap.contact-point-discovery.service-name");
    List<java.util.Map<String, Object>> list = Arrays.stream(endpoints.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .map(s -> {
          int colon = s.lastIndexOf(':');
          if (colon <= 0) {
            throw new IllegalArgumentException("PORTOLAN_BOOTSTRAP_ENDPOINTS entries are host:port (got '" + s + "')");
          }
          return java.util.Map.<String, Object>of("host", s.substring(0, colon),
              "port", Integer.parseInt(s.substring(colon + 1)));
        })
        .toList();
    return ConfigFactory.empty()
        .withValue("pekko.discovery.config.services." + service + ".endpoints", ConfigValueFactory.fromIterable(list))
        .withFallback(config);
  }

  private static Config withSeedNodes(Config config, java.util.Map<String, String> env) {
    String seeds = env.get("PORTOLAN_SEED_NODES");
    if (seeds == null || seeds.isBlank()) {
      return config;
    }
    String system = config.getString("portolan.cluster.system-name");
    List<String> addresses = Arrays.stream(seeds.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .map(s -> s.contains("://") ? s : "pekko://" + system + "@" + s)
        .toList();
    return ConfigFactory.empty()
        .withValue("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(addresses))
        .withFallback(config);
  }
}
