package io.portolan.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.NoNodeAvailableException;
import com.datastax.oss.driver.api.core.servererrors.SyntaxError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * An audit write that meets a Cassandra that cannot answer for a moment is retried, not lost
 * (CI once lost a login event to a NoNodeAvailableException right after the node became ready).
 */
class AuditRetryTest {

  private static final ActorTestKit kit = ActorTestKit.create();

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @Test
  void aWriteThatMeetsNoAvailableNodeIsRetriedUntilItLands() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    List<Throwable> warnings = new ArrayList<>();
    CompletionStage<String> written = AuditLog.retryingTransient(kit.system(), () -> attempts.incrementAndGet() <= 3
            ? CompletableFuture.failedFuture(new CompletionException(new NoNodeAvailableException()))
            : CompletableFuture.completedFuture("written"),
        warnings::add, 10, Duration.ofMillis(10), Duration.ofMillis(50));

    assertThat(written.toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo("written");
    assertThat(attempts).hasValue(4);
    assertThat(warnings).as("one warning per event, not one per attempt").hasSize(1);
  }

  @Test
  void aFailureThatRetryingCannotFixFailsAtOnce() {
    AtomicInteger attempts = new AtomicInteger();
    CompletionStage<String> written = AuditLog.retryingTransient(kit.system(), () -> {
      attempts.incrementAndGet();
      return CompletableFuture.failedFuture(new SyntaxError(null, "line 1: no viable alternative"));
    }, e -> { }, 10, Duration.ofMillis(10), Duration.ofMillis(50));

    assertThatThrownBy(() -> written.toCompletableFuture().get(5, TimeUnit.SECONDS))
        .hasRootCauseInstanceOf(SyntaxError.class);
    assertThat(attempts).hasValue(1);
  }

  @Test
  void anOutageLongerThanTheRetriesFailsWithTheLastError() {
    AtomicInteger attempts = new AtomicInteger();
    CompletionStage<String> written = AuditLog.retryingTransient(kit.system(), () -> {
      attempts.incrementAndGet();
      return CompletableFuture.failedFuture(new NoNodeAvailableException());
    }, e -> { }, 4, Duration.ofMillis(10), Duration.ofMillis(20));

    assertThatThrownBy(() -> written.toCompletableFuture().get(5, TimeUnit.SECONDS))
        .hasRootCauseInstanceOf(NoNodeAvailableException.class);
    assertThat(attempts).as("the first attempt and 4 retries").hasValue(5);
  }
}
