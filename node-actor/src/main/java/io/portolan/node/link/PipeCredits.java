package io.portolan.node.link;

import java.util.concurrent.TimeUnit;

/**
 * The credit of one pipe on the agent: how many more chunks it may send. The client sends the running
 * total it has granted ({@code granted} of {@link io.portolan.protocol.ClusterMessage.PipeCredit}) and
 * repeats it every second; only the part above the highest total seen adds credit, so a repeated or
 * reordered message grants nothing twice and a lost one is made good by the next. A message without a
 * total (an older node: {@code granted} 0) adds its increment {@code n}.
 */
final class PipeCredits {

  /** At most this much credit is held, whatever a client grants. */
  static final long MAX_AVAILABLE = 1024;

  private long granted;
  private long available;

  /** Takes in a credit message. */
  synchronized void grant(int n, long total) {
    long add;
    if (total > 0) {
      add = total - granted;
      if (add <= 0) {
        return;
      }
      granted = total;
    } else {
      add = Math.max(0, n);
    }
    available = Math.min(MAX_AVAILABLE, available + add);
    notifyAll();
  }

  /** Takes one credit, waiting at most {@code timeout}; false when none came. */
  synchronized boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    while (available == 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    available--;
    return true;
  }

  synchronized long available() {
    return available;
  }
}
