package io.portolan.persistence.cassandra;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Optional;

/**
 * Main class of the child JVM: makes Cassandra exit when the Portolan JVM that started it is gone,
 * then runs {@code org.apache.cassandra.service.CassandraDaemon}.
 *
 * <p>Two watchdogs, because either alone can miss a case: standard input is a pipe whose write end
 * only the parent holds, so it reaches EOF when the parent dies, even by {@code kill -9}; and the
 * parent pid is polled in case something else keeps that pipe open. Both call {@code System.exit}
 * so Cassandra's shutdown hook drains and flushes.
 *
 * <p>This class runs on Cassandra's classpath, not Portolan's: it must use only the JDK (Cassandra
 * is called by reflection) and no other Portolan class.
 */
public final class CassandraChildMain {

  private static final long PARENT_POLL_MILLIS = 1_000;

  private CassandraChildMain() {}

  public static void main(String[] args) throws Throwable {
    Optional<ProcessHandle> parent = ProcessHandle.current().parent();
    Optional<Instant> parentStart = parent.flatMap(p -> p.info().startInstant());
    daemon("portolan-stdin-watchdog", CassandraChildMain::exitOnStdinEof);
    parent.ifPresent(p -> daemon("portolan-parent-watchdog", () -> exitWhenGone(p.pid(), parentStart)));

    try {
      Class.forName("org.apache.cassandra.service.CassandraDaemon")
          .getMethod("main", String[].class)
          .invoke(null, (Object) args);
    } catch (java.lang.reflect.InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static void exitOnStdinEof() {
    byte[] buffer = new byte[256];
    try (InputStream in = System.in) {
      while (in.read(buffer) >= 0) {
        // The parent never writes; anything that arrives is ignored.
      }
    } catch (IOException e) {
      // A broken pipe means the same as EOF: the parent is gone.
    }
    exit("standard input closed: the Portolan JVM that started this Cassandra is gone");
  }

  private static void exitWhenGone(long parentPid, Optional<Instant> parentStart) {
    while (true) {
      boolean alive =
          ProcessHandle.of(parentPid)
              .filter(ProcessHandle::isAlive)
              // A reused pid has a different start time.
              .filter(p -> parentStart.isEmpty() || p.info().startInstant().equals(parentStart))
              .isPresent();
      if (!alive) {
        exit("parent process " + parentPid + " is gone");
      }
      try {
        Thread.sleep(PARENT_POLL_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static void exit(String reason) {
    System.err.println("[portolan] stopping Cassandra: " + reason);
    System.exit(0);
  }

  private static void daemon(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    thread.start();
  }
}
