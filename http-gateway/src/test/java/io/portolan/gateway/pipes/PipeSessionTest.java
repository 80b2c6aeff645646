package io.portolan.gateway.pipes;

import static org.assertj.core.api.Assertions.assertThat;

import io.portolan.cluster.topology.HostEntity;
import io.portolan.protocol.AgentMessage;
import io.portolan.protocol.ClusterMessage;
import java.time.Duration;
import java.util.Map;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The client side's credit: a running total, grown as chunks are consumed and repeated every second. */
class PipeSessionTest {

  private static final ActorTestKit kit = ActorTestKit.create();

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @Test
  void creditIsARunningTotalRepeatedEverySecond() {
    TestProbe<HostEntity.ToAgent> link = kit.createTestProbe();
    Pair<BoundedSourceQueue<AgentMessage>, Source<AgentMessage, NotUsed>> q =
        Source.<AgentMessage>queue(20).preMaterialize(kit.system());
    ActorRef<PipeSession.Command> session = kit.spawn(PipeSession.create(link.ref(), "p-1", "logs",
        "container:abc", Map.of(), 16, q.first(), closed -> { }));

    assertThat(link.receiveMessage().message()).isInstanceOf(ClusterMessage.PipeOpen.class);
    assertThat(link.receiveMessage().message()).isEqualTo(new ClusterMessage.PipeCredit("p-1", 16, 16));

    // Nothing consumed: the same total comes again about every second (a lost credit is made good).
    ClusterMessage again = link.receiveMessage(Duration.ofSeconds(3)).message();
    assertThat(again).isEqualTo(new ClusterMessage.PipeCredit("p-1", 0, 16));

    // Half the window consumed: 8 more granted, total 24.
    for (int i = 0; i < 8; i++) {
      session.tell(PipeSession.Consumed.INSTANCE);
    }
    ClusterMessage grown = link.fishForMessage(Duration.ofSeconds(3), m ->
        m.message() instanceof ClusterMessage.PipeCredit c && c.n() == 8
            ? org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.complete()
            : org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore()).get(0).message();
    assertThat(grown).isEqualTo(new ClusterMessage.PipeCredit("p-1", 8, 24));
    ClusterMessage repeated = link.fishForMessage(Duration.ofSeconds(3), m ->
        m.message() instanceof ClusterMessage.PipeCredit c && c.n() == 0
            ? org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.complete()
            : org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore()).get(0).message();
    assertThat(repeated).isEqualTo(new ClusterMessage.PipeCredit("p-1", 0, 24));

    session.tell(PipeSession.ClientGone.INSTANCE);
    link.fishForMessage(Duration.ofSeconds(3), m -> m.message() instanceof ClusterMessage.PipeClose
        ? org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.complete()
        : org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore());
  }
}
