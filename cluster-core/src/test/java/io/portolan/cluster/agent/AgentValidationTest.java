package io.portolan.cluster.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentValidationTest {

  @Test
  void acceptsTypicalIdsHostnamesAndLabels() {
    assertThat(AgentValidation.checkAgentId("host-a.eu_1")).isNull();
    assertThat(AgentValidation.checkRegistration("node-7.example.com", Map.of("app.kubernetes.io/name", "x"))).isEmpty();
  }

  @Test
  void rejectsBadIdsWithAReason() {
    assertThat(AgentValidation.checkAgentId("Upper")).contains("a-z");
    assertThat(AgentValidation.checkAgentId("-leading")).isNotNull();
    assertThat(AgentValidation.checkAgentId("a".repeat(64))).isNotNull();
    assertThat(AgentValidation.checkAgentId(null)).isNotNull();
  }

  @Test
  void listsEveryProblemOfARegistration() {
    Map<String, String> labels = new HashMap<>();
    labels.put("ok", "v".repeat(AgentValidation.MAX_LABEL_VALUE + 1));
    labels.put("", "x");
    labels.put("nullvalue", null);
    assertThat(AgentValidation.checkRegistration("", labels))
        .hasSize(4)
        .anySatisfy(p -> assertThat(p).contains("'hostname' is required"))
        .anySatisfy(p -> assertThat(p).contains("longer than"))
        .anySatisfy(p -> assertThat(p).contains("needs a string value"));
  }

  @Test
  void limitsTheNumberOfLabels() {
    Map<String, String> labels = new HashMap<>();
    for (int i = 0; i <= AgentValidation.MAX_LABELS; i++) {
      labels.put("k" + i, "v");
    }
    assertThat(AgentValidation.checkLabels(labels)).containsExactly("at most 64 labels are allowed (got 65)");
  }
}
