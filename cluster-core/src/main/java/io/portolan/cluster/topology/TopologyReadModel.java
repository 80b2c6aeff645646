package io.portolan.cluster.topology;

import io.portolan.cluster.CborSerializable;
import io.portolan.cluster.readmodel.HostIndex;
import io.portolan.cluster.readmodel.ReadModelStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * This node's read model, kept only while this node is a view node ({@link Activate}, see
 * {@code ReadModelRole}): it subscribes to every host's {@link HostDelta}s on the distributed
 * pub-sub topic and keeps the merged {@link TopologyStore}. A delta that does not follow the previous
 * one (a gap, a new entity incarnation, a host first seen) is applied anyway (merging is order-proof)
 * and the host's entity is asked for a snapshot. Hosts nobody publishes for any more (the entity
 * died with its node and the agent is gone too) turn stale and are removed by a local sweep.
 *
 * <p>On activation the model is warming up: every node's {@link HostIndex} lists its host entities
 * and has them send their whole state here; the model is complete when every listed host's whole
 * state has arrived (or after {@link #WARMUP_LIMIT}: an entity that has not had a full report yet
 * publishes its first one within the agents' full-report interval). On {@link Deactivate} it
 * unsubscribes and drops the model.
 */
public final class TopologyReadModel extends AbstractBehavior<TopologyReadModel.Command> {

  public sealed interface Command extends CborSerializable {}

  private record Delta(HostDelta delta) implements Command {}

  private enum Sweep implements Command { INSTANCE }

  /** Become a view node: subscribe, fill the model, keep it. */
  public enum Activate implements Command { INSTANCE }

  /** Stop being a view node: unsubscribe and drop the model. */
  public enum Deactivate implements Command { INSTANCE }

  private record Listing(Receptionist.Listing listing) implements Command {}

  private record Listed(HostIndex.Hosts hosts) implements Command {}

  private enum WarmupOver implements Command { INSTANCE }

  /** The longest a warm-up waits for listed hosts; longer than the agents' full-report interval (30 s). */
  static final Duration WARMUP_LIMIT = Duration.ofSeconds(40);
  /** How long a warm-up waits for the nodes' host lists. */
  private static final Duration LISTING_LIMIT = Duration.ofSeconds(5);

  /** Grace on top of the entity's own timers before the reader decides alone. */
  private static final long STALE_GRACE_MS = 2_000;
  private static final long REMOVE_GRACE_MS = 5_000;

  /** A read model that is active from the start (a node that is always a view node: tests). */
  public static Behavior<Command> create(TopologyStore store, ActorRef<Topic.Command<HostDelta>> topic,
      TopologySettings settings, Clock clock) {
    return Behaviors.setup(ctx -> {
      ctx.getSelf().tell(Activate.INSTANCE);
      return create(store, topic, settings, clock, new ReadModelStatus("local"));
    });
  }

  /** A read model that waits for {@link Activate}; it reports its warm-up in {@code status}. */
  public static Behavior<Command> create(TopologyStore store, ActorRef<Topic.Command<HostDelta>> topic,
      TopologySettings settings, Clock clock, ReadModelStatus status) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new TopologyReadModel(ctx, timers, store, topic, settings, clock, status)));
  }

  private final TopologyStore store;
  private final TopologySettings settings;
  private final Clock clock;
  private final ActorRef<HostDelta> deltaAdapter;
  private final ClusterSharding sharding;
  private final Map<String, Long> snapshotRequestedAt = new HashMap<>();
  private final ActorRef<Topic.Command<HostDelta>> topic;
  private final TimerScheduler<Command> timers;
  private final ReadModelStatus status;
  private final ActorRef<Receptionist.Listing> listingAdapter;
  private final ActorRef<HostIndex.Hosts> listedAdapter;
  private boolean active;
  /** During a warm-up: the hosts listed by the nodes, those whose whole state arrived, nodes still to answer. */
  private boolean warming;
  private final Set<String> expected = new HashSet<>();
  private final Set<String> arrived = new HashSet<>();
  private int listsPending;
  private boolean listingOver;
  private long warmupStartedAt;

  private TopologyReadModel(ActorContext<Command> ctx, TimerScheduler<Command> timers, TopologyStore store,
      ActorRef<Topic.Command<HostDelta>> topic, TopologySettings settings, Clock clock, ReadModelStatus status) {
    super(ctx);
    this.store = store;
    this.settings = settings;
    this.clock = clock;
    this.topic = topic;
    this.timers = timers;
    this.status = status;
    this.sharding = ClusterSharding.get(ctx.getSystem());
    this.deltaAdapter = ctx.messageAdapter(HostDelta.class, Delta::new);
    this.listingAdapter = ctx.messageAdapter(Receptionist.Listing.class, Listing::new);
    this.listedAdapter = ctx.messageAdapter(HostIndex.Hosts.class, Listed::new);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Delta.class, this::onDelta)
        .onMessageEquals(Sweep.INSTANCE, this::onSweep)
        .onMessageEquals(Activate.INSTANCE, this::onActivate)
        .onMessageEquals(Deactivate.INSTANCE, this::onDeactivate)
        .onMessage(Listing.class, this::onListing)
        .onMessage(Listed.class, this::onListed)
        .onMessageEquals(WarmupOver.INSTANCE, this::onWarmupOver)
        .build();
  }

  private Behavior<Command> onActivate() {
    if (active) {
      return this;
    }
    active = true;
    store.clear();
    snapshotRequestedAt.clear();
    topic.tell(Topic.subscribe(deltaAdapter));
    timers.startTimerWithFixedDelay(Sweep.INSTANCE, Duration.ofSeconds(1));
    warming = true;
    expected.clear();
    arrived.clear();
    listsPending = 0;
    listingOver = false;
    warmupStartedAt = clock.millis();
    getContext().getSystem().receptionist().tell(Receptionist.find(HostIndex.KEY, listingAdapter));
    timers.startSingleTimer(WarmupOver.INSTANCE, WARMUP_LIMIT);
    timers.startSingleTimer("listing", new Listed(null), LISTING_LIMIT);
    getContext().getLog().info("This node is a view node now: building the topology read model");
    publishProgress();
    return this;
  }

  private Behavior<Command> onDeactivate() {
    if (!active) {
      return this;
    }
    active = false;
    warming = false;
    topic.tell(Topic.unsubscribe(deltaAdapter));
    timers.cancel(Sweep.INSTANCE);
    timers.cancel(WarmupOver.INSTANCE);
    timers.cancel("listing");
    store.clear();
    snapshotRequestedAt.clear();
    expected.clear();
    arrived.clear();
    getContext().getLog().info("This node is no view node any more: dropped the topology read model");
    status.update(s -> new ReadModelStatus.State(s.selfAddress(), s.viewNode(), false, 0, 0, s.viewNodes()));
    return this;
  }

  private Behavior<Command> onListing(Listing msg) {
    if (!warming) {
      return this;
    }
    Set<ActorRef<HostIndex.Command>> indexes = msg.listing().getServiceInstances(HostIndex.KEY);
    listsPending = indexes.size();
    for (ActorRef<HostIndex.Command> index : indexes) {
      index.tell(new HostIndex.SnapshotAll(deltaAdapter, listedAdapter));
    }
    if (indexes.isEmpty()) {
      listingOver = true;
    }
    checkWarm();
    return this;
  }

  private Behavior<Command> onListed(Listed msg) {
    if (!warming) {
      return this;
    }
    if (msg.hosts() == null) {
      // the nodes had LISTING_LIMIT to answer; those that did not are not waited for
      listingOver = true;
    } else {
      expected.addAll(msg.hosts().hostIds());
      if (--listsPending <= 0) {
        listingOver = true;
        timers.cancel("listing");
      }
    }
    checkWarm();
    return this;
  }

  private Behavior<Command> onWarmupOver() {
    if (warming) {
      expected.removeAll(arrived);
      getContext().getLog().warn("Read model warm-up ended after {} s without the whole state of {} listed hosts"
          + " (they are added when their entities publish)", WARMUP_LIMIT.toSeconds(), expected.size());
      endWarmup();
    }
    return this;
  }

  private void checkWarm() {
    if (warming && listingOver && arrived.containsAll(expected)) {
      getContext().getLog().info("Read model complete: {} hosts in {} ms", expected.size(),
          clock.millis() - warmupStartedAt);
      endWarmup();
    } else {
      publishProgress();
    }
  }

  private void endWarmup() {
    warming = false;
    timers.cancel(WarmupOver.INSTANCE);
    timers.cancel("listing");
    expected.clear();
    arrived.clear();
    status.update(s -> new ReadModelStatus.State(s.selfAddress(), s.viewNode(), false, 0, 0, s.viewNodes()));
  }

  private void publishProgress() {
    int ready = 0;
    for (String id : expected) {
      if (arrived.contains(id)) {
        ready++;
      }
    }
    int n = ready;
    int m = expected.size();
    status.update(s -> new ReadModelStatus.State(s.selfAddress(), s.viewNode(), true, n, m, s.viewNodes()));
  }

  private Behavior<Command> onDelta(Delta msg) {
    if (!active) {
      return this; // sent before the unsubscription took effect
    }
    HostDelta d = msg.delta();
    if (warming && d.full()) {
      arrived.add(d.hostId());
      if (expected.contains(d.hostId())) {
        checkWarm();
      }
    }
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
    if (!active) {
      return this;
    }
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
