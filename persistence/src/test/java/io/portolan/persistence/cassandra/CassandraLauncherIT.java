package io.portolan.persistence.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.Row;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CassandraLauncherIT {

  @TempDir Path temp;

  @Test
  void dataSurvivesAStopAndAStartOnTheSameDirectory() throws IOException {
    LauncherSettings settings = LauncherSettings.of(temp.resolve("cassandra")).withHeap("256m", "512m");

    long firstStart = System.nanoTime();
    try (RunningCassandra cassandra = CassandraLauncher.start(settings)) {
      report("first start (empty data dir)", firstStart, cassandra);
      String listening = openPorts(cassandra.pid());
      if (!listening.isEmpty()) {
        // Only CQL and storage: no JMX (7199) or any other fixed port.
        assertThat(listening.lines())
            .hasSize(2)
            .anyMatch(l -> l.contains(":" + cassandra.nativePort() + " "))
            .anyMatch(l -> l.contains(":" + cassandra.storagePort() + " "));
      }
      try (CqlSession session = session(cassandra)) {
        session.execute(
            "CREATE KEYSPACE launcher_it WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
        session.execute("CREATE TABLE launcher_it.kv (k text PRIMARY KEY, v text)");
        session.execute("INSERT INTO launcher_it.kv (k, v) VALUES ('hello', 'world')");
        assertThat(value(session)).isEqualTo("world");
      }
      long stopStart = System.nanoTime();
      cassandra.stop();
      System.out.printf("[CassandraLauncherIT] stop took %d ms%n", millisSince(stopStart));
      assertThat(cassandra.isAlive()).isFalse();
      cassandra.stop(); // idempotent
    }

    long secondStart = System.nanoTime();
    try (RunningCassandra cassandra = CassandraLauncher.start(settings)) {
      report("restart (existing data dir, new ports)", secondStart, cassandra);
      try (CqlSession session = session(cassandra)) {
        assertThat(value(session)).isEqualTo("world");
      }
    }
  }

  private static String value(CqlSession session) {
    Row row = session.execute("SELECT v FROM launcher_it.kv WHERE k = 'hello'").one();
    return row == null ? null : row.getString("v");
  }

  static CqlSession session(RunningCassandra cassandra) {
    return CqlSession.builder()
        // DDL on a busy 2-core machine takes longer than the driver's default 2 s.
        .withConfigLoader(
            DriverConfigLoader.programmaticBuilder()
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30))
                .build())
        .addContactPoint(new InetSocketAddress(cassandra.host(), cassandra.nativePort()))
        .withLocalDatacenter(CassandraLauncher.LOCAL_DATACENTER)
        .build();
  }

  private static void report(String what, long startNanos, RunningCassandra cassandra) throws IOException {
    System.out.printf(
        "[CassandraLauncherIT] %s: ready in %d ms at %s, pid %d, RSS %s%n",
        what, millisSince(startNanos), cassandra.contactPoint(), cassandra.pid(), rss(cassandra.pid()));
  }

  static String rss(long pid) throws IOException {
    return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
        .filter(l -> l.startsWith("VmRSS:"))
        .map(l -> l.substring("VmRSS:".length()).trim())
        .findFirst()
        .orElse("?");
  }

  /** The TCP ports the process listens on, from `ss` (empty when ss is missing). */
  private static String openPorts(long pid) {
    try {
      Process ss = new ProcessBuilder("ss", "-ltnpH").redirectErrorStream(true).start();
      String out = new String(ss.getInputStream().readAllBytes());
      ss.waitFor(5, TimeUnit.SECONDS);
      StringBuilder mine = new StringBuilder();
      out.lines().filter(l -> l.contains("pid=" + pid + ",")).forEach(l -> mine.append(l).append('\n'));
      System.out.println("[CassandraLauncherIT] listening:\n" + mine);
      return mine.toString();
    } catch (IOException | InterruptedException e) {
      return "";
    }
  }

  private static long millisSince(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
  }
}
