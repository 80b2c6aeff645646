package io.portolan.cluster.readmodel;

import io.portolan.cluster.CborSerializable;
import io.portolan.cluster.topology.HostDelta;
import io.portolan.cluster.topology.HostEntity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * One per node, registered with the receptionist: lists the host entities running on this node and
 * asks each of them for its whole state on behalf of a node whose read model is warming up. That
 * node learns from the lists how many hosts to wait for ("n of m").
 */
public final class HostIndex {

  public static final ServiceKey<Command> KEY = ServiceKey.create(Command.class, "portolan-host-index");

  public sealed interface Command extends CborSerializable {}

  /** Send the state of every host entity on this node to {@code snapshotsTo}; list them to {@code replyTo}. */
  public record SnapshotAll(ActorRef<HostDelta> snapshotsTo, ActorRef<Hosts> replyTo) implements Command {}

  /** The host entities that run on {@code node}. */
  public record Hosts(String node, List<String> hostIds) implements CborSerializable {}

  private record LocalState(SnapshotAll request, ShardRegion.CurrentShardRegionState state, Throwable error)
      implements Command {}

  private HostIndex() {}

  public static Behavior<Command> create() {
    return Behaviors.setup(ctx -> {
      ctx.getSystem().receptionist().tell(Receptionist.register(KEY, ctx.getSelf()));
      ClusterSharding sharding = ClusterSharding.get(ctx.getSystem());
      String self = org.apache.pekko.cluster.typed.Cluster.get(ctx.getSystem()).selfMember().address().toString();
      return Behaviors.receive(Command.class)
          .onMessage(SnapshotAll.class, req -> {
            ctx.ask(ShardRegion.CurrentShardRegionState.class, sharding.shardState(), Duration.ofSeconds(5),
                replyTo -> new GetShardRegionState(HostEntity.ENTITY_KEY, replyTo),
                (state, error) -> new LocalState(req, state, error));
            return Behaviors.same();
          })
          .onMessage(LocalState.class, msg -> {
            List<String> ids = new ArrayList<>();
            if (msg.state() != null) {
              for (ShardRegion.ShardState shard : msg.state().getShards()) {
                ids.addAll(shard.getEntityIds());
              }
            } else {
              ctx.getLog().warn("Could not list this node's host entities for a read-model warm-up: {}",
                  msg.error().toString());
            }
            for (String id : ids) {
              sharding.entityRefFor(HostEntity.ENTITY_KEY, id).tell(new HostEntity.SendSnapshot(msg.request().snapshotsTo()));
            }
            msg.request().replyTo().tell(new Hosts(self, List.copyOf(ids)));
            return Behaviors.same();
          })
          .build();
    });
  }
}
