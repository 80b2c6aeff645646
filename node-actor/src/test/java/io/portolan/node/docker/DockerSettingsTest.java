package io.portolan.node.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DockerSettingsTest {

  @Test
  void defaultsComeFromReferenceConfAndDockerHostEnv() {
    DockerSettings s = DockerSettings.fromConfig(ConfigFactory.load());
    String env = System.getenv("DOCKER_HOST");
    assertThat(s.host()).isEqualTo(URI.create(env != null ? env : "unix:///var/run/docker.sock"));
    assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.responseTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.maxConnections()).isEqualTo(32);
  }

  @Test
  void applicationConfigOverridesTheDefaults() {
    var config = ConfigFactory.parseString(
            "portolan.node.docker { host = \"tcp://10.0.0.5:2375\", response-timeout = 2m }")
        .withFallback(ConfigFactory.defaultReference())
        .resolve();
    DockerSettings s = DockerSettings.fromConfig(config);
    assertThat(s.host()).isEqualTo(URI.create("tcp://10.0.0.5:2375"));
    assertThat(s.responseTimeout()).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> new DockerSettings(
            URI.create("unix:///x"), Duration.ofSeconds(1), Duration.ofSeconds(1), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("max-connections");
  }
}
