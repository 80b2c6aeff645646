package io.portolan.cluster.access;

import io.portolan.cluster.CborSerializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * A local user, one sharded event-sourced entity per username: password hash (never the
 * password), role, and recent failed logins with the lockout they cause. Hashing and checking the
 * password happen in the gateway; the entity only ever sees the hash and the outcome.
 */
public final class UserEntity
    extends EventSourcedBehaviorWithEnforcedReplies<UserEntity.Command, UserEntity.Event, UserEntity.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "User");
  public static final String TAG = "user";

  // ---- commands -------------------------------------------------------------------------------

  public sealed interface Command extends CborSerializable {}

  /** Creates the user; with {@code onlyIfAbsent} an existing user is left alone and reported as such. */
  public record Create(String passwordHash, Role role, boolean onlyIfAbsent, ActorRef<StatusReply<Created>> replyTo)
      implements Command {}

  public record ChangePassword(String passwordHash, ActorRef<StatusReply<UserView>> replyTo) implements Command {}

  public record ChangeRole(Role role, ActorRef<StatusReply<UserView>> replyTo) implements Command {}

  public record Delete(ActorRef<StatusReply<UserView>> replyTo) implements Command {}

  /** What a login needs to check a password: never fails; an unknown user has no hash. */
  public record GetCredentials(ActorRef<Credentials> replyTo) implements Command {}

  /** The outcome of a password check the gateway made; failures may lock the account. */
  public record RecordLogin(boolean success, ActorRef<LoginRecorded> replyTo) implements Command {}

  // ---- replies --------------------------------------------------------------------------------

  public record Created(boolean created, UserView user) implements CborSerializable {}

  public record Credentials(boolean exists, String passwordHash, Role role, Instant lockedUntil)
      implements CborSerializable {}

  public record LoginRecorded(boolean locked, Instant lockedUntil, int recentFailures) implements CborSerializable {}

  /** A user as the API shows it: no hash. */
  public record UserView(String username, Role role, Instant createdAt, Instant lockedUntil, Instant lastLoginAt)
      implements CborSerializable {}

  // ---- events ---------------------------------------------------------------------------------

  public sealed interface Event extends CborSerializable {}

  public record UserCreated(String username, String passwordHash, Role role, Instant at) implements Event {}

  public record PasswordChanged(String username, String passwordHash, Instant at) implements Event {}

  public record RoleChanged(String username, Role role, Instant at) implements Event {}

  public record UserDeleted(String username, Instant at) implements Event {}

  public record LoginFailed(String username, Instant at) implements Event {}

  public record LockedOut(String username, Instant until, Instant at) implements Event {}

  public record LoggedIn(String username, Instant at) implements Event {}

  // ---- state ----------------------------------------------------------------------------------

  public record State(
      String username,
      boolean exists,
      String passwordHash,
      Role role,
      Instant createdAt,
      List<Instant> recentFailures,
      Instant lockedUntil,
      Instant lastLoginAt) implements CborSerializable {

    static State none(String username) {
      return new State(username, false, null, null, null, List.of(), null, null);
    }

    State created(String hash, Role newRole, Instant at) {
      return new State(username, true, hash, newRole, at, List.of(), null, null);
    }

    State withHash(String hash) {
      return new State(username, exists, hash, role, createdAt, List.of(), null, lastLoginAt);
    }

    State withRole(Role newRole) {
      return new State(username, exists, passwordHash, newRole, createdAt, recentFailures, lockedUntil, lastLoginAt);
    }

    State failedAt(Instant at, Duration window) {
      List<Instant> kept = new ArrayList<>();
      for (Instant failure : recentFailures) {
        if (failure.isAfter(at.minus(window))) {
          kept.add(failure);
        }
      }
      kept.add(at);
      return new State(username, exists, passwordHash, role, createdAt, List.copyOf(kept), lockedUntil, lastLoginAt);
    }

    State lockedUntil(Instant until) {
      return new State(username, exists, passwordHash, role, createdAt, List.of(), until, lastLoginAt);
    }

    State loggedInAt(Instant at) {
      return new State(username, exists, passwordHash, role, createdAt, List.of(), null, at);
    }

    boolean lockedAt(Instant now) {
      return lockedUntil != null && now.isBefore(lockedUntil);
    }

    UserView view() {
      return new UserView(username, role, createdAt, lockedUntil, lastLoginAt);
    }
  }

  // ---- wiring ---------------------------------------------------------------------------------

  public static void init(ActorSystem<?> system, LockoutPolicy policy) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), policy, Clock.systemUTC())));
  }

  public static Behavior<Command> create(String username, LockoutPolicy policy, Clock clock) {
    return Behaviors.setup(ctx -> new UserEntity(username, policy, clock));
  }

  private final String username;
  private final LockoutPolicy policy;
  private final Clock clock;

  private UserEntity(String username, LockoutPolicy policy, Clock clock) {
    super(PersistenceId.of(ENTITY_KEY.name(), username),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
    this.username = username;
    this.policy = policy;
    this.clock = clock;
  }

  @Override
  public State emptyState() {
    return State.none(username);
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 2);
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(TAG);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    CommandHandlerWithReplyBuilder<Command, Event, State> builder = newCommandHandlerWithReplyBuilder();
    builder.forState(s -> !s.exists())
        .onCommand(Create.class, (s, c) -> Effect()
            .persist(new UserCreated(username, c.passwordHash(), c.role(), clock.instant()))
            .thenReply(c.replyTo(), created -> StatusReply.success(new Created(true, created.view()))))
        .onCommand(ChangePassword.class, (s, c) -> Effect().reply(c.replyTo(), unknown()))
        .onCommand(ChangeRole.class, (s, c) -> Effect().reply(c.replyTo(), unknown()))
        .onCommand(Delete.class, (s, c) -> Effect().reply(c.replyTo(), unknown()))
        .onCommand(RecordLogin.class, (s, c) -> Effect().reply(c.replyTo(), new LoginRecorded(false, null, 0)));
    builder.forState(State::exists)
        .onCommand(Create.class, (s, c) -> Effect().reply(c.replyTo(), c.onlyIfAbsent()
            ? StatusReply.success(new Created(false, s.view()))
            : StatusReply.error("user '" + username + "' already exists; change its password or role instead")))
        .onCommand(ChangePassword.class, (s, c) -> Effect()
            .persist(new PasswordChanged(username, c.passwordHash(), clock.instant()))
            .thenReply(c.replyTo(), changed -> StatusReply.success(changed.view())))
        .onCommand(ChangeRole.class, (s, c) -> Effect()
            .persist(new RoleChanged(username, c.role(), clock.instant()))
            .thenReply(c.replyTo(), changed -> StatusReply.success(changed.view())))
        .onCommand(Delete.class, (s, c) -> Effect()
            .persist(new UserDeleted(username, clock.instant()))
            .thenReply(c.replyTo(), deleted -> StatusReply.success(s.view())))
        .onCommand(RecordLogin.class, this::recordLogin);
    builder.forAnyState().onCommand(GetCredentials.class, (s, c) -> Effect().reply(c.replyTo(),
        new Credentials(s.exists(), s.passwordHash(), s.role(), s.lockedAt(clock.instant()) ? s.lockedUntil() : null)));
    return builder.build();
  }

  private ReplyEffect<Event, State> recordLogin(State state, RecordLogin cmd) {
    Instant now = clock.instant();
    if (cmd.success()) {
      return Effect().persist(new LoggedIn(username, now))
          .thenReply(cmd.replyTo(), s -> new LoginRecorded(false, null, 0));
    }
    State afterFailure = state.failedAt(now, policy.window());
    if (afterFailure.recentFailures().size() >= policy.maxFailures()) {
      Instant until = now.plus(policy.lockFor());
      return Effect().persist(List.of(new LoginFailed(username, now), new LockedOut(username, until, now)))
          .thenReply(cmd.replyTo(), s -> new LoginRecorded(true, until, policy.maxFailures()));
    }
    return Effect().persist(new LoginFailed(username, now))
        .thenReply(cmd.replyTo(), s -> new LoginRecorded(s.lockedAt(now), s.lockedUntil(), s.recentFailures().size()));
  }

  private StatusReply<UserView> unknown() {
    return StatusReply.error("user '" + username + "' does not exist");
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(UserCreated.class, (s, e) -> s.created(e.passwordHash(), e.role(), e.at()))
        .onEvent(PasswordChanged.class, (s, e) -> s.withHash(e.passwordHash()))
        .onEvent(RoleChanged.class, (s, e) -> s.withRole(e.role()))
        .onEvent(UserDeleted.class, (s, e) -> State.none(username))
        .onEvent(LoginFailed.class, (s, e) -> s.failedAt(e.at(), policy.window()))
        .onEvent(LockedOut.class, (s, e) -> s.lockedUntil(e.until()))
        .onEvent(LoggedIn.class, (s, e) -> s.loggedInAt(e.at()))
        .build();
  }
}
