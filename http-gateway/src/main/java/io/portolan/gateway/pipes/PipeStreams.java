package io.portolan.gateway.pipes;

import io.portolan.cluster.topology.HostEntity;
import io.portolan.protocol.AgentMessage;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.javadsl.Source;

/** Opens a pipe: its {@link PipeSession} and the stream of its frames, ending with the PipeClosed frame. */
public final class PipeStreams {

  /** Chunks (of at most 32 KiB) in flight or buffered per pipe. */
  public static final int WINDOW = 16;

  private PipeStreams() {}

  /** An open pipe: {@code session} takes client input; {@code frames} must be run exactly once. */
  public record Opened(ActorRef<PipeSession.Command> session, Source<AgentMessage, NotUsed> frames) {}

  public static Opened open(ActorSystem<?> system, ActorRef<HostEntity.ToAgent> link, String kind, String targetKey,
      Map<String, String> args, Consumer<AgentMessage.PipeClosed> onEnd) {
    String pipeId = UUID.randomUUID().toString();
    Pair<BoundedSourceQueue<AgentMessage>, Source<AgentMessage, NotUsed>> pre =
        Source.<AgentMessage>queue(WINDOW + 4).preMaterialize(system);
    ActorRef<PipeSession.Command> session = system.systemActorOf(
        PipeSession.create(link, pipeId, kind, targetKey, args, WINDOW, pre.first(), onEnd), "pipe-" + pipeId,
        Props.empty());
    Source<AgentMessage, NotUsed> frames = pre.second()
        .map(m -> {
          if (m instanceof AgentMessage.PipeData) {
            session.tell(PipeSession.Consumed.INSTANCE);
          }
          return m;
        })
        .takeWhile(m -> !(m instanceof AgentMessage.PipeClosed), true)
        .watchTermination((mat, done) -> {
          done.whenComplete((d, e) -> session.tell(PipeSession.ClientGone.INSTANCE));
          return mat;
        });
    return new Opened(session, frames);
  }

  /** The HTTP status an agent's error stands for ("404 no such file" → 404); 502 when it names none. */
  public static int status(String error) {
    if (error != null && error.length() > 4 && error.charAt(3) == ' ') {
      try {
        return Integer.parseInt(error.substring(0, 3));
      } catch (NumberFormatException e) {
        return 502;
      }
    }
    return 502;
  }

  /** The error without its status prefix. */
  public static String message(String error) {
    return error != null && error.length() > 4 && error.charAt(3) == ' ' && Character.isDigit(error.charAt(0))
        ? error.substring(4) : error;
  }
}
