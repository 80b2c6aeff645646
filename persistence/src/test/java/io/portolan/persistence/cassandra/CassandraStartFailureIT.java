package io.portolan.persistence.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A start that fails says why, shows the log, says what to do, and leaves no process behind. */
class CassandraStartFailureIT {

  @TempDir Path temp;

  @Test
  void aChildThatExitsEarlyGivesItsExitCodeAndLogTail() {
    LauncherSettings settings = LauncherSettings.of(temp.resolve("cassandra")).withHeap("256m", "not-a-size");

    assertThatThrownBy(() -> CassandraLauncher.start(settings))
        .isInstanceOf(CassandraStartException.class)
        .hasMessageContaining("exited with code")
        .hasMessageContaining("What to do:")
        .hasMessageContaining("Invalid maximum heap size")
        .hasMessageContaining(temp.resolve("cassandra/logs/stdout.log").toString());
  }

  @Test
  void aStartTimeoutStopsTheChildAndSuggestsTheSetting() {
    LauncherSettings settings =
        LauncherSettings.of(temp.resolve("cassandra"))
            .withHeap("256m", "512m")
            .withStartTimeout(Duration.ofSeconds(2));
    List<Long> before = childPids();

    assertThatThrownBy(() -> CassandraLauncher.start(settings))
        .isInstanceOf(CassandraStartException.class)
        .hasMessageContaining("did not answer CQL within 2 s")
        .hasMessageContaining("portolan.cassandra.embedded.start-timeout")
        .hasMessageContaining("--- last lines of system.log ---");
    assertThat(childPids()).isEqualTo(before);
  }

  private static List<Long> childPids() {
    return ProcessHandle.current().children().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).toList();
  }
}
