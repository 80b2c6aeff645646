package io.portolan.node.link;

import io.portolan.node.docker.ContainerStreams;
import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Batches a log pipe's output into fewer, larger chunks: bytes of one stream are held until
 * {@code maxBytes} are buffered or {@code linger} has passed since the first of them, whichever comes
 * first (a change of stream or the end sends at once), and then go to {@code downstream} as one chunk.
 * A container printing many short lines then costs one frame per linger period instead of one per
 * line, on the agent, the link, the node and the browser alike.
 *
 * <p>The reading thread ({@link #send}) only copies into the buffer; a sender thread of its own hands
 * chunks to {@code downstream}, which blocks while the pipe has no credit. While it blocks the buffer
 * fills up to {@code maxBytes} and then {@link #send} blocks too, so the engine's response is not read
 * further: at most one buffer and one chunk in hand per pipe, whatever the container prints. A failure
 * downstream (the pipe closed) is thrown from the next {@link #send} or from {@link #finish}.
 */
final class Coalescer implements ContainerStreams.Out, AutoCloseable {

  private final ContainerStreams.Out downstream;
  private final int maxBytes;
  private final long lingerNanos;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final byte[] buf;
  private final Thread sender;
  private int filled;
  private String stream;
  private long firstAt;
  private boolean flushNow;
  private boolean finished;
  private Exception failure;

  Coalescer(ContainerStreams.Out downstream, int maxBytes, Duration linger, String name) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be positive");
    }
    this.downstream = downstream;
    this.maxBytes = maxBytes;
    this.lingerNanos = linger.toNanos();
    this.buf = new byte[maxBytes];
    this.sender = new Thread(this::sendLoop, name);
    sender.setDaemon(true);
    sender.start();
  }

  @Override
  public void send(String stream, byte[] bytes, int offset, int length) throws IOException {
    lock.lock();
    try {
      while (length > 0) {
        rethrow();
        if (finished) {
          throw new InterruptedIOException("coalescer closed");
        }
        if (filled > 0 && (filled == maxBytes || !stream.equals(this.stream))) {
          flushNow = true;
          changed.signalAll();
          changed.await();
          continue;
        }
        if (filled == 0) {
          this.stream = stream;
          firstAt = System.nanoTime();
          changed.signalAll();
        }
        int n = Math.min(length, maxBytes - filled);
        System.arraycopy(bytes, offset, buf, filled, n);
        filled += n;
        offset += n;
        length -= n;
        if (filled == maxBytes) {
          changed.signalAll();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted");
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void hold(Closeable resource) throws IOException {
    downstream.hold(resource);
  }

  /** The input ended: sends what is buffered, waits until it went, and throws a downstream failure. */
  void finish() throws IOException {
    lock.lock();
    try {
      finished = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      sender.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted");
    }
    lock.lock();
    try {
      rethrow();
    } finally {
      lock.unlock();
    }
  }

  /** Stops without sending what is buffered (after a failure); {@link #finish} first for a clean end. */
  @Override
  public void close() {
    lock.lock();
    try {
      if (!finished) {
        finished = true;
        filled = 0;
        if (failure == null) {
          failure = new InterruptedIOException("coalescer closed");
        }
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void rethrow() throws IOException {
    if (failure instanceof IOException e) {
      throw e;
    }
    if (failure instanceof RuntimeException e) {
      throw e;
    }
  }

  private void sendLoop() {
    while (true) {
      byte[] chunk;
      String chunkStream;
      lock.lock();
      try {
        while (filled == 0 && !finished) {
          changed.await();
        }
        if (filled == 0) {
          return;
        }
        while (!finished && !flushNow && filled < maxBytes) {
          long left = firstAt + lingerNanos - System.nanoTime();
          if (left <= 0) {
            break;
          }
          changed.awaitNanos(left);
        }
        if (filled == 0) {
          continue; // closed while lingering
        }
        chunk = Arrays.copyOf(buf, filled);
        chunkStream = stream;
        filled = 0;
        flushNow = false;
        changed.signalAll();
      } catch (InterruptedException e) {
        return;
      } finally {
        lock.unlock();
      }
      try {
        downstream.send(chunkStream, chunk, 0, chunk.length);
      } catch (IOException | RuntimeException e) {
        lock.lock();
        try {
          failure = e;
          filled = 0;
          finished = true;
          changed.signalAll();
        } finally {
          lock.unlock();
        }
        return;
      }
    }
  }

  /** For tests: waits until the sender thread has ended. */
  boolean awaitSenderEnd(long timeout, TimeUnit unit) throws InterruptedException {
    sender.join(unit.toMillis(timeout));
    return !sender.isAlive();
  }
}
