package io.portolan.node.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.portolan.node.agent.AgentSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void doublesFromTheMinimumUpToTheMaximumWithJitterOnTop() {
    var b = new AgentSettings.Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), 0.3);
    for (int i = 0; i < 200; i++) {
      assertThat(ClusterLink.backoff(0, b).toMillis()).isBetween(500L, 650L);
      assertThat(ClusterLink.backoff(3, b).toMillis()).isBetween(4000L, 5200L);
      assertThat(ClusterLink.backoff(40, b).toMillis()).isBetween(30_000L, 39_000L);
    }
  }

  @Test
  void addressesGetTheAgentPath() {
    assertThat(AgentSettings.agentUri("ws://a:4040").toString()).isEqualTo("ws://a:4040/agent/ws");
    assertThat(AgentSettings.agentUri("b:4040").toString()).isEqualTo("ws://b:4040/agent/ws");
    assertThat(AgentSettings.agentUri("wss://c/custom/ws").toString()).isEqualTo("wss://c/custom/ws");
  }
}
