package io.portolan.persistence.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LauncherSettingsTest {

  @TempDir Path temp;

  /**
   * This module's reference.conf with {@code env} standing in for environment variables (an
   * unresolved config looks substitutions up in itself before the real environment).
   */
  private static Config reference(String overrides, Map<String, String> env) {
    Config ours = ConfigFactory.parseURL(CassandraSettings.class.getResource("/reference.conf"));
    return ConfigFactory.parseString(overrides)
        .withFallback(ours)
        .withFallback(ConfigFactory.parseMap(env))
        .resolve();
  }

  @Test
  void contactPointsDefaultToEmptyMeaningEmbedded() {
    CassandraSettings settings = CassandraSettings.fromConfig(reference("", Map.of()));

    assertThat(settings.contactPoints()).isEmpty();
    assertThat(settings.external()).isFalse();
    assertThat(settings.localDatacenter()).isEqualTo("datacenter1");
    assertThat(settings.autocreate()).isFalse();
  }

  @Test
  void contactPointsFromACommaSeparatedEnvironmentVariable() {
    CassandraSettings settings =
        CassandraSettings.fromConfig(
            reference(
                "",
                Map.of(
                    "PORTOLAN_CASSANDRA_CONTACT_POINTS", "c1:9042, c2:9042,,",
                    "PORTOLAN_CASSANDRA_LOCAL_DATACENTER", "eu-west",
                    "PORTOLAN_CASSANDRA_AUTOCREATE", "true")));

    assertThat(settings.contactPoints()).containsExactly("c1:9042", "c2:9042");
    assertThat(settings.external()).isTrue();
    assertThat(settings.localDatacenter()).isEqualTo("eu-west");
    assertThat(settings.autocreate()).isTrue();
  }

  @Test
  void contactPointsFromAHoconList() {
    CassandraSettings settings =
        CassandraSettings.fromConfig(
            reference("portolan.cassandra.contact-points = [\"a:1\", \"b:2\"]", Map.of()));

    assertThat(settings.contactPoints()).containsExactly("a:1", "b:2");
  }

  @Test
  void embeddedSettingsFromConfigAndEnvironment() throws IOException {
    Path lib = fakeLib();
    Config config =
        reference(
            "",
            Map.of(
                "PORTOLAN_DATA_DIR", temp.resolve("portolan").toString(),
                "PORTOLAN_CASSANDRA_NATIVE_PORT", "19042",
                "PORTOLAN_CASSANDRA_STORAGE_PORT", "0",
                "PORTOLAN_CASSANDRA_HEAP_MAX", "2g",
                "PORTOLAN_CASSANDRA_START_TIMEOUT", "30s",
                "PORTOLAN_CASSANDRA_LIB", lib.toString(),
                "PORTOLAN_CASSANDRA_JAVA_HOME", System.getProperty("java.home")));

    LauncherSettings settings = LauncherSettings.fromConfig(config);

    assertThat(settings.dataDir()).isEqualTo(temp.resolve("portolan").resolve("cassandra"));
    assertThat(settings.listenAddress()).isEqualTo("127.0.0.1");
    assertThat(settings.nativePort()).isEqualTo(19042);
    assertThat(settings.storagePort()).isZero();
    assertThat(settings.heapMin()).isEqualTo("256m");
    assertThat(settings.heapMax()).isEqualTo("2g");
    assertThat(settings.startTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.cassandraLib()).isEqualTo(lib);
    assertThat(settings.javaHome()).isEqualTo(Path.of(System.getProperty("java.home")));
  }

  @Test
  void embeddedDefaultsAreTheDocumentedOnes() throws IOException {
    Config config =
        reference(
            "portolan.cassandra.embedded.cassandra-lib = \"" + fakeLib() + "\"", Map.of());

    LauncherSettings settings = LauncherSettings.fromConfig(config);

    assertThat(settings.dataDir()).isEqualTo(Path.of("data/cassandra").toAbsolutePath());
    assertThat(settings.nativePort()).isEqualTo(9042);
    assertThat(settings.storagePort()).isEqualTo(7000);
    assertThat(settings.heapMax()).isEqualTo("1g");
    assertThat(settings.startTimeout()).isEqualTo(Duration.ofSeconds(120));
  }

  @Test
  void cassandraLibIsFoundByWalkingUpFromTheWorkingDirectory() throws IOException {
    Path lib = Files.createDirectories(temp.resolve(LauncherSettings.LIB_IN_REPO));
    Files.createFile(lib.resolve("cassandra-all-5.0.9.jar"));
    Path deep = Files.createDirectories(temp.resolve("http-gateway/src"));

    assertThat(LauncherSettings.defaultCassandraLib(Map.of(), deep)).isEqualTo(lib);
  }

  @Test
  void missingCassandraLibSaysWhichCommandBuildsIt() {
    assertThatThrownBy(() -> LauncherSettings.defaultCassandraLib(Map.of(), temp))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("mvn -pl persistence/cassandra-server package")
        .hasMessageContaining("PORTOLAN_CASSANDRA_LIB");
  }

  @Test
  void javaHomeIsThisJvmOnlyWhenCassandraSupportsIt() throws IOException {
    Path current = Path.of("/current");
    Path fallback = fakeJdk("fallback");

    assertThat(LauncherSettings.defaultJavaHome(Map.of(), 17, current, fallback)).isEqualTo(current);
    assertThat(LauncherSettings.defaultJavaHome(Map.of(), 11, current, fallback)).isEqualTo(current);
    assertThat(LauncherSettings.defaultJavaHome(Map.of(), 25, current, fallback)).isEqualTo(fallback);
    Path fromEnv = fakeJdk("env");
    assertThat(
            LauncherSettings.defaultJavaHome(
                Map.of(LauncherSettings.ENV_JAVA_HOME, fromEnv.toString()), 17, current, fallback))
        .isEqualTo(fromEnv);
  }

  @Test
  void noSuitableJdkSaysWhatToSet() {
    assertThatThrownBy(
            () -> LauncherSettings.defaultJavaHome(Map.of(), 25, Path.of("/current"), temp.resolve("none")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Java 11..17")
        .hasMessageContaining("PORTOLAN_CASSANDRA_JAVA_HOME");
  }

  private Path fakeLib() throws IOException {
    Path lib = Files.createDirectories(temp.resolve("lib"));
    Files.write(lib.resolve("cassandra-all-5.0.9.jar"), new byte[0]);
    return lib;
  }

  private Path fakeJdk(String name) throws IOException {
    Path bin = Files.createDirectories(temp.resolve(name).resolve("bin"));
    Path java = Files.createFile(bin.resolve("java"));
    java.toFile().setExecutable(true);
    return temp.resolve(name);
  }
}
