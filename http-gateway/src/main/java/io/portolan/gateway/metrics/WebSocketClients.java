package io.portolan.gateway.metrics;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.stream.javadsl.Flow;

/** Open WebSocket clients of this JVM's nodes, by kind; the agents' sockets are counted by IngestStats. */
public final class WebSocketClients {

  /** UI and API clients of {@code /api/topology/{view}/ws}. */
  public static final AtomicLong TOPOLOGY = new AtomicLong();

  private WebSocketClients() {}

  /** {@code flow}, counted in {@code gauge} while it runs. */
  public static <I, O, M> Flow<I, O, M> counted(AtomicLong gauge, Flow<I, O, M> flow) {
    return flow.watchTermination((mat, done) -> {
      gauge.incrementAndGet();
      done.whenComplete((d, e) -> gauge.decrementAndGet());
      return mat;
    });
  }
}
