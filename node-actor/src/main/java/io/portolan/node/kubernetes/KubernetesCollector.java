package io.portolan.node.kubernetes;

import io.portolan.protocol.Payload;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Hands the {@link KubernetesInventory}'s entries to the agent's report state: every poll interval it
 * compares the inventory's generation with the last one sent and, when it moved, sends the whole set
 * (the report state diffs it per key, so only changes go on the wire). Sending nothing while nothing
 * changed keeps a quiet cluster free.
 *
 * <p>Generic over the sink's message type so that it does not depend on the host actor's protocol; the
 * agent plugs it in with one line (see k8s/README.md):
 * <pre>{@code
 * new HostActor.Collector(KubernetesInventory.SOURCE, sink -> KubernetesCollector.create(sink,
 *     entries -> new HostActor.Observed(KubernetesInventory.SOURCE, entries, false), inventory, k8s.pollInterval()))
 * }</pre>
 * {@code entries()} rebuilds only when the generation moved and reads in-memory informer caches (no I/O),
 * so it runs in the actor; at 3,000 pods and 2,500 deployments a rebuild is tens of milliseconds (see
 * k8s/BENCHMARK.md).
 */
public final class KubernetesCollector<T> extends AbstractBehavior<KubernetesCollector.Command> {

  public sealed interface Command {}

  private enum Poll implements Command { INSTANCE }

  private final ActorRef<T> sink;
  private final Function<Map<String, Payload>, T> adapt;
  private final KubernetesInventory inventory;
  private long sentGeneration = -1;

  public static <T> Behavior<Command> create(ActorRef<T> sink, Function<Map<String, Payload>, T> adapt,
      KubernetesInventory inventory, Duration pollInterval) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Poll.INSTANCE, Duration.ZERO, pollInterval);
      return new KubernetesCollector<>(context, sink, adapt, inventory);
    }));
  }

  private KubernetesCollector(ActorContext<Command> context, ActorRef<T> sink,
      Function<Map<String, Payload>, T> adapt, KubernetesInventory inventory) {
    super(context);
    context.setLoggerName(KubernetesCollector.class);
    this.sink = sink;
    this.adapt = adapt;
    this.inventory = inventory;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder().onMessage(Poll.class, p -> onPoll()).build();
  }

  private Behavior<Command> onPoll() {
    long g = inventory.generation();
    if (g != sentGeneration) {
      Map<String, Payload> entries = inventory.entries();
      sink.tell(adapt.apply(entries));
      sentGeneration = g;
      getContext().getLog().debug("kubernetes inventory generation {}: {} entries", g, entries.size());
    }
    return this;
  }
}
