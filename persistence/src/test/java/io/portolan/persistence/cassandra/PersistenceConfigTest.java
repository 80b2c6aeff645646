package io.portolan.persistence.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

/** persistence.conf as the server's application.conf includes it. */
class PersistenceConfigTest {

  private static Config load(String application) {
    ConfigFactory.invalidateCaches();
    return ConfigFactory.load(
        ConfigFactory.parseString("include \"persistence.conf\"\n" + application));
  }

  @Test
  void selectsTheCassandraPluginsAndThePortolanKeyspace() {
    Config config = load("");

    assertThat(config.getString("pekko.persistence.journal.plugin")).isEqualTo("pekko.persistence.cassandra.journal");
    assertThat(config.getString("pekko.persistence.snapshot-store.plugin"))
        .isEqualTo("pekko.persistence.cassandra.snapshot");
    assertThat(config.getString("pekko.persistence.cassandra.journal.keyspace")).isEqualTo("portolan");
    assertThat(config.getString("pekko.persistence.cassandra.snapshot.keyspace")).isEqualTo("portolan");
    assertThat(config.getString("datastax-java-driver.basic.load-balancing-policy.local-datacenter"))
        .isEqualTo("datacenter1");
  }

  @Test
  void autocreateIsOffUnlessAsked() {
    assertThat(load("").getBoolean("pekko.persistence.cassandra.journal.keyspace-autocreate")).isFalse();
    assertThat(load("").getBoolean("pekko.persistence.cassandra.snapshot.tables-autocreate")).isFalse();

    Config on = load("portolan.cassandra.autocreate = true");
    assertThat(on.getBoolean("pekko.persistence.cassandra.journal.keyspace-autocreate")).isTrue();
    assertThat(on.getBoolean("pekko.persistence.cassandra.journal.tables-autocreate")).isTrue();
    assertThat(on.getBoolean("pekko.persistence.cassandra.snapshot.keyspace-autocreate")).isTrue();
    assertThat(on.getBoolean("pekko.persistence.cassandra.snapshot.tables-autocreate")).isTrue();
  }
}
