package io.portolan.node.agent;

import io.portolan.node.kubernetes.KubernetesCollector;
import io.portolan.node.kubernetes.KubernetesInventory;
import io.portolan.node.kubernetes.KubernetesPart;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.portolan.node.connections.ConnectionCollector;
import io.portolan.node.docker.ContainerCollector;
import io.portolan.node.host.HostCollector;
import io.portolan.node.link.ClusterLink;
import io.portolan.node.link.ClusterTls;
import io.portolan.node.proc.ProcessCollector;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;

/**
 * Entry points of the node agent.
 * <ul>
 *   <li>Standalone: {@link #start(Config)} (what {@link AgentMain} calls) starts an ActorSystem whose
 *       guardian is the agent.</li>
 *   <li>Embedded (a cluster node watching its own host): spawn {@link #behavior(AgentSettings)} under
 *       any actor, e.g. {@code context.spawn(Agent.behavior(AgentSettings.fromConfig(config)), "agent")}
 *       with {@code portolan.node.agent.cluster = ["ws://127.0.0.1:4040"]}. The agent needs only
 *       pekko-actor-typed (its cluster link is the JDK's WebSocket client), and the
 *       {@code portolan.node.blocking-dispatcher} from this module's reference.conf.</li>
 * </ul>
 */
public final class Agent {

  private Agent() {}

  /** The collectors, in one place: adding one is one line here. */
  public static List<HostActor.Collector> collectors(AgentSettings settings, AgentPorts ports) {
    List<HostActor.Collector> collectors = new java.util.ArrayList<>(List.of(
        new HostActor.Collector(HostCollector.SOURCE, sink -> HostCollector.create(sink, ports.host(), settings)),
        new HostActor.Collector(ContainerCollector.SOURCE,
            sink -> ContainerCollector.create(sink, ports.docker(), settings)),
        new HostActor.Collector(ProcessCollector.SOURCE,
            sink -> ProcessCollector.create(sink, ports.processes(), settings)),
        new HostActor.Collector(ConnectionCollector.SOURCE,
            sink -> ConnectionCollector.create(sink, ports.sockets(), ports.conntrack(), settings))));
    KubernetesPart k8s = ports.kubernetes();
    if (k8s.enabled()) {
      collectors.add(new HostActor.Collector(KubernetesInventory.SOURCE, sink -> KubernetesCollector.create(sink,
          entries -> new HostActor.Observed(KubernetesInventory.SOURCE, entries, false), k8s.inventory(),
          k8s.settings().pollInterval())));
    }
    return List.copyOf(collectors);
  }

  /** The agent with the real ports. */
  public static Behavior<HostActor.Command> behavior(AgentSettings settings) {
    return org.apache.pekko.actor.typed.javadsl.Behaviors.setup(context ->
        behavior(settings, AgentPorts.real(settings)));
  }

  /** The agent with the given ports; it links to the cluster when {@code settings.cluster()} is not empty. */
  public static Behavior<HostActor.Command> behavior(AgentSettings settings, AgentPorts ports) {
    java.util.function.Function<ActorRef<HostActor.Command>, Behavior<ClusterLink.Command>> link =
        settings.cluster().isEmpty() ? null
            : host -> ClusterLink.create(settings, host, ports.docker(), ports.kubernetes().controls(),
                ClusterTls.sslContext(settings));
    return HostActor.create(settings, collectors(settings, ports), link, ports.docker());
  }

  /** Starts a standalone agent; {@code config} is the full config (with this module's reference.conf). */
  public static ActorSystem<HostActor.Command> start(Config config) {
    uncacheJarUrls();
    AgentSettings settings = AgentSettings.fromConfig(config);
    if (!settings.cluster().isEmpty()) {
      ClusterTls.sslContext(settings); // an unusable trust store stops the start with its reason
    }
    AgentPorts ports = AgentPorts.real(settings, config);
    // The application's class loader, but Pekko's start-up version check reads the jars' manifests without
    // verifying the signed ones (see UnverifiedManifests).
    ClassLoader loader = new UnverifiedManifests(Agent.class.getClassLoader());
    ActorSystem<HostActor.Command> system = ActorSystem.create(behavior(settings, ports), "portolan-agent",
        org.apache.pekko.actor.BootstrapSetup.create(config).withClassloader(loader));
    // Release the Kubernetes watcher lease on the way out, so another agent takes over at once.
    system.getWhenTerminated().thenRun(ports.kubernetes()::close);
    return system;
  }

  public static ActorSystem<HostActor.Command> start() {
    uncacheJarUrls();
    return start(ConfigFactory.load());
  }

  /**
   * Reads through {@code jar:} URLs close their jar instead of caching it for the life of the JVM.
   * Pekko's version check ({@code ManifestInfo}) reads every {@code META-INF/MANIFEST.MF} on the class
   * path at start-up; the cached copy of each signed jar (Bouncy Castle, pulled in by the Kubernetes
   * client) keeps its verifier and parsed manifest, ~10,000 {@code Attributes} or ~3 MB of live heap.
   * Class loading does not use these URLs, so only start-up reads are affected. JVM-wide, hence set
   * here (the agent's own JVM) and not in a library.
   */
  static void uncacheJarUrls() {
    java.net.URLConnection.setDefaultUseCaches("jar", false);
  }
}
