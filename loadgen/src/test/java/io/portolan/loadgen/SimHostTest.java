package io.portolan.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import io.portolan.protocol.AgentMessage;
import io.portolan.protocol.Entry;
import io.portolan.protocol.MetricBatch;
import io.portolan.protocol.Protocol;
import org.junit.jupiter.api.Test;

/** A pre-encoded delta frame decodes (and validates) as the report the encoding path makes. */
class SimHostTest {

  @Test
  void patchedFramesCarryTheSameReportsAsEncodedOnes() throws Exception {
    SimHost patched = new SimHost(3, 50, Profile.DEFAULT);
    SimHost encoded = new SimHost(3, 50, Profile.DEFAULT); // same seed, same content
    int framesPatched = 0;
    for (int i = 0; i < 200; i++) {
      String probe = i % 17 == 5 ? "probe-" + i : null;
      byte[] frame = patched.metricOnlyDeltaFrame(probe);
      if (frame != null) {
        framesPatched++;
      } else {
        frame = Protocol.encode(patched.changedDelta(probe, System.currentTimeMillis()));
      }
      AgentMessage.Report got = (AgentMessage.Report) Protocol.decodeAgentMessage(frame);
      AgentMessage.Report want = encoded.delta(probe);

      assertThat(got.seq()).isEqualTo(want.seq());
      assertThat(got.full()).isFalse();
      assertThat(got.sentAt()).isCloseTo(want.sentAt(), org.assertj.core.data.Offset.offset(1_000L));
      assertThat(got.entries()).extracting(Entry::key).isEqualTo(want.entries().stream().map(Entry::key).toList());
      MetricBatch g = got.metrics();
      MetricBatch w = want.metrics();
      assertThat(g.timestamp()).isCloseTo(w.timestamp(), org.assertj.core.data.Offset.offset(1_000L));
      assertThat(g.keys()).isEqualTo(w.keys());
      assertThat(g.columns()).isEqualTo(w.columns()); // metric names, key indexes and values
    }
    // most deltas are metric-only; restarts (1 in 10) and probes go through the encoder
    assertThat(framesPatched).isBetween(140, 185);
  }
}
