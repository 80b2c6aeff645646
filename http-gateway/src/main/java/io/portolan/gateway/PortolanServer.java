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
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Portolan cluster node: the embedded Cassandra (unless external contact points are configured),
 * then the actor system with its sharded entities and the HTTP gateway.
 */
public final class PortolanServer {

  private static final Logger log = LoggerFactory.getLogger(PortolanServer.class);

  private PortolanServer() {}

  public static void main(String[] args) {
    Config base = PortolanSettings.withEnvironmentOverrides(ConfigFactory.load(), System.getenv());
    try {
      start(base);
    } catch (RuntimeException e) {
      log.error("Portolan could not start: {}", e.getMessage());
      System.exit(1);
    }
  }

  /** Starts a node; the returned system's termination also stops an embedded Cassandra. */
  public static ActorSystem<Void> start(Config base) {
    CassandraSettings cassandra = CassandraSettings.fromConfig(base);
    Optional<RunningCassandra> embedded = cassandra.external()
        ? Optional.empty()
        : Optional.of(CassandraLauncher.start(LauncherSettings.fromConfig(base)));
    List<String> contactPoints = embedded.map(c -> List.of(c.contactPoint())).orElse(cassandra.contactPoints());
    log.info("Cassandra: {} at {}", embedded.isPresent() ? "embedded" : "external", contactPoints);

    Config config = ConfigFactory.empty()
        .withValue("datastax-java-driver.basic.contact-points", ConfigValueFactory.fromIterable(contactPoints))
        .withFallback(base)
        .resolve();
    PortolanSettings settings = PortolanSettings.from(config);
    ActorSystem<Void> system;
    try {
      system = ActorSystem.create(Guardian.create(settings), settings.systemName(), config);
    } catch (RuntimeException e) {
      embedded.ifPresent(RunningCassandra::stop);
      throw e;
    }
    embedded.ifPresent(running -> stopWithTheNode(system, running));
    return system;
  }

  /**
   * Stops the embedded Cassandra once the actor system has terminated (it left the cluster, its
   * entities and Cassandra sessions are closed), instead of in a JVM hook racing the node's own.
   * On SIGTERM the JVM runs every hook and waits for all of them: this one waits for termination.
   */
  private static void stopWithTheNode(ActorSystem<Void> system, RunningCassandra cassandra) {
    cassandra.stopOnlyWhenAsked();
    system.getWhenTerminated().thenRun(cassandra::stop);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        log.warn("The node did not terminate within 60 s; stopping Cassandra anyway");
      }
      cassandra.stop();
    }, "portolan-stop-embedded-cassandra"));
  }
}
