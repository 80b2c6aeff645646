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
 * Connections, from two sources at two paces, merged by {@link Edges}:
 * <ul>
 *   <li>every connection interval (2 s): the host's conntrack table, cheap (one read of one file), which
 *       sees every flow that crosses the host's netfilter: container ↔ container, NAT'd and short-lived;</li>
 *   <li>every socket-scan interval (10 s): /proc/net/{tcp,tcp6,udp,udp6} of one pid per network
 *       namespace plus every process's socket inodes, which give listening ports, the owning process, and
 *       connections conntrack cannot see (loopback inside a namespace). Expensive: the kernel walks its
 *       whole socket hash table for each file of each namespace (measured in node-actor/BENCHMARK.md).</li>
 * </ul>
 * Without conntrack (no module, no permission, no tool) it logs ONE warning and goes on with /proc alone,
 * checking again quietly every minute.
 */
public final class ConnectionCollector extends AbstractBehavior<ConnectionCollector.Command> {

  public static final String SOURCE = "connections";
  private static final long CONNTRACK_RETRY_MILLIS = 60_000;

  public sealed interface Command {}

  private enum Tick implements Command { INSTANCE }

  private enum SocketTick implements Command { INSTANCE }

  private record Addresses(HostActor.ContainerAddresses addresses) implements Command {}

  private record ConntrackRead(ConntrackPort.Flows flows, String problem, Map<String, String> containerByIp)
      implements Command {}

  private record SocketsScanned(ConnectionScan.Result scan) implements Command {}

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
  private ConnectionScan.Result lastScan;
  private List<ConntrackFlow> lastFlows = List.of();
  private Map<String, String> containerByIp = Map.of();
  private boolean conntrackInFlight;
  private boolean socketsInFlight;
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
    timers.startTimerWithFixedDelay(SocketTick.INSTANCE, settings.connectionInterval(), settings.socketScanInterval());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessageEquals(Tick.INSTANCE, this::onTick)
        .onMessage(Addresses.class, this::onAddresses)
        .onMessage(ConntrackRead.class, this::onConntrackRead)
        .onMessageEquals(SocketTick.INSTANCE, this::onSocketTick)
        .onMessage(SocketsScanned.class, this::onSocketsScanned)
        .onMessage(Failed.class, f -> {
          throw new IllegalStateException("connection scan failed: " + f.cause(), f.cause());
        })
        .build();
  }

  private Behavior<Command> onTick() {
    if (!conntrackInFlight) {
      conntrackInFlight = true;
      sink.tell(new HostActor.GetContainerAddresses(addressAdapter));
    }
    return this;
  }

  private Behavior<Command> onAddresses(Addresses a) {
    Map<String, String> byIp = a.addresses().byIp();
    if (System.currentTimeMillis() < conntrackRetryAt) {
      getContext().getSelf().tell(new ConntrackRead(null, null, byIp));
      return this;
    }
    getContext().pipeToSelf(
        Blocking.call(blocking, settings.connectionInterval().multipliedBy(10), () -> {
          try {
            return new ConntrackRead(conntrack.flows(), null, byIp);
          } catch (ConntrackPort.Unavailable e) {
            return new ConntrackRead(null, e.getMessage(), byIp);
          }
        }),
        (r, err) -> err != null ? new Failed(err) : r);
    return this;
  }

  private Behavior<Command> onConntrackRead(ConntrackRead r) {
    conntrackInFlight = false;
    containerByIp = r.containerByIp();
    if (r.flows() != null) {
      if (conntrackSource == null) {
        conntrackSource = r.flows().source();
        getContext().getLog().info("conntrack: reading flows from {}", conntrackSource);
      }
      lastFlows = r.flows().flows();
    } else if (r.problem() != null) {
      lastFlows = List.of();
      conntrackSource = null;
      conntrackRetryAt = System.currentTimeMillis() + CONNTRACK_RETRY_MILLIS;
      if (!conntrackWarned) {
        conntrackWarned = true;
        getContext().getLog().warn("conntrack unavailable, connections come from /proc/net only: {}", r.problem());
      }
    }
    publish();
    return this;
  }

  private Behavior<Command> onSocketTick() {
    if (socketsInFlight) {
      return this;
    }
    socketsInFlight = true;
    ConnectionScan.Result previous = lastScan;
    Map<Integer, String> cache = previous == null ? Map.of() : previous.containerCache();
    getContext().pipeToSelf(
        Blocking.call(blocking, settings.socketScanInterval().multipliedBy(3),
            () -> ConnectionScan.scan(sockets, settings.hostId(), cache, previous, System.currentTimeMillis())),
        (s, err) -> err != null ? new Failed(err) : new SocketsScanned(s));
    return this;
  }

  private Behavior<Command> onSocketsScanned(SocketsScanned s) {
    socketsInFlight = false;
    lastScan = s.scan();
    sink.tell(new HostActor.Sampled(s.scan().fdSamples()));
    publish();
    return this;
  }

  private void publish() {
    ConnectionScan.Result scan = lastScan;
    Map<String, Payload.Connection> edges = Edges.build(settings.hostId(),
        scan == null ? Map.of() : scan.namespaces(), scan == null ? Map.of() : scan.inodeOwner(),
        scan == null ? Map.of() : scan.pidContainer(), lastFlows, containerByIp);
    sink.tell(new HostActor.Observed(SOURCE, new HashMap<>(edges), false));
  }
}
