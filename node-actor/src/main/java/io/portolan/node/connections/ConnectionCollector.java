package io.portolan.node.connections;

import io.portolan.node.agent.AgentSettings;
import io.portolan.node.agent.Blocking;
import io.portolan.node.agent.HostActor;
import io.portolan.protocol.Payload;
import java.util.HashMap;
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

/**
 * Connections every connection interval: sockets from /proc/net in every network namespace (matched
 * to processes through socket inodes) plus the host's conntrack table, turned into edges by
 * {@link Edges}. Without conntrack (no module, no permission, no tool) it logs ONE warning and goes on
 * with /proc alone, checking again quietly every minute.
 */
public final class ConnectionCollector extends AbstractBehavior<ConnectionCollector.Command> {

  public static final String SOURCE = "connections";
  private static final long CONNTRACK_RETRY_MILLIS = 60_000;

  public sealed interface Command {}

  private enum Tick implements Command { INSTANCE }

  private record Addresses(HostActor.ContainerAddresses addresses) implements Command {}

  private record Scanned(ConnectionScan.Result scan, ConntrackPort.Flows flows, String conntrackProblem,
      Map<String, String> containerByIp) implements Command {}

  private record Failed(Throwable cause) implements Command {}

  public static Behavior<Command> create(ActorRef<HostActor.Command> sink, SocketPort sockets, ConntrackPort conntrack,
      AgentSettings settings) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers ->
        new ConnectionCollector(context, timers, sink, sockets, conntrack, settings)));
  }

  private final ActorRef<HostActor.Command> sink;
  private final SocketPort sockets;
  private final ConntrackPort conntrack;
  private final AgentSettings settings;
  private final Executor blocking;
  private final ActorRef<HostActor.ContainerAddresses> addressAdapter;
  private Map<Integer, String> containerCache = Map.of();
  private boolean inFlight;
  private String conntrackSource;
  private boolean conntrackWarned;
  private long conntrackRetryAt;

  private ConnectionCollector(ActorContext<Command> context, TimerScheduler<Command> timers,
      ActorRef<HostActor.Command> sink, SocketPort sockets, ConntrackPort conntrack, AgentSettings settings) {
    super(context);
    context.setLoggerName(ConnectionCollector.class);
    this.sink = sink;
    this.sockets = sockets;
    this.conntrack = conntrack;
    this.settings = settings;
    this.blocking = Blocking.executor(context);
    this.addressAdapter = context.messageAdapter(HostActor.ContainerAddresses.class, Addresses::new);
    timers.startTimerWithFixedDelay(Tick.INSTANCE, settings.connectionInterval());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessageEquals(Tick.INSTANCE, this::onTick)
        .onMessage(Addresses.class, this::onAddresses)
        .onMessage(Scanned.class, this::onScanned)
        .onMessage(Failed.class, f -> {
          throw new IllegalStateException("connection scan failed: " + f.cause(), f.cause());
        })
        .build();
  }

  private Behavior<Command> onTick() {
    if (!inFlight) {
      inFlight = true;
      sink.tell(new HostActor.GetContainerAddresses(addressAdapter));
    }
    return this;
  }

  private Behavior<Command> onAddresses(Addresses a) {
    Map<Integer, String> cache = containerCache;
    Map<String, String> byIp = a.addresses().byIp();
    boolean tryConntrack = System.currentTimeMillis() >= conntrackRetryAt;
    getContext().pipeToSelf(
        Blocking.call(blocking, settings.connectionInterval().multipliedBy(10), () -> {
          long now = System.currentTimeMillis();
          ConnectionScan.Result scan = ConnectionScan.scan(sockets, settings.hostId(), cache, now);
          ConntrackPort.Flows flows = null;
          String problem = null;
          if (tryConntrack) {
            try {
              flows = conntrack.flows();
            } catch (ConntrackPort.Unavailable e) {
              problem = e.getMessage();
            }
          }
          return new Scanned(scan, flows, problem, byIp);
        }),
        (s, err) -> err != null ? new Failed(err) : s);
    return this;
  }

  private Behavior<Command> onScanned(Scanned s) {
    inFlight = false;
    containerCache = s.scan().containerCache();
    if (s.flows() != null && conntrackSource == null) {
      conntrackSource = s.flows().source();
      getContext().getLog().info("conntrack: reading flows from {}", conntrackSource);
    }
    if (s.conntrackProblem() != null) {
      conntrackRetryAt = System.currentTimeMillis() + CONNTRACK_RETRY_MILLIS;
      if (!conntrackWarned) {
        conntrackWarned = true;
        getContext().getLog().warn("conntrack unavailable, connections come from /proc/net only: {}",
            s.conntrackProblem());
      }
      conntrackSource = null;
    }
    Map<String, Payload.Connection> edges = Edges.build(settings.hostId(), s.scan().namespaces(),
        s.scan().inodeOwner(), s.scan().pidContainer(),
        s.flows() == null ? List.of() : s.flows().flows(), s.containerByIp());
    sink.tell(new HostActor.Observed(SOURCE, new HashMap<>(edges), false));
    sink.tell(new HostActor.Sampled(s.scan().fdSamples()));
    return this;
  }
}
