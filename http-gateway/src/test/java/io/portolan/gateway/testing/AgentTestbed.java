package io.portolan.gateway.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.portolan.node.agent.Agent;
import io.portolan.persistence.testing.TestCassandra;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * A node on the shared test Cassandra with the real agent of this machine linked to it, an
 * {@code ops} operator and a {@code watcher} viewer, and the containers a test started (from the
 * local test image, labelled and removed at {@link #close()}).
 */
public final class AgentTestbed implements AutoCloseable {

  public static final String IMAGE = "portolan/busybox:test";

  public TestNode node;
  public final HttpCalls.Client admin;
  public final HttpCalls.Client operator;
  public final HttpCalls.Client viewer;
  private final String token;
  private final String keyspace;
  private final List<String> containers = new ArrayList<>();
  private ActorSystem<?> agent;

  private AgentTestbed(TestNode node, String keyspace, String token) {
    this.node = node;
    this.keyspace = keyspace;
    this.token = token;
    this.admin = node.admin();
    createUser("ops", "operator");
    createUser("watcher", "viewer");
    this.operator = HttpCalls.login(node.baseUri(), "ops", "password-ops");
    this.viewer = HttpCalls.login(node.baseUri(), "watcher", "password-watcher");
  }

  /** A node (keyspace named after {@code name}) with users; the agent starts with {@link #startAgent}. */
  public static AgentTestbed start(String name) throws IOException, InterruptedException {
    if (!docker("image", "inspect", IMAGE).startsWith("[")) {
      throw new AssertionError("the test image " + IMAGE + " is missing: run `make test-image`");
    }
    String token = "testbed-" + UUID.randomUUID();
    String keyspace = TestCassandra.uniqueKeyspace(name);
    return new AgentTestbed(TestNode.start(TestCassandra.shared(), keyspace,
        ConfigFactory.parseMap(Map.of("portolan.agents.token", token))), keyspace, token);
  }

  /** Stops the node (the agent keeps running and reconnecting); {@link #restartNode} brings it back. */
  public void stopNode() {
    node.close();
  }

  /**
   * A new node on the same keyspace and HTTP port (users, sessions and the agent token survive), so
   * the agent and open browser pages reconnect to it.
   */
  public void restartNode() {
    node.close();
    int port = Integer.parseInt(node.baseUri().replaceAll(".*:", ""));
    node = TestNode.start(TestCassandra.shared(), keyspace,
        ConfigFactory.parseMap(Map.of("portolan.agents.token", token, "portolan.http.port", port)));
  }

  /** Starts this machine's agent, linked to the node; {@code extra} adds agent settings. */
  public void startAgent(String agentId, Map<String, Object> extra) {
    Map<String, Object> settings = new HashMap<>(extra);
    settings.put("portolan.node.agent.agent-id", agentId);
    settings.put("portolan.node.agent.cluster", List.of("ws://127.0.0.1:" + node.baseUri().replaceAll(".*:", "")));
    settings.put("portolan.node.agent.token", token);
    agent = Agent.start(ConfigFactory.parseMap(settings).withFallback(ConfigFactory.defaultReference()).resolve());
  }

  /** Stops the agent and waits until it is gone. */
  public void stopAgent() throws Exception {
    if (agent != null) {
      agent.terminate();
      agent.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      agent = null;
    }
  }

  public String baseUri() {
    return node.baseUri();
  }

  /** {@code docker run -d} of the test image with {@code options} before it; returns the container id. */
  public String run(String name, List<String> options, String... command) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("run", "-d", "--name", name, "--label", "io.portolan.test=true"));
    args.addAll(options);
    args.add(IMAGE);
    args.addAll(List.of(command));
    containers.add(name);
    return docker(args.toArray(String[]::new)).trim();
  }

  /** Waits until the cluster's read model has a container named {@code name}. */
  public void awaitContainer(String name, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (viewer.get(node.baseUri() + "/api/search?q=type:container%20" + name).json().get("total").asInt() > 0) {
        return;
      }
      HttpCalls.sleep(200);
    }
    throw new AssertionError(name + " did not show up within " + timeout);
  }

  public static String docker(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("docker");
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(60, TimeUnit.SECONDS);
    return out;
  }

  private void createUser(String name, String role) {
    HttpCalls.Reply reply = admin.post(node.baseUri() + "/api/users", "{\"username\":\"" + name
        + "\",\"password\":\"password-" + name + "\",\"role\":\"" + role + "\"}");
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
  }

  @Override
  public void close() throws Exception {
    stopAgent();
    for (String container : containers) {
      docker("rm", "-f", container);
    }
    node.close();
  }
}
