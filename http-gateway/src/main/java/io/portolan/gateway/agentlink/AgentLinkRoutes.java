package io.portolan.gateway.agentlink;

import io.portolan.gateway.openapi.ApiEndpoint;
import io.portolan.cluster.topology.HostEntity;
import io.portolan.gateway.http.ErrorMapper;
import io.portolan.protocol.Protocol;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.ws.BinaryMessage;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.typed.javadsl.ActorSource;
import org.apache.pekko.util.ByteString;

/**
 * {@code GET /agent/ws}: the agents' WebSocket. The upgrade needs {@code Authorization: Bearer
 * <token>} (401 otherwise). Frames are binary CBOR ({@link Protocol}); the first is a Hello, then
 * reports. The cluster answers Welcome, Rejected, RequestFullReport and ControlRequest on the same
 * socket. Frames above {@link Protocol#MAX_FRAME_BYTES} are drained without being kept and rejected.
 * A fatal rejection ends the outbound stream after the Rejected frame, which closes the socket with
 * a normal close (Pekko HTTP's server API does not let a route choose the close code, so the reason
 * travels in the Rejected frame just before).
 */
public final class AgentLinkRoutes extends AllDirectives {

  /** What {@link #routes} answers, for the OpenAPI check and the metrics (see {@link ApiEndpoint}). */
  public static final java.util.List<ApiEndpoint> ENDPOINTS = java.util.List.of(
      ApiEndpoint.get("/agent/ws"));

  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final AgentToken token;
  private final IngestStats stats;
  private final Duration askTimeout;
  private final Materializer materializer;
  private final String selfAddress;

  public AgentLinkRoutes(ActorSystem<?> system, AgentToken token, IngestStats stats, Duration askTimeout) {
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.token = token;
    this.stats = stats;
    this.askTimeout = askTimeout;
    this.materializer = Materializer.matFromSystem(system);
    this.selfAddress = Cluster.get(system).selfMember().address().toString();
  }

  public Route routes() {
    return path(PathMatchers.segment("agent").slash("ws"), () -> get(() ->
        optionalHeaderValueByName("Authorization", auth -> {
          if (!token.accepts(auth.orElse(null))) {
            stats.unauthorized.increment();
            return complete(ErrorMapper.error(StatusCodes.UNAUTHORIZED,
                "agents must send 'Authorization: Bearer <token>' with the cluster's agent token"
                    + " (PORTOLAN_AGENT_TOKEN on the nodes)"));
          }
          return handleWebSocketMessages(flow());
        })));
  }

  Flow<Message, Message, NotUsed> flow() {
    Pair<ActorRef<HostEntity.ToAgent>, Source<HostEntity.ToAgent, NotUsed>> outbound =
        ActorSource.<HostEntity.ToAgent>actorRef(m -> false, m -> Optional.empty(), 256, OverflowStrategy.dropHead())
            .preMaterialize(system);
    AgentConnection connection = new AgentConnection(sharding, outbound.first(), stats, selfAddress, askTimeout);
    Sink<Message, NotUsed> inbound = Flow.<Message>create()
        .mapAsync(1, this::frameOf)
        .watchTermination((mat, done) -> {
          done.whenComplete((d, e) -> connection.onClosed());
          return mat;
        })
        .to(Sink.foreach(connection::onFrame));
    Source<Message, NotUsed> out = outbound.second()
        .takeWhile(m -> !(m.message() instanceof io.portolan.protocol.ClusterMessage.Rejected r && r.fatal()), true)
        .filter(connection.pipes::learn)
        .map(m -> (Message) BinaryMessage.create(ByteString.fromArrayUnsafe(Protocol.encode(m.message()))));
    return Flow.fromSinkAndSourceCoupled(inbound, out);
  }

  /** Collects a (possibly streamed) message, keeping at most the frame limit in memory. */
  private CompletionStage<AgentConnection.Frame> frameOf(Message message) {
    if (message.isText()) {
      message.asTextMessage().getStreamedText().runWith(Sink.ignore(), materializer);
      return CompletableFuture.completedFuture(new AgentConnection.Frame.Text());
    }
    BinaryMessage binary = message.asBinaryMessage();
    if (binary.isStrict()) {
      ByteString data = binary.getStrictData();
      return CompletableFuture.completedFuture(data.size() > Protocol.MAX_FRAME_BYTES
          ? new AgentConnection.Frame.Oversized(data.size())
          : new AgentConnection.Frame.Binary(data.toArrayUnsafe()));
    }
    return binary.getStreamedData().runWith(Sink.fold(new Collector(), Collector::add), materializer)
        .thenApply(Collector::frame);
  }

  /** Accumulates a streamed frame up to the limit, then only counts. */
  private static final class Collector {
    private final org.apache.pekko.util.ByteStringBuilder builder = new org.apache.pekko.util.ByteStringBuilder();
    private long size;

    Collector add(ByteString chunk) {
      size += chunk.size();
      if (size <= Protocol.MAX_FRAME_BYTES) {
        builder.append(chunk);
      }
      return this;
    }

    AgentConnection.Frame frame() {
      return size > Protocol.MAX_FRAME_BYTES
          ? new AgentConnection.Frame.Oversized(size)
          : new AgentConnection.Frame.Binary(builder.result().toArrayUnsafe());
    }
  }
}
