package io.portolan.persistence.cassandra;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run by {@link OrphanIT} in a JVM of its own: starts Cassandra, prints its pid, then waits to be
 * killed. Argument: an optional data directory (a temp dir otherwise).
 */
public final class LauncherChildTestMain {

  static final String PID_PREFIX = "CASSANDRA_PID=";

  private LauncherChildTestMain() {}

  public static void main(String[] args) throws Exception {
    Path dataDir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("portolan-orphan-");
    RunningCassandra cassandra =
        CassandraLauncher.start(LauncherSettings.of(dataDir).withHeap("256m", "512m"));
    System.out.println(PID_PREFIX + cassandra.pid());
    System.out.println("CONTACT_POINT=" + cassandra.contactPoint());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
