package io.portolan.node.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvMaskTest {

  static final List<String> WORDS = List.of("PASSWORD", "SECRET", "TOKEN", "KEY");

  @Test
  void masksKeysThatLookSecretWhateverTheirCase() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("DB_PASSWORD", "hunter2");
    env.put("aws_secret_access_key", "x");
    env.put("GithubToken", "ghp_x");
    env.put("API_KEY", "k");
    env.put("PATH", "/bin");
    env.put("EMPTY", "");
    assertThat(EnvMask.mask(env, WORDS)).containsExactly(
        Map.entry("DB_PASSWORD", EnvMask.MASK), Map.entry("aws_secret_access_key", EnvMask.MASK),
        Map.entry("GithubToken", EnvMask.MASK), Map.entry("API_KEY", EnvMask.MASK),
        Map.entry("PATH", "/bin"), Map.entry("EMPTY", ""));
  }

  @Test
  void anEmptyWordListMasksNothing() {
    assertThat(EnvMask.mask(Map.of("PASSWORD", "x"), List.of())).containsEntry("PASSWORD", "x");
    assertThat(EnvMask.isSecret("PASSWORD", List.of(""))).isFalse();
  }
}
