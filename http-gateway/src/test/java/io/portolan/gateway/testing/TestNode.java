package io.portolan.gateway.testing;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.portolan.gateway.PortolanServer;
import io.portolan.persistence.cassandra.RunningCassandra;
import io.portolan.persistence.testing.TestCassandra;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorSystem;

/** A single Portolan node in this JVM, on free ports, against a given Cassandra and keyspace. */
public final class TestNode implements AutoCloseable {

  /** The password of the 'admin' user of every test node. */
  public static final String ADMIN_PASSWORD = "portolan-test-admin";

  private final ActorSystem<Void> system;
  private final int httpPort;

  private TestNode(ActorSystem<Void> system, int httpPort) {
    this.system = system;
    this.httpPort = httpPort;
  }

  public static TestNode start(RunningCassandra cassandra, String keyspace) {
    return start(cassandra, keyspace, ConfigFactory.empty());
  }

  /** With {@code extra} settings in front of the test node's own (a {@code portolan.http.port} among them is kept). */
  public static TestNode start(RunningCassandra cassandra, String keyspace, Config extra) {
    int httpPort = extra.hasPath("portolan.http.port") ? extra.getInt("portolan.http.port") : HttpCalls.freePort();
    int clusterPort = HttpCalls.freePort();
    Config overrides = ConfigFactory.parseMap(Map.of(
            "portolan.http.port", httpPort,
            "portolan.auth.admin-password", ADMIN_PASSWORD,
            // Every test logs in from 127.0.0.1; AuthIT tests the limit with its own setting.
            "portolan.auth.login-attempts-per-minute", 1000,
            "portolan.cassandra.contact-points", List.of(cassandra.contactPoint()),
            "pekko.remote.artery.canonical.port", clusterPort,
            "pekko.cluster.seed-nodes", List.of("pekko://portolan@127.0.0.1:" + clusterPort),
            // A test JVM must survive its nodes.
            "pekko.coordinated-shutdown.exit-jvm", "off"))
        .withFallback(TestCassandra.pekkoPersistenceConfig(cassandra, keyspace));
    Config config = ConfigFactory.load(
        extra.withFallback(overrides).withFallback(ConfigFactory.parseResourcesAnySyntax("application")));
    TestNode node = new TestNode(PortolanServer.start(config), httpPort);
    HttpCalls.awaitReady(node.baseUri(), Duration.ofSeconds(60));
    return node;
  }

  public String baseUri() {
    return "http://127.0.0.1:" + httpPort;
  }

  /** A client logged in as the admin. */
  public HttpCalls.Client admin() {
    return HttpCalls.login(baseUri(), "admin", ADMIN_PASSWORD);
  }

  public ActorSystem<Void> system() {
    return system;
  }

  @Override
  public void close() {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join();
  }
}
