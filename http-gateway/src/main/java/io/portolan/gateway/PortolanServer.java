package io.portolan.gateway;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.portolan.persistence.cassandra.CassandraLauncher;
import io.portolan.persistence.cassandra.CassandraSettings;
import io.portolan.persistence.cassandra.LauncherSettings;
import io.portolan.persistence.cassandra.RunningCassandra;
import java.util.List;
import java.util.Optional;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;
import org.apache.pekko.management.javadsl.PekkoManagement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Portolan cluster node: the embedded Cassandra (unless external contact points are configured),
 * then the actor system with its sharded entities and the HTTP gateway.
 */
public final class PortolanServer {

  private static final Logger log = LoggerFactory.getLogger(PortolanServer.class);

  private PortolanServer() {}

  /** A started node and, unless an external one is configured, the Cassandra it runs. */
  public record Node(ActorSystem<Void> system, Optional<RunningCassandra> cassandra) {}

  public static void main(String[] args) {
    Config base = PortolanSettings.withEnvironmentOverrides(ConfigFactory.load(), System.getenv());
    Node node;
    try {
      node = startNode(base);
    } catch (RuntimeException e) {
      log.error("Portolan could not start: {}", e.getMessage());
      flushLogs();
      System.exit(1);
      return;
    }
    // The JVM runs its shutdown hooks (Pekko's among them) concurrently; this one orders the end:
    // first the node terminates (it leaves the cluster, its entities and sessions close), then the
    // embedded Cassandra stops, then the asynchronous log appender is flushed.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      awaitTermination(node.system(), Duration.ofSeconds(60));
      node.cassandra().ifPresent(RunningCassandra::stop);
      flushLogs();
    }, "portolan-shutdown-order"));
  }

  /**
   * Waits until the actor system has terminated by polling the classic system's own termination
   * future. Not through a callback, nor through the typed system's future (itself a callback on
   * the classic one): CoordinatedShutdown calls System.exit from inside those callbacks, so they
   * complete only after this hook returned, and the JVM would hang.
   */
  private static void awaitTermination(ActorSystem<Void> system, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!system.classicSystem().whenTerminated().isCompleted()) {
      if (System.nanoTime() > deadline) {
        log.warn("The node did not terminate within {} s; stopping anyway", timeout.toSeconds());
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Starts a node; the returned system's termination also stops an embedded Cassandra. */
  public static ActorSystem<Void> start(Config base) {
    return startNode(base).system();
  }

  /** Starts a node; its termination also stops an embedded Cassandra. */
  public static Node startNode(Config base) {
    CassandraSettings cassandra = CassandraSettings.fromConfig(base);
    Optional<RunningCassandra> embedded = cassandra.external()
        ? Optional.empty()
        : Optional.of(CassandraLauncher.start(LauncherSettings.fromConfig(base)));
    List<String> contactPoints = embedded.map(c -> List.of(c.contactPoint())).orElse(cassandra.contactPoints());
    log.info("Cassandra: {} at {}", embedded.isPresent() ? "embedded" : "external", contactPoints);

    String discovery = base.getString("portolan.cluster.discovery");
    Config overrides = ConfigFactory.empty()
        .withValue("datastax-java-driver.basic.contact-points", ConfigValueFactory.fromIterable(contactPoints));
    if (!discovery.isBlank()) {
      // Cluster Bootstrap forms the cluster; a seed-node list would race it.
      overrides = overrides
          .withValue("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(List.of()))
          .withValue("pekko.management.cluster.bootstrap.contact-point-discovery.discovery-method",
              ConfigValueFactory.fromAnyRef(discovery));
      if (discovery.equals("config")) {
        // A static list may name several nodes on one machine, each with its own management port;
        // keeping only contact points on this node's port (right for Kubernetes pods) would drop them.
        overrides = overrides.withValue("pekko.management.cluster.bootstrap.contact-point.filter-on-fallback-port",
            ConfigValueFactory.fromAnyRef(false));
      }
    }
    Config resolved = overrides.withFallback(base).resolve();
    PortolanSettings settings = PortolanSettings.from(resolved);
    // The node announces its HTTP endpoint as a cluster role: the read model's placement
    // (ReadModelPlacement) and the nodes that forward to a view node read it from the membership.
    List<String> roles = new java.util.ArrayList<>(resolved.getStringList("pekko.cluster.roles"));
    roles.add(io.portolan.cluster.readmodel.ReadModelPlacement.httpRole(
        io.portolan.gateway.tls.TlsSettings.from(resolved).enabled(), settings.httpPort()));
    Config config = ConfigFactory.empty()
        .withValue("pekko.cluster.roles", ConfigValueFactory.fromIterable(roles))
        .withFallback(resolved);
    ActorSystem<Void> system;
    try {
      system = ActorSystem.create(Guardian.create(settings), settings.systemName(), config);
    } catch (RuntimeException e) {
      embedded.ifPresent(RunningCassandra::stop);
      throw e;
    }
    if (!discovery.isBlank()) {
      log.info("Cluster Bootstrap through '{}' discovery (management on {}:{})", discovery,
          config.getString("pekko.management.http.hostname"), config.getInt("pekko.management.http.port"));
      PekkoManagement.get(system).start();
      ClusterBootstrap.get(system).start();
    }
    embedded.ifPresent(running -> {
      // Stopped when the node has terminated, not by the launcher's own JVM hook, which would race
      // the node's shutdown and pull Cassandra away while entities still write.
      running.stopOnlyWhenAsked();
      system.getWhenTerminated().thenRun(running::stop);
    });
    return new Node(system, embedded);
  }

  /** Writes out what the asynchronous appender still holds. */
  private static void flushLogs() {
    if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
      context.stop();
    }
  }
}
