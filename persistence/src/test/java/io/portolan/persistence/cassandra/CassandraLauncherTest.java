package io.portolan.persistence.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CassandraLauncherTest {

  @TempDir Path temp;

  private LauncherSettings settings(int nativePort, int storagePort) {
    return new LauncherSettings(
        temp.resolve("cassandra"),
        "127.0.0.1",
        nativePort,
        storagePort,
        temp.resolve("lib"),
        Path.of(System.getProperty("java.home")),
        "256m",
        "1g",
        Duration.ofSeconds(5));
  }

  @Test
  void yamlHasTheChosenPortsAndEveryDirectoryUnderTheDataDir() {
    Path dataDir = temp.resolve("cassandra");

    String yaml = CassandraConfigFiles.cassandraYaml(dataDir, "127.0.0.1", 19042, 17000);

    assertThat(yaml)
        .contains("native_transport_port: 19042")
        .contains("storage_port: 17000")
        .contains("listen_address: 127.0.0.1")
        .contains("rpc_address: 127.0.0.1")
        .contains("seeds: \"127.0.0.1:17000\"")
        .contains("cluster_name: 'portolan'")
        .contains("endpoint_snitch: SimpleSnitch")
        .contains("  - " + dataDir.resolve("data"))
        .contains("commitlog_directory: " + dataDir.resolve("commitlog"))
        .contains("hints_directory: " + dataDir.resolve("hints"))
        .contains("saved_caches_directory: " + dataDir.resolve("saved_caches"))
        .contains("cdc_raw_directory: " + dataDir.resolve("cdc_raw"))
        .doesNotContain("%");
  }

  @Test
  void logbackWritesSystemLogUnderTheLogDir() {
    String xml = CassandraConfigFiles.logbackXml(temp.resolve("logs"));

    assertThat(xml).contains("<file>" + temp.resolve("logs") + "/system.log</file>").contains("%msg%n");
  }

  @Test
  void commandRunsTheChildMainWithCassandrasJvmFlagsAndNoJmxPort() {
    List<String> command = CassandraLauncher.command(settings(0, 0), temp.resolve("conf"), temp.resolve("logs"));

    assertThat(command.get(0)).endsWith("/bin/java");
    assertThat(command)
        .contains("-Xms256m", "-Xmx1g", "-Dcassandra-foreground=yes", "-Dcassandra.shutdown_announce_in_ms=0")
        .contains("--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED")
        .contains("-Dcassandra.config=" + temp.resolve("conf/cassandra.yaml").toUri())
        .noneMatch(arg -> arg.contains("jmx.local.port") || arg.contains("jmx.remote.port"));
    assertThat(command.get(command.size() - 1)).isEqualTo(CassandraChildMain.class.getName());
    String classpath = command.get(command.indexOf("-cp") + 1);
    assertThat(classpath).startsWith(temp.resolve("lib").resolve("*").toString());
  }

  @Test
  void aTakenNativePortFailsBeforeStartingAndNamesTheSetting() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();

      assertThatThrownBy(() -> CassandraLauncher.start(settings(port, 0)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("Port " + port)
          .hasMessageContaining("portolan.cassandra.embedded.native-port")
          .hasMessageContaining("PORTOLAN_CASSANDRA_NATIVE_PORT");
    }
  }

  @Test
  void aTakenStoragePortNamesItsOwnSetting() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();

      assertThatThrownBy(() -> CassandraLauncher.start(settings(0, port)))
          .hasMessageContaining("Port " + port)
          .hasMessageContaining("portolan.cassandra.embedded.storage-port")
          .hasMessageContaining("PORTOLAN_CASSANDRA_STORAGE_PORT");
    }
  }

  @Test
  void freePortsAreDistinct() {
    int first = Ports.pickFree("127.0.0.1");

    assertThat(Ports.pickFree("127.0.0.1", first)).isNotEqualTo(first).isPositive();
  }

  @Test
  void tailReturnsTheLastLines() throws IOException {
    Path file = temp.resolve("log");
    java.nio.file.Files.writeString(file, "a\nb\nc\nd\n");

    assertThat(CassandraLauncher.tail(file, 2)).isEqualTo("c\nd");
    assertThat(CassandraLauncher.tail(temp.resolve("missing"), 2)).contains("no missing yet");
  }
}
