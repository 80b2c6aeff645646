package io.portolan.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Host exec is an agent setting: off by default, on through the config key, its variable or the CLI. */
class HostExecSettingTest {

  private static AgentSettings settings(Config overrides) {
    return AgentSettings.fromConfig(overrides.withFallback(ConfigFactory.parseResources("reference.conf")).resolve());
  }

  @Test
  void offByDefault() {
    assertThat(settings(ConfigFactory.empty()).hostExec()).isFalse();
  }

  @Test
  void theEnvironmentVariableTurnsItOnOrOff() {
    // ${?PORTOLAN_AGENT_HOST_EXEC} is looked up in the config first, then in the environment.
    assertThat(settings(ConfigFactory.parseMap(Map.of("PORTOLAN_AGENT_HOST_EXEC", "true"))).hostExec()).isTrue();
    assertThat(settings(ConfigFactory.parseMap(Map.of("PORTOLAN_AGENT_HOST_EXEC", "false"))).hostExec()).isFalse();
  }

  @Test
  void theConfigKeyTurnsItOn() {
    assertThat(settings(ConfigFactory.parseMap(Map.of("portolan.node.agent.host-exec", true))).hostExec()).isTrue();
  }

  @Test
  void theCliFlagTurnsItOnAndItsAbsenceLeavesTheDefault() throws Exception {
    AgentMain on = AgentMain.parse(new String[] {"--cluster", "ws://a:4040", "--allow-host-exec"}, name -> null);
    assertThat(AgentSettings.fromConfig(on.config()).hostExec()).isTrue();

    AgentMain off = AgentMain.parse(new String[] {"--cluster", "ws://a:4040"}, name -> null);
    assertThat(AgentSettings.fromConfig(off.config()).hostExec()).isFalse();
  }
}
