package io.portolan.gateway.auth;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most {@code maxAttempts} login attempts per client address within {@code window}, on this
 * node. It slows password guessing across many usernames; per-account lockout (UserEntity) stops
 * guessing one account from many addresses.
 */
public final class LoginRateLimiter {

  private static final int MAX_CLIENTS = 100_000;

  private final int maxAttempts;
  private final long windowNanos;
  private final ConcurrentHashMap<String, Deque<Long>> attempts = new ConcurrentHashMap<>();

  public LoginRateLimiter(int maxAttempts, Duration window) {
    this.maxAttempts = maxAttempts;
    this.windowNanos = window.toNanos();
  }

  /** Counts an attempt; false when the client is over its limit (the attempt is then not made). */
  public boolean tryAcquire(String client) {
    long now = System.nanoTime();
    if (attempts.size() > MAX_CLIENTS) {
      attempts.clear();
    }
    Deque<Long> times = attempts.computeIfAbsent(client, c -> new ArrayDeque<>());
    synchronized (times) {
      while (!times.isEmpty() && now - times.peekFirst() > windowNanos) {
        times.pollFirst();
      }
      if (times.size() >= maxAttempts) {
        return false;
      }
      times.addLast(now);
      return true;
    }
  }
}
