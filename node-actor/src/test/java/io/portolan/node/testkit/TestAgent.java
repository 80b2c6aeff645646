package io.portolan.node.testkit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.portolan.node.agent.Agent;
import io.portolan.node.agent.AgentSettings;
import io.portolan.node.agent.HostActor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorSystem;

/** An agent with the real ports in its own ActorSystem, linked to the given cluster addresses. */
public final class TestAgent implements AutoCloseable {

  public final ActorSystem<HostActor.Command> system;
  public final AgentSettings settings;

  public TestAgent(List<String> cluster, String token, Map<String, Object> extra) {
    Map<String, Object> m = new HashMap<>(extra);
    m.put("portolan.node.agent.cluster", cluster);
    m.put("portolan.node.agent.token", token);
    m.putIfAbsent("portolan.node.agent.agent-id", "it-" + Long.toHexString(System.nanoTime()).substring(0, 8));
    Config config = ConfigFactory.parseMap(m).withFallback(ConfigFactory.load()).resolve();
    settings = AgentSettings.fromConfig(config);
    system = Agent.start(config);
  }

  @Override
  public void close() {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().join();
  }
}
