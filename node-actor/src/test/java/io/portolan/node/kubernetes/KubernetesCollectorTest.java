package io.portolan.node.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.portolan.protocol.Keys;
import io.portolan.protocol.Payload;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The collector sends the inventory when its generation moves, and nothing while it stands still. */
class KubernetesCollectorTest {

  static final org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit testKit =
      org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  record Seen(Map<String, Payload> entries) {}

  static final class FakeInventory implements KubernetesInventory {
    final AtomicLong generation = new AtomicLong(1);
    final AtomicReference<Map<String, Payload>> entries = new AtomicReference<>(Map.of());

    @Override
    public long generation() {
      return generation.get();
    }

    @Override
    public Map<String, Payload> entries() {
      return entries.get();
    }

    @Override
    public Status status() {
      return new Status(Role.LEADER, true, "me", entries.get().size(), java.util.List.of());
    }

    @Override
    public void close() {}
  }

  @Test
  void sendsOnlyWhenTheGenerationMoves() {
    TestProbe<Seen> sink = testKit.createTestProbe();
    FakeInventory inventory = new FakeInventory();
    testKit.spawn(KubernetesCollector.create(sink.getRef(), Seen::new, inventory, Duration.ofMillis(50)));
    assertThat(sink.receiveMessage().entries()).isEmpty();
    sink.expectNoMessage(Duration.ofMillis(200));

    Payload.Namespace ns = new Payload.Namespace("c", "shop", "u", "Active", Map.of(), 1L);
    inventory.entries.set(Map.of(Keys.namespace("c", "shop"), ns));
    inventory.generation.incrementAndGet();
    assertThat(sink.receiveMessage().entries()).containsEntry(Keys.namespace("c", "shop"), ns);
    sink.expectNoMessage(Duration.ofMillis(200));
  }
}
