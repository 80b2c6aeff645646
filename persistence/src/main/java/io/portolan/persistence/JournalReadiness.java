package io.portolan.persistence;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * Whether this node's journal and snapshot store work. Recovers a persistence id that is never
 * written: that starts both plugins (creating keyspace and tables when autocreate is on) and reads
 * from Cassandra, so once it completes the first real command does not pay for it. Retries with
 * backoff while Cassandra is unreachable. Nothing is written.
 */
public final class JournalReadiness {

  private JournalReadiness() {}

  /** Starts the probe; the stage completes once a recovery succeeded. */
  public static CompletionStage<Done> probe(ActorSystem<?> system) {
    CompletableFuture<Done> ready = new CompletableFuture<>();
    system.systemActorOf(
        Behaviors.supervise(Probe.create(ready))
            .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofSeconds(1), Duration.ofSeconds(10), 0.2)),
        "journal-readiness",
        Props.empty());
    return ready;
  }

  private static final class Probe extends EventSourcedBehavior<Probe.Never, Probe.Never, Done> {

    /** No command or event ever exists. */
    enum Never {}

    static Behavior<Never> create(CompletableFuture<Done> ready) {
      return new Probe(ready);
    }

    private final CompletableFuture<Done> ready;

    private Probe(CompletableFuture<Done> ready) {
      super(PersistenceId.ofUniqueId("portolan-journal-readiness"));
      this.ready = ready;
    }

    @Override
    public Done emptyState() {
      return Done.getInstance();
    }

    @Override
    public CommandHandler<Never, Never, Done> commandHandler() {
      return newCommandHandlerBuilder().forAnyState().build();
    }

    @Override
    public EventHandler<Done, Never> eventHandler() {
      return newEventHandlerBuilder().forAnyState().build();
    }

    @Override
    public SignalHandler<Done> signalHandler() {
      return newSignalHandlerBuilder()
          .onSignal(RecoveryCompleted.instance(), state -> ready.complete(Done.getInstance()))
          .build();
    }
  }
}
