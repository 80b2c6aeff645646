package io.portolan.persistence.cassandra;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Cassandra child JVM started by {@link CassandraLauncher}. {@link #stop()} (or {@link #close()})
 * stops it; so does the end of this JVM, through a shutdown hook, or its death, through the child's
 * watchdogs.
 */
public final class RunningCassandra implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RunningCassandra.class);

  static final Duration STOP_GRACE = Duration.ofSeconds(30);

  private final Process process;
  private final String host;
  private final int nativePort;
  private final int storagePort;
  private final Path dataDir;
  /** The write end of the child's stdin; the child exits when it closes. Never written to. */
  private final OutputStream lifeline;
  private final Thread shutdownHook;
  private boolean stopped;

  RunningCassandra(Process process, String host, int nativePort, int storagePort, Path dataDir) {
    this.process = process;
    this.host = host;
    this.nativePort = nativePort;
    this.storagePort = storagePort;
    this.dataDir = dataDir;
    this.lifeline = process.getOutputStream();
    this.shutdownHook = new Thread(this::stop, "portolan-cassandra-stop-" + process.pid());
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  public String host() {
    return host;
  }

  /** The CQL (native transport) port. */
  public int nativePort() {
    return nativePort;
  }

  /** The inter-node (storage) port. */
  public int storagePort() {
    return storagePort;
  }

  /** {@code host:port}, the form of {@code datastax-java-driver.basic.contact-points}. */
  public String contactPoint() {
    return host + ":" + nativePort;
  }

  public long pid() {
    return process.pid();
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Cassandra's own log. */
  public Path systemLog() {
    return CassandraLauncher.systemLog(dataDir);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * For an owner that stops Cassandra itself at the right moment of its own shutdown (a Pekko node
   * does it after leaving the cluster, so nothing still writes): removes the JVM shutdown hook that
   * would otherwise stop Cassandra concurrently with the owner's hooks. The child's watchdogs still
   * stop Cassandra if this JVM dies without calling {@link #stop()}.
   */
  public void stopOnlyWhenAsked() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down: the hook runs, which is what stop() would do anyway.
    }
  }

  /**
   * Stops Cassandra: SIGTERM, so its shutdown hook flushes, then SIGKILL after {@link #STOP_GRACE}.
   * Safe to call more than once and from several threads.
   */
  public synchronized void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // Already running the shutdown hooks (possibly this one).
    }
    if (!process.isAlive()) {
      closeLifeline();
      deletePidFile();
      return;
    }
    long startNanos = System.nanoTime();
    log.info("Stopping Cassandra (pid {}) at {}", process.pid(), contactPoint());
    process.destroy();
    try {
      if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn(
            "Cassandra (pid {}) did not stop within {} s; killing it", process.pid(), STOP_GRACE.toSeconds());
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      closeLifeline();
      deletePidFile();
    }
    log.info(
        "Cassandra (pid {}) stopped in {} ms",
        process.pid(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
  }

  @Override
  public void close() {
    stop();
  }

  @Override
  public String toString() {
    return "RunningCassandra[pid=" + pid() + ", " + contactPoint() + ", dataDir=" + dataDir + "]";
  }

  private void deletePidFile() {
    try {
      java.nio.file.Files.deleteIfExists(CassandraLauncher.pidFile(dataDir));
    } catch (IOException e) {
      // A stale pid file is ignored at the next start: its process is gone.
    }
  }

  private void closeLifeline() {
    try {
      lifeline.close();
    } catch (IOException e) {
      // The child is gone; nothing reads the pipe any more.
    }
  }
}
