package io.portolan.cluster.topology;

import io.portolan.cluster.CborSerializable;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * This node's read model: subscribes to every host's {@link HostDelta}s on the distributed pub-sub
 * topic and keeps the merged {@link TopologyStore}. A delta that does not follow the previous one
 * (a gap, a new entity incarnation, a host first seen) is applied anyway (merging is order-proof)
 * and the host's entity is asked for a snapshot. Hosts nobody publishes for any more (the entity
 * died with its node and the agent is gone too) turn stale and are removed by a local sweep.
 */
public final class TopologyReadModel extends AbstractBehavior<TopologyReadModel.Command> {

  public sealed interface Command extends CborSerializable {}

  private record Delta(HostDelta delta) implements Command {}

  private enum Sweep implements Command { INSTANCE }

  /** Grace on top of the entity's own timers before the reader decides alone. */
  private static final long STALE_GRACE_MS = 2_000;
  private static final long REMOVE_GRACE_MS = 5_000;

  public static Behavior<Command> create(TopologyStore store, ActorRef<Topic.Command<HostDelta>> topic,
      TopologySettings settings, Clock clock) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new TopologyReadModel(ctx, timers, store, topic, settings, clock)));
  }

  private final TopologyStore store;
  private final TopologySettings settings;
  private final Clock clock;
  private final ActorRef<HostDelta> deltaAdapter;
  private final ClusterSharding sharding;
  private final Map<String, Long> snapshotRequestedAt = new HashMap<>();

  private TopologyReadModel(ActorContext<Command> ctx, TimerScheduler<Command> timers, TopologyStore store,
      ActorRef<Topic.Command<HostDelta>> topic, TopologySettings settings, Clock clock) {
    super(ctx);
    this.store = store;
    this.settings = settings;
    this.clock = clock;
    this.sharding = ClusterSharding.get(ctx.getSystem());
    this.deltaAdapter = ctx.messageAdapter(HostDelta.class, Delta::new);
    topic.tell(Topic.subscribe(deltaAdapter));
    timers.startTimerWithFixedDelay(Sweep.INSTANCE, Duration.ofSeconds(1));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Delta.class, this::onDelta)
        .onMessageEquals(Sweep.INSTANCE, this::onSweep)
        .build();
  }

  private Behavior<Command> onDelta(Delta msg) {
    HostDelta d = msg.delta();
    long now = clock.millis();
    TopologyCounters.DELTAS_APPLIED.incrementAndGet();
    HostSnapshot current = store.get(d.hostId());
    if (d.status() == HostStatus.REMOVED) {
      if (current != null && current.epoch() == d.epoch()) {
        store.remove(d.hostId());
        snapshotRequestedAt.remove(d.hostId());
      }
      return this;
    }
    boolean gap;
    if (current == null) {
      current = HostSnapshot.empty(d.hostId());
      gap = !d.full();
    } else if (current.epoch() != d.epoch()) {
      gap = !d.full();
    } else {
      gap = !d.full() && d.version() > current.version() + 1;
    }
    store.put(current.apply(d, now));
    if (gap) {
      requestSnapshot(d.hostId(), now);
    }
    return this;
  }

  private void requestSnapshot(String hostId, long now) {
    Long last = snapshotRequestedAt.get(hostId);
    if (last == null || now - last >= settings.fullReportRequestInterval().toMillis()) {
      snapshotRequestedAt.put(hostId, now);
      TopologyCounters.SNAPSHOT_REQUESTS.incrementAndGet();
      sharding.entityRefFor(HostEntity.ENTITY_KEY, hostId).tell(new HostEntity.SendSnapshot(deltaAdapter));
    }
  }

  private Behavior<Command> onSweep() {
    long now = clock.millis();
    long staleMs = settings.staleAfter().toMillis() + STALE_GRACE_MS;
    long removeMs = settings.removeAfter().toMillis() + REMOVE_GRACE_MS;
    for (HostSnapshot host : List.copyOf((java.util.Collection<HostSnapshot>) toList(store.hosts()))) {
      long silent = now - host.lastHeardAt();
      if (silent > removeMs) {
        store.remove(host.hostId());
        snapshotRequestedAt.remove(host.hostId());
      } else if (host.status() == HostStatus.LIVE && silent > staleMs) {
        store.put(host.withStatus(HostStatus.STALE));
      }
    }
    return this;
  }

  private static java.util.List<HostSnapshot> toList(Iterable<HostSnapshot> it) {
    java.util.List<HostSnapshot> list = new java.util.ArrayList<>();
    it.forEach(list::add);
    return list;
  }
}
