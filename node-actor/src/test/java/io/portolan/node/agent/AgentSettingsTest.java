package io.portolan.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentSettingsTest {

  @Test
  void secretsStayOutOfToString() {
    AgentSettings settings = AgentSettings.fromConfig(ConfigFactory.parseMap(Map.of(
            "portolan.node.agent.token", "agent-token-123",
            "portolan.node.agent.truststore-password", "trust-pass-456"))
        .withFallback(ConfigFactory.parseResources("reference.conf")).resolve());
    assertThat(settings.token()).isEqualTo("agent-token-123");
    assertThat(settings.toString())
        .doesNotContain("agent-token-123", "trust-pass-456")
        .contains("token=****", "truststorePassword=****");
  }
}
