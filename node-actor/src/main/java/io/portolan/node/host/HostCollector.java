package io.portolan.node.host;

import io.portolan.node.agent.AgentSettings;
import io.portolan.node.agent.Blocking;
import io.portolan.node.agent.HostActor;
import io.portolan.protocol.Keys;
import io.portolan.protocol.MetricSample;
import io.portolan.protocol.Payload;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/** The host entry (facts every host-facts interval) and host metrics (every host interval). */
public final class HostCollector extends AbstractBehavior<HostCollector.Command> {

  public static final String SOURCE = "host";

  public sealed interface Command {}

  private enum FactsTick implements Command { INSTANCE }

  private enum CountersTick implements Command { INSTANCE }

  private record FactsRead(Payload.Host facts) implements Command {}

  private record CountersRead(HostPort.Counters counters) implements Command {}

  private record Failed(Throwable cause) implements Command {}

  public static Behavior<Command> create(ActorRef<HostActor.Command> sink, HostPort port, AgentSettings settings) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers ->
        new HostCollector(context, timers, sink, port, settings)));
  }

  private final ActorRef<HostActor.Command> sink;
  private final HostPort port;
  private final AgentSettings settings;
  private final Executor blocking;
  private final String key;
  private HostPort.Counters previous;

  private HostCollector(ActorContext<Command> context, TimerScheduler<Command> timers,
      ActorRef<HostActor.Command> sink, HostPort port, AgentSettings settings) {
    super(context);
    context.setLoggerName(HostCollector.class);
    this.sink = sink;
    this.port = port;
    this.settings = settings;
    this.blocking = Blocking.executor(context);
    this.key = Keys.host(settings.hostId());
    timers.startTimerWithFixedDelay(FactsTick.INSTANCE, java.time.Duration.ZERO, settings.hostFactsInterval());
    timers.startTimerWithFixedDelay(CountersTick.INSTANCE, settings.hostInterval());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessageEquals(FactsTick.INSTANCE, this::onFactsTick)
        .onMessageEquals(CountersTick.INSTANCE, this::onCountersTick)
        .onMessage(FactsRead.class, this::onFacts)
        .onMessage(CountersRead.class, this::onCounters)
        .onMessage(Failed.class, f -> {
          throw new IllegalStateException("reading host facts failed: " + f.cause(), f.cause());
        })
        .build();
  }

  private Behavior<Command> onFactsTick() {
    getContext().pipeToSelf(Blocking.call(blocking, java.time.Duration.ofSeconds(30), port::facts),
        (f, err) -> err != null ? new Failed(err) : new FactsRead(f));
    return this;
  }

  private Behavior<Command> onCountersTick() {
    getContext().pipeToSelf(Blocking.call(blocking, java.time.Duration.ofSeconds(30), port::counters),
        (c, err) -> err != null ? new Failed(err) : new CountersRead(c));
    return this;
  }

  private Behavior<Command> onFacts(FactsRead f) {
    sink.tell(new HostActor.Observed(SOURCE, Map.of(key, f.facts()), false));
    return this;
  }

  private Behavior<Command> onCounters(CountersRead r) {
    List<MetricSample> samples = samples(key, previous, r.counters());
    previous = r.counters();
    sink.tell(new HostActor.Sampled(samples));
    return this;
  }

  /** Pure: memory and load from one reading, CPU % and rates from two. CPU % is of the whole machine. */
  static List<MetricSample> samples(String key, HostPort.Counters prev, HostPort.Counters now) {
    long t = now.atMillis();
    List<MetricSample> out = new ArrayList<>();
    out.add(new MetricSample(key, "memory_bytes", t, now.memoryTotalBytes() - now.memoryAvailableBytes()));
    out.add(new MetricSample(key, "memory_limit_bytes", t, now.memoryTotalBytes()));
    out.add(new MetricSample(key, "load1", t, now.load1()));
    if (prev != null) {
      long dTotal = now.cpuTotalTicks() - prev.cpuTotalTicks();
      if (dTotal > 0) {
        out.add(new MetricSample(key, "cpu_percent", t, 100.0 * (now.cpuBusyTicks() - prev.cpuBusyTicks()) / dTotal));
      }
      double s = (now.atMillis() - prev.atMillis()) / 1000.0;
      if (s > 0) {
        out.add(rate(key, "net_rx_bytes_per_s", t, now.netRxBytes() - prev.netRxBytes(), s));
        out.add(rate(key, "net_tx_bytes_per_s", t, now.netTxBytes() - prev.netTxBytes(), s));
        out.add(rate(key, "disk_read_bytes_per_s", t, now.diskReadBytes() - prev.diskReadBytes(), s));
        out.add(rate(key, "disk_write_bytes_per_s", t, now.diskWriteBytes() - prev.diskWriteBytes(), s));
      }
    }
    return out;
  }

  private static MetricSample rate(String key, String metric, long t, long delta, double seconds) {
    return new MetricSample(key, metric, t, delta < 0 ? 0 : Math.round(delta / seconds));
  }
}
