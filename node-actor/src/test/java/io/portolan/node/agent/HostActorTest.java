package io.portolan.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.portolan.protocol.Payload;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class HostActorTest {

  static final ActorTestKit testKit = ActorTestKit.create(ConfigFactory.parseString(
      "portolan.node.agent.collector-backoff { min = 50ms, max = 200ms }").withFallback(ConfigFactory.load()));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  static AgentSettings settings() {
    return AgentSettings.fromConfig(ConfigFactory.parseMap(Map.of(
        "portolan.node.agent.agent-id", "h1",
        "portolan.node.agent.collector-backoff.min", "50ms",
        "portolan.node.agent.collector-backoff.max", "200ms")).withFallback(ConfigFactory.load()));
  }

  /** Fails 20 ms after every start. */
  static Behavior<String> flaky(AtomicInteger starts) {
    return Behaviors.setup(ctx -> {
      starts.incrementAndGet();
      ctx.scheduleOnce(Duration.ofMillis(20), ctx.getSelf(), "boom");
      return Behaviors.receiveMessage(m -> {
        throw new IllegalStateException("collector failure for the test");
      });
    });
  }

  /** Reports one process entry every 50 ms. */
  static Behavior<String> steady(ActorRef<HostActor.Command> sink, AtomicInteger ticks) {
    return Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay("tick", Duration.ofMillis(50));
      return Behaviors.receiveMessage(m -> {
        ticks.incrementAndGet();
        sink.tell(new HostActor.Observed("steady", Map.of("process:h1;1",
            new Payload.Process(1, 0, "init", "init", 0, "root", "/", "S", 1, "")), false));
        return Behaviors.same();
      });
    });
  }

  @Test
  void aFailingCollectorIsRestartedWithBackoffAndTheOthersGoOn() throws Exception {
    AtomicInteger starts = new AtomicInteger();
    AtomicInteger ticks = new AtomicInteger();
    ActorRef<HostActor.Command> host = testKit.spawn(HostActor.create(settings(), List.of(
        new HostActor.Collector("flaky", sink -> flaky(starts)),
        new HostActor.Collector("steady", sink -> steady(sink, ticks))), null, () -> { }));
    Thread.sleep(1500);
    assertThat(starts.get()).as("restarts of the failing collector").isBetween(3, 30);
    int before = ticks.get();
    Thread.sleep(300);
    assertThat(ticks.get()).as("the healthy collector keeps running").isGreaterThan(before);
    TestProbe<HostActor.StateSnapshot> probe = testKit.createTestProbe();
    host.tell(new HostActor.GetState(probe.getRef()));
    assertThat(probe.receiveMessage().entries()).containsKey("process:h1;1");
  }

  @Test
  void containerAddressesComeFromTheLatestContainerEntries() {
    ActorRef<HostActor.Command> host = testKit.spawn(HostActor.create(settings(), List.of(), null, () -> { }));
    Payload.Container c = new Payload.Container("abc", "web", "img", "sha", "running", 1, 1, Map.of(), Map.of(),
        List.of(), List.of(), Map.of("bridge", "172.17.0.2", "none", ""), "bridge", 0, "", 0, 0);
    host.tell(new HostActor.Observed("containers", Map.of("container:abc", c), true));
    TestProbe<HostActor.ContainerAddresses> probe = testKit.createTestProbe();
    host.tell(new HostActor.GetContainerAddresses(probe.getRef()));
    assertThat(probe.receiveMessage().byIp()).containsExactly(Map.entry("172.17.0.2", "abc"));
  }
}
