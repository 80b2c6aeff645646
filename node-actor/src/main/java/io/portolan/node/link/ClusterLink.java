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
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
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
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.ws.BinaryMessage;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.WebSocketRequest;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgradeResponse;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * The agent's connection to the cluster: dials {@code ws://<addr>/agent/ws} with
 * {@code Authorization: Bearer <token>}, sends {@link AgentMessage.Hello} then binary report frames,
 * and answers {@link ClusterMessage}s. Reconnects with exponential backoff and jitter, trying the
 * configured addresses in turn.
 *
 * <p>Outgoing frames go through a bounded queue ({@code send-buffer}). When the cluster reads slower
 * than we write and the queue is full, frames are dropped, later deltas are discarded too, and once the
 * queue has drained a full report is requested: the cluster converges and memory stays bounded.
 */
public final class ClusterLink extends AbstractBehavior<ClusterLink.Command> {

  public sealed interface Command {}

  /** An encoded {@link AgentMessage.Report} to send; dropped when not connected. */
  public record SendFrame(byte[] frame) implements Command {}

  private enum Connect implements Command { INSTANCE }

  private enum DrainCheck implements Command { INSTANCE }

  private record Upgraded(long connection, WebSocketUpgradeResponse response, Throwable error) implements Command {}

  private record Received(long connection, byte[] frame) implements Command {}

  private record Closed(long connection, Throwable cause) implements Command {}

  private record ControlDone(String requestId, String error) implements Command {}

  private record KubernetesReplied(AgentMessage.ControlReply reply) implements Command {}

  /** An encoded pipe frame ({@link Pipes}): sent even while reports are being dropped, since credit bounds it. */
  private record SendPipeFrame(byte[] frame) implements Command {}

  public static Behavior<Command> create(AgentSettings settings, ActorRef<HostActor.Command> host, DockerPort docker) {
    return create(settings, host, docker, null);
  }

  /** With {@code kubernetes} (may be null) running controls on Kubernetes keys. */
  public static Behavior<Command> create(AgentSettings settings, ActorRef<HostActor.Command> host, DockerPort docker,
      KubernetesControlHandler kubernetes) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers ->
        new ClusterLink(context, timers, settings, host, docker, kubernetes)));
  }

  private final TimerScheduler<Command> timers;
  private final AgentSettings settings;
  private final ActorRef<HostActor.Command> host;
  private final DockerPort docker;
  private final Executor blocking;
  private final Materializer materializer;

  private int attempt;
  private long connection;
  private URI currentUri;
  private BoundedSourceQueue<Message> queue;
  private boolean up;
  private boolean overflowed;
  private final Pipes pipes;
  /** Controls on Kubernetes keys, when this agent watches a Kubernetes cluster; else null. */
  private final KubernetesControlHandler kubernetes;

  private ClusterLink(ActorContext<Command> context, TimerScheduler<Command> timers, AgentSettings settings,
      ActorRef<HostActor.Command> host, DockerPort docker, KubernetesControlHandler kubernetes) {
    super(context);
    this.kubernetes = kubernetes;
    context.setLoggerName(ClusterLink.class);
    this.timers = timers;
    this.settings = settings;
    this.host = host;
    this.docker = docker;
    this.blocking = Blocking.dockerExecutor(context);
    this.materializer = Materializer.matFromSystem(context.getSystem());
    if (settings.cluster().isEmpty()) {
      throw new IllegalArgumentException("no cluster address configured (portolan.node.agent.cluster / --cluster)");
    }
    ActorRef<Command> self = context.getSelf();
    this.pipes = new Pipes(docker.streams().orElse(null), frame -> self.tell(new SendPipeFrame(frame)), blocking,
        settings.maskEnvKeys());
    context.getSelf().tell(Connect.INSTANCE);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessageEquals(Connect.INSTANCE, this::onConnect)
        .onMessage(Upgraded.class, this::onUpgraded)
        .onMessage(Received.class, this::onReceived)
        .onMessage(Closed.class, this::onClosed)
        .onMessage(SendFrame.class, this::onSendFrame)
        .onMessageEquals(DrainCheck.INSTANCE, this::onDrainCheck)
        .onMessage(ControlDone.class, this::onControlDone)
        .onMessage(KubernetesReplied.class, this::onKubernetesReplied)
        .onMessage(SendPipeFrame.class, f -> {
          if (up) {
            offer(f.frame());
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
    Sink<Message, CompletionStage<Done>> in = Flow.<Message>create()
        .mapAsync(1, m -> m.isText()
            ? m.asTextMessage().toStrict(5_000, materializer).thenApply(t -> t.getStrictText().getBytes())
            : m.asBinaryMessage().toStrict(5_000, materializer).thenApply(b -> b.getStrictData().toArray()))
        .toMat(Sink.foreach(bytes -> self.tell(new Received(id, bytes))), Keep.right());
    Source<Message, BoundedSourceQueue<Message>> out = Source.queue(Math.max(2, settings.sendBuffer()));
    Flow<Message, Message, Pair<CompletionStage<Done>, BoundedSourceQueue<Message>>> flow =
        Flow.fromSinkAndSourceCoupledMat(in, out, Keep.both());
    WebSocketRequest request = WebSocketRequest.create(currentUri.toString())
        .addHeader(RawHeader.create("Authorization", "Bearer " + settings.token()));
    getContext().getLog().debug("connecting to {} (attempt {})", currentUri, attempt + 1);
    Pair<CompletionStage<WebSocketUpgradeResponse>, Pair<CompletionStage<Done>, BoundedSourceQueue<Message>>> r;
    try {
      r = Http.get(getContext().getSystem()).singleWebSocketRequest(request, flow, materializer);
    } catch (RuntimeException e) {
      self.tell(new Upgraded(id, null, e));
      return this;
    }
    queue = r.second().second();
    getContext().pipeToSelf(r.first(), (resp, err) -> new Upgraded(id, resp, err));
    getContext().pipeToSelf(r.second().first(), (done, err) -> new Closed(id, err));
    return this;
  }

  private Behavior<Command> onUpgraded(Upgraded u) {
    if (u.connection() != connection) {
      return this;
    }
    if (u.error() != null || !u.response().isValid()) {
      String why = u.error() != null ? u.error().toString()
          : u.response().response().status().intValue() == 401 || u.response().response().status().intValue() == 403
              ? "the cluster refused the token (HTTP " + u.response().response().status().intValue()
                  + "): check --token / PORTOLAN_AGENT_TOKEN"
              : "upgrade refused: HTTP " + u.response().response().status().intValue() + " "
                  + u.response().invalidationReason();
      retryLater(why);
      return this;
    }
    up = true;
    overflowed = false;
    getContext().getLog().info("connected to cluster at {}", currentUri);
    offer(Protocol.encode(new AgentMessage.Hello(Protocol.VERSION, settings.agentId(), settings.hostId(),
        settings.hostId(), agentVersion())));
    host.tell(new HostActor.LinkUp(getContext().getSelf()));
    return this;
  }

  private Behavior<Command> onReceived(Received r) {
    if (r.connection() != connection) {
      return this;
    }
    ClusterMessage message;
    try {
      message = Protocol.decodeClusterMessage(r.frame());
    } catch (ProtocolException e) {
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
      offer(Protocol.encode(new AgentMessage.ControlReply(c.requestId(), false,
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
    offer(Protocol.encode(r.reply()));
    return this;
  }

  private Behavior<Command> onControlDone(ControlDone d) {
    offer(Protocol.encode(new AgentMessage.ControlReply(d.requestId(), d.error() == null,
        d.error() == null ? "done" : d.error(), Map.of())));
    return this;
  }

  private Behavior<Command> onClosed(Closed c) {
    if (c.connection() != connection) {
      return this;
    }
    retryLater(c.cause() == null ? "connection closed by the cluster" : c.cause().toString());
    return this;
  }

  private Behavior<Command> onSendFrame(SendFrame s) {
    if (up && !overflowed) {
      offer(s.frame());
    }
    return this;
  }

  private Behavior<Command> onDrainCheck() {
    if (!up) {
      return this;
    }
    if (queue.size() == 0) {
      overflowed = false;
      timers.cancel(DrainCheck.INSTANCE);
      host.tell(new HostActor.FullReportRequested("send buffer drained after an overflow"));
    }
    return this;
  }

  private void offer(byte[] frame) {
    if (queue == null) {
      return;
    }
    QueueOfferResult result = queue.offer(BinaryMessage.create(ByteString.fromArrayUnsafe(frame)));
    if (result == QueueOfferResult.dropped()) {
      if (!overflowed) {
        getContext().getLog().warn("cluster reads slower than the agent writes: send buffer of {} frames full;"
            + " dropping deltas until it drains, then sending a full report", settings.sendBuffer());
        overflowed = true;
        timers.startTimerWithFixedDelay(DrainCheck.INSTANCE, Duration.ofMillis(200));
      }
    }
  }

  private void retryLater(String why) {
    boolean wasUp = up;
    up = false;
    pipes.closeAll();
    queue = null;
    connection++; // late messages from the old connection are ignored
    if (wasUp) {
      host.tell(HostActor.LinkDown.INSTANCE);
    }
    Duration delay = backoff(attempt, settings.reconnect());
    getContext().getLog().warn("{} {}: {}; retrying in {} ms", wasUp ? "lost connection to" : "cannot connect to",
        currentUri, why, delay.toMillis());
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

  private Behavior<Command> closeConnection() {
    if (queue != null) {
      queue.complete();
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
}
