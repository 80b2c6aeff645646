package io.portolan.cluster.topology;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.portolan.cluster.CborSerializable;
import io.portolan.protocol.AgentMessage;
import io.portolan.protocol.ClusterMessage;
import io.portolan.protocol.Entry;
import io.portolan.protocol.MetricSample;
import io.portolan.protocol.Protocol;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * The live state of one host: a sharded, in-memory entity (not event-sourced: the agent is the
 * source of truth and re-sends everything in its next full report). It merges full reports
 * (authoritative) and deltas (newest timestamp wins, tombstones) into a {@link LatestMap}, keeps
 * 1-second metric samples in ring buffers, and publishes {@link HostDelta}s to every node's read
 * model: structure changes at once, metric-only updates batched (see {@link TopologySettings}). A new incarnation (after a crash or a rebalance) that receives a delta first
 * asks the agent for a full report over the agent's link. A silent host turns STALE after
 * {@code stale-after} and is REMOVED (the entity stops) after {@code remove-after}.
 */
public final class HostEntity extends AbstractBehavior<HostEntity.Command> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Host");

  public sealed interface Command extends CborSerializable {}

  /**
   * One validated report from the agent, with the link to answer it on. Between nodes it travels
   * as the agent's own CBOR frame, which the receiving side decodes again: a byte copy on the wire
   * instead of Jackson walking every entry and sample of the report twice (serialize, deserialize).
   * On the same node nothing is serialized and the decoded report is handed over as it is.
   */
  public record Ingest(@JsonIgnore AgentMessage.Report report, @JsonIgnore ActorRef<ToAgent> link,
      @JsonIgnore byte[] frame, @JsonIgnore List<String> capabilities) implements Command {

    public Ingest(AgentMessage.Report report, ActorRef<ToAgent> link) {
      this(report, link, null, null);
    }

    @JsonCreator
    static Ingest fromWire(@JsonProperty("to") ActorRef<ToAgent> to, @JsonProperty("bytes") byte[] bytes,
        @JsonProperty("caps") List<String> caps) throws io.portolan.protocol.ProtocolException {
      if (!(Protocol.decodeAgentMessage(bytes) instanceof AgentMessage.Report report)) {
        throw new io.portolan.protocol.ProtocolException("an Ingest frame must hold a report");
      }
      return new Ingest(report, to, bytes, caps);
    }

    @JsonProperty("to")
    ActorRef<ToAgent> wireLink() {
      return link;
    }

    /** The capabilities the agent's Hello gave (null: it did not say). */
    @JsonProperty("caps")
    List<String> wireCapabilities() {
      return capabilities;
    }

    /** The agent's frame, or the report encoded again when there is none (tests, other callers). */
    @JsonProperty("bytes")
    byte[] wireFrame() {
      return frame != null ? frame : Protocol.encode(report);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Ingest i && java.util.Objects.equals(report, i.report) && java.util.Objects.equals(link, i.link);
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(report, link);
    }

    @Override
    public String toString() {
      return "Ingest[" + report.hostId() + " seq " + report.seq() + (report.full() ? " full" : " delta") + "]";
    }
  }

  /** The agent's connection closed; forget the link unless a newer one replaced it. */
  public record LinkClosed(ActorRef<ToAgent> link) implements Command {}

  /** Send the whole state to {@code replyTo} as a full {@link HostDelta} (a reader found a gap). */
  public record SendSnapshot(ActorRef<HostDelta> replyTo) implements Command {}

  /** The metric series of one entry over the last {@code seconds}. */
  public record GetMetrics(String key, int seconds, ActorRef<MetricsReply> replyTo) implements Command {}

  public record MetricsReply(String hostId, String key, Map<String, MetricStore.Series> series)
      implements CborSerializable {}

  /**
   * A message for the agent, delivered by its connection on whichever node holds it. With a
   * {@link ClusterMessage.PipeOpen}, {@code pipeSink} names who gets that pipe's
   * {@link AgentMessage.PipeData} and {@link AgentMessage.PipeClosed} frames: the connection
   * remembers it until the pipe closes, so a pipe's output goes straight from the agent's
   * connection to the client's session actor, never through this entity. Null otherwise.
   */
  public record ToAgent(ClusterMessage message, ActorRef<PipeFrame> pipeSink) implements CborSerializable {
    public ToAgent(ClusterMessage message) {
      this(message, null);
    }
  }

  /** A pipe frame from the agent ({@link AgentMessage.PipeData} or {@link AgentMessage.PipeClosed}). */
  public record PipeFrame(AgentMessage message) implements CborSerializable {}

  /** The agent's link, for opening pipes on it; {@code link} is null (with the reason) when the agent is offline. */
  public record GetLink(ActorRef<LinkReply> replyTo) implements Command {}

  /** {@code capabilities}: what the linked agent's Hello said it may do (null: it did not say). */
  public record LinkReply(ActorRef<ToAgent> link, String problem, List<String> capabilities)
      implements CborSerializable {}

  /**
   * Run {@code action} on {@code targetKey} through this host's agent; the outcome comes back when
   * the agent answers, the agent goes away, or {@code timeout} passes.
   */
  public record Control(String requestId, String targetKey, String action, Map<String, String> args,
      Duration timeout, ActorRef<ControlOutcome> replyTo) implements Command {}

  /** The agent's answer to a {@link Control}, forwarded by its connection. */
  public record ControlReplied(AgentMessage.ControlReply reply) implements Command {}

  /** How a {@link Control} ended. */
  public record ControlOutcome(Result result, String message, Map<String, String> output) implements CborSerializable {
    public enum Result { DONE, FAILED, AGENT_OFFLINE, TIMED_OUT }

    ControlOutcome(Result result, String message) {
      this(result, message, Map.of());
    }
  }

  private record ControlTimedOut(String requestId) implements Command {}

  private enum Tick implements Command { INSTANCE }

  /** Registers the entity type; the guardian calls this once per node. */
  public static void init(ActorSystem<?> system, TopologySettings settings, ActorRef<Topic.Command<HostDelta>> topic) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), settings, topic, Clock.systemUTC()))
        // The entity stops itself after remove-after; idle passivation would drop a stale host early.
        .withSettings(ClusterShardingSettings.create(system).withNoPassivationStrategy()));
  }

  public static Behavior<Command> create(String hostId, TopologySettings settings,
      ActorRef<Topic.Command<HostDelta>> topic, Clock clock) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new HostEntity(ctx, timers, hostId, settings, topic, clock)));
  }

  private final String hostId;
  private final TopologySettings settings;
  private final ActorRef<Topic.Command<HostDelta>> topic;
  private final Clock clock;
  private final String servedBy;
  private final long epoch = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
  private final MetricStore metrics;
  private final long createdAt;

  private LatestMap state = LatestMap.EMPTY;
  private long version;
  private HostStatus status = HostStatus.LIVE;
  private long lastReportAt;
  private long lastAgentTime;
  private boolean haveFull;
  private boolean everIngested;
  private long lastFullRequestAt = Long.MIN_VALUE / 2;
  private ActorRef<ToAgent> link;
  private List<String> linkCapabilities;
  private String agentId;
  private long lastPublishAt = Long.MIN_VALUE / 2;
  private long lastFullPublishAt = Long.MIN_VALUE / 2;
  private final TimerScheduler<Command> timers;
  /** Controls sent to the agent and not answered yet, by request id. */
  private final Map<String, ActorRef<ControlOutcome>> pendingControls = new java.util.HashMap<>();

  private HostEntity(ActorContext<Command> ctx, TimerScheduler<Command> timers, String hostId,
      TopologySettings settings, ActorRef<Topic.Command<HostDelta>> topic, Clock clock) {
    super(ctx);
    this.hostId = hostId;
    this.settings = settings;
    this.topic = topic;
    this.clock = clock;
    this.servedBy = Cluster.get(ctx.getSystem()).selfMember().address().toString();
    this.metrics = new MetricStore((int) settings.metricsRetention().toSeconds());
    this.createdAt = clock.millis();
    this.lastReportAt = createdAt;
    TopologyCounters.HOST_ENTITIES.incrementAndGet();
    this.timers = timers;
    timers.startTimerWithFixedDelay(Tick.INSTANCE, Duration.ofSeconds(1));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Ingest.class, this::onIngest)
        .onMessage(LinkClosed.class, this::onLinkClosed)
        .onMessage(SendSnapshot.class, this::onSendSnapshot)
        .onMessage(GetMetrics.class, this::onGetMetrics)
        .onMessage(Control.class, this::onControl)
        .onMessage(GetLink.class, this::onGetLink)
        .onMessage(ControlReplied.class, this::onControlReplied)
        .onMessage(ControlTimedOut.class, this::onControlTimedOut)
        .onMessageEquals(Tick.INSTANCE, this::onTick)
        .onSignal(PostStop.class, s -> {
          TopologyCounters.HOST_ENTITIES.decrementAndGet();
          return this;
        })
        .build();
  }

  private Behavior<Command> onIngest(Ingest cmd) {
    AgentMessage.Report report = cmd.report();
    long now = clock.millis();
    link = cmd.link();
    linkCapabilities = cmd.capabilities();
    agentId = report.agentId();
    everIngested = true;
    List<Entry> entries = report.entries() == null ? List.of() : report.entries();
    long asOf = report.sentAt() > 0 ? report.sentAt() : maxTimestamp(entries);
    lastAgentTime = Math.max(lastAgentTime, asOf);

    LatestMap.Merged merged;
    boolean firstFull = report.full() && !haveFull;
    if (report.full()) {
      merged = state.applyFull(entries, asOf);
      haveFull = true;
    } else {
      merged = state.mergeEntries(entries);
      if (!haveFull) {
        requestFullReport("the cluster has no full report for host '" + hostId + "' (its entity started on "
            + servedBy + "); send a full report", now);
      }
    }
    state = merged.map();

    if (report.samples() != null) {
      for (MetricSample sample : report.samples()) {
        addSample(sample.key(), sample.metric(), sample.timestamp(), sample.value());
      }
    }
    if (report.metrics() != null) {
      report.metrics().forEach(this::addSample);
    }
    if (report.full()) {
      java.util.Set<String> live = liveKeys();
      metrics.retainKeys(live);
    }
    lastReportAt = now;
    boolean wasLive = status == HostStatus.LIVE;
    status = HostStatus.LIVE;
    // Structure changes go out at once; metric-only updates at most every heartbeat interval; the
    // whole state on the first full report and every full-publish-interval after it.
    if (firstFull || (haveFull && now - lastFullPublishAt >= settings.fullPublishInterval().toMillis())) {
      lastFullPublishAt = now;
      publish(true, asOf, liveEntries(), drainMetrics(), now);
    } else if (!merged.changed().isEmpty() || !wasLive
        || now - lastPublishAt >= settings.heartbeatInterval().toMillis()) {
      publish(false, asOf, merged.changed(), drainMetrics(), now);
    } else {
      TopologyCounters.PUBLICATIONS_DEFERRED.incrementAndGet();
    }
    return this;
  }

  private void addSample(String key, String metric, long timestamp, double value) {
    metrics.add(key, metric, timestamp, value);
  }

  /** The latest metric values since the last publication (metric-only updates are batched), and forgets them. */
  private Map<String, Map<String, Double>> drainMetrics() {
    return metrics.drainLatest();
  }

  private Behavior<Command> onLinkClosed(LinkClosed cmd) {
    if (cmd.link().equals(link)) {
      link = null;
      pendingControls.forEach((id, replyTo) -> {
        timers.cancel(id);
        replyTo.tell(new ControlOutcome(ControlOutcome.Result.AGENT_OFFLINE,
            "the agent of host '" + hostId + "' disconnected before it answered; check the container's state"));
      });
      pendingControls.clear();
    }
    return this;
  }

  private Behavior<Command> onControl(Control cmd) {
    if (link == null || status != HostStatus.LIVE) {
      cmd.replyTo().tell(new ControlOutcome(ControlOutcome.Result.AGENT_OFFLINE,
          "the agent of host '" + hostId + "' is not connected; controls need a running agent"));
      return this;
    }
    pendingControls.put(cmd.requestId(), cmd.replyTo());
    timers.startSingleTimer(cmd.requestId(), new ControlTimedOut(cmd.requestId()), cmd.timeout());
    link.tell(new ToAgent(new ClusterMessage.ControlRequest(cmd.requestId(), cmd.targetKey(), cmd.action(),
        cmd.args())));
    return this;
  }

  private Behavior<Command> onGetLink(GetLink cmd) {
    boolean online = link != null && status == HostStatus.LIVE;
    cmd.replyTo().tell(new LinkReply(online ? link : null, online ? null
        : "the agent of host '" + hostId + "' is not connected; logs, exec and files need a running agent",
        online ? linkCapabilities : null));
    return this;
  }

  private Behavior<Command> onControlReplied(ControlReplied cmd) {
    ActorRef<ControlOutcome> replyTo = pendingControls.remove(cmd.reply().requestId());
    if (replyTo != null) {
      timers.cancel(cmd.reply().requestId());
      replyTo.tell(new ControlOutcome(cmd.reply().ok() ? ControlOutcome.Result.DONE : ControlOutcome.Result.FAILED,
          cmd.reply().message(), cmd.reply().result() == null ? Map.of() : cmd.reply().result()));
    }
    return this;
  }

  private Behavior<Command> onControlTimedOut(ControlTimedOut cmd) {
    ActorRef<ControlOutcome> replyTo = pendingControls.remove(cmd.requestId());
    if (replyTo != null) {
      replyTo.tell(new ControlOutcome(ControlOutcome.Result.TIMED_OUT,
          "the agent of host '" + hostId + "' did not answer in time; check the container's state"));
    }
    return this;
  }

  private Behavior<Command> onSendSnapshot(SendSnapshot cmd) {
    // Only a state built on a full report is a snapshot: a new incarnation (after a move or a crash)
    // that has seen deltas alone would make the reader drop the host's other entries. Its first
    // full report is published whole anyway.
    if (haveFull) {
      cmd.replyTo().tell(delta(true, false, lastAgentTime, liveEntries(), Map.of(), clock.millis()));
    }
    return this;
  }

  private Behavior<Command> onGetMetrics(GetMetrics cmd) {
    int seconds = Math.max(1, cmd.seconds());
    cmd.replyTo().tell(new MetricsReply(hostId, cmd.key(), metrics.series(cmd.key(), seconds, clock.millis())));
    return this;
  }

  private Behavior<Command> onTick() {
    long now = clock.millis();
    long silent = now - lastReportAt;
    if (!everIngested) {
      // Started by a query for a host nobody reports: go away quietly.
      return silent > settings.staleAfter().toMillis() ? Behaviors.stopped() : this;
    }
    if (silent > settings.removeAfter().toMillis()) {
      status = HostStatus.REMOVED;
      publish(false, lastAgentTime, List.of(), Map.of(), now);
      getContext().getLog().info("Host {} removed: no report for {} s", hostId, silent / 1000);
      return Behaviors.stopped();
    }
    if (status == HostStatus.LIVE && silent > settings.staleAfter().toMillis()) {
      status = HostStatus.STALE;
      publish(false, lastAgentTime, List.of(), Map.of(), now);
      getContext().getLog().info("Host {} is stale: no report for {} s", hostId, silent / 1000);
    }
    state = state.withoutTombstonesBefore(lastAgentTime - settings.tombstoneRetention().toMillis());
    return this;
  }

  private void requestFullReport(String reason, long now) {
    if (link != null && now - lastFullRequestAt >= settings.fullReportRequestInterval().toMillis()) {
      lastFullRequestAt = now;
      link.tell(new ToAgent(new ClusterMessage.RequestFullReport(reason)));
      TopologyCounters.FULL_REPORT_REQUESTS.incrementAndGet();
    }
  }

  private void publish(boolean full, long asOf, List<Entry> entries, Map<String, Map<String, Double>> latest, long now) {
    lastPublishAt = now;
    TopologyCounters.PUBLICATIONS.incrementAndGet();
    topic.tell(Topic.publish(delta(full, true, asOf, entries, latest, now)));
  }

  /** {@code bump}: a publication (the next version); a snapshot reply keeps the current version. */
  private HostDelta delta(boolean full, boolean bump, long asOf, List<Entry> entries,
      Map<String, Map<String, Double>> latest, long now) {
    return new HostDelta(hostId, epoch, bump ? ++version : version, full, asOf, status, agentId, servedBy,
        lastReportAt, entries, latest, now);
  }

  private List<Entry> liveEntries() {
    List<Entry> live = new ArrayList<>(state.size());
    for (Entry e : state.entries().values()) {
      if (!e.isTombstone()) {
        live.add(e);
      }
    }
    return live;
  }

  private java.util.Set<String> liveKeys() {
    java.util.Set<String> keys = new java.util.HashSet<>();
    for (Entry e : state.entries().values()) {
      if (!e.isTombstone()) {
        keys.add(e.key());
      }
    }
    return keys;
  }

  private static long maxTimestamp(List<Entry> entries) {
    long max = 0;
    for (Entry e : entries) {
      max = Math.max(max, e.timestamp());
    }
    return max;
  }
}
