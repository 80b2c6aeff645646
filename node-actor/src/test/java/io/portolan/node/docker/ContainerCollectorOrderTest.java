package io.portolan.node.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.portolan.node.agent.AgentSettings;
import io.portolan.node.agent.HostActor;
import io.portolan.protocol.Keys;
import io.portolan.protocol.Payload;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Engine calls run on a pool and can answer out of order. A restart fires die, start and restart
 * events in a row, each followed by an inspect; the inspect of "die" (old start time, exited) must
 * not overwrite the newer one of "start" when it happens to come back last.
 */
class ContainerCollectorOrderTest {

  static final ActorTestKit testKit = ActorTestKit.create(ConfigFactory.load());

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  static final String ID = "c0ffee";

  static Payload.Container container(String state, long startedAt) {
    return new Payload.Container(ID, "web", "img:1", "sha256:1", state, 1L, startedAt, Map.of(), Map.of(),
        List.of(), List.of(), Map.of(), "bridge", 0, null, 0L, 0.0);
  }

  /** Lists {@link #ID} at once; every inspect after the list waits until the test answers it. */
  static final class OutOfOrderEngine implements DockerPort {
    volatile Consumer<Event> events;
    volatile boolean listed;
    volatile boolean gateLists = true;
    final List<CompletableFuture<Optional<Payload.Container>>> inspects = new CopyOnWriteArrayList<>();

    @Override
    public List<String> containerIds() {
      return List.of(ID);
    }

    @Override
    public Optional<Payload.Container> inspect(String id) {
      if (!listed || !gateLists) {
        listed = true;
        return Optional.of(container("running", 1_000));
      }
      CompletableFuture<Optional<Payload.Container>> answer = new CompletableFuture<>();
      inspects.add(answer);
      return answer.join();
    }

    @Override
    public Optional<ContainerStats> stats(String id) {
      return Optional.empty();
    }

    @Override
    public AutoCloseable events(Consumer<Event> onEvent, Consumer<Throwable> onEnd) {
      events = onEvent;
      return () -> {};
    }

    @Override
    public void control(String id, String action, Map<String, String> args) {}

    @Override
    public void close() {}

    void fire(String action) {
      events.accept(new Event(ID, action, System.nanoTime()));
    }
  }

  static Payload.Container observed(TestProbe<HostActor.Command> sink) {
    HostActor.Observed o = sink.expectMessageClass(HostActor.Observed.class, Duration.ofSeconds(5));
    return (Payload.Container) o.entries().get(Keys.container(ID));
  }

  static void awaitInspects(OutOfOrderEngine engine, int n) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (engine.inspects.size() < n && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(engine.inspects).hasSize(n);
  }

  /** A collector on {@code engine}: stats off (an hour apart), a full list every {@code resync}. */
  static ActorRef<ContainerCollector.Command> start(OutOfOrderEngine engine, TestProbe<HostActor.Command> sink,
      String resync) {
    AgentSettings settings = AgentSettings.fromConfig(ConfigFactory.parseMap(Map.of(
        "portolan.node.agent.container-stats", "engine",
        "portolan.node.agent.container-stats-interval", "1h",
        "portolan.node.agent.container-resync-interval", resync)).withFallback(ConfigFactory.load()));
    return testKit.spawn(ContainerCollector.create(sink.getRef(), engine, settings));
  }

  @Test
  void anInspectAnsweredAfterANewerOneIsDropped() throws Exception {
    OutOfOrderEngine engine = new OutOfOrderEngine();
    TestProbe<HostActor.Command> sink = testKit.createTestProbe();
    ActorRef<ContainerCollector.Command> collector = start(engine, sink, "1h");

    assertThat(observed(sink).startedAt()).isEqualTo(1_000); // the list

    engine.fire("die");
    assertThat(observed(sink).state()).isEqualTo("exited"); // the state the event names
    awaitInspects(engine, 1);
    engine.fire("start");
    assertThat(observed(sink).state()).isEqualTo("running");
    awaitInspects(engine, 2);

    // The newer inspect answers first, the older one last.
    engine.inspects.get(1).complete(Optional.of(container("running", 2_000)));
    Payload.Container afterStart = observed(sink);
    assertThat(afterStart.startedAt()).isEqualTo(2_000);
    engine.inspects.get(0).complete(Optional.of(container("exited", 1_000)));
    sink.expectNoMessage(Duration.ofMillis(300));

    // The next change builds on the newer answer, not the stale one.
    engine.fire("pause");
    Payload.Container paused = observed(sink);
    assertThat(paused.state()).isEqualTo("paused");
    assertThat(paused.startedAt()).isEqualTo(2_000);
    testKit.stop(collector);
  }

  @Test
  void aListAskedForBeforeAnEventDoesNotUndoIt() throws Exception {
    OutOfOrderEngine engine = new OutOfOrderEngine();
    TestProbe<HostActor.Command> sink = testKit.createTestProbe();
    ActorRef<ContainerCollector.Command> collector = start(engine, sink, "300ms");
    assertThat(observed(sink).state()).isEqualTo("running"); // the first list

    awaitInspects(engine, 1); // the periodic list is waiting on its inspect
    engine.fire("die");
    assertThat(observed(sink).state()).isEqualTo("exited");
    awaitInspects(engine, 2);
    engine.inspects.get(1).complete(Optional.of(container("exited", 1_000)));
    assertThat(observed(sink).state()).isEqualTo("exited");

    // The list read the container before it died; it lands now and must not bring "running" back.
    engine.gateLists = false;
    engine.inspects.get(0).complete(Optional.of(container("running", 1_000)));
    assertThat(observed(sink).state()).isEqualTo("exited");
    testKit.stop(collector);
    engine.inspects.forEach(f -> f.complete(Optional.empty()));
  }
}
