package io.portolan.node.link;

import io.portolan.node.agent.AgentSettings;
import io.portolan.node.agent.Blocking;
import io.portolan.node.agent.HostActor;
import io.portolan.node.docker.DockerPort;
import io.portolan.node.kubernetes.KubernetesControlHandler;
import io.portolan.protocol.AgentMessage;
import io.portolan.protocol.ClusterMessage;
import io.portolan.protocol.Keys;
import io.portolan.protocol.Protocol;
import io.portolan.protocol.ProtocolException;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The agent's connection to the cluster: dials {@code ws://<addr>/agent/ws} (or {@code wss://}, verifying
 * the server's certificate against the given {@link SSLContext}) with {@code Authorization: Bearer <token>},
 * sends {@link AgentMessage.Hello} then binary report frames, and answers {@link ClusterMessage}s.
 * Reconnects with exponential backoff and jitter, trying the configured addresses in turn.
 *
 * <p>The WebSocket is the JDK's ({@code java.net.http}), so the agent needs no HTTP or streams library at
 * run time. It allows one outstanding send at a time; this actor keeps the queue:
 * <ul>
 *   <li>reports: at most {@code send-buffer} frames. When the cluster reads slower than we write and the
 *       queue is full, frames are dropped, later deltas are discarded too, and once the queue has drained
 *       a full report is requested: the cluster converges and memory stays bounded;</li>
 *   <li>everything else (Hello, control replies, pipe frames of logs and exec): a queue of its own, sent
 *       first, so that reports cannot starve a terminal. Pipe frames are bounded by the cluster's credit
 *       ({@link Pipes}); the queue is bounded as well, as a backstop.</li>
 * </ul>
 * A ping goes out every {@code keep-alive} (10 s); a connection on which nothing (pong or frame) has
 * arrived for {@code dead-after} (35 s) is aborted and redialled.
 */
public final class ClusterLink extends AbstractBehavior<ClusterLink.Command> {

  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  /** A bigger message from the cluster is a protocol error: the connection is closed and redialled. */
  static final int MAX_INCOMING = 16 * 1024 * 1024;
  static final int MAX_PRIORITY_FRAMES = 1024;

  public sealed interface Command {}

  /** An encoded {@link AgentMessage.Report} to send; dropped when not connected. */
  public record SendFrame(byte[] frame) implements Command {}

  private enum Connect implements Command { INSTANCE }

  private enum KeepAlive implements Command { INSTANCE }

  private record Opened(long connection, WebSocket ws, Throwable error) implements Command {}

  private record Received(long connection, byte[] frame) implements Command {}

  private record Heard(long connection) implements Command {}

  private record Sent(long connection, Throwable error) implements Command {}

  private record Closed(long connection, String why) implements Command {}

  private record ControlDone(String requestId, String error) implements Command {}

  private record KubernetesReplied(AgentMessage.ControlReply reply) implements Command {}

  /** An encoded pipe frame ({@link Pipes}): sent even while reports are being dropped, since credit bounds it. */
  private record SendPipeFrame(byte[] frame) implements Command {}

  public static Behavior<Command> create(AgentSettings settings, ActorRef<HostActor.Command> host, DockerPort docker) {
    return create(settings, host, docker, null, null);
  }

  /** With {@code kubernetes} (may be null) running controls on Kubernetes keys. */
  public static Behavior<Command> create(AgentSettings settings, ActorRef<HostActor.Command> host, DockerPort docker,
      KubernetesControlHandler kubernetes) {
    return create(settings, host, docker, kubernetes, null);
  }

  /**
   * {@code sslContext}: trust for {@code wss://} addresses ({@link ClusterTls#sslContext}); null means the
   * JVM's default trust store.
   */
  public static Behavior<Command> create(AgentSettings settings, ActorRef<HostActor.Command> host, DockerPort docker,
      KubernetesControlHandler kubernetes, SSLContext sslContext) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers ->
        new ClusterLink(context, timers, settings, host, docker, kubernetes, sslContext)));
  }

  private final TimerScheduler<Command> timers;
  private final AgentSettings settings;
  private final ActorRef<HostActor.Command> host;
  private final DockerPort docker;
  private final Executor blocking;
  private final HttpClient http;
  private final Pipes pipes;
  /** Controls on Kubernetes keys, when this agent watches a Kubernetes cluster; else null. */
  private final KubernetesControlHandler kubernetes;

  private int attempt;
  private long connection;
  private URI currentUri;
  private WebSocket ws;
  private boolean up;
  private boolean overflowed;
  private boolean sending;
  private long lastHeardNanos;
  private final ArrayDeque<byte[]> reports = new ArrayDeque<>();
  private final ArrayDeque<byte[]> priority = new ArrayDeque<>();

  private ClusterLink(ActorContext<Command> context, TimerScheduler<Command> timers, AgentSettings settings,
      ActorRef<HostActor.Command> host, DockerPort docker, KubernetesControlHandler kubernetes, SSLContext sslContext) {
    super(context);
    this.kubernetes = kubernetes;
    context.setLoggerName(ClusterLink.class);
    this.timers = timers;
    this.settings = settings;
    this.host = host;
    this.docker = docker;
    this.blocking = Blocking.dockerExecutor(context);
    if (settings.cluster().isEmpty()) {
      throw new IllegalArgumentException("no cluster address configured (portolan.node.agent.cluster / --cluster)");
    }
    HttpClient.Builder b = HttpClient.newBuilder()
        .connectTimeout(CONNECT_TIMEOUT)
        // The client's callbacks only hand frames to this actor: the small blocking pool is plenty, and the
        // client then starts no thread pool of its own (only its selector thread).
        .executor(Blocking.executor(context));
    if (sslContext != null) {
      b.sslContext(sslContext);
    }
    if (sslContext == ClusterTls.NONE) {
      // else the client asks the context for its default parameters, which NONE cannot give
      b.sslParameters(new javax.net.ssl.SSLParameters());
    }
    this.http = b.build();
    ActorRef<Command> self = context.getSelf();
    this.pipes = new Pipes(docker.streams().orElse(null), frame -> self.tell(new SendPipeFrame(frame)), blocking,
        settings.maskEnvKeys(), settings.hostExec());
    context.getSelf().tell(Connect.INSTANCE);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessageEquals(Connect.INSTANCE, this::onConnect)
        .onMessage(Opened.class, this::onOpened)
        .onMessage(Received.class, this::onReceived)
        .onMessage(Heard.class, h -> {
          if (h.connection() == connection) {
            lastHeardNanos = System.nanoTime();
          }
          return this;
        })
        .onMessage(Sent.class, this::onSent)
        .onMessage(Closed.class, this::onClosed)
        .onMessage(SendFrame.class, this::onSendFrame)
        .onMessageEquals(KeepAlive.INSTANCE, this::onKeepAlive)
        .onMessage(ControlDone.class, this::onControlDone)
        .onMessage(KubernetesReplied.class, this::onKubernetesReplied)
        .onMessage(SendPipeFrame.class, f -> {
          if (up) {
            offerPriority(f.frame());
          }
          return this;
        })
        .onSignal(PostStop.class, s -> {
          pipes.closeAll();
          return closeConnection();
        })
        .onSignal(PreRestart.class, s -> closeConnection())
        .build();
  }

  private Behavior<Command> onConnect() {
    long id = ++connection;
    currentUri = settings.cluster().get(attempt % settings.cluster().size());
    ActorRef<Command> self = getContext().getSelf();
    getContext().getLog().debug("connecting to {} (attempt {})", currentUri, attempt + 1);
    CompletableFuture<WebSocket> opening;
    try {
      opening = http.newWebSocketBuilder()
          .connectTimeout(CONNECT_TIMEOUT)
          .header("Authorization", "Bearer " + settings.token())
          .buildAsync(currentUri, new Listener(self, id));
    } catch (RuntimeException e) {
      self.tell(new Opened(id, null, e));
      return this;
    }
    opening.orTimeout(CONNECT_TIMEOUT.toMillis() + 5_000, TimeUnit.MILLISECONDS)
        .whenComplete((w, err) -> {
          self.tell(new Opened(id, w, err));
        });
    return this;
  }

  private Behavior<Command> onOpened(Opened o) {
    if (o.connection() != connection) {
      if (o.ws() != null) {
        o.ws().abort(); // a late upgrade of an attempt we gave up on
      }
      return this;
    }
    if (o.error() != null) {
      retryLater(describe(o.error()));
      return this;
    }
    ws = o.ws();
    up = true;
    overflowed = false;
    sending = false;
    reports.clear();
    priority.clear();
    lastHeardNanos = System.nanoTime();
    getContext().getLog().info("connected to cluster at {}", currentUri);
    offerPriority(Protocol.encode(new AgentMessage.Hello(Protocol.VERSION, settings.agentId(), settings.hostId(),
        settings.hostId(), agentVersion(), settings.hostExec() ? List.of(AgentMessage.Hello.HOST_EXEC) : List.of())));
    timers.startTimerWithFixedDelay(KeepAlive.INSTANCE, settings.keepAlive());
    host.tell(new HostActor.LinkUp(getContext().getSelf()));
    return this;
  }

  /** Why an attempt failed, in words an operator can act on. */
  private String describe(Throwable error) {
    Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (e instanceof WebSocketHandshakeException h) {
      int status = h.getResponse().statusCode();
      return status == 401 || status == 403
          ? "the cluster refused the token (HTTP " + status + "): check --token / PORTOLAN_AGENT_TOKEN"
          : "upgrade refused: HTTP " + status;
    }
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof SSLHandshakeException) {
        return "TLS handshake failed, the server's certificate is not trusted or does not match the address ("
            + rootMessage(c) + "): give the cluster's CA with --truststore / PORTOLAN_AGENT_TRUSTSTORE";
      }
      if (c == c.getCause()) {
        break;
      }
    }
    if (e instanceof java.util.concurrent.TimeoutException) {
      return "no answer within " + (CONNECT_TIMEOUT.toSeconds() + 5) + " s";
    }
    if (e instanceof java.net.ConnectException && e.getMessage() == null) {
      return "connection refused or unreachable";
    }
    return e.toString();
  }

  private Behavior<Command> onReceived(Received r) {
    if (r.connection() != connection) {
      return this;
    }
    lastHeardNanos = System.nanoTime();
    ClusterMessage message;
    try {
      message = Protocol.decodeClusterMessage(r.frame());
    } catch (ProtocolException | RuntimeException e) {
      getContext().getLog().warn("ignoring a frame from the cluster: {}", e.getMessage());
      return this;
    }
    if (message instanceof ClusterMessage.Welcome w) {
      attempt = 0; // a real session: the next failure starts the backoff again from the minimum
      getContext().getLog().info("welcomed by cluster node {} (protocol {})", w.clusterNode(), w.protocolVersion());
    } else if (message instanceof ClusterMessage.Rejected rej) {
      getContext().getLog().warn("cluster rejected frame seq {}: {}{}", rej.seq(), rej.reason(),
          rej.fatal() ? " (fatal: reconnecting later)" : "");
      if (rej.fatal()) {
        closeConnection();
        retryLater("the cluster rejected a frame as fatal: " + rej.reason());
      }
    } else if (message instanceof ClusterMessage.RequestFullReport req) {
      host.tell(new HostActor.FullReportRequested("cluster asked: " + req.reason()));
    } else if (message instanceof ClusterMessage.ControlRequest c) {
      control(c);
    } else {
      pipes.onMessage(message);
    }
    return this;
  }

  private void control(ClusterMessage.ControlRequest c) {
    String kind = c.targetKey() == null ? "" : Keys.kindOf(c.targetKey());
    if (kubernetes != null && KubernetesControlHandler.handles(c.targetKey())) {
      getContext().getLog().info("control {} on {} (request {})", c.action(), c.targetKey(), c.requestId());
      getContext().pipeToSelf(Blocking.call(blocking, Duration.ofSeconds(60), () -> kubernetes.handle(c)),
          (reply, err) -> new KubernetesReplied(err == null ? reply
              : new AgentMessage.ControlReply(c.requestId(), false, rootMessage(err), Map.of())));
      return;
    }
    if (!kind.equals("container")) {
      offerPriority(Protocol.encode(new AgentMessage.ControlReply(c.requestId(), false,
          "this agent runs controls on containers only (target was '" + c.targetKey() + "')", Map.of())));
      return;
    }
    String id = c.targetKey().substring("container:".length());
    Map<String, String> args = c.args() == null ? Map.of() : c.args();
    getContext().getLog().info("control {} on container {} (request {})", c.action(), id, c.requestId());
    getContext().pipeToSelf(
        Blocking.call(blocking, Duration.ofSeconds(60), () -> {
          docker.control(id, c.action(), args);
          return Done.getInstance();
        }),
        (ok, err) -> new ControlDone(c.requestId(), err == null ? null : rootMessage(err)));
  }

  private Behavior<Command> onKubernetesReplied(KubernetesReplied r) {
    offerPriority(Protocol.encode(r.reply()));
    return this;
  }

  private Behavior<Command> onControlDone(ControlDone d) {
    offerPriority(Protocol.encode(new AgentMessage.ControlReply(d.requestId(), d.error() == null,
        d.error() == null ? "done" : d.error(), Map.of())));
    return this;
  }

  private Behavior<Command> onClosed(Closed c) {
    if (c.connection() != connection) {
      return this;
    }
    retryLater(c.why());
    return this;
  }

  private Behavior<Command> onSendFrame(SendFrame s) {
    if (!up || overflowed) {
      return this;
    }
    if (reports.size() >= Math.max(2, settings.sendBuffer())) {
      getContext().getLog().warn("cluster reads slower than the agent writes: send buffer of {} frames full;"
          + " dropping deltas until it drains, then sending a full report", settings.sendBuffer());
      overflowed = true;
      return this;
    }
    reports.add(s.frame());
    sendNext();
    return this;
  }

  private void offerPriority(byte[] frame) {
    if (!up) {
      return;
    }
    if (priority.size() >= MAX_PRIORITY_FRAMES) {
      getContext().getLog().warn("dropping a control or pipe frame: {} such frames already wait to be sent",
          MAX_PRIORITY_FRAMES);
      return;
    }
    priority.add(frame);
    sendNext();
  }

  /** One send at a time (the JDK WebSocket's rule); the next goes out when this one completes. */
  private void sendNext() {
    if (sending || ws == null) {
      return;
    }
    byte[] next = priority.poll();
    if (next == null) {
      next = reports.poll();
    }
    if (next == null) {
      if (overflowed) {
        overflowed = false;
        host.tell(new HostActor.FullReportRequested("send buffer drained after an overflow"));
      }
      return;
    }
    sending = true;
    long id = connection;
    ActorRef<Command> self = getContext().getSelf();
    try {
      ws.sendBinary(ByteBuffer.wrap(next), true).whenComplete((w, err) -> self.tell(new Sent(id, err)));
    } catch (RuntimeException e) {
      self.tell(new Sent(id, e));
    }
  }

  private Behavior<Command> onSent(Sent s) {
    if (s.connection() != connection) {
      return this;
    }
    sending = false;
    if (s.error() != null) {
      retryLater("send failed: " + rootMessage(s.error()));
      return this;
    }
    sendNext();
    return this;
  }

  private Behavior<Command> onKeepAlive() {
    if (!up || ws == null) {
      return this;
    }
    long silentNanos = System.nanoTime() - lastHeardNanos;
    if (silentNanos > settings.deadAfter().toNanos()) {
      ws.abort();
      retryLater("nothing heard for " + TimeUnit.NANOSECONDS.toSeconds(silentNanos) + " s (not even a pong)");
      return this;
    }
    try {
      long id = connection;
      ActorRef<Command> self = getContext().getSelf();
      ws.sendPing(ByteBuffer.allocate(0)).whenComplete((w, err) -> {
        if (err != null) {
          self.tell(new Closed(id, "keep-alive ping failed: " + rootMessage(err)));
        }
      });
    } catch (IllegalStateException e) {
      // a ping still in flight: the silence check above decides
    }
    return this;
  }

  private void retryLater(String why) {
    boolean wasUp = up;
    up = false;
    sending = false;
    reports.clear();
    priority.clear();
    timers.cancel(KeepAlive.INSTANCE);
    pipes.closeAll();
    if (ws != null) {
      ws.abort();
      ws = null;
    }
    connection++; // late messages from the old connection are ignored
    if (wasUp) {
      host.tell(HostActor.LinkDown.INSTANCE);
    }
    Duration delay = backoff(attempt, settings.reconnect());
    if (why.startsWith("TLS handshake failed")) {
      getContext().getLog().error("cannot connect to {}: {}; retrying in {} ms", currentUri, why, delay.toMillis());
    } else {
      getContext().getLog().warn("{} {}: {}; retrying in {} ms", wasUp ? "lost connection to" : "cannot connect to",
          currentUri, why, delay.toMillis());
    }
    attempt++;
    timers.startSingleTimer(Connect.INSTANCE, delay);
  }

  /** min · 2^attempt, capped at max, times a random factor in [1, 1 + randomFactor]. */
  public static Duration backoff(int attempt, AgentSettings.Backoff b) {
    double base = b.min().toMillis() * Math.pow(2, Math.min(attempt, 30));
    double capped = Math.min(base, b.max().toMillis());
    double jitter = 1 + ThreadLocalRandom.current().nextDouble() * b.randomFactor();
    return Duration.ofMillis((long) (capped * jitter));
  }

  /** Closes the current connection; the listener's onClose/onError then leads to a reconnect. */
  private Behavior<Command> closeConnection() {
    WebSocket w = ws;
    if (w != null) {
      w.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(2, TimeUnit.SECONDS)
          .whenComplete((x, err) -> w.abort());
    }
    return this;
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c.getMessage() == null ? c.toString() : c.getMessage();
  }

  static String agentVersion() {
    String v = ClusterLink.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /**
   * Reassembles fragmented messages (bounded by {@link #MAX_INCOMING}) and hands whole frames to the
   * actor; asks for the next message only after the current one was handed over.
   */
  private static final class Listener implements WebSocket.Listener {
    private final ActorRef<Command> self;
    private final long id;
    private ByteArrayOutputStream partial;
    private boolean tooBig;

    Listener(ActorRef<Command> self, long id) {
      this.self = self;
      this.id = id;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      byte[] chunk = new byte[data.remaining()];
      data.get(chunk);
      accept(webSocket, chunk, last);
      return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      accept(webSocket, data.toString().getBytes(StandardCharsets.UTF_8), last);
      return null;
    }

    private void accept(WebSocket webSocket, byte[] chunk, boolean last) {
      if (partial == null && last) {
        self.tell(new Received(id, chunk)); // the common case: one frame, no copy
      } else {
        if (partial == null) {
          partial = new ByteArrayOutputStream();
        }
        if (!tooBig && partial.size() + chunk.length > MAX_INCOMING) {
          tooBig = true;
          self.tell(new Closed(id, "the cluster sent a message over " + MAX_INCOMING + " bytes"));
          webSocket.abort();
          return;
        }
        partial.write(chunk, 0, chunk.length);
        if (last) {
          self.tell(new Received(id, partial.toByteArray()));
          partial = null;
        }
      }
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
      self.tell(new Heard(id));
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
      self.tell(new Heard(id));
      webSocket.request(1); // the JDK answers with a pong itself
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      self.tell(new Closed(id, "connection closed by the cluster (" + statusCode
          + (reason == null || reason.isEmpty() ? "" : ": " + reason) + ")"));
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      self.tell(new Closed(id, error.toString()));
    }
  }
}
