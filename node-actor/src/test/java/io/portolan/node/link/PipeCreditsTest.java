package io.portolan.node.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PipeCreditsTest {

  @Test
  void aRepeatedTotalGrantsNothingTwice() throws Exception {
    PipeCredits credits = new PipeCredits();
    credits.grant(16, 16);
    credits.grant(16, 16);
    assertThat(credits.available()).isEqualTo(16);
    for (int i = 0; i < 16; i++) {
      assertThat(credits.tryAcquire(0, TimeUnit.MILLISECONDS)).isTrue();
    }
    assertThat(credits.tryAcquire(10, TimeUnit.MILLISECONDS)).isFalse();
  }

  @Test
  void aLostCreditIsMadeGoodByTheNextTotal() throws Exception {
    PipeCredits credits = new PipeCredits();
    credits.grant(16, 16);
    // The increments to 24 and to 32 were lost; the periodic re-send carries the total 32.
    credits.grant(8, 32);
    assertThat(credits.available()).isEqualTo(32);
  }

  @Test
  void anOlderTotalArrivingLateIsIgnored() {
    PipeCredits credits = new PipeCredits();
    credits.grant(8, 40);
    credits.grant(8, 24);
    assertThat(credits.available()).isEqualTo(40);
  }

  @Test
  void withoutATotalTheIncrementCounts() {
    PipeCredits credits = new PipeCredits();
    credits.grant(16, 0);
    credits.grant(8, 0);
    credits.grant(-5, 0);
    assertThat(credits.available()).isEqualTo(24);
  }

  @Test
  void creditIsCapped() {
    PipeCredits credits = new PipeCredits();
    credits.grant(0, Long.MAX_VALUE / 2);
    assertThat(credits.available()).isEqualTo(PipeCredits.MAX_AVAILABLE);
  }

  @Test
  void aWaitingSenderWakesWhenCreditArrives() throws Exception {
    PipeCredits credits = new PipeCredits();
    CompletableFuture<Boolean> got = CompletableFuture.supplyAsync(() -> {
      try {
        return credits.tryAcquire(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        return false;
      }
    });
    Thread.sleep(100);
    assertThat(got).isNotDone();
    credits.grant(1, 1);
    assertThat(got.get(2, TimeUnit.SECONDS)).isTrue();
  }
}
