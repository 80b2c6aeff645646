package io.portolan.loadgen;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stalls of this JVM as a thread that asks to sleep 1 ms sees them: GC pauses, safepoints and CPU
 * starvation of the load generator itself. A timed request that overlaps a stall was (partly)
 * measured by a stalled client. Also the GC count and time of this JVM since {@link #start}.
 */
public final class Hiccups implements AutoCloseable {

  /** A stall: when it ended (nanoTime) and how long it was beyond the 1 ms asked for. */
  public record Stall(long endNanos, long micros) {
    long startNanos() {
      return endNanos - micros * 1000;
    }
  }

  private final long thresholdMicros;
  private final List<Stall> stalls = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;
  private long gcCountAtStart;
  private long gcMillisAtStart;

  public Hiccups(long thresholdMicros) {
    this.thresholdMicros = thresholdMicros;
    this.thread = new Thread(this::loop, "hiccups");
    thread.setDaemon(true);
  }

  public Hiccups start() {
    gcCountAtStart = gcCount();
    gcMillisAtStart = gcMillis();
    thread.start();
    return this;
  }

  private void loop() {
    while (running) {
      long before = System.nanoTime();
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        return;
      }
      long after = System.nanoTime();
      long extra = (after - before) / 1000 - 1000;
      if (extra >= thresholdMicros) {
        stalls.add(new Stall(after, extra));
      }
    }
  }

  public List<Stall> stalls() {
    return List.copyOf(stalls);
  }

  /** The stalls that overlap {@code [fromNanos, toNanos]}, in microseconds of overlap. */
  public long overlapMicros(long fromNanos, long toNanos) {
    long sum = 0;
    for (Stall s : stalls) {
      long from = Math.max(fromNanos, s.startNanos());
      long to = Math.min(toNanos, s.endNanos());
      if (to > from) {
        sum += (to - from) / 1000;
      }
    }
    return sum;
  }

  public long gcCountSinceStart() {
    return gcCount() - gcCountAtStart;
  }

  public long gcMillisSinceStart() {
    return gcMillis() - gcMillisAtStart;
  }

  private static long gcCount() {
    long n = 0;
    for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
      n += Math.max(0, b.getCollectionCount());
    }
    return n;
  }

  private static long gcMillis() {
    long n = 0;
    for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
      n += Math.max(0, b.getCollectionTime());
    }
    return n;
  }

  /** Stall durations (µs), for percentiles. */
  public List<Long> micros() {
    List<Long> out = new ArrayList<>();
    stalls.forEach(s -> out.add(s.micros()));
    return out;
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
