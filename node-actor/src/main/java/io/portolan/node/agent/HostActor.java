package io.portolan.node.agent;

import io.portolan.node.link.ClusterLink;
import io.portolan.node.report.ReportFrames;
import io.portolan.node.report.ReportState;
import io.portolan.protocol.AgentMessage;
import io.portolan.protocol.Entry;
import io.portolan.protocol.MetricSample;
import io.portolan.protocol.Payload;
import io.portolan.protocol.Protocol;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The agent's root: supervises one child per collector (each restarted with backoff on failure, so one
 * failing never stops the others) and the {@link ClusterLink}; owns the {@link ReportState} and turns
 * it into frames: a full report on connect, on request and every full-report interval, a delta every
 * publish interval, and an immediate delta when a collector reports something urgent (docker events).
 */
public final class HostActor extends AbstractBehavior<HostActor.Command> {

  public sealed interface Command {}

  /** Everything {@code source} sees now (its keys missing here are gone). */
  public record Observed(String source, Map<String, Payload> entries, boolean urgent) implements Command {}

  /** New metric samples (for any key). */
  public record Sampled(List<MetricSample> samples) implements Command {}

  /** The link is up and Hello was sent: reports may flow. */
  public record LinkUp(ActorRef<ClusterLink.Command> link) implements Command {}

  public enum LinkDown implements Command { INSTANCE }

  public record FullReportRequested(String reason) implements Command {}

  /** The latest state, for tests and embedding (what the agent would send in a full report). */
  public record GetState(ActorRef<StateSnapshot> replyTo) implements Command {}

  public record StateSnapshot(Map<String, Entry> entries, Map<ReportState.SampleKey, MetricSample> samples,
      long reportsSent) {}

  /** Container IP address → container id, from the latest container entries (for conntrack flows). */
  public record GetContainerAddresses(ActorRef<ContainerAddresses> replyTo) implements Command {}

  public record ContainerAddresses(Map<String, String> byIp) {}

  private enum PublishTick implements Command { INSTANCE }

  private enum FullTick implements Command { INSTANCE }

  /** One collector: a name and how to build it given where to send what it sees. */
  public record Collector(String name, java.util.function.Function<ActorRef<Command>, Behavior<?>> factory) {}

  /**
   * @param link builds the cluster link, or null for an agent that only keeps state (tests, embedding)
   * @param resources closed when the agent stops (the Docker client)
   */
  public static Behavior<Command> create(AgentSettings settings, List<Collector> collectors,
      java.util.function.Function<ActorRef<Command>, Behavior<ClusterLink.Command>> link, AutoCloseable resources) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers ->
        new HostActor(context, timers, settings, collectors, link, resources)));
  }

  private final AgentSettings settings;
  private final AutoCloseable resources;
  private ReportState state = ReportState.empty();
  private ActorRef<ClusterLink.Command> link;
  private final java.util.concurrent.atomic.AtomicLong seq = new java.util.concurrent.atomic.AtomicLong();
  private long reportsSent;

  private HostActor(ActorContext<Command> context, TimerScheduler<Command> timers, AgentSettings settings,
      List<Collector> collectors, java.util.function.Function<ActorRef<Command>, Behavior<ClusterLink.Command>> linkFactory,
      AutoCloseable resources) {
    super(context);
    context.setLoggerName(HostActor.class);
    this.settings = settings;
    this.resources = resources;
    AgentSettings.Backoff b = settings.collectorBackoff();
    for (Collector c : collectors) {
      @SuppressWarnings("unchecked")
      Behavior<Object> behavior = (Behavior<Object>) c.factory().apply(context.getSelf());
      context.spawn(Behaviors.supervise(behavior)
          .onFailure(Exception.class, SupervisorStrategy.restartWithBackoff(b.min(), b.max(), b.randomFactor())
              .withResetBackoffAfter(b.max().multipliedBy(2)).withLogLevel(org.slf4j.event.Level.WARN)), c.name());
    }
    if (linkFactory != null) {
      context.spawn(Behaviors.supervise(linkFactory.apply(context.getSelf()))
          .onFailure(Exception.class, SupervisorStrategy.restartWithBackoff(b.min(), b.max(), b.randomFactor())),
          "cluster-link");
    }
    timers.startTimerWithFixedDelay(PublishTick.INSTANCE, settings.publishInterval());
    timers.startTimerWithFixedDelay(FullTick.INSTANCE, settings.fullReportInterval());
    context.getLog().info("agent {} started: proc root {}, {} collectors, cluster {}", settings.agentId(),
        settings.procRoot(), collectors.size(), settings.cluster());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Observed.class, this::onObserved)
        .onMessage(Sampled.class, this::onSampled)
        .onMessage(LinkUp.class, this::onLinkUp)
        .onMessageEquals(LinkDown.INSTANCE, this::onLinkDown)
        .onMessage(FullReportRequested.class, this::onFullReportRequested)
        .onMessage(GetState.class, this::onGetState)
        .onMessage(GetContainerAddresses.class, this::onGetContainerAddresses)
        .onMessageEquals(PublishTick.INSTANCE, this::onPublishTick)
        .onMessageEquals(FullTick.INSTANCE, this::onFullTick)
        .onSignal(org.apache.pekko.actor.typed.PostStop.class, s -> onStop())
        .build();
  }

  private Behavior<Command> onStop() {
    try {
      resources.close();
    } catch (Exception e) {
      getContext().getLog().debug("closing agent resources: {}", e.toString());
    }
    return this;
  }

  private Behavior<Command> onObserved(Observed o) {
    state = state.observe(o.source(), o.entries(), System.currentTimeMillis());
    if (o.urgent()) {
      sendDelta();
    }
    return this;
  }

  private Behavior<Command> onSampled(Sampled s) {
    state = state.sample(s.samples());
    return this;
  }

  private Behavior<Command> onLinkUp(LinkUp up) {
    link = up.link();
    state = state.withTracking(true);
    sendFull("connected");
    return this;
  }

  private Behavior<Command> onLinkDown() {
    link = null;
    state = state.withTracking(false);
    return this;
  }

  private Behavior<Command> onFullReportRequested(FullReportRequested r) {
    sendFull(r.reason());
    return this;
  }

  private Behavior<Command> onGetState(GetState g) {
    g.replyTo().tell(new StateSnapshot(state.latest(), state.samples(), reportsSent));
    return this;
  }

  private Behavior<Command> onGetContainerAddresses(GetContainerAddresses g) {
    Map<String, String> byIp = new HashMap<>();
    state.forEachEntry(e -> {
      if (e.payload() instanceof Payload.Container c && c.networks() != null) {
        c.networks().values().forEach(ip -> {
          if (ip != null && !ip.isEmpty()) {
            byIp.put(ip, c.id());
          }
        });
      }
    });
    g.replyTo().tell(new ContainerAddresses(Map.copyOf(byIp)));
    return this;
  }

  private Behavior<Command> onPublishTick() {
    sendDelta();
    return this;
  }

  private Behavior<Command> onFullTick() {
    if (link != null) {
      sendFull("periodic");
    }
    return this;
  }

  private void sendDelta() {
    if (link == null) {
      return;
    }
    ReportState.Taken taken = state.takeDelta();
    state = taken.next();
    if (!taken.isEmpty()) {
      send(false, taken);
    }
  }

  private void sendFull(String reason) {
    if (link == null) {
      return;
    }
    ReportState.Taken taken = state.takeFull();
    state = taken.next();
    getContext().getLog().debug("full report ({}): {} entries, {} samples", reason, taken.entries().size(),
        taken.samples().size());
    send(true, taken);
  }

  private void send(boolean full, ReportState.Taken taken) {
    long now = System.currentTimeMillis();
    List<AgentMessage.Report> reports = ReportFrames.split(settings.agentId(), settings.hostId(), 0, full, now,
        taken.entries(), taken.samples(), settings.maxEntriesPerFrame(), settings.maxSamplesPerFrame());
    List<byte[]> frames = ReportFrames.encode(reports, Protocol.MAX_FRAME_BYTES, seq);
    if (frames.size() > 1) {
      getContext().getLog().warn("{} report of {} entries and {} samples split into {} frames (limits: {} entries,"
          + " {} samples, {} bytes per frame)", full ? "full" : "delta", taken.entries().size(),
          taken.samples().size(), frames.size(), settings.maxEntriesPerFrame(), settings.maxSamplesPerFrame(),
          Protocol.MAX_FRAME_BYTES);
    }
    for (byte[] frame : frames) {
      link.tell(new ClusterLink.SendFrame(frame));
      reportsSent++;
    }
  }
}
