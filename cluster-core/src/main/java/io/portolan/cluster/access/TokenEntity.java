package io.portolan.cluster.access;

import io.portolan.cluster.CborSerializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReplyBuilder;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;

/**
 * One issued credential (a login session, an API token or an agent token), keyed by its public id.
 * It stores only a hash of the secret part; whoever holds {@code <id>.<secret>} is who it was issued
 * to until it expires or is revoked.
 */
public final class TokenEntity
    extends EventSourcedBehaviorWithEnforcedReplies<TokenEntity.Command, TokenEntity.Event, TokenEntity.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Token");
  public static final String TAG = "token";

  public enum Kind { SESSION, API, AGENT }

  // ---- commands -------------------------------------------------------------------------------

  public sealed interface Command extends CborSerializable {}

  public record Issue(Kind kind, String owner, Role role, String name, Instant expiresAt, String secretHash,
      ActorRef<StatusReply<TokenView>> replyTo) implements Command {}

  public record Revoke(String by, ActorRef<StatusReply<TokenView>> replyTo) implements Command {}

  public record Get(ActorRef<State> replyTo) implements Command {}

  /** What the API shows of a token: never its hash. */
  public record TokenView(String id, Kind kind, String owner, Role role, String name, Instant createdAt,
      Instant expiresAt, boolean revoked) implements CborSerializable {}

  // ---- events ---------------------------------------------------------------------------------

  public sealed interface Event extends CborSerializable {}

  public record Issued(String id, Kind kind, String owner, Role role, String name, Instant expiresAt,
      String secretHash, Instant at) implements Event {}

  public record Revoked(String id, String by, Instant at) implements Event {}

  // ---- state ----------------------------------------------------------------------------------

  public record State(String id, boolean exists, Kind kind, String owner, Role role, String name, Instant createdAt,
      Instant expiresAt, String secretHash, boolean revoked) implements CborSerializable {

    static State none(String id) {
      return new State(id, false, null, null, null, null, null, null, null, false);
    }

    /** Whether a secret with this hash is accepted at {@code now}. */
    public boolean accepts(String presentedHash, Instant now) {
      return exists && !revoked && (expiresAt == null || now.isBefore(expiresAt))
          && secretHash != null && java.security.MessageDigest.isEqual(
              secretHash.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
              presentedHash.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    TokenView view() {
      return new TokenView(id, kind, owner, role, name, createdAt, expiresAt, revoked);
    }
  }

  // ---- wiring ---------------------------------------------------------------------------------

  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), Clock.systemUTC())));
  }

  public static Behavior<Command> create(String id, Clock clock) {
    return Behaviors.setup(ctx -> new TokenEntity(id, clock));
  }

  private final String id;
  private final Clock clock;

  private TokenEntity(String id, Clock clock) {
    super(PersistenceId.of(ENTITY_KEY.name(), id),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
    this.id = id;
    this.clock = clock;
  }

  @Override
  public State emptyState() {
    return State.none(id);
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(TAG);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    CommandHandlerWithReplyBuilder<Command, Event, State> builder = newCommandHandlerWithReplyBuilder();
    builder.forState(s -> !s.exists())
        .onCommand(Issue.class, (s, c) -> Effect()
            .persist(new Issued(id, c.kind(), c.owner(), c.role(), c.name(), c.expiresAt(), c.secretHash(),
                clock.instant()))
            .thenReply(c.replyTo(), issued -> StatusReply.success(issued.view())))
        .onCommand(Revoke.class, (s, c) -> Effect().reply(c.replyTo(),
            StatusReply.error("token '" + id + "' does not exist")));
    builder.forState(State::exists)
        .onCommand(Issue.class, (s, c) -> Effect().reply(c.replyTo(),
            StatusReply.error("token id '" + id + "' is taken; issue the token again")))
        .onCommand(Revoke.class, (s, c) -> s.revoked()
            ? Effect().reply(c.replyTo(), StatusReply.success(s.view()))
            : Effect().persist(new Revoked(id, c.by(), clock.instant()))
                .thenReply(c.replyTo(), revoked -> StatusReply.success(revoked.view())));
    builder.forAnyState().onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), s));
    return builder.build();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(Issued.class, (s, e) -> new State(id, true, e.kind(), e.owner(), e.role(), e.name(), e.at(),
            e.expiresAt(), e.secretHash(), false))
        .onEvent(Revoked.class, (s, e) -> new State(id, true, s.kind(), s.owner(), s.role(), s.name(), s.createdAt(),
            s.expiresAt(), s.secretHash(), true))
        .build();
  }
}
