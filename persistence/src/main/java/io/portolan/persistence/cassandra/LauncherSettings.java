package io.portolan.persistence.cassandra;

import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How to run the embedded Cassandra: where its data lives, which ports it binds and which
 * Cassandra classpath and JDK it runs on.
 *
 * <p>Ports set to 0 are replaced by free ports when the launcher starts. {@link #of(Path)} fills
 * in defaults for everything but the data directory; {@link #fromConfig(Config)} reads the
 * {@code portolan.cassandra.embedded} block.
 */
public record LauncherSettings(
    Path dataDir,
    String listenAddress,
    int nativePort,
    int storagePort,
    Path cassandraLib,
    Path javaHome,
    String heapMin,
    String heapMax,
    Duration startTimeout) {

  public static final String ENV_LIB = "PORTOLAN_CASSANDRA_LIB";
  public static final String ENV_JAVA_HOME = "PORTOLAN_CASSANDRA_JAVA_HOME";
  public static final String DEFAULT_LISTEN_ADDRESS = "127.0.0.1";
  public static final String DEFAULT_HEAP_MIN = "256m";
  public static final String DEFAULT_HEAP_MAX = "1g";
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(120);

  /** Where the cassandra-server module copies Cassandra's classpath, relative to the repo root. */
  static final Path LIB_IN_REPO = Path.of("persistence", "cassandra-server", "target", "lib");

  static final Path FALLBACK_JAVA_HOME = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");

  public LauncherSettings {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(listenAddress, "listenAddress");
    Objects.requireNonNull(cassandraLib, "cassandraLib");
    Objects.requireNonNull(javaHome, "javaHome");
    Objects.requireNonNull(heapMin, "heapMin");
    Objects.requireNonNull(heapMax, "heapMax");
    Objects.requireNonNull(startTimeout, "startTimeout");
    requirePort(nativePort, "nativePort");
    requirePort(storagePort, "storagePort");
    if (nativePort != 0 && nativePort == storagePort) {
      throw new IllegalArgumentException(
          "nativePort and storagePort are both " + nativePort + "; they must differ");
    }
    // Cassandra wants absolute directories in cassandra.yaml.
    dataDir = dataDir.toAbsolutePath().normalize();
  }

  /** Defaults for everything but the data directory: loopback, free ports, auto-detected lib and JDK. */
  public static LauncherSettings of(Path dataDir) {
    return new LauncherSettings(
        dataDir,
        DEFAULT_LISTEN_ADDRESS,
        0,
        0,
        defaultCassandraLib(System.getenv(), Path.of("")),
        defaultJavaHome(System.getenv()),
        DEFAULT_HEAP_MIN,
        DEFAULT_HEAP_MAX,
        DEFAULT_START_TIMEOUT);
  }

  /**
   * Reads {@code portolan.cassandra.embedded} from a resolved config (see this module's
   * reference.conf). Empty {@code cassandra-lib} / {@code java-home} mean auto-detect.
   */
  public static LauncherSettings fromConfig(Config config) {
    Config c = config.getConfig("portolan.cassandra.embedded");
    String lib = c.getString("cassandra-lib");
    String javaHome = c.getString("java-home");
    return new LauncherSettings(
        Path.of(c.getString("data-dir")),
        c.getString("listen-address"),
        c.getInt("native-port"),
        c.getInt("storage-port"),
        lib.isBlank() ? defaultCassandraLib(System.getenv(), Path.of("")) : existingLib(Path.of(lib)),
        javaHome.isBlank() ? defaultJavaHome(System.getenv()) : Path.of(javaHome),
        c.getString("heap-min"),
        c.getString("heap-max"),
        c.getDuration("start-timeout"));
  }

  public LauncherSettings withDataDir(Path dir) {
    return new LauncherSettings(
        dir, listenAddress, nativePort, storagePort, cassandraLib, javaHome, heapMin, heapMax, startTimeout);
  }

  public LauncherSettings withPorts(int nativePort, int storagePort) {
    return new LauncherSettings(
        dataDir, listenAddress, nativePort, storagePort, cassandraLib, javaHome, heapMin, heapMax, startTimeout);
  }

  public LauncherSettings withHeap(String min, String max) {
    return new LauncherSettings(
        dataDir, listenAddress, nativePort, storagePort, cassandraLib, javaHome, min, max, startTimeout);
  }

  public LauncherSettings withStartTimeout(Duration timeout) {
    return new LauncherSettings(
        dataDir, listenAddress, nativePort, storagePort, cassandraLib, javaHome, heapMin, heapMax, timeout);
  }

  /** The {@code java} executable of {@link #javaHome()}. */
  public Path javaExecutable() {
    return javaHome.resolve("bin").resolve("java");
  }

  /**
   * {@code $PORTOLAN_CASSANDRA_LIB}, else the first {@code persistence/cassandra-server/target/lib}
   * found walking up from {@code workingDir}.
   */
  static Path defaultCassandraLib(Map<String, String> env, Path workingDir) {
    String fromEnv = env.get(ENV_LIB);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return existingLib(Path.of(fromEnv));
    }
    for (Path dir = workingDir.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(LIB_IN_REPO);
      if (isLib(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "Cassandra's classpath was not found: no "
            + LIB_IN_REPO
            + " above "
            + workingDir.toAbsolutePath()
            + " and "
            + ENV_LIB
            + " is not set. Run `mvn -pl persistence/cassandra-server package` in the Portolan "
            + "checkout, or set "
            + ENV_LIB
            + " (or portolan.cassandra.embedded.cassandra-lib) to a directory holding cassandra-all and its jars.");
  }

  private static Path existingLib(Path lib) {
    if (!isLib(lib)) {
      throw new IllegalStateException(
          "Cassandra lib directory "
              + lib.toAbsolutePath()
              + " does not contain cassandra-all-*.jar. Run `mvn -pl persistence/cassandra-server package` "
              + "and point "
              + ENV_LIB
              + " at persistence/cassandra-server/target/lib.");
    }
    return lib.toAbsolutePath().normalize();
  }

  private static boolean isLib(Path dir) {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (var files = Files.list(dir)) {
      return files.anyMatch(f -> f.getFileName().toString().startsWith("cassandra-all-"));
    } catch (java.io.IOException e) {
      return false;
    }
  }

  /**
   * {@code $PORTOLAN_CASSANDRA_JAVA_HOME}, else this JVM when it is Java 11..17 (what Cassandra 5.0
   * supports), else {@code /usr/lib/jvm/java-17-openjdk-amd64}.
   */
  static Path defaultJavaHome(Map<String, String> env) {
    return defaultJavaHome(
        env, Runtime.version().feature(), Path.of(System.getProperty("java.home")), FALLBACK_JAVA_HOME);
  }

  static Path defaultJavaHome(Map<String, String> env, int currentFeature, Path currentHome, Path fallback) {
    String fromEnv = env.get(ENV_JAVA_HOME);
    if (fromEnv != null && !fromEnv.isBlank()) {
      Path home = Path.of(fromEnv);
      if (!Files.isExecutable(home.resolve("bin").resolve("java"))) {
        throw new IllegalStateException(
            ENV_JAVA_HOME + "=" + fromEnv + " has no bin/java; point it at a JDK 11..17 home.");
      }
      return home;
    }
    if (currentFeature >= 11 && currentFeature <= 17) {
      return currentHome;
    }
    if (Files.isExecutable(fallback.resolve("bin").resolve("java"))) {
      return fallback;
    }
    throw new IllegalStateException(
        "Cassandra 5.0 runs on Java 11..17 only, this JVM is Java "
            + currentFeature
            + " and "
            + fallback
            + " does not exist. Install a JDK 17 and set "
            + ENV_JAVA_HOME
            + " (or portolan.cassandra.embedded.java-home) to its home.");
  }

  private static void requirePort(int port, String name) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(name + " must be 0 (pick a free port) or 1..65535, was " + port);
    }
  }
}
