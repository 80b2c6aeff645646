package io.portolan.node.docker;

import io.portolan.node.agent.AgentSettings;
import io.portolan.node.agent.Blocking;
import io.portolan.node.agent.HostActor;
import io.portolan.protocol.Keys;
import io.portolan.protocol.MetricSample;
import io.portolan.protocol.Payload;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Containers from the Docker Engine: a full list on start and every resync interval, events applied at
 * once (the state named by the event first, then a fresh inspect), and one-shot stats of every running
 * container each stats interval. When the event stream ends (engine restart) this actor fails on
 * purpose: its supervisor restarts it with backoff, and the restart re-subscribes and re-lists.
 */
public final class ContainerCollector extends AbstractBehavior<ContainerCollector.Command> {

  public static final String SOURCE = "containers";

  /** Events that change what we report; exec_* (health checks) and the like are ignored. */
  static final Set<String> RELEVANT = Set.of("create", "start", "restart", "die", "stop", "kill", "pause",
      "unpause", "destroy", "oom", "rename", "update", "health_status");

  public sealed interface Command {}

  private enum Resync implements Command { INSTANCE }

  private enum StatsTick implements Command { INSTANCE }

  private record Subscribed(AutoCloseable subscription) implements Command {}

  private record Listed(Map<String, Payload.Container> containers, long seq) implements Command {}

  private record CallFailed(String what, Throwable cause) implements Command {}

  private record EventReceived(DockerPort.Event event) implements Command {}

  private record EventStreamEnded(Throwable cause) implements Command {}

  private record Inspected(String id, Optional<Payload.Container> container, long seq) implements Command {}

  private record StatsRead(Map<String, DockerPort.ContainerStats> stats) implements Command {}

  public static Behavior<Command> create(ActorRef<HostActor.Command> sink, DockerPort docker, AgentSettings settings) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers ->
        new ContainerCollector(context, timers, sink, docker, settings)));
  }

  private final ActorRef<HostActor.Command> sink;
  private final DockerPort docker;
  private final AgentSettings settings;
  private final Executor blocking;
  private final CgroupStats cgroups;
  private AutoCloseable subscription;
  // Replaced, never mutated in place.
  private Map<String, Payload.Container> containers = Map.of();
  private Map<String, DockerPort.ContainerStats> lastStats = Map.of();
  private boolean statsInFlight;
  /*
   * Engine calls run on a pool, so their answers can come back out of order: the inspect of a
   * restart's "die" may land after the one of its "start" and put the old start time back. Every
   * event and every call takes the next number; what the actor holds for a container is as new as
   * the number in `seen` (or `listedSeq`, the last full list, when absent), and an answer older than
   * that is dropped (a newer answer for the same container is on its way).
   */
  private long seq;
  private long listedSeq;
  private final Map<String, Long> seen = new HashMap<>();

  private ContainerCollector(ActorContext<Command> context, TimerScheduler<Command> timers,
      ActorRef<HostActor.Command> sink, DockerPort docker, AgentSettings settings) {
    super(context);
    context.setLoggerName(ContainerCollector.class);
    this.sink = sink;
    this.docker = docker;
    this.settings = settings;
    this.blocking = Blocking.dockerExecutor(context);
    this.cgroups = settings.containerStats().equals("engine") ? null
        : new CgroupStats(settings.procRoot(), CgroupStats.defaultRoot(settings.procRoot()));
    ActorRef<Command> self = context.getSelf();
    // Subscribe first, then list: an event between the two is applied on top of the list, not lost.
    context.pipeToSelf(
        Blocking.call(blocking, settings.dockerCallTimeout(), () -> docker.events(
            e -> self.tell(new EventReceived(e)),
            t -> self.tell(new EventStreamEnded(t)))),
        (sub, err) -> err != null ? new EventStreamEnded(err) : new Subscribed(sub));
    timers.startTimerWithFixedDelay(Resync.INSTANCE, settings.containerResyncInterval());
    timers.startTimerWithFixedDelay(StatsTick.INSTANCE, settings.containerStatsInterval());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Subscribed.class, this::onSubscribed)
        .onMessageEquals(Resync.INSTANCE, this::onResync)
        .onMessage(Listed.class, this::onListed)
        .onMessage(CallFailed.class, this::onCallFailed)
        .onMessage(EventReceived.class, this::onEvent)
        .onMessage(EventStreamEnded.class, this::onEventStreamEnded)
        .onMessage(Inspected.class, this::onInspected)
        .onMessageEquals(StatsTick.INSTANCE, this::onStatsTick)
        .onMessage(StatsRead.class, this::onStatsRead)
        .onSignal(PostStop.class, s -> onStop())
        .build();
  }

  private Behavior<Command> onSubscribed(Subscribed s) {
    subscription = s.subscription();
    getContext().getLog().debug("subscribed to docker events");
    return onResync();
  }

  private Behavior<Command> onResync() {
    long listSeq = ++seq;
    getContext().pipeToSelf(
        Blocking.call(blocking, settings.dockerCallTimeout().multipliedBy(4), this::listAll),
        (list, err) -> err != null ? new CallFailed("list containers", err) : new Listed(list, listSeq));
    return this;
  }

  private Map<String, Payload.Container> listAll() {
    Map<String, Payload.Container> all = new HashMap<>();
    for (String id : docker.containerIds()) {
      docker.inspect(id).ifPresent(c -> all.put(c.id(), mask(c)));
    }
    return Map.copyOf(all);
  }

  private Behavior<Command> onListed(Listed l) {
    if (l.seq() < listedSeq) {
      return this; // an older list than the one applied
    }
    Map<String, Payload.Container> next = new HashMap<>(l.containers());
    // What an event or inspect told us after the list was asked for is newer than the list.
    seen.forEach((id, s) -> {
      if (s > l.seq()) {
        Payload.Container current = containers.get(id);
        if (current != null) {
          next.put(id, current);
        } else {
          next.remove(id);
        }
      }
    });
    containers = Map.copyOf(next);
    listedSeq = l.seq();
    seen.values().removeIf(s -> s <= l.seq());
    publish(false);
    return this;
  }

  private Behavior<Command> onCallFailed(CallFailed f) {
    // A failed list means the engine is away; fail so that the supervisor backs off and starts over.
    throw new IllegalStateException("docker: " + f.what() + " failed: " + f.cause(), f.cause());
  }

  private Behavior<Command> onEvent(EventReceived r) {
    DockerPort.Event e = r.event();
    long eventSeq = ++seq;
    String action = e.action().contains(":") ? e.action().substring(0, e.action().indexOf(':')) : e.action();
    if (!RELEVANT.contains(action)) {
      return this;
    }
    if (action.equals("destroy")) {
      Map<String, Payload.Container> next = new HashMap<>(containers);
      seen.put(e.containerId(), eventSeq);
      if (next.remove(e.containerId()) != null) {
        containers = Map.copyOf(next);
        publish(true);
      }
      return this;
    }
    Payload.Container known = containers.get(e.containerId());
    String impliedState = switch (action) {
      case "pause" -> "paused";
      case "unpause", "start" -> "running";
      case "die" -> "exited";
      default -> null;
    };
    if (known != null && impliedState != null && !impliedState.equals(known.state())) {
      // Report the state the event names right away; the inspect below fills in the rest.
      putContainer(withState(known, impliedState));
      seen.put(e.containerId(), eventSeq);
      publish(true);
    }
    if (known != null && (action.equals("pause") || action.equals("unpause"))) {
      return this; // they change the state only (cgroup freezer): no inspect, the periodic resync checks
    }
    String id = e.containerId();
    long inspectSeq = ++seq;
    getContext().pipeToSelf(
        Blocking.call(blocking, settings.dockerCallTimeout(), () -> docker.inspect(id).map(this::mask)),
        (c, err) -> new Inspected(id, err != null ? null : c, inspectSeq));
    return this;
  }

  private Behavior<Command> onInspected(Inspected i) {
    if (i.container() == null) {
      return this; // timed out: the next resync catches up
    }
    if (i.seq() < seen.getOrDefault(i.id(), listedSeq)) {
      return this; // answered out of order: what we hold is newer
    }
    seen.put(i.id(), i.seq());
    if (i.container().isEmpty()) {
      if (containers.containsKey(i.id())) {
        Map<String, Payload.Container> next = new HashMap<>(containers);
        next.remove(i.id());
        containers = Map.copyOf(next);
        publish(true);
      }
      return this;
    }
    putContainer(i.container().get());
    publish(true);
    return this;
  }

  private Behavior<Command> onEventStreamEnded(EventStreamEnded e) {
    throw new IllegalStateException("docker event stream ended (engine restarted or unreachable): "
        + (e.cause() == null ? "closed" : e.cause().getMessage()), e.cause());
  }

  private Behavior<Command> onStatsTick() {
    if (statsInFlight) {
      return this; // the engine is slower than the interval: skip a beat rather than pile up calls
    }
    List<String> running = containers.values().stream()
        .filter(c -> c.state().equals("running")).map(Payload.Container::id).toList();
    if (running.isEmpty()) {
      return this;
    }
    statsInFlight = true;
    if (cgroups != null) {
      // cgroup files: cheap reads, one task for all containers; the engine only for those it cannot read
      getContext().pipeToSelf(Blocking.call(blocking, settings.dockerCallTimeout().multipliedBy(2), () -> {
        Map<String, DockerPort.ContainerStats> out = new HashMap<>();
        for (String id : running) {
          cgroups.read(docker.pidOf(id)).or(() -> docker.stats(id)).ifPresent(s -> out.put(id, s));
        }
        cgroups.endPass();
        return out;
      }), (stats, err) -> new StatsRead(err != null ? Map.of() : stats));
      return this;
    }
    List<CompletableFuture<Map.Entry<String, Optional<DockerPort.ContainerStats>>>> calls = new ArrayList<>();
    for (String id : running) {
      calls.add(Blocking.call(blocking, settings.dockerCallTimeout(), () -> docker.stats(id))
          .thenApply(s -> Map.entry(id, s))
          .exceptionally(t -> Map.entry(id, Optional.empty()))
          .toCompletableFuture());
    }
    getContext().pipeToSelf(
        CompletableFuture.allOf(calls.toArray(new CompletableFuture[0])).thenApply(v -> {
          Map<String, DockerPort.ContainerStats> out = new HashMap<>();
          calls.forEach(c -> c.join().getValue().ifPresent(s -> out.put(c.join().getKey(), s)));
          return out;
        }),
        (stats, err) -> new StatsRead(err != null ? Map.of() : stats));
    return this;
  }

  private Behavior<Command> onStatsRead(StatsRead r) {
    statsInFlight = false;
    long now = System.currentTimeMillis();
    List<MetricSample> samples = new ArrayList<>();
    r.stats().forEach((id, s) -> {
      if (containers.containsKey(id)) {
        samples.addAll(ContainerMetrics.samples(Keys.container(id), lastStats.get(id), s, now));
      }
    });
    Map<String, DockerPort.ContainerStats> next = new HashMap<>(r.stats());
    next.keySet().retainAll(containers.keySet());
    lastStats = Map.copyOf(next);
    if (!samples.isEmpty()) {
      sink.tell(new HostActor.Sampled(samples));
    }
    return this;
  }

  private Behavior<Command> onStop() {
    if (subscription != null) {
      try {
        subscription.close();
      } catch (Exception e) {
        getContext().getLog().debug("closing docker event subscription: {}", e.toString());
      }
    }
    return this;
  }

  private void putContainer(Payload.Container c) {
    Map<String, Payload.Container> next = new HashMap<>(containers);
    next.put(c.id(), c);
    containers = Map.copyOf(next);
  }

  private void publish(boolean urgent) {
    Map<String, Payload> entries = new HashMap<>();
    containers.values().forEach(c -> entries.put(Keys.container(c.id()), c));
    sink.tell(new HostActor.Observed(SOURCE, entries, urgent));
  }

  private Payload.Container mask(Payload.Container c) {
    if (!settings.maskEnv() || c.env() == null) {
      return c;
    }
    return new Payload.Container(c.id(), c.name(), c.image(), c.imageId(), c.state(), c.createdAt(), c.startedAt(),
        c.labels(), EnvMask.mask(c.env(), settings.maskEnvKeys()), c.ports(), c.mounts(), c.networks(),
        c.networkMode(), c.restartCount(), c.health(), c.memoryLimitBytes(), c.cpuLimit());
  }

  static Payload.Container withState(Payload.Container c, String state) {
    return new Payload.Container(c.id(), c.name(), c.image(), c.imageId(), state, c.createdAt(), c.startedAt(),
        c.labels(), c.env(), c.ports(), c.mounts(), c.networks(), c.networkMode(), c.restartCount(), c.health(),
        c.memoryLimitBytes(), c.cpuLimit());
  }
}
