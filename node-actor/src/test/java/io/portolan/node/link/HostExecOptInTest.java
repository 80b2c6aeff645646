package io.portolan.node.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HostExecOptInTest {

  @Test
  void offUnlessExplicitlyTurnedOn() {
    assertThat(HostExecOptIn.decide(null, Map.of())).isFalse();
    assertThat(HostExecOptIn.decide(null, Map.of(HostExecOptIn.ENV, "yes"))).isFalse();
    assertThat(HostExecOptIn.decide(null, Map.of(HostExecOptIn.ENV, "1"))).isFalse();
    assertThat(HostExecOptIn.decide(null, Map.of(HostExecOptIn.ENV, "TRUE"))).isTrue();
    assertThat(HostExecOptIn.decide("true", Map.of())).isTrue();
  }

  @Test
  void thePropertyWinsOverTheEnvironment() {
    assertThat(HostExecOptIn.decide("false", Map.of(HostExecOptIn.ENV, "true"))).isFalse();
    assertThat(HostExecOptIn.decide("true", Map.of(HostExecOptIn.ENV, "false"))).isTrue();
  }
}
