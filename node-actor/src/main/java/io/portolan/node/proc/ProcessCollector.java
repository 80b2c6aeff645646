package io.portolan.node.proc;

import io.portolan.node.agent.AgentSettings;
import io.portolan.node.agent.Blocking;
import io.portolan.node.agent.HostActor;
import java.util.Map;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Every process on the host, one {@link ProcessScan} per process interval. One actor for all
 * processes rather than one per process: see node-actor/DESIGN.md.
 */
public final class ProcessCollector extends AbstractBehavior<ProcessCollector.Command> {

  public static final String SOURCE = "processes";

  public sealed interface Command {}

  private enum Tick implements Command { INSTANCE }

  private record Scanned(ProcessScan.Result result) implements Command {}

  private record Failed(Throwable cause) implements Command {}

  public static Behavior<Command> create(ActorRef<HostActor.Command> sink, ProcessPort port, AgentSettings settings) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers ->
        new ProcessCollector(context, timers, sink, port, settings)));
  }

  private final ActorRef<HostActor.Command> sink;
  private final ProcessPort port;
  private final AgentSettings settings;
  private final Executor blocking;
  private Map<Integer, ProcessScan.Known> known = Map.of();
  private boolean inFlight;

  private ProcessCollector(ActorContext<Command> context, TimerScheduler<Command> timers,
      ActorRef<HostActor.Command> sink, ProcessPort port, AgentSettings settings) {
    super(context);
    context.setLoggerName(ProcessCollector.class);
    this.sink = sink;
    this.port = port;
    this.settings = settings;
    this.blocking = Blocking.executor(context);
    timers.startTimerWithFixedDelay(Tick.INSTANCE, java.time.Duration.ZERO, settings.processInterval());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessageEquals(Tick.INSTANCE, this::onTick)
        .onMessage(Scanned.class, this::onScanned)
        .onMessage(Failed.class, f -> {
          throw new IllegalStateException("process scan failed: " + f.cause(), f.cause());
        })
        .build();
  }

  private Behavior<Command> onTick() {
    if (inFlight) {
      return this;
    }
    inFlight = true;
    Map<Integer, ProcessScan.Known> previous = known;
    getContext().pipeToSelf(
        Blocking.call(blocking, settings.processInterval().multipliedBy(10),
            () -> ProcessScan.scan(port, settings.hostId(), previous, System.currentTimeMillis())),
        (r, err) -> err != null ? new Failed(err) : new Scanned(r));
    return this;
  }

  private Behavior<Command> onScanned(Scanned s) {
    inFlight = false;
    known = Map.copyOf(s.result().known());
    sink.tell(new HostActor.Observed(SOURCE, s.result().entries(), false));
    sink.tell(new HostActor.Sampled(s.result().samples()));
    return this;
  }
}
