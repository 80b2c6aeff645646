package io.portolan.node.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.portolan.protocol.Entry;
import io.portolan.protocol.MetricSample;
import io.portolan.protocol.Payload;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportStateTest {

  static Payload.Process proc(int pid, String state) {
    return new Payload.Process(pid, 1, "sh", "sh -c x", 0, "root", "/", state, 1, "");
  }

  static final String A = "process:h;1";
  static final String B = "process:h;2";

  @Test
  void deltaHoldsOnlyChangedEntriesWithTheTimeTheyChanged() {
    ReportState s = ReportState.empty().withTracking(true)
        .observe("p", Map.of(A, proc(1, "S"), B, proc(2, "S")), 100);
    ReportState.Taken first = s.takeDelta();
    assertThat(first.entries()).extracting(Entry::key).containsExactly(A, B);

    ReportState next = first.next().observe("p", Map.of(A, proc(1, "S"), B, proc(2, "R")), 200);
    ReportState.Taken second = next.takeDelta();
    assertThat(second.entries()).containsExactly(new Entry(B, 200, proc(2, "R")));
    assertThat(second.next().takeDelta().isEmpty()).isTrue();
    // unchanged entry keeps the timestamp of its last change
    assertThat(second.next().latest().get(A).timestamp()).isEqualTo(100);
  }

  @Test
  void keysASourceNoLongerSeesBecomeTombstonesAndTheirSamplesGo() {
    ReportState s = ReportState.empty().withTracking(true)
        .observe("p", Map.of(A, proc(1, "S"), B, proc(2, "S")), 100)
        .sample(List.of(new MetricSample(B, "rss_bytes", 100, 42)))
        .takeDelta().next()
        .observe("p", Map.of(A, proc(1, "S")), 300);
    ReportState.Taken d = s.takeDelta();
    assertThat(d.entries()).containsExactly(Entry.tombstone(B, 300));
    assertThat(d.next().latest()).containsOnlyKeys(A);
    assertThat(d.next().samples()).isEmpty();
  }

  @Test
  void sourcesOwnTheirKeysOnly() {
    ReportState s = ReportState.empty().withTracking(true)
        .observe("host", Map.of("host:h", proc(9, "S")), 1)
        .observe("p", Map.of(A, proc(1, "S")), 2)
        .takeDelta().next()
        .observe("p", Map.of(), 3);
    assertThat(s.latest()).containsOnlyKeys("host:h");
    assertThat(s.takeDelta().entries()).containsExactly(Entry.tombstone(A, 3));
  }

  @Test
  void samplesGoInDeltasOnlyWhenTheirValueChangedButAllGoInFullReports() {
    ReportState s = ReportState.empty().withTracking(true)
        .observe("p", Map.of(A, proc(1, "S")), 1)
        .sample(List.of(new MetricSample(A, "cpu_percent", 1, 0.0)))
        .takeDelta().next()
        .sample(List.of(new MetricSample(A, "cpu_percent", 2, 0.0), new MetricSample(A, "rss_bytes", 2, 10)));
    ReportState.Taken d = s.takeDelta();
    assertThat(d.samples()).containsExactly(new MetricSample(A, "rss_bytes", 2, 10));
    ReportState.Taken full = d.next().takeFull();
    assertThat(full.samples()).containsExactlyInAnyOrder(new MetricSample(A, "cpu_percent", 2, 0.0),
        new MetricSample(A, "rss_bytes", 2, 10));
    assertThat(full.entries()).extracting(Entry::key).containsExactly(A);
  }

  @Test
  void whileNotTrackingNothingAccumulatesBesidesTheLatestState() {
    ReportState s = ReportState.empty();
    for (int i = 0; i < 1000; i++) {
      s = s.observe("p", Map.of("process:h;" + i, proc(i, "S")), i + 1)
          .sample(List.of(new MetricSample("process:h;" + i, "rss_bytes", i + 1, i)));
    }
    assertThat(s.latest()).hasSize(1);
    assertThat(s.pendingCount()).isZero();
    assertThat(s.samples()).hasSize(1);
    ReportState.Taken full = s.withTracking(true).takeFull();
    assertThat(full.entries()).extracting(Entry::key).containsExactly("process:h;999");
  }

  @Test
  void fullReportOrdersHostsContainersProcessesConnections() {
    Payload.Connection c = new Payload.Connection("tcp", "1.1.1.1", 0, "2.2.2.2", 80, true, 0, "", 1, "proc");
    ReportState s = ReportState.empty()
        .observe("c", Map.of("connection:h;tcp;1.1.1.1:0;2.2.2.2:80", c), 1)
        .observe("p", Map.of(A, proc(1, "S")), 1)
        .observe("x", Map.of("container:abc", proc(3, "S"), "host:h", proc(4, "S")), 1);
    assertThat(s.takeFull().entries()).extracting(Entry::key)
        .containsExactly("host:h", "container:abc", A, "connection:h;tcp;1.1.1.1:0;2.2.2.2:80");
  }

  @Test
  void samplesOfEveryKindAreKeptApartAndGoWithTheirEntryOnly() {
    String host = "host:h";
    String container = "container:abc";
    ReportState s = ReportState.empty().withTracking(true)
        .observe("host", Map.of(host, proc(9, "S")), 1)
        .observe("containers", Map.of(container, proc(8, "S")), 1)
        .observe("p", Map.of(A, proc(1, "S"), B, proc(2, "S")), 1)
        .sample(List.of(new MetricSample(host, "load1", 1, 0.5), new MetricSample(container, "pids", 1, 3),
            new MetricSample(A, "rss_bytes", 1, 10), new MetricSample(B, "rss_bytes", 1, 20),
            new MetricSample("process:h;77", "rss_bytes", 1, 30)))
        .takeDelta().next()
        .sample(List.of(new MetricSample(host, "load1", 2, 0.7)))
        .observe("p", Map.of(A, proc(1, "S")), 3);
    assertThat(s.samples()).containsOnlyKeys(new ReportState.SampleKey(host, "load1"),
        new ReportState.SampleKey(container, "pids"), new ReportState.SampleKey(A, "rss_bytes"),
        new ReportState.SampleKey("process:h;77", "rss_bytes"));
    assertThat(s.samples().get(new ReportState.SampleKey(host, "load1")).value()).isEqualTo(0.7);
    ReportState.Taken d = s.takeDelta();
    assertThat(d.entries()).containsExactly(Entry.tombstone(B, 3));
    assertThat(d.samples()).containsExactly(new MetricSample(host, "load1", 2, 0.7));
    // a full report carries the samples of live entries of every kind; the one of a key nobody owns goes
    ReportState.Taken full = d.next().takeFull();
    assertThat(full.samples()).containsExactlyInAnyOrder(new MetricSample(host, "load1", 2, 0.7),
        new MetricSample(container, "pids", 1, 3), new MetricSample(A, "rss_bytes", 1, 10));
    assertThat(full.next().samples()).hasSize(3);
    assertThat(full.entries()).extracting(Entry::key).containsExactly(host, container, A);
  }

  @Test
  void anUnchangedObservationChangesNothing() {
    ReportState s = ReportState.empty().withTracking(true)
        .observe("p", Map.of(A, proc(1, "S")), 1)
        .takeDelta().next();
    ReportState again = s.observe("p", Map.of(A, proc(1, "S")), 2);
    assertThat(again.takeDelta().isEmpty()).isTrue();
    assertThat(again.latest().get(A).timestamp()).isEqualTo(1);
    // while not tracking, a change still replaces the latest entry
    ReportState off = again.withTracking(false).observe("p", Map.of(A, proc(1, "R")), 3);
    assertThat(off.latest().get(A)).isEqualTo(new Entry(A, 3, proc(1, "R")));
    assertThat(off.pendingCount()).isZero();
  }
}
