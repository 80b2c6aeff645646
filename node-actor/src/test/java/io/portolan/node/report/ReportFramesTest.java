package io.portolan.node.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.portolan.protocol.AgentMessage;
import io.portolan.protocol.Entry;
import io.portolan.protocol.MetricSample;
import io.portolan.protocol.Payload;
import io.portolan.protocol.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ReportFramesTest {

  static List<Entry> entries(int n) {
    return IntStream.range(0, n).mapToObj(i -> new Entry("process:h;" + i, 1,
        new Payload.Process(i, 1, "p", "p", 0, "root", "/", "S", 1, ""))).toList();
  }

  @Test
  void splitsAtTheEntryAndSampleLimitsAndOnlyTheFirstFrameIsFull() {
    List<MetricSample> samples = IntStream.range(0, 25)
        .mapToObj(i -> new MetricSample("process:h;" + i, "rss_bytes", 1, i)).toList();
    List<AgentMessage.Report> r = ReportFrames.split("a", "h", 0, true, 5, entries(10), samples, 4, 10);
    assertThat(r).hasSize(3);
    assertThat(r).extracting(AgentMessage.Report::full).containsExactly(true, false, false);
    assertThat(r).extracting(x -> x.entries().size()).containsExactly(4, 4, 2);
    assertThat(r).extracting(x -> x.samples().size()).containsExactly(10, 10, 5);
  }

  @Test
  void anEmptyReportIsOneFrame() {
    assertThat(ReportFrames.split("a", "h", 0, true, 5, List.of(), List.of(), 4, 10)).hasSize(1);
  }

  @Test
  void framesAboveTheByteLimitAreHalvedUntilTheyFitAndNumberedInOrder() throws Exception {
    List<Entry> big = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      big.add(new Entry("container:" + i, 1, new Payload.Container("" + i, "n", "img", "sha", "running", 1, 1,
          Map.of("l", "x".repeat(1000)), Map.of(), List.of(), List.of(), Map.of(), "bridge", 0, "", 0, 0)));
    }
    List<AgentMessage.Report> one = ReportFrames.split("a", "h", 0, true, 5, big, List.of(), 1000, 1000);
    AtomicLong seq = new AtomicLong(7);
    List<byte[]> frames = ReportFrames.encode(one, 16 * 1024, seq);
    assertThat(frames.size()).isGreaterThan(4);
    int total = 0;
    long expectedSeq = 7;
    for (int i = 0; i < frames.size(); i++) {
      assertThat(frames.get(i).length).isLessThanOrEqualTo(16 * 1024);
      AgentMessage.Report r = (AgentMessage.Report) Protocol.decodeAgentMessage(frames.get(i));
      assertThat(r.full()).isEqualTo(i == 0);
      assertThat(r.seq()).isEqualTo(expectedSeq++);
      total += r.entries().size();
    }
    assertThat(total).isEqualTo(64);
    assertThat(seq.get()).isEqualTo(expectedSeq);
  }
}
