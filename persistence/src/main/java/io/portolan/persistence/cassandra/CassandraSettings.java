package io.portolan.persistence.cassandra;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueType;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The {@code portolan.cassandra} block, read once: either external contact points, or an embedded
 * Cassandra that {@link CassandraLauncher} starts.
 *
 * @param contactPoints "host:port" entries; empty means run the embedded Cassandra
 * @param localDatacenter the driver's local datacenter (the embedded node is {@code datacenter1})
 * @param autocreate whether Pekko Persistence creates keyspace and tables (dev and tests only)
 */
public record CassandraSettings(List<String> contactPoints, String localDatacenter, boolean autocreate) {

  public CassandraSettings {
    contactPoints = List.copyOf(contactPoints);
  }

  public static CassandraSettings fromConfig(Config config) {
    Config c = config.getConfig("portolan.cassandra");
    return new CassandraSettings(
        contactPoints(c), c.getString("local-datacenter"), c.getBoolean("autocreate"));
  }

  /** True when contact points are configured, so no embedded Cassandra is started. */
  public boolean external() {
    return !contactPoints.isEmpty();
  }

  /** The embedded launcher's settings, or empty when an external Cassandra is configured. */
  public static Optional<LauncherSettings> embedded(Config config) {
    return fromConfig(config).external()
        ? Optional.empty()
        : Optional.of(LauncherSettings.fromConfig(config));
  }

  /** Accepts a HOCON list or a comma separated string (what an environment variable gives). */
  private static List<String> contactPoints(Config c) {
    String key = "contact-points";
    List<String> raw =
        c.getValue(key).valueType() == ConfigValueType.LIST
            ? c.getStringList(key)
            : Arrays.asList(c.getString(key).split(","));
    return raw.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
