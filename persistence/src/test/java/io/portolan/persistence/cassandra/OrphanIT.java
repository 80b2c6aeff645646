package io.portolan.persistence.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Cassandra child must not outlive a Portolan JVM that is killed with SIGKILL. */
class OrphanIT {

  @TempDir Path temp;

  @Test
  void cassandraExitsWhenItsParentIsKilledWithSigkill() throws Exception {
    Process parent =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    LauncherChildTestMain.class.getName(),
                    temp.resolve("cassandra").toString()))
            .directory(Path.of("").toAbsolutePath().toFile())
            .redirectErrorStream(true)
            .start();
    long cassandraPid = -1;
    try {
      cassandraPid = awaitCassandraPid(parent, Duration.ofSeconds(150));
      assertThat(ProcessHandle.of(cassandraPid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());

      parent.destroyForcibly(); // SIGKILL: no shutdown hook runs in the parent
      assertThat(parent.waitFor(10, TimeUnit.SECONDS)).isTrue();
      Instant killed = Instant.now();
      CompletableFuture<Instant> orphanExit =
          ProcessHandle.of(cassandraPid)
              .map(p -> p.onExit().thenApply(exited -> Instant.now()))
              .orElseGet(() -> CompletableFuture.completedFuture(Instant.now()));

      // A supervisor restarting Portolan at once: the launcher waits for the draining orphan.
      try (RunningCassandra restarted =
          CassandraLauncher.start(LauncherSettings.of(temp.resolve("cassandra")).withHeap("256m", "512m"))) {
        assertThat(ProcessHandle.of(cassandraPid).filter(ProcessHandle::isAlive))
            .as("the orphan exited before its successor started")
            .isEmpty();
        assertThat(restarted.isAlive()).isTrue();
        System.out.printf(
            "[OrphanIT] restart on the same data dir ready %d ms after the kill%n",
            Duration.between(killed, Instant.now()).toMillis());
      }

      Duration orphanLived = Duration.between(killed, orphanExit.get(30, TimeUnit.SECONDS));
      System.out.printf(
          "[OrphanIT] Cassandra pid %d exited %d ms after its parent was killed%n",
          cassandraPid, orphanLived.toMillis());
      assertThat(orphanLived).isLessThan(Duration.ofSeconds(30));
    } finally {
      parent.destroyForcibly();
      if (cassandraPid > 0) {
        ProcessHandle.of(cassandraPid).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }

  private static long awaitCassandraPid(Process parent, Duration timeout) throws Exception {
    CompletableFuture<Long> pid =
        CompletableFuture.supplyAsync(
            () -> {
              // Not closed here: the drain thread below keeps reading it.
              BufferedReader out =
                  new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8));
              try {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                  System.out.println("[OrphanIT parent] " + line);
                  if (line.startsWith(LauncherChildTestMain.PID_PREFIX)) {
                    long found = Long.parseLong(line.substring(LauncherChildTestMain.PID_PREFIX.length()).trim());
                    // Keep draining so the parent never blocks on a full pipe.
                    Thread drain =
                        new Thread(
                            () -> out.lines().forEach(l -> System.out.println("[OrphanIT parent] " + l)),
                            "orphan-it-drain");
                    drain.setDaemon(true);
                    drain.start();
                    return found;
                  }
                }
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
              throw new IllegalStateException("The parent JVM exited before printing Cassandra's pid");
            });
    return pid.get(timeout.toSeconds(), TimeUnit.SECONDS);
  }
}
