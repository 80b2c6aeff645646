package io.portolan.cluster.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Users (lockout) and tokens (expiry, revocation); the test kit round-trips every message via CBOR. */
class AccessEntitiesTest {

  private static final ActorTestKit testKit = ActorTestKit.create(
      EventSourcedBehaviorTestKit.config()
          .withFallback(ConfigFactory.parseResources("serialization.conf"))
          .withFallback(ConfigFactory.load()));

  /** A clock the test moves. */
  static final class MovableClock extends Clock {
    final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-23T10:00:00Z"));

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }

    void advance(Duration d) {
      now.updateAndGet(i -> i.plus(d));
    }
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void createIsIdempotentWhenAskedAndCredentialsCarryTheHash() {
    var kit = EventSourcedBehaviorTestKit.<UserEntity.Command, UserEntity.Event, UserEntity.State>create(
        testKit.system(), UserEntity.create("alice", LockoutPolicy.DEFAULT, new MovableClock()));
    var first = kit.<StatusReply<UserEntity.Created>>runCommand(r -> new UserEntity.Create("$2y$hash", Role.OPERATOR, true, r));
    assertThat(first.reply().getValue().created()).isTrue();
    var again = kit.<StatusReply<UserEntity.Created>>runCommand(r -> new UserEntity.Create("$2y$other", Role.ADMIN, true, r));
    assertThat(again.reply().getValue().created()).isFalse();
    assertThat(again.hasNoEvents()).isTrue();
    var strict = kit.<StatusReply<UserEntity.Created>>runCommand(r -> new UserEntity.Create("$2y$other", Role.ADMIN, false, r));
    assertThat(strict.reply().isError()).isTrue();

    var creds = kit.<UserEntity.Credentials>runCommand(UserEntity.GetCredentials::new).reply();
    assertThat(creds.exists()).isTrue();
    assertThat(creds.passwordHash()).isEqualTo("$2y$hash");
    assertThat(creds.role()).isEqualTo(Role.OPERATOR);
    assertThat(first.reply().getValue().user().toString()).doesNotContain("$2y$");
  }

  @Test
  void repeatedFailuresLockTheAccountUntilTheLockExpires() {
    MovableClock clock = new MovableClock();
    LockoutPolicy policy = new LockoutPolicy(3, Duration.ofMinutes(10), Duration.ofMinutes(5));
    var kit = EventSourcedBehaviorTestKit.<UserEntity.Command, UserEntity.Event, UserEntity.State>create(
        testKit.system(), UserEntity.create("bob", policy, clock));
    kit.<StatusReply<UserEntity.Created>>runCommand(r -> new UserEntity.Create("h", Role.VIEWER, true, r));

    assertThat(kit.<UserEntity.LoginRecorded>runCommand(r -> new UserEntity.RecordLogin(false, r)).reply().locked()).isFalse();
    clock.advance(Duration.ofMinutes(1));
    assertThat(kit.<UserEntity.LoginRecorded>runCommand(r -> new UserEntity.RecordLogin(false, r)).reply().locked()).isFalse();
    var third = kit.<UserEntity.LoginRecorded>runCommand(r -> new UserEntity.RecordLogin(false, r)).reply();
    assertThat(third.locked()).isTrue();
    assertThat(third.lockedUntil()).isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));
    assertThat(kit.<UserEntity.Credentials>runCommand(UserEntity.GetCredentials::new).reply().lockedUntil()).isNotNull();

    // The lock survives a restart (it is in the events).
    kit.restart();
    assertThat(kit.<UserEntity.Credentials>runCommand(UserEntity.GetCredentials::new).reply().lockedUntil()).isNotNull();

    clock.advance(Duration.ofMinutes(6));
    assertThat(kit.<UserEntity.Credentials>runCommand(UserEntity.GetCredentials::new).reply().lockedUntil()).isNull();
  }

  @Test
  void failuresOutsideTheWindowDoNotCount() {
    MovableClock clock = new MovableClock();
    LockoutPolicy policy = new LockoutPolicy(3, Duration.ofMinutes(10), Duration.ofMinutes(5));
    var kit = EventSourcedBehaviorTestKit.<UserEntity.Command, UserEntity.Event, UserEntity.State>create(
        testKit.system(), UserEntity.create("carol", policy, clock));
    kit.<StatusReply<UserEntity.Created>>runCommand(r -> new UserEntity.Create("h", Role.VIEWER, true, r));
    kit.<UserEntity.LoginRecorded>runCommand(r -> new UserEntity.RecordLogin(false, r));
    kit.<UserEntity.LoginRecorded>runCommand(r -> new UserEntity.RecordLogin(false, r));
    clock.advance(Duration.ofMinutes(11));
    var afterWindow = kit.<UserEntity.LoginRecorded>runCommand(r -> new UserEntity.RecordLogin(false, r)).reply();
    assertThat(afterWindow.locked()).isFalse();
    assertThat(afterWindow.recentFailures()).isEqualTo(1);
    // A success clears the count.
    kit.<UserEntity.LoginRecorded>runCommand(r -> new UserEntity.RecordLogin(true, r));
    assertThat(kit.getState().recentFailures()).isEmpty();
    assertThat(kit.getState().lastLoginAt()).isEqualTo(clock.instant());
  }

  @Test
  void tokensAreAcceptedUntilRevokedOrExpired() {
    MovableClock clock = new MovableClock();
    var kit = EventSourcedBehaviorTestKit.<TokenEntity.Command, TokenEntity.Event, TokenEntity.State>create(
        testKit.system(), TokenEntity.create("t1", clock));
    Instant expires = clock.instant().plus(Duration.ofHours(1));
    var issued = kit.<StatusReply<TokenEntity.TokenView>>runCommand(r -> new TokenEntity.Issue(
        TokenEntity.Kind.API, "alice", Role.VIEWER, "ci", expires, "abc", r));
    assertThat(issued.reply().getValue().toString()).doesNotContain("abc");

    TokenEntity.State state = kit.<TokenEntity.State>runCommand(TokenEntity.Get::new).reply();
    assertThat(state.accepts("abc", clock.instant())).isTrue();
    assertThat(state.accepts("abd", clock.instant())).isFalse();
    assertThat(state.accepts("abc", expires)).isFalse();

    var reissue = kit.<StatusReply<TokenEntity.TokenView>>runCommand(r -> new TokenEntity.Issue(
        TokenEntity.Kind.API, "mallory", Role.ADMIN, "x", null, "zzz", r));
    assertThat(reissue.reply().isError()).isTrue();

    kit.<StatusReply<TokenEntity.TokenView>>runCommand(r -> new TokenEntity.Revoke("alice", r));
    assertThat(kit.<TokenEntity.State>runCommand(TokenEntity.Get::new).reply().accepts("abc", clock.instant())).isFalse();
    assertThat(kit.restart().state().revoked()).isTrue();
  }
}
