package io.portolan.gateway.agentlink;

import io.portolan.cluster.agent.AgentEntity;
import io.portolan.cluster.agent.AgentValidation;
import io.portolan.cluster.topology.HostEntity;
import io.portolan.protocol.AgentMessage;
import io.portolan.protocol.ClusterMessage;
import io.portolan.protocol.Protocol;
import io.portolan.protocol.ProtocolException;
import java.time.Duration;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent's WebSocket, inbound side: checks every frame with {@link Protocol}, answers
 * {@link ClusterMessage.Rejected} with the reason (counted per reason), and forwards valid reports
 * to the host's sharded {@link HostEntity}. A rejected frame never touches merged state. Fatal
 * problems (no Hello first, wrong protocol version, a different agent or host than the Hello named,
 * or too many bad frames in a row) send a fatal Rejected and close the connection. Used by one
 * stream stage at a time, so it needs no locking.
 */
final class AgentConnection {

  private static final Logger log = LoggerFactory.getLogger(AgentConnection.class);
  /** After this many rejected frames in a row the connection is closed. */
  static final int MAX_CONSECUTIVE_REJECTIONS = 10;

  /** What the socket delivered: a binary frame, an oversized one (not kept), or text. */
  sealed interface Frame {
    record Binary(byte[] bytes) implements Frame {}

    record Oversized(long size) implements Frame {}

    record Text() implements Frame {}
  }

  private final ClusterSharding sharding;
  private final ActorRef<HostEntity.ToAgent> out;
  private final IngestStats stats;
  private final String selfAddress;
  private final Duration askTimeout;
  private AgentMessage.Hello hello;
  private int consecutiveRejections;
  private boolean closed;
  /** Open pipes on this connection (see {@link PipeTable}); the outbound stage fills it. */
  final PipeTable pipes = new PipeTable();

  AgentConnection(ClusterSharding sharding, ActorRef<HostEntity.ToAgent> out, IngestStats stats, String selfAddress,
      Duration askTimeout) {
    this.sharding = sharding;
    this.out = out;
    this.stats = stats;
    this.selfAddress = selfAddress;
    this.askTimeout = askTimeout;
  }

  void onFrame(Frame frame) {
    if (closed) {
      return;
    }
    stats.framesReceived.increment();
    if (frame instanceof Frame.Text) {
      reject("text-frame", "text frames are not part of the protocol; send CBOR in binary frames", -1, false);
      return;
    }
    if (frame instanceof Frame.Oversized o) {
      stats.bytesReceived.add(o.size());
      reject("oversized", "frame of " + o.size() + " bytes exceeds the limit of " + Protocol.MAX_FRAME_BYTES
          + " bytes; send deltas or split the report", -1, false);
      return;
    }
    byte[] bytes = ((Frame.Binary) frame).bytes();
    stats.bytesReceived.add(bytes.length);
    AgentMessage message;
    try {
      message = Protocol.decodeAgentMessage(bytes);
    } catch (ProtocolException e) {
      boolean version = e.getMessage().startsWith("unsupported protocol version");
      reject(version ? "version" : bytes.length > Protocol.MAX_FRAME_BYTES ? "oversized" : "malformed",
          e.getMessage(), -1, version);
      return;
    }
    if (message instanceof AgentMessage.Hello h) {
      onHello(h);
    } else if (hello == null) {
      reject("no-hello", "the first frame must be a Hello naming the agent and host", seqOf(message), true);
    } else if (message instanceof AgentMessage.Report r) {
      onReport(r, bytes);
    } else if (message instanceof AgentMessage.ControlReply reply) {
      consecutiveRejections = 0;
      sharding.entityRefFor(HostEntity.ENTITY_KEY, hello.hostId()).tell(new HostEntity.ControlReplied(reply));
    } else if (message instanceof AgentMessage.PipeData || message instanceof AgentMessage.PipeClosed) {
      consecutiveRejections = 0;
      pipes.deliver(message);
    }
  }

  private void onHello(AgentMessage.Hello h) {
    if (hello != null) {
      if (!hello.agentId().equals(h.agentId()) || !hello.hostId().equals(h.hostId())) {
        reject("identity", "this connection belongs to agent '" + hello.agentId() + "' on host '" + hello.hostId()
            + "'; open a new connection for another agent", -1, true);
      }
      return;
    }
    String idProblem = AgentValidation.checkAgentId(h.agentId());
    if (idProblem != null) {
      reject("identity", idProblem, -1, true);
      return;
    }
    hello = h;
    consecutiveRejections = 0;
    stats.connections.incrementAndGet();
    stats.connectionsTotal.increment();
    out.tell(new HostEntity.ToAgent(new ClusterMessage.Welcome(Protocol.VERSION, selfAddress)));
    recordConnected(h);
  }

  private void onReport(AgentMessage.Report r, byte[] frame) {
    if (!hello.agentId().equals(r.agentId()) || !hello.hostId().equals(r.hostId())) {
      reject("identity", "report names agent '" + r.agentId() + "' on host '" + r.hostId()
          + "' but this connection said Hello as agent '" + hello.agentId() + "' on host '" + hello.hostId() + "'",
          r.seq(), false);
      return;
    }
    consecutiveRejections = 0;
    stats.reportsAccepted.increment();
    if (r.full()) {
      stats.fullReportsAccepted.increment();
    }
    stats.entriesAccepted.add(r.entries() == null ? 0 : r.entries().size());
    stats.samplesAccepted.add(r.sampleCount());
    sharding.entityRefFor(HostEntity.ENTITY_KEY, r.hostId()).tell(new HostEntity.Ingest(r, out, frame, hello.capabilities()));
  }

  private void reject(String reason, String message, long seq, boolean fatal) {
    stats.rejected(reason);
    consecutiveRejections++;
    if (!fatal && consecutiveRejections >= MAX_CONSECUTIVE_REJECTIONS) {
      fatal = true;
      message = message + " (" + consecutiveRejections + " bad frames in a row: closing)";
    }
    if (fatal) {
      closed = true;
    }
    log.info("Rejected a frame from {}: {}{}", hello == null ? "an agent before Hello" : "agent " + hello.agentId(),
        message, fatal ? " (closing the connection)" : "");
    out.tell(new HostEntity.ToAgent(new ClusterMessage.Rejected(message, seq, fatal)));
  }

  boolean isClosed() {
    return closed;
  }

  /** The socket is gone (either side closed it). */
  void onClosed() {
    pipes.closeAll("the agent's connection closed; reopen to continue");
    if (hello == null) {
      return;
    }
    stats.connections.decrementAndGet();
    sharding.entityRefFor(HostEntity.ENTITY_KEY, hello.hostId()).tell(new HostEntity.LinkClosed(out));
    sharding.entityRefFor(AgentEntity.ENTITY_KEY, hello.agentId())
        .<AgentEntity.Summary>askWithStatus(AgentEntity.RecordDisconnected::new, askTimeout)
        .whenComplete((s, e) -> {
          if (e != null) {
            log.debug("Could not record the disconnect of agent {}: {}", hello.agentId(), e.getMessage());
          }
        });
  }

  /** Registers the agent on first contact (shared-token model), then records the connection. Never blocks ingest. */
  private void recordConnected(AgentMessage.Hello h) {
    var entity = sharding.entityRefFor(AgentEntity.ENTITY_KEY, h.agentId());
    entity.<AgentEntity.Summary>ask(AgentEntity.Get::new, askTimeout)
        .thenCompose(summary -> summary.agent().status() == AgentEntity.Status.UNKNOWN
            ? entity.<AgentEntity.Summary>askWithStatus(r -> new AgentEntity.Register(h.hostname(), Map.of(), r), askTimeout)
            : java.util.concurrent.CompletableFuture.completedFuture(summary))
        .thenCompose(summary -> entity.<AgentEntity.Summary>askWithStatus(
            r -> new AgentEntity.RecordConnected(selfAddress, h.agentVersion(), r), askTimeout))
        .whenComplete((s, e) -> {
          if (e != null) {
            log.warn("Agent {} reports, but the registry did not record its connection: {}", h.agentId(), e.getMessage());
          }
        });
  }

  private static long seqOf(AgentMessage m) {
    return m instanceof AgentMessage.Report r ? r.seq() : -1;
  }
}
