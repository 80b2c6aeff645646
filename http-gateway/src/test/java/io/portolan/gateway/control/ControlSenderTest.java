package io.portolan.gateway.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.portolan.cluster.topology.HostEntity.ControlOutcome;
import io.portolan.cluster.topology.HostEntity.ControlOutcome.Result;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a control's outcome becomes an HTTP status (engine messages as Docker 20.10 words them). */
class ControlSenderTest {

  private static int status(Result result, String message) {
    return ControlSender.status(new ControlOutcome(result, message, Map.of()));
  }

  @Test
  void aStateThatForbidsTheActionIs409WhateverStatusTheEngineGave() {
    assertThat(status(Result.FAILED, "unpause abc: engine answered 500: Container abc is not paused")).isEqualTo(409);
    assertThat(status(Result.FAILED, "pause abc: engine answered 409: Container abc is already paused")).isEqualTo(409);
    assertThat(status(Result.FAILED, "pause abc: engine answered 409: Container abc is not running")).isEqualTo(409);
    assertThat(status(Result.FAILED, "remove abc: engine answered 409: You cannot remove a running container abc."
        + " Stop the container before attempting removal or force remove")).isEqualTo(409);
  }

  @Test
  void missingOfflineAndOtherFailures() {
    assertThat(status(Result.DONE, "ok")).isEqualTo(200);
    assertThat(status(Result.FAILED, "start abc: engine answered 404: No such container: abc")).isEqualTo(404);
    assertThat(status(Result.AGENT_OFFLINE, "not connected")).isEqualTo(503);
    assertThat(status(Result.TIMED_OUT, "no answer")).isEqualTo(503);
    assertThat(status(Result.FAILED, "start abc: engine answered 500: driver failed programming external connectivity"))
        .isEqualTo(502);
    assertThat(status(Result.FAILED, null)).isEqualTo(409);
  }
}
