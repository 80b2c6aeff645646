package io.portolan.persistence.testing;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.portolan.persistence.cassandra.CassandraLauncher;
import io.portolan.persistence.cassandra.LauncherSettings;
import io.portolan.persistence.cassandra.RunningCassandra;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * One real Cassandra per test JVM, for integration tests of any module (from this module's
 * test-jar). Tests isolate themselves with {@link #uniqueKeyspace(String)}.
 *
 * <pre>{@code
 * RunningCassandra cassandra = TestCassandra.shared();
 * Config config = TestCassandra.pekkoPersistenceConfig(cassandra, TestCassandra.uniqueKeyspace("cart"))
 *     .withFallback(ConfigFactory.load());
 * }</pre>
 */
public final class TestCassandra {

  /** Cassandra keyspace names are at most 48 characters. */
  public static final int MAX_KEYSPACE_LENGTH = 48;

  private static final AtomicInteger keyspaceCounter = new AtomicInteger();
  private static RunningCassandra shared;
  private static RuntimeException sharedFailure;

  private TestCassandra() {}

  /**
   * The Cassandra of this JVM, started on first use (about 15 s) in a temp directory on free ports;
   * stopped and deleted when the JVM exits. A failed start is remembered, so later tests fail fast.
   */
  public static synchronized RunningCassandra shared() {
    if (shared != null) {
      return shared;
    }
    if (sharedFailure != null) {
      throw new IllegalStateException("The shared test Cassandra failed to start earlier", sharedFailure);
    }
    try {
      Path dataDir = Files.createTempDirectory("portolan-test-cassandra-");
      RunningCassandra cassandra =
          CassandraLauncher.start(LauncherSettings.of(dataDir).withHeap("256m", "768m"));
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    cassandra.stop();
                    deleteRecursively(dataDir);
                  },
                  "portolan-test-cassandra-cleanup"));
      shared = cassandra;
      return cassandra;
    } catch (IOException e) {
      sharedFailure = new IllegalStateException("Cannot create a temp dir for Cassandra", e);
      throw sharedFailure;
    } catch (RuntimeException e) {
      sharedFailure = e;
      throw e;
    }
  }

  /**
   * A keyspace name no other test (in this or another JVM) uses: {@code prefix} lowercased with
   * anything but {@code [a-z0-9_]} replaced by {@code _}, then a counter and a random suffix; at most
   * 48 characters, starting with a letter.
   */
  public static String uniqueKeyspace(String prefix) {
    String clean = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    if (clean.isEmpty() || !Character.isLetter(clean.charAt(0))) {
      clean = "ks_" + clean;
    }
    String suffix =
        "_" + keyspaceCounter.incrementAndGet() + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    int room = MAX_KEYSPACE_LENGTH - suffix.length();
    return (clean.length() > room ? clean.substring(0, room) : clean) + suffix;
  }

  /**
   * Config pointing Pekko Persistence (journal and snapshots, both in {@code keyspace}, created on
   * first use) at {@code cassandra}. Put it in front of the test's other config with
   * {@code withFallback}.
   */
  public static Config pekkoPersistenceConfig(RunningCassandra cassandra, String keyspace) {
    return ConfigFactory.parseMap(
        Map.ofEntries(
            Map.entry("pekko.persistence.journal.plugin", "pekko.persistence.cassandra.journal"),
            Map.entry("pekko.persistence.snapshot-store.plugin", "pekko.persistence.cassandra.snapshot"),
            Map.entry("pekko.persistence.cassandra.journal.keyspace", keyspace),
            Map.entry("pekko.persistence.cassandra.journal.keyspace-autocreate", true),
            Map.entry("pekko.persistence.cassandra.journal.tables-autocreate", true),
            Map.entry("pekko.persistence.cassandra.snapshot.keyspace", keyspace),
            Map.entry("pekko.persistence.cassandra.snapshot.keyspace-autocreate", true),
            Map.entry("pekko.persistence.cassandra.snapshot.tables-autocreate", true),
            Map.entry("datastax-java-driver.basic.contact-points", List.of(cassandra.contactPoint())),
            Map.entry(
                "datastax-java-driver.basic.load-balancing-policy.local-datacenter",
                CassandraLauncher.LOCAL_DATACENTER),
            Map.entry("datastax-java-driver.advanced.reconnect-on-init", true),
            // Keyspace and table autocreation on a busy CI machine exceeds the default 2 s.
            Map.entry("datastax-java-driver.basic.request.timeout", "10s")),
        "TestCassandra.pekkoPersistenceConfig(" + keyspace + ")");
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Best effort: it is a temp dir.
    }
  }
}
