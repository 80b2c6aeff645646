package io.portolan.cluster.agent;

import io.portolan.cluster.CborSerializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReplyBuilder;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * The agent registry: one sharded, event-sourced entity per agent id. It records which host an
 * agent reports for, its labels, when it connected to which cluster node, and whether it was
 * retired. Later work hangs agent tokens and the per-host live state off this identity.
 */
public final class AgentEntity
    extends EventSourcedBehaviorWithEnforcedReplies<AgentEntity.Command, AgentEntity.Event, AgentEntity.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Agent");
  /** Tag on every event, for projections that list agents. */
  public static final String TAG = "agent";

  // ---- commands -------------------------------------------------------------------------------

  public sealed interface Command extends CborSerializable {}

  /** Registers the agent, or refreshes its labels when it is already registered for this host. */
  public record Register(String hostname, Map<String, String> labels, ActorRef<StatusReply<Summary>> replyTo)
      implements Command {}

  public record UpdateLabels(Map<String, String> labels, ActorRef<StatusReply<Summary>> replyTo)
      implements Command {}

  public record RecordConnected(String clusterNode, String agentVersion, ActorRef<StatusReply<Summary>> replyTo)
      implements Command {}

  public record RecordDisconnected(ActorRef<StatusReply<Summary>> replyTo) implements Command {}

  public record Retire(String reason, ActorRef<StatusReply<Summary>> replyTo) implements Command {}

  /** Never fails: an agent that was never registered answers with status {@code UNKNOWN}. */
  public record Get(ActorRef<Summary> replyTo) implements Command {}

  // ---- events ---------------------------------------------------------------------------------

  public sealed interface Event extends CborSerializable {}

  public record Registered(String agentId, String hostname, Map<String, String> labels, Instant at)
      implements Event {}

  public record LabelsUpdated(String agentId, Map<String, String> labels, Instant at) implements Event {}

  public record Connected(String agentId, String clusterNode, String agentVersion, Instant at) implements Event {}

  public record Disconnected(String agentId, Instant at) implements Event {}

  public record Retired(String agentId, String reason, Instant at) implements Event {}

  // ---- state ----------------------------------------------------------------------------------

  public enum Status { UNKNOWN, REGISTERED, RETIRED }

  /** Immutable; every change returns a new instance. */
  public record State(
      String agentId,
      Status status,
      String hostname,
      Map<String, String> labels,
      Instant registeredAt,
      boolean connected,
      String clusterNode,
      String agentVersion,
      Instant lastConnectedAt,
      Instant lastDisconnectedAt,
      long connections,
      String retiredReason)
      implements CborSerializable {

    public static State unknown(String agentId) {
      return new State(agentId, Status.UNKNOWN, null, Map.of(), null, false, null, null, null, null, 0, null);
    }

    State registered(String newHostname, Map<String, String> newLabels, Instant at) {
      return new State(agentId, Status.REGISTERED, newHostname, Map.copyOf(newLabels), at, connected,
          clusterNode, agentVersion, lastConnectedAt, lastDisconnectedAt, connections, null);
    }

    State withLabels(Map<String, String> newLabels) {
      return new State(agentId, status, hostname, Map.copyOf(newLabels), registeredAt, connected,
          clusterNode, agentVersion, lastConnectedAt, lastDisconnectedAt, connections, retiredReason);
    }

    State connectedTo(String node, String version, Instant at) {
      return new State(agentId, status, hostname, labels, registeredAt, true, node, version, at,
          lastDisconnectedAt, connections + 1, retiredReason);
    }

    State disconnectedAt(Instant at) {
      return new State(agentId, status, hostname, labels, registeredAt, false, clusterNode, agentVersion,
          lastConnectedAt, at, connections, retiredReason);
    }

    State retired(String reason) {
      return new State(agentId, Status.RETIRED, hostname, labels, registeredAt, false, clusterNode,
          agentVersion, lastConnectedAt, lastDisconnectedAt, connections, reason);
    }
  }

  /** What callers get back: the agent's state and the cluster node that served the request. */
  public record Summary(State agent, String servedBy) implements CborSerializable {}

  // ---- wiring ---------------------------------------------------------------------------------

  /** Registers the entity type with Cluster Sharding; the guardian calls this once per node. */
  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId())));
  }

  public static Behavior<Command> create(String agentId) {
    return create(agentId, Clock.systemUTC());
  }

  public static Behavior<Command> create(String agentId, Clock clock) {
    return Behaviors.setup(ctx -> new AgentEntity(ctx, agentId, clock));
  }

  private final String agentId;
  private final Clock clock;
  private final String servedBy;

  private AgentEntity(ActorContext<Command> ctx, String agentId, Clock clock) {
    super(PersistenceId.of(ENTITY_KEY.name(), agentId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
    this.agentId = agentId;
    this.clock = clock;
    this.servedBy = Cluster.get(ctx.getSystem()).selfMember().address().toString();
  }

  @Override
  public State emptyState() {
    return State.unknown(agentId);
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 2);
  }

  @Override
  public java.util.Set<String> tagsFor(Event event) {
    return java.util.Set.of(TAG);
  }

  // ---- command handlers, per state ------------------------------------------------------------

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    CommandHandlerWithReplyBuilder<Command, Event, State> builder = newCommandHandlerWithReplyBuilder();

    builder.forState(s -> s.status() == Status.UNKNOWN)
        .onCommand(Register.class, this::register)
        .onCommand(UpdateLabels.class, (s, c) -> Effect().reply(c.replyTo(), unknownAgent()))
        .onCommand(RecordConnected.class, (s, c) -> Effect().reply(c.replyTo(), unknownAgent()))
        .onCommand(RecordDisconnected.class, (s, c) -> Effect().reply(c.replyTo(), unknownAgent()))
        .onCommand(Retire.class, (s, c) -> Effect().reply(c.replyTo(), unknownAgent()));

    builder.forState(s -> s.status() == Status.REGISTERED)
        .onCommand(Register.class, this::reRegister)
        .onCommand(UpdateLabels.class, this::updateLabels)
        .onCommand(RecordConnected.class, this::recordConnected)
        .onCommand(RecordDisconnected.class, this::recordDisconnected)
        .onCommand(Retire.class, this::retire);

    builder.forState(s -> s.status() == Status.RETIRED)
        .onCommand(Register.class, (s, c) -> Effect().reply(c.replyTo(), retiredAgent(s)))
        .onCommand(UpdateLabels.class, (s, c) -> Effect().reply(c.replyTo(), retiredAgent(s)))
        .onCommand(RecordConnected.class, (s, c) -> Effect().reply(c.replyTo(), retiredAgent(s)))
        .onCommand(RecordDisconnected.class, (s, c) -> Effect().reply(c.replyTo(), summaryOk(s)))
        .onCommand(Retire.class, (s, c) -> Effect().reply(c.replyTo(), summaryOk(s)));

    builder.forAnyState().onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), summary(s)));
    return builder.build();
  }

  private ReplyEffect<Event, State> register(State state, Register cmd) {
    Map<String, String> labels = cmd.labels() == null ? Map.of() : cmd.labels();
    List<String> problems = AgentValidation.checkRegistration(cmd.hostname(), labels);
    if (!problems.isEmpty()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error(String.join("; ", problems)));
    }
    return Effect()
        .persist(new Registered(agentId, cmd.hostname(), Map.copyOf(labels), clock.instant()))
        .thenReply(cmd.replyTo(), this::summaryOk);
  }

  private ReplyEffect<Event, State> reRegister(State state, Register cmd) {
    if (!Objects.equals(state.hostname(), cmd.hostname())) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("agent '" + agentId
          + "' is registered for host '" + state.hostname() + "'; retire it before registering it for '"
          + cmd.hostname() + "', or use another agent id"));
    }
    return updateLabels(state, new UpdateLabels(cmd.labels() == null ? Map.of() : cmd.labels(), cmd.replyTo()));
  }

  private ReplyEffect<Event, State> updateLabels(State state, UpdateLabels cmd) {
    Map<String, String> labels = cmd.labels() == null ? Map.of() : cmd.labels();
    List<String> problems = AgentValidation.checkLabels(labels);
    if (!problems.isEmpty()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error(String.join("; ", problems)));
    }
    if (labels.equals(state.labels())) {
      return Effect().reply(cmd.replyTo(), summaryOk(state));
    }
    return Effect()
        .persist(new LabelsUpdated(agentId, Map.copyOf(labels), clock.instant()))
        .thenReply(cmd.replyTo(), this::summaryOk);
  }

  private ReplyEffect<Event, State> recordConnected(State state, RecordConnected cmd) {
    return Effect()
        .persist(new Connected(agentId, cmd.clusterNode(), cmd.agentVersion(), clock.instant()))
        .thenReply(cmd.replyTo(), this::summaryOk);
  }

  private ReplyEffect<Event, State> recordDisconnected(State state, RecordDisconnected cmd) {
    if (!state.connected()) {
      return Effect().reply(cmd.replyTo(), summaryOk(state));
    }
    return Effect()
        .persist(new Disconnected(agentId, clock.instant()))
        .thenReply(cmd.replyTo(), this::summaryOk);
  }

  private ReplyEffect<Event, State> retire(State state, Retire cmd) {
    String reason = cmd.reason() == null || cmd.reason().isBlank() ? "retired" : cmd.reason();
    return Effect()
        .persist(new Retired(agentId, reason, clock.instant()))
        .thenReply(cmd.replyTo(), this::summaryOk);
  }

  private Summary summary(State state) {
    return new Summary(state, servedBy);
  }

  private StatusReply<Summary> summaryOk(State state) {
    return StatusReply.success(summary(state));
  }

  private StatusReply<Summary> unknownAgent() {
    return StatusReply.error("agent '" + agentId + "' is not registered; register it first with PUT /api/agents/"
        + agentId);
  }

  private StatusReply<Summary> retiredAgent(State state) {
    return StatusReply.error("agent '" + agentId + "' was retired (" + state.retiredReason()
        + "); register the host under a new agent id");
  }

  // ---- event handler (pure) -------------------------------------------------------------------

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(Registered.class, (s, e) -> s.registered(e.hostname(), e.labels(), e.at()))
        .onEvent(LabelsUpdated.class, (s, e) -> s.withLabels(e.labels()))
        .onEvent(Connected.class, (s, e) -> s.connectedTo(e.clusterNode(), e.agentVersion(), e.at()))
        .onEvent(Disconnected.class, (s, e) -> s.disconnectedAt(e.at()))
        .onEvent(Retired.class, (s, e) -> s.retired(e.reason()))
        .build();
  }
}
