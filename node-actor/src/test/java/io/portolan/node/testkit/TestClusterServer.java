package io.portolan.node.testkit;

import io.portolan.protocol.AgentMessage;
import io.portolan.protocol.ClusterMessage;
import io.portolan.protocol.Entry;
import io.portolan.protocol.MetricSample;
import io.portolan.protocol.Protocol;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.ws.BinaryMessage;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * A tiny real WebSocket server on 127.0.0.1 that speaks the cluster's side of {@code /agent/ws}: checks
 * the bearer token, answers Hello with Welcome, and merges the reports it receives into a view
 * (full reports replace, deltas add and tombstone), so that tests can wait for what a cluster would see.
 */
public final class TestClusterServer extends AllDirectives implements AutoCloseable {

  /** One frame as received, with the wall-clock time it arrived. */
  public record Frame(int connection, AgentMessage message, long receivedAtMillis, long receivedAtNanos) {}

  private final String token;
  private final ActorSystem<Void> system;
  private final Materializer materializer;
  private final List<Frame> frames = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger rejectedAuth = new AtomicInteger();
  private final Map<String, Entry> view = new HashMap<>();
  private final Map<String, MetricSample> samples = new HashMap<>();
  private volatile BoundedSourceQueue<Message> current;
  private volatile ServerBinding binding;
  private volatile boolean tls;
  private volatile java.util.function.Consumer<Frame> listener = f -> { };

  public TestClusterServer(String token) {
    this.token = token;
    this.system = ActorSystem.create(Behaviors.empty(), "test-cluster-" + System.nanoTime());
    this.materializer = Materializer.matFromSystem(system);
  }

  /** Binds to {@code port} (0: any free port) and returns the port. */
  public int start(int port) {
    binding = Http.get(system).newServerAt("127.0.0.1", port).bind(route())
        .toCompletableFuture().join();
    return binding.localAddress().getPort();
  }

  /** Binds with TLS ({@code wss://}) on {@code port} (0: any free port), with the server key in {@code ssl}. */
  public int startTls(int port, javax.net.ssl.SSLContext ssl) {
    tls = true;
    binding = Http.get(system).newServerAt("127.0.0.1", port)
        .enableHttps(org.apache.pekko.http.javadsl.ConnectionContext.httpsServer(ssl))
        .bind(route())
        .toCompletableFuture().join();
    return binding.localAddress().getPort();
  }

  public int port() {
    return binding.localAddress().getPort();
  }

  public String address() {
    return (tls ? "wss://localhost:" : "ws://127.0.0.1:") + port();
  }

  /** Unbinds and closes every open connection (as a cluster node that goes away). */
  public void stop() {
    if (binding != null) {
      binding.terminate(Duration.ofSeconds(2)).toCompletableFuture().join();
      binding = null;
    }
    BoundedSourceQueue<Message> q = current;
    if (q != null) {
      try {
        q.complete();
      } catch (IllegalStateException alreadyClosed) {
        // the connection ended first
      }
    }
  }

  public void onFrame(java.util.function.Consumer<Frame> l) {
    this.listener = l;
  }

  private Route route() {
    return path(PathMatchers.segment("agent").slash("ws"), () ->
        optionalHeaderValueByName("Authorization", auth -> {
          if (auth.isEmpty() || !auth.get().equals("Bearer " + token)) {
            rejectedAuth.incrementAndGet();
            return complete(StatusCodes.UNAUTHORIZED, "bad token");
          }
          return handleWebSocketMessages(connectionFlow(connections.incrementAndGet()));
        }));
  }

  private Flow<Message, Message, ?> connectionFlow(int connection) {
    var pair = Source.<Message>queue(64).preMaterialize(materializer);
    BoundedSourceQueue<Message> queue = pair.first();
    current = queue;
    Sink<Message, ?> in = Flow.<Message>create()
        .mapAsync(1, m -> m.asBinaryMessage().toStrict(5_000, materializer))
        .to(Sink.foreach(b -> {
          long ms = System.currentTimeMillis();
          long ns = System.nanoTime();
          AgentMessage msg = Protocol.decodeAgentMessage(b.getStrictData().toArray());
          Frame f = new Frame(connection, msg, ms, ns);
          frames.add(f);
          apply(msg);
          if (msg instanceof AgentMessage.Hello) {
            queue.offer(BinaryMessage.create(ByteString.fromArray(
                Protocol.encode(new ClusterMessage.Welcome(Protocol.VERSION, "test-node")))));
          }
          listener.accept(f);
        }));
    return Flow.fromSinkAndSourceCoupled(in, pair.second());
  }

  private synchronized void apply(AgentMessage msg) {
    if (msg instanceof AgentMessage.Report r) {
      if (r.full()) {
        view.clear();
      }
      for (Entry e : r.entries()) {
        if (e.isTombstone()) {
          view.remove(e.key());
          samples.keySet().removeIf(k -> k.startsWith(e.key() + "|"));
        } else {
          view.put(e.key(), e);
        }
      }
      for (MetricSample s : r.samples()) {
        samples.put(s.key() + "|" + s.metric(), s);
      }
    }
  }

  public void send(ClusterMessage message) {
    current.offer(BinaryMessage.create(ByteString.fromArray(Protocol.encode(message))));
  }

  public synchronized Map<String, Entry> view() {
    return Map.copyOf(view);
  }

  public synchronized Map<String, MetricSample> samples() {
    return Map.copyOf(samples);
  }

  public List<Frame> frames() {
    return new ArrayList<>(frames);
  }

  public int connections() {
    return connections.get();
  }

  public int rejectedAuth() {
    return rejectedAuth.get();
  }

  /** Polls the merged view until {@code condition} holds; fails with {@code what} after {@code timeout}. */
  public Map<String, Entry> awaitView(String what, Duration timeout, Predicate<Map<String, Entry>> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Map<String, Entry> v = view();
      if (condition.test(v)) {
        return v;
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
    throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; view has "
        + view().size() + " entries: " + summary());
  }

  private String summary() {
    StringBuilder sb = new StringBuilder();
    view().values().stream().filter(e -> !e.key().startsWith("process:")).limit(40)
        .forEach(e -> sb.append("\n  ").append(e.key()).append(" = ").append(e.payload()));
    return sb.toString();
  }

  @Override
  public void close() {
    try {
      stop();
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().join();
    }
  }
}
