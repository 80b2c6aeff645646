package io.portolan.node.docker;

import com.typesafe.config.Config;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/** Where and how to reach the Docker engine; read once from {@code portolan.node.docker}. */
public record DockerSettings(URI host, Duration connectTimeout, Duration responseTimeout, int maxConnections) {

  public static final String CONFIG_PATH = "portolan.node.docker";

  public DockerSettings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(responseTimeout, "responseTimeout");
    if (maxConnections < 1) {
      throw new IllegalArgumentException("max-connections must be at least 1, was " + maxConnections);
    }
  }

  /** Reads {@code portolan.node.docker} from a resolved root config (e.g. {@code ConfigFactory.load()}). */
  public static DockerSettings fromConfig(Config root) {
    Config c = root.getConfig(CONFIG_PATH);
    return new DockerSettings(
        URI.create(c.getString("host")),
        c.getDuration("connect-timeout"),
        c.getDuration("response-timeout"),
        c.getInt("max-connections"));
  }
}
