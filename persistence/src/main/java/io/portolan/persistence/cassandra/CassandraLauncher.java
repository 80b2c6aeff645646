package io.portolan.persistence.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.Row;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs Cassandra 5.0 in a child JVM on Cassandra's own classpath ({@link LauncherSettings#cassandraLib()}),
 * never on Portolan's: their netty and logback versions clash.
 *
 * <p>{@link #start(LauncherSettings)} returns once a CQL query answers. The child never outlives
 * this JVM: a shutdown hook stops it, and {@link CassandraChildMain} exits when this JVM dies.
 */
public final class CassandraLauncher {

  private static final Logger log = LoggerFactory.getLogger(CassandraLauncher.class);

  /** SimpleSnitch puts the node in this datacenter; the driver must name it. */
  public static final String LOCAL_DATACENTER = "datacenter1";

  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);
  private static final Duration POLL_EVERY = Duration.ofMillis(250);
  private static final int TAIL_LINES = 40;
  private static final int MAX_LINE = 400;

  /**
   * The module flags of Cassandra 5.0's conf/jvm17-server.options (JPMS and Netty sections), the
   * G1 settings from the same file, plus settings from jvm-server.options that matter here.
   */
  private static final List<String> JVM17_OPTIONS =
      List.of(
          "-XX:+UseG1GC",
          "-XX:+ParallelRefProcEnabled",
          "-XX:MaxTenuringThreshold=1",
          "-XX:G1RSetUpdatingPauseTimePercent=5",
          "-XX:MaxGCPauseMillis=300",
          "-XX:InitiatingHeapOccupancyPercent=70",
          "-Xss256k",
          // Cassandra's startup check asks for this: a JVM limping on after an OOM corrupts data.
          "-XX:+ExitOnOutOfMemoryError",
          // No hsperfdata file: it causes stalls on a busy disk, and jstat is not needed here.
          "-XX:+PerfDisableSharedMem",
          "-Djava.net.preferIPv4Stack=true",
          "-Djdk.attach.allowAttachSelf=true",
          "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
          "--add-exports", "java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
          "--add-exports", "java.rmi/sun.rmi.registry=ALL-UNNAMED",
          "--add-exports", "java.rmi/sun.rmi.server=ALL-UNNAMED",
          "--add-exports", "java.sql/java.sql=ALL-UNNAMED",
          "--add-exports", "java.base/java.lang.ref=ALL-UNNAMED",
          "--add-exports", "jdk.unsupported/sun.misc=ALL-UNNAMED",
          "--add-exports", "jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
          "--add-exports", "jdk.attach/sun.tools.attach=ALL-UNNAMED",
          "--add-opens", "java.base/java.lang.module=ALL-UNNAMED",
          "--add-opens", "java.base/jdk.internal.loader=ALL-UNNAMED",
          "--add-opens", "java.base/jdk.internal.ref=ALL-UNNAMED",
          "--add-opens", "java.base/jdk.internal.reflect=ALL-UNNAMED",
          "--add-opens", "java.base/jdk.internal.math=ALL-UNNAMED",
          "--add-opens", "java.base/jdk.internal.module=ALL-UNNAMED",
          "--add-opens", "java.base/jdk.internal.util.jar=ALL-UNNAMED",
          "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
          "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens", "java.base/java.io=ALL-UNNAMED",
          "--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-opens", "jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
          "--add-opens", "java.base/java.lang=ALL-UNNAMED",
          "--add-opens", "java.base/java.util=ALL-UNNAMED",
          "-Dio.netty.tryReflectionSetAccessible=true",
          "-Dio.netty.allocator.useCacheForAllThreads=true",
          "-Dio.netty.allocator.maxOrder=11");

  private CassandraLauncher() {}

  /**
   * Starts Cassandra and waits until it answers CQL.
   *
   * @throws IllegalStateException when a configured port is taken or the files cannot be written
   * @throws CassandraStartException when the child exits or is not ready within the start timeout;
   *     the child is stopped and the message holds the tail of its log
   */
  public static RunningCassandra start(LauncherSettings settings) {
    awaitPreviousExit(settings.dataDir());
    String host = settings.listenAddress();
    int nativePort = resolvePort(host, settings.nativePort(), -1, "native-port", "NATIVE_PORT");
    int storagePort = resolvePort(host, settings.storagePort(), nativePort, "storage-port", "STORAGE_PORT");
    Path dataDir = settings.dataDir();
    Path confDir = dataDir.resolve("conf");
    Path logDir = dataDir.resolve("logs");
    try {
      for (String dir : List.of("conf", "logs", "data", "commitlog", "hints", "saved_caches", "cdc_raw")) {
        Files.createDirectories(dataDir.resolve(dir));
      }
      Files.writeString(
          confDir.resolve("cassandra.yaml"),
          CassandraConfigFiles.cassandraYaml(dataDir, host, nativePort, storagePort));
      Files.writeString(confDir.resolve("logback.xml"), CassandraConfigFiles.logbackXml(logDir));
    } catch (IOException e) {
      throw new IllegalStateException(
          "Cannot write Cassandra's files under " + dataDir + ": " + e.getMessage()
              + ". Set portolan.cassandra.embedded.data-dir (PORTOLAN_CASSANDRA_DATA_DIR) to a writable directory.",
          e);
    }

    List<String> command = command(settings, confDir, logDir);
    log.debug("Cassandra command: {}", command);
    Process process;
    try {
      process =
          new ProcessBuilder(command)
              .directory(dataDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(stdoutLog(dataDir).toFile()))
              // stdin stays a pipe: it is the child's lifeline (see CassandraChildMain).
              .start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "Cannot run " + settings.javaExecutable() + ": " + e.getMessage()
              + ". Set PORTOLAN_CASSANDRA_JAVA_HOME to a JDK 11..17 home.",
          e);
    }
    RunningCassandra running = new RunningCassandra(process, host, nativePort, storagePort, dataDir);
    try {
      Files.writeString(pidFile(dataDir), Long.toString(process.pid()));
    } catch (IOException e) {
      log.warn("Cannot write {}: {}", pidFile(dataDir), e.toString());
    }
    log.info(
        "Starting Cassandra (pid {}) on {}:{} (storage port {}), data in {}, log {}",
        process.pid(), host, nativePort, storagePort, dataDir, systemLog(dataDir));
    try {
      awaitReady(running, process, settings.startTimeout());
    } catch (RuntimeException e) {
      running.stop();
      throw e;
    }
    return running;
  }

  /** The pid of the child last started on a data directory; removed when it is stopped. */
  static Path pidFile(Path dataDir) {
    return dataDir.resolve("cassandra.pid");
  }

  /**
   * Two Cassandras on one data directory corrupt it. After a {@code kill -9} of the previous
   * Portolan JVM its child still needs a few seconds to drain, so a quick restart waits for it.
   */
  static void awaitPreviousExit(Path dataDir) {
    Path pidFile = pidFile(dataDir);
    if (!Files.isRegularFile(pidFile)) {
      return;
    }
    ProcessHandle previous;
    try {
      long pid = Long.parseLong(Files.readString(pidFile).strip());
      previous =
          ProcessHandle.of(pid)
              .filter(p -> p.info().commandLine().orElse("").contains(CassandraChildMain.class.getName()))
              .orElse(null);
    } catch (IOException | NumberFormatException e) {
      return;
    }
    if (previous == null || !previous.isAlive()) {
      return;
    }
    Duration wait = RunningCassandra.STOP_GRACE.plusSeconds(15);
    log.info(
        "Waiting up to {} s for the previous Cassandra (pid {}) on {} to exit",
        wait.toSeconds(), previous.pid(), dataDir);
    try {
      previous.onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(
          "Another Cassandra (pid " + previous.pid() + ") still uses " + dataDir
              + ". Stop it (kill " + previous.pid() + ") or set portolan.cassandra.embedded.data-dir"
              + " (PORTOLAN_CASSANDRA_DATA_DIR) to another directory.");
    } catch (java.util.concurrent.ExecutionException e) {
      // onExit does not fail; treat as exited.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the previous Cassandra to exit", e);
    }
  }

  static Path systemLog(Path dataDir) {
    return dataDir.resolve("logs").resolve("system.log");
  }

  static Path stdoutLog(Path dataDir) {
    return dataDir.resolve("logs").resolve("stdout.log");
  }

  static List<String> command(LauncherSettings settings, Path confDir, Path logDir) {
    List<String> command = new ArrayList<>();
    command.add(settings.javaExecutable().toString());
    command.add("-Xms" + settings.heapMin());
    command.add("-Xmx" + settings.heapMax());
    command.addAll(JVM17_OPTIONS);
    command.add("-Dcassandra.config=" + confDir.resolve("cassandra.yaml").toUri());
    command.add("-Dcassandra.storagedir=" + settings.dataDir());
    command.add("-Dcassandra.logdir=" + logDir);
    command.add("-Dlogback.configurationFile=" + confDir.resolve("logback.xml"));
    command.add("-Dcassandra-foreground=yes");
    command.add("-Dcassandra.shutdown_announce_in_ms=0");
    command.add("-Dcassandra.skip_wait_for_gossip_to_settle=0");
    // A fresh single node has nobody to hear from; do not wait the default 30 s for the ring.
    command.add("-Dcassandra.ring_delay_ms=0");
    // No cassandra.jmx.local.port / remote.port: Cassandra then opens no JMX port (no fixed 7199).
    command.add("-cp");
    command.add(classpath(settings.cassandraLib()));
    command.add(CassandraChildMain.class.getName());
    return command;
  }

  /**
   * Cassandra's jars first, so that if our code source is a fat jar its netty or logback never
   * shadow Cassandra's; then the jar or directory holding {@link CassandraChildMain}.
   */
  static String classpath(Path cassandraLib) {
    Path ours;
    try {
      ours = Path.of(CassandraChildMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("Cannot locate the jar holding " + CassandraChildMain.class.getName(), e);
    }
    return cassandraLib.resolve("*") + File.pathSeparator + ours;
  }

  private static int resolvePort(String host, int configured, int other, String key, String envSuffix) {
    if (configured == 0) {
      return Ports.pickFree(host, other);
    }
    Ports.requireFree(host, configured, "portolan.cassandra.embedded." + key, "PORTOLAN_CASSANDRA_" + envSuffix);
    return configured;
  }

  private static void awaitReady(RunningCassandra running, Process process, Duration timeout) {
    long startNanos = System.nanoTime();
    long deadline = startNanos + timeout.toNanos();
    long nextProgress = startNanos + PROGRESS_EVERY.toNanos();
    Exception lastProbeFailure = null;
    while (true) {
      if (!process.isAlive()) {
        throw failure(
            running,
            "the Cassandra JVM exited with code " + process.exitValue() + " while starting",
            "Read the log below. Common causes: a port taken by another process"
                + " (portolan.cassandra.embedded.native-port / storage-port), a data directory written"
                + " by another Cassandra version or another cluster name (move " + running.dataDir()
                + " away), or a JDK other than 11..17 (set PORTOLAN_CASSANDRA_JAVA_HOME).",
            null);
      }
      if (Ports.accepts(running.host(), running.nativePort(), 500)) {
        try {
          String version = probe(running);
          log.info(
              "Cassandra {} ready at {} (pid {}) after {} ms",
              version, running.contactPoint(), running.pid(), elapsedMillis(startNanos));
          return;
        } catch (RuntimeException e) {
          lastProbeFailure = e;
          log.debug("CQL probe failed, retrying", e);
        }
      }
      long now = System.nanoTime();
      if (now - deadline > 0) {
        throw failure(
            running,
            "Cassandra did not answer CQL within " + timeout.toSeconds() + " s",
            "On a slow machine raise portolan.cassandra.embedded.start-timeout"
                + " (PORTOLAN_CASSANDRA_START_TIMEOUT); otherwise read the log below. The child JVM was stopped.",
            lastProbeFailure);
      }
      if (now - nextProgress >= 0) {
        log.info(
            "Cassandra starting… {} s, last log line: {}",
            TimeUnit.NANOSECONDS.toSeconds(now - startNanos),
            lastLine(systemLog(running.dataDir())));
        nextProgress = now + PROGRESS_EVERY.toNanos();
      }
      try {
        Thread.sleep(POLL_EVERY.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CassandraStartException("Interrupted while waiting for Cassandra to start", e);
      }
    }
  }

  /** One real CQL round trip: the node has finished starting, not merely bound its port. */
  private static String probe(RunningCassandra running) {
    DriverConfigLoader config =
        DriverConfigLoader.programmaticBuilder()
            // Only this node, whatever the application's config says.
            .withStringList(DefaultDriverOption.CONTACT_POINTS, List.of())
            .withDuration(DefaultDriverOption.CONNECTION_CONNECT_TIMEOUT, Duration.ofSeconds(2))
            .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(5))
            .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(5))
            .withBoolean(DefaultDriverOption.METADATA_SCHEMA_ENABLED, false)
            .withBoolean(DefaultDriverOption.METADATA_TOKEN_MAP_ENABLED, false)
            // The default 2 s quiet period would make every probe 2 s slower to close.
            .withInt(DefaultDriverOption.NETTY_IO_SHUTDOWN_QUIET_PERIOD, 0)
            .withInt(DefaultDriverOption.NETTY_ADMIN_SHUTDOWN_QUIET_PERIOD, 0)
            .build();
    try (CqlSession session =
        CqlSession.builder()
            .withConfigLoader(config)
            .addContactPoint(new InetSocketAddress(running.host(), running.nativePort()))
            .withLocalDatacenter(LOCAL_DATACENTER)
            .build()) {
      Row row = session.execute("SELECT release_version FROM system.local").one();
      if (row == null) {
        throw new IllegalStateException("system.local returned no row");
      }
      return row.getString("release_version");
    }
  }

  private static CassandraStartException failure(
      RunningCassandra running, String what, String toDo, Exception cause) {
    Path systemLog = systemLog(running.dataDir());
    Path stdoutLog = stdoutLog(running.dataDir());
    String message =
        "Embedded Cassandra did not start: " + what + ".\n"
            + "What to do: " + toDo + "\n"
            + "Logs: " + systemLog + " and " + stdoutLog + "\n"
            + "--- last lines of " + systemLog.getFileName() + " ---\n" + tail(systemLog, TAIL_LINES) + "\n"
            + "--- last lines of " + stdoutLog.getFileName() + " ---\n" + tail(stdoutLog, TAIL_LINES);
    return new CassandraStartException(message, cause);
  }

  private static long elapsedMillis(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  private static String lastLine(Path file) {
    String tail = tail(file, 1).strip();
    return tail.length() > 200 ? tail.substring(0, 200) + "…" : tail;
  }

  /** The last {@code lines} lines of a file, reading at most its last 64 KiB. */
  static String tail(Path file, int lines) {
    if (!Files.isRegularFile(file)) {
      return "(no " + file.getFileName() + " yet)";
    }
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long length = in.length();
      int size = (int) Math.min(length, 64 * 1024);
      byte[] bytes = new byte[size];
      in.seek(length - size);
      in.readFully(bytes);
      String[] all = new String(bytes, StandardCharsets.UTF_8).split("\n");
      return Arrays.stream(all, Math.max(0, all.length - lines), all.length)
          // Cassandra logs its whole classpath on one line; keep the message readable.
          .map(l -> l.length() > MAX_LINE ? l.substring(0, MAX_LINE) + "…" : l)
          .collect(Collectors.joining("\n"));
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")";
    }
  }
}
