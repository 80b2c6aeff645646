package io.portolan.gateway.agentlink;

import io.portolan.cluster.topology.HostEntity;
import io.portolan.protocol.AgentMessage;
import io.portolan.protocol.ClusterMessage;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The open pipes of one agent connection: pipe id → the session actor that gets its frames.
 *
 * <p>How a pipe finds its way (logs, exec, files): the API route asks the host's sharded
 * {@link HostEntity} once for the agent's link ({@link HostEntity.GetLink}), then sends
 * {@code ToAgent(PipeOpen, pipeSink)} straight to that link, which is the outbound side of the
 * agent's WebSocket on whichever node holds it. The outbound stage {@link #learn learns} the sink
 * before it encodes the frame, the inbound stage ({@link AgentConnection}) {@link #deliver delivers}
 * every {@code PipeData} / {@code PipeClosed} for that id to it, and forgets it on
 * {@code PipeClosed} (agent) or {@code PipeClose} (client). So chunks flow agent → connection →
 * session actor and credits session actor → link → agent, and the sharded entity only sees the one
 * GetLink. When the socket closes every registered sink gets a {@code PipeClosed} with the reason.
 * Two stream stages use it, hence the concurrent map; the sink is carried in {@code ToAgent} because
 * the link is the only ref the session has for the connection and it may live on another node.
 */
final class PipeTable {

  /** Pipes per connection; a session beyond this gets PipeClosed at once. */
  static final int MAX_PIPES = 256;

  private final Map<String, ActorRef<HostEntity.PipeFrame>> sinks = new ConcurrentHashMap<>();

  /** Called by the outbound stage for every message to the agent; false: do not send it. */
  boolean learn(HostEntity.ToAgent toAgent) {
    ClusterMessage m = toAgent.message();
    if (m instanceof ClusterMessage.PipeOpen open && toAgent.pipeSink() != null) {
      if (sinks.size() >= MAX_PIPES) {
        toAgent.pipeSink().tell(new HostEntity.PipeFrame(new AgentMessage.PipeClosed(open.pipeId(), null,
            "this agent already has " + MAX_PIPES + " open log, exec and file sessions; close some and retry")));
        return false;
      }
      sinks.put(open.pipeId(), toAgent.pipeSink());
    } else if (m instanceof ClusterMessage.PipeClose close) {
      sinks.remove(close.pipeId());
    }
    return true;
  }

  /** A pipe frame from the agent; frames of pipes nobody listens to any more are dropped. */
  void deliver(AgentMessage message) {
    if (message instanceof AgentMessage.PipeData data) {
      ActorRef<HostEntity.PipeFrame> sink = sinks.get(data.pipeId());
      if (sink != null) {
        sink.tell(new HostEntity.PipeFrame(data));
      }
    } else if (message instanceof AgentMessage.PipeClosed closed) {
      ActorRef<HostEntity.PipeFrame> sink = sinks.remove(closed.pipeId());
      if (sink != null) {
        sink.tell(new HostEntity.PipeFrame(closed));
      }
    }
  }

  /** The socket is gone: every open pipe ends with {@code reason}. */
  void closeAll(String reason) {
    sinks.forEach((id, sink) -> sink.tell(new HostEntity.PipeFrame(new AgentMessage.PipeClosed(id, null, reason))));
    sinks.clear();
  }
}
