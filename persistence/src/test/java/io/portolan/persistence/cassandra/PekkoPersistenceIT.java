package io.portolan.persistence.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.portolan.persistence.testing.TestCassandra;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.junit.jupiter.api.Test;

/** TestCassandra's shared node and config carry a real event-sourced actor across ActorSystems. */
class PekkoPersistenceIT {

  @Test
  void eventsAndSnapshotsAreRecoveredByANewActorSystem() {
    RunningCassandra cassandra = TestCassandra.shared();
    String keyspace = TestCassandra.uniqueKeyspace("PekkoPersistenceIT");
    Config config =
        TestCassandra.pekkoPersistenceConfig(cassandra, keyspace)
            // The snapshot is a java.util.List; a real entity's state would use the CBOR marker.
            .withFallback(
                ConfigFactory.parseString(
                    "pekko.actor.allow-java-serialization = on\n"
                        + "pekko.actor.warn-about-java-serializer-usage = off"))
            .withFallback(ConfigFactory.load());

    ActorTestKit first = ActorTestKit.create("first", config);
    try {
      TestProbe<List<String>> probe = first.createTestProbe();
      ActorRef<Notes.Command> notes = first.spawn(Notes.create("n-1"));
      for (String note : List.of("a", "b", "c")) {
        notes.tell(new Notes.Add(note, probe.ref()));
        probe.expectMessageClass(List.class, Duration.ofSeconds(30));
      }
    } finally {
      first.shutdownTestKit();
    }

    ActorTestKit second = ActorTestKit.create("second", config);
    try {
      TestProbe<List<String>> probe = second.createTestProbe();
      ActorRef<Notes.Command> notes = second.spawn(Notes.create("n-1"));
      notes.tell(new Notes.Get(probe.ref()));
      assertThat(probe.receiveMessage(Duration.ofSeconds(30))).containsExactly("a", "b", "c");
    } finally {
      second.shutdownTestKit();
    }
  }

  @Test
  void uniqueKeyspacesAreValidCassandraNames() {
    String name = TestCassandra.uniqueKeyspace("Http-Gateway.Routes/" + "x".repeat(80));

    assertThat(name).matches("[a-z][a-z0-9_]*").hasSizeLessThanOrEqualTo(48);
    assertThat(TestCassandra.uniqueKeyspace("9lives")).startsWith("ks_9lives_");
    assertThat(TestCassandra.uniqueKeyspace("a")).isNotEqualTo(TestCassandra.uniqueKeyspace("a"));
  }

  /** A list of notes; a snapshot every 2 events so recovery reads both stores. */
  static final class Notes extends EventSourcedBehavior<Notes.Command, String, List<String>> {

    sealed interface Command {}

    record Add(String note, ActorRef<List<String>> replyTo) implements Command {}

    record Get(ActorRef<List<String>> replyTo) implements Command {}

    static Behavior<Command> create(String id) {
      return new Notes(PersistenceId.of("Notes", id));
    }

    private Notes(PersistenceId id) {
      super(id);
    }

    @Override
    public List<String> emptyState() {
      return List.of();
    }

    @Override
    public CommandHandler<Command, String, List<String>> commandHandler() {
      return newCommandHandlerBuilder()
          .forAnyState()
          .onCommand(Add.class, (state, add) -> Effect().persist(add.note()).thenReply(add.replyTo(), s -> s))
          .onCommand(Get.class, (state, get) -> Effect().reply(get.replyTo(), state))
          .build();
    }

    @Override
    public EventHandler<List<String>, String> eventHandler() {
      return newEventHandlerBuilder()
          .forAnyState()
          .onEvent(
              String.class,
              (state, note) -> {
                List<String> next = new ArrayList<>(state);
                next.add(note);
                return List.copyOf(next);
              })
          .build();
    }

    @Override
    public RetentionCriteria retentionCriteria() {
      return RetentionCriteria.snapshotEvery(2, 2);
    }
  }
}
