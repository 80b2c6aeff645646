package io.portolan.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AuditTargetTest {

  @Test
  void aContainerTargetIsFoundByItsNameOrIdPrefix() {
    String target = "web-1 (3f2a1b9c0d1e)";
    assertThat(AuditLog.targetMatches(target, target)).isTrue();
    assertThat(AuditLog.targetMatches("web-1", target)).isTrue();
    assertThat(AuditLog.targetMatches("3f2a1b", target)).isTrue();
    assertThat(AuditLog.targetMatches("3f2a", target)).as("too short to be an id").isFalse();
    assertThat(AuditLog.targetMatches("web", target)).isFalse();
    assertThat(AuditLog.targetMatches("ops", "ops")).isTrue();
    assertThat(AuditLog.targetMatches("ops", "opsx")).isFalse();
    assertThat(AuditLog.targetMatches("host x", null)).isFalse();
  }
}
