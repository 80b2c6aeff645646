package io.portolan.gateway.pipes;

import io.portolan.cluster.topology.HostEntity;
import io.portolan.protocol.AgentMessage;
import io.portolan.protocol.ClusterMessage;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;

/**
 * The client side of one pipe (one logs or exec WebSocket, one inspect or download request). It
 * opens the pipe on the agent's link, naming itself as the sink of the pipe's frames (see
 * {@code agentlink.PipeTable}), puts every frame into the response stream's bounded queue, and
 * grants the agent credit as the stream takes chunks out of that queue: the client's own
 * backpressure (a WebSocket or HTTP response that is not read) stops the credits, so at most
 * {@code window} chunks are in flight or buffered per pipe. Credit is sent as a running total and
 * repeated every {@link #CREDIT_RESEND}, so a credit message lost on the way cannot stall the pipe. A frame that finds the queue full
 * (a misbehaving agent) fails the stream with a clear message instead of buffering more.
 */
public final class PipeSession extends AbstractBehavior<PipeSession.Command> {

  public sealed interface Command {}

  /** The response stream took one chunk from the queue. */
  public enum Consumed implements Command { INSTANCE }

  /** The client closed (or the response stream ended): close the pipe on the agent. */
  public enum ClientGone implements Command { INSTANCE }

  public record Input(byte[] bytes) implements Command {}

  public record Resize(int cols, int rows) implements Command {}

  private record FromAgent(HostEntity.PipeFrame frame) implements Command {}

  private enum ResendCredit implements Command { INSTANCE }

  /** How often the running credit total is repeated (a lost credit message then stalls a pipe at most this long). */
  static final Duration CREDIT_RESEND = Duration.ofSeconds(1);

  private enum LinkGone implements Command { INSTANCE }

  public static Behavior<Command> create(ActorRef<HostEntity.ToAgent> link, String pipeId, String kind,
      String targetKey, Map<String, String> args, int window, BoundedSourceQueue<AgentMessage> queue,
      Consumer<AgentMessage.PipeClosed> onEnd) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(ResendCredit.INSTANCE, CREDIT_RESEND);
      return new PipeSession(ctx, link, pipeId, kind, targetKey, args, window, queue, onEnd);
    }));
  }

  private final ActorRef<HostEntity.ToAgent> link;
  private final String pipeId;
  private final int window;
  private final BoundedSourceQueue<AgentMessage> queue;
  private final Consumer<AgentMessage.PipeClosed> onEnd;
  private int consumed;
  /** Chunks granted since the pipe opened (the window, plus every chunk the client consumed). */
  private long granted;
  private boolean ended;

  private PipeSession(ActorContext<Command> ctx, ActorRef<HostEntity.ToAgent> link, String pipeId, String kind,
      String targetKey, Map<String, String> args, int window, BoundedSourceQueue<AgentMessage> queue,
      Consumer<AgentMessage.PipeClosed> onEnd) {
    super(ctx);
    this.link = link;
    this.pipeId = pipeId;
    this.window = window;
    this.queue = queue;
    this.onEnd = onEnd;
    ActorRef<HostEntity.PipeFrame> sink = ctx.messageAdapter(HostEntity.PipeFrame.class, FromAgent::new);
    ctx.watchWith(link, LinkGone.INSTANCE);
    link.tell(new HostEntity.ToAgent(new ClusterMessage.PipeOpen(pipeId, kind, targetKey, args), sink));
    granted = window;
    link.tell(new HostEntity.ToAgent(new ClusterMessage.PipeCredit(pipeId, window, granted)));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(FromAgent.class, this::onFromAgent)
        .onMessageEquals(Consumed.INSTANCE, this::onConsumed)
        .onMessageEquals(ResendCredit.INSTANCE, () -> {
          link.tell(new HostEntity.ToAgent(new ClusterMessage.PipeCredit(pipeId, 0, granted)));
          return this;
        })
        .onMessage(Input.class, i -> {
          link.tell(new HostEntity.ToAgent(new ClusterMessage.PipeInput(pipeId, i.bytes())));
          return this;
        })
        .onMessage(Resize.class, r -> {
          link.tell(new HostEntity.ToAgent(new ClusterMessage.PipeResize(pipeId, r.cols(), r.rows())));
          return this;
        })
        .onMessageEquals(ClientGone.INSTANCE, () -> {
          link.tell(new HostEntity.ToAgent(new ClusterMessage.PipeClose(pipeId)));
          end(new AgentMessage.PipeClosed(pipeId, null, "client closed"));
          return Behaviors.stopped();
        })
        .onMessageEquals(LinkGone.INSTANCE, () -> {
          AgentMessage.PipeClosed closed = new AgentMessage.PipeClosed(pipeId, null,
              "503 the agent's connection closed; reopen to continue");
          queue.offer(closed);
          end(closed);
          return Behaviors.stopped();
        })
        .onSignal(PostStop.class, s -> {
          if (!ended) {
            link.tell(new HostEntity.ToAgent(new ClusterMessage.PipeClose(pipeId)));
            end(new AgentMessage.PipeClosed(pipeId, null, "stopped"));
          }
          return this;
        })
        .build();
  }

  private Behavior<Command> onFromAgent(FromAgent f) {
    AgentMessage m = f.frame().message();
    QueueOfferResult result = queue.offer(m);
    if (result != QueueOfferResult.enqueued()) {
      queue.fail(new IllegalStateException("the agent sent more than the " + window
          + " chunks it was granted; closing this stream rather than buffering"));
      link.tell(new HostEntity.ToAgent(new ClusterMessage.PipeClose(pipeId)));
      end(new AgentMessage.PipeClosed(pipeId, null, "overflow"));
      return Behaviors.stopped();
    }
    if (m instanceof AgentMessage.PipeClosed closed) {
      end(closed);
      return Behaviors.stopped();
    }
    return this;
  }

  private Behavior<Command> onConsumed() {
    consumed++;
    if (consumed >= Math.max(1, window / 2)) {
      granted += consumed;
      link.tell(new HostEntity.ToAgent(new ClusterMessage.PipeCredit(pipeId, consumed, granted)));
      consumed = 0;
    }
    return this;
  }

  private void end(AgentMessage.PipeClosed closed) {
    if (!ended) {
      ended = true;
      try {
        onEnd.accept(closed);
      } catch (RuntimeException e) {
        getContext().getLog().warn("pipe {}: end callback failed: {}", pipeId, e.toString());
      }
    }
  }
}
